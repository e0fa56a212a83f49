// Browser tests of online documents and collection forms (docs/docs.md), on the real binary and
// Debian's headless Chromium through playwright-core (tests/support/e2e.mjs):
// (a) a village cadre creates a document and shares it with a second cadre as editor (API setup);
//     both open it in the console's editor (Tiptap bound to Yjs over /yjs/{id}); each types
//     Chinese text and sees the other's arrive, both see two people here, and a reload shows the
//     text the server stored;
// (b) the cadre builds a form in the console (a text, a single choice, a number and a phone
//     field), sends it to the village (the audience tree) with a deadline; a resident of the
//     village opens the form's notice on the phone (PHONE viewport), taps 去填写, is told about a
//     wrong phone number beside the field, fixes it and submits (已提交，可修改); the cadre's results
//     page counts the response and lists it.
// Screenshots go to tests/e2e/artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { ARTIFACTS, DESKTOP, PHONE, WAIT, adminSignIn, e2eSession, fillVant, input, mobileSignIn, shotOnFailure } from '../support/e2e.mjs';
import { account, residentAndCadre, signIn } from '../support/accounts.mjs';

const e2e = e2eSession({ residents: 300, retryStart: true });

/** The text of the page's editor (ProseMirror's contenteditable). */
const editorText = (page) => page.getByTestId('doc-editor').innerText();

async function waitForText(page, text, what) {
  await page.waitForFunction(
    (t) => (document.querySelector('[data-testid="doc-editor"]')?.textContent ?? '').includes(t),
    text,
    { timeout: WAIT },
  ).catch(async (e) => {
    throw new Error(`${what}: "${text}" not in the editor; it has "${await editorText(page).catch(() => '?')}" (${e.message.split('\n')[0]})`);
  });
}

async function openDoc(page, id) {
  await page.goto(`/admin/docs/${id}`);
  await page.locator('[data-testid="doc-sync-status"][data-status="connected"][data-synced="1"]').waitFor();
  await page.getByTestId('doc-editor').waitFor();
}

/** Types at the end of the document. */
async function typeAtEnd(page, text) {
  const ed = page.getByTestId('doc-editor');
  await ed.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(text, { delay: 15 });
}

test('two editors type Chinese into one document and see each other\'s text', { timeout: 150000 }, async () => {
  const { srv, newPage } = e2e;
  const cadre = account(srv, 'village_cadre', 0);
  const other = account(srv, 'village_cadre', 1);
  assert.ok(cadre && other && cadre.phone !== other.phone, 'the demo county has two village cadres');
  const tag = randomInt(1000, 10000);

  const cadreApi = await signIn(srv, cadre);
  const otherApi = await signIn(srv, other);
  const otherMe = await otherApi.get('/api/v1/me');
  assert.equal(otherMe.status, 200, otherMe.text);

  const created = await cadreApi.post('/api/v1/docs', { kind: 'doc', title: `村民代表会议纪要（${tag}）`, region_code: cadre.region_code },
    { headers: { 'idempotency-key': randomUUID() } });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  assert.equal(created.json.my_role, 'owner');

  // The second cadre's village is another one: without a share the document does not exist for them.
  const hidden = await otherApi.get(`/api/v1/docs/${id}`);
  assert.equal(hidden.status, 404, hidden.text);
  const shared = await cadreApi.req('PUT', `/api/v1/docs/${id}/shares`, { body: { shares: [{ kind: 'account', target: otherMe.json.id, role: 'editor' }] } });
  assert.equal(shared.status, 200, shared.text);
  assert.equal(shared.json.shares[0].label, otherMe.json.name);
  const seen = await otherApi.get(`/api/v1/docs/${id}`);
  assert.equal(seen.status, 200, seen.text);
  assert.equal(seen.json.my_role, 'editor');

  const a = await newPage('cadre', DESKTOP);
  const b = await newPage('editor', DESKTOP);
  const first = `春耕安排：三月初开始翻地，种子统一采购（${tag}）`;
  const second = `水渠清淤由二组负责，周六上午集合（${tag}）`;
  await shotOnFailure([a, b], 'docs-coedit', async () => {
    await adminSignIn(a, cadre, srv.password);
    await adminSignIn(b, other, srv.password);
    await openDoc(a, id);
    await openDoc(b, id);
    assert.equal(await a.getByTestId('doc-my-role').getAttribute('data-role'), 'owner');
    assert.equal(await b.getByTestId('doc-my-role').getAttribute('data-role'), 'editor');

    // Both are here (awareness), each with an avatar.
    await a.locator('[data-testid="doc-peers"][data-count="2"]').waitFor();
    await b.locator('[data-testid="doc-peers"][data-count="2"]').waitFor();

    // The share dialog lists the second cadre.
    await a.getByTestId('doc-share').click();
    await a.getByTestId('doc-share-label').filter({ hasText: otherMe.json.name }).waitFor();
    await a.keyboard.press('Escape');

    await typeAtEnd(a, first);
    await waitForText(b, first, 'the editor sees the cadre\'s text');
    await typeAtEnd(b, second);
    await waitForText(a, second, 'the cadre sees the editor\'s text');
    await a.screenshot({ path: `${ARTIFACTS}docs-1-coedit-cadre.png`, fullPage: true });
    await b.screenshot({ path: `${ARTIFACTS}docs-2-coedit-editor.png`, fullPage: true });

    // The server stored both: a fresh load of the page shows them.
    await openDoc(a, id);
    await waitForText(a, first, 'after a reload');
    await waitForText(a, second, 'after a reload');
  });
  assert.deepEqual([...a.errors, ...b.errors], [], 'no uncaught errors in the pages');

  const after = await cadreApi.get(`/api/v1/docs/${id}`);
  assert.equal(after.status, 200, after.text);
  assert.ok(after.json.size_bytes > 0, `the document has content: ${after.text}`);
});

