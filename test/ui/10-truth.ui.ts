// Batches in the states the happy path misreads, as a person sees them: rows that say what came of an
// expired, cancelled or all-failed batch, a row named by its description, a failed batch's validation
// errors that open their lines; several batches selected and Show Usage summing them. Takes the README's
// pictures of those rows and of the usage report.
import * as assert from 'node:assert';
import type { Page } from 'playwright-core';
import { formatCount } from '../../src/core/format';
import { terminalStatesAccount, type TerminalStates } from '../fake-openai/terminalStates';
import { contextMenu, expandRow, openBatchesView, runCommand, screenshot, treeRows, UiCheck, UiContext, until, waitForRow, waitForViewContent, widenSideBar } from './helpers';

const WAIT_MS = 30_000;
let states: TerminalStates | undefined;

/** Adds the states to the demo account (newest first), once, and shows them. */
async function ensureStates({ page, fake }: UiContext): Promise<TerminalStates> {
  if (!states) {
    const account = terminalStatesAccount();
    for (const file of account.files) fake.addFile(file);
    for (const batch of [...account.batches].reverse()) fake.addBatch(batch);
    states = account.states;
    await openBatchesView(page);
    await runCommand(page, 'OpenAI Batches: Refresh');
  }
  await openBatchesView(page);
  await waitForViewContent(page);
  return states;
}

/** Only the groups named open, each at its top: the view's Collapse All, then those. */
async function showGroups(page: Page, groups: readonly string[]): Promise<void> {
  await page.locator('.part.sidebar .composite.title .action-label[aria-label^="Collapse All"]').filter({ visible: true }).first().click();
  await until('every group to be collapsed', async () => (await treeRows(page)).every((r) => !/^batch_/.test(r)), 10_000, async () => JSON.stringify(await treeRows(page)));
  for (const group of groups) await expandRow(await waitForRow(page, new RegExp(`^${group}, `)));
}

