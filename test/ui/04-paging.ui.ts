// Paging and refreshing as a person does it: clicking "Load More" grows the groups, and a group the user
// collapsed stays collapsed across Refresh (rows keep stable ids).
import * as assert from 'node:assert';
import { holds, openBatchesView, treeRows, UiCheck, until, waitForRow, waitForViewContent } from './helpers';

const count = (rows: string[], group: string) => Number(new RegExp(`^${group}, (\\d+) batch`).exec(rows.find((r) => r.startsWith(`${group},`)) ?? '')?.[1] ?? NaN);

export const checks: UiCheck[] = [
  {
    name: 'clicking "Load More" fetches the next page into the groups',
    async run({ page, fake }) {
      await openBatchesView(page);
      await waitForViewContent(page);
      const before = await treeRows(page);
      const completedBefore = count(before, 'Completed');
      const listCalls = () => fake.requests.filter((r) => r.path === '/v1/batches').length;
      const callsBefore = listCalls();
      await (await waitForRow(page, /^Load More$/)).click();
      await until('the Completed group to grow', async () => count(await treeRows(page), 'Completed') > completedBefore, 15_000, async () => JSON.stringify(await treeRows(page)));
      assert.strictEqual(listCalls(), callsBefore + 1, 'one request for one page');
      assert.ok(fake.requests.filter((r) => r.path === '/v1/batches').pop()?.query.after, 'the next page is asked for with a cursor');
    },
  },
  {
    name: 'a collapsed group stays collapsed across Refresh',
    async run({ page, fake }) {
      const expanded = async () => (await waitForRow(page, /^In Progress, /)).getAttribute('aria-expanded');
      await openBatchesView(page);
      if ((await expanded()) === 'true') await (await waitForRow(page, /^In Progress, /)).locator('.monaco-tl-twistie').click();
      await until('the In Progress group to collapse', async () => (await expanded()) === 'false', 5_000);
      const lists = () => fake.requests.filter((r) => r.path === '/v1/batches');
      // Refresh reloads as many pages as are loaded: those of the last walk from the first page.
      const walk = (all: typeof fake.requests) => all.length - all.map((r) => !r.query.after).lastIndexOf(true);
      const before = lists().length;
      const pages = walk(lists());
      await page.getByRole('button', { name: 'Refresh', exact: true }).filter({ visible: true }).first().click();
      await until(`Refresh to reload the ${pages} loaded page(s)`, () => lists().length - before >= pages, 15_000);
      await waitForViewContent(page);
      await holds('the In Progress group staying collapsed while the tree re-renders', async () => (await expanded()) === 'false', 1_500);
    },
  },
];
