// Browser test: the county admin signs in to the admin console (/admin/) and the dashboard draws
// the chart of registered people per town. Checks that the ECharts chunk is fetched only for the
// dashboard (not by the sign-in page), that the canvas is painted in the app's green under the
// server's Content Security Policy, and that the accessible summary and the figures table agree
// with GET /regions/{county}/children. Elderly mode makes the rows taller. Clicks only the sign-in
// button and the elderly-mode switch. Runs the real binary and Debian's headless Chromium through
// playwright-core (tests/support/e2e.mjs); screenshots go to tests/e2e/artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, DESKTOP, e2eSession, input, shotOnFailure } from '../support/e2e.mjs';

const GREEN = [0x1f, 0x6f, 0x43]; // --sx-green, the bars

const e2e = e2eSession();

test('the dashboard charts registered people per town, most first', { timeout: 120000 }, async () => {
  const { srv } = e2e;
  const admin = srv.accounts.find((a) => a.role === 'county_admin');
  assert.ok(admin, 'the demo county has a county admin');

  const page = await e2e.newPage('admin', DESKTOP);
  const consoleProblems = [];
  const requests = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) consoleProblems.push(m.text());
  });
  page.on('request', (r) => requests.push(r.url()));
  const chartChunk = (u) => /\/assets\/echarts-[^/]*\.js$/.test(new URL(u).pathname);

  await shotOnFailure(page, 'dashboard', async () => {
    await page.goto('/admin/login');
    await input(page, 'login-phone').fill(admin.phone);
    await input(page, 'login-password').fill(srv.password);
    assert.equal(requests.filter(chartChunk).length, 0, 'the sign-in page does not fetch the chart library');
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => u.pathname === '/admin/');

    const chart = page.getByTestId('dashboard-chart-canvas');
    await page.locator('[data-testid="dashboard-chart-canvas"][data-state="rendered"]').waitFor();
    assert.equal(requests.filter(chartChunk).length, 1, 'the dashboard fetched the chart chunk once');

    // The figures, as the API has them.
    const me = await (await page.request.get('/api/v1/me')).json();
    const county = me.county.code;
    const res = await page.request.get(`/api/v1/regions/${county}/children`);
    assert.equal(res.status(), 200);
    const towns = (await res.json()).items;
    assert.ok(towns.length > 1, 'the demo county has towns');
    const sorted = [...towns].sort((a, b) => b.people_count - a.people_count || a.code.localeCompare(b.code));
    const top = sorted[0];
    const fmt = (n) => new Intl.NumberFormat('zh-CN').format(n);

    // A canvas of a sensible size, painted with green bars.
    const canvas = chart.locator('canvas').first();
    const box = await canvas.boundingBox();
    assert.ok(box && box.width > 300 && box.height > 100, `canvas is laid out: ${JSON.stringify(box)}`);
    const greenPixels = await canvas.evaluate((c, green) => {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - green[0]) < 12 && Math.abs(data[i + 1] - green[1]) < 12 && Math.abs(data[i + 2] - green[2]) < 12) n++;
      }
      return n;
    }, GREEN);
    assert.ok(greenPixels > 2000, `the bars are drawn in the app's green (${greenPixels} pixels)`);

    // The text alternative: an image whose label names the town with the most people.
    assert.equal(await chart.getAttribute('role'), 'img');
    const label = await chart.getAttribute('aria-label');
    assert.ok(label.includes(top.short_name), `the summary names ${top.short_name}: ${label}`);
    assert.ok(label.includes(fmt(top.people_count)), `the summary gives its count ${top.people_count}: ${label}`);
    assert.ok(label.indexOf(top.short_name) < label.indexOf(sorted[1].short_name), 'most people first');

    // The figures table (visually hidden): every town, most people first, linking to its region page.
    const rows = page.getByTestId('dashboard-chart-table').locator('tbody tr');
    assert.equal(await rows.count(), towns.length);
    const first = rows.first();
    assert.equal((await first.locator('th').innerText()).trim(), top.short_name);
    assert.equal((await first.locator('td').first().innerText()).trim(), fmt(top.people_count));
    assert.equal(await first.locator('a').getAttribute('href'), `/admin/regions/${top.code}`);
    const last = (await rows.last().locator('th').innerText()).trim();
    assert.equal(last, sorted[sorted.length - 1].short_name);

    // The villages card adds up the towns' villages.
    const villages = towns.reduce((n, t) => n + t.child_count, 0);
    assert.equal((await page.getByTestId('stat-villages').innerText()).trim(), String(villages));
    await page.screenshot({ path: `${ARTIFACTS}dashboard-chart.png`, fullPage: true });

    // Elderly mode: taller rows, same chart instance redrawn.
    const normalHeight = (await chart.boundingBox()).height;
    await page.getByTestId('elderly-toggle').click();
    await page.waitForFunction(() => document.documentElement.classList.contains('sx-elderly'));
    await page.waitForFunction(
      (h) => document.querySelector('[data-testid="dashboard-chart-canvas"]').getBoundingClientRect().height > h,
      normalHeight,
    );
    await page.waitForFunction(() => {
      const c = document.querySelector('[data-testid="dashboard-chart-canvas"] canvas');
      const host = document.querySelector('[data-testid="dashboard-chart-canvas"]');
      return c && Math.abs(c.getBoundingClientRect().height - host.getBoundingClientRect().height) < 2;
    });
    assert.equal(await chart.locator('canvas').count(), 1, 'one canvas (the chart was resized, not re-created)');
    await page.screenshot({ path: `${ARTIFACTS}dashboard-chart-elderly.png`, fullPage: true });

    assert.deepEqual(page.errors, [], 'no uncaught errors in the page');
    assert.deepEqual(consoleProblems, [], 'nothing blocked by the Content Security Policy');
    const origin = new URL(srv.baseUrl).origin;
    assert.deepEqual(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')), [], 'no remote fetches');
  });
});
