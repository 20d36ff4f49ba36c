// Runs VS Code 1.100.3 as code-server (the offline stand-in for a downloaded VS Code): installs it,
// starts it on a free local port with throw-away data folders, and stops its whole process tree.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root (this file is compiled to out/test/harness/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

const INSTALL_TIMEOUT_MS = 10 * 60_000;
const START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 5_000;

/** Installs code-server if needed (idempotent, ~1 min cold) and returns its install folder. */
export async function ensureCodeServer(): Promise<string> {
  const script = path.join(REPO_ROOT, 'scripts', 'install-code-server.sh');
  const stdout = await run('bash', [script], { timeoutMs: INSTALL_TIMEOUT_MS, what: 'installing code-server' });
  const dir = stdout.trim().split('\n').pop() ?? '';
  if (!fs.existsSync(codeServerEntry(dir))) {
    throw new Error(`install-code-server.sh reported "${dir}", which has no code-server entry point`);
  }
  return dir;
}

export function codeServerEntry(dir: string): string {
  return path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export interface StartOptions {
  /** Folder to open (also what `?folder=` should point to). */
  folder: string;
  /** Extra environment. OPENAI_* variables reach the server only through here. `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number;
  extensionsDir?: string;
  userDataDir?: string;
  /** A .vsix installed into the extensions folder before the server starts. */
  installVsix?: string;
  /** An extension folder installed as its .vsix would be (see {@link stageExtension}), without packaging. */
  installFolder?: string;
  /** User settings added to (and overriding) the quiet defaults. */
  settings?: Record<string, unknown>;
  /** Where to stream the server's own output; by default it is kept and shown only when start fails. */
  onOutput?: (text: string) => void;
  /** code-server install folder; {@link ensureCodeServer} when omitted. */
  codeServerDir?: string;
  startTimeoutMs?: number;
}

export interface CodeServer {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  pid: number;
  userDataDir: string;
  extensionsDir: string;
  /** Resolves when the server process exits (its exit code, or null when killed by a signal). */
  exited: Promise<number | null>;
  /** The last part of the server's output, for error messages. */
  outputTail(): string;
  /** Stops the server and everything it spawned; removes the data folders it created. Idempotent. */
  stop(): Promise<void>;
}

/**
 * User settings that keep a fresh profile quiet and offline: no welcome page, no trust prompt,
 * no telemetry, no update or recommendation lookups.
 */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * The environment code-server (and so the extension host) gets: this process's, minus anything that
 * could leak a developer's credentials or redirect code-server, plus `extra`.
 */
export function serverEnvironment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (
      /^OPENAI_/i.test(key) || // a real API key must never reach tests
      /^VSCODE_/.test(key) || // e.g. VSCODE_IPC_HOOK_CLI makes code-server hand the folder to the VS Code it runs in
      /^(PORT|CODE_SERVER_HOST|PASSWORD|HASHED_PASSWORD|GITHUB_TOKEN|ELECTRON_RUN_AS_NODE)$/.test(key) // override our flags
    ) {
      delete env[key];
    }
  }
  // The server merges the user's login-shell environment into the extension host's unless VSCODE_CLI is
  // set: a key exported in ~/.bashrc would come back after being removed above.
  env.VSCODE_CLI = '1';
  // No extension gallery (code-server's default is open-vsx.org): runs stay offline and skip failing lookups.
  env.EXTENSIONS_GALLERY = '{}';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Starts code-server on 127.0.0.1 and resolves once it answers HTTP. */
export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  const dir = options.codeServerDir ?? (await ensureCodeServer());
  const entry = codeServerEntry(dir);
  // Everything code-server writes goes under one temp folder, removed on stop.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'openai-batches-cs-'));
  const userDataDir = options.userDataDir ?? path.join(scratch, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(scratch, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2),
  );
  // Our own config file, so ~/.config/code-server/config.yaml (password, cert, ...) is neither read nor created.
  const configFile = path.join(scratch, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const env = serverEnvironment({ ...options.env, CODE_SERVER_CONFIG: configFile });

  const dataArgs = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  let port: number;
  try {
    if (options.installFolder) await stageExtension(options.installFolder, extensionsDir);
    if (options.installVsix) {
      await run(process.execPath, [entry, ...dataArgs, '--install-extension', options.installVsix], {
        env,
        timeoutMs: 120_000,
        what: `installing ${options.installVsix}`,
      });
    }
    port = options.port ?? (await freePort());
  } catch (err) {
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
    throw err;
  }
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    ...dataArgs,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    options.folder,
  ];
  // Own process group: stop() signals the group, which reaches the extension host and watchers too.
  const child = spawn(process.execPath, args, { env, cwd: options.folder, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-8000);
    options.onOutput?.(text);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (err) => {
      tail += `\n${err.message}`;
      resolve(-1);
    });
  });

  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit); // a crashed harness must not leave a server behind
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      process.removeListener('exit', killOnExit);
      await stopGroup(child, exited);
      fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
    })());

  // Minified stack traces can make one line kilobytes long: keep error messages readable.
  const outputTail = () =>
    tail
      .trim()
      .split('\n')
      .slice(-40)
      .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line))
      .join('\n');
  const url = `http://127.0.0.1:${port}/`;
  const timeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
  try {
    await Promise.race([
      waitForHttp(`${url}healthz`, timeoutMs),
      exited.then((code) => {
        throw new Error(`code-server exited (code ${code}) before answering`);
      }),
    ]);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- code-server output ---\n${outputTail()}`, { cause: err });
  }
  return { url, port, pid: child.pid ?? -1, userDataDir, extensionsDir, exited, outputTail, stop };
}

/**
 * Installs an extension folder as its .vsix would: copies exactly the files `vsce package` would ship
 * (honouring .vscodeignore and `files`), into `<extensionsDir>/<publisher>.<name>-<version>`, which VS Code
 * picks up at start like any installed extension. Skips packaging (and `vscode:prepublish`), so it is fast.
 */
export async function stageExtension(extensionRoot: string, extensionsDir: string): Promise<string> {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionRoot, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  // Loaded lazily: vsce takes most of a second to load and only this helper needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { listFiles } = require('@vscode/vsce') as typeof import('@vscode/vsce');
  const files = await listFiles({ cwd: extensionRoot });
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`.toLowerCase());
  fs.rmSync(target, { recursive: true, force: true });
  for (const file of files) {
    const destination = path.join(target, file);
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    fs.copyFileSync(path.join(extensionRoot, file), destination);
  }
  return target;
}

