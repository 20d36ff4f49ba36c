import * as assert from 'node:assert/strict';
import { parseBatch, type Batch } from '../../src/core/batch';
import {
  batchAccessibilityLabel,
  batchAppearance,
  batchDescription,
  batchLabel,
  batchName,
  batchTooltipMarkdown,
  nothingSucceeded,
  pastExpiry,
  resultCountsText,
  stateNotes,
  writingResults,
} from '../../src/core/batchSummary';
import { terminalStatesAccount, type TerminalStates } from '../fake-openai/terminalStates';

const NOW_S = 1_764_331_200; // 2025-11-28 12:00 UTC
const NOW = NOW_S * 1000;
/** Markdown as it reads: the escapes that keep server text text taken out. */
const plain = (md: string) => md.replace(/\\(?=[^\w\s])/g, '');

/** The fixtures as the extension reads them: through the parser, from the JSON a server sends. */
function parsed(): Record<keyof TerminalStates, Batch> {
  const { states } = terminalStatesAccount(NOW_S);
  return Object.fromEntries(Object.entries(states).map(([name, raw]) => [name, parseBatch(JSON.parse(JSON.stringify(raw))).batch!])) as Record<keyof TerminalStates, Batch>;
}

describe('terminal states, told truthfully', () => {
  const b = parsed();

  it('reads an empty-string file id as no file, like null', () => {
    assert.equal(b.emptyStringIds.errorFileId, undefined);
    assert.equal(b.emptyStringIds.outputFileId, 'file-out-empty-ids');
    assert.deepEqual([b.emptyStringRunning.inputFileId, b.emptyStringRunning.outputFileId, b.emptyStringRunning.errorFileId], [undefined, undefined, undefined]);
    assert.deepEqual(parseBatch({ id: 'x', status: 'completed', output_file_id: '  ', error_file_id: '' }).problems, [], 'blank ids are not a problem to log');
    assert.equal(parseBatch({ id: 'x', status: 'completed', output_file_id: '  ' }).batch!.outputFileId, undefined);
    // Every consumer reads the parsed batch: nothing names the missing file.
    const md = batchTooltipMarkdown(b.emptyStringIds, { nowMs: NOW });
    assert.match(md, /Files: Input File file\\-in\\-batch\\_empty\\_ids · Output File file\\-out\\-empty\\-ids {2}$/m);
    assert.doesNotMatch(md, /Error File/);
    assert.equal(resultCountsText(b.emptyStringIds), '3 succeeded');
    assert.equal(nothingSucceeded(b.emptyStringIds), false);
  });

  it('does not call a completed batch in which nothing succeeded a success: warning icon, "0 of 120 succeeded"', () => {
    assert.equal(nothingSucceeded(b.allFailed), true);
    assert.equal(resultCountsText(b.allFailed), '0 of 120 succeeded');
    assert.deepEqual(batchAppearance(b.allFailed), { icon: 'warning', color: 'list.warningForeground', spins: false });
    assert.equal(batchDescription(b.allFailed, NOW), 'gpt-4o · chat/completions · 0 of 120 succeeded · 5h ago');
    assert.match(batchAccessibilityLabel(b.allFailed, NOW), /^batch_all_failed, Completed, no request succeeded, /);
    const md = plain(batchTooltipMarkdown(b.allFailed, { nowMs: NOW }));
    assert.match(md, /^\$\(warning\) No request succeeded: every request is in the error file \(Open Error File says why\)\.$/m);
    assert.match(md, /Requests: 0 of 120 succeeded \(of 120\)/);
    // Without counts (Azure sends null), the files tell: an error file and no output file.
    const noCounts = parseBatch({ id: 'x', status: 'completed', output_file_id: null, error_file_id: 'file-e', request_counts: null }).batch!;
    assert.equal(nothingSucceeded(noCounts), true);
    assert.equal(resultCountsText(noCounts), undefined, 'no counts, no made-up figures');
    assert.equal(batchAppearance(noCounts).icon, 'warning');
    // A success with some failures is still one.
    const some = parseBatch({ id: 'y', status: 'completed', output_file_id: 'file-o', error_file_id: 'file-e', request_counts: { total: 10, completed: 9, failed: 1 } }).batch!;
    assert.equal(nothingSucceeded(some), false);
    assert.equal(batchAppearance(some).icon, 'pass');
  });

  it('shows what an expired or cancelled batch finished: "820 of 1,000 done before it expired"', () => {
    assert.equal(resultCountsText(b.expiredPartial), '820 of 1,000 done before it expired');
    assert.equal(resultCountsText(b.cancelledPartial), '300 of 1,000 done before it was cancelled');
    assert.equal(batchDescription(b.expiredPartial, NOW), 'o3 · chat/completions · 820 of 1,000 done before it expired · 1d ago');
    const md = plain(batchTooltipMarkdown(b.expiredPartial, { nowMs: NOW }));
    assert.match(md, /Its output file has the 820 requests done before it expired: Open Results or Open Output File\./);
    assert.match(md, /Requests: 820 of 1,000 done before it expired; 180 failed or not run/);
    assert.deepEqual(stateNotes(b.cancelledPartial, NOW), ['Its output file has the 300 requests done before it was cancelled: Open Results or Open Output File.']);
    assert.deepEqual(stateNotes(b.expiredNothing, NOW), ['Nothing was done before it expired: it has no output file.']);
    assert.equal(resultCountsText(b.expiredNothing), '0 of 2 done before it expired');
    assert.equal(batchAppearance(b.expiredPartial).icon, 'watch', 'expired keeps its own icon: it is not a failure of the batch');
  });

  it('says a finalizing batch whose counts are complete is writing its results', () => {
    assert.equal(writingResults(b.finalizingComplete), true);
    assert.equal(batchDescription(b.finalizingComplete, NOW), 'gpt-4o · chat/completions · 997/1,000 (3 failed) · writing results · 10h ago');
    assert.deepEqual(stateNotes(b.finalizingComplete, NOW), ['All 1,000 requests are done: it is writing the results, which can take a while.']);
    const one = parseBatch({ id: 'x', status: 'finalizing', request_counts: { total: 1, completed: 1, failed: 0 } }).batch!;
    assert.deepEqual(stateNotes(one, NOW), ['Its 1 request is done: it is writing the results, which can take a while.']);
    const partly = parseBatch({ id: 'x', status: 'finalizing', request_counts: { total: 1000, completed: 900, failed: 3 } }).batch!;
    assert.equal(writingResults(partly), false, 'not every request counted yet');
    assert.equal(writingResults(parseBatch({ id: 'x', status: 'finalizing', request_counts: { total: 0, completed: 0, failed: 0 } }).batch!), false);
  });

  it('says a batch past its expires_at that is still running is past its window', () => {
    assert.equal(pastExpiry(b.pastExpiry, NOW), true);
    assert.equal(batchDescription(b.pastExpiry, NOW), 'gpt-4o · chat/completions · 640/1,000 (2 failed) · past its 24h window · 1d ago');
    assert.deepEqual(stateNotes(b.pastExpiry, NOW), ['Its 24h window ended 2h ago, and it is still running: requests not done when it stops expire.']);
    assert.equal(pastExpiry(b.pastExpiry, (b.pastExpiry.expiresAt! - 1) * 1000), false, 'not before its expires_at');
    for (const state of [b.expiredPartial, b.allFailed]) assert.equal(pastExpiry(state, NOW + 3 * 86400_000), false, `${state.status} is not running`);
    const cancelling = parseBatch({ id: 'x', status: 'cancelling', expires_at: NOW_S - 10 }).batch!;
    assert.equal(pastExpiry(cancelling, NOW), false, 'a cancelling batch is stopping, not running');
  });

  it('keeps a failed batch\'s validation errors with their codes, messages and lines', () => {
    assert.deepEqual(
      b.failedValidation.errors.map((e) => [e.code, e.line]),
      [
        ['invalid_json_line', 2],
        ['invalid_json_line', 5],
        ['token_limit_exceeded', undefined],
      ],
    );
    assert.equal(resultCountsText(b.failedValidation), undefined);
  });
});

