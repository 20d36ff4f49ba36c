import * as assert from 'node:assert/strict';
import { defaultDescription, describeDuration, expiryProblem, parseDuration } from '../../src/core/createOptions';
import { compactCount, countOf, formatUsd } from '../../src/core/format';

describe('create options and their wording', () => {
  it('reads durations as people write them, within the API’s 1 hour to 30 days', () => {
    assert.equal(parseDuration('36h'), 36 * 3600);
    assert.equal(parseDuration(' 10 days '), 10 * 86400);
    assert.equal(parseDuration('1 hour'), 3600);
    assert.equal(parseDuration('2 weeks'), undefined);
    assert.equal(parseDuration('1.5d'), undefined);
    assert.equal(expiryProblem(3600), undefined);
    assert.equal(expiryProblem(2_592_000), undefined);
    assert.match(expiryProblem(3599)!, /1 hour and 30 days/);
    assert.match(expiryProblem(2_592_001)!, /1 hour and 30 days/);
    assert.match(expiryProblem(4000.5)!, /1 hour and 30 days/);
    assert.equal(describeDuration(86400), '1 day');
    assert.equal(describeDuration(7 * 86400), '7 days');
    assert.equal(describeDuration(36 * 3600), '36 hours');
    assert.equal(describeDuration(3600), '1 hour');
  });

  it('describes a batch by its file name, within the metadata limit', () => {
    assert.equal(defaultDescription('prompts.jsonl'), 'prompts.jsonl');
    assert.equal(defaultDescription(`${'x'.repeat(600)}.jsonl`).length, 512);
  });

  it('says 1 request, not 1 requests', () => {
    assert.equal(countOf(1, 'request'), '1 request');
    assert.equal(countOf(0, 'request'), '0 requests');
    assert.equal(countOf(1204, 'request'), '1,204 requests');
    assert.equal(countOf(2, 'batch', 'batches'), '2 batches');
  });

  it('writes token counts and dollars short and plain', () => {
    assert.equal(compactCount(950), '950');
    assert.equal(compactCount(12_345), '12.3K');
    assert.equal(compactCount(2_104_332), '2.1M');
    assert.equal(compactCount(999_999), '1.0M');
    assert.equal(compactCount(3_400_000_000), '3.4B');
    assert.equal(formatUsd(0.53), '$0.53');
    assert.equal(formatUsd(1240), '$1,240.00');
    assert.equal(formatUsd(0.001), '< $0.01');
    assert.equal(formatUsd(0), '$0.00');
  });
});
