// Regions, units, people and joining a village — on SQLite and on a throwaway PostgreSQL.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, stopSharedPostgres } from '../support/server.mjs';
import { Client, randomPhone, makeIdNumber } from '../support/client.mjs';
import { demoAccounts } from '../support/accounts.mjs';

for (const db of ['sqlite', 'postgres']) {
  describe(`org on ${db}`, () => {
    let srv;
    const { signInAll, acct, as } = demoAccounts();

    before(async () => {
      srv = await startServer({ db, residents: 2000 });
      await signInAll(srv);
    });
    after(async () => { await srv?.stop(); if (db === 'postgres') await stopSharedPostgres(); });

    test('health names the database', async () => {
      const r = await as('resident').get('/api/v1/health');
      assert.equal(r.json.database, db === 'sqlite' ? 'sqlite' : 'postgresql');
    });

    test('the county has its real towns and villages, with people counts', async () => {
      const r = await as('resident').get('/api/v1/regions/500238000000');
      assert.equal(r.status, 200);
      assert.equal(r.json.short_name, '巫溪县');
      assert.equal(r.json.level, 'county');
      assert.deepEqual(r.json.path.map((p) => p.code), ['500000000000', '500200000000']);
      const kids = await as('resident').get('/api/v1/regions/500238000000/children');
      assert.ok(kids.json.items.length >= 25, `${kids.json.items.length} towns`);
      assert.ok(kids.json.items.every((t) => t.level === 'town' && t.child_count > 0));
      const total = kids.json.items.reduce((s, t) => s + t.people_count, 0);
      assert.ok(total >= 2000, `people ${total}`);
      assert.equal(total, r.json.people_count);
      const villages = await as('resident').get(`/api/v1/regions/${kids.json.items[0].code}/children`);
      assert.ok(villages.json.items.length > 0);
      assert.ok(villages.json.items.every((v) => v.level === 'village' && /^\d{12}$/.test(v.code)));
    });

    test('regions are found by name, pinyin and initials', async () => {
      const town = (await as('resident').get('/api/v1/regions/500238000000/children')).json.items[0];
      for (const q of [town.short_name.slice(0, 2), town.pinyin.slice(0, 5), town.initials]) {
        const r = await as('resident').get(`/api/v1/regions?q=${encodeURIComponent(q)}&level=town`);
        assert.equal(r.status, 200);
        assert.ok(r.json.items.some((t) => t.code === town.code), `query ${q}`);
      }
      const bad = await as('resident').get('/api/v1/regions?q=');
      assert.equal(bad.status, 422);
    });

    test('a foreign or missing region code answers 404', async () => {
      assert.equal((await as('resident').get('/api/v1/regions/110101000000')).status, 404);
      assert.equal((await as('resident').get('/api/v1/regions/abc')).status, 404);
    });

    test('people are listed masked, searchable by name, pinyin and initials, paged by cursor', async () => {
      const cadre = as('village_cadre');
      const village = acct('village_cadre').region_code;
      const r = await cadre.get(`/api/v1/people?region=${village}&limit=3`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.items.length, 3);
      for (const p of r.json.items) {
        assert.equal(p.village_code, village);
        if (p.phone_masked) assert.match(p.phone_masked, /^\d{3}\*{4}\d{4}$/);
        assert.match(p.id_number_masked, /^500238\*{8}[\dX]{4}$/);
        assert.equal(p.phone, undefined);
        assert.equal(p.id_number, undefined);
      }
      // Walking the cursor visits every active person of the village exactly once.
      const seen = new Set();
      let page = r.json;
      for (;;) {
        for (const p of page.items) { assert.ok(!seen.has(p.id), 'a person appeared twice'); seen.add(p.id); }
        if (!page.next_cursor) break;
        page = (await cadre.get(`/api/v1/people?region=${village}&limit=3&cursor=${encodeURIComponent(page.next_cursor)}`)).json;
      }
      const hh = await cadre.get(`/api/v1/households/${r.json.items[0].household_id}`);
      assert.equal(hh.status, 200, hh.text);
      assert.ok(hh.json.members.some((m) => m.id === r.json.items[0].id));
      assert.ok(hh.json.members.every((m) => m.household_id === r.json.items[0].household_id));
      const region = (await cadre.get(`/api/v1/regions/${village}`)).json;
      assert.equal(seen.size, region.people_count);
      assert.equal((await cadre.get(`/api/v1/people?region=${village}&limit=5abc`)).status, 422);
      const someone = r.json.items[2];
      for (const q of [someone.name, someone.pinyin.slice(0, 4), someone.initials]) {
        const s = await cadre.get(`/api/v1/people?region=${village}&q=${encodeURIComponent(q)}`);
        assert.ok(s.json.items.some((p) => p.id === someone.id), `query ${q}`);
        // County-wide (a different query plan): every match carries the prefix, paging included.
        const all = [];
        let page = (await as('county_admin').get(`/api/v1/people?q=${encodeURIComponent(q)}&limit=50`)).json;
        for (let i = 0; i < 20; i++) {
          all.push(...page.items);
          if (!page.next_cursor) break;
          page = (await as('county_admin').get(`/api/v1/people?q=${encodeURIComponent(q)}&limit=50&cursor=${encodeURIComponent(page.next_cursor)}`)).json;
        }
        assert.ok(all.some((p) => p.id === someone.id), `county-wide query ${q}`);
        assert.ok(all.every((p) => p.name.startsWith(q) || p.pinyin.startsWith(q) || p.initials.startsWith(q)), `stray match for ${q}`);
        assert.equal(new Set(all.map((p) => p.id)).size, all.length, 'duplicates across pages');
      }
      assert.equal((await as('county_admin').get('/api/v1/people?q=%25')).json.items.length, 0);
    });

    test('a reveal shows the clear value to a cadre and is audited', async () => {
      const cadre = as('village_cadre');
      const village = acct('village_cadre').region_code;
      const p = (await cadre.get(`/api/v1/people?region=${village}&limit=1`)).json.items[0];
      const r = await cadre.post(`/api/v1/people/${p.id}/reveal`, { field: 'id_number' });
      assert.equal(r.status, 200, r.text);
      assert.match(r.json.value, /^500238\d{11}[\dX]$/);
      assert.equal(r.json.value.slice(-4), p.id_number_masked.slice(-4));
      const log = await as('county_admin').get(`/api/v1/audit?object_id=${p.id}`);
      const entry = log.json.items.find((e) => e.action === 'person.reveal');
      assert.ok(entry, 'reveal not in the audit log');
      assert.equal(entry.detail, 'id_number');
      assert.equal(entry.result, 'ok');
      // A party member may not reveal: the route answers 404 and the denial is audited.
      const denied = await as('party_member').post(`/api/v1/people/${p.id}/reveal`, { field: 'phone' });
      assert.equal(denied.status, 404);
      const partyId = (await as('party_member').get('/api/v1/me')).json.id;
      let denial;
      for (let i = 0; i < 50 && !denial; i++) {
        const all = await as('county_admin').get('/api/v1/audit');
        denial = all.json.items.find((e) => e.action === 'access.deny' && e.actor === partyId);
        if (!denial) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(denial, 'the denial is not in the audit log');
      assert.equal(denial.result, 'denied');
      assert.match(denial.object_id, /reveal/);
    });

    test('a cadre of village A cannot read village B: foreign ids look missing', async () => {
      const other = acct('village_cadre', 2).region_code;  // a village of another town
      const theirs = (await as('village_cadre', 2).get(`/api/v1/people?region=${other}&limit=1`)).json.items[0];
      const a = await as('village_cadre').get(`/api/v1/people/${theirs.id}`);
      const missing = await as('village_cadre').get(`/api/v1/people/${crypto.randomUUID()}`);
      assert.equal(a.status, 404);
      assert.equal(missing.status, 404);
      assert.deepEqual(a.json, missing.json);
      assert.equal((await as('village_cadre').get(`/api/v1/people?region=${other}`)).status, 404);
      assert.equal((await as('village_cadre').post(`/api/v1/people/${theirs.id}/reveal`, { field: 'phone' })).status, 404);
    });

    test('units: a county admin creates, renames and deactivates; a town official only in town', async () => {
      const admin = as('county_admin');
      const r = await admin.post('/api/v1/units', { name: '巫溪县数字乡村服务中心', kind: 'public_institution', region_code: '500238000000' },
        { headers: { 'idempotency-key': crypto.randomUUID() } });
      assert.equal(r.status, 201, r.text);
      const id = r.json.id;
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const u = await admin.patch(`/api/v1/units/${id}`, { name: '巫溪县数字乡村发展中心' });
      assert.equal(u.json.name, '巫溪县数字乡村发展中心');
      assert.equal((await admin.post(`/api/v1/units/${id}/deactivate`)).json.active, false);
      // Staff memberships: a signed-up account becomes staff and then holds unit.read.
      const live = (await admin.post('/api/v1/units', { name: '巫溪县数据局', kind: 'government', region_code: '500238000000' })).json;
      const phone = randomPhone();
      const staff = new Client(srv.baseUrl);
      await staff.signup('单位职工', phone, 'longpassword1');
      assert.equal((await staff.get(`/api/v1/units/${live.id}`)).status, 404);
      const add = await admin.post(`/api/v1/units/${live.id}/staff`, { phone });
      assert.equal(add.status, 201, add.text);
      assert.equal((await admin.get(`/api/v1/units/${live.id}/staff`)).json.items[0].account_id, add.json.account_id);
      assert.equal((await staff.get(`/api/v1/units/${live.id}`)).status, 200);
      assert.equal((await admin.req('DELETE', `/api/v1/units/${live.id}/staff/${add.json.account_id}`)).status, 204);
      assert.equal((await staff.get(`/api/v1/units/${live.id}`)).status, 404);
      assert.equal((await admin.post(`/api/v1/units/${live.id}/staff`, { phone: randomPhone() })).status, 422);
      const list = await admin.get('/api/v1/units?region=500238000000');
      assert.ok(list.json.items.length >= 180, `${list.json.items.length} units`);
      const town = acct('town_official').region_code;
      const t = await as('town_official').post('/api/v1/units', { name: '测试站', kind: 'town_office', region_code: town });
      assert.equal(t.status, 201, t.text);
      const c = await as('town_official').post('/api/v1/units', { name: '测试局', kind: 'government', region_code: '500238000000' });
      assert.equal(c.status, 404);
      const bad = await admin.post('/api/v1/units', { name: '', kind: 'nope', region_code: '500238000000' });
      assert.equal(bad.status, 422);
    });

    test('a resident signs up, asks to join, the cadre approves, the resident sees the village', async () => {
      const village = acct('village_cadre').region_code;
      const res = new Client(srv.baseUrl);
      const s = await res.signup('李秀英', randomPhone(), 'longpassword1');
      assert.equal(s.status, 201, s.text);
      assert.equal(s.json.user.village, null);
      const idno = makeIdNumber('500238', '19671023', 124);
      const j = await res.post('/api/v1/join-requests', { village_code: village, name: '李秀英', id_number: idno });
      assert.equal(j.status, 201, j.text);
      assert.equal(j.json.status, 'pending');
      assert.equal(j.json.id_number_masked, '500238********' + idno.slice(-4));
      const dup = await res.post('/api/v1/join-requests', { village_code: village, name: '李秀英', id_number: idno });
      assert.equal(dup.status, 409);
      // The sibling village's cadre neither sees nor decides it.
      const sib = as('village_cadre', 1);
      assert.ok(!(await sib.get('/api/v1/join-requests?status=pending')).json.items.some((x) => x.id === j.json.id));
      assert.equal((await sib.post(`/api/v1/join-requests/${j.json.id}/approve`)).status, 404);
      const queue = await as('village_cadre').get('/api/v1/join-requests?status=pending');
      assert.ok(queue.json.items.some((x) => x.id === j.json.id));
      const ok = await as('village_cadre').post(`/api/v1/join-requests/${j.json.id}/approve`);
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.status, 'approved');
      const again = await as('village_cadre').post(`/api/v1/join-requests/${j.json.id}/approve`);
      assert.equal(again.status, 409);
      const me = await res.get('/api/v1/me');
      assert.equal(me.json.village.code, village);
      assert.ok(me.json.roles.some((g) => g.role === 'resident' && g.region_code === village));
      const found = await as('village_cadre').get(`/api/v1/people?region=${village}&q=${encodeURIComponent('李秀英')}`);
      assert.ok(found.json.items.some((p) => p.name === '李秀英' && p.birth_year === 1967 && p.gender === 'f'));
    });

    test('a subtree answers 304 while unchanged and shows new counts after a change', async () => {
      const cadre = as('village_cadre');
      const village = acct('village_cadre').region_code;
      const town = village.slice(0, 9) + '000';
      const first = await fetch(`${srv.baseUrl}/api/v1/regions/${town}/children`, { headers: { authorization: `Bearer ${cadre.token}` } });
      const etag = first.headers.get('etag');
      assert.match(etag, /^"r\d+"$/);
      const before = (await first.json()).items.find((v) => v.code === village).people_count;
      const same = await fetch(`${srv.baseUrl}/api/v1/regions/${town}/children`, { headers: { authorization: `Bearer ${cadre.token}`, 'if-none-match': etag } });
      assert.equal(same.status, 304);
      const p = await cadre.post('/api/v1/people', { name: '新村民', gender: 'f', birth_year: 1988, village_code: village, phone: randomPhone() });
      assert.equal(p.status, 201, p.text);
      assert.equal(p.json.pinyin, 'xincunmin');
      const after = await fetch(`${srv.baseUrl}/api/v1/regions/${town}/children`, { headers: { authorization: `Bearer ${cadre.token}`, 'if-none-match': etag } });
      assert.equal(after.status, 200);
      assert.notEqual(after.headers.get('etag'), etag);
      assert.equal((await after.json()).items.find((v) => v.code === village).people_count, before + 1);
    });

    test('a join request with a bad ID checksum is refused; a rejection needs a reason', async () => {
      const village = acct('village_cadre').region_code;
      const res = new Client(srv.baseUrl);
      await res.signup('赵六', randomPhone(), 'longpassword1');
      const bad = await res.post('/api/v1/join-requests', { village_code: village, name: '赵六', id_number: '500238196710231241' });
      assert.equal(bad.status, 422);
      assert.equal(bad.json.errors[0].field, 'id_number');
      const j = await res.post('/api/v1/join-requests', { village_code: village, name: '赵六', id_number: makeIdNumber('500238', '19900101', 11) });
      const noReason = await as('village_cadre').post(`/api/v1/join-requests/${j.json.id}/reject`, {});
      assert.equal(noReason.status, 422);
      const r = await as('village_cadre').post(`/api/v1/join-requests/${j.json.id}/reject`, { reason: '身份信息与户籍不符' });
      assert.equal(r.json.status, 'rejected');
      const mine = await res.get('/api/v1/me/join-requests');
      assert.equal(mine.json.items[0].reason, '身份信息与户籍不符');
    });
  });
}
