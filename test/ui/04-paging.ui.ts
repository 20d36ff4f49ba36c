// Paging and refreshing as a person does it: clicking "Load more…" grows the groups, and a group the user
// collapsed stays collapsed across Refresh (rows keep stable ids).
import * as assert from 'node:assert';
import { openBatchesView, treeRows, UiCheck, waitForRow, waitForViewContent } from './helpers';

const count = (rows: string[], group: string) => Number(new RegExp(`^${group}, (\\d+) batch`).exec(rows.find((r) => r.startsWith(`${group},`)) ?? '')?.[1] ?? NaN);

export const checks: UiCheck[] = [
  {
    name: 'clicking "Load more…" fetches the next page into the groups',
    async run({ page, fake }) {
      await openBatchesView(page);
      await waitForViewContent(page);
      const before = await treeRows(page);
      const completedBefore = count(before, 'Completed');
      const listCalls = () => fake.requests.filter((r) => r.path === '/v1/batches').length;
      const callsBefore = listCalls();
      await (await waitForRow(page, /^Load more…$/)).click();
      const deadline = Date.now() + 15_000;
      while (count(await treeRows(page), 'Completed') === completedBefore) {
        if (Date.now() > deadline) assert.fail(`the Completed group did not grow: ${JSON.stringify(await treeRows(page))}`);
        await page.waitForTimeout(100);
      }
      assert.strictEqual(listCalls(), callsBefore + 1, 'one request for one page');
      assert.ok(fake.requests.filter((r) => r.path === '/v1/batches').pop()?.query.after, 'the next page is asked for with a cursor');
    },
  },
  {
    name: 'a collapsed group stays collapsed across Refresh',
    async run({ page, fake }) {
      const expanded = async () => (await waitForRow(page, /^In Progress, /)).getAttribute('aria-expanded');
      if ((await expanded()) === 'true') await (await waitForRow(page, /^In Progress, /)).locator('.monaco-tl-twistie').click();
      for (let i = 0; (await expanded()) !== 'false'; i++) {
        if (i > 50) assert.fail('the group did not collapse');
        await page.waitForTimeout(100);
      }
      const refreshesBefore = fake.requests.filter((r) => r.path === '/v1/batches' && !r.query.after).length;
      await page.getByRole('button', { name: 'Refresh', exact: true }).filter({ visible: true }).first().click();
      const deadline = Date.now() + 15_000;
      while (fake.requests.filter((r) => r.path === '/v1/batches' && !r.query.after).length === refreshesBefore) {
        if (Date.now() > deadline) assert.fail('Refresh did not reload the first page');
        await page.waitForTimeout(100);
      }
      await page.waitForTimeout(500);
      assert.strictEqual(await expanded(), 'false');
    },
  },
];
