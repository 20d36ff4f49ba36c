// `npm start`: the extension, installed as its .vsix would install it, in VS Code 1.100.3 (code-server) on
// http://127.0.0.1:PORT. With OPENAI_API_KEY set it talks to that account (OPENAI_BASE_URL if set);
// without, to a fake OpenAI API in this process with generated demo data. Without a folder argument it opens
// a scratch workspace (where downloads go by default), which Ctrl-C deletes along with everything else.
//
// Usage: npm start [-- <folder to open>]     env: PORT (default 8080, or a free port when 8080 is taken)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { demoDataset } from '../test/fake-openai/dataset';
import { FakeOpenAI } from '../test/fake-openai/server';
import { createWorkspace, ensureCodeServer, freePort, isPortFree, REPO_ROOT, runMain, startCodeServer, Teardown } from '../test/harness/codeServer';

async function choosePort(): Promise<number> {
  if (process.env.PORT) {
    const port = Number(process.env.PORT);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT=${process.env.PORT} is not a port number`);
    if (!(await isPortFree(port))) throw new Error(`PORT=${port} is already in use on 127.0.0.1`);
    return port;
  }
  return (await isPortFree(8080)) ? 8080 : freePort();
}

/** Resolves only if code-server dies on its own; Ctrl-C ends the process through runMain's teardown. */
async function main(teardown: Teardown): Promise<number> {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `node esbuild.js` first');
  const folderArg = process.argv[2];
  if (folderArg && !fs.statSync(folderArg, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${folderArg} is not a folder`);

  const port = await choosePort();
  console.log('Preparing VS Code 1.100.3 (code-server; the first run installs it, about a minute)…');
  const codeServerDir = await ensureCodeServer();

  const env: Record<string, string | undefined> = {};
  if (process.env.OPENAI_API_KEY) {
    // Only these reach the extension host; every other OPENAI_* variable is left out.
    for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID']) env[name] = process.env[name];
    console.log(`Using OPENAI_API_KEY from your environment, against ${process.env.OPENAI_BASE_URL || 'https://api.openai.com/v1 (OpenAI)'}.`);
  } else {
    const { batches, files } = demoDataset();
    const fake = await FakeOpenAI.start({ batches, files });
    teardown.add(() => fake.close());
    env.OPENAI_API_KEY = fake.apiKey;
    env.OPENAI_BASE_URL = fake.baseUrl;
    console.log(
      `OPENAI_API_KEY is not set, so this is a DEMO against a local fake OpenAI API (${fake.baseUrl})\n` +
        `serving ${batches.length} generated batches: made-up data, no real account. Set OPENAI_API_KEY to use yours.`,
    );
  }

  let folder: string;
  let scratch: string | undefined;
  if (folderArg) folder = path.resolve(folderArg);
  else {
    const dir = (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'openai-batches-start-')));
    teardown.add(() => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
    folder = createWorkspace(dir);
  }
  const server = await startCodeServer({ folder, port, codeServerDir, installFolder: REPO_ROOT, env });
  teardown.add(() => server.stop());
  console.log(`\nOpenAI Batches is running in VS Code 1.100.3:\n\n    ${server.url}\n`);
  console.log('Open that URL in a browser; the extension is the "OpenAI Batches" icon in the activity bar.');
  console.log(
    scratch
      ? `The open folder is a scratch workspace, ${folder}: downloads are saved there unless you choose\n` +
          'another place, and Ctrl-C stops everything and DELETES it. Pass a folder (npm start -- <folder>) to keep them.'
      : `The open folder is ${folder}: downloads are saved there unless you choose another place. Ctrl-C stops everything.`,
  );

  const code = await server.exited;
  if (teardown.started) return 0;
  console.error(`code-server exited unexpectedly (code ${code}):\n${server.outputTail()}`);
  return 1;
}

runMain('npm start', main, 0);
