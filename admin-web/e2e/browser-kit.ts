/**
 * What every browser test of the console shares: Debian's Chromium driven by playwright-core in a
 * persistent context with a fresh profile, the skip-or-fail rule when Chromium is missing, the console
 * build check, sign-in, text waits, screenshots and teardown.
 *
 * Without /usr/bin/chromium a suite is skipped with a warning, unless REQUIRE_BROWSER=1 (then it fails).
 * Screenshots go to E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type BrowserContextOptions, type Frame, type Page } from 'playwright-core';

import { startTestServer, type TestServer } from '../../server/src/testing/test-server';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ADMIN_WEB = path.resolve(__dirname, '..');
/** The console's pages (vite inputs) and what they are built from. */
const PAGES = ['index.html', 'sidebar.html', 'sidebar-sandbox.html', 'm.html'];
const BUILD_INPUTS = ['src', ...PAGES, 'vite.config.mts'];

const haveBrowser = fs.existsSync(CHROMIUM);
const requireBrowser = process.env.REQUIRE_BROWSER === '1';

// Callbacks handed to page.waitForFunction run in the browser; the repo's tsconfig has no DOM lib.
declare const document: {
  querySelector(selector: string): unknown;
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
};

export const sel = (name: string) => `[data-test="${name}"]`;

/** `describe` when Chromium is there (or required), else `describe.skip` with a warning naming the suite. */
export function browserDescribe(label: string): jest.Describe {
  if (haveBrowser || requireBrowser) return describe;
  console.warn(
    `[${label} e2e] SKIPPED: ${CHROMIUM} not found. Install Debian's chromium (apt-get install chromium) to run the browser test; ` +
      'set REQUIRE_BROWSER=1 to make its absence a failure.',
  );
  return describe.skip;
}

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/**
 * First step of a suite's beforeAll: fails when REQUIRE_BROWSER=1 but Chromium is missing, then builds
 * the console (the server serves admin-web/dist) when a page is missing or older than its sources.
 */
export function requireBrowserAndConsole(): void {
  if (!haveBrowser) throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing (apt-get install chromium)`);
  const built = Math.min(...PAGES.map((page) => newestMtime(path.join(ADMIN_WEB, 'dist', page))));
  const sources = Math.max(...BUILD_INPUTS.map((input) => newestMtime(path.join(ADMIN_WEB, input))));
  if (built >= sources) return;
  const viteBin = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { cwd: ADMIN_WEB, stdio: 'inherit', timeout: 240_000 });
}

export interface BrowserSession {
  context: BrowserContext;
  /** The context's first tab. */
  page: Page;
  close(): Promise<void>;
}

/**
 * Chromium with a fresh profile: a 1440×900 zh-CN desktop unless `options` say otherwise, its pages
 * waiting `timeout` ms by default.
 */
export async function openBrowser(label: string, options: BrowserContextOptions & { timeout?: number } = {}): Promise<BrowserSession> {
  const { timeout = 15_000, ...contextOptions } = options;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-e2e-chromium-`));
  // playwright takes the profile dir as a parameter (it refuses a --user-data-dir argument)
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    ...contextOptions,
  });
  context.setDefaultTimeout(timeout);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** afterAll: closes the browsers, then stops the server. */
export async function teardown(server: { stop(): Promise<void> } | undefined, ...sessions: Array<BrowserSession | undefined>): Promise<void> {
  for (const session of sessions) await session?.close();
  await server?.stop().catch(() => undefined);
}

/** Signs in on the console's login page and waits for the layout (menu and user name). */
export async function login(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill(sel('login-username'), username);
  await page.fill(sel('login-password'), password);
  await page.click(sel('login-submit'));
  await page.waitForSelector(sel('side-menu'), { timeout: 20_000 });
  await page.waitForSelector(sel('header-user-name'));
}

/** Waits until some match of `selector` reads exactly `expected` (trimmed); `timeout` defaults to the page's. */
export async function waitForText(target: Page | Frame, selector: string, expected: string, timeout?: number): Promise<void> {
  await target.waitForFunction(
    ([s, text]) => Array.from(document.querySelectorAll(s)).some((el) => (el.textContent ?? '').trim() === text),
    [selector, expected] as const,
    timeout === undefined ? {} : { timeout },
  );
}

/** Waits until some match of `selector` contains `expected`. */
export async function waitForTextContaining(target: Page | Frame, selector: string, expected: string, timeout?: number): Promise<void> {
  await target.waitForFunction(
    ([s, text]) => Array.from(document.querySelectorAll(s)).some((el) => (el.textContent ?? '').includes(text)),
    [selector, expected] as const,
    timeout === undefined ? {} : { timeout },
  );
}

/** Waits for the page transition, skeletons and loading masks to finish (for screenshots). */
/**
 * Picks `option` in the element-plus select inside `within` (typing `type` first, for filterable
 * selects). Only a visible option is clicked: dropdowns of selects closed a moment ago may still be
 * in the page, fading out.
 */
export async function pickOption(page: Page, within: string, option: string, type?: string): Promise<void> {
  await page.click(`${within} .el-select__wrapper`);
  if (type) await page.keyboard.type(type);
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

export async function settle(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      !document.querySelector('.page-fade-enter-active, .page-fade-leave-active, .el-skeleton') &&
      !document.querySelector('.el-loading-mask:not([style*="display: none"])'),
    undefined,
    { timeout: 10_000 },
  );
  await page.waitForTimeout(250);
}

export interface Shots {
  dir: string;
  /** A settled full-page screenshot `<name>.png`, or of the element matching `element` only. */
  take(page: Page, name: string, element?: string): Promise<void>;
}

/** The suite's screenshot folder (E2E_SCREENSHOT_DIR or a fresh temp dir, printed). */
export function createShots(label: string): Shots {
  const dir = process.env.E2E_SCREENSHOT_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), `${label}-e2e-shots-`));
  fs.mkdirSync(dir, { recursive: true });
  console.log(`[${label} e2e] screenshots in ${dir}`);
  return {
    dir,
    async take(page, name, element) {
      await settle(page);
      const file = path.join(dir, `${name}.png`);
      if (element) await (await page.waitForSelector(element)).screenshot({ path: file });
      else await page.screenshot({ path: file, fullPage: true });
    },
  };
}

export interface AdminConsoleSession {
  server: TestServer;
  browser: BrowserSession;
  page: Page;
  shots: Shots;
}

/**
 * A suite's beforeAll: checks Chromium and the console build, starts a server (`server` options),
 * runs `prepare` against it, opens the browser (`browser` options) and signs in as admin unless
 * `login` is false. Whatever was started is stopped again when a step fails.
 */
export async function adminConsoleSession(
  label: string,
  options: {
    server?: Parameters<typeof startTestServer>[0];
    browser?: Parameters<typeof openBrowser>[1];
    prepare?: (server: TestServer) => Promise<void>;
    login?: boolean;
  } = {},
): Promise<AdminConsoleSession> {
  requireBrowserAndConsole();
  const server = await startTestServer(options.server);
  let browser: BrowserSession | undefined;
  try {
    await options.prepare?.(server);
    const shots = createShots(label);
    browser = await openBrowser(label, options.browser);
    if (options.login !== false) await login(browser.page, server.baseUrl, 'admin', server.adminPassword);
    return { server, browser, page: browser.page, shots };
  } catch (err) {
    await teardown(server, browser);
    throw err;
  }
}
