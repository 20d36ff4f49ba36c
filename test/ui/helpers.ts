// Helpers for UI checks: drive the VS Code workbench in the browser the way a person does.
// Monaco lists are virtualised, so only rows scrolled into view exist in the DOM.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { CodeServer } from '../harness/codeServer';
import { REPO_ROOT } from '../harness/codeServer';
import type { FakeOpenAI } from '../fake-openai/server';
import { resultsFixture, type FixtureOptions, type ResultsFixture } from '../support/resultsFixture';

/** What every check gets: one workbench, shared and kept open across checks, in file and list order. */
export interface UiContext {
  page: Page;
  server: CodeServer;
  fake: FakeOpenAI;
  workspace: string;
}

export interface UiCheck {
  name: string;
  run(ctx: UiContext): Promise<void>;
  /** Default 60 s. */
  timeoutMs?: number;
}

/** `--update-screenshots` refreshes the README's images; otherwise screenshots are build output. */
export const UPDATE_SCREENSHOTS = process.argv.includes('--update-screenshots');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, UPDATE_SCREENSHOTS ? path.join('media', 'screenshots') : path.join('out', 'screenshots'));

const WAIT_MS = 30_000;
const CONTAINER_ITEM = '.activitybar .action-item a[aria-label^="OpenAI Batches"]';
const VIEWLET = '[id="workbench.view.extension.openaiBatches"]';

/** Waits until the workbench has rendered and the extension's view container is in the activity bar. */
export async function waitForWorkbench(page: Page, timeoutMs = 90_000): Promise<void> {
  await page.locator('.monaco-workbench .activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
  await page
    .locator(CONTAINER_ITEM)
    .waitFor({ state: 'visible', timeout: timeoutMs })
    .catch(() => {
      throw new Error('The workbench loaded but no activity-bar item "OpenAI Batches" appeared: is the extension installed?');
    });
  // The activity bar draws the item from its cache on a reload, before the extension's contributions are
  // registered: wait until the palette lists its commands.
  const probe = 'OpenAI Batches: Open Settings';
  await until('the extension\'s commands in the palette', async () => {
    const listed = (await openPalette(page, probe)).some((entry) => entry === probe || entry.startsWith(`${probe},`));
    await page.keyboard.press('Escape');
    return listed;
  }, timeoutMs);
}

/** Clicks the "OpenAI Batches" activity-bar item (unless its view is already showing) and waits for the Batches view. */
export async function openBatchesView(page: Page): Promise<Locator> {
  const view = page.locator(VIEWLET);
  if (!(await view.isVisible())) await page.locator(CONTAINER_ITEM).click();
  await view.waitFor({ state: 'visible', timeout: WAIT_MS });
  await page.mouse.move(700, 400); // no hover tooltip over the activity bar in screenshots
  return view;
}

/**
 * Waits until the Batches view shows its data: tree rows or welcome content (e.g. "Set API Key"), and no
 * progress bar. Before the extension has activated, the view only says no data provider is registered.
 */
export async function waitForViewContent(page: Page, timeoutMs = WAIT_MS): Promise<void> {
  const view = page.locator(VIEWLET);
  const content = view.locator('.monaco-list-row, .welcome-view-content').first();
  await content.waitFor({ state: 'visible', timeout: timeoutMs }).catch(async () => {
    const text = (await view.innerText().catch(() => '')).trim();
    throw new Error(`The Batches view showed no rows or welcome content within ${timeoutMs} ms; it shows: ${JSON.stringify(text)}`);
  });
  await view.locator('.monaco-progress-container.active').waitFor({ state: 'hidden', timeout: timeoutMs });
}

/** The view's title as shown above it, e.g. "OPENAI BATCHES". */
export async function viewTitle(page: Page): Promise<string> {
  return (await page.locator(`${VIEWLET} .title-label, .sidebar .composite.title .title-label`).first().innerText()).trim();
}

/** Widens the side bar by its sash, as a person would, so descriptions are readable. */
export async function widenSideBar(page: Page, width = 560): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  await page.mouse.move(box.x + box.width + 1, box.y + 300);
  await page.mouse.down();
  await page.mouse.move(box.x + width, box.y + 300, { steps: 5 });
  await page.mouse.up();
  await page.mouse.move(1200, 700);
}

/** The actions in the view's title bar (their labels), the "…" menu not opened. */
export async function viewTitleActions(page: Page): Promise<string[]> {
  const items = page.locator('.part.sidebar .composite.title .title-actions .action-item a.action-label');
  return (await items.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''))).filter(Boolean);
}

/** aria-labels of the tree rows currently rendered in the Batches view (top to bottom). */
export async function treeRows(page: Page): Promise<string[]> {
  const rows = page.locator(`${VIEWLET} .monaco-list-row`);
  const labels = await rows.evaluateAll((elements) =>
    elements
      .map((element) => ({ top: element.getBoundingClientRect().top, label: element.getAttribute('aria-label') ?? '' }))
      .sort((a, b) => a.top - b.top) // DOM order of a virtualised list is not display order
      .map((row) => row.label),
  );
  return labels;
}

