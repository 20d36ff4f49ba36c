// Cancel Batch as a person does it: right-click a running batch, choose Cancel Batch, confirm in the modal
// dialog whose button says "Cancel Batch"; the batch moves to the Cancelling group, shown selected there.
import * as assert from 'node:assert';
import { contextMenu, openBatchesView, screenshot, treeRows, UiCheck, until, waitForRow, waitForViewContent } from './helpers';

export const checks: UiCheck[] = [
  {
    name: 'Cancel Batch from the context menu asks for confirmation, then moves the batch to Cancelling',
    async run({ page, fake }) {
      await openBatchesView(page);
      await waitForViewContent(page);
      const running = fake.batches.find((b) => b.status === 'in_progress')!;
      const cancellingBefore = (await treeRows(page)).find((r) => r.startsWith('Cancelling'));
      await contextMenu(page, await waitForRow(page, running.id), 'Cancel Batch');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await dialog.innerText(), new RegExp(`Cancel ${running.id}\\?`));
      assert.deepEqual((await dialog.locator('.monaco-button').allInnerTexts()).map((t) => t.trim()).sort(), ['Cancel Batch', 'Keep Running']);
      await screenshot(page, 'cancel-batch');
      await dialog.locator('.monaco-button', { hasText: /^Cancel Batch$/ }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
      await until('the cancel request to reach the API', () => fake.batches.find((b) => b.id === running.id)!.status === 'cancelling', 15_000);
      const before = Number(/^Cancelling, (\d+)/.exec(cancellingBefore ?? '')?.[1] ?? 0);
      const group = await waitForRow(page, new RegExp(`^Cancelling, ${before + 1} batch(es)? `));
      assert.equal(await group.getAttribute('aria-expanded'), 'true');
      const row = await waitForRow(page, running.id);
      await until('the cancelled batch to be selected where it went', async () => (await row.getAttribute('aria-selected')) === 'true', 10_000);
      // Under Cancelling: the nearest group row above it.
      const rows = await treeRows(page);
      const above = rows.slice(0, rows.findIndex((r) => r.startsWith(running.id))).filter((r) => /^[A-Z][a-z]+( [A-Z][a-z]+)?, \d/.test(r));
      assert.match(above[above.length - 1], /^Cancelling, /);
    },
  },
];
