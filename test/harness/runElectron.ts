// The integration suites in desktop VS Code 1.100.3 through @vscode/test-electron, for machines that can
// download VS Code (a laptop, a hosted CI runner). Same suites and same entry as runIntegration.ts, which is
// what runs offline. VSCODE_TEST_VERSION overrides the version (e.g. "stable").
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { createWorkspace, QUIET_SETTINGS, REPO_ROOT } from './codeServer';

async function main(): Promise<number> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'openai-batches-el-'));
  try {
    const workspace = createWorkspace(scratch);
    const userDataDir = path.join(scratch, 'user-data');
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(QUIET_SETTINGS, null, 2));
    // A developer's real key must never reach the tests: drop OPENAI_* from the environment VS Code inherits,
    // and (VSCODE_CLI) stop VS Code from re-reading it from the login shell.
    for (const key of Object.keys(process.env)) if (/^OPENAI_/i.test(key)) delete process.env[key];
    return await runTests({
      version: process.env.VSCODE_TEST_VERSION || '1.100.3',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index'),
      extensionTestsEnv: { VSCODE_CLI: '1' },
      launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${userDataDir}`],
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // runTests rejects with TestRunFailedError when VS Code exits non-zero (a failing suite).
    console.error(`Electron test run failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
