// Browser test: a new resident signs up in the mobile app (/m/), asks to join the village of the
// first demo village cadre, and sees the request pending; the cadre signs in (another browser
// context), finds the request in 入村审核 and approves it; the resident reloads and sees the
// village on the home page. Runs the real binary (tests/support/server.mjs) and Debian's
// headless Chromium through playwright-core. Screenshots go to tests/e2e/artifacts/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { launchChromium } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { randomPhone, makeIdNumber } from '../support/client.mjs';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
// A phone-sized context, Chinese UI, Shanghai time (the app formats times in Asia/Shanghai anyway).
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};

/** Fills the <input>/<textarea> inside a component that carries the test id (Vant puts it on the wrapper). */
async function fill(page, testid, value) {
  await page.getByTestId(testid).locator('input, textarea').first().fill(value);
}

let srv;
let browser;
const contexts = [];

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  srv = await startServer({ db: 'sqlite' });
  browser = await launchChromium();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close().catch(() => {});
  await srv?.stop();
});

async function newPage(name) {
  const ctx = await browser.newContext({ ...PHONE, baseURL: srv.baseUrl });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(20000);
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`${name}: ${e.message}`));
  return page;
}

async function shotOnFailure(page, name, fn) {
  try {
    return await fn();
  } catch (e) {
    await page.screenshot({ path: `${ARTIFACTS}failure-${name}.png`, fullPage: true }).catch(() => {});
    throw e;
  }
}

test('a resident signs up, asks to join a village, a cadre approves, the resident sees the village', { timeout: 180000 }, async () => {
  const cadre = srv.accounts.find((a) => a.role === 'village_cadre');
  assert.ok(cadre, 'the demo county has a village cadre account');
  const villageCode = cadre.region_code;
  const resident = {
    name: `测试居民${randomInt(100, 1000)}`,
    phone: randomPhone(),
    password: `Join-${randomInt(1e6, 1e7)}-pw`,
    idNumber: makeIdNumber(villageCode.slice(0, 6), `19${50 + randomInt(0, 50)}0${1 + randomInt(0, 9)}1${randomInt(0, 10)}`),
  };

  // --- the resident signs up on the phone
  const rp = await newPage('resident');
  let village;
  await shotOnFailure(rp, 'resident-join', async () => {
    await rp.goto('/m/');
    await rp.waitForURL('**/m/login**');
    await rp.getByTestId('go-signup').click();
    await rp.waitForURL('**/m/signup**');
    await fill(rp, 'signup-name', resident.name);
    await fill(rp, 'signup-phone', resident.phone);
    await fill(rp, 'signup-password', resident.password);
    await rp.getByTestId('signup-submit').click();

    // home: not in a village yet -> join
    await rp.getByTestId('home-join').click();
    await rp.waitForURL('**/m/join');

    // pick the cadre's village by searching its name
    const res = await rp.request.get(`/api/v1/regions/${villageCode}`);
    assert.equal(res.status(), 200, 'a signed-up resident may read the region tree');
    village = await res.json();
    await fill(rp, 'join-village-search', village.short_name);
    await rp.getByTestId(`village-option-${villageCode}`).click();
    assert.equal((await rp.getByTestId('join-picked-name').textContent()).trim(), village.short_name);

    assert.equal(await rp.getByTestId('join-name').locator('input').inputValue(), resident.name, 'the name is prefilled');
    await fill(rp, 'join-id-number', resident.idNumber);
    await rp.getByTestId('join-submit').click();

    // the pending request
    const status = rp.getByTestId('join-status');
    await status.filter({ hasText: '待审核' }).waitFor();
    assert.match(await rp.getByTestId('join-request-village').textContent(), new RegExp(village.short_name));
  });

  // --- the cadre approves it in another browser context
  const cp = await newPage('cadre');
  await shotOnFailure(cp, 'cadre-approve', async () => {
    await cp.goto('/m/login');
    await fill(cp, 'login-phone', cadre.phone);
    await fill(cp, 'login-password', srv.password);
    await cp.getByTestId('login-submit').click();
    await cp.getByTestId('tab-review').click();
    await cp.waitForURL('**/m/review');
    const card = cp.getByTestId('join-request').filter({ hasText: resident.name });
    await card.waitFor();
    assert.match(await card.textContent(), new RegExp(village.short_name));
    await card.getByTestId('join-approve').click();
    await cp.getByTestId('approve-confirm').click();
    await card.waitFor({ state: 'detached' }); // it left the pending list
  });

  // --- the resident reloads: the village is on the home page
  await shotOnFailure(rp, 'resident-home', async () => {
    await rp.goto('/m/');
    await rp.reload();
    const name = rp.getByTestId('home-village-name');
    await name.waitFor();
    assert.equal((await name.textContent()).trim(), village.short_name);
    await rp.screenshot({ path: `${ARTIFACTS}resident-home-joined.png`, fullPage: true });
  });

  assert.deepEqual([...rp.errors, ...cp.errors], [], 'no uncaught errors in the pages');
});
