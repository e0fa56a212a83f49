// Browser test: a resident signs in on the mobile app (/m/) and keeps the notices inbox open; the
// village cadre of the same village signs in to the admin console (/admin/), composes a notice for
// the village (picked in the audience builder's region tree) with a receipt asked for, and
// publishes it. Without any reload the resident's inbox shows it (live push over the WebSocket);
// the resident opens it and confirms receipt; the publisher's follow-up page counts 1 read and 1
// confirmed (its periodic refresh), and GET /notices/{id}/stats agrees. Runs the real binary and
// Debian's headless Chromium through playwright-core (tests/support/e2e.mjs). Screenshots go to
// tests/e2e/artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import {
  ARTIFACTS, DESKTOP, PHONE, WAIT, adminSignIn, e2eSession, input, mobileSignIn, shotOnFailure,
} from '../support/e2e.mjs';
import { residentAndCadre, signIn } from '../support/accounts.mjs';

/** "1,234" -> 1234; NaN for "—". */
const num = (s) => Number(String(s).replace(/[^\d]/g, '') || NaN);

const e2e = e2eSession({ retryStart: true });

// A page of the session (phone-sized for the resident, desktop for the publisher) that also keeps
// the live frames it receives (the server's hello and events), for the assertions and for the
// failure message.
async function newPage(name, options) {
  const page = await e2e.newPage(name, options);
  page.liveFrames = [];
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/api/v1/ws')) return;
    ws.on('framereceived', (f) => {
      try {
        page.liveFrames.push(JSON.parse(typeof f.payload === 'string' ? f.payload : f.payload.toString()));
      } catch {
        /* not JSON */
      }
    });
  });
  return page;
}

