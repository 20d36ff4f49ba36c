// Retry as a person uses it: Retry Failed Requests… from the palette (the outcome pick, then Create Batch),
// from a batch's context menu with Review First and the file's CodeLens, the Retries row that follows a
// batch through its retries, and Retry and Combined in the Results view. These checks also take the
// README's pictures of the flow.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { type PlannedFate, type ResultsFixture } from '../support/resultsFixture';
import { finishFakeBatch } from '../support/retryScenario';
import { contextMenu, expandRow, openBatchesView, quickInputRows, quickInputTitle, resultsPage, runCommand, screenshot, serveResultsFixture, treeRows, UiCheck, UiContext, until, waitForRow, QUICK_INPUT } from './helpers';

const WAIT_MS = 20_000;
const BATCH_ID = 'batch_retry_ui_demo';
/** The batch's own row, labelled by its description with its id last (its retries' rows name it too, but not last). */
const OWN_ROW = new RegExp(`, ${BATCH_ID}$`);

let fixture: ResultsFixture | undefined;

/** A finished batch with every outcome, added to the fake once and loaded into the tree. */
async function ensureFixture(ctx: UiContext): Promise<ResultsFixture> {
  fixture ??= await serveResultsFixture(ctx, {
    id: BATCH_ID,
    status: 'completed',
    description: 'nightly eval',
    fates: { succeeded: 40, context_length: 4, server_error: 3, rate_limited: 2, expired: 5, cancelled: 3, missing: 2 },
  });
  return fixture;
}

/** The input lines whose fate `keep` accepts, as the retry file must hold them. */
function linesOf(f: ResultsFixture, keep: (fate: PlannedFate) => boolean): string {
  const fates = new Map(f.plan);
  return (f.files[0].content as string)
    .split('\n')
    .filter((line) => line !== '' && keep(fates.get((JSON.parse(line) as { custom_id: string }).custom_id)!))
    .map((line) => `${line}\n`)
    .join('');
}

const notSucceeded = (fate: PlannedFate) => fate !== 'succeeded' && fate !== 'length';

/** The batch the fake created last, once it has one more than `before`. */
async function createdBatch(ctx: UiContext, before: number) {
  await until('the retry to reach the API', () => ctx.fake.batches.length === before + 1, WAIT_MS);
  const batch = ctx.fake.batches[0];
  const upload = ctx.fake.files.get(batch.input_file_id!);
  return { batch, content: upload?.content };
}

/** Waits for the "Created …" notification, then clears it, so it takes no focus from what follows. */
async function dismissCreated(page: Page, id: string): Promise<void> {
  const toast = page.locator('.notification-toast', { hasText: `Created ${id}` });
  await toast.waitFor({ state: 'visible', timeout: WAIT_MS });
  await runCommand(page, 'Notifications: Clear All Notifications');
  await toast.waitFor({ state: 'hidden', timeout: WAIT_MS });
}

