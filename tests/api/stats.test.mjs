// The county dashboard (驾驶舱, docs/stats.md) — on SQLite and on a throwaway PostgreSQL:
//  * without demo history: a county that starts at zero, then real activity through the API
//    (a notice read and confirmed, a training and a meeting with check-ins and ended, a cancelled
//    meeting, a document, a form sent and answered, requests signed, finished, confirmed, rated
//    and closed unfixed, a villager joining) shows exactly in the totals, the month, the town
//    child and the village; unit figures (forced for unit staff); access and 422/404 errors; the
//    `stats.changed` live event and the cache it invalidates; `shuxiang stats rebuild` finding
//    nothing to fix, then fixing a tampered counter;
//  * with the demo history at scale 1: the article's totals, consistent breakdowns (months,
//    towns, units, drill-down), rankings under the minimum-case rule, the CSV tables and the
//    monthly XLSX report (read back with exceljs).
// Every JSON answer is checked against docs/openapi.yaml (reported together by the last test of
// each suite, so that the behaviour tests still run).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { startServer, launch, runCli, stopProcess, stopSharedPostgres } from '../support/server.mjs';
import { Client, randomPhone, makeIdNumber } from '../support/client.mjs';
import { demoAccounts } from '../support/accounts.mjs';
import { assertMatchesSpec, makeAjv } from '../support/openapi.mjs';
import { frameSocket } from '../support/frames.mjs';
import { parseCsv } from '../support/csv.mjs';
import { sql } from '../support/sql.mjs';
import { sleep, until } from '../support/wait.mjs';

const COUNTY = '500238000000';
const MINUTE = 60000;
const DAY = 86400000;
// The demo county's sample documents (`shuxiang demo` without history: LoadDemoModules), created
// this month in a village folder; every other document figure of a fresh county is 0.
const DEMO_DOCS = 3;
const shanghaiMonth = (ms = Date.now()) => new Date(ms + 8 * 3600000).toISOString().slice(0, 7);
const addMonths = (m, n) => {
  const d = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5)) - 1 + n, 1));
  return d.toISOString().slice(0, 7);
};
const monthsBetween = (from, to) => {
  const out = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
};
// A time `ms` from now rounded up to the whole minute (as the meetings tests schedule).
const at = (ms) => new Date(Math.ceil((Date.now() + ms) / MINUTE) * MINUTE).toISOString();
const fields = (r) => (r.json?.errors || []).map((e) => e.field).sort();
const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;
const rate = (a, b) => (b > 0 ? round(a / b, 4) : null);
const idem = () => ({ headers: { 'idempotency-key': randomUUID() } });
const validWsFrame = makeAjv().compile({ $ref: 'https://shuxiang.invalid/openapi.json#/components/schemas/WsServerMessage' });

// The figure families; `people` moves with every signed-in request (people.active), so some
// comparisons leave it out.
const FAMILIES = ['notices', 'meetings', 'trainings', 'docs', 'requests', 'people'];
const COUNTS = {
  notices: ['published', 'audience', 'read', 'confirmed'],
  meetings: ['held', 'minutes', 'invitees', 'present'],
  trainings: ['held', 'minutes', 'invitees', 'present'],
  docs: ['created', 'edited', 'forms_sent', 'responses'],
  requests: ['filed', 'signed', 'finished', 'resolved', 'unresolved', 'rated', 'satisfied'],
  people: ['joined'],
};
const pick = (f, families = FAMILIES) => Object.fromEntries(families.map((k) => [k, f[k]]));
// after − before for every additive count.
function delta(after, before) {
  const out = {};
  for (const [fam, keys] of Object.entries(COUNTS)) {
    out[fam] = {};
    for (const k of keys) out[fam][k] = after[fam][k] - before[fam][k];
  }
  return out;
}
const withoutTime = (d) => { const { generated_at: _, ...rest } = d; return rest; };

const cellValue = (v) => (v && typeof v === 'object' ? (v.richText ? v.richText.map((t) => t.text).join('') : v.result ?? v.text ?? v) : v);
// The rows of a worksheet as arrays of values (column A first).
function sheetRows(ws) {
  const rows = [];
  ws.eachRow({ includeEmpty: false }, (row) => rows.push(row.values.slice(1).map(cellValue)));
  return rows;
}

// A server of the suite that can be stopped and relaunched on the same database (for the rebuild
// CLI); `clients` follow it to its new address.
async function restartable(opts, clients) {
  const srv = await startServer(opts);
  const self = {
    ...srv,
    db: opts.db,
    async stop() { await stopProcess(self.proc); },
    async start() {
      const s = await launch(self.dbUrl, { keyFile: self.keyFile, files: join(self.dir, 'files') });
      self.proc = s.proc;
      self.baseUrl = s.baseUrl;
      for (const c of clients()) c.baseUrl = s.baseUrl;
    },
    cli(...args) { return runCli([...args, '--db', self.dbUrl, '--key-file', self.keyFile]); },
    async dispose() {
      await stopProcess(self.proc);
      rmSync(self.dir, { recursive: true, force: true });
    },
  };
  return self;
}

// `shuxiang stats rebuild` output: { county, families: {name: {cells, differed}}, total }.
function parseRebuild(out) {
  const families = {};
  let total = null;
  for (const line of out.trim().split('\n')) {
    const m = line.match(/^(\d{6}) (\S+)\s+(\d+) cells, (\d+) differed$/);
    if (m) {
      assert.equal(m[1], '500238', line);
      families[m[2]] = { cells: Number(m[3]), differed: Number(m[4]) };
      continue;
    }
    const t = line.match(/^rebuilt; (\d+) cells differed from the live counters$/);
    assert.ok(t, `an unexpected line: ${line}`);
    total = Number(t[1]);
  }
  return { families, total };
}

