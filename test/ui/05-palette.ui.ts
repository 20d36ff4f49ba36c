// The palette flows as a person uses them: List Batches pages from inside its picker and opens the chosen
// batch; a file command offers only the batches it applies to; Copy Batch ID copies the one picked.
import * as assert from 'node:assert';
import type { Page } from 'playwright-core';
import { runCommand, UiCheck, until } from './helpers';

const BATCH_ID = /\bbatch_[0-9a-f]+\b/;

/** The picker's rows as rendered (a virtualised list: the ones in view), and the focused one. */
async function pickerRows(page: Page): Promise<{ labels: string[]; focused: string | undefined }> {
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  const focused = await rows.evaluateAll((els) => els.find((e) => e.classList.contains('focused'))?.getAttribute('aria-label') ?? undefined);
  return { labels, focused };
}

export const checks: UiCheck[] = [
  {
    name: 'List Batches loads the next page from its last item, stays open on the first new batch, and opens the one chosen',
    async run({ page, fake }) {
      const lists = () => fake.requests.filter((r) => r.path === '/v1/batches');
      await runCommand(page, 'OpenAI Batches: List Batches');
      await until('the picker to list batches', async () => (await pickerRows(page)).labels.some((l) => BATCH_ID.test(l)), 15_000);
      await page.keyboard.press('Control+End'); // the quick input's "last item"; End alone moves the caret
      await until('"Load More" to be focused', async () => /load more/i.test((await pickerRows(page)).focused ?? ''), 5_000, async () => JSON.stringify(await pickerRows(page)));
      const before = lists().length;
      await page.keyboard.press('Enter');
      const request = await until('one request for the next page', () => (lists().length === before + 1 ? lists()[before] : undefined), 15_000);
      assert.ok(request.query.after, 'the next page is asked for after the last loaded batch');
      const firstNew = fake.batches[fake.batches.findIndex((b) => b.id === request.query.after) + 1].id;
      await until(`the picker to stay open on ${firstNew}`, async () => (await pickerRows(page)).focused?.includes(firstNew), 15_000, async () => JSON.stringify(await pickerRows(page)));
      await page.keyboard.press('Enter');
      await page.locator(`.tabs-container .tab[aria-label^="${firstNew}.json"]`).waitFor({ state: 'visible', timeout: 15_000 });
    },
  },
  {
    name: 'Open Output File from the palette offers only batches that have an output file',
    async run({ page, fake }) {
      await runCommand(page, 'OpenAI Batches: Open Output File');
      const offered = await until('the picker to list batches', async () => {
        const ids = (await pickerRows(page)).labels.map((l) => BATCH_ID.exec(l)?.[0]).filter((id): id is string => !!id);
        return ids.length > 0 ? ids : undefined;
      }, 15_000);
      for (const id of offered) assert.ok(fake.batches.find((b) => b.id === id)?.output_file_id, `${id} is offered but has no output file`);
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'Copy Batch ID from the palette copies the batch picked',
    async run({ page }) {
      await runCommand(page, 'OpenAI Batches: Copy Batch ID');
      await until('the picker to list batches', async () => (await pickerRows(page)).labels.filter((l) => BATCH_ID.test(l)).length >= 2, 15_000);
      await page.keyboard.press('ArrowDown');
      const picked = BATCH_ID.exec(await until('the second batch to be focused', async () => {
        const { focused } = await pickerRows(page);
        return focused && BATCH_ID.test(focused) ? focused : undefined;
      }, 5_000))![0];
      await page.keyboard.press('Enter');
      await page.locator('.statusbar-item', { hasText: `Copied ${picked}` }).waitFor({ state: 'visible', timeout: 10_000 });
    },
  },
];
