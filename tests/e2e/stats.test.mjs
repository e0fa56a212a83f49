// Browser test of the county dashboard (驾驶舱) on the demo county with half a year of demo
// history: the county admin opens /admin/stats, the figures equal GET /stats/dashboard and the
// trend chart and the treemap are drawn (a <canvas> with painted pixels); a village cadre then
// publishes a notice from another client and the open dashboard's notices figure goes up by one
// without a reload (live `stats.changed`); the admin drills down from the county to a town to a
// village, where the village's item lists show; the monthly report downloads from the page and
// exceljs finds the sheets 汇总, 乡镇, 村, 单位 with the month's totals. On a phone, a town official
// opens the leaders' page from the home shortcut and drills into a village. Runs the real binary and
// Debian's headless Chromium (tests/support/e2e.mjs); screenshots go to tests/e2e/artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { ARTIFACTS, DESKTOP, PHONE, adminSignIn, e2eSession, mobileSignIn, shotOnFailure } from '../support/e2e.mjs';
import { account, residentAndCadre, signIn } from '../support/accounts.mjs';

const e2e = e2eSession({ history: 1, retryStart: true });
const COUNTY = '500238000000';

/** The painted (non-transparent) pixels of the first canvas inside the test id's element. */
async function paintedPixels(page, testid) {
  return page.getByTestId(testid).locator('canvas').first().evaluate((c) => {
    const ctx = c.getContext('2d');
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
}

const kpi = async (page, id) => Number(await page.getByTestId(`stats-kpi-${id}`).getAttribute('data-value'));

test('the dashboard draws the demo county, follows a new notice live, drills to a village and downloads the report', { timeout: 180000 }, async () => {
  const { srv } = e2e;
  const admin = account(srv, 'county_admin');
  const { cadre } = residentAndCadre(srv);
  const api = await signIn(srv, admin);
  const dash = await api.get(`/api/v1/stats/dashboard?region=${COUNTY}`);
  assert.equal(dash.status, 200, dash.text);
  const totals = dash.json.totals;
  assert.equal(totals.notices.published, 6000, 'the demo history has 6,000 notices');

  const page = await e2e.newPage('admin', DESKTOP);
  await shotOnFailure(page, 'stats-dashboard', async () => {
    await adminSignIn(page, admin, srv.password);
    await page.getByTestId('menu-stats').click();
    await page.waitForURL((u) => u.pathname === '/admin/stats');
    await page.getByTestId('stats-page').and(page.locator('[data-state="loaded"]')).waitFor();
    assert.equal(await kpi(page, 'notices-published'), totals.notices.published);
    assert.equal(await kpi(page, 'meetings-held'), totals.meetings.held);
    assert.equal(await kpi(page, 'trainings-held'), totals.trainings.held);
    assert.equal(await kpi(page, 'docs-created'), totals.docs.created);
    assert.equal(await kpi(page, 'requests-filed'), totals.requests.filed);
    assert.equal(await kpi(page, 'meetings-hours'), totals.meetings.hours);
    await page.getByTestId('stats-trend-chart-canvas').and(page.locator('[data-state="rendered"]')).waitFor();
    assert.ok((await paintedPixels(page, 'stats-trend-chart')) > 500, 'the trend chart is drawn');
    await page.getByTestId('stats-treemap').locator('canvas').first().waitFor();
    await page.screenshot({ path: `${ARTIFACTS}stats-dashboard.png`, fullPage: true });

    // Live: a notice published elsewhere moves the figure without a reload.
    await page.evaluate(() => { window.__sxMarker = 'same page'; });
    const cadreApi = await signIn(srv, cadre);
    const pub = await cadreApi.post('/api/v1/notices', {
      title: '驾驶舱实时测试通知',
      body: '请各户留意。',
      category: 'other',
      audience: { regions: [cadre.region_code] },
    });
    assert.equal(pub.status, 201, pub.text);
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="stats-kpi-notices-published"]')?.getAttribute('data-value')) === n,
      totals.notices.published + 1,
      { timeout: 15000 },
    );
    assert.equal(await page.evaluate(() => window.__sxMarker), 'same page', 'no reload');

    // Drill down: county → the cadre's town → the cadre's village.
    const town = `${cadre.region_code.slice(0, 9)}000`;
    await page.getByTestId(`stats-child-${town}`).first().click();
    await page.waitForURL((u) => u.searchParams.get('region') === town);
    await page.getByTestId('stats-breadcrumb').getByText(/./).first().waitFor();
    await page.getByTestId(`stats-child-${cadre.region_code}`).first().click();
    await page.waitForURL((u) => u.searchParams.get('region') === cadre.region_code);
    await page.getByTestId('stats-items').waitFor();
    const villageDash = await api.get(`/api/v1/stats/dashboard?region=${cadre.region_code}`);
    await page.getByTestId('stats-page').and(page.locator('[data-state="loaded"]')).waitFor();
    assert.equal(await kpi(page, 'notices-published'), villageDash.json.totals.notices.published);
    assert.ok(villageDash.json.totals.notices.published >= 1);

    // Back to the county; the report of the current month downloads and reads back.
    await page.goto(`/admin/stats?region=${COUNTY}`);
    await page.getByTestId('stats-page').and(page.locator('[data-state="loaded"]')).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('stats-report-download').click(),
    ]);
    const url = new URL(download.url());
    const month = url.searchParams.get('month');
    assert.match(month, /^\d{4}-\d{2}$/);
    const path = `${ARTIFACTS}stats-report.xlsx`;
    await download.saveAs(path);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await readFile(path));
    assert.deepEqual(wb.worksheets.map((w) => w.name), ['汇总', '乡镇', '村', '单位']);
    const m = await api.get(`/api/v1/stats/dashboard?region=${COUNTY}&from=${month}&to=${month}`);
    const published = m.json.totals.notices.published;
    // 汇总: the row 通知发布, column 本月.
    let summary = null;
    wb.getWorksheet('汇总').eachRow((row) => { if (row.getCell(1).value === '通知发布') summary = row.getCell(2).value; });
    assert.equal(summary, published);
    // 乡镇: the 合计 row of the 通知发布 column equals the totals, and the towns are all there.
    const towns = wb.getWorksheet('乡镇');
    const head = towns.getRow(2).values;
    const col = head.indexOf('通知发布');
    assert.ok(col > 0, `通知发布 column in ${head}`);
    let total = null;
    let rows = 0;
    towns.eachRow((row, i) => {
      if (i <= 2) return;
      if (row.getCell(1).value === '合计') total = row.getCell(col).value;
      else rows++;
    });
    assert.equal(total, published);
    assert.equal(rows, m.json.children.length);
  });
  assert.deepEqual(page.errors, []);
});

