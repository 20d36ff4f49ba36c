// Create Batch as a person does it: the view's "+" button with a downloaded output file open, and the
// Explorer's context menu on a request file, typing a description and taking the other defaults; and a
// request file's problems in the Problems panel while it is edited.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { chooseMenuItem, openBatchesView, quickInputRows, quickInputTitle, runCommand, screenshot, UiCheck, until, QUICK_INPUT } from './helpers';

const chat = (id: string) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Say ${id}.` }] } });
const outputLine = (id: string) => JSON.stringify({ id: `batch_req_${id}`, custom_id: id, response: { status_code: 200, request_id: `req_${id}`, body: { choices: [] } }, error: null });


/** The Explorer's row for `name`, once the Explorer shows it. */
async function explorerRow(page: Page, name: string) {
  // The activity bar's Explorer item (a click on it while it shows would close the side bar).
  if (!(await page.locator('.explorer-folders-view').isVisible())) await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  // A file written just now shows once the file watcher reports it; until then, Refresh Explorer.
  await until(`${name} in the Explorer`, async () => {
    if (await row.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) return true;
    // The title's actions show while the pointer is over the view.
    await page.locator('.explorer-folders-view').hover();
    await page.locator('.part.sidebar .action-label[aria-label^="Refresh Explorer"]').first().click({ timeout: 2_000 }).catch(() => undefined);
    return false;
  }, 20_000);
  return row;
}

export const checks: UiCheck[] = [
  {
    name: 'Create Batch: "+" shows the chooser even with an output file open, and never offers the output file',
    async run({ page, workspace, fake }) {
      fs.writeFileSync(path.join(workspace, 'results_output.jsonl'), [outputLine('a'), outputLine('b')].join('\n') + '\n');
      fs.writeFileSync(path.join(workspace, 'requests.jsonl'), [chat('a'), chat('b'), chat('c')].join('\n') + '\n');
      await (await explorerRow(page, 'results_output.jsonl')).click();
      await page.locator('.tabs-container .tab', { hasText: 'results_output.jsonl' }).waitFor({ state: 'visible', timeout: 15_000 });
      const posts = fake.requests.filter((r) => r.method === 'POST').length;

      await openBatchesView(page);
      // The view's title actions, shown in the side bar's title (the container has this one view).
      await page.locator('.part.sidebar .action-label[aria-label^="Create Batch from JSONL"]').filter({ visible: true }).first().click();
      const rows = (await quickInputRows(page)).map((r) => r.label);
      assert.match(await quickInputTitle(page), /Create Batch from JSONL/);
      assert.ok(!rows.some((r) => r.includes('results_output.jsonl')), `the output file is not offered: ${JSON.stringify(rows)}`);
      assert.ok(rows.some((r) => r.includes('requests.jsonl')), `the request file is: ${JSON.stringify(rows)}`);
      const focused = await page.locator(`${QUICK_INPUT} .monaco-list-row.focused`).getAttribute('aria-label');
      assert.match(focused ?? '', /Browse…/, 'with an output file active, nothing but Browse… is pre-selected');
      await screenshot(page, 'create-batch-chooser');
      await page.keyboard.press('Escape');
      await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 10_000 });
      assert.equal(fake.requests.filter((r) => r.method === 'POST').length, posts, 'nothing sent');
    },
  },
  {
    name: 'Create Batch from the Explorer: right-click, type a description, take the defaults, confirm',
    timeoutMs: 90_000,
    async run({ page, workspace, fake }) {
      const file = path.join(workspace, 'requests.jsonl');
      if (!fs.existsSync(file)) fs.writeFileSync(file, [chat('a'), chat('b'), chat('c')].join('\n') + '\n');
      const before = fake.batches.length;
      await (await explorerRow(page, 'requests.jsonl')).click({ button: 'right' });
      await chooseMenuItem(page, 'Create Batch from JSONL…');

      const input = page.locator(`${QUICK_INPUT} input`);
      await until('the description, pre-filled with the file name', async () => (await input.isVisible()) && (await input.inputValue()) === 'requests.jsonl');
      await input.press('Control+a');
      await page.keyboard.type('Nightly eval from the UI');
      await until('the typed description', async () => (await input.inputValue()) === 'Nightly eval from the UI');
      await page.keyboard.press('Enter');
      for (const placeholder of [/Delete the output and error files after/, /Delete the uploaded input file after/]) {
        await until(`the step "${placeholder.source}"`, async () => placeholder.test((await input.getAttribute('placeholder')) ?? ''));
        await quickInputRows(page);
        await page.keyboard.press('Enter');
      }
      const confirm = await until('the confirmation', async () => ((await quickInputTitle(page).catch(() => '')).includes('before you pay') ? (await quickInputRows(page)).map((r) => r.label) : undefined));
      assert.match(confirm[0], /^(check\s+)?Create Batch\b/, 'Create first, pre-selected');
      assert.ok(confirm.some((r) => /requests\.jsonl/.test(r) && /3 requests/.test(r) && /input tokens/.test(r)), JSON.stringify(confirm));
      await screenshot(page, 'create-batch-confirm');
      await page.keyboard.press('Enter');

      await until('the batch to reach the API', () => fake.batches.length === before + 1, 20_000);
      const sent = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/batches').at(-1);
      assert.deepStrictEqual((sent?.body as { metadata?: unknown }).metadata, { description: 'Nightly eval from the UI' });
      assert.deepStrictEqual(fake.batches[0].metadata, { description: 'Nightly eval from the UI' });
      // The flow ends by revealing the batch and saying so: wait for that, so it takes no focus from the next check.
      const toast = page.locator('.notification-toast', { hasText: `Created ${fake.batches[0].id}` });
      await toast.waitFor({ state: 'visible', timeout: 15_000 });
      await runCommand(page, 'Notifications: Clear All Notifications');
      await toast.waitFor({ state: 'hidden', timeout: 10_000 });
    },
  },
  {
    name: "a request file's problems are in the Problems panel while it is open, and go once the line is fixed and saved",
    async run({ page, workspace }) {
      const file = path.join(workspace, 'duplicates.jsonl');
      fs.writeFileSync(file, [chat('a'), chat('a'), chat('c')].join('\n') + '\n');
      await (await explorerRow(page, 'duplicates.jsonl')).click();
      const tab = page.locator('.tabs-container .tab', { hasText: 'duplicates.jsonl' });
      await tab.waitFor({ state: 'visible', timeout: 15_000 });
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      const problems = page.locator('.markers-panel .monaco-list-row');
      const duplicate = problems.filter({ hasText: '"custom_id" "a" is already used on line 1' });
      await duplicate.first().waitFor({ state: 'visible', timeout: 15_000 });
      assert.match((await duplicate.first().textContent()) ?? '', /Ln 2, Col 1/, 'on line 2');
      await screenshot(page, 'live-diagnostics');

      // The fix, typed as a person would: line 2 deleted in the editor, then saved.
      await tab.click();
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+G');
      await page.keyboard.type('2');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+Shift+K');
      await page.keyboard.press('Control+S');
      await until('the saved fix', () => fs.readFileSync(file, 'utf8') === [chat('a'), chat('c')].join('\n') + '\n', 15_000);
      await until('the problem to go', async () => (await duplicate.count()) === 0, 15_000);
      assert.equal(await problems.filter({ hasText: 'duplicates.jsonl' }).count(), 0, 'nothing left for the file');
      await runCommand(page, 'View: Close All Editors');
    },
  },
];