for (const db of ['sqlite', 'postgres']) {
  describe(`dashboard on ${db}: live figures, access and rebuild (no history)`, () => {
    let srv;
    const { signInAll, acct, as } = demoAccounts();
    const everyone = () => srv.accounts.map((a) => as(a.role, srv.accounts.filter((b) => b.role === a.role).indexOf(a)));
    let A1, A2, B1, townA, townB, MONTH, unitId, townUnitId;
    const specProblems = new Map();
    const spec = (method, tpl, r) => {
      try {
        assertMatchesSpec(method, tpl, r.status, r.json);
      } catch (e) {
        const key = `${method} ${tpl} ${r.status}`;
        if (!specProblems.has(key)) specProblems.set(key, e.message.split('\n').slice(0, 8).join('\n'));
      }
      return r;
    };
    const dash = async (client, q) => spec('GET', '/api/v1/stats/dashboard', await client.get(`/api/v1/stats/dashboard?${q}`));
    const ok = async (client, q) => {
      const r = await dash(client, q);
      assert.equal(r.status, 200, `${q}: ${r.text}`);
      return r.json;
    };

    before(async () => {
      srv = await restartable({ db, residents: 400, history: 0 }, () => everyone());
      await signInAll(srv);
      A1 = acct('village_cadre', 0).region_code;
      A2 = acct('village_cadre', 1).region_code;
      B1 = acct('village_cadre', 2).region_code;
      townA = A1.slice(0, 9) + '000';
      townB = B1.slice(0, 9) + '000';
      MONTH = shanghaiMonth();
      unitId = (await as('unit_staff', 0).get('/api/v1/me')).json.roles.find((g) => g.unit_id).unit_id;
      townUnitId = (await as('unit_staff', 1).get('/api/v1/me')).json.roles.find((g) => g.unit_id).unit_id;
      assert.equal(acct('unit_staff', 0).region_code, COUNTY, 'the first unit staff works for a county unit');
      assert.equal(acct('unit_staff', 1).region_code, townA, 'the second for a unit of town A');
    });
    after(async () => { await srv?.dispose(); });

    test('a county without history starts at zero, with every month, town and path', async () => {
      const d = await ok(as('county_admin'), `region=${COUNTY}`);
      assert.deepEqual(d.region, { code: COUNTY, name: d.path[0].name, level: 'county' });
      assert.deepEqual(d.path.map((p) => [p.code, p.level]), [[COUNTY, 'county']]);
      assert.equal(d.unit, null);
      assert.equal(d.to, MONTH, 'to defaults to the current month (Asia/Shanghai)');
      assert.equal(d.from, addMonths(MONTH, -5), 'from defaults to five months before to');
      assert.deepEqual(d.months.map((m) => m.month), monthsBetween(d.from, d.to));
      assert.ok(Math.abs(Date.parse(d.generated_at) - Date.now()) < 60000);
      const towns = (await as('county_admin').get(`/api/v1/regions/${COUNTY}/children`)).json.items;
      assert.deepEqual(d.children.map((c) => [c.code, c.level]), towns.map((t) => [t.code, 'town']), 'the towns of the county, by code');
      assert.deepEqual(d.units, [], 'no unit has any figure yet');
      const t = d.totals;
      assert.deepEqual(t.notices, { published: 0, audience: 0, read: 0, confirmed: 0, read_rate: null, confirm_rate: null });
      assert.deepEqual(t.meetings, { held: 0, minutes: 0, hours: 0, invitees: 0, present: 0, attendance_rate: null });
      assert.deepEqual(t.trainings, { held: 0, minutes: 0, hours: 0, invitees: 0, present: 0, attendance_rate: null });
      assert.deepEqual(t.docs, { created: DEMO_DOCS, edited: DEMO_DOCS, forms_sent: 0, responses: 0 }, 'only the demo sample documents');
      assert.deepEqual(t.requests, {
        filed: 0, signed: 0, finished: 0, resolved: 0, unresolved: 0, rated: 0, satisfied: 0, response_rate: null,
        resolve_rate: null, satisfaction_rate: null, median_sign_hours: null, median_finish_hours: null, overdue_now: 0,
      });
      assert.equal(t.people.joined, 0);
      assert.ok(d.months.every((m) => m.requests.overdue_now === null), 'overdue_now is null in months');
      assert.ok(d.children.every((c) => c.requests.overdue_now === 0), 'and a number for places');
      assert.deepEqual(d.rankings.map((r) => [r.key, r.over, r.min_cases, r.items.length]), [
        ['requests.resolve_rate', 'children', 5, 0], ['requests.satisfaction_rate', 'children', 5, 0],
        ['requests.response_rate', 'children', 5, 0], ['notices.read_rate', 'children', 3, 0],
        ['meetings.attendance_rate', 'children', 3, 0],
      ], 'nothing is ranked without cases');
      // A town and a village: the path down to them, their children.
      const town = await ok(as('town_official'), `region=${townA}`);
      assert.deepEqual(town.path.map((p) => [p.code, p.level]), [[COUNTY, 'county'], [townA, 'town']]);
      const villages = (await as('county_admin').get(`/api/v1/regions/${townA}/children`)).json.items;
      assert.deepEqual(town.children.map((c) => [c.code, c.level]), villages.map((v) => [v.code, 'village']));
      assert.deepEqual(town.units, [], 'units at county level only');
      const village = await ok(as('village_cadre'), `region=${A1}`);
      assert.deepEqual(village.path.map((p) => p.code), [COUNTY, townA, A1]);
      assert.deepEqual([village.children, village.units, village.rankings], [[], [], []]);
      assert.equal(village.totals.notices.published, 0);
    });

    test('real activity shows exactly in the totals, the month, the town child and the village', { timeout: 120000 }, async () => {
      const admin = as('county_admin');
      const cadre = as('village_cadre');
      const base = {
        county: await ok(admin, `region=${COUNTY}`),
        town: await ok(admin, `region=${townA}`),
        village: await ok(admin, `region=${A1}`),
      };
      const baseRowOf = (d, code) => d.children.find((c) => c.code === code);

      // A notice to the village asking a receipt: the resident confirms (and so reads), the party
      // member only reads.
      const n = spec('POST', '/api/v1/notices', await cadre.post('/api/v1/notices',
        { title: '关于开展人居环境整治的通知', body: '请各户于周六上午清扫房前屋后。', audience: { regions: [A1] }, receipt_required: true }, idem()));
      assert.equal(n.status, 201, n.text);
      assert.equal((await as('resident').post(`/api/v1/notices/${n.json.id}/confirm`, {})).status, 200);
      assert.equal((await as('party_member').post(`/api/v1/notices/${n.json.id}/read`, {})).status, 200);

      // A training (kind: training) and a meeting (kind omitted: meeting), each with check-ins, then
      // ended; and a cancelled meeting, which is not counted.
      const schedule = async (body) => {
        const r = spec('POST', '/api/v1/meetings', await cadre.post('/api/v1/meetings',
          { title: '会议', start_at: at(2 * MINUTE), planned_minutes: 60, audience: { regions: [A1] }, ...body }, idem()));
        assert.equal(r.status, 201, r.text);
        return r.json;
      };
      const checkIn = async (m, roles) => {
        const code = await cadre.post(`/api/v1/meetings/${m.id}/checkin-code`, {});
        assert.equal(code.status, 200, code.text);
        for (const role of roles) {
          const c = await as(role).post(`/api/v1/meetings/${m.id}/checkins`, { code: code.json.code });
          assert.equal(c.status, 200, `${role}: ${c.text}`);
        }
      };
      const end = async (m) => {
        const r = spec('POST', '/api/v1/meetings/{id}/end', await cadre.post(`/api/v1/meetings/${m.id}/end`, {}));
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.status, 'ended');
        const att = await cadre.get(`/api/v1/meetings/${m.id}/attendance`);
        assert.equal(att.status, 200, att.text);
        return { ended: r.json, summary: att.json.summary };
      };
      const training = await schedule({ title: '果树修剪技术培训', kind: 'training', mode: 'both', place: '村委会会议室' });
      assert.equal(training.kind, 'training');
      const meeting = await schedule({ title: '村务工作例会', mode: 'onsite', place: '村委会院坝' });
      assert.equal(meeting.kind, 'meeting', 'kind defaults to meeting');
      const cancelled = await schedule({ title: '取消的会议', kind: 'training' });
      assert.equal((await cadre.post(`/api/v1/meetings/${cancelled.id}/cancel`, { reason: '改期' })).status, 200);
      await checkIn(training, ['resident', 'party_member']);
      await checkIn(meeting, ['resident']);
      const T = await end(training);
      const M = await end(meeting);
      assert.equal(T.summary.present, 2);
      assert.equal(M.summary.present, 1);

      // A document; a form sent to the village and answered once (a replaced answer is no new response).
      const doc = await cadre.post('/api/v1/docs', { kind: 'doc', title: '村规民约', region_code: A1 }, idem());
      assert.equal(doc.status, 201, doc.text);
      const form = await cadre.post('/api/v1/docs', { kind: 'form', title: '种植意向登记', region_code: A1,
        form: { per: 'person', fields: [{ id: 'crop', type: 'text', label: '作物', required: true }] } }, idem());
      assert.equal(form.status, 201, form.text);
      const sent = await cadre.post(`/api/v1/docs/${form.json.id}/send`, { audience: { regions: [A1] }, deadline: new Date(Date.now() + DAY).toISOString() });
      assert.equal(sent.status, 200, sent.text);
      for (const crop of ['水稻', '玉米']) {
        const a = await as('resident').req('PUT', `/api/v1/docs/${form.json.id}/response`, { body: { answers: { crop } } });
        assert.equal(a.status, 200, a.text);
      }

      // Requests: one fixed, confirmed and rated 5; one closed unfixed; one only filed.
      const file = async (description) => {
        const r = spec('POST', '/api/v1/requests', await as('resident').post('/api/v1/requests', { category: 'sanitation', description }, idem()));
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.handler, `village:${A1}`);
        return r.json;
      };
      const step = async (client, id, action, body = {}) => {
        const r = await client.post(`/api/v1/requests/${id}/${action}`, body);
        assert.equal(r.status, 200, `${action}: ${r.text}`);
        return r.json;
      };
      const r1 = await file('村口的垃圾三天没有清运了');
      await step(cadre, r1.id, 'sign');
      await step(cadre, r1.id, 'finish', { outcome: 'fixed', note: '已清运' });
      assert.equal((await step(as('resident'), r1.id, 'confirm', { fixed: true })).status, 'resolved');
      await step(as('resident'), r1.id, 'rate', { rating: 5, comment: '及时' });
      const r2 = await file('想修一条通组公路到山顶');
      await step(cadre, r2.id, 'sign');
      assert.equal((await step(cadre, r2.id, 'finish', { outcome: 'not_fixed', note: '不在今年规划内' })).status, 'closed');
      await file('路灯坏了一个月了');

      // A villager joins (实名认证): approved by the village cadre.
      const newcomer = new Client(srv.baseUrl);
      assert.equal((await newcomer.signup('新村民', randomPhone(), 'longpassword1')).status, 201);
      const j = await newcomer.post('/api/v1/join-requests', { village_code: A1, name: '新村民', id_number: makeIdNumber() }, idem());
      assert.equal(j.status, 201, j.text);
      assert.equal((await cadre.post(`/api/v1/join-requests/${j.json.id}/approve`, {})).status, 200);

      // What the modules themselves say. Notices: the notice, and the invitations of the three
      // meetings and of the form, which are notices too (categories meeting and form).
      const notices = (await admin.get('/api/v1/notices?limit=100')).json.items;
      const invitations = [training.notice_id, meeting.notice_id, cancelled.notice_id, sent.json.form.notice_id];
      assert.deepEqual(notices.map((x) => x.id).sort(), [n.json.id, ...invitations].sort(), 'every notice of the county');
      const mine = notices.find((x) => x.id === n.json.id);
      assert.deepEqual([mine.read_count, mine.confirm_count], [2, 1]);
      const sum = (k) => notices.reduce((s, x) => s + x[k], 0);
      const asked = notices.filter((x) => x.receipt_required).reduce((s, x) => s + x.audience_size, 0);
      const want = {
        notices: { published: notices.length, audience: sum('audience_size'), read: sum('read_count'), confirmed: sum('confirm_count') },
        meetings: { held: 1, minutes: M.ended.actual_minutes, invitees: meeting.counts.invitees, present: 1 },
        trainings: { held: 1, minutes: T.ended.actual_minutes, invitees: training.counts.invitees, present: 2 },
        docs: { created: 1, edited: 0, forms_sent: 1, responses: 1 },
        requests: { filed: 3, signed: 2, finished: 2, resolved: 1, unresolved: 1, rated: 1, satisfied: 1 },
        people: { joined: 1 },
      };
      const rates = (f) => ({
        notices: [f.notices.read_rate, f.notices.confirm_rate],
        meetings: [f.meetings.attendance_rate, f.meetings.hours],
        trainings: [f.trainings.attendance_rate, f.trainings.hours],
        requests: [f.requests.response_rate, f.requests.resolve_rate, f.requests.satisfaction_rate, f.requests.overdue_now],
      });
      const wantRates = {
        notices: [rate(want.notices.read, want.notices.audience), rate(want.notices.confirmed, asked)],
        meetings: [rate(1, meeting.counts.invitees), round(M.ended.actual_minutes / 60, 1)],
        trainings: [rate(2, training.counts.invitees), round(T.ended.actual_minutes / 60, 1)],
        requests: [round(2 / 3, 4), 0.5, 1],
      };

      // The figures move with live events; wait for the last ones to be seen.
      const after = await until(async () => {
        const d = await ok(admin, `region=${COUNTY}`);
        return d.totals.requests.filed === 3 && d.totals.people.joined === 1 && d;
      }, 'the activity in the dashboard');
      const town = await ok(admin, `region=${townA}`);
      const village = await ok(admin, `region=${A1}`);
      const monthOf = (d) => d.months.find((m) => m.month === MONTH);
      const checks = [
        ['county totals', after.totals, base.county.totals],
        ['county month', monthOf(after), monthOf(base.county)],
        ['town A as the county\'s child', baseRowOf(after, townA), baseRowOf(base.county, townA)],
        ['town A totals', town.totals, base.town.totals],
        ['town A month', monthOf(town), monthOf(base.town)],
        ['A1 as the town\'s child', baseRowOf(town, A1), baseRowOf(base.town, A1)],
        ['A1 totals', village.totals, base.village.totals],
        ['A1 month', monthOf(village), monthOf(base.village)],
      ];
      for (const [what, now, then] of checks) {
        assert.deepEqual(delta(now, then), want, what);
        const overdue = what.endsWith('month') ? null : 0;  // overdue_now is null in months
        assert.deepEqual(rates(now), { ...wantRates, requests: [...wantRates.requests, overdue] }, what);
      }
      assert.ok(monthOf(village).people.active >= 3, 'the cadre, the resident and the party member used the platform');
      assert.equal(village.totals.people.active, monthOf(village).people.active, 'a period shows its last month\'s active people');
      // Nothing elsewhere: the other towns and A1's sibling villages did not move.
      for (const c of after.children.filter((x) => x.code !== townA)) assert.deepEqual(delta(c, baseRowOf(base.county, c.code)), delta(c, c), c.name);
      for (const c of town.children.filter((x) => x.code !== A1)) assert.deepEqual(delta(c, baseRowOf(base.town, c.code)), delta(c, c), c.name);
      // Σ months = totals for the period.
      for (const [fam, keys] of Object.entries(COUNTS)) {
        for (const k of keys) assert.equal(after.months.reduce((s, m) => s + m[fam][k], 0), after.totals[fam][k], `Σ months ${fam}.${k}`);
      }

      // The same as each module's own figures for the village and the month.
      const reqRow = (await admin.get(`/api/v1/requests/metrics?from=${MONTH}&to=${MONTH}&group=village&min_cases=1`)).json.items.find((x) => x.key === A1);
      assert.deepEqual([reqRow.filed, reqRow.resolved, reqRow.unresolved, reqRow.rated, reqRow.satisfied], [3, 1, 1, 1, 1]);
      const docRow = (await admin.get(`/api/v1/docs/figures?from=${MONTH}&to=${MONTH}&group=village`)).json.items.find((x) => x.group_id === A1 && x.month === MONTH);
      const v = monthOf(village).docs;
      assert.deepEqual([docRow.docs_created, docRow.docs_edited, docRow.forms_sent, docRow.responses], [v.created, v.edited, v.forms_sent, v.responses]);
      const meetRow = (await admin.get(`/api/v1/meetings/figures?from=${MONTH}&to=${MONTH}&group=village`)).json.items.find((x) => x.group_id === A1);
      assert.equal(meetRow.meetings, 2, 'the meetings module counts both ended ones (meeting and training)');
    });

    test('unit figures: forced to their unit for unit staff, by choice for the county admin', async () => {
      const staff = as('unit_staff', 0);
      const admin = as('county_admin');
      const baseUnit = await ok(staff, `region=${COUNTY}`);
      assert.deepEqual(baseUnit.unit, { id: unitId, name: baseUnit.unit.name }, 'forced to the staff\'s unit');
      assert.ok(baseUnit.unit.name.length > 0);
      const baseCounty = await ok(admin, `region=${COUNTY}`);
      const baseVillage = await ok(admin, `region=${A1}`);
      // In the unit's name: a notice to A1, a document in the unit's folder, a training ended.
      const n = await staff.post('/api/v1/notices', { title: '单位通知', body: '请各村做好防汛准备。', audience: { regions: [A1] } }, idem());
      assert.equal(n.status, 201, n.text);
      assert.equal(n.json.publisher.unit_id, unitId);
      const d = await staff.post('/api/v1/docs', { kind: 'doc', title: '单位文档', region_code: COUNTY, unit_id: unitId }, idem());
      assert.equal(d.status, 201, d.text);
      const m = await staff.post('/api/v1/meetings', { title: '单位培训', kind: 'training', start_at: at(2 * MINUTE), audience: { regions: [A1] } }, idem());
      assert.equal(m.status, 201, m.text);
      assert.equal((await staff.post(`/api/v1/meetings/${m.json.id}/end`, {})).status, 200);

      const mine = await until(async () => {
        const x = await ok(staff, `region=${COUNTY}`);
        return x.totals.trainings.held === baseUnit.totals.trainings.held + 1 && x;
      }, 'the unit\'s training');
      assert.deepEqual(delta(mine.totals, baseUnit.totals), {
        notices: { published: 2, audience: n.json.audience_size + m.json.counts.invitees, read: 0, confirmed: 0 },
        meetings: { held: 0, minutes: 0, invitees: 0, present: 0 },
        trainings: { held: 1, minutes: 0, invitees: m.json.counts.invitees, present: 0 },
        docs: { created: 1, edited: 0, forms_sent: 0, responses: 0 },
        requests: { filed: 0, signed: 0, finished: 0, resolved: 0, unresolved: 0, rated: 0, satisfied: 0 },
        people: { joined: 0 },
      }, 'the notice and the training\'s invitation, the document and the training');
      assert.equal(mine.totals.requests.overdue_now, 0, 'for a unit: the overdue requests it handles (none)');
      assert.ok(mine.months.every((x) => x.requests.overdue_now === null));
      // Another unit's id changes nothing for unit staff; the county admin may pick the unit.
      const other = await ok(staff, `region=${COUNTY}&unit=${townUnitId}`);
      assert.equal(other.unit.id, unitId, 'unit is forced for unit staff');
      assert.deepEqual(withoutTime(other), withoutTime(mine));
      const chosen = await ok(admin, `region=${COUNTY}&unit=${unitId}`);
      assert.deepEqual(withoutTime(chosen), withoutTime(mine), 'the county admin sees what the unit sees');
      // The county counts the unit; its row in `units` holds the same figures; the village does not
      // (the unit publishes at county level).
      const county = await ok(admin, `region=${COUNTY}`);
      assert.deepEqual(delta(county.totals, baseCounty.totals), delta(mine.totals, baseUnit.totals));
      const row = county.units.find((u) => u.id === unitId);
      assert.ok(row, 'the unit has a row');
      assert.equal(row.name, mine.unit.name);
      assert.deepEqual(pick(row, ['notices', 'meetings', 'trainings', 'docs']), pick(mine.totals, ['notices', 'meetings', 'trainings', 'docs']));
      assert.deepEqual(county.units.map((u) => u.name), [...county.units.map((u) => u.name)].sort(), 'units by name');
      const village = await ok(admin, `region=${A1}`);
      assert.deepEqual(delta(village.totals, baseVillage.totals).notices, { published: 0, audience: 0, read: 0, confirmed: 0 });
      // A unit's figures are county-wide: unit staff ask for the county, not a place in it.
      assert.equal((await dash(staff, `region=${A1}`)).status, 404);
      assert.deepEqual(mine.children, [], 'no breakdown by place for a unit');
      // A town unit's staff: their unit's figures at the county too, not their town's.
      const townStaff = await ok(as('unit_staff', 1), `region=${COUNTY}`);
      assert.equal(townStaff.unit.id, townUnitId);
      assert.equal((await dash(as('unit_staff', 1), `region=${townA}`)).status, 404);
      assert.equal((await dash(as('unit_staff', 1), `region=${B1}`)).status, 404);
      // Unknown units: 404 for those who may choose.
      for (const u of [randomUUID(), 'abc']) {
        const r = await dash(admin, `region=${COUNTY}&unit=${u}`);
        assert.equal(r.status, 404, `${u}: ${r.text}`);
      }
    });

    test('who may see which place; 422 for a bad period, table or month', async () => {
      const status = async (client, q) => (await dash(client, q)).status;
      // Places outside the county, unknown or malformed: 404.
      for (const code of ['110101000000', '500239000000', '500238999000', '500238001999', '500000000000', 'abc', '5002380010x1']) {
        assert.equal(await status(as('county_admin'), `region=${code}`), 404, code);
      }
      // Scope: town officials their town and its villages, village cadres their village.
      assert.equal(await status(as('town_official'), `region=${townA}`), 200);
      assert.equal(await status(as('town_official'), `region=${A2}`), 200);
      for (const code of [COUNTY, townB, B1]) assert.equal(await status(as('town_official'), `region=${code}`), 404, `town official: ${code}`);
      assert.equal(await status(as('village_cadre'), `region=${A1}`), 200);
      for (const code of [COUNTY, townA, A2, B1]) assert.equal(await status(as('village_cadre'), `region=${code}`), 404, `village cadre: ${code}`);
      assert.equal(await status(as('village_cadre', 2), `region=${B1}`), 200);
      // Residents and party members lack stats.view: 404, like any denial (never 403).
      for (const role of ['resident', 'party_member']) {
        const r = await dash(as(role), `region=${A1}`);
        assert.equal(r.status, 404, role);
        assert.equal((await as(role).bytes(`/api/v1/stats/table.csv?table=months&region=${A1}`)).status, 404);
        assert.equal((await as(role).bytes(`/api/v1/stats/report.xlsx?region=${A1}&month=${MONTH}`)).status, 404);
      }
      assert.equal((await dash(new Client(srv.baseUrl), `region=${COUNTY}`)).status, 401);
      // The period.
      const admin = as('county_admin');
      const bad = [
        ['', ['region']],
        [`region=${COUNTY}&from=2026-13`, ['from']],
        [`region=${COUNTY}&from=2026-00`, ['from']],
        [`region=${COUNTY}&from=abc`, ['from']],
        [`region=${COUNTY}&from=2026-011`, ['from']],
        [`region=${COUNTY}&to=2026-1`, ['to']],
        [`region=${COUNTY}&to=26-11`, ['to']],
        [`region=${COUNTY}&from=${MONTH}&to=${addMonths(MONTH, -1)}`, ['from']],
        [`region=${COUNTY}&from=${addMonths(MONTH, -24)}&to=${MONTH}`, ['to']],
        [`region=${COUNTY}&from=2020-01&to=2026-12`, ['to']],
      ];
      for (const [q, want] of bad) {
        const r = await dash(admin, q);
        assert.equal(r.status, 422, `${q}: ${r.text}`);
        assert.deepEqual(fields(r), want, q);
      }
      const longest = await ok(admin, `region=${COUNTY}&from=${addMonths(MONTH, -23)}&to=${MONTH}`);
      assert.equal(longest.months.length, 24, '24 months are fine');
      const one = await ok(admin, `region=${COUNTY}&from=${MONTH}&to=${MONTH}`);
      assert.deepEqual(one.months.map((m) => m.month), [MONTH]);
      const fromOnly = await ok(admin, `region=${COUNTY}&from=${addMonths(MONTH, -2)}`);
      assert.deepEqual([fromOnly.from, fromOnly.to], [addMonths(MONTH, -2), MONTH]);
      const toOnly = await ok(admin, `region=${COUNTY}&to=2026-03`);
      assert.deepEqual([toOnly.from, toOnly.to], ['2025-10', '2026-03']);

      // The exports: the same access, 422 for a missing or unknown table or month.
      const csv = async (q) => spec('GET', '/api/v1/stats/table.csv', await admin.get(`/api/v1/stats/table.csv?${q}`));
      for (const [q, want] of [[`region=${COUNTY}`, ['table']], [`table=bogus&region=${COUNTY}`, ['table']],
        ['table=months', ['region']], [`table=months&region=${COUNTY}&from=2026-13`, ['from']]]) {
        const r = await csv(q);
        assert.equal(r.status, 422, `${q}: ${r.text}`);
        assert.deepEqual(fields(r), want, q);
      }
      assert.equal((await csv(`table=months&region=110101000000`)).status, 404);
      assert.equal((await csv(`table=months&region=${COUNTY}&unit=${randomUUID()}`)).status, 404);
      assert.equal((await spec('GET', '/api/v1/stats/table.csv', await as('village_cadre').get(`/api/v1/stats/table.csv?table=months&region=${A2}`))).status, 404);
      const xlsx = async (client, q) => spec('GET', '/api/v1/stats/report.xlsx', await client.get(`/api/v1/stats/report.xlsx?${q}`));
      for (const [q, want] of [[`region=${COUNTY}`, ['month']], [`region=${COUNTY}&month=2026-13`, ['month']], [`month=${MONTH}`, ['region']]]) {
        const r = await xlsx(admin, q);
        assert.equal(r.status, 422, `${q}: ${r.text}`);
        assert.deepEqual(fields(r), want, q);
      }
      assert.equal((await xlsx(admin, `region=110101000000&month=${MONTH}`)).status, 404);
      assert.equal((await xlsx(as('village_cadre'), `region=${COUNTY}&month=${MONTH}`)).status, 404);
      assert.equal((await xlsx(as('town_official'), `region=${B1}&month=${MONTH}`)).status, 404);
    });

    test('live: stats.changed reaches the county\'s staff (at most every 2 s) and the dashboard reloads', { timeout: 60000 }, async () => {
      const sockets = {};
      for (const role of ['county_admin', 'village_cadre', 'resident']) {
        sockets[role] = frameSocket(`${srv.baseUrl.replace('http', 'ws')}/api/v1/ws`, {
          headers: { authorization: `Bearer ${as(role).token}` }, decode: (data) => JSON.parse(data.toString()),
        });
      }
      try {
        for (const s of Object.values(sockets)) {
          await s.opened;
          await s.next((f) => f.type === 'hello');
        }
        await sleep(2500);  // announcements of earlier activity are out
        const isStats = (f) => f.type === 'event' && f.event === 'stats.changed';
        const mark = Object.fromEntries(Object.entries(sockets).map(([k, s]) => [k, s.mark()]));
        const before = await ok(as('county_admin'), `region=${A1}`);  // cached now
        const t0 = Date.now();
        const n = await as('village_cadre').post('/api/v1/notices', { title: '实时统计', body: '正文', audience: { regions: [A1] } }, idem());
        assert.equal(n.status, 201, n.text);
        const ev = await sockets.county_admin.next(isStats, 4000, mark.county_admin);
        assert.ok(validWsFrame(ev), `the frame matches WsServerMessage: ${JSON.stringify(validWsFrame.errors)}`);
        assert.equal(ev.data.region, COUNTY);
        assert.ok(Math.abs(Date.parse(ev.data.at) - Date.now()) < 10000, ev.data.at);
        assert.ok(Date.now() - t0 < 4000, `within a few seconds (${Date.now() - t0} ms)`);
        await sockets.village_cadre.next(isStats, 4000, mark.village_cadre);
        const now = await ok(as('county_admin'), `region=${A1}`);
        assert.equal(now.totals.notices.published, before.totals.notices.published + 1, 'the cache was invalidated');
        assert.equal(now.totals.notices.audience, before.totals.notices.audience + n.json.audience_size);
        assert.ok(Date.parse(now.generated_at) >= Date.parse(before.generated_at));
        // Readers move the figures too: the resident reads it.
        const m2 = sockets.county_admin.mark();
        assert.equal((await as('resident').post(`/api/v1/notices/${n.json.id}/read`, {})).status, 200);
        await sockets.county_admin.next(isStats, 4000, m2);
        assert.equal((await ok(as('county_admin'), `region=${A1}`)).totals.notices.read, before.totals.notices.read + 1);

        // A burst of changes: announcements at least 2 s apart.
        const m3 = sockets.county_admin.mark();
        for (let i = 0; i < 5; i++) {
          assert.equal((await as('village_cadre').post('/api/v1/notices', { title: `连发 ${i}`, body: '正文', audience: { regions: [A1] } }, idem())).status, 201);
          await sleep(700);
        }
        await sleep(2500);
        const burst = sockets.county_admin.frames.slice(m3).filter(isStats);
        assert.ok(burst.length >= 2 && burst.length <= 4, `${burst.length} announcements for 3.5 s of changes`);
        for (let i = 1; i < burst.length; i++) {
          assert.ok(burst[i].seq > burst[i - 1].seq);
          assert.ok(Date.parse(burst[i].data.at) - Date.parse(burst[i - 1].data.at) >= 1990, `${burst[i - 1].data.at} → ${burst[i].data.at}`);
        }
        assert.ok(!sockets.resident.frames.slice(mark.resident).some(isStats), 'residents are not the county\'s staff');
      } finally {
        for (const s of Object.values(sockets)) s.ws.terminate();
      }
    });

    test('`shuxiang stats rebuild` finds the live counters exact, and repairs a tampered one', { timeout: 120000 }, async () => {
      const admin = as('county_admin');
      const snapshot = async () => ({
        county: withoutTime(await ok(admin, `region=${COUNTY}`)),
        year: withoutTime(await ok(admin, `region=${COUNTY}&from=${addMonths(MONTH, -11)}&to=${MONTH}`)),
        town: withoutTime(await ok(admin, `region=${townA}`)),
        village: withoutTime(await ok(admin, `region=${A1}`)),
        unit: withoutTime(await ok(admin, `region=${COUNTY}&unit=${unitId}`)),
      });
      await sleep(2500);  // the last announcements are out
      const before = await snapshot();
      assert.ok(before.county.totals.notices.published > 0 && before.county.totals.requests.filed > 0);

      await srv.stop();
      const first = parseRebuild(srv.cli('stats', 'rebuild'));
      assert.deepEqual(Object.keys(first.families).sort(), ['docs', 'meetings', 'notices', 'people', 'requests', 'rollups', 'trainings']);
      for (const [family, r] of Object.entries(first.families)) {
        assert.equal(r.differed, 0, `${family}: ${r.differed} of ${r.cells} cells differed`);
        assert.ok(r.cells > 0, `${family} has cells`);
      }
      assert.equal(first.total, 0);
      await srv.start();
      assert.deepEqual(await snapshot(), before, 'the same dashboards after the rebuild');

      // Tampered counters show (the dashboard reads counters, not items) until a rebuild: the
      // cells of notices.published, and the county's roll-up row the dashboard reads.
      await srv.stop();
      const cells = Number(sql(db, srv.dbUrl, "SELECT COUNT(*) FROM stat_counters WHERE metric = 'notices.published'"));
      const inMonth = Number(sql(db, srv.dbUrl, `SELECT COUNT(*) FROM stat_counters WHERE metric = 'notices.published' AND month = '${MONTH}'`));
      assert.ok(cells >= 2 && inMonth === cells, `${cells} cells, ${inMonth} this month`);
      sql(db, srv.dbUrl, "UPDATE stat_counters SET value = value + 5 WHERE metric = 'notices.published'");
      const rows = Number(sql(db, srv.dbUrl, `SELECT COUNT(*) FROM stat_rollups WHERE scope = '${COUNTY}' AND unit_id = '' AND month = '${MONTH}'`));
      assert.equal(rows, 1);
      sql(db, srv.dbUrl, `UPDATE stat_rollups SET notices_published = notices_published + 5 WHERE scope = '${COUNTY}' AND unit_id = ''`);
      await srv.start();
      const tampered = await ok(admin, `region=${COUNTY}`);
      assert.equal(tampered.totals.notices.published, before.county.totals.notices.published + 5, 'the tampered roll-up shows');
      await srv.stop();
      const second = parseRebuild(srv.cli('stats', 'rebuild'));
      assert.equal(second.families.notices.differed, cells, 'every tampered cell differed');
      assert.equal(second.families.notices.cells, first.families.notices.cells);
      assert.equal(second.families.rollups.differed, 1, 'the tampered roll-up row');
      for (const family of ['meetings', 'trainings', 'docs', 'people', 'requests']) assert.equal(second.families[family].differed, 0, family);
      assert.equal(second.total, cells + 1);
      await srv.start();
      assert.deepEqual(await snapshot(), before, 'back to the true figures');
      const third = parseRebuild(srv.cli('stats', 'rebuild'));  // while serving: nothing to fix
      assert.equal(third.total, 0);
    });

    test('every response matched docs/openapi.yaml', () => {
      assert.deepEqual([...specProblems.values()], []);
    });

    // A notice's audience is counted when it is published; people who join it later (a new unit
    // staff member, a villager who joins the village) may still read it: the dashboard's
    // audience widens with them, as the notice's own stats do, so read_rate stays within 0…1.
    test('late readers: the audience follows the notice\'s own stats and read_rate stays within 0…1', async () => {
      const admin = as('county_admin');
      const unit = (await admin.post('/api/v1/units', { name: '巫溪县统计测试中心', kind: 'public_institution', region_code: COUNTY }, idem())).json;
      const staff = [];
      for (const name of ['先到职工', '后到职工']) {
        const phone = randomPhone();
        assert.equal((await new Client(srv.baseUrl).signup(name, phone, 'longpassword1')).status, 201);
        staff.push({ phone });
      }
      assert.equal((await admin.post(`/api/v1/units/${unit.id}/staff`, { phone: staff[0].phone })).status, 201);
      const first = new Client(srv.baseUrl);
      assert.equal((await first.login(staff[0].phone, 'longpassword1')).status, 200);
      const n = await first.post('/api/v1/notices', { title: '单位内部通知', body: '正文', audience: { units: [unit.id] } }, idem());
      assert.equal(n.status, 201, n.text);
      assert.equal(n.json.audience_size, 1);
      assert.equal((await first.post(`/api/v1/notices/${n.json.id}/read`, {})).status, 200);
      assert.equal((await admin.post(`/api/v1/units/${unit.id}/staff`, { phone: staff[1].phone })).status, 201);
      const second = new Client(srv.baseUrl);
      assert.equal((await second.login(staff[1].phone, 'longpassword1')).status, 200);
      assert.equal((await second.post(`/api/v1/notices/${n.json.id}/read`, {})).status, 200, 'a late joiner reads it');
      const stats = (await admin.get(`/api/v1/notices/${n.json.id}/stats`)).json;
      assert.deepEqual([stats.audience_size, stats.read], [2, 2], 'the notice\'s own stats');
      await sleep(500);
      const d = (await admin.get(`/api/v1/stats/dashboard?region=${COUNTY}&unit=${unit.id}`)).json;
      assert.deepEqual(d.totals.notices, { published: 1, audience: 2, read: 2, confirmed: 0, read_rate: 1, confirm_rate: null });
    });
  });

  describe(`dashboard on ${db}: the demo history at the article's scale`, () => {
    let srv;
    const { signInAll, acct, as } = demoAccounts();
    let MONTH, FROM, towns;
    const specProblems = new Map();
    const spec = (method, tpl, r) => {
      try {
        assertMatchesSpec(method, tpl, r.status, r.json);
      } catch (e) {
        const key = `${method} ${tpl} ${r.status}`;
        if (!specProblems.has(key)) specProblems.set(key, e.message.split('\n').slice(0, 8).join('\n'));
      }
      return r;
    };
    const ok = async (client, q) => {
      const r = spec('GET', '/api/v1/stats/dashboard', await client.get(`/api/v1/stats/dashboard?${q}`));
      assert.equal(r.status, 200, `${q}: ${r.text}`);
      return r.json;
    };

    before(async () => {
      srv = await startServer({ db, residents: 3000, history: 1 });
      await signInAll(srv);
      MONTH = shanghaiMonth();
      FROM = shanghaiMonth(Date.now() - 181 * DAY);  // the history spans the last 180 days
      towns = (await as('county_admin').get(`/api/v1/regions/${COUNTY}/children`)).json.items;
    });
    after(async () => { await srv?.stop(); if (db === 'postgres') await stopSharedPostgres(); });

    test('the county\'s totals at the article\'s scale, and consistent breakdowns', async () => {
      const d = await ok(as('county_admin'), `region=${COUNTY}&from=${FROM}&to=${MONTH}`);
      const t = d.totals;
      assert.equal(t.notices.published, 6000);
      assert.equal(t.meetings.held, 1200);
      assert.equal(t.trainings.held, 100);
      assert.equal(t.docs.created + t.docs.forms_sent, 2400 + DEMO_DOCS, `${t.docs.created} documents + ${t.docs.forms_sent} forms`);
      assert.ok(t.docs.forms_sent >= 150 && t.docs.forms_sent <= 350, `about one in ten a form: ${t.docs.forms_sent}`);
      assert.ok(t.docs.responses > 0);
      assert.equal(t.requests.filed, 3000);
      assert.ok(t.meetings.hours >= 1000 && t.meetings.hours <= 1300, `${t.meetings.hours} hours of meetings`);
      assert.equal(t.meetings.hours, round(t.meetings.minutes / 60, 1));
      assert.ok(t.notices.read > 0 && t.notices.confirmed > 0 && t.notices.confirmed <= t.notices.read && t.notices.read <= t.notices.audience);
      assert.ok(t.meetings.present <= t.meetings.invitees && t.trainings.present <= t.trainings.invitees);
      for (const [f, k] of [['notices', 'read_rate'], ['notices', 'confirm_rate'], ['meetings', 'attendance_rate'], ['trainings', 'attendance_rate'],
        ['requests', 'response_rate'], ['requests', 'resolve_rate'], ['requests', 'satisfaction_rate']]) {
        const v = t[f][k];
        assert.ok(typeof v === 'number' && v > 0 && v < 1 && round(v, 4) === v, `${f}.${k} = ${v}`);
      }
      assert.equal(t.notices.read_rate, rate(t.notices.read, t.notices.audience));
      assert.equal(t.requests.resolve_rate, rate(t.requests.resolved, t.requests.resolved + t.requests.unresolved));
      assert.equal(t.requests.satisfaction_rate, rate(t.requests.satisfied, t.requests.rated));
      assert.ok(t.requests.median_sign_hours > 0 && t.requests.median_finish_hours > t.requests.median_sign_hours);
      assert.ok(t.requests.overdue_now >= 0);
      // Months add up to the totals; each month has activity.
      assert.deepEqual(d.months.map((m) => m.month), monthsBetween(FROM, MONTH));
      for (const [fam, keys] of Object.entries(COUNTS)) {
        for (const k of keys) assert.equal(d.months.reduce((s, m) => s + m[fam][k], 0), t[fam][k], `Σ months ${fam}.${k}`);
      }
      assert.ok(d.months.slice(1, -1).every((m) => m.notices.published > 0 && m.meetings.held > 0 && m.requests.filed > 0), 'every full month has activity');
      // Children: the county's towns. Every request is in a village; notices are the towns' (and
      // their villages') plus the county level's (the county itself and its units).
      assert.deepEqual(d.children.map((c) => c.code), towns.map((x) => x.code));
      const sum = (rows, f) => rows.reduce((s, r) => s + f(r), 0);
      assert.equal(sum(d.children, (c) => c.requests.filed), 3000);
      assert.equal(sum(d.children, (c) => c.requests.overdue_now), t.requests.overdue_now);
      const countyLevel = Number(sql(db, srv.dbUrl, `SELECT COUNT(*) FROM notices WHERE county_id = '500238' AND published_at IS NOT NULL AND publisher_region = '${COUNTY}'`));
      const byUnits = Number(sql(db, srv.dbUrl, "SELECT COUNT(*) FROM notices WHERE county_id = '500238' AND published_at IS NOT NULL AND publisher_unit <> ''"));
      assert.ok(countyLevel > 0 && byUnits > 0);
      assert.equal(sum(d.children, (c) => c.notices.published) + countyLevel, 6000, 'the towns\' notices and the county level\'s');
      assert.equal(sum(d.units, (u) => u.notices.published), byUnits, 'the units\' notices');
      assert.ok(d.units.length > 0 && d.units.every((u) => FAMILIES.some((f) => COUNTS[f].some((k) => u[f][k] > 0))), 'units with any figure');
      assert.ok(d.units.every((u) => u.requests.overdue_now === null));
      // Drill down: a town's dashboard is its row; a village's dashboard is its row in the town.
      const busiest = [...d.children].sort((a, b) => b.notices.published - a.notices.published)[0];
      for (const child of [d.children[0], busiest]) {
        const town = await ok(as('county_admin'), `region=${child.code}&from=${FROM}&to=${MONTH}`);
        const { code, name, level, ...figures } = child;
        assert.deepEqual(town.totals, figures, `${name}: its dashboard is its row`);
        assert.deepEqual(town.region, { code, name, level });
        assert.ok(town.children.length > 0);
        const village = town.children[0];
        const v = await ok(as('county_admin'), `region=${village.code}&from=${FROM}&to=${MONTH}`);
        const { code: _c, name: _n, level: _l, ...vf } = village;
        assert.deepEqual(v.totals, vf, `${village.name}: its dashboard is its row`);
      }
    });

    test('rankings: best first, ranks 1…n, only places and units with enough cases', async () => {
      const d = await ok(as('county_admin'), `region=${COUNTY}&from=${FROM}&to=${MONTH}`);
      const MIN = { 'requests.resolve_rate': 5, 'requests.satisfaction_rate': 5, 'requests.response_rate': 5, 'notices.read_rate': 3, 'meetings.attendance_rate': 3 };
      const valueOf = (row, key) => { const [f, k] = key.split('.'); return row[f][k]; };
      const casesOf = (row, key) => (key.startsWith('notices.') ? row.notices.published : key.startsWith('meetings.') ? row.meetings.held
        : key === 'requests.satisfaction_rate' ? row.requests.rated : row.requests.filed);
      assert.deepEqual(d.rankings.map((r) => `${r.over} ${r.key}`).sort(),
        ['children', 'units'].flatMap((o) => Object.keys(MIN).map((k) => `${o} ${k}`)).sort());
      let excluded = 0;
      for (const r of d.rankings) {
        const what = `${r.over} ${r.key}`;
        assert.equal(r.min_cases, MIN[r.key], what);
        const rows = r.over === 'children' ? d.children : d.units;
        const eligible = rows.filter((row) => valueOf(row, r.key) !== null && casesOf(row, r.key) >= r.min_cases);
        excluded += rows.length - eligible.length;
        const id = (row) => row.code ?? row.id;
        assert.deepEqual(r.items.map((i) => i.id).sort(), eligible.map(id).sort(), `${what}: exactly those with enough cases`);
        assert.deepEqual(r.items.map((i) => i.rank), r.items.map((_, i) => i + 1), `${what}: ranks 1…n`);
        for (let i = 1; i < r.items.length; i++) assert.ok(r.items[i - 1].value >= r.items[i].value, `${what}: best first`);
        for (const item of r.items) {
          const row = rows.find((x) => id(x) === item.id);
          assert.equal(item.name, row.name);
          assert.equal(item.value, valueOf(row, r.key), `${what} ${item.name}`);
          assert.equal(item.cases, casesOf(row, r.key), `${what} ${item.name}`);
          assert.ok(item.cases >= r.min_cases);
        }
      }
      assert.ok(excluded > 0, 'some places or units are under the minimum');
      assert.ok(d.rankings.find((r) => r.over === 'children' && r.key === 'requests.resolve_rate').items.length === d.children.length, 'every town has enough requests');
      // A town ranks its villages; a small period leaves more of them out.
      const town = await ok(as('town_official'), `region=${acct('town_official').region_code}&from=${MONTH}&to=${MONTH}`);
      for (const r of town.rankings) {
        assert.equal(r.over, 'children');
        const eligible = town.children.filter((row) => valueOf(row, r.key) !== null && casesOf(row, r.key) >= r.min_cases);
        assert.deepEqual(r.items.map((i) => i.id).sort(), eligible.map((x) => x.code).sort(), r.key);
      }
    });

    test('the tables as CSV: BOM, Chinese headers, a 合计 row with the totals', async () => {
      const admin = as('county_admin');
      const d = await ok(admin, `region=${COUNTY}&from=${FROM}&to=${MONTH}`);
      for (const [table, first, rows, label] of [
        ['months', '月份', d.months, (r) => r.month],
        ['children', '地区', d.children, (r) => r.name],
        ['units', '单位', d.units, (r) => r.name],
      ]) {
        const r = await admin.bytes(`/api/v1/stats/table.csv?table=${table}&region=${COUNTY}&from=${FROM}&to=${MONTH}`);
        assert.equal(r.status, 200, table);
        assert.match(r.headers.get('content-type'), /^text\/csv/);
        assert.match(r.headers.get('content-disposition'), /^attachment; /);
        assert.deepEqual([...r.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
        const text = r.buf.toString('utf8').slice(1);
        assert.ok(text.includes('\r\n'), 'CRLF');
        const csv = parseCsv(text).filter((row) => row.some((c) => c !== ''));
        const head = csv[0];
        assert.equal(head[0], first, table);
        if (table === 'children') assert.equal(head[1], '代码');
        for (const title of ['通知发布', '阅读率', '会议场次', '会议时长（小时）', '培训场次', '新建文档', '发出收集表', '收集表填报', '诉求受理', '响应率', '解决率', '满意率', '实名认证', '活跃人数']) {
          assert.ok(head.includes(title), `${table}: ${title}`);
        }
        const col = (t) => head.indexOf(t);
        const body = csv.slice(1, -1);
        const total = csv.at(-1);
        assert.equal(total[0], '合计');
        assert.deepEqual(body.map((row) => row[0]), rows.map(label), `${table}: one row each, in order`);
        assert.deepEqual(body.map((row) => Number(row[col('通知发布')])), rows.map((x) => x.notices.published));
        assert.equal(Number(total[col('通知发布')]), d.totals.notices.published);
        assert.equal(Number(total[col('诉求受理')]), d.totals.requests.filed);
        assert.equal(Number(total[col('会议场次')]), d.totals.meetings.held);
        assert.equal(Number(total[col('会议时长（小时）')]), d.totals.meetings.hours);
        assert.match(total[col('阅读率')], /^\d{1,3}\.\d%$/);
        if (table === 'children') assert.deepEqual(body.map((row) => row[1]), d.children.map((c) => c.code));
      }
      // A unit's staff export their unit's table.
      const staff = await ok(as('unit_staff'), `region=${COUNTY}&from=${FROM}&to=${MONTH}`);
      const r = await as('unit_staff').bytes(`/api/v1/stats/table.csv?table=months&region=${COUNTY}&from=${FROM}&to=${MONTH}`);
      const csv = parseCsv(r.buf.toString('utf8').slice(1)).filter((row) => row.some((c) => c !== ''));
      assert.equal(Number(csv.at(-1)[csv[0].indexOf('通知发布')]), staff.totals.notices.published);
    });

    test('the monthly report (XLSX): 汇总, 乡镇, 村, 单位, each table ending with the month\'s 合计', { timeout: 60000 }, async () => {
      const admin = as('county_admin');
      const month = await ok(admin, `region=${COUNTY}&from=${MONTH}&to=${MONTH}`);
      const year = await ok(admin, `region=${COUNTY}&from=${MONTH.slice(0, 4)}-01&to=${MONTH}`);
      const load = async (client, q) => {
        const r = await client.bytes(`/api/v1/stats/report.xlsx?${q}`);
        assert.equal(r.status, 200, q);
        assert.match(r.headers.get('content-type'), /spreadsheetml/);
        assert.match(r.headers.get('content-disposition'), /^attachment; /);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(r.buf);
        return wb;
      };
      const wb = await load(admin, `region=${COUNTY}&month=${MONTH}`);
      assert.deepEqual(wb.worksheets.map((w) => w.name), ['汇总', '乡镇', '村', '单位']);
      // 汇总: the month and the year to date, figure by figure.
      const summary = sheetRows(wb.getWorksheet('汇总'));
      assert.equal(summary[1][0], '指标');
      assert.match(String(summary[1][1]), new RegExp(`本月.*${MONTH}`));
      assert.match(String(summary[1][2]), /本年累计/);
      const line = (title) => summary.find((row) => row[0] === title);
      assert.deepEqual(line('通知发布').slice(1, 3), [month.totals.notices.published, year.totals.notices.published]);
      assert.deepEqual(line('会议场次').slice(1, 3), [month.totals.meetings.held, year.totals.meetings.held]);
      assert.deepEqual(line('培训场次').slice(1, 3), [month.totals.trainings.held, year.totals.trainings.held]);
      assert.deepEqual(line('诉求受理').slice(1, 3), [month.totals.requests.filed, year.totals.requests.filed]);
      assert.deepEqual(line('新建文档').slice(1, 3), [month.totals.docs.created, year.totals.docs.created]);
      assert.ok(Math.abs(line('阅读率')[1] - month.totals.notices.read_rate) < 0.0001, 'rates as fractions (formatted as percentages)');
      // The table sheets: a title, a header row, a row per town / village / unit, then 合计.
      const table = (name) => {
        const rows = sheetRows(wb.getWorksheet(name));
        const head = rows[1];
        const col = (t) => head.indexOf(t);
        assert.ok(col('通知发布') > 0, `${name}: 通知发布`);
        const last = rows.at(-1);
        assert.equal(last[0], '合计', name);
        assert.equal(last[col('通知发布')], month.totals.notices.published, `${name}: 合计 通知发布 = the month's total`);
        assert.equal(last[col('诉求受理')], month.totals.requests.filed, `${name}: 合计 诉求受理`);
        return { head, body: rows.slice(2, -1), col };
      };
      const t = table('乡镇');
      assert.equal(t.head[0], '乡镇（街道）');
      assert.deepEqual(t.body.map((r) => r[0]), month.children.map((c) => c.name));
      assert.deepEqual(t.body.map((r) => r[t.col('通知发布')]), month.children.map((c) => c.notices.published));
      const v = table('村');
      const villages = towns.reduce((s, x) => s + x.child_count, 0);
      assert.equal(v.body.length, villages, 'every village of the county');
      assert.equal(v.body.reduce((s, r) => s + (r[v.col('诉求受理')] ?? 0), 0), month.totals.requests.filed, 'every request is in a village');
      const u = table('单位');
      assert.deepEqual(u.body.map((r) => r[0]), month.units.map((x) => x.name));
      // A town's report: no towns, its villages.
      const townCode = acct('town_official').region_code;
      const townMonth = await ok(as('town_official'), `region=${townCode}&from=${MONTH}&to=${MONTH}`);
      const twb = await load(as('town_official'), `region=${townCode}&month=${MONTH}`);
      const tRows = (name) => sheetRows(twb.getWorksheet(name));
      assert.deepEqual(tRows('乡镇').slice(2).map((r) => r[0]), ['合计'], 'no towns in a town\'s report');
      assert.deepEqual(tRows('村').slice(2, -1).map((r) => r[0]), townMonth.children.map((c) => c.name));
      for (const name of ['乡镇', '村', '单位']) {
        const rows = tRows(name);
        assert.equal(rows.at(-1)[rows[1].indexOf('通知发布')], townMonth.totals.notices.published, `${name} of the town's report`);
      }
      // A unit's staff: their unit's report.
      const staffMonth = await ok(as('unit_staff'), `region=${COUNTY}&from=${MONTH}&to=${MONTH}`);
      const swb = await load(as('unit_staff'), `region=${COUNTY}&month=${MONTH}`);
      assert.equal(sheetRows(swb.getWorksheet('汇总')).find((r) => r[0] === '通知发布')[1] ?? 0, staffMonth.totals.notices.published);
    });

    // A unit's figures are county-wide (the requests module keeps a unit's 三率 for the county):
    // the county's dashboard narrowed to a unit has no breakdown by place, and asking for a unit
    // with a town or a village is refused rather than answered with county-wide figures.
    test('a unit\'s figures are the county\'s: narrowed at the county only', async () => {
      const admin = as('county_admin');
      const q = `from=${FROM}&to=${MONTH}`;
      const county = await ok(admin, `region=${COUNTY}&${q}`);
      const busiest = [...county.units].sort((a, b) => b.requests.filed - a.requests.filed)[0];
      assert.ok(busiest.requests.filed > 0);
      const byUnit = await ok(admin, `region=${COUNTY}&unit=${busiest.id}&${q}`);
      assert.deepEqual(byUnit.unit, { id: busiest.id, name: busiest.name });
      assert.equal(byUnit.totals.requests.filed, busiest.requests.filed, 'the unit\'s requests');
      assert.equal(byUnit.totals.notices.published, busiest.notices.published, 'the unit\'s notices');
      assert.deepEqual(byUnit.children, [], 'no breakdown by place');
      assert.equal(typeof byUnit.totals.requests.overdue_now, 'number', 'the unit\'s overdue requests');
      const town = county.children[0].code;
      const r = spec('GET', '/api/v1/stats/dashboard', await admin.get(`/api/v1/stats/dashboard?region=${town}&unit=${busiest.id}&${q}`));
      assert.equal(r.status, 422, r.text);
      assert.deepEqual(r.json.errors.map((e) => e.field), ['unit']);
      const village = acct('village_cadre').region_code;
      const other = await as('village_cadre').get(`/api/v1/stats/dashboard?region=${village}&unit=${busiest.id}&${q}`);
      assert.equal(other.status, 422, 'a village cadre cannot read a unit\'s county-wide figures');
      const wide = await as('village_cadre').get(`/api/v1/stats/dashboard?region=${COUNTY}&unit=${busiest.id}&${q}`);
      assert.equal(wide.status, 404);
    });

    test('every response matched docs/openapi.yaml', () => {
      assert.deepEqual([...specProblems.values()], []);
    });
  });
}
