import * as assert from 'node:assert/strict';
import { parseBatch } from '../../src/core/batch';
import { batchDescription, batchDetailText, batchTooltipMarkdown, progressText, resultCountsText, shortEndpoint } from '../../src/core/batchSummary';
import { DEFAULT_CONNECTION } from '../../src/core/connections';
import { batchJsonPath, connectionAuthority, fileDocumentPath, parseBatchJsonPath, parseConnectionAuthority, parseFileDocumentPath, parseResultDocumentPath, resultDocumentPath } from '../../src/core/documentPaths';
import { escapeMarkdown, formatBytes, relativeAge, relativeAgeChangesAt } from '../../src/core/format';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const nowS = NOW / 1000;

describe('formatting', () => {
  it('says how long ago, compactly', () => {
    assert.equal(relativeAge(nowS - 3, NOW), 'just now');
    assert.equal(relativeAge(nowS - 42, NOW), '42s ago');
    assert.equal(relativeAge(nowS - 3 * 3600, NOW), '3h ago');
    assert.equal(relativeAge(nowS - 5 * 86400, NOW), '5d ago');
    assert.equal(relativeAge(nowS - 400 * 86400, NOW), '1y ago');
    assert.equal(relativeAge(nowS + 7200, NOW), 'in 2h');
  });

  it('knows until when an age reads the same, and that it reads differently from then on', () => {
    const ages = [0, 3, 9.6, 10, 42, 59.4, 59.5, 60, 61, 3599, 3600, 5 * 3600 + 17, 86399.5, 86400, 29 * 86400 + 5, 30 * 86400, 200 * 86400, 359 * 86400, 360 * 86400, 3 * 360 * 86400 + 1];
    for (const age of ages) {
      const created = nowS - age;
      const at = relativeAgeChangesAt(created, NOW);
      assert.ok(at > NOW, `${age}s: later than now`);
      assert.equal(relativeAge(created, at - 1), relativeAge(created, NOW), `${age}s: the same until then`);
      assert.notEqual(relativeAge(created, at), relativeAge(created, NOW), `${age}s: different from then`);
    }
    assert.ok(relativeAgeChangesAt(nowS + 7200, NOW) <= NOW + 1000, 'a future time is good for a second at most');
  });

  it('formats sizes', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(50 * 1024 * 1024), '50 MB');
    assert.equal(formatBytes(391_505_535), '373 MB');
  });

  it('escapes server text for Markdown', () => {
    assert.equal(escapeMarkdown('[click](command:evil) *x*'), '\\[click\\]\\(command:evil\\) \\*x\\*');
  });
});

describe('batch summary', () => {
  const b = parseBatch({
    id: 'batch_1',
    status: 'failed',
    endpoint: '/v1/chat/completions',
    model: 'gpt-4o',
    created_at: nowS - 7200,
    request_counts: { total: 100, completed: 95, failed: 5 },
    metadata: { team: 'search', note: '[x](http://evil)' },
    errors: { data: [{ code: 'token_limit_exceeded', message: 'Enqueued token limit reached', line: null }] },
  }).batch!;

  it('describes a row as model · endpoint · progress · age', () => {
    assert.equal(shortEndpoint('/v1/embeddings'), 'embeddings');
    assert.equal(progressText(b), '95/100 (5 failed)');
    assert.equal(batchDescription(b, NOW), 'gpt-4o · chat/completions · 95 succeeded · 5 failed · 2h ago');
    assert.equal(batchDescription(parseBatch({ id: 'x', status: 'validating' }).batch!, NOW), '');
  });

  it('says what came of a finished batch from its request counts, and how far a running one is', () => {
    const counts = (status: string, total: number, completed: number, failed: number) =>
      parseBatch({ id: 'x', status, endpoint: '/v1/embeddings', request_counts: { total, completed, failed } }).batch!;
    assert.equal(resultCountsText(counts('completed', 2995, 2943, 52)), '2,943 succeeded · 52 failed');
    assert.equal(resultCountsText(counts('completed', 120, 120, 0)), '120 succeeded');
    assert.equal(resultCountsText(counts('expired', 1000, 820, 0)), '820 of 1,000 done before it expired');
    assert.equal(resultCountsText(counts('in_progress', 1000, 820, 3)), undefined);
    assert.equal(resultCountsText(counts('failed', 0, 0, 0)), undefined);
    assert.equal(batchDescription(counts('in_progress', 1000, 820, 3), NOW), 'embeddings · 820/1,000 (3 failed)');
    assert.match(batchTooltipMarkdown(counts('completed', 2995, 2943, 52)), /Requests: 2,943 succeeded · 52 failed \(of 2,995\)/);
    assert.match(batchTooltipMarkdown(counts('finalizing', 100, 95, 5)), /Requests: 95 of 100 completed, 5 failed/);
  });

  it('puts everything into the tooltip, with server text escaped', () => {
    const md = batchTooltipMarkdown(b);
    assert.match(md, /\*\*batch\\_1\*\* — Failed/);
    assert.match(md, /Model: gpt\\-4o/);
    assert.match(md, /Requests: 95 succeeded · 5 failed \(of 100\)/);
    assert.match(md, /`token_limit_exceeded`: Enqueued token limit reached/);
    assert.match(md, /- team: search/);
    assert.ok(md.includes('- note: \\[x\\]\\(http://evil\\)'), `the note is shown, escaped: ${md}`);
    assert.ok(!md.includes('[x](http://evil)'), 'metadata must not become a link');
  });

  it('makes the metadata searchable in the picker (the model is in its description)', () => {
    assert.equal(batchDetailText(b), 'team=search · note=[x](http://evil)');
  });
});

