// Browser test: a new resident signs up in the mobile app (/m/), asks to join the village of the
// first demo village cadre, and sees the request pending; the cadre signs in (another browser
// context), finds the request in 入村审核 and approves it; the resident reloads and sees the
// village on the home page. Runs the real binary and Debian's headless Chromium through
// playwright-core (tests/support/e2e.mjs). Screenshots go to tests/e2e/artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { ARTIFACTS, e2eSession, fillVant, mobileSignIn, shotOnFailure } from '../support/e2e.mjs';
import { randomPhone, makeIdNumber } from '../support/client.mjs';

// Both people use the mobile app: newPage's default phone-sized context (PHONE).
const e2e = e2eSession();

test('a resident signs up, asks to join a village, a cadre approves, the resident sees the village', { timeout: 180000 }, async () => {
  const { srv, newPage } = e2e;
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
    await fillVant(rp, 'signup-name', resident.name);
    await fillVant(rp, 'signup-phone', resident.phone);
    await fillVant(rp, 'signup-password', resident.password);
    await rp.getByTestId('signup-submit').click();

    // home: not in a village yet -> join
    await rp.getByTestId('home-join').click();
    await rp.waitForURL('**/m/join');

    // pick the cadre's village by searching its name
    const res = await rp.request.get(`/api/v1/regions/${villageCode}`);
    assert.equal(res.status(), 200, 'a signed-up resident may read the region tree');
    village = await res.json();
    await fillVant(rp, 'join-village-search', village.short_name);
    await rp.getByTestId(`village-option-${villageCode}`).click();
    assert.equal((await rp.getByTestId('join-picked-name').textContent()).trim(), village.short_name);

    assert.equal(await rp.getByTestId('join-name').locator('input').inputValue(), resident.name, 'the name is prefilled');
    await fillVant(rp, 'join-id-number', resident.idNumber);
    await rp.getByTestId('join-submit').click();

    // the pending request
    const status = rp.getByTestId('join-status');
    await status.filter({ hasText: '待审核' }).waitFor();
    assert.match(await rp.getByTestId('join-request-village').textContent(), new RegExp(village.short_name));
  });

  // --- the cadre approves it in another browser context
  const cp = await newPage('cadre');
  await shotOnFailure(cp, 'cadre-approve', async () => {
    await mobileSignIn(cp, cadre, srv.password);
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