export const checks: UiCheck[] = [
  {
    name: 'Retry: from the palette, the outcome pick has every outcome that did not succeed checked, with counts and error codes; unchecking one leaves it out of what Create Batch sends',
    timeoutMs: 120_000,
    async run(ctx) {
      const { page } = ctx;
      const f = await ensureFixture(ctx);
      await runCommand(page, 'OpenAI Batches: Retry Failed Requests…');
      const widget = page.locator(QUICK_INPUT);
      await widget.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: WAIT_MS });
      await page.keyboard.type(BATCH_ID);
      await widget.locator('.monaco-list-row', { hasText: BATCH_ID }).first().waitFor({ state: 'visible', timeout: WAIT_MS });
      await page.keyboard.press('Enter');

      await until('the outcome pick', async () => (await quickInputTitle(page).catch(() => '')).startsWith(`Retry Failed Requests of ${BATCH_ID}`), 60_000);
      const rows = await quickInputRows(page);
      const labels = rows.map((r) => r.label);
      for (const [name, count] of [
        ['Failed', '9 requests'],
        ['context_length_exceeded', '4'],
        ['HTTP 500', '3'],
        ['rate_limit_exceeded', '2'],
        ['Expired', '5 requests'],
        ['Cancelled', '3 requests'],
        ['Missing', '2 requests'],
      ]) {
        assert.ok(labels.some((l) => l.includes(name) && l.includes(count)), `${name} with ${count}: ${JSON.stringify(labels)}`);
      }
      assert.ok(!labels.some((l) => /Succeeded/.test(l)), 'what succeeded is not offered');
      assert.ok(rows.every((r) => r.checked === 'true'), `everything that did not succeed is checked: ${JSON.stringify(rows)}`);
      await screenshot(page, 'retry-outcomes');

      const cancelled = widget.locator('.monaco-list-row', { hasText: 'Cancelled' }).first();
      await cancelled.locator('label.quick-input-list-label').click();
      await until('Cancelled to be unchecked', async () => (await cancelled.getAttribute('aria-checked')) === 'false');
      await widget.locator('input.input').first().focus();
      const before = ctx.fake.batches.length;
      await page.keyboard.press('Enter');

      const requests = f.plan.filter(([, fate]) => notSucceeded(fate) && fate !== 'cancelled').length;
      await until('Create or Review', async () => (await quickInputTitle(page).catch(() => '')).startsWith(`Retry ${requests} requests of ${BATCH_ID}`), 60_000);
      const choice = await quickInputRows(page);
      assert.match(choice[0].label, /Create Batch/);
      assert.match(choice[0].label, new RegExp(`described "Retry of nightly eval: ${requests} requests"`));
      assert.match(choice[1].label, /Review First/);
      await screenshot(page, 'retry-create-or-review');
      await page.keyboard.press('Enter');

      const { batch, content } = await createdBatch(ctx, before);
      assert.equal(content, linesOf(f, (fate) => notSucceeded(fate) && fate !== 'cancelled'), 'the original lines, Cancelled left out');
      assert.deepStrictEqual(batch.metadata, { retry_of: BATCH_ID, description: `Retry of nightly eval: ${requests} requests` });
      await dismissCreated(page, batch.id);
    },
  },
  {
    name: 'Retry: from the batch row, Review First saves the lines in the workspace and opens them; the CodeLens creates the retry, which the Retries row under the batch lists',
    timeoutMs: 150_000,
    async run(ctx) {
      const { page, workspace } = ctx;
      const f = await ensureFixture(ctx);
      await openBatchesView(page);
      await expandRow(await waitForRow(page, /^Completed\b/));
      await contextMenu(page, await waitForRow(page, OWN_ROW), 'Retry Failed Requests…');
      await until('the outcome pick', async () => (await quickInputTitle(page).catch(() => '')).startsWith(`Retry Failed Requests of ${BATCH_ID}`), 60_000);
      await quickInputRows(page);
      await page.keyboard.press('Enter');
      const requests = f.plan.filter(([, fate]) => notSucceeded(fate)).length;
      await until('Create or Review', async () => (await quickInputTitle(page).catch(() => '')).startsWith(`Retry ${requests} requests`), 60_000);
      await quickInputRows(page);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');

      // The save dialog (VS Code's own, in the browser) proposes the workspace folder.
      const target = path.join(workspace, `${BATCH_ID}_retry.jsonl`);
      const input = page.locator(`${QUICK_INPUT} input`).first();
      await until('the save dialog', async () => (await input.inputValue()).endsWith(`${BATCH_ID}_retry.jsonl`), WAIT_MS);
      await page.keyboard.press('Enter');
      await until(`${target} on disk`, () => fs.existsSync(target), WAIT_MS);
      assert.equal(fs.readFileSync(target, 'utf8'), linesOf(f, notSucceeded));
      await page.locator(`.tabs-container .tab[aria-label^="${BATCH_ID}_retry.jsonl"]`).waitFor({ state: 'visible', timeout: WAIT_MS });
      const lens = page.locator('.codelens-decoration a', { hasText: `Create Batch from This File (a retry of ${BATCH_ID})` });
      await lens.waitFor({ state: 'visible', timeout: WAIT_MS });

      const before = ctx.fake.batches.length;
      await lens.click();
      const description = page.locator(`${QUICK_INPUT} input`).first();
      await until('the description, proposing what the batch retries', async () => (await description.inputValue()) === `Retry of nightly eval: ${requests} requests`, WAIT_MS);
      await page.keyboard.press('Enter');
      for (const placeholder of [/Delete the output and error files after/, /Delete the uploaded input file after/]) {
        await until(`the step "${placeholder.source}"`, async () => placeholder.test((await description.getAttribute('placeholder')) ?? ''));
        await quickInputRows(page);
        await page.keyboard.press('Enter');
      }
      const confirm = await until('the confirmation', async () => ((await quickInputTitle(page).catch(() => '')).includes('before you pay') ? quickInputRows(page) : undefined));
      assert.ok(confirm.some((r) => r.label.includes(`Retry of ${BATCH_ID}`)), JSON.stringify(confirm));
      await page.keyboard.press('Enter');
      const { batch, content } = await createdBatch(ctx, before);
      assert.equal(content, linesOf(f, notSucceeded));
      assert.equal(batch.metadata?.retry_of, BATCH_ID);
      await dismissCreated(page, batch.id);

      // The tree: the retry says what it retries; the batch lists its retries under "Retries".
      await runCommand(page, 'View: Close All Editors');
      await openBatchesView(page);
      const retryRow = await waitForRow(page, batch.id);
      assert.match((await retryRow.textContent()) ?? '', new RegExp(`retry of ${BATCH_ID}`));
      const parentRow = await waitForRow(page, OWN_ROW);
      await parentRow.scrollIntoViewIfNeeded();
      await expandRow(parentRow);
      const retries = await waitForRow(page, /^Retries\b/);
      assert.match((await retries.textContent()) ?? '', /Retries\s*2 · 2 validating/);
      await expandRow(retries);
      const listed = await until('both retries under Retries', async () => {
        const shown = (await treeRows(page)).filter((r) => ctx.fake.batches.slice(0, 2).some((b) => r.includes(b.id)));
        return shown.length >= 4 ? shown : undefined; // each in its group, and again under Retries
      });
      assert.ok(listed.length >= 4);
      await retries.scrollIntoViewIfNeeded();
      await page.mouse.move(1200, 700);
      await screenshot(page, 'retry-lineage');
    },
  },
  {
    name: 'Retry: the Results view of a batch with retries offers Combined (what the retries recovered), and its Retry button retries the current filter',
    timeoutMs: 150_000,
    async run(ctx) {
      const { page, fake } = ctx;
      const f = await ensureFixture(ctx);
      // Both retries of the checks before have finished: what expired now succeeds, the rest fails again.
      const retries = fake.batches.filter((b) => b.metadata?.retry_of === BATCH_ID);
      assert.equal(retries.length, 2, 'the retries of the checks before');
      const fates = new Map(f.plan);
      for (const retry of retries) finishFakeBatch(fake, retry.id, (id) => (fates.get(id) === 'expired' ? 'succeeded' : 'serverError'));
      const newest = retries[0];
      await openBatchesView(page);
      await runCommand(page, 'OpenAI Batches: Refresh');
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'OpenAI Batches: Open Results');
      const widget = page.locator(QUICK_INPUT);
      await widget.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: WAIT_MS });
      await page.keyboard.type(BATCH_ID);
      await widget.locator('.monaco-list-row', { hasText: BATCH_ID }).first().waitFor({ state: 'visible', timeout: WAIT_MS });
      await page.keyboard.press('Enter');
      const frame = resultsPage(page);
      await frame.locator('.summary').waitFor({ state: 'visible', timeout: 60_000 });

      await frame.getByRole('button', { name: 'Combined', exact: true }).click();
      const succeeded = f.plan.filter(([, fate]) => fate === 'succeeded').length;
      const expired = f.plan.filter(([, fate]) => fate === 'expired').length;
      const line = `${succeeded} succeeded + ${expired} recovered by retries = ${succeeded + expired} of ${f.plan.length}`;
      await until(`"${line}"`, async () => ((await frame.locator('.combined-total').textContent().catch(() => '')) ?? '').startsWith(line), 60_000);
      assert.equal(await frame.getByRole('button', { name: 'Combined', exact: true }).getAttribute('aria-pressed'), 'true');
      await frame.getByRole('button', { name: 'Export Combined Results…' }).waitFor({ state: 'visible', timeout: WAIT_MS });
      assert.match((await frame.locator('h1').textContent()) ?? '', /Combined results: nightly eval and 2 retries/);
      await page.locator('.notification-toast', { hasText: 'with its retries' }).waitFor({ state: 'hidden', timeout: WAIT_MS });
      await page.mouse.move(1200, 790);
      await screenshot(page, 'results-combined');

      // Filtered to what still failed: Retry resubmits just those (a retry of the newest retry), asking only Create or Review.
      await frame.locator('.outcome-list').getByRole('button', { name: 'Failed' }).click();
      await frame.getByRole('button', { name: 'Retry Failed Requests…' }).click();
      const failed = f.plan.filter(([, fate]) => notSucceeded(fate) && fate !== 'expired').length;
      await until('Create or Review for the filter', async () => (await quickInputTitle(page).catch(() => '')) === `Retry ${failed} requests of ${newest.id} (the current filter)`, 60_000, async () => quickInputTitle(page));
      await page.keyboard.press('Escape');
      await frame.getByRole('button', { name: 'Combined', exact: true }).click();
      await frame.getByRole('button', { name: 'Export Results…' }).waitFor({ state: 'visible', timeout: WAIT_MS });
    },
  },
];