test('a town official follows the town on the phone and drills into a village', { timeout: 120000 }, async () => {
  const { srv } = e2e;
  const official = account(srv, 'town_official');
  const api = await signIn(srv, official);
  const dash = await api.get(`/api/v1/stats/dashboard?region=${official.region_code}`);
  assert.equal(dash.status, 200, dash.text);
  assert.ok(dash.json.children.length > 0, 'the town has villages');
  const page = await e2e.newPage('official', PHONE);
  await shotOnFailure(page, 'stats-mobile', async () => {
    await mobileSignIn(page, official, srv.password);
    await page.getByTestId('shortcut-stats').click();
    await page.waitForURL((u) => u.pathname === '/m/stats');
    await page.getByTestId('stats-page').and(page.locator('[data-state="loaded"]')).waitFor();
    assert.equal(await page.getByTestId('stats-page').getAttribute('data-region'), official.region_code);
    assert.equal(await kpi(page, 'notices-published'), dash.json.totals.notices.published);
    await page.getByTestId('stats-trend-chart').waitFor();
    const village = dash.json.children[0];
    await page.getByTestId(`stats-child-${village.code}`).first().click();
    await page.waitForURL((u) => u.searchParams.get('region') === village.code);
    await page.getByTestId('stats-page').and(page.locator(`[data-region="${village.code}"]`)).waitFor();
    assert.equal(await kpi(page, 'notices-published'), village.notices.published);
    await page.screenshot({ path: `${ARTIFACTS}stats-mobile.png`, fullPage: true });
  });
  assert.deepEqual(page.errors, []);
});