async function waitFor(cond, what, timeout = WAIT) {
  const end = Date.now() + timeout;
  for (;;) {
    if (cond()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a cadre publishes a notice; the open inbox shows it live; the resident confirms; the follow-up counts it', { timeout: 120000 }, async (t) => {
  const { srv } = e2e;
  const { resident, cadre } = residentAndCadre(srv);
  const village = cadre.region_code;
  const title = `防汛值班安排通知 ${randomInt(1000, 10000)}`;
  const body = '## 值班安排\n\n今晚起村委会**24小时值班**，请各户留意。\n\n- 低洼处住户提前转移\n- 有险情拨打村委会电话';

  // --- 1. the resident signs in on the phone and opens the inbox
  const rp = await newPage('resident', PHONE);
  await shotOnFailure(rp, 'notices-resident-inbox', async () => {
    await mobileSignIn(rp, resident, srv.password);
    await rp.getByTestId('tab-notices').click();
    await rp.waitForURL('**/m/notices');
    // The first page loaded (a list or the empty state) and the live connection said hello.
    await rp.locator('[data-testid="inbox-item"], [data-testid="inbox-empty"]').first().waitFor();
    await waitFor(() => rp.liveFrames.some((f) => f.type === 'hello'), 'the resident page\'s WebSocket hello');
    await rp.screenshot({ path: `${ARTIFACTS}notices-1-resident-inbox.png`, fullPage: true });
  });
  const inboxItem = (id) => rp.locator(`[data-testid="inbox-item"][data-id="${id}"]`);
  let documentLoads = 0;
  rp.on('load', () => documentLoads++);

  // --- 2. the cadre composes and publishes a notice for the village in the admin console
  const ap = await newPage('publisher', DESKTOP);
  let noticeId;
  await shotOnFailure(ap, 'notices-compose', async () => {
    await adminSignIn(ap, cadre, srv.password);
    await ap.goto('/admin/notices/new');
    await ap.getByTestId('notice-compose').waitFor();

    await input(ap, 'notice-title').fill(title);
    await ap.getByTestId('notice-category-flood').click();
    await input(ap, 'notice-body').fill(body);

    // Audience: the region tree is rooted at the cadre's own village; tick it.
    const node = ap.getByTestId(`audience-region-${village}`);
    await node.waitFor();
    await ap.locator('.el-tree-node__content', { has: node }).locator('.el-checkbox').first().click();
    await ap.locator('.a-audience__tags .el-tag').first().waitFor();

    // Receipt required.
    const receipt = ap.getByTestId('notice-receipt');
    await receipt.click();
    await ap.waitForFunction(() => {
      const el = document.querySelector('[data-testid="notice-receipt"]');
      const sw = el?.closest('.el-switch') ?? el;
      return !!sw && (sw.classList.contains('is-checked') || sw.querySelector('input')?.checked === true);
    });

    // The audience preview counts the village's people.
    const size = ap.locator('[data-testid="audience-size"][data-busy="0"]');
    await ap.waitForFunction(() => {
      const el = document.querySelector('[data-testid="audience-size"]');
      return el && el.dataset.busy === '0' && Number(el.textContent.replace(/[^\d]/g, '')) > 0;
    }, null, { timeout: WAIT });
    const audienceSize = num(await size.textContent());
    assert.ok(audienceSize > 0, `the audience has people: ${audienceSize}`);
    await ap.screenshot({ path: `${ARTIFACTS}notices-2-compose.png`, fullPage: true });

    await ap.getByTestId('notice-submit').click();
    await ap.waitForURL(/\/admin\/notices\/(?!new)[^/?#]+$/);
    noticeId = decodeURIComponent(new URL(ap.url()).pathname.split('/').pop());
    await ap.getByTestId('notice-followup').waitFor();
    await ap.getByTestId('followup-title').filter({ hasText: title }).waitFor();
    assert.equal(await ap.getByTestId('followup-status').getAttribute('data-status'), 'published');
    assert.equal(num(await ap.getByTestId('stat-audience').textContent()), audienceSize, 'the follow-up counts the previewed audience');
    assert.equal((await ap.getByTestId('stat-read').textContent()).trim(), '0');
    assert.equal((await ap.getByTestId('stat-confirmed').textContent()).trim(), '0');
    await ap.screenshot({ path: `${ARTIFACTS}notices-3-followup-before.png`, fullPage: true });
  });
  assert.ok(noticeId, 'the admin page went to the new notice');

  // The API agrees: the cadre's list has it, with a receipt asked for, to the village.
  const api = await signIn(srv, cadre);
  const list = await api.get('/api/v1/notices?limit=50');
  assert.equal(list.status, 200, list.text);
  const listed = list.json.items.find((n) => n.id === noticeId);
  assert.ok(listed, `GET /notices lists ${noticeId}`);
  assert.equal(listed.title, title);
  assert.equal(listed.receipt_required, true);
  assert.equal(listed.status, 'published');
  assert.deepEqual(listed.audience.regions.map((r) => r.code), [village]);

  // --- 3. the resident's open inbox shows it without a reload (live push)
  await shotOnFailure(rp, 'notices-live', async () => {
    try {
      await inboxItem(noticeId).waitFor({ timeout: WAIT });
    } catch (e) {
      throw new Error(`the open inbox did not show notice ${noticeId} within ${WAIT} ms; live frames received: ${JSON.stringify(rp.liveFrames)}`, { cause: e });
    }
    assert.equal(documentLoads, 0, 'the inbox page was not reloaded');
    assert.ok(
      rp.liveFrames.some((f) => f.type === 'event' && f.event === 'notice.published' && f.data?.id === noticeId),
      `the resident's WebSocket carried notice.published for ${noticeId}: ${JSON.stringify(rp.liveFrames)}`,
    );
    const item = inboxItem(noticeId);
    assert.match(await item.textContent(), new RegExp(title));
    assert.equal(await item.getAttribute('data-read'), '0');
    await item.getByTestId('tag-receipt').waitFor();
    await rp.screenshot({ path: `${ARTIFACTS}notices-4-resident-live.png`, fullPage: true });
  });

  // --- 4. the resident opens it and confirms receipt
  await shotOnFailure(rp, 'notices-confirm', async () => {
    await inboxItem(noticeId).click();
    await rp.waitForURL(`**/m/notices/${noticeId}`);
    const detail = rp.locator(`[data-testid="notice-detail"][data-id="${noticeId}"]`);
    await detail.waitFor();
    assert.equal((await rp.getByTestId('notice-detail-title').textContent()).trim(), title);
    assert.match(await rp.getByTestId('notice-body').innerText(), /24小时值班/);
    await rp.getByTestId('confirm-receipt').click();
    await rp.getByTestId('confirmed').waitFor();
    await rp.getByTestId('confirm-receipt').waitFor({ state: 'detached' });
    await rp.screenshot({ path: `${ARTIFACTS}notices-5-resident-confirmed.png`, fullPage: true });
  });

  // --- 5. the publisher's follow-up page counts it (periodic refresh, 15 s; reload only as a fallback)
  await shotOnFailure(ap, 'notices-followup', async () => {
    const counted = () =>
      ap.waitForFunction(
        () =>
          document.querySelector('[data-testid="stat-read"]')?.textContent.trim() === '1' &&
          document.querySelector('[data-testid="stat-confirmed"]')?.textContent.trim() === '1',
        null,
        { timeout: WAIT },
      );
    try {
      await counted();
    } catch {
      t.diagnostic('the follow-up page did not refresh by itself within 20 s; reloading');
      await ap.reload();
      await counted();
    }
    await ap.screenshot({ path: `${ARTIFACTS}notices-6-followup-after.png`, fullPage: true });
  });

  // --- 6. the API agrees
  const stats = await api.get(`/api/v1/notices/${encodeURIComponent(noticeId)}/stats`);
  assert.equal(stats.status, 200, stats.text);
  assert.equal(stats.json.read, 1, `stats: ${stats.text}`);
  assert.equal(stats.json.confirmed, 1, `stats: ${stats.text}`);
  assert.equal(stats.json.unread, stats.json.audience_size - 1, `stats: ${stats.text}`);

  assert.deepEqual([...rp.errors, ...ap.errors], [], 'no uncaught errors in the pages');
});
