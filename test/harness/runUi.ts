// UI checks: the installed extension in a real VS Code 1.100.3 workbench (code-server), talking to the fake
// OpenAI API in this process, driven by headless Chromium like a person would. Checks live in
// test/ui/*.ui.ts (each exports `checks: UiCheck[]`), run in file-name then list order against one window.
//
// Flags/env: --update-screenshots (write media/screenshots/ instead of out/screenshots/), UI_GREP=<regex>
// (run matching checks only), UI_TIMEOUT_SECONDS (whole run, default 600), HARNESS_VERBOSE=1.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { demoDataset } from '../fake-openai/dataset';
import { FakeOpenAI } from '../fake-openai/server';
import type { UiCheck, UiContext } from '../ui/helpers';
import { SCREENSHOT_DIR, settleWorkbench, waitForWorkbench } from '../ui/helpers';
import { launchBrowser, newPage } from './browser';
import { createWorkspace, ensureCodeServer, REPO_ROOT, runMain, startCodeServer, Teardown } from './codeServer';
import { SkipCheck } from './skipCheck';

const VERBOSE = process.env.HARNESS_VERBOSE === '1';
const RUN_TIMEOUT_MS = (Number(process.env.UI_TIMEOUT_SECONDS) || 600) * 1000;
const CHECK_TIMEOUT_MS = 60_000;
const UI_DIR = path.join(REPO_ROOT, 'out', 'test', 'ui');
const FAILURE_DIR = path.join(REPO_ROOT, 'out', 'screenshots', 'failures');

const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function loadChecks(): { file: string; check: UiCheck }[] {
  const grep = process.env.UI_GREP ? new RegExp(process.env.UI_GREP, 'i') : undefined;
  const files = fs.readdirSync(UI_DIR).filter((name) => name.endsWith('.ui.js')).sort();
  if (files.length === 0) throw new Error(`No *.ui.js checks in ${UI_DIR}: run \`npx tsc -p .\` first`);
  return files.flatMap((file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { checks } = require(path.join(UI_DIR, file)) as { checks?: UiCheck[] };
    if (!Array.isArray(checks)) throw new Error(`${file} does not export \`checks: UiCheck[]\``);
    return checks.filter((check) => !grep || grep.test(check.name)).map((check) => ({ file, check }));
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main(teardown: Teardown): Promise<number> {
  const started = Date.now();
  const checks = loadChecks();
  if (checks.length === 0) throw new Error(`No UI check matches UI_GREP=${process.env.UI_GREP}`);
  fs.rmSync(FAILURE_DIR, { recursive: true, force: true }); // only this run's failures
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `node esbuild.js` first');
  const codeServerDir = await ensureCodeServer();

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'openai-batches-ui-'));
  teardown.add(() => fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 }));
  const workspace = createWorkspace(scratch);
  const { batches, files } = demoDataset();
  const fake = await FakeOpenAI.start({ batches, files });
  teardown.add(() => fake.close());

  const serverStart = Date.now();
  // Loaded as an installed extension (the files its .vsix would hold), like `npm start`.
  const server = await startCodeServer({
    folder: workspace,
    codeServerDir,
    installFolder: REPO_ROOT,
    env: { OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.baseUrl },
    onOutput: VERBOSE ? (text) => process.stderr.write(`[code-server] ${text}`) : undefined,
  });
  teardown.add(() => server.stop());
  console.log(`code-server ready at ${server.url} in ${elapsed(serverStart)} (fake OpenAI API at ${fake.baseUrl})`);

  const browser = await launchBrowser();
  teardown.add(() => browser.close());
  const { page } = await newPage(browser);
  if (VERBOSE) page.on('console', (message) => process.stderr.write(`[browser ${message.type()}] ${message.text()}\n`));
  const opened = Date.now();
  await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await waitForWorkbench(page);
  console.log(`Workbench ready in ${elapsed(opened)}; running ${checks.length} UI check(s)`);

  const ctx: UiContext = { page, server, fake, workspace };
  let failed = 0;
  let skipped = 0;
  const deadline = started + RUN_TIMEOUT_MS;
  for (const { file, check } of checks) {
    if (teardown.started) return 130; // interrupted
    const checkStart = Date.now();
    const budget = Math.min(check.timeoutMs ?? CHECK_TIMEOUT_MS, deadline - checkStart);
    try {
      if (budget <= 0) throw new Error(`the UI run exceeded ${RUN_TIMEOUT_MS / 1000} s before this check`);
      await withTimeout(settleWorkbench(page).then(() => check.run(ctx)), budget, 'check');
      console.log(`  ✔ ${check.name} (${elapsed(checkStart)})`);
    } catch (err) {
      if (err instanceof SkipCheck) {
        skipped++;
        console.log(`  - skipped: ${check.name}: ${err.message}`);
        continue;
      }
      failed++;
      const shot = path.join(FAILURE_DIR, `${check.name.replace(/[^\w-]+/g, '_').slice(0, 80)}.png`);
      fs.mkdirSync(FAILURE_DIR, { recursive: true });
      await page.screenshot({ path: shot, timeout: 10_000 }).catch(() => undefined);
      console.log(`  ✘ ${check.name} (${file}, ${elapsed(checkStart)})`);
      console.log(`      ${(err instanceof Error ? (err.stack ?? err.message) : String(err)).replace(/\n/g, '\n      ')}`);
      console.log(`      screenshot: ${path.relative(REPO_ROOT, shot)}`);
      // Whatever the failed check left behind (a menu, a dialog, a half-typed palette) must not fail the
      // next one: start it in a freshly loaded window.
      await page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 }).then(() => waitForWorkbench(page)).catch((e: unknown) => {
        console.log(`      (reloading the window after the failure failed too: ${e instanceof Error ? e.message : String(e)})`);
      });
    }
  }
  const skips = skipped > 0 ? `, ${skipped} skipped` : '';
  console.log(`\n${checks.length - failed - skipped} passing, ${failed} failing${skips}; screenshots in ${path.relative(REPO_ROOT, SCREENSHOT_DIR)}/ (${elapsed(started)})`);
  return failed === 0 ? 0 : 1;
}

runMain('the UI run', main);
