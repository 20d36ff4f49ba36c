import * as assert from 'node:assert/strict';
import { fileIdOf, parseBatch, toUnixSeconds } from '../../src/core/batch';
import { parseBatchPage } from '../../src/core/batchPage';

const full = {
  id: 'batch_abc',
  object: 'batch',
  endpoint: '/v1/chat/completions',
  model: 'gpt-4o-mini',
  errors: null,
  input_file_id: 'file-in',
  completion_window: '24h',
  status: 'in_progress',
  output_file_id: null,
  error_file_id: null,
  created_at: 1764300000,
  in_progress_at: 1764300060,
  expires_at: 1764386400,
  finalizing_at: null,
  completed_at: null,
  failed_at: null,
  expired_at: null,
  cancelling_at: null,
  cancelled_at: null,
  request_counts: { total: 100, completed: 95, failed: 2 },
  usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: 30 },
  metadata: { description: 'nightly eval' },
};

describe('parseBatch', () => {
  it('reads a real batch object, with explicit nulls as absent', () => {
    const { batch, problems } = parseBatch(full);
    assert.deepEqual(problems, []);
    assert.ok(batch);
    assert.equal(batch.status, 'in_progress');
    assert.equal(batch.inputFileId, 'file-in');
    assert.equal(batch.outputFileId, undefined);
    assert.equal(batch.completedAt, undefined);
    assert.deepEqual(batch.requestCounts, { total: 100, completed: 95, failed: 2 });
    assert.deepEqual(batch.usage, { inputTokens: 10, outputTokens: 20, totalTokens: 30, cachedTokens: 4, reasoningTokens: 5 });
    assert.deepEqual(batch.metadata, { description: 'nightly eval' });
    assert.deepEqual(batch.errors, []);
    assert.equal(fileIdOf(batch, 'input'), 'file-in');
    assert.equal(fileIdOf(batch, 'output'), undefined);
  });

  it('accepts what Azure previews send: ISO timestamps, capitalised status, null request counts', () => {
    const { batch } = parseBatch({ id: 'batch_1', status: 'Validating', created_at: '2024-07-19T17:13:57.2491382+00:00', request_counts: null });
    assert.ok(batch);
    assert.equal(batch.status, 'validating');
    assert.equal(batch.createdAt, Math.floor(Date.parse('2024-07-19T17:13:57.249Z') / 1000));
    assert.equal(batch.requestCounts, undefined);
  });

  it('degrades a wrong field to absent and reports it, keeping the rest', () => {
    const { batch, problems } = parseBatch({ ...full, created_at: 'yesterday', request_counts: 'many', metadata: [1], endpoint: 42 });
    assert.ok(batch);
    assert.equal(batch.createdAt, undefined);
    assert.equal(batch.requestCounts, undefined);
    assert.equal(batch.metadata, undefined);
    assert.equal(batch.endpoint, undefined);
    assert.equal(batch.model, 'gpt-4o-mini');
    assert.equal(problems.length, 4);
    assert.ok(problems.every((p) => p.startsWith('batch_abc: ')));
  });

  it('reads the errors list, spec-wrapped or bare', () => {
    const errors = { object: 'list', data: [{ code: 'invalid_json_line', message: 'bad', param: null, line: 3 }, { message: 'x' }, 'junk'] };
    const wrapped = parseBatch({ id: 'b', status: 'failed', errors }).batch;
    assert.deepEqual(wrapped?.errors, [
      { code: 'invalid_json_line', message: 'bad', param: undefined, line: 3 },
      { code: undefined, message: 'x', param: undefined, line: undefined },
    ]);
    assert.deepEqual(parseBatch({ id: 'b', status: 'failed', errors: errors.data }).batch?.errors, wrapped?.errors);
  });

  it('keeps unknown statuses as they are (normalised), and a missing one as unknown', () => {
    assert.equal(parseBatch({ id: 'b', status: 'queued_for_review' }).batch?.status, 'queued_for_review');
    assert.equal(parseBatch({ id: 'b', status: 'IN-PROGRESS' }).batch?.status, 'in_progress');
    assert.equal(parseBatch({ id: 'b' }).batch?.status, 'unknown');
  });

  it('rejects entries it cannot show: no id, not an object', () => {
    assert.equal(parseBatch({ status: 'completed' }).batch, undefined);
    assert.equal(parseBatch({ id: '  ' }).batch, undefined);
    assert.equal(parseBatch('batch_abc').batch, undefined);
    assert.equal(parseBatch(null).batch, undefined);
    assert.equal(parseBatch([full]).batch, undefined);
  });

  it('converts timestamps from seconds, milliseconds, numeric and ISO strings', () => {
    assert.equal(toUnixSeconds(1764300000), 1764300000);
    assert.equal(toUnixSeconds(1764300000123), 1764300000);
    assert.equal(toUnixSeconds('1764300000'), 1764300000);
    assert.equal(toUnixSeconds('2025-11-28T03:20:00Z'), 1764300000);
    assert.equal(toUnixSeconds(0), undefined);
    assert.equal(toUnixSeconds(Number.NaN), undefined);
    assert.equal(toUnixSeconds('soon'), undefined);
  });
});

describe('parseBatchPage', () => {
  it('reads a list page and its has_more', () => {
    const page = parseBatchPage({ object: 'list', data: [full, { ...full, id: 'batch_def' }], first_id: 'batch_abc', last_id: 'batch_def', has_more: true });
    assert.ok(page);
    assert.deepEqual(page.batches.map((b) => b.id), ['batch_abc', 'batch_def']);
    assert.equal(page.hasMore, true);
  });

  it('leaves a missing has_more open (Groq sends none), for the pager to judge by the page size', () => {
    assert.equal(parseBatchPage({ object: 'list', data: [full] })?.hasMore, undefined);
    assert.equal(parseBatchPage({ object: 'list', data: [full], has_more: null })?.hasMore, undefined);
    assert.equal(parseBatchPage({ object: 'list', data: [full], has_more: false })?.hasMore, false);
  });

  it('skips non-object entries and duplicate ids, and says so', () => {
    const page = parseBatchPage({ data: [full, 7, null, full, { id: 'batch_x', status: 'completed' }], has_more: false });
    assert.ok(page);
    assert.deepEqual(page.batches.map((b) => b.id), ['batch_abc', 'batch_x']);
    assert.equal(page.problems.length, 3);
  });

  it('is undefined for a body that is not a list', () => {
    assert.equal(parseBatchPage({ data: 'nope' }), undefined);
    assert.equal(parseBatchPage(null), undefined);
    assert.equal(parseBatchPage([full]), undefined);
  });
});
