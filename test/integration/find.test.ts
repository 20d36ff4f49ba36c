import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../src/constants';
import type { FindResult } from '../../src/core/batchFilter';
import { batchRows, filterBy, listRequests, rows, useFakeAccount, waitFor } from './support';

const HOUR = 3600;

describe('Filter Batches and Find in All Batches', function () {
  this.timeout(90_000);
  const t = useFakeAccount({ count: 400, seed: 31, pageSize: 20 });
  const now = Math.floor(Date.now() / 1000);

  // One batch created every hour back from now; every tenth one failed, the rest completed.
  beforeEach(() => {
    t.fake.batches.forEach((b, i) => {
      b.created_at = now - i * HOUR;
      b.status = i % 10 === 9 ? 'failed' : 'completed';
    });
  });
  afterEach(async () => {
    if (t.api.prompts.current) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand(Command.clearFilter);
  });

  it('filters the loaded batches without a request: the tree shows the matches, the view says the filter, Clear Filter shows all again', async () => {
    const { api, fake } = t;
    await rows(api);
    const requests = listRequests(fake).length;
    const pick = filterBy(api, 'Failed', 5, 2);
    const shown = await waitFor('the status items', () => api.prompts.current?.items);
    assert.deepEqual(shown.slice(4, 6), ['$(pass) Completed — 18 loaded', '$(error) Failed — 2 loaded']);
    assert.deepEqual(await pick, { statuses: ['failed'], text: '', age: '7d' });
    assert.equal(api.view.description, 'failed · 7 days');
    await waitFor('the message above the rows', () => api.view.message === 'Filtered: failed · 7 days');
    const shownIds = (await batchRows(api)).map((r) => r.batchId);
    assert.deepEqual(shownIds, [fake.batches[9].id, fake.batches[19].id]);
    assert.deepEqual((await rows(api)).filter((r) => r.node.type === 'group').map((r) => r.label), ['Failed']);
    assert.equal(listRequests(fake).length, requests, 'filtering asks the server nothing');

    await vscode.commands.executeCommand(Command.clearFilter);
    assert.equal(api.view.description, undefined);
    assert.equal(api.view.message, undefined);
    assert.equal((await batchRows(api)).length, 20);
  });

  it('a filter no loaded batch matches shows the welcome content that offers Find in All Batches', async () => {
    const { api } = t;
    await rows(api);
    await filterBy(api, 'Cancelling', 3, 0);
    assert.equal(api.view.description, 'cancelling');
    assert.deepEqual(await rows(api), []);
    assert.equal(api.tree.state, 'noMatch');
    assert.equal(api.view.message, undefined, 'a message would hide the welcome content');
  });

  it('Find in All Batches pages on until a page’s worth more batches match: one request per page, and what it loaded stays and shows', async () => {
    const { api, fake } = t;
    await rows(api);
    await filterBy(api, 'Failed', 5, 0);
    fake.resetRequests();
    const result = await vscode.commands.executeCommand<FindResult>(Command.findInAllBatches);
    // 2 failed were loaded; 20 more (a page's worth) means 11 pages of 20 in all: 10 more requests.
    assert.deepEqual(result, { end: 'enough', pages: 10, matches: 22, error: undefined });
    assert.deepEqual(
      listRequests(fake).map((r) => r.query.after),
      Array.from({ length: 10 }, (_, i) => fake.batches[20 * (i + 1) - 1].id),
    );
    assert.equal(api.store.batches.length, 220);
    const shown = (await batchRows(api)).map((r) => r.batchId);
    assert.deepEqual(shown, fake.batches.filter((_, i) => i < 220 && i % 10 === 9).map((b) => b.id));
  });

  it('Find in All Batches stops at the first page past the age limit', async () => {
    const { api, fake } = t;
    await rows(api);
    await filterBy(api, 'Failed', 5, 2);
    fake.resetRequests();
    const result = await vscode.commands.executeCommand<FindResult>(Command.findInAllBatches);
    // Pages 2..9 (indices 20..179): the ninth holds the first batch older than 7 days (index 168).
    assert.deepEqual(result, { end: 'ageLimit', pages: 8, matches: 16, error: undefined });
    assert.equal(listRequests(fake).length, 8);
    assert.equal((await batchRows(api)).length, 16);
  });
});
