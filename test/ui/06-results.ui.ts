// The Results view as a person uses it: Open Results from the palette, read the summary, filter by outcome
// and by error code, search, sort, open a row's details with the mouse and the keyboard, open a body in an
// editor tab, export the filtered rows, and find the panel again after a window reload. Everything inside
// the webview is reached through its frames. These checks also take the README's pictures of the view.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { type ResultsFixture } from '../support/resultsFixture';
import { contextMenu, openBatchesView, resultsPage, runCommand, runCommandWhenListed, screenshot, serveResultsFixture, setColorTheme, UiCheck, UiContext, until, waitForRow, waitForWorkbench } from './helpers';

const WAIT_MS = 20_000;
const BATCH_ID = 'batch_results_ui_demo';
const fmt = (n: number) => n.toLocaleString('en-US');

let fixture: ResultsFixture | undefined;
/** Console messages of every frame: a CSP violation in the page would show here. */
const cspViolations: string[] = [];

/** The finished batch the checks look at, added to the fake once and loaded into the tree. */
async function ensureFixture(ctx: UiContext): Promise<ResultsFixture> {
  if (!fixture) {
    ctx.page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to (load|apply|execute)/i.test(message.text())) cspViolations.push(message.text());
    });
    fixture = await serveResultsFixture(ctx, {
      id: BATCH_ID,
      status: 'completed',
      description: 'support tickets, weekly digest',
      fates: { succeeded: 2900, length: 43, context_length: 31, server_error: 14, rate_limited: 7, missing: 5 },
      anomalies: true,
    });
  }
  return fixture;
}

/** All rows the page shows, as their outcomes and all. */
const everything = (f: ResultsFixture) => f.expected.total + f.expected.orphans;

/**
 * The Results panel of the demo batch in front, in a known state: opened (or revealed) from the palette,
 * loaded, every filter cleared, no other editor open.
 */
async function openResults(ctx: UiContext): Promise<{ frame: FrameLocator; f: ResultsFixture }> {
  const { page } = ctx;
  const f = await ensureFixture(ctx);
  await runCommandWhenListed(page, 'View: Close All Editors');
  await until('the editors to close', async () => (await page.locator('.editor-group-container .tabs-container .tab').count()) === 0);
  await runCommand(page, 'OpenAI Batches: Open Results');
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: WAIT_MS });
  await page.keyboard.type(BATCH_ID);
  await widget.locator('.monaco-list-row', { hasText: BATCH_ID }).first().waitFor({ state: 'visible', timeout: WAIT_MS });
  await page.keyboard.press('Enter');
  const frame = resultsPage(page);
  await frame.locator('.summary').waitFor({ state: 'visible', timeout: 60_000 });
  const clear = frame.getByRole('button', { name: 'Clear Filters' });
  if (await clear.isVisible()) await clear.click();
  await waitForCount(frame, everything(f), everything(f));
  return { frame, f };
}

async function waitForCount(frame: FrameLocator, shown: number, of: number): Promise<void> {
  const text = `Showing ${fmt(shown)} of ${fmt(of)}`;
  const count = frame.locator('.count-text');
  await until(`the table to say "${text}"`, async () => ((await count.textContent()) ?? '').trim() === text, WAIT_MS, async () => `it says "${await count.textContent()}"`);
}

/** The grid's rendered data rows, top to bottom, as their cells' text. */
async function visibleRows(frame: FrameLocator): Promise<string[][]> {
  const rows = frame.locator('[role="grid"] [role="row"][data-index]:not([aria-busy])');
  const found = await rows.evaluateAll((elements) =>
    elements
      .map((row) => ({ index: Number(row.getAttribute('data-index')), cells: [...row.querySelectorAll('[role="gridcell"]')].map((c) => (c.textContent ?? '').trim()) }))
      .sort((a, b) => a.index - b.index)
      .map((r) => r.cells),
  );
  return found;
}

async function rowsLoaded(frame: FrameLocator): Promise<string[][]> {
  return until('rows in the table', async () => {
    const rows = await visibleRows(frame);
    return rows.length > 0 ? rows : undefined;
  });
}

const OUTCOME = 2;
const STATUS = 3;
const TOKENS = 5;

