// Shared setup for the browser tests under tests/e2e/: phone and desktop contexts, helpers that fill
// Element Plus (console) and Vant (mobile) inputs and sign in, screenshots on failure, and
// e2eSession(), which starts the real binary (tests/support/server.mjs) on a fresh SQLite database
// and Debian's headless Chromium (tests/support/browser.mjs) before a file's tests and stops both
// after them. Screenshots go to tests/e2e/artifacts/.
import { after, before } from 'node:test';
import { mkdirSync } from 'node:fs';
import { launchChromium } from './browser.mjs';
import { startServer } from './server.mjs';

export const ARTIFACTS = new URL('../e2e/artifacts/', import.meta.url).pathname;

// A phone-sized context for the mobile app (/m/), a desktop one for the admin console (/admin/);
// Chinese UI, Shanghai time (the app formats times in Asia/Shanghai anyway).
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};
export const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
// The pages' default timeout unless e2eSession() is told otherwise.
export const WAIT = 20000;

/** Element Plus puts data-testid on the <input>/<textarea> itself; accept a wrapper too. */
export function input(page, testid) {
  return page
    .locator(
      `input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input, [data-testid="${testid}"] textarea`,
    )
    .first();
}

/** Vant puts data-testid on the wrapper: fills the <input>/<textarea> inside it. */
export async function fillVant(page, testid, value) {
  await page.getByTestId(testid).locator('input, textarea').first().fill(value);
}

/** Signs in to the admin console and waits for its home page. */
export async function adminSignIn(page, account, password) {
  await page.goto('/admin/login');
  await input(page, 'login-phone').fill(account.phone);
  await input(page, 'login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname === '/admin/');
}

/** Signs in to the mobile app; waits for nothing after the click. */
export async function mobileSignIn(page, account, password) {
  await page.goto('/m/login');
  await fillVant(page, 'login-phone', account.phone);
  await fillVant(page, 'login-password', password);
  await page.getByTestId('login-submit').click();
}

/**
 * Runs fn; if it throws, screenshots the page to artifacts/failure-<name>.png (an array of pages:
 * each to failure-<name>-<i>.png) and rethrows.
 */
export async function shotOnFailure(pages, name, fn) {
  try {
    return await fn();
  } catch (e) {
    if (Array.isArray(pages)) {
      for (const [i, p] of pages.entries())
        await p.screenshot({ path: `${ARTIFACTS}failure-${name}-${i}.png`, fullPage: true }).catch(() => {});
    } else {
      await pages.screenshot({ path: `${ARTIFACTS}failure-${name}.png`, fullPage: true }).catch(() => {});
    }
    throw e;
  }
}

/**
 * Registers the file's before/after hooks: before, the artifacts directory, a server on a fresh
 * SQLite demo database (startServer's default residents unless told; demo history × `history`,
 * none by default) and Chromium (with
 * chromiumArgs); after, every context made by newPage, the browser and the server. retryStart
 * tries the server once more after 3 s (the binary may be being rebuilt). Returns
 * { srv, browser, newPage }; srv and browser are set once the before hook has run.
 */
export function e2eSession({ residents, history = 0, chromiumArgs = [], permissions, wait = WAIT, retryStart = false } = {}) {
  const contexts = [];
  const serverOptions = residents === undefined ? { db: 'sqlite', history } : { db: 'sqlite', residents, history };
  const session = { srv: null, browser: null, newPage };

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    try {
      session.srv = await startServer(serverOptions);
    } catch (e) {
      if (!retryStart) throw e;
      // The binary may be being rebuilt: one retry.
      console.error(`server did not start, retrying once: ${e.message.split('\n')[0]}`);
      await new Promise((r) => setTimeout(r, 3000));
      session.srv = await startServer(serverOptions);
    }
    session.browser = await launchChromium(chromiumArgs);
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await session.browser?.close().catch(() => {});
    await session.srv?.stop();
  });

  /**
   * A page in a new browser context (PHONE unless told, with the session's permissions), the
   * session's default timeout, and its uncaught errors in page.errors as "<name>: <message>".
   */
  async function newPage(name, options = PHONE) {
    const ctx = await session.browser.newContext({
      ...options,
      baseURL: session.srv.baseUrl,
      ...(permissions ? { permissions } : {}),
    });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(wait);
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(`${name}: ${e.message}`));
    return page;
  }

  return session;
}
