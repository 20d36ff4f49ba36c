// A server that is down, as a person meets it: the view says so once, on one row, in one plain sentence,
// with Retry and Open Settings on that row; no notification on top, not after Refresh either.
import * as assert from 'node:assert';
import type { Page } from 'playwright-core';
import { FakeOpenAI } from '../fake-openai/server';
import { holds, openBatchesView, runCommand, screenshot, treeRows, UiCheck, until, waitForRow, waitForViewContent, widenSideBar } from './helpers';

/** Types `value` into the Base URL setting in the Settings editor, as a person would, and closes it. */
async function setBaseURL(page: Page, value: string): Promise<void> {
  await runCommand(page, 'Preferences: Open User Settings');
  const search = page.locator('.settings-editor .search-container .monaco-editor').first();
  await search.waitFor({ state: 'visible', timeout: 15_000 });
  await search.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('openaiBatches.baseURL');
  const input = page.locator('.settings-editor .setting-item-contents', { hasText: 'Base URL' }).first().locator('input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(value);
  await input.press('Enter');
  await page.keyboard.press('Control+W');
}

export const checks: UiCheck[] = [
  {
    name: 'an unreachable API is one row with one sentence, Retry and Open Settings, and no notification',
    timeoutMs: 90_000,
    async run({ page }) {
      const gone = await FakeOpenAI.start({ count: 1 });
      const deadUrl = gone.baseUrl;
      await gone.close(); // nothing listens on its port now
      const host = new URL(deadUrl).host;
      await runCommand(page, 'View: Close All Editors');
      // The user points the extension at it in the Settings editor.
      await setBaseURL(page, deadUrl);
      const toasts = page.locator('.notification-toast');
      try {
        await openBatchesView(page);
        const sentence = `Can't reach the API at ${host} (connection refused)`;
        const row = await waitForRow(page, sentence, 30_000);
        await waitForViewContent(page);
        const shown = await treeRows(page);
        assert.deepEqual(shown, [sentence], `one row, the sentence alone: ${JSON.stringify(shown)}`);
        await holds('no notification besides the row', async () => (await toasts.count()) === 0, 1_500);

        // Refresh from the view title fails the same way: still one place.
        await page.getByRole('button', { name: 'Refresh', exact: true }).filter({ visible: true }).first().click();
        // Its retries take a second or two, under the view's progress bar; a notification would follow it.
        await until('the refresh to start', async () => (await page.locator('.part.sidebar .monaco-progress-container.active').count()) > 0, 10_000);
        await waitForViewContent(page);
        await holds('no notification after Refresh either', async () => (await toasts.count()) === 0, 1_500);

        await widenSideBar(page);
        await row.hover();
        await page.locator('.workbench-hover, .monaco-hover', { hasText: /^Refresh$/ }).waitFor({ state: 'hidden', timeout: 5_000 });
        const inline = row.locator('.actions .action-label');
        await until('the row actions', async () => (await inline.count()) >= 2, 5_000);
        const labels = await inline.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
        assert.deepEqual(labels, ['Retry', 'Open Settings']);
        await screenshot(page, 'unreachable');
        await row.locator('.action-label[aria-label="Open Settings"]').click();
        const input = page.locator('.settings-editor .setting-item-contents', { hasText: 'Base URL' }).first().locator('input');
        await until('the Settings editor on the base URL', async () => (await input.isVisible()) && (await input.inputValue()) === deadUrl, 15_000);
      } finally {
        await setBaseURL(page, '');
      }
      // Back on the working endpoint, the batches return.
      await openBatchesView(page);
      await waitForRow(page, /^(Validating|In Progress|Completed), /, 30_000);
    },
  },
];
