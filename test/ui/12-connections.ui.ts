// Two accounts side by side, as a person sets them up: Add Connection… from the palette (provider, name,
// URL, sign-in, key), the view then showing one root per connection with its own groups, and Remove Connection
// bringing the single-connection view back. Takes the README's pictures of the view with two connections.
import * as assert from 'node:assert';
import type { Page } from 'playwright-core';
import { FakeOpenAI } from '../fake-openai/server';
import {
  expandRow,
  openBatchesView,
  QUICK_INPUT,
  quickInputRows,
  quickInputTitle,
  runCommand,
  runCommandWhenListed,
  screenshot,
  setColorTheme,
  settleWorkbench,
  treeRows,
  UiCheck,
  until,
  waitForRow,
  waitForViewContent,
  widenSideBar,
} from './helpers';

const AZURE_KEY = 'azure-ui-key-0123456789abcdef';
const GROUP = /^(Validating|In Progress|Finalizing|Cancelling|Completed|Failed|Expired|Cancelled), \d+ batch/;

/**
 * Types `text` into the quick input's box once its prompt (the message under the box) starts as `prompt`
 * says, then Enter. Matched on the prompt alone: the step before may still be on screen, and its words
 * (the URL step names the API version) must not pass for this one's.
 */
async function answerInput(page: Page, prompt: RegExp, text: string): Promise<void> {
  const widget = page.locator(QUICK_INPUT);
  const message = widget.locator('.quick-input-message');
  await until(`the step that asks ${prompt}`, async () => prompt.test(((await message.innerText().catch(() => '')) ?? '').trim()), 30_000, async () => (await message.innerText().catch(() => '')) ?? '');
  const input = widget.locator('input.input').first();
  await input.fill(text);
  await until('the typed text', async () => (await input.inputValue()) === text);
  await page.keyboard.press('Enter');
}

/** A connection's root row, whatever its running count says as it changes. */
function connectionRow(page: Page, name: string) {
  return page.locator(`[id="workbench.view.extension.openaiBatches"] .monaco-list-row[aria-label^="Connection ${name},"]`).first();
}

export const checks: UiCheck[] = [
  {
    name: 'Connections: Add Connection… puts an Azure OpenAI account beside the default one, each a root with its own batches; Remove Connection takes it away',
    timeoutMs: 150_000,
    async run({ page }) {
      const azure = await FakeOpenAI.start({ count: 14, seed: 1207, mode: 'azure', apiKey: AZURE_KEY });
      try {
        await settleWorkbench(page);
        await openBatchesView(page);
        await waitForViewContent(page);
        await widenSideBar(page, 640);
        assert.ok(!(await treeRows(page)).some((r) => r.startsWith('Connection ')), 'one connection: no connection roots');

        await runCommandWhenListed(page, 'OpenAI Batches: Add Connection…');
        await until('the Add Connection wizard', async () => (await quickInputTitle(page)).startsWith('Add Connection'));
        const providers = await quickInputRows(page);
        assert.deepEqual(providers.map((r) => r.label.split(/,| — /)[0].trim()).slice(0, 3), ['OpenAI', 'Azure OpenAI', 'OpenAI-compatible']);
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await answerInput(page, /^A name for the connection/, 'Work');
        await answerInput(page, /^The resource's endpoint/, azure.origin);
        await answerInput(page, /^An API version for the older/, '');
        // Azure's sign-in: the key (first) or the Microsoft account in VS Code.
        await until('the sign-in pick', async () => /Sign in with Microsoft/.test((await page.locator(QUICK_INPUT).innerText().catch(() => '')) ?? ''));
        assert.deepEqual((await quickInputRows(page)).map((r) => r.label.split(/,| — /)[0].trim()), ['API Key', 'Sign in with Microsoft']);
        await page.keyboard.press('Enter');
        await answerInput(page, /^The connection's API key/, AZURE_KEY);
        await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 30_000 });

        // Both connections as roots; Work's batches load under its own root.
        await waitForRow(page, /^Connection Work, Azure OpenAI/);
        await waitForRow(page, /^Connection Default, OpenAI, .*in use/);
        const work = connectionRow(page, 'Work');
        assert.ok(
          azure.requests.every((r) => r.headers['api-key'] === AZURE_KEY && r.headers.authorization === undefined),
          'the Azure server got its own key, in its own header',
        );
        const home = connectionRow(page, 'Default');
        // The default account's groups folded away, so Work's are in view.
        if ((await home.getAttribute('aria-expanded')) === 'true') await home.locator('.monaco-tl-twistie').click();
        await expandRow(work);
        const groups = await until(
          "Work's groups",
          async () => {
            const rows = await treeRows(page);
            const below = rows.slice(rows.findIndex((r) => r.startsWith('Connection Work')) + 1).filter((r) => GROUP.test(r));
            return below.length > 0 ? below : undefined;
          },
          30_000,
          async () => JSON.stringify(await treeRows(page)),
        );
        const statuses = new Set(azure.batches.slice(0, 14).map((b) => b.status));
        assert.ok(groups.length <= statuses.size, `Work's groups are its own batches' statuses: ${JSON.stringify(groups)}`);
        // List Batches searches both connections' batches, each under its connection's name; a Work batch opens from Work.
        const workBatch = azure.batches[0].id;
        await runCommandWhenListed(page, 'OpenAI Batches: List Batches');
        // A row under a separator carries the separator's label at the end of its own.
        const listed = await quickInputRows(page);
        assert.match(listed[0].label, /, Default$/, `the Default connection's batches first, under its name: ${listed[0].label}`);
        await page.keyboard.type(workBatch);
        const found = await until(
          'the Work batch, alone',
          async () => {
            const now = (await quickInputRows(page)).filter((r) => !r.label.includes('Load More'));
            return now.length === 1 ? now[0] : undefined;
          },
          30_000,
          async () => JSON.stringify((await quickInputRows(page)).slice(0, 4)),
        );
        assert.ok(found.label.includes(`${workBatch}, Work · `), `it says its connection: ${found.label}`);
        await page.keyboard.press('Enter');
        await page.locator('.tabs-container .tab.active', { hasText: `${workBatch} · Work.json` }).waitFor({ state: 'visible', timeout: 30_000 });
        await runCommand(page, 'View: Close All Editors');
        await runCommand(page, 'Notifications: Clear All Notifications');
        await page.mouse.move(1200, 700);
        for (const [theme, name] of [
          ['Light Modern', 'connections-light'],
          ['Dark Modern', 'connections-dark'],
        ] as const) {
          await setColorTheme(page, theme);
          await page.mouse.move(1200, 700);
          await screenshot(page, name);
        }

        // Remove Connection, confirmed in its dialog: one connection again, its rows at the root.
        await runCommandWhenListed(page, 'OpenAI Batches: Remove Connection');
        await until('the connection pick', async () => (await quickInputTitle(page)).startsWith('Remove Connection'));
        const offered = await quickInputRows(page);
        assert.deepEqual(offered.map((r) => r.label.split(/,| — /)[0].trim()), ['Work'], 'never the Default connection');
        await page.keyboard.press('Enter');
        const remove = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Remove$/ });
        await remove.waitFor({ state: 'visible', timeout: 30_000 });
        await remove.hover();
        await remove.click();
        await until('the connection roots to go', async () => !(await treeRows(page)).some((r) => r.startsWith('Connection ')), 30_000, async () => JSON.stringify(await treeRows(page)));
        await until("the default account's groups at the root", async () => (await treeRows(page)).some((r) => GROUP.test(r)));
      } finally {
        await settleWorkbench(page).catch(() => undefined);
        await azure.close();
      }
    },
  },
];
