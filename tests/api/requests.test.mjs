// Villagers' requests — filing with photos and places, routing, the lifecycle, transfer, return,
// merge, "me too", the reporter's confirmation and rating, the board and 三率 figures — on SQLite
// and on a throwaway PostgreSQL. Deadlines and escalation run on a fake clock in
// tests/modules/requests/service_test.cc.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { startServer, stopSharedPostgres } from '../support/server.mjs';
import { demoAccounts } from '../support/accounts.mjs';
import { assertMatchesSpec } from '../support/openapi.mjs';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da636460f85f0f0002870180eb47ba920000000049454e44ae426082', 'hex');
// A JPEG whose EXIF (APP1) carries a GPS tag, a comment, then a minimal frame and scan.
function jpegWithExif() {
  const seg = (marker, payload) => Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 255]), payload]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    seg(0xe1, Buffer.from('Exif\0\0GPSLatitude=31.40;GPSLongitude=109.60', 'latin1')),
    seg(0xfe, Buffer.from('secret comment', 'latin1')),
    seg(0xdb, Buffer.alloc(65, 1)),
    seg(0xc0, Buffer.from([8, 0, 1, 0, 1, 1, 1, 0x11, 0])),
    seg(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    Buffer.from([0x12, 0x34, 0xff, 0xd9]),
  ]);
}

