// Browser test of a live meeting: a village cadre schedules an online meeting for the village;
// the cadre (console, desktop) and a resident of the village (phone) open its room in two
// headless Chromium pages with Chromium's fake camera and microphone; each receives and decodes
// the other's video (frames decoded > 0, read from the room's connection-quality attributes),
// the resident's chat message reaches the cadre, both leave; the meeting's attendance then shows
// both with their join times. Runs the real binary (tests/support/server.mjs) and Debian's
// Chromium through playwright-core; no STUN/TURN is needed on loopback. Screenshots of failures
// go to tests/e2e/artifacts/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { randomUUID, randomInt } from 'node:crypto';
import { FAKE_MEDIA, launchChromium } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { Client } from '../support/client.mjs';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};
const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
const WAIT = 30000;

let srv;
let browser;
const contexts = [];

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  srv = await startServer({ db: 'sqlite', residents: 300 });
  browser = await launchChromium(FAKE_MEDIA);
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close().catch(() => {});
  await srv?.stop();
});

async function newPage(name, options) {
  const ctx = await browser.newContext({ ...options, baseURL: srv.baseUrl, permissions: ['camera', 'microphone'] });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(WAIT);
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`${name}: ${e.message}`));
  return page;
}

async function shotOnFailure(pages, name, fn) {
  try {
    return await fn();
  } catch (e) {
    for (const [i, p] of pages.entries())
      await p.screenshot({ path: `${ARTIFACTS}failure-${name}-${i}.png`, fullPage: true }).catch(() => {});
    throw e;
  }
}

function input(page, testid) {
  return page
    .locator(`input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input, [data-testid="${testid}"] textarea`)
    .first();
}

/** Waits until a remote tile on the page has decoded video frames; returns its count. */
async function decodedFrames(page) {
  const handle = await page.waitForFunction(() => {
    const tiles = [...document.querySelectorAll('[data-testid="room-remote"]')];
    const n = Math.max(0, ...tiles.map((t) => Number(t.getAttribute('data-frames-decoded') || 0)));
    return n > 0 ? n : false;
  }, null, { timeout: WAIT, polling: 250 });
  return handle.jsonValue();
}

test('two people join one room, see each other\'s video, chat and leave; attendance is recorded', { timeout: 180000 }, async () => {
  const cadre = srv.accounts.find((a) => a.role === 'village_cadre');
  const resident = srv.accounts.find((a) => a.role === 'resident' && a.region_code === cadre.region_code);
  assert.ok(cadre && resident, 'the demo county has a cadre and a resident of one village');
  const tag = randomInt(1000, 10000);

  const cadreApi = new Client(srv.baseUrl);
  assert.equal((await cadreApi.login(cadre.phone, srv.password)).status, 200);
  const created = await cadreApi.post('/api/v1/meetings', {
    title: `村民小组视频会（${tag}）`,
    agenda: '1. 春耕安排\n2. 道路维修',
    mode: 'online',
    start_at: new Date(Date.now() + 2 * 60000).toISOString(),
    planned_minutes: 30,
    audience: { regions: [cadre.region_code] },
  }, { headers: { 'idempotency-key': randomUUID() } });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;

  const cp = await newPage('cadre', DESKTOP);
  const rp = await newPage('resident', PHONE);
  await shotOnFailure([cp, rp], 'meetings-room', async () => {
    // The cadre signs in to the console and opens the room from the meeting's page.
    await cp.goto('/admin/login');
    await input(cp, 'login-phone').fill(cadre.phone);
    await input(cp, 'login-password').fill(srv.password);
    await cp.getByTestId('login-submit').click();
    await cp.waitForURL((u) => u.pathname === '/admin/');
    await cp.goto(`/admin/meetings/${id}/room`);
    await cp.waitForFunction(() => document.querySelector('[data-testid="room-join-status"]')?.textContent?.trim() === 'connected');

    // The resident signs in on the phone and joins from 我的会议.
    await rp.goto('/m/login');
    await rp.getByTestId('login-phone').locator('input').fill(resident.phone);
    await rp.getByTestId('login-password').locator('input').fill(srv.password);
    await rp.getByTestId('login-submit').click();
    await rp.waitForURL((u) => u.pathname === '/m/' || u.pathname === '/m');
    // 我的会议 → 加入 on the meeting's card.
    await rp.goto('/m/meetings');
    await rp.getByTestId('meeting-item').filter({ hasText: String(tag) }).getByTestId('meeting-item-join').click();
    await rp.waitForURL(`**/m/meetings/${id}/room`);
    await rp.waitForFunction(() => document.querySelector('[data-testid="room-join-status"]')?.textContent?.trim() === 'connected');

    // Both see the other in the participant list and decode the other's video.
    await cp.locator('[data-testid="room-participant"]').nth(1).waitFor({ state: 'attached' });
    await rp.locator('[data-testid="room-participant"]').nth(1).waitFor({ state: 'attached' });
    const [cf, rf] = await Promise.all([decodedFrames(cp), decodedFrames(rp)]);
    assert.ok(cf > 0 && rf > 0, `decoded frames: cadre ${cf}, resident ${rf}`);

    // The resident's chat message reaches the cadre.
    const message = `我这边画面清楚（${tag}）`;
    await input(rp, 'room-chat-input').fill(message);
    await rp.getByTestId('room-chat-send').click();
    await cp.locator('[data-testid="room-chat-message"]', { hasText: message }).waitFor();

    // Both leave.
    await rp.getByTestId('room-leave').click();
    await cp.getByTestId('room-leave').click();
  });
  assert.deepEqual([...cp.errors, ...rp.errors], [], 'no uncaught errors in the pages');

  // Attendance: both joined, with join times (presence is written within a fraction of a second).
  let rows;
  for (let i = 0; i < 50; i++) {
    const r = await cadreApi.get(`/api/v1/meetings/${id}/attendance`);
    assert.equal(r.status, 200, r.text);
    rows = r.json.items.filter((x) => x.first_join_at);
    if (rows.length >= 2) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  const names = rows.map((x) => x.name).sort();
  assert.ok(rows.length >= 2, `both joins recorded: ${JSON.stringify(rows)}`);
  const me = await cadreApi.get(`/api/v1/meetings/${id}`);
  assert.equal(me.json.status, 'live', 'the first join made the meeting live');
  assert.ok(me.json.started_at, 'it has started');
  assert.equal(names.length, new Set(names).size);
});
