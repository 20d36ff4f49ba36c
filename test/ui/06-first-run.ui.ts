// A new user's first minutes, in a window of its own: no key anywhere, and settings still under the keys
// an earlier version used. The welcome text reads plainly; the view title offers only what works without
// a key; Set API Key from the welcome text connects (to the endpoint moved to its new key); Clear API Key
// asks first and says what it did.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newPage } from '../harness/browser';
import { createWorkspace, REPO_ROOT, startCodeServer } from '../harness/codeServer';
import { chooseMenuItem, openBatchesView, screenshot, UiCheck, until, viewTitleActions, waitForRow, waitForViewContent, waitForWorkbench } from './helpers';

const NEED_KEY = ['Create Batch from JSONL…', 'List Batches', 'Refresh'];

export const checks: UiCheck[] = [
  {
    name: 'without a key: a plain welcome, only working title actions, Set API Key connects, Clear API Key asks first',
    timeoutMs: 180_000,
    async run({ page, fake }) {
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'openai-batches-first-run-'));
      const server = await startCodeServer({
        folder: createWorkspace(scratch),
        installFolder: REPO_ROOT,
        // No OPENAI_* at all; the endpoint only under the key an earlier version read.
        env: {},
        settings: { 'openaiBatches.baseUrl': fake.baseUrl, 'openaiBatches.allowInsecureHttp': true },
      });
      const browser = page.context().browser();
      assert.ok(browser);
      const { context, page: fresh } = await newPage(browser);
      try {
        await fresh.goto(`${server.url}?folder=${encodeURIComponent(path.join(scratch, 'workspace'))}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
        await waitForWorkbench(fresh);
        const view = await openBatchesView(fresh);
        await waitForViewContent(fresh);

        const welcome = view.locator('.welcome-view-content');
        const text = await welcome.innerText();
        assert.match(text, /Without one, the OPENAI_API_KEY environment variable is used\./);
        assert.doesNotMatch(text, /`/, 'no Markdown backticks shown as text');
        // The title's toolbar follows the view's state a moment after the welcome content does.
        await until(
          'the key-needing actions to be hidden without a key',
          async () => {
            const shown = await viewTitleActions(fresh);
            return !NEED_KEY.some((a) => shown.includes(a));
          },
          10_000,
          async () => JSON.stringify(await viewTitleActions(fresh)),
        );
        await screenshot(fresh, 'welcome');

        // The settings moved once, at activation, to the keys that read right.
        const settingsFile = path.join(server.userDataDir, 'User', 'settings.json');
        const moved = await until('the settings to move to their new keys', () => {
          let settings: Record<string, unknown>;
          try {
            settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
          } catch {
            return undefined; // read while VS Code was writing it
          }
          return !('openaiBatches.baseUrl' in settings) && !('openaiBatches.allowInsecureHttp' in settings) ? settings : undefined;
        });
        assert.equal(moved['openaiBatches.baseURL'], fake.baseUrl);
        assert.equal(moved['openaiBatches.allowInsecureHTTP'], true);

        // Set API Key, from the welcome text, as a person does it.
        await welcome.getByRole('button', { name: 'Set API Key' }).click();
        const input = fresh.locator('.quick-input-widget input[type="password"]');
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        await input.fill(fake.apiKey);
        await fresh.keyboard.press('Enter');
        // The endpoint came only from the moved setting: batches from the fake prove it applies.
        await waitForRow(fresh, /^(Validating|In Progress|Finalizing|Cancelling|Completed|Failed|Expired|Cancelled), /);
        await until('the key-needing actions in the view title', async () => {
          const shown = await viewTitleActions(fresh);
          return NEED_KEY.every((a) => shown.includes(a));
        }, 10_000, async () => JSON.stringify(await viewTitleActions(fresh)));

        // Clear API Key asks before removing the stored key, then says what happened.
        await fresh.locator('.part.sidebar .composite.title .title-actions .codicon-toolbar-more').first().click();
        await chooseMenuItem(fresh, 'Clear API Key');
        const dialog = fresh.locator('.monaco-dialog-box');
        await dialog.waitFor({ state: 'visible', timeout: 10_000 });
        assert.match(await dialog.innerText(), /Remove the stored OpenAI API key\?/);
        assert.match(await dialog.innerText(), /The OpenAI Batches view will ask for a key again\./);
        await screenshot(fresh, 'clear-api-key');
        await dialog.locator('.monaco-button', { hasText: /^Remove Key$/ }).click();
        const toast = fresh.locator('.notification-toast', { hasText: 'The stored API key was removed.' });
        await toast.waitFor({ state: 'visible', timeout: 10_000 });
        await view.locator('.welcome-view-content').waitFor({ state: 'visible', timeout: 10_000 });
        await until('the key-needing actions to leave the view title', async () => {
          const shown = await viewTitleActions(fresh);
          return NEED_KEY.every((a) => !shown.includes(a));
        });
      } catch (e) {
        // The runner photographs its own window; this one is where it failed.
        const failures = path.join(REPO_ROOT, 'out', 'screenshots', 'failures');
        fs.mkdirSync(failures, { recursive: true });
        await fresh.screenshot({ path: path.join(failures, 'first-run-window.png') }).catch(() => undefined);
        throw e;
      } finally {
        await context.close();
        await server.stop();
        fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
      }
    },
  },
];