test('a cadre builds and sends a form; a resident fills it on the phone; the results show it', { timeout: 180000 }, async () => {
  const { srv, newPage } = e2e;
  const { resident, cadre } = residentAndCadre(srv);
  const village = cadre.region_code;
  const tag = randomInt(1000, 10000);
  const title = `春耕种植意向调查（${tag}）`;

  // --- the cadre builds the form in the console
  const ap = await newPage('cadre', DESKTOP);
  let formId;
  await shotOnFailure(ap, 'docs-form-build', async () => {
    await adminSignIn(ap, cadre, srv.password);
    await ap.goto('/admin/docs');
    await ap.getByTestId('form-new').click();
    await input(ap, 'doc-create-title').fill(title);
    await ap.getByTestId('doc-create-submit').click();
    await ap.waitForURL(/\/admin\/forms\/[^/]+$/);
    formId = decodeURIComponent(new URL(ap.url()).pathname.split('/').pop());
    await ap.getByTestId('form-builder').waitFor();

    await input(ap, 'builder-description').fill('请各户如实填写今年的种植打算。');
    await ap.getByTestId('builder-add-text').click();
    await input(ap, 'builder-field-label-0').fill('户主姓名');
    await ap.getByTestId('builder-add-single').click();
    await input(ap, 'builder-field-label-1').fill('今年是否种植水稻');
    await input(ap, 'builder-field-options-1').fill('种\n不种');
    await ap.getByTestId('builder-add-number').click();
    await input(ap, 'builder-field-label-2').fill('计划种植亩数');
    await ap.getByTestId('builder-add-phone').click();
    await input(ap, 'builder-field-label-3').fill('联系电话');
    await ap.getByTestId('builder-save').click();
    await ap.waitForFunction(() => !document.querySelector('[data-testid="builder-dirty"]'));

    // Send it to the village with the default deadline (a week ahead).
    await ap.getByTestId('builder-send').click();
    const dialog = ap.getByTestId('form-send-dialog');
    const node = ap.getByTestId(`audience-region-${village}`);
    await dialog.getByTestId(`audience-region-${village}`).waitFor();
    await dialog.locator('.el-tree-node__content', { has: node }).locator('.el-checkbox').first().click();
    await dialog.locator('.a-audience__tags .el-tag').first().waitFor();
    await ap.screenshot({ path: `${ARTIFACTS}docs-3-form-send.png`, fullPage: true });
    await ap.getByTestId('form-send-submit').click();
    await ap.waitForURL(/\/admin\/forms\/[^/]+\/results$/);
    await ap.locator('[data-testid="form-state"][data-status="open"]').waitFor();
    await ap.waitForFunction(() => Number(document.querySelector('[data-testid="form-rate"]')?.getAttribute('data-audience')) > 0);
  });
  assert.ok(formId, 'the console went to the new form');

  const cadreApi = await signIn(srv, cadre);
  const sent = await cadreApi.get(`/api/v1/docs/${formId}`);
  assert.equal(sent.status, 200, sent.text);
  assert.equal(sent.json.form.status, 'open');
  assert.deepEqual(sent.json.form.fields.map((f) => f.type), ['text', 'single', 'number', 'phone']);
  assert.deepEqual(sent.json.form.fields[1].options, ['种', '不种']);

  // --- the resident opens the notice on the phone and fills the form in
  const rp = await newPage('resident', PHONE);
  await shotOnFailure(rp, 'docs-form-fill', async () => {
    await mobileSignIn(rp, resident, srv.password);
    await rp.waitForURL((u) => u.pathname === '/m/' || u.pathname === '/m');
    await rp.goto('/m/notices');
    await rp.getByTestId('inbox-item').filter({ hasText: title }).first().click();
    await rp.getByTestId('notice-fill-form').waitFor();
    await rp.screenshot({ path: `${ARTIFACTS}docs-4-form-notice.png`, fullPage: true });
    await rp.getByTestId('notice-fill-form').click();
    await rp.waitForURL(`**/m/forms/${formId}`);
    await rp.getByTestId('fill-page').waitFor();
    const [q1, q2, q3, q4] = sent.json.form.fields.map((f) => f.id);

    await fillVant(rp, `fill-input-${q1}`, resident.name);
    await rp.getByTestId(`fill-option-${q2}-0`).click();
    await fillVant(rp, `fill-input-${q3}`, '6');
    await fillVant(rp, `fill-input-${q4}`, '1380013');
    await rp.getByTestId('fill-submit').click();
    // A wrong phone number is shown beside its field, and nothing was sent.
    await rp.getByTestId(`fill-error-${q4}`).waitFor();
    await rp.screenshot({ path: `${ARTIFACTS}docs-5-fill-error.png`, fullPage: true });

    await fillVant(rp, `fill-input-${q4}`, '13800138000');
    await rp.getByTestId('fill-submit').click();
    await rp.locator('[data-testid="fill-submitted"][data-just="1"]').waitFor();
    await rp.screenshot({ path: `${ARTIFACTS}docs-6-fill-done.png`, fullPage: true });

    // 我的收集表 lists it as answered.
    await rp.goto('/m/forms');
    await rp.locator(`[data-testid="forms-item"][data-id="${formId}"]`).waitFor();
  });

  const mine = await cadreApi.get(`/api/v1/docs/${formId}/responses`);
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.total, 1, mine.text);
  const answers = mine.json.items[0].answers;
  assert.equal(answers[sent.json.form.fields[1].id], '种');
  assert.equal(Number(answers[sent.json.form.fields[2].id]), 6);
  assert.match(String(answers[sent.json.form.fields[3].id]), /^138\*{4}8000$/, 'the phone is masked');

  // --- the cadre's results page counts it (live event, focus or its periodic refresh)
  await shotOnFailure(ap, 'docs-form-results', async () => {
    await ap.waitForFunction(() => document.querySelector('[data-testid="form-rate"]')?.getAttribute('data-responses') === '1', null, { timeout: 40000 });
    await ap.getByTestId('form-response-name').filter({ hasText: resident.name }).waitFor();
    await ap.screenshot({ path: `${ARTIFACTS}docs-7-results.png`, fullPage: true });
  });
  assert.deepEqual([...ap.errors, ...rp.errors], [], 'no uncaught errors in the pages');
});
