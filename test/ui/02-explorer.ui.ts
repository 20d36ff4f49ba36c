// The explorer as a person uses it: status groups in the Batches view, a batch's tooltip on hover, its
// JSON on click, and List Batches from the command palette. These checks also take the README's pictures.
import * as assert from 'node:assert';
import { openBatchesView, runCommand, widenSideBar, screenshot, treeRows, UiCheck, until, waitForRow, waitForViewContent } from './helpers';

export const checks: UiCheck[] = [
  {
    name: 'the Batches view lists the demo batches grouped by status, with a tooltip on hover',
    async run({ page, fake }) {
      await openBatchesView(page);
      await waitForViewContent(page);
      await widenSideBar(page);
      const rows = await treeRows(page);
      const groups = ['Validating', 'In Progress', 'Finalizing', 'Cancelling', 'Completed', 'Failed', 'Expired', 'Cancelled'];
      const shown = groups.filter((g) => rows.some((r) => r.startsWith(g)));
      assert.ok(shown.length >= 4, `status groups shown: ${JSON.stringify(rows)}`);
      await page.mouse.move(1200, 700);
      const active = fake.batches.slice(0, 50).filter((b) => ['validating', 'in_progress', 'finalizing', 'cancelling'].includes(b.status)).length;
      const statusItem = page.locator('.statusbar-item', { hasText: `${active} active batches` });
      await statusItem.waitFor({ state: 'visible', timeout: 10_000 });
      // Nothing is loading and nothing changed: the icon is still (it moved while the page loaded).
      await until('the status-bar icon to be still', async () => (await statusItem.locator('.codicon-sync').count()) === 1 && (await statusItem.locator('.codicon-modifier-spin').count()) === 0, 10_000);
      await screenshot(page, 'batches-tree');
      const running = fake.batches.find((b) => b.status === 'in_progress')!;
      const row = await waitForRow(page, running.id);
      await row.hover();
      const hover = page.locator('.monaco-hover, .workbench-hover').first();
      await hover.waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await hover.innerText(), /Requests: /);
      await screenshot(page, 'batch-tooltip');
      await page.mouse.move(1200, 700);
    },
  },
  {
    name: 'clicking a batch opens its JSON in a read-only tab',
    async run({ page, fake }) {
      const running = fake.batches.find((b) => b.status === 'in_progress')!;
      await (await waitForRow(page, running.id)).click();
      const tab = page.locator(`.tabs-container .tab[aria-label^="${running.id}.json"]`);
      await tab.waitFor({ state: 'visible', timeout: 15_000 });
      const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
      await lines.waitFor({ state: 'visible' });
      await page.waitForFunction((el) => /"status"/.test(el?.textContent ?? ''), await lines.elementHandle(), { timeout: 15_000 });
      assert.match((await lines.textContent()) ?? '', /"status":\s*"in_progress"/);
    },
  },
  {
    name: 'List Batches searches the loaded batches from the command palette',
    async run({ page }) {
      await runCommand(page, 'OpenAI Batches: List Batches');
      const widget = page.locator('.quick-input-widget');
      await widget.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 15_000 });
      await page.keyboard.type('embeddings');
      const labels = () => widget.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      // The picker filters as it is typed into: wait until every row shown matches.
      await until('the picker to show only matching batches', async () => {
        const shown = await labels();
        return shown.some((l) => /embeddings/i.test(l)) && shown.every((l) => /embeddings|Load More/i.test(l));
      }, 10_000, async () => JSON.stringify(await labels()));
      await screenshot(page, 'list-batches');
      // Choosing one opens its JSON and shows it in the tree, selected.
      const chosen = /batch_\w+/.exec((await labels())[0])?.[0];
      assert.ok(chosen, JSON.stringify(await labels()));
      await page.keyboard.press('Enter');
      await page.locator(`.tabs-container .tab[aria-label^="${chosen}.json"]`).waitFor({ state: 'visible', timeout: 15_000 });
      const row = await waitForRow(page, chosen);
      await until('the chosen batch to be selected in the tree', async () => (await row.getAttribute('aria-selected')) === 'true', 10_000);
    },
  },
];
