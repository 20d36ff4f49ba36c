// Headless Chromium through playwright-core, using a browser already on the machine (playwright's own
// browser download is not reachable offline).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

export const VIEWPORT = { width: 1280, height: 800 } as const;

const CHROME_ARGS = [
  '--no-sandbox', // CI runs as root, where Chromium's sandbox cannot start
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function candidatePaths(): string[] {
  switch (process.platform) {
    case 'darwin':
      return [
        '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
        '/Applications/Chromium.app/Contents/MacOS/Chromium',
      ];
    case 'win32': {
      const roots = [process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)'], process.env.LOCALAPPDATA];
      return roots.filter((root): root is string => !!root).map((root) => path.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'));
    }
    default:
      return [
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser',
        '/usr/bin/google-chrome-stable',
        '/usr/bin/google-chrome',
        '/opt/google/chrome/chrome',
        '/snap/bin/chromium',
      ];
  }
}

/** The Chromium/Chrome to drive: `CHROME_PATH`, else Debian's chromium, else Chrome's usual places. */
export function findChromium(): string {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`CHROME_PATH is set to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const found = candidatePaths().find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error(
      'No Chromium or Chrome found for the UI and integration tests. Install one ' +
        '(Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROME_PATH to its executable.',
    );
  }
  return found;
}

export async function launchBrowser(options: { headless?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: options.headless ?? process.env.HEADED !== '1',
    args: CHROME_ARGS,
    timeout: 60_000,
    // Our runners stop code-server, the fake API and the browser on a signal; Playwright's own handlers
    // would exit the process first and leave the rest behind.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

/** A fresh context and page with the standard viewport (screenshots stay comparable). */
export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  return { context, page };
}
