// Browser test of 接诉即办 end to end: a resident files a request on the phone (/m/) — category
// 环境卫生 (routed to the resident's own village committee), a description and a real photo — and
// sees it waiting to be signed; the village cadre of the same village finds it in the admin
// console's 诉求办理 → 待我办理, signs it, adds a progress note and finishes it as fixed (with a
// photo of the result); the resident's open detail page shows it done, the resident confirms it
// fixed and gives five stars; the county admin's 三率 dashboard for this month, empty before,
// now shows the request in its rates, and GET /requests/metrics agrees. Runs the real binary and
// Debian's headless Chromium through playwright-core (tests/support/e2e.mjs). Screenshots go to
// tests/e2e/artifacts/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { randomInt } from 'node:crypto';
import {
  ARTIFACTS, DESKTOP, PHONE, WAIT, adminSignIn, e2eSession, fillVant, input, mobileSignIn, shotOnFailure,
} from '../support/e2e.mjs';
import { residentAndCadre, signIn } from '../support/accounts.mjs';

// ---- a real PNG (an RGB gradient), written to a temp dir for the file inputs
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function makePng(width, height, seed) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = (x * 4 + seed) & 0xff;
      raw[row + 2 + x * 3] = (y * 4) & 0xff;
      raw[row + 3 + x * 3] = (x + y + seed * 3) & 0xff;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The current month in Asia/Shanghai, "2026-11" (as the dashboard picks it). */
const thisMonth = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 7);

// The server, the browser and the pages (phone-sized for the resident, desktop for the console).
const e2e = e2eSession({ retryStart: true });

// A temp dir for the photos the file inputs upload.
let tmp;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sx-e2e-requests-'));
});
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The dashboard's three big numbers, once it has loaded. */
async function readRates(page) {
  await page.getByTestId('requests-dashboard').waitFor();
  await page.waitForFunction(() => !document.querySelector('.a-rq-rates .el-loading-mask'), null, { timeout: WAIT });
  // The refresh button shows no spinner once the figures are in.
  await page.locator('[data-testid="rates-refresh"]:not(.is-loading)').waitFor();
  const text = async (id) => (await page.getByTestId(id).textContent()).trim();
  return {
    response: await text('rate-response'),
    resolve: await text('rate-resolve'),
    satisfaction: await text('rate-satisfaction'),
    who: (await page.locator('.a-rq-rates__who').textContent()).trim(),
  };
}

/** A rate on the page, "87.5%" -> 87.5; NaN for "—" or empty. */
const pct = (s) => (/^\d+(\.\d+)?%$/.test(s) ? Number(s.slice(0, -1)) : NaN);