/**
 * Polls `probe` until it returns something other than undefined/false, and returns that; fails with `what`
 * (and the last value seen, when `describe` gives one) after `timeoutMs`. The one way checks wait on state.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = WAIT_MS, describe?: () => Promise<string> | string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${describe ? `; ${await describe()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Asserts that `probe` stays true for `forMs` (polled): for what must *remain* so, like a group staying
 * collapsed while the tree re-renders.
 */
export async function holds(what: string, probe: () => Promise<boolean> | boolean, forMs: number): Promise<void> {
  const end = Date.now() + forMs;
  while (Date.now() < end) {
    if (!(await probe())) throw new Error(`${what} did not hold`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until some tree row's aria-label matches, and returns that row. */
export async function waitForRow(page: Page, label: string | RegExp, timeoutMs = WAIT_MS): Promise<Locator> {
  const matching = async () => (await treeRows(page)).find((row) => (typeof label === 'string' ? row.includes(label) : label.test(row)));
  const row = await until(`a row matching ${label} in the Batches view`, matching, timeoutMs, async () => `rows: ${JSON.stringify(await treeRows(page))}`);
  return page.locator(`${VIEWLET} .monaco-list-row[aria-label="${cssString(row)}"]`).first();
}

/**
 * Chooses `name` in the open context menu the way a person does: hover it (a click on a menu that is still
 * settling is ignored by the workbench), click it, and make sure the menu closed — clicking again if it did
 * not. The caller still checks that the action ran.
 */
export async function chooseMenuItem(page: Page, name: string): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  const item = menu.getByRole('menuitem', { name, exact: true });
  await item.waitFor({ state: 'visible', timeout: WAIT_MS });
  for (let attempt = 1; ; attempt++) {
    try {
      await item.hover({ timeout: 5_000 });
      await until(`"${name}" to be highlighted`, () => item.evaluate((el) => !!el.closest('.action-item.focused'), undefined, { timeout: 1_000 }), 5_000);
      await item.click({ timeout: 5_000 });
    } catch (e) {
      // The workbench closes a menu when what it was opened on re-renders: nothing was chosen.
      if (!(await menu.isVisible())) throw new MenuClosed(name);
      throw e;
    }
    const closed = await menu.waitFor({ state: 'hidden', timeout: 2_000 }).then(
      () => true,
      () => false,
    );
    if (closed) return;
    if (attempt === 3) throw new Error(`The context menu stayed open after choosing "${name}" ${attempt} times`);
  }
}

/** The menu closed by itself before `name` could be chosen. */
class MenuClosed extends Error {
  constructor(name: string) {
    super(`The context menu closed before "${name}" could be chosen`);
  }
}

/** Right-clicks `row` and chooses `name` from its context menu (opening it again if it closed by itself first). */
export async function contextMenu(page: Page, row: Locator, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    try {
      return await chooseMenuItem(page, name);
    } catch (e) {
      if (!(e instanceof MenuClosed) || attempt === 3) throw e;
    }
  }
}

/** Overlays that would swallow the next check's clicks: menus, dialogs, the quick input, hovers. */
const OVERLAYS = '.context-view .monaco-menu, .monaco-dialog-box, .quick-input-widget, .monaco-hover, .workbench-hover';

/**
 * Brings the window back to a known state between checks: Escape until no menu, dialog, quick input or
 * hover is left open, and the mouse parked where it hovers nothing.
 */
export async function settleWorkbench(page: Page): Promise<void> {
  const open = () => page.locator(OVERLAYS).filter({ visible: true }).count();
  for (let i = 0; i < 5 && (await open()) > 0; i++) {
    await page.keyboard.press('Escape');
    await until('overlays to close after Escape', async () => (await open()) === 0, 1_000).catch(() => undefined);
  }
  await page.mouse.move(1200, 700);
  if ((await open()) > 0) throw new Error('Menus, dialogs or hovers stay open after Escape');
  // A panel left open (Problems, Output) halves the editor area: checks expect the full one.
  if (await page.locator('.part.panel').isVisible()) {
    await runCommand(page, 'View: Hide Panel');
    await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: WAIT_MS });
  }
}

/**
 * Opens the command palette (F1) and types `text` after its `>`; resolves with the labels of the entries
 * it then lists. The palette stays open: press Enter to run the first entry, Escape to close it.
 */
export async function openPalette(page: Page, text: string): Promise<string[]> {
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await widget.waitFor({ state: 'visible', timeout: WAIT_MS });
  await page.keyboard.type(text);
  // The list filters asynchronously: wait until the input holds the text and the rows have followed it.
  const rows = widget.locator('.monaco-list-row');
  const labels = () => rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''));
  await until('the palette to show the typed text', async () => (await widget.locator('input').inputValue()).endsWith(text));
  // Something is listed, or the palette says nothing matches; then two reads in a row agree.
  const noMatch = widget.locator('.quick-input-message', { hasText: /no matching/i });
  let previous: string | undefined;
  return until('the palette list to settle', async () => {
    const current = await labels();
    if (current.length === 0 && !(await noMatch.isVisible())) return undefined;
    const same = JSON.stringify(current) === previous;
    previous = JSON.stringify(current);
    return same ? current : undefined;
  });
}