function rowByCustomId(frame: FrameLocator, customId: string): Locator {
  return frame.locator('[role="grid"] [role="row"]').filter({ has: frame.locator('[role="gridcell"]', { hasText: new RegExp(`^${customId}$`) }) });
}

export const checks: UiCheck[] = [
  {
    name: 'Results: Open Results from the palette shows the summary of a finished batch',
    timeoutMs: 120_000,
    async run(ctx) {
      const { frame, f } = await openResults(ctx);
      const outcomes = frame.locator('.outcome-list li');
      for (const [name, count] of [
        ['Succeeded', f.expected.outcomes.succeeded],
        ['Failed', f.expected.outcomes.failed],
        ['Expired', 0],
        ['Cancelled', 0],
        ['Missing', f.expected.outcomes.missing],
      ] as const) {
        assert.equal((await outcomes.filter({ hasText: name }).locator('.count').textContent())?.trim(), fmt(count), `${name} count`);
      }
      const bar = await frame.getByRole('img', { name: /^Outcomes:/ }).getAttribute('aria-label');
      assert.match(bar ?? '', new RegExp(`Succeeded ${fmt(f.expected.outcomes.succeeded)} \\(\\d+\\.\\d%\\), Failed ${f.expected.outcomes.failed} `));
      const errors = frame.locator('.error-table tbody tr');
      assert.deepEqual(
        (await errors.allInnerTexts()).map((t) => t.split('\t').slice(0, 2).map((c) => c.trim())),
        [
          ['context_length_exceeded', '31'],
          ['HTTP 500', '14'],
          ['rate_limit_exceeded', '7'],
        ],
      );
      assert.match((await frame.locator('.finish-reasons .warning').textContent()) ?? '', /43 answers were cut off \(length: 43\)/);
      assert.match((await frame.locator('.tokens').textContent()) ?? '', new RegExp(`Input${fmt(f.expected.inputTokens)}`));
      const anomalies = (await frame.locator('.anomalies').textContent()) ?? '';
      assert.match(anomalies, /1 result whose custom_id is not in the input: output line [\d,]+ \(not-in-the-input\)/);
      assert.match(anomalies, /1 input line repeats a custom_id: input line 3,001 \(req-0001\)/);
      assert.match(anomalies, /1 unreadable line: output line [\d,]+/);
      // The <script> in a prompt and an answer is text in the table, never markup.
      const scriptRow = await until('the row of req-0003', async () => ((await rowByCustomId(frame, 'req-0003').count()) > 0 ? rowByCustomId(frame, 'req-0003') : undefined));
      assert.match((await scriptRow.textContent()) ?? '', /Failed|Succeeded/);
      assert.equal(await frame.locator('body script:not([src])').count(), 0);
    },
  },
  {
    name: "Results: a finished batch's row says what came of it, and offers Open Results inline and first in its context menu",
    async run(ctx) {
      const { page } = ctx;
      const f = await ensureFixture(ctx);
      await runCommandWhenListed(page, 'View: Close All Editors');
      await openBatchesView(page);
      const group = await waitForRow(page, /^Completed\b/);
      if ((await group.getAttribute('aria-expanded')) !== 'true') await group.click();
      const row = await waitForRow(page, BATCH_ID);
      const counts = f.batch.request_counts!;
      assert.match((await row.textContent()) ?? '', new RegExp(`${fmt(counts.completed)} succeeded · ${fmt(counts.failed)} failed`));
      await row.hover();
      await row.getByRole('button', { name: 'Open Results' }).waitFor({ state: 'visible', timeout: WAIT_MS });
      await row.click({ button: 'right' });
      const items = page.locator('.context-view .monaco-menu').getByRole('menuitem');
      await items.first().waitFor({ state: 'visible', timeout: WAIT_MS });
      assert.equal((await items.first().locator('.action-label').textContent())?.trim(), 'Open Results');
      await page.keyboard.press('Escape');
      await contextMenu(page, row, 'Open Results');
      await resultsPage(page).locator('.summary').waitFor({ state: 'visible', timeout: 60_000 });
      // Leave no tooltip behind: park the mouse on the status bar until the hover is gone.
      await page.mouse.move(640, 790);
      await until('the row tooltip to close', async () => (await page.locator('.monaco-hover, .workbench-hover').filter({ visible: true }).count()) === 0);
    },
  },
  {
    name: 'Results: clicking an outcome in the summary filters the table by it',
    async run(ctx) {
      const { frame, f } = await openResults(ctx);
      await frame.locator('.outcome-list').getByRole('button', { name: 'Failed' }).click();
      await waitForCount(frame, f.expected.outcomes.failed, everything(f));
      assert.equal(await frame.locator('.outcome-filters').getByRole('button', { name: /^Failed/ }).getAttribute('aria-pressed'), 'true');
      const rows = await rowsLoaded(frame);
      assert.ok(rows.every((r) => r[OUTCOME] === 'Failed'), `only failed rows: ${JSON.stringify(rows.map((r) => r[OUTCOME]))}`);
      // The chips combine outcomes.
      await frame.locator('.outcome-filters').getByRole('button', { name: /^Missing/ }).click();
      await waitForCount(frame, f.expected.outcomes.failed + f.expected.outcomes.missing, everything(f));
    },
  },
  {
    name: 'Results: clicking an error code filters the table by it',
    async run(ctx) {
      const { frame, f } = await openResults(ctx);
      await frame.locator('.error-table').getByRole('button', { name: 'context_length_exceeded' }).click();
      await waitForCount(frame, f.expected.errors['code:context_length_exceeded'], everything(f));
      const rows = await rowsLoaded(frame);
      assert.ok(rows.every((r) => r[OUTCOME] === 'Failed' && r[STATUS] === '400'), JSON.stringify(rows.slice(0, 3)));
      assert.match((await frame.locator('.error-filter').textContent()) ?? '', /Error: context_length_exceeded/);
      await frame.getByRole('button', { name: 'Clear the error filter' }).click();
      await waitForCount(frame, everything(f), everything(f));
    },
  },
  {
    name: 'Results: the Search box finds requests by custom_id and by answer text, and sorting by a column orders the rows',
    async run(ctx) {
      const { frame, f } = await openResults(ctx);
      const search = frame.getByRole('searchbox', { name: 'Search' });
      const onlyRow = async (customId: string) => {
        await waitForCount(frame, 1, everything(f));
        await until(`${customId} alone in the table`, async () => JSON.stringify((await visibleRows(frame)).map((r) => r[1])) === JSON.stringify([customId]));
      };
      await search.fill('req-0042');
      await onlyRow('req-0042');
      await search.fill('refund of order 1007');
      await onlyRow('req-0007');
      await search.fill('');
      await waitForCount(frame, everything(f), everything(f));
      const tokens = frame.getByRole('columnheader', { name: 'Tokens' });
      await tokens.getByRole('button').click();
      await until('ascending order', async () => (await tokens.getAttribute('aria-sort')) === 'ascending');
      await tokens.getByRole('button').click();
      await until('descending order', async () => (await tokens.getAttribute('aria-sort')) === 'descending');
      // A cut-off answer (64 output tokens) to the longest prompt (26) has the most tokens.
      await until('the largest token count on top', async () => (await visibleRows(frame))[0]?.[TOKENS] === String(26 + 64), WAIT_MS, async () => JSON.stringify((await visibleRows(frame)).slice(0, 2)));
      await frame.getByRole('columnheader', { name: '#' }).getByRole('button').click();
      await until('input order again', async () => (await frame.getByRole('columnheader', { name: '#' }).getAttribute('aria-sort')) === 'ascending');
    },
  },
  {
    name: "Results: selecting a row shows its request and response side by side, as text, and opens either in an editor",
    async run(ctx) {
      const { page } = ctx;
      const { frame } = await openResults(ctx);
      const row = await until('the row of req-0003', async () => ((await rowByCustomId(frame, 'req-0003').count()) > 0 ? rowByCustomId(frame, 'req-0003') : undefined));
      await row.click();
      const details = frame.getByRole('region', { name: 'Details' });
      const request = details.locator('.details-request pre');
      const result = details.locator('.details-result pre');
      await request.waitFor({ state: 'visible', timeout: WAIT_MS });
      assert.match((await request.textContent()) ?? '', /"custom_id": "req-0003"/);
      assert.match((await request.textContent()) ?? '', /Reply with <script>alert\(\\"x\\"\)<\/script> as plain text\./);
      assert.match((await result.textContent()) ?? '', /"status_code": 400/);
      assert.equal(await details.locator('script').count(), 0, 'content is never markup');
      await screenshot(page, 'results-details');
      await details.locator('.details-request').getByRole('button', { name: 'Open request in editor' }).click();
      const tab = page.locator('.tabs-container .tab[aria-label^="req-0003.request.json"]');
      await tab.waitFor({ state: 'visible', timeout: WAIT_MS });
      const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
      await until('the request in the editor', async () => /"custom_id":\s*"req-0003"/.test((await lines.textContent()) ?? ''));
      // Copy custom_id puts it on the clipboard (read back through the workbench).
      await details.getByRole('button', { name: /^Copy custom_id/ }).click();
      await page.locator('.statusbar-item', { hasText: 'Copied the custom_id' }).waitFor({ state: 'visible', timeout: WAIT_MS });
    },
  },
  {
    name: 'Results: the grid works from the keyboard (arrows, Home, End, Page Down, Enter)',
    async run(ctx) {
      const { frame, f } = await openResults(ctx);
      const grid = frame.getByRole('grid', { name: 'Requests' });
      await rowsLoaded(frame);
      await grid.focus();
      const selected = () => grid.locator('[role="row"][aria-selected="true"]');
      const selectedRowIndex = async () => Number(await selected().getAttribute('aria-rowindex'));
      await grid.press('Home');
      await until('the first row selected', async () => (await selected().count()) === 1 && (await selectedRowIndex()) === 2);
      assert.equal(await grid.getAttribute('aria-activedescendant'), await selected().getAttribute('id'));
      await grid.press('ArrowDown');
      await grid.press('ArrowDown');
      await until('the third row selected', async () => (await selectedRowIndex()) === 4);
      await grid.press('ArrowUp');
      await until('the second row selected', async () => (await selectedRowIndex()) === 3);
      await grid.press('PageDown');
      await until('a page further down', async () => (await selectedRowIndex()) > 10);
      await grid.press('Enter');
      const heading = frame.locator('.details-heading');
      await until('the details of the selected row', async () => /Request #\d+/.test((await heading.textContent()) ?? ''));
      await grid.press('End');
      const last = everything(f) + 1;
      await until('the last row selected', async () => (await selectedRowIndex()) === last);
      await grid.press(' ');
      // The last row is the orphan result: it has no input line.
      await until('the details of the last row', async () => /Result without an input line/.test((await heading.textContent()) ?? ''));
      assert.match((await heading.textContent()) ?? '', /not-in-the-input/);
    },
  },
  {
    name: 'Results: Export Results… writes the current filter as CSV',
    async run(ctx) {
      const { page, workspace } = ctx;
      const { frame, f } = await openResults(ctx);
      await frame.locator('.outcome-list').getByRole('button', { name: 'Failed' }).click();
      await waitForCount(frame, f.expected.outcomes.failed, everything(f));
      await frame.getByRole('button', { name: 'Export Results…' }).click();
      const widget = page.locator('.quick-input-widget');
      const choose = async (label: string) => {
        const item = widget.locator('.monaco-list-row', { hasText: label }).first();
        await item.waitFor({ state: 'visible', timeout: WAIT_MS });
        await item.click();
      };
      await choose('Current filter');
      await choose('CSV');
      // The save dialog (VS Code's own, in the browser): type the full path.
      const target = path.join(workspace, `failed-${Date.now()}.csv`);
      const input = widget.locator('input');
      await until('the save dialog', async () => (await input.inputValue()).endsWith('_results.csv'));
      await input.fill(target);
      await page.keyboard.press('Enter');
      await until(`${target} on disk`, () => fs.existsSync(target), WAIT_MS);
      const lines = fs.readFileSync(target, 'utf8').trim().split(/\r?\n/);
      assert.match(lines[0], /^custom_id,outcome,status/);
      assert.equal(lines.length - 1, f.expected.outcomes.failed, 'one line per failed request');
      const failedIds = new Set(f.plan.filter(([, fate]) => ['context_length', 'server_error', 'rate_limited'].includes(fate)).map(([id]) => id));
      assert.deepEqual(new Set(lines.slice(1).map((l) => l.split(',')[0])), failedIds);
      assert.ok(lines.slice(1).every((l) => l.split(',')[1] === 'failed'));
      await page.locator('.notifications-toasts', { hasText: `Exported ${f.expected.outcomes.failed} requests` }).waitFor({ state: 'visible', timeout: WAIT_MS });
    },
  },
  {
    name: 'Results: Export Results… from the palette, with no Results view open, asks for the batch and writes everything as JSON Lines',
    timeoutMs: 90_000,
    async run(ctx) {
      const { page, workspace } = ctx;
      const f = await ensureFixture(ctx);
      await runCommandWhenListed(page, 'View: Close All Editors');
      await until('the editors to close', async () => (await page.locator('.editor-group-container .tabs-container .tab').count()) === 0);
      await runCommand(page, 'OpenAI Batches: Export Results…');
      const widget = page.locator('.quick-input-widget');
      await widget.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: WAIT_MS });
      await page.keyboard.type(BATCH_ID);
      await widget.locator('.monaco-list-row', { hasText: BATCH_ID }).first().waitFor({ state: 'visible', timeout: WAIT_MS });
      await page.keyboard.press('Enter');
      // The batch's Results view opens; with no filter there, only the format is asked.
      const format = widget.locator('.monaco-list-row', { hasText: 'JSON Lines' }).first();
      await format.waitFor({ state: 'visible', timeout: 60_000 });
      await format.click();
      const target = path.join(workspace, `all-${Date.now()}.jsonl`);
      const input = widget.locator('input');
      await until('the save dialog', async () => (await input.inputValue()).endsWith('_results.jsonl'));
      await input.fill(target);
      await page.keyboard.press('Enter');
      await until(`${target} on disk`, () => fs.existsSync(target), WAIT_MS);
      const rows = fs
        .readFileSync(target, 'utf8')
        .trim()
        .split(/\r?\n/)
        .map((line) => JSON.parse(line) as { custom_id: string | null; outcome: string });
      assert.equal(rows.length, everything(f), 'one object per row, orphans included');
      assert.deepEqual(
        rows.slice(0, f.plan.length).map((r) => r.custom_id),
        f.plan.map(([id]) => id),
        'in input order',
      );
      assert.equal(rows.filter((r) => r.outcome === 'failed').length, f.expected.outcomes.failed);
      await resultsPage(page).locator('.summary').waitFor({ state: 'visible', timeout: WAIT_MS });
    },
  },
  {
    name: 'Results: the panel and its query come back after the window reloads',
    timeoutMs: 120_000,
    async run(ctx) {
      const { page } = ctx;
      const { frame, f } = await openResults(ctx);
      await frame.getByRole('searchbox', { name: 'Search' }).fill('req-0042');
      await waitForCount(frame, 1, everything(f));
      // As a person reloads: the workbench saves its editors (and the page's state) on the way out.
      const reloaded = page.waitForEvent('load', { timeout: 60_000 });
      await runCommand(page, 'Developer: Reload Window');
      await reloaded;
      await waitForWorkbench(page);
      const restored = resultsPage(page);
      await restored.locator('.summary').waitFor({ state: 'visible', timeout: 60_000 });
      await waitForCount(restored, 1, everything(f));
      assert.equal(await restored.getByRole('searchbox', { name: 'Search' }).inputValue(), 'req-0042');
      assert.match((await page.locator('.tabs-container .tab.active').getAttribute('aria-label')) ?? '', /Results: support tickets, weekly digest/);
    },
  },
  {
    name: 'Results: pictures in a light and a dark theme, with no CSP violation',
    timeoutMs: 120_000,
    async run(ctx) {
      const { page } = ctx;
      for (const [theme, name] of [
        ['Light Modern', 'results-light'],
        ['Dark Modern', 'results-dark'],
      ] as const) {
        await setColorTheme(page, theme);
        const { frame } = await openResults(ctx);
        await runCommand(page, 'View: Close Primary Side Bar');
        await rowsLoaded(frame);
        await rowByCustomId(frame, 'req-0003').click();
        await frame.locator('.details-request pre').waitFor({ state: 'visible', timeout: WAIT_MS });
        await frame.locator('.page-header').evaluate((el) => el.ownerDocument.defaultView?.scrollTo(0, 0));
        await until('the page scrolled to its top', () => frame.locator('.page-header').evaluate((el) => el.ownerDocument.defaultView?.scrollY === 0));
        await page.mouse.move(1200, 790);
        await screenshot(page, name);
        await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
      }
      assert.deepEqual(cspViolations, []);
    },
  },
];

