// Entry point the extension host loads as `extensionTestsPath` (same contract in code-server and in
// @vscode/test-electron): runs every *.test.js next to this file with Mocha.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

// mocha 12's package entry is an ES module; its CommonJS build loads in any extension host without require(esm).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha = require('mocha/lib/mocha.cjs') as typeof import('mocha');

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

export async function run(): Promise<void> {
  console.log(`VS Code ${vscode.version} (extension host Node ${process.version})`);
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000, reporter: 'spec' });
  // Run a subset while working on one test: INTEGRATION_GREP reaches the extension host through the server's env.
  if (process.env.INTEGRATION_GREP) mocha.grep(process.env.INTEGRATION_GREP);
  const files = findTests(__dirname);
  if (files.length === 0) throw new Error(`No *.test.js files under ${__dirname}: run \`npx tsc -p .\` first`);
  for (const file of files) mocha.addFile(file);
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