describe('row labels', () => {
  const b = parsed();

  it('labels a row with its description when it has one (on one line), with the id beside; else with the id', () => {
    assert.equal(batchName(b.described), 'nightly eval of the search ranker');
    assert.equal(batchLabel(b.described, 'description'), 'nightly eval of the search ranker');
    assert.equal(batchLabel(b.described, 'id'), 'batch_described');
    assert.equal(batchLabel(b.allFailed, 'description'), 'batch_all_failed', 'no description: the id');
    assert.equal(batchDescription(b.described, NOW, 'description'), 'ft:gpt-4o-mini-2024-07-18:acme::x1 · chat/completions · 2 succeeded · 2h ago · batch_described');
    assert.equal(batchDescription(b.described, NOW, 'id'), 'ft:gpt-4o-mini-2024-07-18:acme::x1 · chat/completions · 2 succeeded · 2h ago');
    assert.equal(batchDescription(b.allFailed, NOW, 'description'), batchDescription(b.allFailed, NOW, 'id'), 'the id is the label: not said twice');
    assert.equal(
      batchAccessibilityLabel(b.described, NOW, 'description'),
      'nightly eval of the search ranker, Completed, ft:gpt-4o-mini-2024-07-18:acme::x1, chat/completions, 2 succeeded, 2h ago, batch_described',
    );
    assert.match(batchTooltipMarkdown(b.described, { nowMs: NOW }), /^\*\*batch\\_described\*\* — Completed/, 'the tooltip names the id');
  });

  it('ignores a blank description and cuts a long one', () => {
    const blank = parseBatch({ id: 'b1', status: 'completed', metadata: { description: ' \n ' } }).batch!;
    assert.equal(batchLabel(blank, 'description'), 'b1');
    const long = parseBatch({ id: 'b2', status: 'completed', metadata: { description: 'x'.repeat(300) } }).batch!;
    assert.equal(batchLabel(long, 'description').length, 100);
    assert.ok(batchLabel(long, 'description').endsWith('…'));
  });
});
