// Configuration for @vscode/test-cli (`npx vscode-test`, the VS Code Extension Test Runner) on machines that
// can download VS Code. It runs the same compiled suites as `npm run test:integration` (the offline
// code-server harness) and `npm run test:electron`; build them first with `npx tsc -p . && node esbuild.js`.
// A plain object is what test-cli's defineConfig() returns, so @vscode/test-cli need not be installed to load it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

// The suites expect a workspace folder with a writable, initially empty .vscode/settings.json, like the other
// harnesses give them; .vscode-test/ is git-ignored and reset on every run.
const workspaceFolder = join(dirname(fileURLToPath(import.meta.url)), '.vscode-test', 'cli-workspace');
mkdirSync(join(workspaceFolder, '.vscode'), { recursive: true });
writeFileSync(join(workspaceFolder, 'README.md'), '# Scratch workspace for the integration tests\n');
writeFileSync(join(workspaceFolder, '.vscode', 'settings.json'), '{}\n');

// A developer's real key must never reach the tests: unset every OPENAI_* variable, and (VSCODE_CLI) keep
// VS Code from reading them back from the login shell.
const env = Object.fromEntries(Object.keys(process.env).filter((key) => /^OPENAI_/i.test(key)).map((key) => [key, undefined]));
env.VSCODE_CLI = '1';

export default {
  label: 'integration',
  files: 'out/test/integration/**/*.test.js',
  version: '1.100.3',
  workspaceFolder,
  env,
  launchArgs: ['--disable-extensions'],
  mocha: { ui: 'bdd', timeout: 20000, color: false },
};
