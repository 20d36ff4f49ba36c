// Helpers for UI checks: drive the VS Code workbench in the browser the way a person does.
// Monaco lists are virtualised, so only rows scrolled into view exist in the DOM.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { CodeServer } from '../harness/codeServer';
import { REPO_ROOT } from '../harness/codeServer';
import type { FakeOpenAI } from '../fake-openai/server';

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

/** The view's title as shown above it, e.g. "OPENAI BATCHES: BATCHES". */
export async function viewTitle(page: Page): Promise<string> {
  return (await page.locator(`${VIEWLET} .title-label, .sidebar .composite.title .title-label`).first().innerText()).trim();
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

/** Waits until some tree row's aria-label matches, and returns that row. */
export async function waitForRow(page: Page, label: string | RegExp, timeoutMs = WAIT_MS): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await treeRows(page);
    const index = rows.findIndex((row) => (typeof label === 'string' ? row.includes(label) : label.test(row)));
    if (index >= 0) return page.locator(`${VIEWLET} .monaco-list-row[aria-label="${cssString(rows[index])}"]`).first();
    if (Date.now() > deadline) throw new Error(`No row matching ${label} in the Batches view within ${timeoutMs} ms; rows: ${JSON.stringify(rows)}`);
    await page.waitForTimeout(200);
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
  // The list filters asynchronously; wait for the first entry to reflect the text.
  const rows = widget.locator('.monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: WAIT_MS }).catch(() => undefined);
  await page.waitForTimeout(150);
  return rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''));
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
