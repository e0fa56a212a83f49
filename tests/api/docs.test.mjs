// Online documents and collection forms (在线文档 · 收集表), the REST side (docs/docs.md): creating
// (idempotent), validation, who sees what (owner, managers, shares; everyone else 404), lists,
// renaming, deleting, versions (Yjs updates, checked with npm yjs after editing through
// y-websocket), comments, images, and forms — fields, sending to an audience, the inbox,
// filling with validation, per-household answers, stats, the missing list, reminders, masked and
// revealed (audited) answers, CSV and XLSX exports (read back with exceljs), closing — and the
// monthly figures; on SQLite and on a throwaway PostgreSQL.
//
// Setup: the demo party member's household is merged into the demo resident's before the server
// starts (plain SQL on the fresh database), so two signed-in accounts share one household.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { freshDatabase, runCli, launch, stopProcess, stopSharedPostgres, PASSWORD } from '../support/server.mjs';
import { Client, makeIdNumber } from '../support/client.mjs';
import { demoAccounts } from '../support/accounts.mjs';
import { assertMatchesSpec } from '../support/openapi.mjs';
import { parseCsv } from '../support/csv.mjs';
import { sql } from '../support/sql.mjs';
import { sleep, until } from '../support/wait.mjs';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da636460f85f0f0002870180eb47ba920000000049454e44ae426082', 'hex');
const DAY = 86400000;
const fields = (r) => (r.json?.errors || []).map((e) => e.field).sort();
const shanghaiDay = (ms = Date.now()) => new Date(ms + 8 * 3600000).toISOString().slice(0, 10);
const MONTH = shanghaiDay().slice(0, 7);
const PHONE_MASKED = /^1\d{2}\*{4}\d{4}$/;
const IDNO_MASKED = /^\d{6}\*{8}[\dX]{4}$/;