test('a resident files a request with a photo; the village committee signs, reports and finishes it; the resident confirms and rates it; the county 三率 change', { timeout: 120000 }, async (t) => {
  const { srv, newPage } = e2e;
  const { resident, cadre } = residentAndCadre(srv);
  const countyAdmin = srv.accounts.find((a) => a.role === 'county_admin');
  assert.ok(countyAdmin, 'the demo county has a county admin');
  const village = resident.region_code;
  const month = thisMonth();
  const tag = randomInt(1000, 10000);
  const description = `村口垃圾池已经满了好几天没人清运，气味很大，请尽快处理（测试 ${tag}）`;
  const progressNote = `已联系保洁员，今天下午安排清运车（${tag}）`;
  const resultNote = `垃圾池已清运完毕并消毒，已安排每两天清运一次（${tag}）`;
  const photoPath = join(tmp, 'garbage.png');
  writeFileSync(photoPath, makePng(96, 64, 7));
  const resultPhotoPath = join(tmp, 'cleaned.png');
  writeFileSync(resultPhotoPath, makePng(96, 64, 120));

  // API clients for the checks.
  const countyApi = await signIn(srv, countyAdmin);
  const residentApi = await signIn(srv, resident);
  const metricsUrl = `/api/v1/requests/metrics?from=${month}&to=${month}&group=county&min_cases=1`;
  const countyMetrics = async () => {
    const r = await countyApi.get(metricsUrl);
    assert.equal(r.status, 200, `${metricsUrl}: ${r.text}`);
    const row = r.json.items[0];
    return row ?? { filed: 0, resolved: 0, unresolved: 0, rated: 0, satisfied: 0, satisfaction_rate: 0, response_rate: 0, resolve_rate: 0 };
  };

  // --- 0. the county's figures before: the API and the dashboard page
  const metricsBefore = await countyMetrics();
  const dp = await newPage('county', DESKTOP);
  const ratesBefore = await shotOnFailure(dp, 'requests-dashboard-before', async () => {
    await adminSignIn(dp, countyAdmin, srv.password);
    await dp.getByTestId('menu-requests-dashboard').click();
    await dp.waitForURL('**/admin/requests/dashboard**');
    const rates = await readRates(dp);
    const u = new URL(dp.url());
    assert.equal(u.searchParams.get('from') ?? month, month, 'the dashboard shows this month');
    await dp.screenshot({ path: `${ARTIFACTS}requests-1-dashboard-before.png`, fullPage: true });
    return rates;
  });
  if (metricsBefore.rated === 0) {
    // A fresh county: no satisfaction figure yet.
    assert.ok(!(pct(ratesBefore.satisfaction) > 0), `no satisfaction rate before any rating: ${JSON.stringify(ratesBefore)}`);
  }

  // --- 1. the resident files a request on the phone
  const rp = await newPage('resident', PHONE);
  let requestId;
  await shotOnFailure(rp, 'requests-file', async () => {
    await mobileSignIn(rp, resident, srv.password);
    await rp.getByTestId('tab-requests').click();
    await rp.waitForURL('**/m/requests');
    await rp.getByTestId('request-new').click();
    await rp.waitForURL('**/m/requests/new');

    await rp.getByTestId('request-category-sanitation').click();
    assert.equal(await rp.getByTestId('request-category').getAttribute('data-value'), 'sanitation');
    await fillVant(rp, 'request-description', description);

    await rp.getByTestId('request-photo-input').setInputFiles(photoPath);
    await rp.locator('[data-testid="request-photo"][data-status="done"]').waitFor();
    assert.equal(await rp.getByTestId('request-photo').count(), 1);

    const pub = rp.getByTestId('request-public');
    await pub.click();
    await rp.waitForFunction(() => document.querySelector('[data-testid="request-public"]')?.getAttribute('aria-checked') === 'true');
    await rp.screenshot({ path: `${ARTIFACTS}requests-2-resident-form.png`, fullPage: true });

    await rp.getByTestId('request-submit').click();
    await rp.waitForURL(/\/m\/requests\/(?!new|board)[^/?#]+$/);
    requestId = decodeURIComponent(new URL(rp.url()).pathname.split('/').pop());
    await rp.locator(`[data-testid="request-detail"][data-id="${requestId}"]`).waitFor();
    const status = rp.getByTestId('request-status');
    assert.equal(await status.getAttribute('data-status'), 'dispatched');
    assert.match(await status.textContent(), /等待接单/);
    assert.equal((await rp.getByTestId('request-description-text').textContent()).trim(), description);
    await rp.locator('.m-rq-gallery img').first().waitFor();
    await rp.screenshot({ path: `${ARTIFACTS}requests-3-resident-filed.png`, fullPage: true });

    // Back to my requests: it is listed, waiting.
    await rp.locator('.van-nav-bar__left').click();
    await rp.waitForURL('**/m/requests');
    const item = rp.locator(`[data-testid="request-item"][data-id="${requestId}"]`);
    await item.waitFor();
    assert.equal(await item.getAttribute('data-status'), 'dispatched');
    await item.click();
    await rp.waitForURL(`**/m/requests/${requestId}`);
    await rp.locator(`[data-testid="request-detail"][data-id="${requestId}"]`).waitFor();
  });
  assert.ok(requestId, 'the phone went to the new request');

  // The API agrees: dispatched to the village committee, with the photo.
  {
    const r = await residentApi.get(`/api/v1/requests/${encodeURIComponent(requestId)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'dispatched');
    assert.equal(r.json.category, 'sanitation');
    assert.equal(r.json.village_code, village);
    assert.equal(r.json.handler, `village:${village}`, `routed to the village committee: ${r.json.handler}`);
    assert.equal(r.json.level, 'village');
    assert.equal(r.json.public, true);
    assert.equal(r.json.description, description);
    assert.equal(r.json.photos.length, 1, 'the photo is attached');
    const img = await residentApi.bytes(r.json.photos[0].url);
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/png');
    assert.deepEqual([...img.buf.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG comes back');
  }

  // --- 2. the village cadre handles it in the console
  const ap = await newPage('cadre', DESKTOP);
  await shotOnFailure(ap, 'requests-handle', async () => {
    await adminSignIn(ap, cadre, srv.password);
    await ap.getByTestId('menu-requests').click();
    await ap.waitForURL('**/admin/requests**');
    await ap.getByTestId('requests-tab-todo').click();
    const link = ap.getByTestId(`request-row-${requestId}`);
    await link.waitFor();
    await ap.screenshot({ path: `${ARTIFACTS}requests-4-cadre-todo.png`, fullPage: true });
    await link.click();
    await ap.waitForURL(`**/admin/requests/${requestId}`);
    const status = ap.getByTestId('request-status');
    await ap.locator('[data-testid="request-status"][data-status="dispatched"]').waitFor();
    assert.equal((await ap.getByTestId('request-description-text').textContent()).trim(), description);
    await ap.getByTestId('request-photos-view').waitFor();

    // 签收
    await ap.getByTestId('request-sign').click();
    await ap.locator('[data-testid="request-status"][data-status="signed"]').waitFor();

    // 办理进展
    await ap.getByTestId('request-progress').click();
    await input(ap, 'request-progress-note').fill(progressNote);
    await ap.getByTestId('request-progress-submit').click();
    await ap.locator('[data-testid="request-status"][data-status="processing"]').waitFor();
    await ap.locator('.a-rq-detail__main').getByText(progressNote).first().waitFor();

    // 办结: fixed, with a note and a photo of the result (handlers may attach photos)
    await ap.getByTestId('request-finish').click();
    await ap.getByTestId('request-finish-fixed').click();
    await input(ap, 'request-finish-note').fill(resultNote);
    await ap.getByTestId('request-finish-photos-input').setInputFiles(resultPhotoPath);
    await ap.locator('[data-testid="request-finish-photos"] .a-attach__item[data-status="done"]').waitFor();
    await ap.screenshot({ path: `${ARTIFACTS}requests-5-cadre-finish.png`, fullPage: true });
    await ap.getByTestId('request-finish-submit').click();
    await ap.locator('[data-testid="request-status"][data-status="finished"]').waitFor();
    await ap.getByTestId('request-result').filter({ hasText: resultNote }).waitFor();
    assert.match(await status.textContent(), /待群众确认/);
    await ap.screenshot({ path: `${ARTIFACTS}requests-6-cadre-finished.png`, fullPage: true });
  });

  // The API agrees: signed, a progress step and the result with its photo.
  {
    const r = await residentApi.get(`/api/v1/requests/${encodeURIComponent(requestId)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'finished');
    assert.equal(r.json.outcome, 'fixed');
    assert.equal(r.json.result_note, resultNote);
    assert.ok(r.json.signed_at, 'signed_at is set');
    const kinds = r.json.steps.map((s) => s.kind);
    for (const k of ['file', 'sign', 'progress', 'finish']) assert.ok(kinds.includes(k), `a ${k} step: ${kinds}`);
    const finishStep = r.json.steps.find((s) => s.kind === 'finish');
    assert.equal(finishStep.photos.length, 1, 'the result photo is on the finish step');
  }

  // --- 3. the resident's open page shows it done; confirms it fixed and gives five stars
  await shotOnFailure(rp, 'requests-confirm', async () => {
    const finished = rp.locator('[data-testid="request-status"][data-status="finished"]');
    try {
      await finished.waitFor({ timeout: WAIT }); // live (request.updated)
    } catch {
      t.diagnostic('the resident\'s open page did not update by itself within 20 s; reloading');
      await rp.reload();
      await finished.waitFor();
    }
    assert.match(await rp.getByTestId('request-status').textContent(), /办好了/);
    await rp.getByTestId('request-result').filter({ hasText: resultNote }).waitFor();
    await rp.screenshot({ path: `${ARTIFACTS}requests-7-resident-finished.png`, fullPage: true });

    await rp.getByTestId('request-confirm-fixed').click();
    await rp.locator('[data-testid="request-status"][data-status="resolved"]').waitFor();
    await rp.getByTestId('request-confirm').waitFor({ state: 'detached' });

    await rp.getByTestId('request-rate').locator('.van-rate__item').nth(4).click();
    await rp.waitForFunction(
      () => document.querySelectorAll('[data-testid="request-rate"] .van-rate__item .van-rate__icon--full').length === 5,
    );
    await rp.getByTestId('request-rate-submit').click();
    const rated = rp.getByTestId('request-rated');
    await rated.waitFor();
    assert.equal(await rated.getAttribute('data-rating'), '5');
    await rp.getByTestId('request-rate-box').waitFor({ state: 'detached' });
    await rp.screenshot({ path: `${ARTIFACTS}requests-8-resident-rated.png`, fullPage: true });
  });
  {
    const r = await residentApi.get(`/api/v1/requests/${encodeURIComponent(requestId)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'resolved');
    assert.equal(r.json.rating, 5);
  }

  // --- 4. the county's 三率 changed: the API, then the dashboard
  const metricsAfter = await countyMetrics();
  const delta = `before ${JSON.stringify(metricsBefore)}, after ${JSON.stringify(metricsAfter)}`;
  assert.equal(metricsAfter.filed, metricsBefore.filed + 1, `filed grew by one: ${delta}`);
  assert.equal(metricsAfter.resolved, metricsBefore.resolved + 1, `resolved grew by one: ${delta}`);
  assert.equal(metricsAfter.rated, metricsBefore.rated + 1, `rated grew by one: ${delta}`);
  assert.equal(metricsAfter.satisfied, metricsBefore.satisfied + 1, `satisfied grew by one: ${delta}`);
  assert.ok(metricsAfter.satisfaction_rate > 0, `satisfaction_rate > 0: ${delta}`);
  assert.ok(metricsAfter.resolve_rate > 0, `resolve_rate > 0: ${delta}`);

  await shotOnFailure(dp, 'requests-dashboard-after', async () => {
    await dp.getByTestId('rates-refresh').click();
    await dp.waitForFunction(
      (before) => {
        const el = document.querySelector('[data-testid="rate-satisfaction"]');
        return !!el && el.textContent.trim() !== before;
      },
      ratesBefore.satisfaction,
      { timeout: WAIT },
    );
    const ratesAfter = await readRates(dp);
    const seen = `before ${JSON.stringify(ratesBefore)}, after ${JSON.stringify(ratesAfter)}`;
    assert.ok(pct(ratesAfter.satisfaction) > 0, `the page shows a satisfaction rate above 0%: ${seen}`);
    assert.ok(pct(ratesAfter.resolve) > 0, `the page shows a resolve rate above 0%: ${seen}`);
    assert.ok(Number.isFinite(pct(ratesAfter.response)), `the page shows a response rate: ${seen}`);
    assert.notEqual(ratesAfter.satisfaction, ratesBefore.satisfaction, `the satisfaction rate changed: ${seen}`);
    // The page shows what the API says (one decimal).
    const shown = (v) => `${(Math.round(v * 1000) / 10).toFixed(1)}%`;
    assert.equal(ratesAfter.satisfaction, shown(metricsAfter.satisfaction_rate), seen);
    assert.equal(ratesAfter.resolve, shown(metricsAfter.resolve_rate), seen);
    assert.equal(ratesAfter.response, shown(metricsAfter.response_rate), seen);
    await dp.screenshot({ path: `${ARTIFACTS}requests-9-dashboard-after.png`, fullPage: true });
  });

  assert.deepEqual([...rp.errors, ...ap.errors, ...dp.errors], [], 'no uncaught errors in the pages');
});
