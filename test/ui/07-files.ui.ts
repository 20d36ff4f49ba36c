// A batch's files as a person meets them: rows that say each file's name, size and age; a file too large
// for a tab warns on its row, and clicking it offers its first lines, a download or a larger limit in a
// notification that stays; the first lines open in a read-only tab that says what it is; a download
// offers Open and Reveal in Explorer View (this is browser-based VS Code: the OS file manager is out of reach).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { formatBytes } from '../../src/core/format';
import { contextMenu, openBatchesView, runCommand, screenshot, treeRows, UiCheck, until, waitForRow, waitForViewContent, widenSideBar } from './helpers';

const MB = 1024 * 1024;

/** The notification toast that says `text`, and the labels of its buttons. */
async function toast(page: Page, text: string | RegExp) {
  const toast = page.locator('.notification-toast', { hasText: text });
  await toast.waitFor({ state: 'visible', timeout: 15_000 });
  const buttons = (await toast.locator('.monaco-button').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  return { toast, buttons };
}

/** Opens the view, the Completed group and the batch, so its file rows show. */
async function showFiles(page: Page, batchId: string): Promise<void> {
  await openBatchesView(page);
  await waitForViewContent(page);
  const group = await waitForRow(page, /^Completed, /);
  if ((await group.getAttribute('aria-expanded')) === 'false') await group.locator('.monaco-tl-twistie').click();
  const batchRow = await waitForRow(page, batchId);
  if ((await batchRow.getAttribute('aria-expanded')) === 'false') await batchRow.locator('.monaco-tl-twistie').click();
}

export const checks: UiCheck[] = [
  {
    name: 'file rows say name, size and age; a large file offers its first lines, a download or a larger limit; a download offers Open and Reveal in Explorer View',
    timeoutMs: 150_000,
    async run({ page, fake, workspace }) {
      // The demo account has a completed batch whose output file is above the 50 MB limit.
      const limit = 50 * MB;
      const big = fake.batches.slice(0, 50).find((b) => b.output_file_id && (fake.files.get(b.output_file_id)?.meta.bytes ?? 0) > limit)!;
      assert.ok(big, 'the demo data has a large output file on the first page');
      const meta = fake.files.get(big.output_file_id!)!.meta;
      const name = meta.filename;
      const size = formatBytes(meta.bytes);

      await runCommand(page, 'View: Close All Editors');
      await showFiles(page, big.id);
      const output = await waitForRow(page, new RegExp(`^Output File, ${size} \\(over 50 MB\\), .+ ago, ${name}, too large to open in a tab$`));
      const input = await waitForRow(page, /^Input File, [\d.]+ [KM]?B, .+ ago, [^,]+\.jsonl$/);
      assert.ok(await input.isVisible());
      await waitForRow(page, /^Error File, [\d.]+ [KM]?B, .+ ago, [^,]+\.jsonl$/);
      await widenSideBar(page);
      assert.equal(await output.locator('.codicon-warning').count(), 1, 'a warning icon on the large file');
      await screenshot(page, 'file-rows');

      // Clicking the large file: a notification with the three ways on, which stays until answered.
      await output.click();
      const offer = await toast(page, `${name} is ${size}, above the 50 MB limit for editor tabs.`);
      assert.deepEqual(offer.buttons, ['Open First Lines', 'Download…', 'Change Limit']);
      await page.locator('.notification-toast', { hasText: 'Opening the output file' }).waitFor({ state: 'hidden', timeout: 10_000 });
      await screenshot(page, 'large-file');
      const contentBefore = fake.requests.filter((r) => r.path.endsWith(`${meta.id}/content`)).length;
      await offer.toast.locator('.monaco-button', { hasText: /^Open First Lines$/ }).click();
      const tab = page.locator(`.tabs-container .tab[aria-label^="${big.id}_output (first 1,000 lines of ${size}).jsonl"]`);
      await tab.waitFor({ state: 'visible', timeout: 20_000 });
      const reads = fake.requests.filter((r) => r.path.endsWith(`${meta.id}/content`));
      assert.equal(reads.length, contentBefore + 1);
      assert.equal(reads[reads.length - 1].status, undefined, 'the transfer was stopped once the lines were in');
      await screenshot(page, 'first-lines');

      // Change Limit opens the setting itself.
      await output.click();
      const again = await toast(page, `${name} is ${size}, above the 50 MB limit for editor tabs.`);
      await again.toast.locator('.monaco-button', { hasText: /^Change Limit$/ }).click();
      await page.locator('.settings-editor .setting-item-contents', { hasText: 'Large File Threshold MB' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      await page.keyboard.press('Control+W');

      // The same choices on the row itself, and Download File… from there.
      await contextMenu(page, output, 'Download File…');
      const dialog = page.locator('.quick-input-widget');
      const pathInput = dialog.locator('input');
      await until('the save dialog to propose a name', async () => (await pathInput.isVisible()) && (await pathInput.inputValue()).endsWith(`${big.id}_output.jsonl`), 15_000);
      await page.keyboard.press('Enter');
      const saved = await toast(page, `Saved ${big.id}_output.jsonl (${size}).`);
      assert.deepEqual(saved.buttons, ['Open', 'Reveal in Explorer View']);
      const file = path.join(workspace, `${big.id}_output.jsonl`);
      try {
        assert.equal(fs.statSync(file).size, meta.bytes);
        await saved.toast.locator('.monaco-button', { hasText: /^Reveal in Explorer View$/ }).click();
        const explorerRow = page.locator(`[id="workbench.view.explorer"] .monaco-list-row[aria-label^="${big.id}_output.jsonl"]`);
        await explorerRow.waitFor({ state: 'visible', timeout: 15_000 });
        await until('the file to be selected in the Explorer', async () => (await explorerRow.getAttribute('aria-selected')) === 'true', 10_000);
      } finally {
        fs.rmSync(file, { force: true });
        await page.keyboard.press('Escape');
      }
    },
  },
  {
    name: "a large file's row menu offers Open, Open First Lines, Download File… and Copy File ID",
    async run({ page, fake }) {
      const big = fake.batches.slice(0, 50).find((b) => b.output_file_id && (fake.files.get(b.output_file_id)?.meta.bytes ?? 0) > 50 * MB)!;
      await showFiles(page, big.id);
      const output = await waitForRow(page, new RegExp(`^Output File, .*, ${fake.files.get(big.output_file_id!)!.meta.filename}, `));
      await output.click({ button: 'right' });
      const menu = page.locator('.context-view .monaco-menu');
      await menu.waitFor({ state: 'visible', timeout: 10_000 });
      const items = (await menu.getByRole('menuitem').allInnerTexts()).map((t) => t.trim().split('\n')[0]);
      for (const expected of ['Open Output File', 'Open First Lines', 'Download File…', 'Copy File ID']) assert.ok(items.includes(expected), `${expected} in ${JSON.stringify(items)}`);
      await page.keyboard.press('Escape');
      assert.ok((await treeRows(page)).length > 0);
    },
  },
];