// startServer (tests/support/server.mjs), with the party member moved into the resident's household.
async function startDocsServer(db) {
  const { dbUrl, dir, keyFile } = await freshDatabase(db);
  runCli(['demo', '--db', dbUrl, '--residents', '400', '--history', '0', '--key-file', keyFile]);
  const accounts = runCli(['demo', 'accounts', '--db', dbUrl, '--json', '--key-file', keyFile])
    .trim().split('\n').map((l) => JSON.parse(l));
  const householdOf = (role) => {
    const name = accounts.find((a) => a.role === role).name;
    return sql(db, dbUrl, `SELECT p.household_id FROM people p JOIN accounts a ON a.person_id = p.id AND a.county_id = p.county_id WHERE a.name = '${name}'`);
  };
  const resH = householdOf('resident');
  const pmH = householdOf('party_member');
  assert.match(resH, /^[0-9a-f-]{36}$/);
  assert.match(pmH, /^[0-9a-f-]{36}$/);
  assert.notEqual(resH, pmH);
  sql(db, dbUrl, `UPDATE people SET household_id = '${resH}' WHERE household_id = '${pmH}'`);
  sql(db, dbUrl, `DELETE FROM households WHERE id = '${pmH}'`);
  const s = await launch(dbUrl, { keyFile, files: join(dir, 'files') });
  return {
    ...s, dbUrl, keyFile, dir, accounts, password: PASSWORD, household: resH,
    async stop() {
      await stopProcess(s.proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const cellText = (v) => (v && typeof v === 'object' ? (v.richText ? v.richText.map((t) => t.text).join('') : v.text ?? v.result ?? JSON.stringify(v)) : v == null ? '' : String(v));

// The form of most tests: every field type (the photo is added later by PATCH).
const FIELDS = [
  { id: 'name', type: 'text', label: '联系人姓名', required: true },
  { id: 'phone', type: 'phone', label: '联系电话', required: true },
  { id: 'idno', type: 'id_number', label: '身份证号码', required: true },
  { id: 'age', type: 'number', label: '年龄', required: false, min: 0, max: 120 },
  { id: 'crop', type: 'single', label: '主要作物', required: true, options: ['水稻', '玉米', '土豆'] },
  { id: 'help', type: 'multiple', label: '需要的帮助', required: false, options: ['技术', '资金', '销路'] },
  { id: 'day', type: 'date', label: '方便的日期', required: false },
  { id: 'where', type: 'region', label: '所在村组', required: false },
  { id: 'note', type: 'textarea', label: '备注', required: false, hint: '可不填' },
];
const PHOTO = { id: 'pic', type: 'photo', label: '房屋照片', required: false };

for (const db of ['sqlite', 'postgres']) {
  describe(`docs and forms on ${db}`, () => {
    let srv;
    const { signInAll, acct, as } = demoAccounts();
    let A1, A2, B1, townA;
    const ids = {};     // account ids by role
    const person = {};  // person ids by role
    const specProblems = new Map();

    before(async () => {
      srv = await startDocsServer(db);
      await signInAll(srv);
      A1 = acct('village_cadre', 0).region_code;
      A2 = acct('village_cadre', 1).region_code;
      B1 = acct('village_cadre', 2).region_code;
      townA = A1.slice(0, 9) + '000';
      for (const role of ['county_admin', 'unit_staff', 'town_official', 'village_cadre', 'party_member', 'resident']) {
        const me = (await as(role).get('/api/v1/me')).json;
        ids[role] = me.id;
        person[role] = me.person_id;
      }
    });
    after(async () => { await srv?.stop(); if (db === 'postgres') await stopSharedPostgres(); });

    // Checks a JSON response against docs/openapi.yaml; mismatches (and undocumented paths) are
    // collected and reported together by the last test, so that the behaviour tests still run.
    const spec = (method, tpl, r) => {
      try {
        assertMatchesSpec(method, tpl, r.status, r.json);
      } catch (e) {
        const key = `${method} ${tpl} ${r.status}`;
        if (!specProblems.has(key)) specProblems.set(key, e.message.split('\n').slice(0, 8).join('\n'));
      }
      return r;
    };
    const create = (client, body = {}, key = randomUUID()) => client.post('/api/v1/docs',
      { kind: 'doc', title: '村务文档', region_code: A1, ...body }, { headers: { 'idempotency-key': key } });
    const created = async (body = {}, client = as('village_cadre')) => {
      const r = spec('POST', '/api/v1/docs', await create(client, body));
      assert.equal(r.status, 201, r.text);
      return r.json;
    };
    const form = (extra = {}) => ({ kind: 'form', title: '种植情况收集表', form: { description: '请各户如实填写', per: 'person', fields: FIELDS }, ...extra });
    const put = (client, path, body) => client.req('PUT', path, { body });
    const share = async (id, shares, client = as('village_cadre')) => {
      const r = spec('PUT', '/api/v1/docs/{id}/shares', await put(client, `/api/v1/docs/${id}/shares`, { shares }));
      assert.equal(r.status, 200, r.text);
      return r.json;
    };
    const get = async (client, id) => spec('GET', '/api/v1/docs/{id}', await client.get(`/api/v1/docs/${id}`));
    const auditOf = async (id) => {
      const r = await as('county_admin').get(`/api/v1/audit?object_id=${id}`);
      assert.equal(r.status, 200);
      return r.json.items;
    };

    test('creating a document and a form; an idempotent replay returns the same one', async () => {
      const key = randomUUID();
      const r = spec('POST', '/api/v1/docs', await create(as('village_cadre'), { title: '村规民约（草案）' }, key));
      assert.equal(r.status, 201, r.text);
      const d = r.json;
      assert.equal(d.kind, 'doc');
      assert.equal(d.title, '村规民约（草案）');
      assert.equal(d.region_code, A1);
      const village = (await as('village_cadre').get(`/api/v1/regions/${A1}`)).json;
      assert.ok([village.name, village.short_name].includes(d.region_name), `${d.region_name} / ${village.name}`);
      assert.equal(d.owner_id, ids.village_cadre);
      assert.equal(d.owner_name, acct('village_cadre').name);
      assert.equal(d.my_role, 'owner');
      assert.equal(d.sync_path, `/yjs/${d.id}`);
      assert.deepEqual(d.shares, []);
      assert.equal(d.size_bytes, 0);
      assert.ok(!d.form, 'a document has no form');
      // docs/docs.md writes "ISO 8601 +08:00"; docs/openapi.yaml's Timestamp (used by every module)
      // is UTC with milliseconds, which is what the server answers.
      for (const k of ['created_at', 'updated_at']) assert.match(d[k], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, k);
      assert.ok(Math.abs(Date.parse(d.created_at) - Date.now()) < 60000);

      const again = await create(as('village_cadre'), { title: '村规民约（草案）' }, key);
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(r.headers.get('idempotent-replayed'), null);
      assert.deepEqual(again.json, d, 'the same document');
      const mine = (await as('village_cadre').get(`/api/v1/docs?q=${encodeURIComponent('村规民约（草案）')}&limit=100`)).json.items;
      assert.equal(mine.filter((x) => x.title === '村规民约（草案）').length, 1, 'created once');

      const f = spec('POST', '/api/v1/docs', await create(as('village_cadre'), form()));
      assert.equal(f.status, 201, f.text);
      assert.equal(f.json.kind, 'form');
      assert.equal(f.json.form.status, 'draft');
      assert.equal(f.json.form.per, 'person');
      assert.equal(f.json.form.description, '请各户如实填写');
      assert.equal(f.json.form.responses, 0);
      assert.equal(f.json.form.sent_at, null);
      assert.deepEqual(f.json.form.fields.map((x) => [x.id, x.type, x.label, x.required]), FIELDS.map((x) => [x.id, x.type, x.label, x.required]));
      assert.deepEqual(f.json.form.fields.find((x) => x.id === 'crop').options, ['水稻', '玉米', '土豆']);
      assert.equal(f.json.form.fields.find((x) => x.id === 'age').max, 120);

      // Folders elsewhere and callers without doc.create.
      for (const role of ['resident', 'party_member']) {
        const no = await create(as(role));
        assert.equal(no.status, 404, `${role}: ${no.text}`);
      }
      const town = await create(as('town_official'), { region_code: townA });
      assert.equal(town.status, 201, 'a town official creates in the town folder');
      const notJson = await as('village_cadre').req('POST', '/api/v1/docs', { body: '{nope', headers: { 'content-type': 'application/json' } });
      assert.equal(notJson.status, 400);
      assert.equal((await new Client(srv.baseUrl).post('/api/v1/docs', { kind: 'doc', title: 'x', region_code: A1 })).status, 401);
      const far = spec('POST', '/api/v1/docs', await create(as('village_cadre'), { region_code: B1 }));
      assert.equal(far.status, 404, `a folder outside the scope is a 404, like any denial: ${far.text}`);
      assert.equal((await create(as('unit_staff'), { region_code: '500238000000' })).status, 404, 'unit staff: only their unit\'s folder');
    });

    test('each invalid field is a 422 naming it', async () => {
      const f = (fieldList, extra = {}) => ({ kind: 'form', form: { description: '', per: 'person', fields: fieldList, ...extra } });
      const many = (n) => Array.from({ length: n }, (_, i) => ({ id: `f${i}`, type: 'text', label: `第${i + 1}项`, required: false }));
      const cases = [
        [{ kind: 'sheet' }, ['kind']],
        [{ kind: undefined }, ['kind']],
        [{ title: '' }, ['title']],
        [{ title: undefined }, ['title']],
        [{ region_code: undefined }, ['region_code']],
        [{ region_code: 'abc' }, ['region_code']],
        [{ region_code: '110101001001' }, ['region_code']],
        [{ kind: 'doc', form: { description: '', per: 'person', fields: [] } }, ['form']],
        [f([{ id: 'a', type: 'video', label: '视频', required: false }]), ['form.fields[0].type']],
        [f([{ id: 'a', type: 'text', label: '', required: false }]), ['form.fields[0].label']],
        [f([{ id: 'A-1', type: 'text', label: '名称', required: false }]), ['form.fields[0].id']],
        [f([{ id: 'x'.repeat(33), type: 'text', label: '名称', required: false }]), ['form.fields[0].id']],
        [f([{ id: 'a', type: 'text', label: '一', required: false }, { id: 'a', type: 'text', label: '二', required: false }]), ['form.fields[1].id']],
        [f([{ id: 'a', type: 'single', label: '单选', required: true, options: ['唯一'] }]), ['form.fields[0].options']],
        [f([{ id: 'a', type: 'single', label: '单选', required: true }]), ['form.fields[0].options']],
        [f([{ id: 'a', type: 'multiple', label: '多选', required: true, options: Array.from({ length: 51 }, (_, i) => `选项${i}`) }]), ['form.fields[0].options']],
        [f(many(101)), ['form.fields']],
        [f(FIELDS, { per: 'family' }), ['form.per']],
      ];
      for (const [body, want] of cases) {
        const r = spec('POST', '/api/v1/docs', await create(as('village_cadre'), body));
        assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 200)}: ${r.text}`);
        assert.deepEqual(fields(r), want, JSON.stringify(body).slice(0, 200));
      }
      // The limits themselves are fine: 100 fields, 2 and 50 options.
      const ok = await create(as('village_cadre'), f(many(100)));
      assert.equal(ok.status, 201, ok.text);
      assert.equal(ok.json.form.fields.length, 100);
      const opts = await create(as('village_cadre'), f([
        { id: 'a', type: 'single', label: '二选一', required: true, options: ['是', '否'] },
        { id: 'b', type: 'multiple', label: '五十项', required: false, options: Array.from({ length: 50 }, (_, i) => `选项${i}`) },
      ]));
      assert.equal(opts.status, 201, opts.text);
    });

    test('who sees a document: owner, managers and shares; anyone else, and any other id, gets 404', async () => {
      const d = await created({ title: '可见性' });
      const roleOf = async (role, i = 0) => {
        const r = await get(as(role, i), d.id);
        return r.status === 200 ? r.json.my_role : r.status;
      };
      assert.equal(await roleOf('village_cadre'), 'owner');
      // Managers: doc.manage in a scope holding the folder. docs/docs.md gives them the rights of
      // an editor (and more: delete, share); openapi.yaml's DocRole names them `manager`.
      assert.equal(await roleOf('town_official'), 'manager', 'doc.manage in the town');
      assert.equal(await roleOf('county_admin'), 'manager', 'doc.manage in the county');
      for (const [role, i] of [['village_cadre', 1], ['village_cadre', 2], ['town_official', 1], ['resident', 0], ['resident', 1], ['party_member', 0], ['unit_staff', 0], ['unit_staff', 1]]) {
        assert.equal(await roleOf(role, i), 404, `${role}/${i}`);
      }
      const missing = await get(as('village_cadre'), randomUUID());
      assert.equal(missing.status, 404);
      const foreign = await get(as('resident'), d.id);
      assert.deepEqual(foreign.json, missing.json, 'a foreign document looks exactly like a missing one');
      for (const id of ['abc', d.id.toUpperCase(), `${d.id}x`]) assert.equal((await as('village_cadre').get(`/api/v1/docs/${id}`)).status, 404, id);
      assert.equal((await new Client(srv.baseUrl).get(`/api/v1/docs/${d.id}`)).status, 401);

      // Shares: an account, a region; the highest role wins.
      const s1 = await share(d.id, [{ kind: 'account', target: ids.resident, role: 'viewer' }]);
      assert.deepEqual(s1.shares, [{ kind: 'account', target: ids.resident, label: acct('resident').name, role: 'viewer' }]);
      assert.equal(await roleOf('resident'), 'viewer');
      assert.equal(await roleOf('party_member'), 404);
      const s2 = await share(d.id, [
        { kind: 'account', target: ids.resident, role: 'viewer' },
        { kind: 'region', target: A1, role: 'commenter' },
      ]);
      assert.equal(s2.shares.length, 2);
      const regionShare = s2.shares.find((x) => x.kind === 'region');
      assert.equal(regionShare.target, A1);
      assert.ok(regionShare.label.length > 0);
      assert.equal(await roleOf('party_member'), 'commenter', 'everyone of the village');
      assert.equal(await roleOf('resident'), 'commenter', 'the highest role wins');
      assert.equal(await roleOf('resident', 1), 404, 'not another village');
      await share(d.id, [{ kind: 'account', target: ids.resident, role: 'editor' }, { kind: 'region', target: townA, role: 'viewer' }]);
      assert.equal(await roleOf('resident'), 'editor');
      assert.equal(await roleOf('resident', 1), 'viewer', 'a town share reaches its villages');
      assert.equal(await roleOf('party_member'), 'viewer');
      const unitId = (await as('unit_staff').get('/api/v1/me')).json.roles.find((g) => g.unit_id).unit_id;
      await share(d.id, [{ kind: 'unit', target: unitId, role: 'commenter' }]);
      assert.equal(await roleOf('unit_staff'), 'commenter', 'a unit share reaches its staff');
      assert.equal(await roleOf('resident'), 404, 'shares are replaced as a whole');

      // Only the owner or a manager shares; bad shares are 422s.
      const sharer = await share(d.id, [{ kind: 'account', target: ids.resident, role: 'editor' }]);
      assert.equal(sharer.shares.length, 1);
      const byEditor = spec('PUT', '/api/v1/docs/{id}/shares', await put(as('resident'), `/api/v1/docs/${d.id}/shares`, { shares: [] }));
      assert.equal(byEditor.status, 403, 'a shared editor may not share');
      assert.equal((await put(as('village_cadre', 2), `/api/v1/docs/${d.id}/shares`, { shares: [] })).status, 404);
      const byTown = await put(as('town_official'), `/api/v1/docs/${d.id}/shares`, { shares: [{ kind: 'account', target: ids.resident, role: 'editor' }] });
      assert.equal(byTown.status, 200, 'a manager may share');
      // 201 distinct regions of the county.
      const regions = [];
      for (const t of (await as('county_admin').get('/api/v1/regions/500238000000/children')).json.items) {
        regions.push(t.code);
        for (const v of (await as('county_admin').get(`/api/v1/regions/${t.code}/children`)).json.items) regions.push(v.code);
        if (regions.length >= 201) break;
      }
      assert.ok(regions.length >= 201);
      for (const [shares, want] of [
        [[{ kind: 'account', target: ids.resident, role: 'owner' }], ['shares[0].role']],
        [[{ kind: 'group', target: ids.resident, role: 'viewer' }], ['shares[0].kind']],
        [[{ kind: 'account', target: randomUUID(), role: 'viewer' }], ['shares[0].target']],
        [[{ kind: 'region', target: '110101000000', role: 'viewer' }], ['shares[0].target']],
        [regions.slice(0, 201).map((code) => ({ kind: 'region', target: code, role: 'viewer' })), ['shares']],
        [[{ kind: 'account', target: ids.resident, role: 'viewer' }, { kind: 'account', target: ids.resident, role: 'editor' }], ['shares[1]']],
      ]) {
        const r = spec('PUT', '/api/v1/docs/{id}/shares', await put(as('village_cadre'), `/api/v1/docs/${d.id}/shares`, { shares }));
        assert.equal(r.status, 422, `${JSON.stringify(shares).slice(0, 120)}: ${r.text}`);
        assert.deepEqual(fields(r), want);
      }
      assert.equal(await roleOf('resident'), 'editor', 'refused changes changed nothing');
    });

    test('lists: kind, region, search, paging; only readable documents', async () => {
      const tag = `列表${Date.now() % 100000}`;
      const made = [];
      for (let i = 0; i < 3; i++) { made.push(await created({ title: `${tag} 文档${i}` })); await sleep(20); }
      for (let i = 0; i < 2; i++) { made.push(await created(form({ title: `${tag} 收集表${i}` }))); await sleep(20); }
      const list = async (client, q) => {
        const r = spec('GET', '/api/v1/docs', await client.get(`/api/v1/docs?${q}`));
        assert.equal(r.status, 200, `${q}: ${r.text}`);
        return r.json;
      };
      const q = `q=${encodeURIComponent(tag)}`;
      const all = (await list(as('village_cadre'), `${q}&limit=100`)).items;
      assert.deepEqual(all.map((x) => x.id), made.map((x) => x.id).reverse(), 'newest first, exactly the matches');
      assert.ok(all.every((x) => x.my_role === 'owner'));
      assert.deepEqual((await list(as('village_cadre'), `${q}&kind=form&limit=100`)).items.map((x) => x.id), [made[4].id, made[3].id]);
      assert.deepEqual((await list(as('village_cadre'), `${q}&kind=doc&limit=100`)).items.map((x) => x.id), [made[2].id, made[1].id, made[0].id]);
      assert.equal((await list(as('village_cadre'), `${q}&region=${A1}&limit=100`)).items.length, 5);
      assert.equal((await list(as('county_admin'), `${q}&region=${B1}&limit=100`)).items.length, 0);
      assert.equal((await list(as('county_admin'), `${q}&region=${townA}&limit=100`)).items.length, 5, 'a region filter includes the regions under it');
      assert.equal((await list(as('county_admin'), `${q}&limit=100`)).items.length, 5);
      const kinds = (await list(as('village_cadre'), 'kind=form&limit=100')).items;
      assert.ok(kinds.length >= 2 && kinds.every((x) => x.kind === 'form'));
      // Pages of two: every match once, in the same order.
      const seen = [];
      let cursor = null;
      for (let n = 0; n < 10; n++) {
        const page = await list(as('village_cadre'), `${q}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.ok(page.items.length <= 2);
        seen.push(...page.items.map((x) => x.id));
        cursor = page.next_cursor;
        if (!cursor) break;
      }
      assert.deepEqual(seen, all.map((x) => x.id), 'paging visits every match once, in order');
      // Nobody else sees them.
      for (const [role, i] of [['village_cadre', 1], ['village_cadre', 2], ['resident', 0], ['unit_staff', 0]]) {
        assert.deepEqual((await list(as(role, i), `${q}&limit=100`)).items, [], `${role}/${i}`);
      }
      await share(made[0].id, [{ kind: 'account', target: ids.resident, role: 'viewer' }]);
      assert.deepEqual((await list(as('resident'), `${q}&limit=100`)).items.map((x) => [x.id, x.my_role]), [[made[0].id, 'viewer']]);
      for (const [query, field] of [['kind=sheet', 'kind'], ['limit=abc', 'limit'], ['cursor=nope', 'cursor']]) {
        const r = spec('GET', '/api/v1/docs', await as('village_cadre').get(`/api/v1/docs?${query}`));
        assert.equal(r.status, 422, query);
        assert.deepEqual(fields(r), [field], query);
      }
    });

    test('renaming, and deleting: then 404 for everyone', async () => {
      const d = await created({ title: '旧标题' });
      await share(d.id, [{ kind: 'account', target: ids.resident, role: 'viewer' }, { kind: 'account', target: ids.party_member, role: 'editor' }]);
      const r = spec('PATCH', '/api/v1/docs/{id}', await as('village_cadre').patch(`/api/v1/docs/${d.id}`, { title: '新标题：二〇二六年工作计划' }));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.title, '新标题：二〇二六年工作计划');
      assert.ok(Date.parse(r.json.updated_at) >= Date.parse(d.updated_at));
      assert.equal((await get(as('resident'), d.id)).json.title, '新标题：二〇二六年工作计划');
      const empty = spec('PATCH', '/api/v1/docs/{id}', await as('village_cadre').patch(`/api/v1/docs/${d.id}`, { title: '' }));
      assert.equal(empty.status, 422);
      assert.deepEqual(fields(empty), ['title']);
      assert.deepEqual(fields(await as('village_cadre').patch(`/api/v1/docs/${d.id}`, { form: { description: '', per: 'person', fields: [] } })), ['form'], 'a document has no form');
      assert.equal((await as('party_member').patch(`/api/v1/docs/${d.id}`, { title: '编辑改的' })).status, 200, 'a shared editor renames');
      assert.equal((await as('town_official').patch(`/api/v1/docs/${d.id}`, { title: '镇里改的' })).status, 200, 'a manager renames');
      const viewer = spec('PATCH', '/api/v1/docs/{id}', await as('resident').patch(`/api/v1/docs/${d.id}`, { title: '看的人改的' }));
      assert.equal(viewer.status, 403);
      assert.equal((await as('resident', 1).patch(`/api/v1/docs/${d.id}`, { title: 'x' })).status, 404);
      assert.equal((await get(as('village_cadre'), d.id)).json.title, '镇里改的');

      // Deleting: the owner or a manager, not a shared editor.
      const byEditor = await as('party_member').req('DELETE', `/api/v1/docs/${d.id}`);
      assert.equal(byEditor.status, 403);
      assert.equal((await as('resident', 1).req('DELETE', `/api/v1/docs/${d.id}`)).status, 404);
      const del = await as('village_cadre').req('DELETE', `/api/v1/docs/${d.id}`);
      assert.equal(del.status, 204, del.text);
      assert.equal(del.text, '');
      for (const role of ['village_cadre', 'town_official', 'county_admin', 'resident', 'party_member']) {
        assert.equal((await get(as(role), d.id)).status, 404, role);
      }
      assert.ok(!(await as('village_cadre').get('/api/v1/docs?limit=100')).json.items.some((x) => x.id === d.id));
      assert.equal((await as('village_cadre').patch(`/api/v1/docs/${d.id}`, { title: 'x' })).status, 404);
      assert.equal((await as('village_cadre').req('DELETE', `/api/v1/docs/${d.id}`)).status, 404);
      assert.equal((await as('village_cadre').get(`/api/v1/docs/${d.id}/versions`)).status, 404);
      // A manager deletes another's document.
      const d2 = await created({ title: '镇里删除' });
      assert.equal((await as('town_official').req('DELETE', `/api/v1/docs/${d2.id}`)).status, 204);
      assert.equal((await get(as('village_cadre'), d2.id)).status, 404);
    });

    test('versions keep the text of their moment, served as a Yjs update', async () => {
      const d = await created({ title: '版本' });
      await share(d.id, [{ kind: 'account', target: ids.resident, role: 'viewer' }]);
      const peers = [];
      const open = (role) => {
        const doc = new Y.Doc();
        const provider = new WebsocketProvider(`${srv.baseUrl.replace(/^http/, 'ws')}/yjs`, d.id, doc,
          { WebSocketPolyfill: WebSocket, params: { token: as(role).token }, disableBc: true });
        const p = { doc, provider, text: doc.getText('t') };
        peers.push(p);
        return p;
      };
      try {
        const A = open('village_cadre');
        const B = open('town_official');
        await until(() => A.provider.synced && B.provider.synced, 'both synced');
        A.text.insert(0, '第一版：村道硬化方案🚧');
        await until(() => B.text.toString() === '第一版：村道硬化方案🚧', 'B sees the text');  // so it is stored
        const v1 = spec('POST', '/api/v1/docs/{id}/versions', await as('village_cadre').post(`/api/v1/docs/${d.id}/versions`, { name: '初稿' }));
        assert.equal(v1.status, 201, v1.text);
        assert.equal(v1.json.name, '初稿');
        assert.equal(v1.json.created_by_name, acct('village_cadre').name);
        assert.ok(v1.json.size_bytes > 0);
        A.text.insert(A.text.length, '（修订：增加预算）');
        await until(() => B.text.toString().endsWith('（修订：增加预算）'), 'B sees the revision');
        const v2 = spec('POST', '/api/v1/docs/{id}/versions', await as('town_official').post(`/api/v1/docs/${d.id}/versions`, { name: '二稿' }));
        assert.equal(v2.status, 201, v2.text);
        assert.equal(v2.json.created_by_name, acct('town_official').name);

        const list = spec('GET', '/api/v1/docs/{id}/versions', await as('village_cadre').get(`/api/v1/docs/${d.id}/versions`));
        assert.equal(list.status, 200);
        assert.deepEqual(list.json.items.map((v) => v.id).sort(), [v1.json.id, v2.json.id].sort());
        const textOf = async (vid, client = as('village_cadre')) => {
          const r = await client.bytes(`/api/v1/docs/${d.id}/versions/${vid}/update`);
          assert.equal(r.status, 200);
          assert.match(r.headers.get('content-type'), /^application\/octet-stream/);
          assert.equal(r.headers.get('cache-control'), 'private, max-age=3600');
          const doc = new Y.Doc();
          Y.applyUpdate(doc, new Uint8Array(r.buf));
          const t = doc.getText('t').toString();
          doc.destroy();
          return t;
        };
        assert.equal(await textOf(v1.json.id), '第一版：村道硬化方案🚧');
        assert.equal(await textOf(v2.json.id), '第一版：村道硬化方案🚧（修订：增加预算）');
        assert.equal(await textOf(v1.json.id, as('resident')), '第一版：村道硬化方案🚧', 'a viewer reads versions');
        // Restoring (as the editor does): load the version and replace the live text with it.
        const r1 = await as('village_cadre').bytes(`/api/v1/docs/${d.id}/versions/${v1.json.id}/update`);
        const scratch = new Y.Doc();
        Y.applyUpdate(scratch, new Uint8Array(r1.buf));
        A.doc.transact(() => { A.text.delete(0, A.text.length); A.text.insert(0, scratch.getText('t').toString()); });
        scratch.destroy();
        await until(() => B.text.toString() === '第一版：村道硬化方案🚧', 'B sees the restored text');

        assert.equal((await as('resident').post(`/api/v1/docs/${d.id}/versions`, { name: '看的人' })).status, 403);
        const aForm = await created(form({ title: '表没有版本' }));
        assert.equal((await as('village_cadre').post(`/api/v1/docs/${aForm.id}/versions`, { name: 'x' })).status, 404, 'forms have no versions');
        assert.equal((await as('resident', 1).post(`/api/v1/docs/${d.id}/versions`, { name: 'x' })).status, 404);
        const noName = spec('POST', '/api/v1/docs/{id}/versions', await as('village_cadre').post(`/api/v1/docs/${d.id}/versions`, { name: '' }));
        assert.equal(noName.status, 422);
        assert.deepEqual(fields(noName), ['name']);
        assert.equal((await as('resident', 1).bytes(`/api/v1/docs/${d.id}/versions/${v1.json.id}/update`)).status, 404);
        assert.equal((await as('village_cadre').bytes(`/api/v1/docs/${d.id}/versions/${randomUUID()}/update`)).status, 404);
        const stored = await get(as('village_cadre'), d.id);
        assert.ok(stored.json.size_bytes > 0, 'size_bytes counts the stored updates');
        assert.ok(stored.json.edited_at, 'edited_at is set by edits');
      } finally {
        for (const p of peers) { p.provider.destroy(); p.doc.destroy(); }
      }
    });

    test('comments: commenters and up write, mention and resolve; viewers read only', async () => {
      const d = await created({ title: '评论' });
      await share(d.id, [
        { kind: 'account', target: ids.resident, role: 'viewer' },
        { kind: 'account', target: ids.party_member, role: 'commenter' },
      ]);
      const path = `/api/v1/docs/${d.id}/comments`;
      const c1 = spec('POST', '/api/v1/docs/{id}/comments', await as('village_cadre').post(path, { quote: '第一段', body: '请核实这个数字', mentions: [ids.party_member] }));
      assert.equal(c1.status, 201, c1.text);
      assert.equal(c1.json.quote, '第一段');
      assert.equal(c1.json.body, '请核实这个数字');
      assert.equal(c1.json.author_id, ids.village_cadre);
      assert.equal(c1.json.author_name, acct('village_cadre').name);
      assert.equal(c1.json.resolved, false);
      assert.deepEqual(c1.json.mentions, [{ id: ids.party_member, name: acct('party_member').name }]);
      const c2 = spec('POST', '/api/v1/docs/{id}/comments', await as('party_member').post(path, { body: '已核实，无误' }));
      assert.equal(c2.status, 201, c2.text);
      assert.ok(!c2.json.quote, 'no quote');
      assert.deepEqual(c2.json.mentions, []);
      const byViewer = spec('POST', '/api/v1/docs/{id}/comments', await as('resident').post(path, { body: '我也想说' }));
      assert.equal(byViewer.status, 403, 'a viewer reads but does not comment');
      assert.equal((await as('resident', 1).post(path, { body: '外人' })).status, 404);
      const empty = spec('POST', '/api/v1/docs/{id}/comments', await as('village_cadre').post(path, { body: '' }));
      assert.equal(empty.status, 422);
      assert.deepEqual(fields(empty), ['body']);

      const list = spec('GET', '/api/v1/docs/{id}/comments', await as('resident').get(path));
      assert.equal(list.status, 200);
      assert.deepEqual(list.json.items.map((c) => c.id).sort(), [c1.json.id, c2.json.id].sort());
      assert.deepEqual(list.json.items.find((c) => c.id === c1.json.id), c1.json);
      assert.equal((await as('resident', 1).get(path)).status, 404);

      const resolve = (client, id, resolved = true) => client.patch(`${path}/${id}`, { resolved });
      assert.equal((await resolve(as('party_member'), c1.json.id)).status, 403, 'neither its author nor an editor');
      assert.equal((await resolve(as('resident'), c2.json.id)).status, 403);
      const own = spec('PATCH', '/api/v1/docs/{id}/comments/{cid}', await resolve(as('party_member'), c2.json.id));
      assert.equal(own.status, 200, own.text);
      assert.equal(own.json.resolved, true);
      const byEditor = await resolve(as('town_official'), c1.json.id);
      assert.equal(byEditor.status, 200, 'an editor resolves anyone\'s comment');
      assert.equal(byEditor.json.resolved, true);
      const reopen = await resolve(as('village_cadre'), c1.json.id, false);
      assert.equal(reopen.json.resolved, false);
      assert.equal((await resolve(as('village_cadre'), randomUUID())).status, 404);
      const after = (await as('village_cadre').get(path)).json.items;
      assert.deepEqual(after.map((c) => [c.id, c.resolved]).sort(), [[c1.json.id, false], [c2.json.id, true]].sort());
    });

    test('images: editors upload, readers fetch; type, size and access are checked', async () => {
      const d = await created({ title: '图片' });
      await share(d.id, [{ kind: 'account', target: ids.resident, role: 'viewer' }]);
      const path = `/api/v1/docs/${d.id}/files`;
      const up = await as('village_cadre').upload(path, PNG, 'image/png');
      spec('POST', '/api/v1/docs/{id}/files', up);
      assert.equal(up.status, 201, up.text);
      assert.equal(up.json.size, PNG.length);
      assert.equal(typeof up.json.name, 'string');
      for (const role of ['village_cadre', 'resident', 'town_official']) {
        const r = await as(role).bytes(`${path}/${up.json.id}`);
        assert.equal(r.status, 200, role);
        assert.match(r.headers.get('content-type'), /^image\/png/);
        assert.deepEqual(r.buf, PNG);
      }
      assert.equal((await as('resident', 1).bytes(`${path}/${up.json.id}`)).status, 404);
      assert.equal((await as('village_cadre').bytes(`${path}/${randomUUID()}`)).status, 404);
      const other = await created({ title: '另一个' });
      assert.equal((await as('village_cadre').bytes(`/api/v1/docs/${other.id}/files/${up.json.id}`)).status, 404, 'a file belongs to its document');
      assert.equal((await as('resident').upload(path, PNG, 'image/png')).status, 403, 'a viewer may not upload');
      assert.equal((await as('resident', 1).upload(path, PNG, 'image/png')).status, 404);
      const text = await as('village_cadre').upload(path, Buffer.from('hello'), 'text/plain');
      assert.equal(text.status, 415, 'not an image');
      assert.equal((await as('village_cadre').upload(path, Buffer.from('hello'), 'image/png')).status, 415, 'judged by the bytes, not the declared type');
      assert.equal((await as('village_cadre').upload(path, Buffer.alloc(0), 'image/png')).status, 415, 'empty');
      const big = Buffer.alloc(10 * 1024 * 1024 + 1);
      PNG.copy(big);
      assert.equal((await as('village_cadre').upload(path, big, 'image/png')).status, 413);
    });

    test('a form: fields, sending, the inbox, filling with validation, stats, missing, reminders, masking, exports, closing', async () => {
      const cadre = as('village_cadre');
      const deferred = [];  // checks run at the end, so that one deviation does not hide the rest
      const f = await created(form({ title: '二〇二六年种植意向收集表' }));
      const path = `/api/v1/docs/${f.id}`;
      // Fields may change while it is a draft.
      const patched = spec('PATCH', '/api/v1/docs/{id}', await cadre.patch(path, { form: { description: '请各户如实填写', per: 'person', fields: [...FIELDS, PHOTO] } }));
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(patched.json.form.fields.map((x) => x.id), [...FIELDS, PHOTO].map((x) => x.id));
      const badPatch = await cadre.patch(path, { form: { description: '', per: 'person', fields: [{ id: 'a', type: 'nope', label: 'x', required: false }] } });
      assert.equal(badPatch.status, 422);
      assert.deepEqual(fields(badPatch), ['form.fields[0].type']);
      // Sending needs at least one field.
      const emptyForm = await created({ kind: 'form', title: '空表', form: { description: '', per: 'person', fields: [] } });
      const emptySend = spec('POST', '/api/v1/docs/{id}/send', await cadre.post(`/api/v1/docs/${emptyForm.id}/send`, { audience: { regions: [A1] }, deadline: new Date(Date.now() + DAY).toISOString() }));
      assert.equal(emptySend.status, 422, 'a form without fields');
      assert.deepEqual(fields(emptySend), ['form.fields']);
      await share(emptyForm.id, [{ kind: 'account', target: ids.resident, role: 'viewer' }]);
      assert.equal((await as('resident').post(`/api/v1/docs/${emptyForm.id}/send`, { audience: { regions: [A1] }, deadline: new Date(Date.now() + DAY).toISOString() })).status, 403, 'a viewer does not send');
      assert.equal((await cadre.post(`/api/v1/docs/${f.id}/send`, { audience: {}, deadline: new Date(Date.now() + DAY).toISOString() })).status, 422);
      const noDeadline = await cadre.post(`/api/v1/docs/${f.id}/send`, { audience: { regions: [A1] } });
      assert.equal(noDeadline.status, 422);
      assert.deepEqual(fields(noDeadline), ['deadline']);
      const past = await cadre.post(`/api/v1/docs/${f.id}/send`, { audience: { regions: [A1] }, deadline: new Date(Date.now() - DAY).toISOString() });
      assert.equal(past.status, 422, 'a past deadline');
      assert.deepEqual(fields(past), ['deadline']);
      assert.equal((await as('resident').post(`/api/v1/docs/${f.id}/send`, { audience: { regions: [A1] }, deadline: new Date(Date.now() + DAY).toISOString() })).status, 404);
      const docOnly = await created({ title: '不是表' });
      assert.equal((await cadre.post(`/api/v1/docs/${docOnly.id}/send`, { audience: { regions: [A1] }, deadline: new Date(Date.now() + DAY).toISOString() })).status, 404, 'a document cannot be sent');

      const deadline = new Date(Math.ceil((Date.now() + 3 * DAY) / 60000) * 60000).toISOString();
      const sent = spec('POST', '/api/v1/docs/{id}/send', await cadre.post(`${path}/send`, { audience: { regions: [A1] }, deadline }));
      assert.equal(sent.status, 200, sent.text);
      const village = (await cadre.get(`/api/v1/regions/${A1}`)).json;
      assert.equal(sent.json.form.status, 'open');
      assert.equal(Date.parse(sent.json.form.deadline), Date.parse(deadline));
      assert.ok(sent.json.form.sent_at);
      assert.ok(sent.json.form.notice_id);
      assert.equal(sent.json.form.audience_size, village.people_count);
      assert.equal(sent.json.form.responses, 0);
      assert.equal((await cadre.post(`${path}/send`, { audience: { regions: [A1] }, deadline })).status, 409, 'sent once');
      const lateEdit = await cadre.patch(path, { form: { description: '改', per: 'person', fields: FIELDS } });
      assert.equal(lateEdit.status, 409, 'fields are fixed once sent');
      assert.equal((await cadre.patch(path, { title: '二〇二六年种植意向收集表（请尽快填写）' })).status, 200, 'the title may change');

      // The audience sees it: forms/mine and the inbox (category form).
      const mine = spec('GET', '/api/v1/forms/mine', await as('resident').get('/api/v1/forms/mine?limit=50'));
      assert.equal(mine.status, 200, mine.text);
      const item = mine.json.items.find((x) => x.id === f.id);
      assert.ok(item, 'the resident sees the form');
      assert.equal(item.status, 'open');
      assert.equal(item.per, 'person');
      assert.equal(item.submitted_at, null);
      assert.equal(Date.parse(item.deadline), Date.parse(deadline));
      const inbox = await as('resident').get('/api/v1/inbox?category=form&limit=100');
      assert.equal(inbox.status, 200, inbox.text);
      spec('GET', '/api/v1/inbox', inbox);
      const notice = inbox.json.items.find((i) => i.id === sent.json.form.notice_id);
      assert.ok(notice, 'the form\'s notice is in the inbox');
      assert.equal(notice.category, 'form');
      assert.ok(!(await as('resident', 1).get('/api/v1/forms/mine?limit=50')).json.items.some((x) => x.id === f.id), 'not another village');
      assert.equal((await as('resident', 1).get(`${path}/response`)).status, 404);

      const respPath = `${path}/response`;
      const empty = spec('GET', '/api/v1/docs/{id}/response', await as('resident').get(respPath));
      assert.equal(empty.status, 200, empty.text);
      assert.equal(empty.json.response, null);
      assert.equal(empty.json.form.id, f.id);
      assert.deepEqual(empty.json.form.form.fields.map((x) => x.id), [...FIELDS, PHOTO].map((x) => x.id));

      const idno = makeIdNumber('500238', '19850612', 123);
      const badCheck = idno.slice(0, 17) + (idno[17] === '0' ? '1' : '0');
      const good = { name: '刘满瑶', phone: '13812345678', idno, age: 41, crop: '玉米', help: ['技术', '销路'], day: '2026-03-15', where: A1, note: '家里有两亩坡地' };
      const submit = (client, answers) => client.req('PUT', respPath, { body: { answers } });
      for (const [answers, want] of [
        [{ ...good, idno: badCheck }, ['answers.idno']],
        [{ ...good, idno: idno.slice(0, 17) }, ['answers.idno']],
        [{ ...good, name: undefined }, ['answers.name']],
        [{ ...good, name: '' }, ['answers.name']],
        [{ ...good, crop: undefined, phone: undefined }, ['answers.crop', 'answers.phone']],
        [{ ...good, phone: '12345678901' }, ['answers.phone']],
        [{ ...good, age: 121 }, ['answers.age']],
        [{ ...good, age: '四十' }, ['answers.age']],
        [{ ...good, crop: '小麦' }, ['answers.crop']],
        [{ ...good, help: ['技术', '旅游'] }, ['answers.help']],
        [{ ...good, day: '2026/03/15' }, ['answers.day']],
        [{ ...good, where: '110101001001' }, ['answers.where']],
        [{ ...good, pic: randomUUID() }, ['answers.pic']],
        [{ ...good, pic: PNG.toString('base64') }, ['answers.pic']],
      ]) {
        const r = spec('PUT', '/api/v1/docs/{id}/response', await submit(as('resident'), answers));
        assert.equal(r.status, 422, `${JSON.stringify(answers)}: ${r.text}`);
        assert.deepEqual(fields(r), want, JSON.stringify(answers));
      }
      assert.equal((await cadre.get(`${path}/stats`)).json.responses, 0, 'nothing stored by refused answers');
      const ok = spec('PUT', '/api/v1/docs/{id}/response', await submit(as('resident'), good));
      assert.equal(ok.status, 200, ok.text);
      const resp = ok.json.response;
      assert.equal(resp.person_id, person.resident);
      assert.equal(resp.village_code, A1);
      assert.equal(resp.answers.crop, '玉米');
      assert.deepEqual(resp.answers.help, ['技术', '销路']);
      assert.equal(resp.answers.age, 41);
      // A retry replaces the answer: still one response.
      const again = spec('PUT', '/api/v1/docs/{id}/response', await submit(as('resident'), { ...good, crop: '土豆', help: ['资金'] }));
      assert.equal(again.status, 200, again.text);
      assert.equal(again.json.response.id, resp.id, 'the same response');
      assert.equal(again.json.response.answers.crop, '土豆');
      assert.equal((await cadre.get(`${path}/stats`)).json.responses, 1, 'a replaced answer is still one response');
      assert.equal((await cadre.get(`${path}/responses`)).json.total, 1);
      const mineNow = spec('GET', '/api/v1/docs/{id}/response', await as('resident').get(respPath));
      assert.equal(mineNow.json.response.id, resp.id);
      assert.equal(mineNow.json.response.answers.crop, '土豆');
      assert.ok((await as('resident').get('/api/v1/forms/mine?limit=50')).json.items.find((x) => x.id === f.id).submitted_at);
      const pmIdno = makeIdNumber('500238', '19840101', 119);
      const pm = await submit(as('party_member'), { name: acct('party_member').name, phone: '13900001111', idno: pmIdno, crop: '水稻', help: ['技术'] });
      assert.equal(pm.status, 200, pm.text);
      assert.equal((await as('party_member').get(respPath)).json.response.answers.crop, '水稻', 'each person their own answer');
      assert.equal((await as('resident').get(respPath)).json.response.answers.crop, '土豆');

      // Stats, the missing list, reminders.
      const stats = spec('GET', '/api/v1/docs/{id}/stats', await cadre.get(`${path}/stats`));
      assert.equal(stats.status, 200, stats.text);
      assert.equal(stats.json.audience, village.people_count);
      assert.equal(stats.json.responses, 2);
      assert.deepEqual(stats.json.by_day, [{ day: shanghaiDay(), count: 2 }]);
      assert.deepEqual(stats.json.by_village.map((v) => [v.code, v.audience, v.responses]), [[A1, village.people_count, 2]]);
      assert.equal(stats.json.choices.crop['土豆'], 1);
      assert.equal(stats.json.choices.crop['水稻'], 1);
      assert.ok(!stats.json.choices.crop['玉米'], 'the replaced answer no longer counts');
      assert.equal(stats.json.choices.help['技术'], 1);
      assert.equal(stats.json.choices.help['资金'], 1);
      assert.equal((await get(as('town_official'), f.id)).json.form.responses, 2);
      assert.equal((await as('resident').get(`${path}/stats`)).status, 404, 'respondents do not see the stats');
      const missing = spec('GET', '/api/v1/docs/{id}/missing', await cadre.get(`${path}/missing?limit=50`));
      assert.equal(missing.status, 200, missing.text);
      assert.equal(missing.json.total, village.people_count - 2);
      assert.ok(missing.json.total <= 50, 'the demo village is small enough for one page');
      assert.equal(missing.json.items.length, missing.json.total);
      const missingIds = missing.json.items.map((x) => x.person_id);
      assert.ok(!missingIds.includes(person.resident) && !missingIds.includes(person.party_member));
      assert.ok(missingIds.includes(person.village_cadre), 'the cadre has not answered');
      assert.ok(missing.json.items.every((x) => !x.phone_masked || PHONE_MASKED.test(x.phone_masked)));
      assert.equal((await cadre.get(`${path}/missing?limit=2`)).json.items.length, 2);
      const wide = await cadre.get(`${path}/missing?limit=1000`);
      deferred.push(() => assert.equal(wide.status, 200, `missing: limit may be up to 1000: ${wide.text}`));
      assert.equal((await as('resident').get(`${path}/missing`)).status, 404);
      const remind = spec('POST', '/api/v1/docs/{id}/remind', await cadre.post(`${path}/remind`, {}));
      assert.equal(remind.status, 200, remind.text);
      assert.equal(remind.json.reminded, missing.json.total);
      assert.equal((await cadre.post(`${path}/remind`, {})).status, 429, 'once per ten minutes');
      assert.equal((await as('resident').post(`${path}/remind`, {})).status, 404);

      // Responses: masked, or revealed (and audited) for a holder of person.reveal.
      const list = spec('GET', '/api/v1/docs/{id}/responses', await cadre.get(`${path}/responses`));
      assert.equal(list.status, 200, list.text);
      assert.equal(list.json.total, 2);
      const byPerson = (items, pid) => items.find((x) => x.person_id === pid);
      const masked = byPerson(list.json.items, person.resident);
      assert.equal(masked.answers.phone, '138****5678');
      assert.equal(masked.answers.idno, `500238********${idno.slice(-4)}`);
      assert.equal(masked.answers.name, '刘满瑶');
      assert.equal(masked.answers.crop, '土豆');
      assert.equal(masked.person_name, acct('resident').name);
      assert.equal(masked.household_id, srv.household);
      assert.equal(byPerson(list.json.items, person.party_member).answers.phone, '139****1111');
      const town = await as('town_official').get(`${path}/responses?reveal=1`);
      assert.equal(town.status, 403, `a manager without person.reveal may not reveal (${town.text.slice(0, 200)})`);
      assert.match(town.json.detail, /person\.reveal/);
      assert.equal(byPerson((await as('town_official').get(`${path}/responses`)).json.items, person.resident).answers.phone, '138****5678');
      const townCsv = await as('town_official').bytes(`${path}/responses.csv?reveal=1`);
      assert.ok(!townCsv.buf.toString('utf8').includes('13812345678'), 'nor in the CSV');
      assert.equal(townCsv.status, 403, 'nor export revealed without person.reveal');
      assert.equal((await as('resident').get(`${path}/responses`)).status, 404);
      const before = (await auditOf(f.id)).length;
      const shown = spec('GET', '/api/v1/docs/{id}/responses', await cadre.get(`${path}/responses?reveal=1`));
      assert.equal(shown.status, 200);
      assert.equal(byPerson(shown.json.items, person.resident).answers.phone, '13812345678');
      assert.equal(byPerson(shown.json.items, person.resident).answers.idno, idno);
      assert.equal(byPerson(shown.json.items, person.party_member).answers.idno, pmIdno);
      const audit = await until(async () => { const a = await auditOf(f.id); return a.length > before && a; }, 'the reveal in the audit log');
      const entry = audit.find((e) => /reveal/.test(e.action));
      assert.ok(entry, JSON.stringify(audit));
      assert.equal(entry.actor, ids.village_cadre);
      assert.equal(entry.result, 'ok');
      // Pages of one.
      const p1 = await cadre.get(`${path}/responses?limit=1`);
      assert.equal(p1.json.items.length, 1);
      assert.ok(p1.json.next_cursor);
      const p2 = await cadre.get(`${path}/responses?limit=1&cursor=${encodeURIComponent(p1.json.next_cursor)}`);
      assert.equal(p2.json.items.length, 1);
      assert.notEqual(p2.json.items[0].id, p1.json.items[0].id);
      if (p2.json.next_cursor) {
        assert.deepEqual((await cadre.get(`${path}/responses?limit=1&cursor=${encodeURIComponent(p2.json.next_cursor)}`)).json.items, []);
      }

      // Exports: the field labels head the columns; the same masking rules.
      const labels = [...FIELDS, PHOTO].map((x) => x.label);
      const labelsIn = (row) => row.filter((c) => labels.includes(c));
      const csv = await cadre.bytes(`${path}/responses.csv`);
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type'), /^text\/csv/);
      assert.match(csv.headers.get('content-disposition'), /^attachment/);
      assert.deepEqual([...csv.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
      const rows = parseCsv(csv.buf.toString('utf8').slice(1)).filter((r) => r.some((c) => c !== ''));
      const head = rows.findIndex((r) => labelsIn(r).length === labels.length);
      assert.ok(head >= 0, `a header row with every label: ${JSON.stringify(rows.slice(0, 3))}`);
      assert.deepEqual(labelsIn(rows[head]), labels, 'in field order');
      assert.equal(rows.length - head - 1, 2, 'one row per response');
      const phoneCol = rows[head].indexOf('联系电话');
      assert.deepEqual(rows.slice(head + 1).map((r) => r[phoneCol]).sort(), ['138****5678', '139****1111']);
      const csvShown = parseCsv((await cadre.bytes(`${path}/responses.csv?reveal=1`)).buf.toString('utf8').slice(1));
      assert.ok(csvShown.some((r) => r.includes('13812345678') && r.includes(idno)), 'revealed in the CSV');
      const xlsx = await cadre.bytes(`${path}/responses.xlsx`);
      assert.equal(xlsx.status, 200);
      assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.buf);
      const ws = wb.worksheets[0];
      const sheet = [];
      ws.eachRow({ includeEmpty: false }, (row) => sheet.push(row.values.slice(1).map(cellText)));
      const xhead = sheet.findIndex((r) => labelsIn(r).length === labels.length);
      assert.ok(xhead >= 0, `an XLSX header row with every label: ${JSON.stringify(sheet.slice(0, 3))}`);
      assert.deepEqual(labelsIn(sheet[xhead]), labels);
      assert.equal(sheet.length - xhead - 1, 2);
      const xPhone = sheet[xhead].indexOf('联系电话');
      const xId = sheet[xhead].indexOf('身份证号码');
      assert.deepEqual(sheet.slice(xhead + 1).map((r) => r[xPhone]).sort(), ['138****5678', '139****1111']);
      assert.ok(sheet.slice(xhead + 1).every((r) => IDNO_MASKED.test(r[xId])), 'ID numbers masked');
      assert.equal((await as('resident').bytes(`${path}/responses.xlsx`)).status, 404);
      assert.equal((await as('resident').bytes(`${path}/responses.csv`)).status, 404);

      // A photo answer is a file uploaded to the form by someone in its audience; it stays
      // private to the uploader and the form's editors.
      const photo = await as('resident').upload(`${path}/files`, PNG, 'image/png');
      if (photo.status !== 201) deferred.push(() => assert.equal(photo.status, 201, `an audience member uploads a photo: ${photo.text}`));
      else {
        assert.equal((await as('resident', 1).upload(`${path}/files`, PNG, 'image/png')).status, 404, 'not the audience');
        const withPhoto = await submit(as('resident'), { ...good, crop: '土豆', help: ['资金'], pic: photo.json.id });
        assert.equal(withPhoto.status, 200, withPhoto.text);
        assert.equal(withPhoto.json.response.answers.pic, photo.json.id);
        assert.equal((await as('party_member').bytes(`${path}/files/${photo.json.id}`)).status, 404, 'not another respondent');
        assert.equal((await as('resident').bytes(`${path}/files/${photo.json.id}`)).status, 200, 'the uploader');
        const seenByEditor = await cadre.bytes(`${path}/files/${photo.json.id}`);
        assert.equal(seenByEditor.status, 200, 'an editor');
        assert.deepEqual(seenByEditor.buf.subarray(0, 8), PNG.subarray(0, 8));
        const pmPhoto = await as('party_member').upload(`${path}/files`, PNG, 'image/png');
        assert.equal(pmPhoto.status, 201);
        const notHis = spec('PUT', '/api/v1/docs/{id}/response', await submit(as('party_member'), { name: '李', phone: '13900001111', idno: pmIdno, crop: '水稻', pic: photo.json.id }));
        assert.equal(notHis.status, 422, 'another respondent\'s photo is no answer');
        assert.deepEqual(fields(notHis), ['answers.pic']);
        assert.equal((await cadre.get(`${path}/responses`)).json.total, 2, 'still two responses');
      }

      // Closing: no more answers.
      assert.equal((await as('resident').post(`${path}/close`, {})).status, 404);
      const closed = spec('POST', '/api/v1/docs/{id}/close', await cadre.post(`${path}/close`, {}));
      assert.equal(closed.status, 200, closed.text);
      assert.equal(closed.json.form.status, 'closed');
      const late = spec('PUT', '/api/v1/docs/{id}/response', await submit(as('resident'), good));
      assert.equal(late.status, 409);
      assert.equal((await as('resident').get('/api/v1/forms/mine?limit=50')).json.items.find((x) => x.id === f.id).status, 'closed');
      assert.equal((await cadre.get(`${path}/responses`)).json.total, 2, 'the answers stay');
      assert.equal((await cadre.post(`${path}/remind`, {})).status, 409, 'only an open form is reminded');
      const deviations = [];
      for (const check of deferred) { try { check(); } catch (e) { deviations.push(e.message.split('\n')[0]); } }
      assert.deepEqual(deviations, []);
    });

    test('a per-household form: the members of a household share one response', async () => {
      const cadre = as('village_cadre');
      const f = await created({ kind: 'form', title: '每户一表：饮水情况', form: { description: '', per: 'household', fields: [
        { id: 'water', type: 'single', label: '饮水来源', required: true, options: ['自来水', '井水', '山泉'] },
        { id: 'people', type: 'number', label: '常住人口', required: true, min: 1, max: 30 },
      ] } });
      const path = `/api/v1/docs/${f.id}`;
      const sent = await cadre.post(`${path}/send`, { audience: { regions: [A1] }, deadline: new Date(Date.now() + 2 * DAY).toISOString() });
      assert.equal(sent.status, 200, sent.text);
      // The audience is the village's households (counted here from the people list).
      const households = new Set();
      let cursor = null;
      for (let n = 0; n < 100; n++) {
        const page = (await cadre.get(`/api/v1/people?region=${A1}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json;
        for (const p of page.items) if (p.household_id) households.add(p.household_id);
        cursor = page.next_cursor;
        if (!cursor) break;
      }
      assert.ok(households.has(srv.household));
      const audienceSize = sent.json.form.audience_size;  // checked at the end
      const item = (await as('party_member').get('/api/v1/forms/mine?limit=50')).json.items.find((x) => x.id === f.id);
      assert.equal(item.per, 'household');

      const put1 = spec('PUT', '/api/v1/docs/{id}/response', await as('resident').req('PUT', `${path}/response`, { body: { answers: { water: '井水', people: 4 } } }));
      assert.equal(put1.status, 200, put1.text);
      assert.equal(put1.json.response.household_id, srv.household);
      const seen = spec('GET', '/api/v1/docs/{id}/response', await as('party_member').get(`${path}/response`));
      assert.equal(seen.status, 200);
      assert.ok(seen.json.response, 'the other member sees the household\'s response');
      assert.equal(seen.json.response.id, put1.json.response.id);
      assert.deepEqual(seen.json.response.answers, { water: '井水', people: 4 });
      assert.ok((await as('party_member').get('/api/v1/forms/mine?limit=50')).json.items.find((x) => x.id === f.id).submitted_at);
      const put2 = await as('party_member').req('PUT', `${path}/response`, { body: { answers: { water: '自来水', people: 5 } } });
      assert.equal(put2.status, 200, put2.text);
      assert.equal(put2.json.response.id, put1.json.response.id, 'replaced, not added');
      assert.deepEqual((await as('resident').get(`${path}/response`)).json.response.answers, { water: '自来水', people: 5 });
      const list = await cadre.get(`${path}/responses`);
      assert.equal(list.json.total, 1);
      assert.equal(list.json.items[0].household_id, srv.household);
      const stats = (await cadre.get(`${path}/stats`)).json;
      assert.equal(stats.responses, 1);
      const nonzero = (o) => Object.fromEntries(Object.entries(o).filter(([, n]) => n !== 0));
      assert.deepEqual(nonzero(stats.choices.water), { 自来水: 1 });
      const missing = (await cadre.get(`${path}/missing?limit=50`)).json;
      assert.equal(missing.total, households.size - 1);
      assert.ok(!missing.items.some((x) => x.person_id === person.resident || x.person_id === person.party_member));

      // Open forms come before closed ones in forms/mine.
      const closedOne = await created(form({ title: '已结束的表', form: { description: '', per: 'person', fields: FIELDS.slice(0, 1) } }));
      assert.equal((await cadre.post(`/api/v1/docs/${closedOne.id}/send`, { audience: { regions: [A1] }, deadline: new Date(Date.now() + DAY).toISOString() })).status, 200);
      assert.equal((await cadre.post(`/api/v1/docs/${closedOne.id}/close`, {})).status, 200);
      const order = (await as('resident').get('/api/v1/forms/mine?limit=50')).json.items.map((x) => x.status);
      assert.ok(order.includes('open') && order.includes('closed'));
      assert.ok(order.lastIndexOf('open') < order.indexOf('closed'), `open first: ${order}`);
      // The audience of a per-household form is its households, as the missing list counts them.
      assert.equal(missing.total + 1, households.size, 'the missing list counts households');
      assert.deepEqual([audienceSize, stats.audience, stats.by_village[0].audience], [households.size, households.size, households.size],
        'audience_size, stats.audience and by_village[].audience count households');
    });

    test('figures: documents created, forms sent and responses by month', async () => {
      const figures = async (client, group, from = MONTH, to = MONTH) => {
        const r = spec('GET', '/api/v1/docs/figures', await client.get(`/api/v1/docs/figures?from=${from}&to=${to}&group=${group}`));
        assert.equal(r.status, 200, r.text);
        return r.json.items;
      };
      // One more form sent and answered, so that this test does not depend on the others' success.
      const before = (await figures(as('county_admin'), 'village')).find((x) => x.group_id === A1) ?? { forms_sent: 0, responses: 0, docs_created: 0 };
      await created({ title: '统计用文档' });
      const f = await created(form({ title: '统计用表', form: { description: '', per: 'person', fields: FIELDS.slice(0, 1) } }));
      assert.equal((await as('village_cadre').post(`/api/v1/docs/${f.id}/send`, { audience: { regions: [A1] }, deadline: new Date(Date.now() + DAY).toISOString() })).status, 200);
      assert.equal((await as('resident').req('PUT', `/api/v1/docs/${f.id}/response`, { body: { answers: { name: '刘' } } })).status, 200);
      assert.equal((await as('resident').req('PUT', `/api/v1/docs/${f.id}/response`, { body: { answers: { name: '刘满瑶' } } })).status, 200);
      const v = (await figures(as('county_admin'), 'village')).find((x) => x.group_id === A1 && x.month === MONTH);
      assert.deepEqual([v.docs_created - before.docs_created, v.forms_sent - before.forms_sent, v.responses - before.responses], [1, 1, 1],
        'one document created, one form sent, one response (a replaced answer is no new response)');
      assert.ok(v, 'the village has figures this month');
      assert.ok(v.docs_created >= 1, JSON.stringify(v));
      assert.ok(v.forms_sent >= 1, JSON.stringify(v));
      assert.ok(v.responses >= 1, JSON.stringify(v));
      assert.ok(v.docs_edited >= 1, 'the versions test edited a document');
      assert.ok(v.group_name.length > 0);
      const t = (await figures(as('county_admin'), 'town')).find((x) => x.group_id === townA);
      assert.ok(t && t.docs_created >= v.docs_created && t.responses >= v.responses, JSON.stringify(t));
      assert.ok(!(await figures(as('county_admin'), 'village')).some((x) => x.group_id === B1 && x.docs_created > 0), 'nothing was created in B1');
      await figures(as('county_admin'), 'unit');
      const accepted = [];
      for (const q of ['from=2026-13&to=2026-12&group=town', `from=${MONTH}&to=2026-00&group=town`, `from=${MONTH}&to=${MONTH}&group=county`, `from=${MONTH}&to=${MONTH}`, `to=${MONTH}&group=town`, `from=${MONTH}&group=town`]) {
        const r = spec('GET', '/api/v1/docs/figures', await as('county_admin').get(`/api/v1/docs/figures?${q}`));
        if (r.status !== 422) accepted.push(`${q}: ${r.status}`);
      }
      assert.equal((await as('resident').get(`/api/v1/docs/figures?from=${MONTH}&to=${MONTH}&group=town`)).status, 404);
      assert.deepEqual(accepted, [], 'malformed or missing from, to and group are 422s');
    });

    test('every response matched docs/openapi.yaml', () => {
      assert.deepEqual([...specProblems.values()], []);
    });
  });
}
