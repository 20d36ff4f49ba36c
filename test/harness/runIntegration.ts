// Runs the integration suites (out/test/integration) inside a real VS Code 1.100.3 extension host,
// offline: code-server serves the workbench, headless Chromium opens it with the test payload, and the
// workbench reports the extension host's console and the suite's result back through two page functions.
//
// Env: INTEGRATION_TESTS_ENTRY (another tests entry), INTEGRATION_TIMEOUT_SECONDS (whole run, default 900), INTEGRATION_START_TIMEOUT_SECONDS (until the
// suite prints its first line, default 180), INTEGRATION_GREP=<regex> (run matching tests only),
// HARNESS_VERBOSE=1 (also show workbench and server logs). Workbench logs land in out/test-logs/integration/.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import type { Page } from 'playwright-core';
import { launchBrowser, newPage } from './browser';
import { CodeServer, createWorkspace, ensureCodeServer, REPO_ROOT, runMain, startCodeServer, Teardown } from './codeServer';

const TIMEOUT_MS = seconds('INTEGRATION_TIMEOUT_SECONDS', 900);
const START_TIMEOUT_MS = seconds('INTEGRATION_START_TIMEOUT_SECONDS', 180);
const VERBOSE = process.env.HARNESS_VERBOSE === '1';
// INTEGRATION_TESTS_ENTRY runs another `run()` entry the same way (the activation benchmark uses it).
const TESTS_ENTRY = process.env.INTEGRATION_TESTS_ENTRY || path.join(REPO_ROOT, 'out', 'test', 'integration', 'index');
const LOG_DIR = path.join(REPO_ROOT, 'out', 'test-logs', 'integration');
/** First line test/integration/index.ts prints: the suite is running. */
const SUITE_BANNER = /^VS Code \d+\.\d+/;
/** Workbench complaints about being offline, not about the code under test. */
const OFFLINE_NOISE = /ENOTFOUND|ERR_NAME_NOT_RESOLVED|open-vsx\.org|marketplace/;

function seconds(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return (Number.isFinite(value) && value > 0 ? value : fallback) * 1000;
}

const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function main(teardown: Teardown): Promise<number> {
  const started = Date.now();
  if (!fs.existsSync(`${TESTS_ENTRY}.js`)) throw new Error(`${TESTS_ENTRY}.js is missing: run \`npx tsc -p .\` first`);
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `node esbuild.js` first');

  const codeServerDir = await ensureCodeServer();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'openai-batches-it-'));
  teardown.add(() => fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 }));
  const workspace = createWorkspace(scratch);

  const serverStart = Date.now();
  const server = await startCodeServer({
    folder: workspace,
    codeServerDir,
    onOutput: VERBOSE ? (text) => process.stderr.write(`[code-server] ${text}`) : undefined,
  });
  teardown.add(() => server.stop());
  console.log(`code-server (VS Code 1.100.3) ready at ${server.url} in ${elapsed(serverStart)}`);

  const browser = await launchBrowser();
  teardown.add(() => browser.close());
  const { page } = await newPage(browser);
  const exitCode = await runSuite(page, server, workspace, teardown);
  if (!teardown.started) console.log(`Integration run finished in ${elapsed(started)} with exit code ${exitCode}`);
  return exitCode;
}

async function runSuite(page: Page, server: CodeServer, workspace: string, teardown: Teardown): Promise<number> {
  const authority = `127.0.0.1:${server.port}`;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${authority}${REPO_ROOT}`],
    ['extensionTestsPath', `vscode-remote://${authority}${TESTS_ENTRY}`],
    ['skipWelcome', 'true'],
  ];
  const url = `${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  let suiteStarted = 0;
  // Workbench errors from before the suite started: hidden normally, shown if it never starts or fails to load.
  const earlyErrors: string[] = [];
  const showEarlyErrors = () => {
    if (suiteStarted || VERBOSE || earlyErrors.length === 0) return;
    console.error(`Workbench errors before the suite started:\n  ${earlyErrors.join('\n  ')}`);
  };
  const opened = Date.now();
  let reportExit: (code: number) => void = () => undefined;
  const exit = new Promise<number>((resolve) => (reportExit = resolve));

  // The workbench calls these (its automation hooks) once the page defines them. codeAutomationLog gets
  // every window log entry as console-style arguments; the extension host's console output (Mocha's
  // reporter) is among them, without a marker, so lines are shown from the suite's first line on.
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
    const line = Array.isArray(args) ? format(...(args as unknown[])) : String(args);
    if (!suiteStarted && SUITE_BANNER.test(line)) {
      suiteStarted = Date.now();
      console.log(`Integration suite started (workbench to first test: ${elapsed(opened)})`);
    }
    if (suiteStarted && !OFFLINE_NOISE.test(line)) (type === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
    else if (VERBOSE) process.stderr.write(`[workbench ${type}] ${line}\n`);
    else if (!suiteStarted && type === 'error' && !OFFLINE_NOISE.test(line)) earlyErrors.push(line.slice(0, 2000));
  });
  await page.exposeFunction('codeAutomationExit', (code: number, logs?: { relativePath: string; contents: string }[]) => {
    saveLogs(logs);
    reportExit(code);
  });
  if (VERBOSE) page.on('console', (message) => process.stderr.write(`[browser ${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => process.stderr.write(`[browser page error] ${error.message}\n`));

  console.log(`Opening the workbench with the integration suite: ${TESTS_ENTRY}`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

  const failures = new Promise<never>((_, reject) => {
    const timers = [
      setTimeout(() => {
        if (!suiteStarted) reject(new Error(`The suite did not start within ${START_TIMEOUT_MS / 1000} s of opening the workbench`));
      }, START_TIMEOUT_MS),
      setTimeout(() => reject(new Error(`The integration run did not finish within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS),
    ];
    void exit.finally(() => timers.forEach(clearTimeout));
    void server.exited.then((code) => reject(new Error(`code-server exited unexpectedly (code ${code})`)));
  });
  try {
    const code = await Promise.race([exit, failures]);
    if (code !== 0) {
      showEarlyErrors();
      console.error(`Integration suite failed (exit code ${code}); workbench logs: ${LOG_DIR}`);
    }
    return code;
  } catch (err) {
    if (teardown.started) return 130; // interrupted: the failure is us stopping things
    showEarlyErrors();
    fs.mkdirSync(LOG_DIR, { recursive: true });
    const shot = path.join(LOG_DIR, 'failure.png');
    await page.screenshot({ path: shot, timeout: 10_000 }).catch(() => undefined);
    console.error(`${(err as Error).message}\nScreenshot: ${shot}\n--- code-server output ---\n${server.outputTail()}`);
    return 1;
  }
}

/** Keeps the workbench's own logs (renderer, extension host, ...) for diagnosing a failed run. */
function saveLogs(logs: { relativePath: string; contents: string }[] | undefined): void {
  fs.rmSync(LOG_DIR, { recursive: true, force: true });
  for (const log of logs ?? []) {
    const file = path.join(LOG_DIR, log.relativePath);
    if (!file.startsWith(LOG_DIR + path.sep)) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, log.contents);
  }
}

runMain('the integration run', main);
