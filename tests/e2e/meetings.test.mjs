// Browser test of a live meeting: a village cadre schedules an online meeting for the village;
// the cadre (console, desktop) and a resident of the village (phone) open its room in two
// headless Chromium pages with Chromium's fake camera and microphone; each receives and decodes
// the other's video (frames decoded > 0, read from the room's connection-quality attributes),
// the resident's chat message reaches the cadre, both leave; the meeting's attendance then shows
// both with their join times. Runs the real binary and Debian's Chromium through playwright-core
// (tests/support/e2e.mjs); no STUN/TURN is needed on loopback. Screenshots of failures go to
// tests/e2e/artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID, randomInt } from 'node:crypto';
import { FAKE_MEDIA } from '../support/browser.mjs';
import { DESKTOP, PHONE, adminSignIn, e2eSession, input, mobileSignIn, shotOnFailure } from '../support/e2e.mjs';
import { signIn } from '../support/accounts.mjs';

const WAIT = 30000;

const e2e = e2eSession({ residents: 300, chromiumArgs: FAKE_MEDIA, permissions: ['camera', 'microphone'], wait: WAIT });

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
  const { srv, newPage } = e2e;
  const cadre = srv.accounts.find((a) => a.role === 'village_cadre');
  const resident = srv.accounts.find((a) => a.role === 'resident' && a.region_code === cadre.region_code);
  assert.ok(cadre && resident, 'the demo county has a cadre and a resident of one village');
  const tag = randomInt(1000, 10000);

  const cadreApi = await signIn(srv, cadre);
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
    await adminSignIn(cp, cadre, srv.password);
    await cp.goto(`/admin/meetings/${id}/room`);
    await cp.waitForFunction(() => document.querySelector('[data-testid="room-join-status"]')?.textContent?.trim() === 'connected');

    // The resident signs in on the phone and joins from 我的会议.
    await mobileSignIn(rp, resident, srv.password);
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
