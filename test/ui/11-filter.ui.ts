// Finding batches as a person does: Filter Batches… from the view's title (a status checked, words typed, an
// age chosen), the view saying the filter above its rows, only matching rows shown, and Clear Filter (shown
// only while a filter is set) bringing every batch back. Takes the README's picture of a filtered view.
import * as assert from 'node:assert';
import type { Page } from 'playwright-core';
import { openBatchesView, screenshot, treeRows, UiCheck, until, viewTitleActions, waitForRow, waitForViewContent, widenSideBar } from './helpers';

const QUICK_INPUT = '.quick-input-widget';
const GROUP = /^(Validating|In Progress|Finalizing|Cancelling|Completed|Failed|Expired|Cancelled), \d+ batch/;

const titleAction = (page: Page, name: string) => page.locator(`.part.sidebar .composite.title .action-label[aria-label^="${name}"]`).filter({ visible: true }).first();

/** The view's message above its rows, as shown (the view alone in its container has no header for its description). */
const viewMessage = (page: Page) => page.locator('.part.sidebar .pane-body .message').filter({ visible: true });

async function quickInputTitle(page: Page): Promise<string> {
  return ((await page.locator(`${QUICK_INPUT} .quick-input-title`).textContent().catch(() => '')) ?? '').trim();
}

/** The quick input's rows once they are rendered: label and whether checked. */
async function pickRows(page: Page): Promise<{ label: string; checked: string | null }[]> {
  return until('the pick to list its items', async () => {
    const rows = await page.locator(`${QUICK_INPUT} .monaco-list-row`).evaluateAll((els) => els.map((e) => ({ label: e.getAttribute('aria-label') ?? '', checked: e.getAttribute('aria-checked') })));
    return rows.length > 0 ? rows : undefined;
  });
}

export const checks: UiCheck[] = [
  {
    name: "Filter Batches… from the view's title: the view says the filter, only matching rows show, and Clear Filter brings every batch back",
    timeoutMs: 90_000,
    async run({ page }) {
      await openBatchesView(page);
      await waitForViewContent(page);
      await widenSideBar(page, 640);
      const actions = await viewTitleActions(page);
      assert.ok(actions.includes('Filter Batches…'), JSON.stringify(actions));
      assert.ok(!actions.includes('Clear Filter'), 'no Clear Filter without a filter');

      await titleAction(page, 'Filter Batches').click();
      await until('the status pick', async () => (await quickInputTitle(page)).startsWith('Filter Batches'));
      const statuses = await pickRows(page);
      assert.ok(statuses.every((r) => r.checked === 'false'), `nothing checked at first: ${JSON.stringify(statuses)}`);
      const completed = page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'Completed' }).first();
      await completed.locator('label.quick-input-list-label').click();
      await until('Completed to be checked', async () => (await completed.getAttribute('aria-checked')) === 'true');
      await page.locator(`${QUICK_INPUT} input.input`).first().focus();
      await page.keyboard.press('Enter');

      const input = page.locator(`${QUICK_INPUT} input.input`).first();
      await until('the words step', async () => /Words to find/.test((await page.locator(`${QUICK_INPUT}`).innerText()) ?? ''));
      await input.fill('gpt-4o');
      await page.keyboard.press('Enter');

      await until('the age step', async () => (await pickRows(page)).some((r) => r.label.includes('Last 7 days')));
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');

      await viewMessage(page).filter({ hasText: 'Filtered: completed · gpt-4o · 7 days' }).waitFor({ state: 'visible', timeout: 15_000 });
      await until('Clear Filter and Find in All Batches in the title', async () => {
        const now = await viewTitleActions(page);
        return now.includes('Clear Filter') && now.includes('Find in All Batches');
      });
      const groups = await until('only the Completed group', async () => {
        const shown = (await treeRows(page)).filter((r) => GROUP.test(r));
        return shown.length === 1 && shown[0].startsWith('Completed,') ? shown : undefined;
      }, 15_000, async () => JSON.stringify(await treeRows(page)));
      const group = await waitForRow(page, groups[0]);
      if ((await group.getAttribute('aria-expanded')) === 'false') await group.locator('.monaco-tl-twistie').click();
      const batches = await until('its rows', async () => {
        const rows = (await treeRows(page)).filter((r) => !GROUP.test(r) && r !== 'Load More');
        return rows.length > 0 ? rows : undefined;
      });
      for (const row of batches) assert.match(row, /gpt-4o/, `every row shown matches: ${row}`);
      await screenshot(page, 'filter');

      await titleAction(page, 'Clear Filter').click();
      await until('the message to go', async () => (await viewMessage(page).count()) === 0, 15_000);
      await until('Clear Filter to go', async () => !(await viewTitleActions(page)).includes('Clear Filter'));
      await until('every group back', async () => (await treeRows(page)).filter((r) => GROUP.test(r)).length > 1, 15_000, async () => JSON.stringify(await treeRows(page)));
    },
  },
];
