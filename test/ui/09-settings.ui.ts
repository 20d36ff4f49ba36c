// The Settings editor as a person reads it: the extension's settings, titled by VS Code from their keys,
// in order of importance. Read in both places a person finds them: filtered to the extension (where the
// Open Settings command and links land) and on the extension's own page under Extensions.
import * as assert from 'node:assert';
import type { Page } from 'playwright-core';
import { runCommand, screenshot, UiCheck, until } from './helpers';

/** The first of the extension's settings, top of its list. */
const CONFIG_FIRST = 'openaiBatches.baseURL';
const TITLES = ['Base URL', 'Organization', 'Project', 'Connections', 'Auto Refresh Seconds', 'Large File Threshold MB', 'Prices', 'Page Size', 'Request Timeout Seconds', 'Results Cache MB', 'Label', 'Allow Insecure HTTP'];

/**
 * "Category: Title" of each of the extension's settings, top to bottom. The list is virtualised: it is
 * scrolled through, and rows are ordered by their index in it.
 */
async function renderedTitles(page: Page): Promise<string[]> {
  const list = page.locator('.settings-editor .settings-tree-container');
  const seen = new Map<number, string>();
  const collect = async () => {
    const rows = await list.locator('.monaco-list-row').evaluateAll((elements) =>
      elements.map((row) => ({
        index: Number(row.getAttribute('data-index')),
        key: row.querySelector('[data-key]')?.getAttribute('data-key') ?? '',
        text: `${row.querySelector('.setting-item-category')?.textContent ?? ''}${row.querySelector('.setting-item-label')?.textContent ?? ''}`,
      })),
    );
    for (const row of rows) if (row.key.startsWith('openaiBatches.')) seen.set(row.index, row.text);
  };
  await list.hover();
  // The editor may open scrolled to a setting another check showed: up until the first one is in view.
  const first = list.locator(`[data-key="${CONFIG_FIRST}"]`);
  for (let step = 0; step < 20 && (await list.locator('[data-key^="openaiBatches."]').count()) > 0 && (await first.count()) === 0; step++) await page.mouse.wheel(0, -150);
  for (let step = 0; step < 20 && seen.size < TITLES.length; step++) {
    await collect();
    if (seen.size < TITLES.length) await page.mouse.wheel(0, 150);
  }
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
}

export const checks: UiCheck[] = [
  {
    name: 'the settings read "Base URL", "Allow Insecure HTTP" in the Settings editor, most important first',
    async run({ page }) {
      // The Settings editor hides its table of contents when narrow: give it the window.
      const sideBar = page.locator('.part.sidebar');
      const hadSideBar = await sideBar.isVisible();
      if (hadSideBar) await page.keyboard.press('Control+B');
      await sideBar.waitFor({ state: 'hidden', timeout: 5_000 });
      try {
        await readTitles(page);
      } finally {
        await page.keyboard.press('Control+W');
        if (hadSideBar) await page.keyboard.press('Control+B');
      }
    },
  },
];

/** Reads the titles filtered to the extension, then on its own page; takes the README's picture. */
async function readTitles(page: Page): Promise<void> {
    await runCommand(page, 'OpenAI Batches: Open Settings');
    const filtered = await until('the extension settings', async () => {
      const titles = await renderedTitles(page);
      return titles.length === TITLES.length ? titles : undefined;
    }, 20_000, async () => JSON.stringify(await renderedTitles(page)));
    // Filtered (the Open Settings command, a setting's id, the gear's Extension Settings): VS Code prefixes
    // each title with the key's section made into words. Its splitter breaks "OpenAI" into "Open AI", so no
    // key spells the brand: the section stays `openaiBatches`, read "Openai Batches". The titles read right.
    assert.deepEqual(filtered, TITLES.map((title) => `Openai Batches: ${title}`));
    // The extension's own page: Extensions › OpenAI Batches in the table of contents, search cleared.
    const search = page.locator('.settings-editor .search-container .monaco-editor').first();
    await search.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    const toc = page.locator('.settings-editor .settings-toc-container');
    const tocRow = (name: string) => toc.locator(`.monaco-list-row[aria-label="${name}, group"]`);
    await until('the full table of contents', async () => (await tocRow('Commonly Used').count()) > 0, 15_000, async () =>
      JSON.stringify(await toc.locator('.monaco-list-row').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')))),
    );
    // Extensions › OpenAI Batches. The table of contents moves while Extensions opens (and may close again
    // as it re-renders): open it and click the extension's row until the page shows the first setting.
    const baseURL = page.locator('.settings-editor .settings-tree-container [data-key="openaiBatches.baseURL"]');
    await until('the extension page', async () => {
      if (await baseURL.isVisible()) return true;
      if ((await tocRow('OpenAI Batches').count()) > 0) await tocRow('OpenAI Batches').click({ timeout: 2_000 }).catch(() => undefined);
      else {
        await tocRow('Extensions').click({ timeout: 2_000 }).catch(() => undefined);
        await page.keyboard.press('ArrowRight');
      }
      return false;
    }, 30_000);
    const own = await until('the extension page', async () => {
      const titles = await renderedTitles(page);
      return titles.length === TITLES.length ? titles : undefined;
    }, 20_000, async () => JSON.stringify(await renderedTitles(page)));
    // On its own page the section matches the extension and is left out; the page's heading names it.
    assert.deepEqual(own, TITLES);
    const heading = page.locator('.settings-editor .settings-tree-container .settings-group-title-label', { hasText: /^OpenAI Batches$/ });
    await heading.first().waitFor({ state: 'visible', timeout: 10_000 });
    // Back to the top of its page, for the picture.
    await page.locator('.settings-editor .settings-tree-container').hover();
    const headingY = (await heading.first().boundingBox())?.y ?? 0;
    const belowHeading = async () => (await baseURL.count()) > 0 && ((await baseURL.boundingBox({ timeout: 1_000 }))?.y ?? 0) > headingY + 40;
    await until('its first setting in view', async () => (await belowHeading()) || void (await page.mouse.wheel(0, -150)), 10_000);
    await page.mouse.move(1200, 700);
    await screenshot(page, 'settings');
}