for (const db of ['sqlite', 'postgres']) {
  describe(`requests on ${db}`, () => {
    let srv;
    const { signInAll, acct, as } = demoAccounts();
    let A1, townA;
    const month = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 7);

    before(async () => {
      srv = await startServer({ db, residents: 1500 });
      await signInAll(srv);
      A1 = acct('village_cadre', 0).region_code;
      townA = A1.slice(0, 9) + '000';
    });
    after(async () => { await srv?.stop(); if (db === 'postgres') await stopSharedPostgres(); });

    const file = (client, body, key = randomUUID()) => client.post('/api/v1/requests',
      { category: 'sanitation', description: '村口的垃圾三天没有清运了', ...body }, { headers: { 'idempotency-key': key } });

    test('the catalogue lists categories with deadlines and handlers', async () => {
      const r = await as('resident').get('/api/v1/request-categories');
      assert.equal(r.status, 200);
      assertMatchesSpec('GET', '/api/v1/request-categories', 200, r.json);
      const cadre = r.json.items.find((k) => k.code === 'cadre');
      assert.equal(cadre.about_cadre, true);
      assert.equal(cadre.handler, 'town');
      assert.ok(r.json.items.find((k) => k.code === 'road').handler.startsWith('unit:'));
      const put = await as('county_admin').req('PUT', '/api/v1/request-categories/bridge', { body: { name: '小桥', handler: 'town', sign_hours: 12, finish_hours: 72 } });
      assert.equal(put.status, 200, put.text);
      assert.equal((await as('county_admin').req('PUT', '/api/v1/request-categories/bad', { body: { name: 'x', handler: 'village', about_cadre: true } })).status, 422);
      assert.equal((await as('town_official').req('PUT', '/api/v1/request-categories/x', { body: { name: 'x' } })).status, 404);
      // A per-place override: in village A1, 其他 goes to the town; elsewhere it stays with the village.
      const route = await as('county_admin').req('PUT', `/api/v1/request-categories/other/routes/${A1}`, { body: { handler: 'town' } });
      assert.equal(route.status, 200, route.text);
      const routed = await file(as('resident'), { category: 'other', description: '其他类诉求按村改派到镇' });
      assert.equal(routed.json.handler, `town:${townA}`);
      const elsewhere = await file(as('resident', 1), { category: 'other', description: '别的村还是村里办理' });
      assert.ok(elsewhere.json.handler.startsWith('village:'));
      const list = await as('county_admin').get('/api/v1/request-categories/other/routes');
      assert.deepEqual(list.json.items, [{ region: A1, handler: 'town' }]);
      assert.equal((await as('county_admin').req('PUT', '/api/v1/request-categories/other/routes/500238000000', { body: { handler: 'town' } })).status, 422);
      await as('county_admin').req('PUT', `/api/v1/request-categories/other/routes/${A1}`, { body: { handler: '' } });
    });

    test('a resident files with a photo; GPS and EXIF are stripped; GCJ-02 becomes WGS84', async () => {
      const up = await as('resident').upload('/api/v1/request-photos?name=a.jpg', jpegWithExif(), 'image/jpeg');
      assert.equal(up.status, 201, up.text);
      assertMatchesSpec('POST', '/api/v1/request-photos', 201, up.json);
      const r = await file(as('resident'), { photos: [up.json.id], lat: 31.40, lng: 109.60, coord: 'gcj02', address: '村口' });
      assert.equal(r.status, 201, r.text);
      assertMatchesSpec('POST', '/api/v1/requests', 201, r.json);
      assert.equal(r.json.status, 'dispatched');
      assert.equal(r.json.handler, `village:${A1}`);
      assert.match(r.json.number, /^\d{13}$/);
      assert.ok(Math.abs(r.json.lat - 31.40) > 0.001 && Math.abs(r.json.lat - 31.40) < 0.01, `lat ${r.json.lat}`);
      assert.ok(Math.abs(r.json.lng - 109.60) > 0.001 && Math.abs(r.json.lng - 109.60) < 0.01, `lng ${r.json.lng}`);
      const got = await as('village_cadre').bytes(`/api/v1/request-photos/${up.json.id}`);
      assert.equal(got.status, 200);
      assert.equal(got.headers.get('content-type'), 'image/jpeg');
      assert.ok(!got.buf.includes(Buffer.from('GPSLatitude')), 'no GPS');
      assert.ok(!got.buf.includes(Buffer.from('Exif')), 'no EXIF');
      assert.ok(!got.buf.includes(Buffer.from('secret comment')), 'no comment');
      assert.ok(got.buf.includes(Buffer.from([0xff, 0xda])), 'the scan is kept');
      assert.equal((await as('resident', 1).bytes(`/api/v1/request-photos/${up.json.id}`)).status, 404);
    });

    test('bad input: not an image 415, too large 413, outside China 422, replay returns the first', async () => {
      assert.equal((await as('resident').upload('/api/v1/request-photos', Buffer.from('%PDF-1.4'), 'application/pdf')).status, 415);
      assert.equal((await as('resident').upload('/api/v1/request-photos', Buffer.alloc(10 * 1024 * 1024 + 1, 0xff), 'image/jpeg')).status, 413);
      const far = await file(as('resident'), { lat: 48.85, lng: 2.35 });
      assert.equal(far.status, 422);
      assert.equal(far.json.errors[0].field, 'location');
      assert.equal((await file(as('resident'), { lat: 'north', lng: 109 })).status, 422);
      assert.equal((await file(as('resident'), { lat: 31.4 })).status, 422);
      assert.equal((await file(as('resident'), { category: 'nope' })).status, 422);
      const key = randomUUID();
      const a = await file(as('resident'), { description: '重放测试的诉求内容' }, key);
      const b = await file(as('resident'), { description: '重放测试的诉求内容' }, key);
      assert.equal(b.json.id, a.json.id);
      assert.equal(b.headers.get('idempotent-replayed'), 'true');
    });

    test('private requests answer 404 to others; about a cadre goes to the town and the village never sees it', async () => {
      const r = (await file(as('resident'))).json;
      assert.equal((await as('resident', 1).get(`/api/v1/requests/${r.id}`)).status, 404);
      assert.equal((await as('party_member').get(`/api/v1/requests/${r.id}`)).status, 404);
      assert.equal((await as('village_cadre', 2).get(`/api/v1/requests/${r.id}`)).status, 404);
      const seen = await as('village_cadre').get(`/api/v1/requests/${r.id}`);
      assert.equal(seen.status, 200);
      assert.equal(seen.json.reporter_name, acct('resident').name);
      const c = (await file(as('resident'), { category: 'cadre', description: '村干部办事不公，优亲厚友' })).json;
      assert.equal(c.handler, `town:${townA}`);
      assert.equal((await as('village_cadre').get(`/api/v1/requests/${c.id}`)).status, 404);
      const town = await as('town_official').get(`/api/v1/requests/${c.id}`);
      assert.equal(town.status, 200);
      assert.equal(town.json.reporter_name, acct('resident').name);
      const todo = (await as('village_cadre').get('/api/v1/requests?scope=todo&limit=100')).json.items.map((x) => x.id);
      assert.ok(todo.includes(r.id) && !todo.includes(c.id));
    });

    test('the lifecycle: sign, progress, finish, confirm, rate — and the figures move', async () => {
      const before = (await as('county_admin').get(`/api/v1/requests/metrics?from=${month}&to=${month}&group=village&min_cases=1`)).json;
      const row0 = before.items.find((x) => x.key === A1) ?? { filed: 0, resolved: 0, rated: 0 };
      const r = (await file(as('resident'), { description: '路灯坏了一个月了，晚上看不见' })).json;
      const cadre = as('village_cadre');
      assert.equal((await as('resident').post(`/api/v1/requests/${r.id}/sign`, {})).status, 404);
      const s = await cadre.post(`/api/v1/requests/${r.id}/sign`, {});
      assert.equal(s.status, 200, s.text);
      assertMatchesSpec('POST', '/api/v1/requests/{id}/sign', 200, s.json);
      assert.equal(s.json.status, 'signed');
      assert.equal((await cadre.post(`/api/v1/requests/${r.id}/sign`, {})).status, 409);
      const p = await cadre.post(`/api/v1/requests/${r.id}/progress`, { note: '已联系电工，明天上门' });
      assert.equal(p.json.status, 'processing');
      assert.ok(p.json.replied_at);
      const f = await cadre.post(`/api/v1/requests/${r.id}/finish`, { outcome: 'fixed', note: '已更换灯泡' });
      assert.equal(f.json.status, 'finished', 'waits for the reporter');
      assert.equal((await as('party_member').post(`/api/v1/requests/${r.id}/confirm`, { fixed: true })).status, 404);
      const c = await as('resident').post(`/api/v1/requests/${r.id}/confirm`, { fixed: true });
      assert.equal(c.json.status, 'resolved');
      const rate = await as('resident').post(`/api/v1/requests/${r.id}/rate`, { rating: 5, comment: '很及时' });
      assert.equal(rate.json.rating, 5);
      assert.equal((await as('resident').post(`/api/v1/requests/${r.id}/rate`, { rating: 1 })).status, 409);
      assert.equal((await as('resident').post(`/api/v1/requests/${r.id}/rate`, { rating: 9 })).status, 422);
      const full = (await as('resident').get(`/api/v1/requests/${r.id}`)).json;
      assertMatchesSpec('GET', '/api/v1/requests/{id}', 200, full);
      assert.deepEqual(full.steps.map((x) => x.kind), ['file', 'dispatch', 'sign', 'progress', 'finish', 'confirm', 'rate']);
      const after = await as('county_admin').get(`/api/v1/requests/metrics?from=${month}&to=${month}&group=village&min_cases=1`);
      assertMatchesSpec('GET', '/api/v1/requests/metrics', 200, after.json);
      const row1 = after.json.items.find((x) => x.key === A1);
      assert.ok(row1.filed > row0.filed);
      assert.equal(row1.resolved, row0.resolved + 1);
      assert.equal(row1.rated, row0.rated + 1);
      assert.ok(row1.response_rate > 0 && row1.satisfaction_rate > 0);
      assert.ok(row1.rank >= 1);
      const mine = (await as('village_cadre').get(`/api/v1/requests/metrics?from=${month}&to=${month}&group=village`)).json.items;
      assert.ok(mine.every((x) => x.key === A1), 'a cadre sees only their village');
      assert.equal((await as('resident').get(`/api/v1/requests/metrics?from=${month}&to=${month}`)).status, 404);
      const x = await as('county_admin').bytes(`/api/v1/requests/metrics.xlsx?from=${month}&to=${month}&group=village&min_cases=1`);
      assert.equal(x.status, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.buf);
      const ws = wb.worksheets[0];
      assert.equal(ws.getRow(2).getCell(9).value, '响应率');
      const names = [];
      ws.eachRow((row, i) => { if (i > 2) names.push(row.getCell(1).value); });
      assert.ok(names.includes(row1.name), 'the village is in the workbook');
    });

    test('closed but not fixed stays distinct from resolved; a rejected fix reopens', async () => {
      const cadre = as('village_cadre');
      const a = (await file(as('resident'), { description: '想修一条通组公路到山顶' })).json;
      await cadre.post(`/api/v1/requests/${a.id}/sign`, {});
      const nf = await cadre.post(`/api/v1/requests/${a.id}/finish`, { outcome: 'not_fixed', note: '不在今年规划内，已解释' });
      assert.equal(nf.json.status, 'closed');
      assert.equal(nf.json.outcome, 'not_fixed');
      const b = (await file(as('resident'), { description: '家门口水沟堵塞了要疏通' })).json;
      await cadre.post(`/api/v1/requests/${b.id}/sign`, {});
      await cadre.post(`/api/v1/requests/${b.id}/finish`, { outcome: 'fixed', note: '已疏通' });
      const reopened = await as('resident').post(`/api/v1/requests/${b.id}/confirm`, { fixed: false, note: '还是堵' });
      assert.equal(reopened.json.status, 'processing');
      assert.equal(reopened.json.reopen_count, 1);
    });

    test('transfer, return to the town and dispatch by the town', async () => {
      const cadre = as('village_cadre');
      const r = (await file(as('resident'), { description: '承包地被邻居占用需要调解' })).json;
      const ret = await cadre.post(`/api/v1/requests/${r.id}/return`, { reason: '需要镇里协调' });
      assert.equal(ret.status, 200, ret.text);
      assert.equal(ret.json.status, 'returned');
      assert.equal(ret.json.handler, `town:${townA}`);
      assert.equal((await cadre.post(`/api/v1/requests/${r.id}/sign`, {})).status, 404, 'no longer the village\'s');
      const unitId = (await as('unit_staff', 1).get('/api/v1/me')).json.roles.find((g) => g.unit_id).unit_id;
      const d = await as('town_official').post(`/api/v1/requests/${r.id}/dispatch`, { handler: `unit:${unitId}`, note: '请镇司法所处理' });
      assert.equal(d.status, 200, d.text);
      assert.equal(d.json.handler, `unit:${unitId}`);
      const s = await as('unit_staff', 1).post(`/api/v1/requests/${r.id}/sign`, {});
      assert.equal(s.json.status, 'signed');
      const t = await as('unit_staff', 1).post(`/api/v1/requests/${r.id}/transfer`, { handler: 'village', reason: '村里更清楚情况' });
      assert.equal(t.json.handler, `village:${A1}`);
      assert.equal(t.json.status, 'dispatched');
      assert.equal((await as('unit_staff', 1).post(`/api/v1/requests/${r.id}/transfer`, { handler: 'town', reason: 'x' })).status, 404);
      assert.equal((await as('town_official', 1).post(`/api/v1/requests/${r.id}/dispatch`, { handler: 'town' })).status, 404, 'another town');
    });

    test('me too on a public request, merging a duplicate, and the anonymised board', async () => {
      const pub = (await file(as('resident'), { description: '村小学门口需要减速带', public: true })).json;
      const m = await as('party_member').post(`/api/v1/requests/${pub.id}/metoo`, {});
      assert.equal(m.status, 200, m.text);
      assert.equal(m.json.metoo_count, 1);
      assert.equal((await as('party_member').post(`/api/v1/requests/${pub.id}/metoo`, {})).json.metoo_count, 1, 'once per person');
      assert.equal((await as('resident').post(`/api/v1/requests/${pub.id}/metoo`, {})).status, 409, 'not on one\'s own');
      const dup = (await file(as('party_member'), { description: '学校门口车太快，要装减速带' })).json;
      const merged = await as('town_official').post(`/api/v1/requests/${dup.id}/merge`, { into: pub.id });
      assert.equal(merged.json.status, 'merged');
      assert.equal(merged.json.merged_into, pub.id);
      const board = await as('resident', 1).get(`/api/v1/requests/board?village=${A1}`);
      assert.equal(board.status, 200);
      assertMatchesSpec('GET', '/api/v1/requests/board', 200, board.json);
      const row = board.json.items.find((x) => x.id === pub.id);
      assert.ok(row, 'public requests are on the board');
      assert.equal(row.reporter_name, null);
      assert.ok(!board.json.items.some((x) => x.id === dup.id));
      assert.ok(board.json.items.every((x) => x.public));
      const other = await as('resident', 1).get(`/api/v1/requests/${pub.id}`);
      assert.equal(other.status, 200);
      assert.equal(other.json.reporter_name, null);
    });

    test('an Open311 partner posts an update (servicerequestupdates) that reopens a fixed request', async () => {
      const key = (await as('county_admin').post('/api/v1/open311/keys', { name: '更新测试伙伴' }, { headers: { 'idempotency-key': randomUUID() } })).json.api_key;
      const r = (await file(as('resident'), { description: '公开的路灯问题，伙伴也在跟进', public: true })).json;
      await as('village_cadre').post(`/api/v1/requests/${r.id}/sign`, {});
      await as('village_cadre').post(`/api/v1/requests/${r.id}/finish`, { outcome: 'fixed', note: '已修好' });
      const form = (extra) => new URLSearchParams({ api_key: key, jurisdiction_id: '500238', service_request_id: r.id, ...extra }).toString();
      const post = (body) => fetch(`${srv.baseUrl}/open311/v2/servicerequestupdates.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
      const up = await post(form({ status: 'REOPEN', description: '群众反映灯又灭了' }));
      assert.equal(up.status, 200, await up.clone().text());
      assert.match((await up.json())[0].update_id, new RegExp(`^${r.id}-\\d+$`));
      const after = (await as('resident').get(`/api/v1/requests/${r.id}`)).json;
      assert.equal(after.status, 'processing');
      assert.equal(after.steps.at(-1).kind, 'update');
      assert.equal((await post(form({ api_key: 'wrong' }))).status, 403);
      const priv = (await file(as('resident'), { description: '私人的诉求不给伙伴看' })).json;
      assert.equal((await post(form({ service_request_id: priv.id }))).status, 404);
    });

    test('a cadre files for an elderly villager of their own village only', async () => {
      const people = (await as('village_cadre').get(`/api/v1/people?region=${A1}&limit=20`)).json.items;
      const signedUp = new Set(srv.accounts.map((a) => a.name));
      const elder = people.find((p) => !signedUp.has(p.name));
      const r = await file(as('village_cadre'), { on_behalf_of: elder.id, description: '老人反映屋顶漏雨，需要危房鉴定', category: 'housing' });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.channel, 'cadre');
      assert.equal(r.json.reporter_name, elder.name);
      assert.ok(r.json.handler.startsWith('unit:'));
      const far = (await as('county_admin').get(`/api/v1/people?region=${acct('village_cadre', 2).region_code}&limit=1`)).json.items[0];
      assert.equal((await file(as('village_cadre'), { on_behalf_of: far.id })).status, 422);
    });
  });
}