const quickInput = (page: Page) => page.locator('.quick-input-widget');
/** The quick pick's rows as read out: their icon's name left out. */
const pickLabels = async (page: Page) =>
  (await quickInput(page).locator('.monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))).map((l) => l.replace(/^[\w-]+ {2}/, ''));

export const checks: UiCheck[] = [
  {
    name: 'Rows tell what came of each batch: partial results of expired and cancelled ones, results being written, a window passed; all failed (a warning, Open Error File first); named by their description',
    timeoutMs: 90_000,
    async run(ctx) {
      const { page } = ctx;
      await ensureStates(ctx);
      await runCommand(page, 'View: Close All Editors');
      await showGroups(page, ['In Progress', 'Finalizing', 'Expired', 'Cancelled']);
      await widenSideBar(page, 640);
      await waitForRow(page, /^batch_past_expiry, In Progress, gpt-4o, chat\/completions, 640\/1,000 \(2 failed\), past its 24h window, /);
      await waitForRow(page, /^batch_finalizing_complete, Finalizing, gpt-4o, chat\/completions, 997\/1,000 \(3 failed\), writing results, /);
      await waitForRow(page, /^batch_expired_partial, Expired, o3, chat\/completions, 820 of 1,000 done before it expired, /);
      await waitForRow(page, /^batch_cancelled_partial, Cancelled, gpt-3\.5-turbo, chat\/completions, 300 of 1,000 done before it was cancelled, /);
      await page.mouse.move(1200, 700);
      await screenshot(page, 'terminal-states');

      await showGroups(page, ['Completed']);
      const failed = await waitForRow(page, /^batch_all_failed, Completed, no request succeeded, gpt-4o, chat\/completions, 0 of 120 succeeded, /);
      assert.equal(await failed.locator('.codicon-warning').count(), 1, 'a warning, not a check mark');
      const named = await waitForRow(page, /^nightly eval of the search ranker, Completed, ft:gpt-4o-mini-2024-07-18:acme::x1, .+, batch_described$/);
      assert.match((await named.textContent()) ?? '', /nightly eval of the search ranker.*batch_described/);
      // Open Error File first where nothing succeeded.
      await failed.click({ button: 'right' });
      const items = page.locator('.context-view .monaco-menu').getByRole('menuitem');
      await items.first().waitFor({ state: 'visible', timeout: WAIT_MS });
      const labels = (await items.locator('.action-label').allTextContents()).map((t) => t.trim()).filter(Boolean);
      assert.deepEqual(labels.slice(0, 2), ['Open Error File', 'Open Results'], JSON.stringify(labels));
      assert.equal(labels.filter((l) => l === 'Open Error File').length, 1, JSON.stringify(labels));
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'Several batches selected, Show Usage sums their tokens and estimated cost, the source named',
    timeoutMs: 90_000,
    async run(ctx) {
      const { page } = ctx;
      const s = await ensureStates(ctx);
      await showGroups(page, ['Completed']);
      const first = await waitForRow(page, /^nightly eval of the search ranker, /);
      const second = await waitForRow(page, /^batch_empty_ids, /);
      await first.click();
      await second.click({ modifiers: ['Control'] });
      await until('two rows selected', async () => (await first.getAttribute('aria-selected')) === 'true' && (await second.getAttribute('aria-selected')) === 'true', 10_000);
      await contextMenu(page, second, 'Show Usage');
      await quickInput(page).locator('.quick-input-title', { hasText: 'Usage of 2 batches' }).waitFor({ state: 'visible', timeout: WAIT_MS });
      const shown = await until('the usage report', async () => {
        const labels = await pickLabels(page);
        return labels.some((l) => l.startsWith('Estimated cost')) ? labels : undefined;
      }, WAIT_MS, async () => JSON.stringify(await pickLabels(page)));
      const input = (s.described.usage?.input_tokens ?? 0) + (s.emptyStringIds.usage?.input_tokens ?? 0);
      assert.ok(shown.some((l) => l.startsWith(`Input: ${formatCount(input)} tokens`)), JSON.stringify(shown));
      // gpt-4o is in the catalogue; the fine-tune is not: its tokens are counted, its cost is not guessed.
      assert.ok(shown.some((l) => /^Estimated cost: \$[\d,]+\.\d\d, for 1 of the 2 batches with usage, An estimate at batch prices, from gpt-tokenizer \d+\.\d+\.\d+ catalogue, batch prices/.test(l)), JSON.stringify(shown));
      assert.ok(shown.some((l) => l.startsWith('No price known for ft:gpt-4o-mini-2024-07-18:acme::x1')), JSON.stringify(shown));
      assert.ok(shown.some((l) => l.startsWith('Set Your Own Prices…')), JSON.stringify(shown));
      await screenshot(page, 'show-usage');
      await page.keyboard.press('Escape');
    },
  },
  {
    name: "A failed batch's validation errors are rows under it; choosing one opens the input file at its line",
    timeoutMs: 90_000,
    async run(ctx) {
      const { page } = ctx;
      await ensureStates(ctx);
      await runCommand(page, 'View: Close All Editors');
      await showGroups(page, ['Failed']);
      await expandRow(await waitForRow(page, /^batch_failed_validation, Failed, /));
      const error = await waitForRow(page, /^Validation error, line 5, invalid_json_line, This line is not parseable as valid JSON\.$/);
      await error.click();
      await page.locator('.tabs-container .tab[aria-label^="batch_failed_validation_input.jsonl"]').waitFor({ state: 'visible', timeout: WAIT_MS });
      // The status bar says where the cursor is and how much is selected: line 5, all of it.
      await page.locator('.statusbar-item', { hasText: /^Ln 5, Col \d+ \(30 selected\)$/ }).waitFor({ state: 'visible', timeout: WAIT_MS });
      await page.locator('.notification-toast', { hasText: 'Opening the input file' }).waitFor({ state: 'hidden', timeout: WAIT_MS });
      await page.mouse.move(1200, 700);
      await screenshot(page, 'validation-errors');
    },
  },
];
