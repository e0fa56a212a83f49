// Notices — targeting, scope, receipts, withdrawal, edits, late joiners, reminders, exports,
// attachments, scheduling, SMS and idempotency — on SQLite and on a throwaway PostgreSQL.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { startServer, stopSharedPostgres } from '../support/server.mjs';
import { Client, randomPhone, makeIdNumber } from '../support/client.mjs';
import { demoAccounts } from '../support/accounts.mjs';
import { assertMatchesSpec } from '../support/openapi.mjs';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da636460f85f0f0002870180eb47ba920000000049454e44ae426082', 'hex');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const db of ['sqlite', 'postgres']) {
  describe(`notices on ${db}`, () => {
    let srv;
    const { signInAll, acct, as } = demoAccounts();
    let A1, A2, B1, townA;

    before(async () => {
      srv = await startServer({ db, residents: 2000 });
      await signInAll(srv);
      A1 = acct('village_cadre', 0).region_code;
      A2 = acct('village_cadre', 1).region_code;
      B1 = acct('village_cadre', 2).region_code;
      townA = A1.slice(0, 9) + '000';
    });
    after(async () => { await srv?.stop(); if (db === 'postgres') await stopSharedPostgres(); });

    const publish = (client, body, key = randomUUID()) =>
      client.post('/api/v1/notices', { title: '通知', body: '正文内容', ...body }, { headers: { 'idempotency-key': key } });
    const inboxIds = async (client, q = '') => (await client.get(`/api/v1/inbox${q}`)).json.items.map((i) => i.id);

    test('a village notice reaches that village and nobody else; others get 404', async () => {
      const r = await publish(as('village_cadre'), { title: '村民大会', audience: { regions: [A1] }, category: 'meeting' });
      assert.equal(r.status, 201, r.text);
      assertMatchesSpec('POST', '/api/v1/notices', 201, r.json);
      assert.equal(r.json.status, 'published');
      const village = (await as('resident').get(`/api/v1/regions/${A1}`)).json;
      assert.equal(r.json.audience_size, village.people_count);
      assert.equal(r.json.publisher.label, village.short_name);

      const inbox = await as('resident').get('/api/v1/inbox');
      assert.equal(inbox.status, 200);
      assertMatchesSpec('GET', '/api/v1/inbox', 200, inbox.json);
      const item = inbox.json.items.find((i) => i.id === r.json.id);
      assert.ok(item, 'the resident of A1 sees it');
      assert.equal(item.read_at, null);
      assert.ok(inbox.json.unread_count >= 1);
      assert.ok((await inboxIds(as('party_member'))).includes(r.json.id));
      assert.ok(!(await inboxIds(as('resident', 1))).includes(r.json.id), 'A2 resident does not');
      assert.equal((await as('resident', 1).get(`/api/v1/notices/${r.json.id}`)).status, 404);
      assert.equal((await as('resident', 1).post(`/api/v1/notices/${r.json.id}/read`, {})).status, 404);
      assert.equal((await as('village_cadre', 2).get(`/api/v1/notices/${r.json.id}/stats`)).status, 404);
      assert.equal((await as('resident').get(`/api/v1/notices/${randomUUID()}`)).status, 404);
      const got = await as('resident').get(`/api/v1/notices/${r.json.id}`);
      assert.equal(got.status, 200);
      assertMatchesSpec('GET', '/api/v1/notices/{id}', 200, got.json);
      assert.equal(got.json.can_manage, false);
    });

    test('households, named people, roles and units each reach exactly their members', async () => {
      const cadre = as('village_cadre');
      const people = (await cadre.get(`/api/v1/people?region=${A1}&limit=50`)).json.items;
      const me = (await as('resident').get('/api/v1/me')).json;
      const myHousehold = (await cadre.get(`/api/v1/people/${me.person_id}`)).json;
      assert.equal(myHousehold.name, me.name);
      const other = people.find((p) => p.household_id && p.household_id !== myHousehold.household_id);
      // A household: its members count, not the resident outside it.
      const hh = await publish(cadre, { audience: { households: [other.household_id] } });
      assert.equal(hh.status, 201, hh.text);
      const members = (await cadre.get(`/api/v1/households/${other.household_id}`)).json.members;
      assert.equal(hh.json.audience_size, members.length);
      assert.equal(hh.json.audience.households[0].id, other.household_id);
      assert.ok(!(await inboxIds(as('resident'))).includes(hh.json.id));
      // Named people: the resident by person id.
      const named = await publish(cadre, { audience: { people: [myHousehold.id] } });
      assert.equal(named.status, 201, named.text);
      assert.equal(named.json.audience_size, 1);
      assert.ok((await inboxIds(as('resident'))).includes(named.json.id));
      assert.ok(!(await inboxIds(as('party_member'))).includes(named.json.id));
      // A role in a region: party members of town A, published by the town official.
      const role = await publish(as('town_official'), { audience: { roles: [{ role: 'party_member', region: townA }] } });
      assert.equal(role.status, 201, role.text);
      assert.ok((await inboxIds(as('party_member'))).includes(role.json.id));
      assert.ok(!(await inboxIds(as('resident'))).includes(role.json.id));
      assert.ok(role.json.audience_size >= 1);
      // A unit: its staff (accounts without a person record) get it.
      const unitId = (await as('unit_staff').get('/api/v1/me')).json.roles.find((g) => g.unit_id).unit_id;
      const unit = await publish(as('county_admin'), { audience: { units: [unitId] } });
      assert.equal(unit.status, 201, unit.text);
      assert.equal(unit.json.audience_size, 1);
      assert.ok((await inboxIds(as('unit_staff'))).includes(unit.json.id));
      assert.ok(!(await inboxIds(as('resident'))).includes(unit.json.id));
      const stats = await as('county_admin').get(`/api/v1/notices/${unit.json.id}/stats`);
      assert.equal(stats.json.by_unit[0].audience, 1);
      // Residents as a role are the region's people.
      const res = await publish(cadre, { audience: { roles: [{ role: 'resident', region: A1 }] } });
      assert.equal(res.json.audience.regions[0].code, A1);
    });

    test('entries outside the publisher\'s scope or unknown answer 422 naming each', async () => {
      const r = await publish(as('village_cadre'), { audience: { regions: [A1, A2], people: [randomUUID()] } });
      assert.equal(r.status, 422, r.text);
      assertMatchesSpec('POST', '/api/v1/notices', 422, r.json);
      const fields = r.json.errors.map((e) => e.field).sort();
      assert.deepEqual(fields, ['audience.people[0]', 'audience.regions[1]']);
      const town = await publish(as('town_official'), { audience: { regions: [B1] } });
      assert.equal(town.status, 422);
      assert.equal(town.json.errors[0].field, 'audience.regions[0]');
      const empty = await publish(as('town_official'), { audience: {} });
      assert.equal(empty.status, 422);
      const badTitle = await publish(as('county_admin'), { title: '', audience: { regions: [A1] } });
      assert.equal(badTitle.status, 422);
      const badCat = await publish(as('county_admin'), { category: 'party', audience: { regions: [A1] } });
      assert.equal(badCat.json.errors[0].field, 'category');
      assert.equal((await publish(as('resident'), { audience: { regions: [A1] } })).status, 404);
      const notJson = await as('county_admin').req('POST', '/api/v1/notices', { body: '{nope', headers: { 'content-type': 'application/json' } });
      assert.equal(notJson.status, 400);
    });

    test('a replayed publish with the same key returns the first notice', async () => {
      const key = randomUUID();
      const a = await publish(as('county_admin'), { title: '重放测试', audience: { regions: [A1] } }, key);
      const b = await publish(as('county_admin'), { title: '重放测试', audience: { regions: [A1] } }, key);
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      assert.equal(b.json.id, a.json.id);
      assert.equal(b.headers.get('idempotent-replayed'), 'true');
      const list = (await as('county_admin').get('/api/v1/notices?q=' + encodeURIComponent('重放测试'))).json.items;
      assert.equal(list.length, 1);
    });

    test('reads and receipts are counted; the unread list shrinks', async () => {
      const n = (await publish(as('village_cadre'), { title: '请确认收到', audience: { regions: [A1] }, receipt_required: true,
        receipt_deadline: new Date(Date.now() + 86400000).toISOString() })).json;
      const before = (await as('village_cadre').get(`/api/v1/notices/${n.id}/stats`)).json;
      assertMatchesSpec('GET', '/api/v1/notices/{id}/stats', 200, before);
      assert.equal(before.read, 0);
      assert.equal(before.audience_size, n.audience_size);
      const villageRow = before.by_village.find((v) => v.code === A1);
      assert.equal(villageRow.audience, n.audience_size);
      const u0 = await as('village_cadre').get(`/api/v1/notices/${n.id}/unread?limit=200`);
      assertMatchesSpec('GET', '/api/v1/notices/{id}/unread', 200, u0.json);
      const read = await as('resident').post(`/api/v1/notices/${n.id}/read`, {});
      assert.equal(read.status, 200);
      const again = await as('resident').post(`/api/v1/notices/${n.id}/read`, {});
      assert.equal(again.json.read_at, read.json.read_at, 'reading twice keeps the first time');
      const conf = await as('party_member').post(`/api/v1/notices/${n.id}/confirm`, {});
      assert.equal(conf.status, 200, conf.text);
      assert.ok(conf.json.confirmed_at);
      const after = (await as('village_cadre').get(`/api/v1/notices/${n.id}/stats`)).json;
      assert.equal(after.read, 2);
      assert.equal(after.confirmed, 1);
      assert.equal(after.by_town.find((t) => t.code === townA).read, 2);
      const u1 = await as('village_cadre').get(`/api/v1/notices/${n.id}/unread?limit=200`);
      // Page through the whole unread list with the cursor.
      let all = [...u1.json.items];
      let cursor = u1.json.next_cursor;
      while (cursor) {
        const page = await as('village_cadre').get(`/api/v1/notices/${n.id}/unread?limit=200&cursor=${cursor}`);
        all = all.concat(page.json.items);
        cursor = page.json.next_cursor;
      }
      assert.equal(all.length, n.audience_size - 2);
      assert.equal(new Set(all.map((p) => p.person_id)).size, all.length, 'no duplicates across pages');
      assert.ok(all.every((p) => /^\d{3}\*{4}\d{4}$/.test(p.phone_masked) || p.phone_masked === ''));
      const inbox = (await as('resident').get('/api/v1/inbox')).json.items.find((i) => i.id === n.id);
      assert.ok(inbox.read_at);
      const noReceipt = (await publish(as('village_cadre'), { audience: { regions: [A1] } })).json;
      assert.equal((await as('resident').post(`/api/v1/notices/${noReceipt.id}/confirm`, {})).status, 422);
      const list = (await as('village_cadre').get('/api/v1/notices')).json;
      assertMatchesSpec('GET', '/api/v1/notices', 200, list);
      assert.equal(list.items.find((x) => x.id === n.id).read_count, 2);
    });

    test('unread first and urgent on top; search and category filter', async () => {
      const normal = (await publish(as('county_admin'), { title: '秋收农事提醒', category: 'farming', audience: { regions: [A1] } })).json;
      const urgent = (await publish(as('county_admin'), { title: '紧急防汛转移', category: 'flood', urgency: 'urgent', audience: { regions: [A1] } })).json;
      const items = (await as('resident').get('/api/v1/inbox?limit=100')).json.items;
      const firstRead = items.findIndex((i) => i.read_at || i.withdrawn);
      const lastUnread = items.map((i) => !i.read_at && !i.withdrawn).lastIndexOf(true);
      assert.ok(firstRead === -1 || lastUnread < firstRead, 'unread before read');
      assert.equal(items[0].id, urgent.id, 'the newest urgent unread notice on top');
      const farming = (await as('resident').get('/api/v1/inbox?category=farming')).json.items;
      assert.ok(farming.every((i) => i.category === 'farming'));
      assert.ok(farming.some((i) => i.id === normal.id));
      const q = (await as('resident').get('/api/v1/inbox?q=' + encodeURIComponent('防汛转移'))).json.items;
      assert.deepEqual(q.map((i) => i.id), [urgent.id]);
      assert.equal((await as('resident').get('/api/v1/inbox?category=party')).status, 422);
      const page = await as('resident').get('/api/v1/inbox?limit=1');
      assert.equal(page.json.items.length, 1);
      assert.ok(page.json.next_cursor);
      const next = await as('resident').get(`/api/v1/inbox?limit=1&cursor=${page.json.next_cursor}`);
      assert.notEqual(next.json.items[0].id, page.json.items[0].id);
    });

    test('edits carry a visible revision note; withdrawal hides the body and stops receipts', async () => {
      const n = (await publish(as('village_cadre'), { title: '停水通知', body: '明天停水', audience: { regions: [A1] }, receipt_required: true })).json;
      const noNote = await as('village_cadre').patch(`/api/v1/notices/${n.id}`, { body: '后天停水' });
      assert.equal(noNote.status, 422);
      const ed = await as('village_cadre').patch(`/api/v1/notices/${n.id}`, { body: '后天停水', revision_note: '日期改为后天' });
      assert.equal(ed.status, 200, ed.text);
      assertMatchesSpec('PATCH', '/api/v1/notices/{id}', 200, ed.json);
      assert.equal(ed.json.revision, 1);
      const seen = (await as('resident').get(`/api/v1/notices/${n.id}`)).json;
      assert.equal(seen.body, '后天停水');
      assert.equal(seen.revisions[0].note, '日期改为后天');
      assert.equal((await as('resident', 1).patch(`/api/v1/notices/${n.id}`, { revision_note: 'x' })).status, 404);
      assert.equal((await as('village_cadre').post(`/api/v1/notices/${n.id}/withdraw`, {})).status, 422);
      const w = await as('village_cadre').post(`/api/v1/notices/${n.id}/withdraw`, { reason: '通知有误' });
      assert.equal(w.status, 200, w.text);
      assert.equal(w.json.status, 'withdrawn');
      const item = (await as('resident').get('/api/v1/inbox?limit=100')).json.items.find((i) => i.id === n.id);
      assert.equal(item.withdrawn, true);
      assert.equal(item.withdraw_reason, '通知有误');
      const body = (await as('resident').get(`/api/v1/notices/${n.id}`)).json;
      assert.equal(body.body, '');
      assert.equal((await as('resident').post(`/api/v1/notices/${n.id}/confirm`, {})).status, 409);
      assert.equal((await as('village_cadre').post(`/api/v1/notices/${n.id}/withdraw`, { reason: '再次' })).status, 409);
    });

    test('people who join a village later see its still-valid notices', async () => {
      const valid = (await publish(as('village_cadre'), { title: '长期有效的村规', audience: { regions: [A1] } })).json;
      const expiring = (await publish(as('village_cadre'), { title: '即将过期', audience: { regions: [A1] },
        expires_at: new Date(Date.now() + 1500).toISOString() })).json;
      const newcomer = new Client(srv.baseUrl);
      assert.equal((await newcomer.signup('新村民', randomPhone(), 'longpassword1')).status, 201);
      assert.deepEqual(await inboxIds(newcomer), []);
      const j = await newcomer.post('/api/v1/join-requests', { village_code: A1, name: '新村民', id_number: makeIdNumber() },
        { headers: { 'idempotency-key': randomUUID() } });
      assert.equal(j.status, 201, j.text);
      assert.equal((await as('village_cadre').post(`/api/v1/join-requests/${j.json.id}/approve`, {})).status, 200);
      await sleep(1600);  // past the expiry
      const ids = await inboxIds(newcomer, '?limit=100');
      assert.ok(ids.includes(valid.id), 'the still-valid village notice');
      assert.ok(!ids.includes(expiring.id), 'not the expired one');
    });

    test('reminders reach the unread and are limited to one per ten minutes', async () => {
      const n = (await publish(as('village_cadre'), { audience: { regions: [A1] } })).json;
      const r = await as('village_cadre').post(`/api/v1/notices/${n.id}/remind`, {});
      assert.equal(r.status, 200, r.text);
      assertMatchesSpec('POST', '/api/v1/notices/{id}/remind', 200, r.json);
      assert.equal(r.json.reminded, n.audience_size);
      const again = await as('village_cadre').post(`/api/v1/notices/${n.id}/remind`, {});
      assert.equal(again.status, 429);
      const item = (await as('resident').get('/api/v1/inbox?limit=100')).json.items.find((i) => i.id === n.id);
      assert.ok(item.reminded_at);
      const stats = (await as('village_cadre').get(`/api/v1/notices/${n.id}/stats`)).json;
      assert.equal(stats.remind_count, 1);
    });

    test('the unread list exports to XLSX and CSV that read back', async () => {
      const cadre = as('village_cadre');
      const n = (await publish(cadre, { title: '导出测试', audience: { regions: [A1] } })).json;
      await as('resident').post(`/api/v1/notices/${n.id}/read`, {});
      const x = await cadre.bytes(`/api/v1/notices/${n.id}/unread.xlsx`);
      assert.equal(x.status, 200);
      assert.match(x.headers.get('content-type'), /spreadsheetml/);
      assert.match(x.headers.get('content-disposition'), /attachment; .*filename\*=UTF-8''/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.buf);
      const ws = wb.worksheets[0];
      assert.equal(ws.name, '未读名单');
      assert.equal(ws.getRow(2).getCell(1).value, '姓名');
      const rows = [];
      ws.eachRow((row, i) => { if (i > 2) rows.push(row.values.slice(1)); });
      assert.equal(rows.length, n.audience_size - 1);
      assert.ok(rows.every((r) => r[2] === A1), 'village codes stay text');
      const c = await cadre.bytes(`/api/v1/notices/${n.id}/unread.csv`);
      assert.equal(c.status, 200);
      assert.deepEqual([...c.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
      const lines = c.buf.toString('utf8').slice(1).trim().split('\r\n');
      assert.equal(lines.length, n.audience_size);  // header + unread
      assert.equal(lines[0].split(',')[0], '姓名');
      assert.equal((await as('resident').bytes(`/api/v1/notices/${n.id}/unread.csv`)).status, 404);
      const audit = (await as('county_admin').get(`/api/v1/audit?object_id=${n.id}`)).json.items;
      assert.ok(audit.some((e) => e.action === 'notice.export_unread'));
    });

    test('households where nobody read an urgent notice are flagged for a visit', async () => {
      const cadre = as('village_cadre');
      const n = (await publish(cadre, { title: '紧急：山体滑坡预警', urgency: 'urgent', audience: { regions: [A1] } })).json;
      const s0 = (await cadre.get(`/api/v1/notices/${n.id}/stats`)).json;
      assert.ok(s0.households.total > 0);
      assert.equal(s0.households.flagged, s0.households.total);
      await as('resident').post(`/api/v1/notices/${n.id}/read`, {});
      const s1 = (await cadre.get(`/api/v1/notices/${n.id}/stats`)).json;
      assert.equal(s1.households.flagged, s0.households.total - 1);
      const flagged = await cadre.get(`/api/v1/notices/${n.id}/households?flagged=1&village=${A1}`);
      assert.equal(flagged.status, 200);
      assertMatchesSpec('GET', '/api/v1/notices/{id}/households', 200, flagged.json);
      assert.equal(flagged.json.items.length, s1.households.flagged);
      assert.ok(flagged.json.items.every((h) => h.read === 0 && h.members > 0 && h.head_name));
      const normal = (await publish(cadre, { audience: { regions: [A1] } })).json;
      assert.equal((await cadre.get(`/api/v1/notices/${normal.id}/stats`)).json.households.flagged, 0);
    });

    test('attachments: images and PDF only, sniffed, 20 MB, served safely to recipients only', async () => {
      const cadre = as('village_cadre');
      const up = await cadre.upload('/api/v1/attachments?name=' + encodeURIComponent('../地图.png'), PNG, 'application/octet-stream');
      assert.equal(up.status, 201, up.text);
      assertMatchesSpec('POST', '/api/v1/attachments', 201, up.json);
      assert.equal(up.json.content_type, 'image/png');
      assert.equal(up.json.name, '地图.png');
      const pdf = await cadre.upload('/api/v1/attachments?name=a.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'), 'application/pdf');
      assert.equal(pdf.status, 201);
      const html = await cadre.upload('/api/v1/attachments?name=x.png', Buffer.from('<script>alert(1)</script>'), 'image/png');
      assert.equal(html.status, 415);
      const big = await cadre.upload('/api/v1/attachments?name=big.pdf', Buffer.alloc(20 * 1024 * 1024 + 1, 0x25), 'application/pdf');
      assert.equal(big.status, 413);
      const n = (await publish(cadre, { audience: { regions: [A1] }, attachments: [up.json.id, pdf.json.id] })).json;
      assert.equal(n.attachments.length, 2);
      const got = await as('resident').bytes(`/api/v1/attachments/${up.json.id}`);
      assert.equal(got.status, 200);
      assert.deepEqual(got.buf, PNG);
      assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      assert.match(got.headers.get('content-security-policy'), /sandbox/);
      const gotPdf = await as('resident').bytes(`/api/v1/attachments/${pdf.json.id}`);
      assert.match(gotPdf.headers.get('content-disposition'), /^attachment/);
      assert.equal((await as('resident', 1).bytes(`/api/v1/attachments/${up.json.id}`)).status, 404);
      // Someone else's upload cannot be attached.
      const mine = await as('county_admin').upload('/api/v1/attachments?name=c.png', PNG, 'image/png');
      const steal = await publish(cadre, { audience: { regions: [A1] }, attachments: [mine.json.id] });
      assert.equal(steal.status, 422);
      assert.equal(steal.json.errors[0].field, 'attachments[0]');
    });

    test('publishing later: invisible until due, then delivered', async () => {
      const at = new Date(Date.now() + 1500).toISOString();
      const n = (await publish(as('village_cadre'), { title: '定时发布', audience: { regions: [A1] }, publish_at: at })).json;
      assert.equal(n.status, 'scheduled');
      assert.ok(!(await inboxIds(as('resident'), '?limit=100')).includes(n.id));
      assert.equal((await as('resident').get(`/api/v1/notices/${n.id}`)).status, 404);
      let ok = false;
      for (let i = 0; i < 20 && !ok; i++) {
        await sleep(500);
        ok = (await inboxIds(as('resident'), '?limit=100')).includes(n.id);
      }
      assert.ok(ok, 'delivered once due');
      assert.equal((await as('village_cadre').get(`/api/v1/notices/${n.id}`)).json.status, 'published');
      // Withdrawn before it was due: nobody ever sees it.
      const later = (await publish(as('village_cadre'), { title: '取消的定时通知', audience: { regions: [A1] },
        publish_at: new Date(Date.now() + 3600000).toISOString() })).json;
      assert.equal((await as('village_cadre').post(`/api/v1/notices/${later.id}/withdraw`, { reason: '取消' })).status, 200);
      assert.ok(!(await inboxIds(as('resident'), '?limit=100')).includes(later.id));
      assert.equal((await as('resident').get(`/api/v1/notices/${later.id}`)).status, 404);
    });

    test('SMS goes to audience members who never signed up, with a counted cost', async () => {
      const cadre = as('village_cadre');
      const people = (await cadre.get(`/api/v1/people?region=${A1}&limit=50`)).json.items;
      // A household of ordinary residents (the demo accounts' people have signed up).
      const signedUp = new Set(srv.accounts.map((a) => a.name));
      const hh = people.find((p) => p.household_id && !signedUp.has(p.name)).household_id;
      const members = (await cadre.get(`/api/v1/households/${hh}`)).json.members;
      const preview = await cadre.post('/api/v1/notices/preview', { audience: { households: [hh] }, sms: true });
      assert.equal(preview.status, 200);
      assertMatchesSpec('POST', '/api/v1/notices/preview', 200, preview.json);
      assert.equal(preview.json.audience_size, members.length);
      assert.ok(preview.json.sms_recipients >= 1);
      const n = (await publish(cadre, { title: '短信测试', audience: { households: [hh] }, sms: true })).json;
      let sent = 0;
      for (let i = 0; i < 20 && !sent; i++) {
        await sleep(300);
        sent = (await cadre.get(`/api/v1/notices/${n.id}`)).json.sms_sent;
      }
      assert.equal(sent, preview.json.sms_recipients);
      const box = await as('county_admin').get(`/api/v1/sms/outbox?ref=${n.id}`);
      assert.equal(box.status, 200);
      assertMatchesSpec('GET', '/api/v1/sms/outbox', 200, box.json);
      assert.equal(box.json.items.length, sent);
      assert.ok(box.json.items.every((m) => m.text.includes('短信测试') && /\*{4}/.test(m.phone_masked)));
      const stats = (await cadre.get(`/api/v1/notices/${n.id}/stats`)).json;
      assert.equal(stats.sms.sent, sent);
      assert.equal(stats.sms.cost_fen, box.json.items.reduce((s, m) => s + m.cost_fen, 0));
      assert.equal((await cadre.get('/api/v1/sms/outbox')).status, 404);
    });

    test('monthly figures per town, village and unit', async () => {
      const now = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 7);
      for (const group of ['town', 'village', 'unit']) {
        const r = await as('county_admin').get(`/api/v1/notices/figures?from=${now}&to=${now}&group=${group}`);
        assert.equal(r.status, 200, r.text);
        assertMatchesSpec('GET', '/api/v1/notices/figures', 200, r.json);
        if (group !== 'unit') assert.ok(r.json.items.length > 0, group);
      }
      const towns = (await as('county_admin').get(`/api/v1/notices/figures?from=${now}&to=${now}&group=town`)).json.items;
      const a = towns.find((t) => t.group_id === townA);
      assert.ok(a && a.published > 0 && a.read > 0, JSON.stringify(towns));
      const mine = (await as('village_cadre', 2).get(`/api/v1/notices/figures?from=${now}&to=${now}&group=town`)).json.items;
      assert.ok(!mine.some((t) => t.group_id === townA), 'a cadre elsewhere does not see town A');
      assert.equal((await as('county_admin').get('/api/v1/notices/figures?from=2026-13&to=2026-12')).status, 422);
    });
  });
}