/** Runs a command by its palette title, e.g. "OpenAI Batches: Refresh". */
export async function runCommand(page: Page, title: string): Promise<void> {
  const entries = await openPalette(page, title);
  const index = entries.findIndex((entry) => entry === title || entry.startsWith(`${title},`));
  if (index < 0) {
    await page.keyboard.press('Escape');
    throw new Error(`"${title}" is not in the command palette; it lists: ${JSON.stringify(entries)}`);
  }
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

/** Saves a screenshot of the whole window as `<name>.png` (out/screenshots, or media/screenshots when updating). */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, timeout: WAIT_MS, animations: 'disabled', caret: 'hide' });
  return file;
}

function cssString(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

export const QUICK_INPUT = '.quick-input-widget';

/** A row of the quick input: its label and, in a multi-select pick, whether it is checked ("true"/"false"). */
export interface QuickInputRow {
  readonly label: string;
  readonly checked: string | null;
}

/** The quick input's rows once it has settled (not busy, and two reads in a row agree). */
export async function quickInputRows(page: Page): Promise<QuickInputRow[]> {
  const widget = page.locator(QUICK_INPUT);
  await widget.waitFor({ state: 'visible', timeout: WAIT_MS });
  const rows = () =>
    widget.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => ({ label: e.getAttribute('aria-label') ?? '', checked: e.getAttribute('aria-checked') })));
  let previous = '';
  return until('the quick input to settle', async () => {
    if ((await widget.locator('.monaco-progress-container.active').filter({ visible: true }).count()) > 0) return undefined;
    const current = await rows();
    const same = JSON.stringify(current) === previous && current.length > 0;
    previous = JSON.stringify(current);
    return same ? current : undefined;
  });
}

export async function quickInputTitle(page: Page): Promise<string> {
  return ((await page.locator(`${QUICK_INPUT} .quick-input-title`).textContent()) ?? '').trim();
}

/** Expands a tree row if it is collapsed: its twistie clicked again only while it stays collapsed (a click during a re-render may be lost). */
export async function expandRow(row: Locator): Promise<void> {
  const expanded = async () => (await row.getAttribute('aria-expanded')) === 'true';
  await until(
    'the row to expand',
    async () => {
      if (await expanded()) return true;
      await row.locator('.monaco-tl-twistie').click();
      return until('the click to take', expanded, 2_000).catch(() => false);
    },
    WAIT_MS,
  );
}

/** The page inside the Results panel in front (a webview is an iframe holding the page's own frame). */
export function resultsPage(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready').filter({ visible: true }).first().contentFrame().frameLocator('#active-frame');
}

/**
 * Keys typed while a webview has the focus go to its page first; a click on the status bar's empty middle
 * gives the focus back to the workbench, so F1 opens the command palette.
 */
export async function focusWorkbench(page: Page): Promise<void> {
  const bar = page.locator('.part.statusbar');
  const box = await bar.boundingBox();
  if (box) await bar.click({ position: { x: box.width / 2, y: box.height / 2 } });
}

/**
 * Runs a command from the palette, waiting for it to be listed: just after the window (re)loads, the
 * palette may list nothing for a moment.
 */
export async function runCommandWhenListed(page: Page, title: string): Promise<void> {
  await focusWorkbench(page);
  let lastError: unknown;
  await until(
    `"${title}" in the command palette`,
    async () => {
      try {
        await runCommand(page, title);
        return true;
      } catch (e) {
        lastError = e;
        await page.keyboard.press('Escape');
        return false;
      }
    },
    60_000,
    () => String(lastError),
  );
}

/** Preferences: Color Theme, as a person picks one. */
export async function setColorTheme(page: Page, theme: string): Promise<void> {
  await runCommandWhenListed(page, 'Preferences: Color Theme');
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.monaco-list-row', { hasText: 'Dark Modern' }).first().waitFor({ state: 'visible', timeout: WAIT_MS });
  await page.keyboard.type(theme);
  await widget.locator('.monaco-list-row', { hasText: theme }).first().waitFor({ state: 'visible', timeout: WAIT_MS });
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: WAIT_MS });
  const wanted = theme.startsWith('Light') ? 'vs' : 'vs-dark';
  await until(`the ${theme} theme`, async () => (await page.locator('.monaco-workbench').getAttribute('class'))?.split(' ').includes(wanted));
}

/**
 * Serves a Results fixture from the fake (its files, then its batch) and shows it in the view: Refresh from
 * the palette, then its Completed group.
 */
export async function serveResultsFixture({ page, fake }: UiContext, options: FixtureOptions): Promise<ResultsFixture> {
  const fixture = resultsFixture(options);
  for (const file of fixture.files) fake.addFile(file);
  fake.addBatch(fixture.batch);
  await openBatchesView(page);
  await runCommand(page, 'OpenAI Batches: Refresh');
  await waitForRow(page, /^Completed\b/);
  return fixture;
}