/**
 * The environment of the server's extension host process(es), read from /proc (Linux only; undefined
 * elsewhere or before a window has started an extension host). Lets tests prove what the extension sees.
 */
export function extensionHostEnvironments(server: Pick<CodeServer, 'pid'>): Record<string, string>[] | undefined {
  if (process.platform !== 'linux') return undefined;
  const found: Record<string, string>[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // Field 5 of /proc/PID/stat is the process group; the command name (field 2) may contain spaces.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgid !== server.pid) continue;
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!cmdline.includes('--type=extensionHost')) continue;
      const entries = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
      found.push(Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)])));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

/** Whether `port` on 127.0.0.1 can be listened on now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Creates `<parent>/workspace` with a small file and an (empty, writable) `.vscode/settings.json`. */
export function createWorkspace(parent: string): string {
  const folder = path.join(parent, 'workspace');
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'README.md'), '# Scratch workspace\n\nCreated for a test or demo run; safe to delete.\n');
  // Tests write workspace settings here (e.g. a hostile openaiBatches.baseURL) and expect the file to exist.
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), '{}\n');
  return folder;
}

/** Polls `url` until it answers (any status below 500) or `timeoutMs` passes. */
export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const status = await httpStatus(url);
      if (status < 500) return;
      last = `HTTP ${status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('timeout', () => request.destroy(new Error('request timed out')));
    request.once('error', reject);
  });
}

/** Cleanup steps, run once, newest first, however the run ends. */
export class Teardown {
  private readonly steps: (() => Promise<unknown> | unknown)[] = [];
  private running: Promise<void> | undefined;

  add(step: () => Promise<unknown> | unknown): void {
    this.steps.push(step);
  }

  /** True once cleanup has begun: failures seen after that are side effects of stopping, not results. */
  get started(): boolean {
    return this.running !== undefined;
  }

  run(): Promise<void> {
    return (this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step();
        } catch (err) {
          console.error(`Cleanup step failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    })());
  }
}

/**
 * Runs a harness entry point: its exit code becomes the process's; a throw prints `label failed: …` and
 * exits 1; SIGINT/SIGTERM/SIGHUP stop everything registered in the teardown first (then exit `signalExitCode`).
 */
export function runMain(label: string, main: (teardown: Teardown) => Promise<number>, signalExitCode = 130): void {
  const teardown = new Teardown();
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    console.error(`\n${signal}: stopping everything ${label} started…`);
    void teardown.run().finally(() => process.exit(signalExitCode));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  main(teardown)
    .catch((err: unknown) => {
      if (!signalled) console.error(`${label} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return 1;
    })
    .then(async (code) => {
      await teardown.run();
      if (!signalled) process.exit(code);
    });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Signals the child's whole process group; signal 0 only tests whether any member is left. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is already gone
  }
}

/** SIGTERM to the group, then SIGKILL to whatever is left of it after a grace period. */
async function stopGroup(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (!killGroup(child, 'SIGTERM')) return;
  await Promise.race([exited, sleep(STOP_GRACE_MS)]);
  // The main process may be gone while its extension host is still shutting down: wait for the group.
  const deadline = Date.now() + STOP_GRACE_MS;
  while (Date.now() < deadline && killGroup(child, 0)) await sleep(100);
  killGroup(child, 'SIGKILL');
}

interface RunOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  what: string;
}

/** Runs a command, passing its stderr through, and resolves with its stdout; rejects on failure or timeout. */
function run(command: string, args: string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Timed out after ${Math.round(options.timeoutMs / 1000)} s ${options.what}`));
    }, options.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`Failed ${options.what}: ${err.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`Failed ${options.what} (exit code ${code})\n${stdout.trim()}`));
    });
  });
}