describe('document paths', () => {
  const ids = ['batch_abc', '../files/x', 'a/b c%2F?#', 'batch_with_output_underscores', 'ü€'];
  it('round-trips any batch id through a JSON document path', () => {
    for (const id of ids) {
      const path = batchJsonPath(id);
      assert.equal(path.split('/').length, 2, `one segment for ${id}`);
      assert.equal(parseBatchJsonPath(path), id);
    }
  });

  it('round-trips file references, and names the tab after the batch and kind', () => {
    for (const id of ids) {
      const ref = { batchId: id, kind: 'output' as const, fileId: `file-${id}` };
      const path = fileDocumentPath(ref);
      assert.equal(path.split('/').length, 3);
      assert.deepEqual(parseFileDocumentPath(path), ref);
    }
    assert.equal(fileDocumentPath({ batchId: 'batch_1', kind: 'error', fileId: 'file-9' }), '/file-9/batch_1_error.jsonl');
    assert.equal(parseFileDocumentPath('/file-9/batch_1_secret.jsonl'), undefined);
  });

  it('names a first-lines tab by how many lines of how much, and parses the line count back', () => {
    const ref = { batchId: 'batch_1', kind: 'output' as const, fileId: 'file-9' };
    const path = fileDocumentPath({ ...ref, firstLines: { lines: 1000, bytes: 312 * 1024 * 1024 } });
    assert.equal(path, '/file-9/batch_1_output (first 1,000 lines of 312 MB).jsonl');
    assert.deepEqual(parseFileDocumentPath(path), { ...ref, firstLines: { lines: 1000 } });
    assert.equal(fileDocumentPath({ ...ref, firstLines: { lines: 1 } }), '/file-9/batch_1_output (first 1 line).jsonl');
    assert.deepEqual(parseFileDocumentPath('/file-9/batch_1_output (first 1 line).jsonl'), { ...ref, firstLines: { lines: 1 } });
    for (const id of ids) {
      const odd = { batchId: id, kind: 'error' as const, fileId: id, firstLines: { lines: 5, bytes: 10 } };
      assert.deepEqual(parseFileDocumentPath(fileDocumentPath(odd)), { ...odd, firstLines: { lines: 5 } }, id);
    }
    assert.equal(parseBatchJsonPath('/a/b.json'), undefined);
  });

  const connections = ['Work', 'work', 'Team A/B: prod@eu', '100% (first 3 lines).jsonl', ' · x.json', 'ü€ 日本', 'a\nb', 'DEFAULT'];
  it('round-trips any connection name through an authority of lowercase letters and digits only; none for the default one', () => {
    assert.equal(connectionAuthority(DEFAULT_CONNECTION), '');
    const seen = new Set<string>();
    for (const name of connections) {
      const authority = connectionAuthority(name);
      assert.match(authority, /^[0-9a-z]+$/, name);
      assert.equal(parseConnectionAuthority(authority), name);
      seen.add(authority);
    }
    assert.equal(seen.size, connections.length, 'names differing only in case stay apart');
    // Tabs from before connections have no authority: they read from the default connection.
    assert.equal(parseConnectionAuthority(''), DEFAULT_CONNECTION);
    for (const odd of ['work', 'c', 'c4', 'C4142', 'cxyz', 'user@host']) assert.equal(parseConnectionAuthority(odd), undefined, odd);
  });

  it("keeps the default connection's titles as they were and names any other connection in the title, which never changes what is parsed", () => {
    assert.equal(batchJsonPath('batch_1', DEFAULT_CONNECTION), '/batch_1.json');
    assert.equal(batchJsonPath('batch_1', 'Work'), '/batch_1 · Work.json');
    const ref = { batchId: 'batch_1', kind: 'output' as const, fileId: 'file-9' };
    assert.equal(fileDocumentPath(ref, DEFAULT_CONNECTION), '/file-9/batch_1_output.jsonl');
    assert.equal(fileDocumentPath({ ...ref, firstLines: { lines: 2 } }, 'Work'), '/file-9/batch_1_output (first 2 lines) · Work.jsonl');
    for (const name of connections) {
      for (const id of ids) {
        const path = batchJsonPath(id, name);
        assert.equal(path.split('/').length, 2, `one segment for ${id} on ${name}`);
        assert.equal(parseBatchJsonPath(path), id);
        const file = { batchId: id, kind: 'error' as const, fileId: `file-${id}` };
        assert.deepEqual(parseFileDocumentPath(fileDocumentPath(file, name)), file, `${id} on ${name}`);
        assert.deepEqual(parseFileDocumentPath(fileDocumentPath({ ...file, firstLines: { lines: 7, bytes: 10 } }, name)), { ...file, firstLines: { lines: 7 } });
      }
    }
  });

  it("round-trips a Results row's document, named after its custom_id, whatever the custom_id holds", () => {
    for (const id of ids) {
      for (const part of ['request', 'result'] as const) {
        const ref = { batchId: id, rowId: 41, part, label: `${id}.custom/../id` };
        const path = resultDocumentPath(ref);
        assert.equal(path.split('/').length, 4);
        assert.ok(path.endsWith(`.${part}.json`), 'JSON by its extension');
        assert.deepEqual(parseResultDocumentPath(path), ref);
      }
    }
    const long = resultDocumentPath({ batchId: 'b', rowId: 0, part: 'request', label: 'x'.repeat(500) });
    assert.equal(parseResultDocumentPath(long)?.label, `${'x'.repeat(60)}…`);
    assert.equal(parseResultDocumentPath('/b/x/id.request.json'), undefined);
    assert.equal(parseResultDocumentPath('/b/1/id.response.json'), undefined);
  });
});
