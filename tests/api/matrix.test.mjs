// The route × role × scope matrix: every route the router has must appear in EXPECT below, and
// each is called as every role against objects in the caller's own village (A1), a sibling village
// of the same town (A2), a village of another town (B1) and the county level. Denied calls must
// answer 404 (401 for anonymous callers): a foreign object looks exactly like a missing one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, BINARY } from '../support/server.mjs';
import { Client, randomPhone, makeIdNumber } from '../support/client.mjs';
import { account, signIn } from '../support/accounts.mjs';

const ROLES = ['anonymous', 'county_admin', 'unit_staff', 'town_official', 'village_cadre', 'party_member', 'resident'];
const TARGETS = ['A1', 'A2', 'B1', 'county'];
const ALL = TARGETS;
const ANY_SIGNED_IN = Object.fromEntries(ROLES.filter((r) => r !== 'anonymous').map((r) => [r, ALL]));

// Notices: its managers (publisher, and publishers whose scope holds the publisher's), its
// recipients (the cadre, party member and resident live in A1), and both.
const NOTICE_MANAGERS = { county_admin: ALL, town_official: ['A1', 'A2'], village_cadre: ['A1'] };
const NOTICE_RECIPIENTS = { village_cadre: ['A1', 'county'], party_member: ['A1', 'county'], resident: ['A1', 'county'] };
const NOTICE_VIEWERS = { county_admin: ALL, town_official: ['A1', 'A2'], village_cadre: ['A1', 'county'], party_member: ['A1', 'county'], resident: ['A1', 'county'] };
const REQUEST_VIEWERS = { county_admin: ALL, town_official: ['A1', 'A2'], village_cadre: ['A1'], resident: ['A1'], unit_staff: ['county'] };
const REQUEST_HANDLERS = { village_cadre: ['A1'], unit_staff: ['county'] };
// Meetings: fixtures per target are a meeting (online and on site) scheduled by that target's
// cadre (A1, A2, B1) or by the county admin (county) for that region. Its managers are its host and
// whoever may schedule meetings in its scope (as for notices); its members are the people of the
// region (the cadre, party member and resident live in A1); everyone else gets 404.
const MEETING_MANAGERS = NOTICE_MANAGERS;
const MEETING_INVITEES = NOTICE_RECIPIENTS;
const MEETING_VIEWERS = NOTICE_VIEWERS;
// Each fixture meeting has an action item owned by the A1 resident (A1, county) or by a villager
// of the target (A2, B1): its owner and the meeting's managers may mark it done.
const MEETING_ACTION_EDITORS = { ...MEETING_MANAGERS, resident: ['A1', 'county'] };
// Documents and forms: fixtures per target are a document (with a version, a comment and an
// image) and a form sent to the target's region, both made by that target's cadre (A1, A2, B1) or
// by the county admin (county) in the target's folder, shared with nobody. Their owner and their
// managers (doc.manage in a scope holding the folder's region, as for notices) may act on them;
// the form's recipients (the cadre, party member and resident live in A1) may also fill it;
// everyone else gets 404.
const DOC_MANAGERS = NOTICE_MANAGERS;
const FORM_FILLERS = NOTICE_VIEWERS;
// The dashboard: county admins everywhere, town officials their town's villages, village cadres
// their village; unit staff (of a county unit) any place, limited to their unit's figures.
const STATS_VIEWERS = { county_admin: ALL, unit_staff: ['county'], town_official: ['A1', 'A2'], village_cadre: ['A1'] };
// The routes of /api/v1/docs/{id}/… that act on the form fixture (the others on the document).
const FORM_ROUTE = /^\/api\/v1\/docs\/\{id\}\/(send|close|response|responses|responses\.xlsx|responses\.csv|stats|missing|remind)$/;
// This month in Asia/Shanghai (meeting figures span at most 36 months).
const MONTH = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 7);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da636460f85f0f0002870180eb47ba920000000049454e44ae426082', 'hex');

// Who may act on which target, per route. Roles not listed are denied everywhere.
// The accounts: county_admin@county, unit_staff@county unit, town_official@town A,
// village_cadre@A1, party_member@A1, resident@A1.
const EXPECT = {
  'GET /api/v1/health': 'public',
  'GET /metrics': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/signup': 'public',
  'POST /api/v1/auth/logout': 'self',
  'GET /api/v1/me': 'self',
  'GET /api/v1/me/join-requests': 'self',
  'GET /api/v1/regions': ANY_SIGNED_IN,
  'GET /api/v1/regions/{code}': ANY_SIGNED_IN,
  'GET /api/v1/regions/{code}/children': ANY_SIGNED_IN,
  'GET /api/v1/units': { county_admin: ALL, unit_staff: ALL, town_official: ['A1', 'A2'] },
  'POST /api/v1/units': { county_admin: ALL, town_official: ['A1', 'A2'] },
  'GET /api/v1/units/{id}': { county_admin: ALL, unit_staff: ALL, town_official: ['A1', 'A2'] },
  'PATCH /api/v1/units/{id}': { county_admin: ALL, town_official: ['A1', 'A2'] },
  'POST /api/v1/units/{id}/deactivate': { county_admin: ALL, town_official: ['A1', 'A2'] },
  'GET /api/v1/units/{id}/staff': { county_admin: ALL, unit_staff: ALL, town_official: ['A1', 'A2'] },
  'POST /api/v1/units/{id}/staff': { county_admin: ALL, town_official: ['A1', 'A2'] },  // 409: deactivated above
  'DELETE /api/v1/units/{id}/staff/{account_id}': { county_admin: ALL, town_official: ['A1', 'A2'] },
  'GET /api/v1/people': { county_admin: ALL, town_official: ['A1', 'A2'], village_cadre: ['A1'] },
  'POST /api/v1/people': { county_admin: ALL, village_cadre: ['A1'] },  // county level: 422
  'GET /api/v1/people/{id}': { county_admin: ALL, town_official: ['A1', 'A2'], village_cadre: ['A1'] },
  'GET /api/v1/households/{id}': { county_admin: ALL, town_official: ['A1', 'A2'], village_cadre: ['A1'] },
  'PATCH /api/v1/people/{id}': { county_admin: ALL, village_cadre: ['A1'] },
  'POST /api/v1/people/{id}/deactivate': { county_admin: ALL, village_cadre: ['A1'] },
  'POST /api/v1/people/{id}/reveal': { county_admin: ALL, village_cadre: ['A1'] },
  'POST /api/v1/join-requests': { resident: ['A1'] },  // in their own village: 409, they already belong
  'GET /api/v1/join-requests': { county_admin: ALL, village_cadre: ALL },
  'POST /api/v1/join-requests/{id}/approve': { county_admin: ALL, village_cadre: ['A1'] },
  'POST /api/v1/join-requests/{id}/reject': { county_admin: ALL, village_cadre: ['A1'] },
  'GET /api/v1/audit': { county_admin: ALL },
  // Notices: fixtures per target are a notice published by that target's cadre (A1, A2, B1) or
  // by the county admin (county) to that region, asking a receipt, with one attachment.
  // Publishing out of scope answers 422 (naming the entries), not 404.
  'POST /api/v1/notices': { county_admin: ALL, unit_staff: ALL, town_official: ALL, village_cadre: ALL },
  'POST /api/v1/notices/preview': { county_admin: ALL, unit_staff: ALL, town_official: ALL, village_cadre: ALL },
  'GET /api/v1/notices': { county_admin: ALL, unit_staff: ALL, town_official: ALL, village_cadre: ALL },
  'GET /api/v1/notices/figures': { county_admin: ALL, unit_staff: ALL, town_official: ALL, village_cadre: ALL },
  'GET /api/v1/notices/{id}': NOTICE_VIEWERS,
  'POST /api/v1/notices/{id}/read': NOTICE_VIEWERS,
  'POST /api/v1/notices/{id}/confirm': NOTICE_RECIPIENTS,
  'GET /api/v1/attachments/{id}': NOTICE_VIEWERS,
  'GET /api/v1/notices/{id}/stats': NOTICE_MANAGERS,
  'GET /api/v1/notices/{id}/unread': NOTICE_MANAGERS,
  'GET /api/v1/notices/{id}/unread.xlsx': NOTICE_MANAGERS,
  'GET /api/v1/notices/{id}/unread.csv': NOTICE_MANAGERS,
  'GET /api/v1/notices/{id}/households': NOTICE_MANAGERS,
  'POST /api/v1/notices/{id}/remind': NOTICE_MANAGERS,
  'PATCH /api/v1/notices/{id}': NOTICE_MANAGERS,
  'POST /api/v1/notices/{id}/withdraw': NOTICE_MANAGERS,
  'GET /api/v1/inbox': ANY_SIGNED_IN,
  'POST /api/v1/attachments': { county_admin: ALL, unit_staff: ALL, town_official: ALL, village_cadre: ALL },
  'GET /api/v1/sms/outbox': { county_admin: ALL },
  'GET /api/v1/ws': ANY_SIGNED_IN,  // a plain GET: 426 Upgrade Required
  // Requests: fixtures are private requests filed in A1 (by the resident), A2 (by the A2
  // resident), B1 (by its cadre for a villager) and one in B1 dispatched to the unit staff's unit
  // (county). Acting on a request one may see but not act on answers 404 like any denial.
  'GET /api/v1/request-categories': ANY_SIGNED_IN,
  'PUT /api/v1/request-categories/{code}': { county_admin: ALL },
  'GET /api/v1/request-categories/{code}/routes': { county_admin: ALL },
  'PUT /api/v1/request-categories/{code}/routes/{region}': { county_admin: ALL },  // county level: 422
  'POST /api/v1/request-photos': ANY_SIGNED_IN,  // reporters and handlers; empty body: 415
  'GET /api/v1/request-photos/{id}': REQUEST_VIEWERS,
  'POST /api/v1/requests': { village_cadre: ALL, party_member: ALL, resident: ALL },
  'GET /api/v1/requests': ANY_SIGNED_IN,
  'GET /api/v1/requests/board': ANY_SIGNED_IN,
  'GET /api/v1/requests/metrics': { county_admin: ALL, unit_staff: ALL, town_official: ALL, village_cadre: ALL },
  'GET /api/v1/requests/metrics.xlsx': { county_admin: ALL, unit_staff: ALL, town_official: ALL, village_cadre: ALL },
  'GET /api/v1/requests/{id}': REQUEST_VIEWERS,
  'POST /api/v1/requests/{id}/sign': REQUEST_HANDLERS,
  'POST /api/v1/requests/{id}/progress': REQUEST_HANDLERS,
  'POST /api/v1/requests/{id}/return': REQUEST_HANDLERS,  // after signing: 409
  'POST /api/v1/requests/{id}/finish': REQUEST_HANDLERS,
  'POST /api/v1/requests/{id}/confirm': { resident: ['A1'] },
  'POST /api/v1/requests/{id}/rate': { resident: ['A1'] },
  'POST /api/v1/requests/{id}/followup': { resident: ['A1'] },  // not asked yet: 409
  'POST /api/v1/requests/{id}/metoo': {},  // private requests: nobody
  'POST /api/v1/requests/{id}/transfer': { county_admin: ALL, town_official: ['A1', 'A2'], village_cadre: ['A1'], unit_staff: ['county'] },
  'POST /api/v1/requests/{id}/dispatch': { county_admin: ALL, town_official: ['A1', 'A2'] },
  'POST /api/v1/requests/{id}/merge': { county_admin: ALL, town_official: ['A1', 'A2'] },  // unknown target: 422
  'POST /api/v1/open311/keys': { county_admin: ALL },
  'GET /api/v1/open311/keys': { county_admin: ALL },
  'POST /api/v1/open311/keys/{id}/revoke': { county_admin: ALL },  // each call revokes a fresh key
  // Open311 GeoReport v2: public by the spec; POST needs an api_key (given here).
  'GET /open311/discovery.xml': 'public',
  'GET /open311/discovery.json': 'public',
  'GET /open311/v2/{file}': 'public',
  'GET /open311/v2/services/{file}': 'public',
  'GET /open311/v2/requests/{file}': 'public',
  'GET /open311/v2/tokens/{file}': 'public',
  'POST /open311/v2/requests.xml': 'public',
  'POST /open311/v2/requests.json': 'public',
  'POST /open311/v2/{file}': 'public',  // servicerequestupdates (a partner's update); others: 404
  // Meetings. Scheduling out of scope answers 422 (naming the audience entries), not 404.
  'POST /api/v1/meetings': { county_admin: ALL, unit_staff: ALL, town_official: ALL, village_cadre: ALL },
  'GET /api/v1/meetings': ANY_SIGNED_IN,
  'GET /api/v1/meetings/figures': { county_admin: ALL, unit_staff: ALL, town_official: ALL, village_cadre: ALL },
  'GET /api/v1/meetings/{id}': MEETING_VIEWERS,
  'PATCH /api/v1/meetings/{id}': MEETING_MANAGERS,
  'POST /api/v1/meetings/{id}/rsvp': MEETING_INVITEES,
  'GET /api/v1/meetings/{id}/invitees': MEETING_MANAGERS,
  'POST /api/v1/meetings/{id}/checkin-code': MEETING_MANAGERS,
  // A valid code admits anyone of the county as a guest (docs: "invitees"), so a forged one is a
  // 422 for every signed-in caller, whether or not they may see the meeting.
  'POST /api/v1/meetings/{id}/checkins': ANY_SIGNED_IN,
  'GET /api/v1/meetings/{id}/attendance': MEETING_MANAGERS,
  'PUT /api/v1/meetings/{id}/attendance/{member}': MEETING_MANAGERS,
  'PUT /api/v1/meetings/{id}/minutes': MEETING_MANAGERS,
  'GET /api/v1/meetings/{id}/actions': MEETING_VIEWERS,
  'POST /api/v1/meetings/{id}/actions': MEETING_MANAGERS,
  'GET /api/v1/meeting-actions': ANY_SIGNED_IN,
  'PATCH /api/v1/meeting-actions/{id}': MEETING_ACTION_EDITORS,
  'GET /api/v1/calendar': ANY_SIGNED_IN,
  'POST /api/v1/calendar/token': ANY_SIGNED_IN,
  'GET /api/v1/calendar/{token}': 'public',  // the token is the credential (a fixture's feed URL)
  'GET /api/v1/meetings/{id}/room': ANY_SIGNED_IN,  // a plain GET: 426 Upgrade Required
  'POST /api/v1/meetings/{id}/cancel': MEETING_MANAGERS,  // then 409 for the calls that follow
  'POST /api/v1/meetings/{id}/end': MEETING_MANAGERS,  // cancelled above: 409
  // Documents and forms. Creating in a folder outside one's scope (unit staff: outside their
  // unit's folder) answers 404 like any denial.
  'POST /api/v1/docs': { county_admin: ALL, town_official: ['A1', 'A2'], village_cadre: ['A1'] },
  'GET /api/v1/docs': ANY_SIGNED_IN,
  'GET /api/v1/docs/figures': { county_admin: ALL, unit_staff: ALL, town_official: ALL, village_cadre: ALL },
  'GET /api/v1/docs/{id}': DOC_MANAGERS,
  'PATCH /api/v1/docs/{id}': DOC_MANAGERS,
  'DELETE /api/v1/docs/{id}': DOC_MANAGERS,  // each call deletes a document of its own
  'PUT /api/v1/docs/{id}/shares': DOC_MANAGERS,
  'GET /api/v1/docs/{id}/versions': DOC_MANAGERS,
  'POST /api/v1/docs/{id}/versions': DOC_MANAGERS,
  'GET /api/v1/docs/{id}/versions/{vid}/update': DOC_MANAGERS,
  'GET /api/v1/docs/{id}/comments': DOC_MANAGERS,
  'POST /api/v1/docs/{id}/comments': DOC_MANAGERS,
  'PATCH /api/v1/docs/{id}/comments/{cid}': DOC_MANAGERS,
  'POST /api/v1/docs/{id}/files': DOC_MANAGERS,  // a JSON body, not an image: 415
  'GET /api/v1/docs/{id}/files/{fid}': DOC_MANAGERS,
  'GET /api/v1/forms/mine': ANY_SIGNED_IN,
  'GET /api/v1/docs/{id}/response': FORM_FILLERS,
  'PUT /api/v1/docs/{id}/response': FORM_FILLERS,
  'GET /api/v1/docs/{id}/responses': DOC_MANAGERS,
  'GET /api/v1/docs/{id}/responses.xlsx': DOC_MANAGERS,
  'GET /api/v1/docs/{id}/responses.csv': DOC_MANAGERS,
  'GET /api/v1/docs/{id}/stats': DOC_MANAGERS,
  'GET /api/v1/docs/{id}/missing': DOC_MANAGERS,
  'POST /api/v1/docs/{id}/remind': DOC_MANAGERS,  // then 429
  'POST /api/v1/docs/{id}/send': DOC_MANAGERS,  // sent in the fixtures: 409
  'POST /api/v1/docs/{id}/close': DOC_MANAGERS,  // then 409
  // The dashboard (驾驶舱), its CSV tables and the monthly report, for the target's place (the
  // village, or the county): stats.view in a scope holding the place. Unit staff get their own
  // unit's figures at the county only (see stats.test.mjs).
  'GET /api/v1/stats/dashboard': STATS_VIEWERS,
  'GET /api/v1/stats/table.csv': STATS_VIEWERS,
  'GET /api/v1/stats/report.xlsx': STATS_VIEWERS,
};

let srv;
const clients = {};
const fx = {};  // fixtures per target

before(async () => {
  srv = await startServer({ residents: 400 });
  for (const role of ROLES.slice(1)) clients[role] = await signIn(srv, account(srv, role));
  clients.anonymous = new Client(srv.baseUrl);
  const cadres = srv.accounts.filter((a) => a.role === 'village_cadre');
  const village = { A1: cadres[0].region_code, A2: cadres[1].region_code, B1: cadres[2].region_code };
  const admin = clients.county_admin;
  for (const t of ['A1', 'A2', 'B1']) {
    const code = village[t];
    const town = code.slice(0, 9) + '000';
    const person = (await admin.get(`/api/v1/people?region=${code}&limit=1`)).json.items[0];
    const unit = (await admin.get(`/api/v1/units?region=${town}`)).json.items[0];
    // A join request, already rejected: deciding it again answers 409 when allowed.
    const r = new Client(srv.baseUrl);
    await r.signup('矩阵测试', randomPhone(), 'longpassword1');
    const j = await r.post('/api/v1/join-requests', { village_code: code, name: '矩阵测试', id_number: makeIdNumber() });
    await admin.post(`/api/v1/join-requests/${j.json.id}/reject`, { reason: '测试' });
    fx[t] = { region: code, person: person.id, household: person.household_id, unit: unit.id, join: j.json.id, unitRegion: town };
  }
  const countyUnit = (await admin.get('/api/v1/units?region=500238000000')).json.items
    .find((u) => u.region_code === '500238000000');
  // People and join requests live in villages: at the county level, use another town's.
  fx.county = { region: '500238000000', person: fx.B1.person, household: fx.B1.household, unit: countyUnit.id, join: fx.B1.join, unitRegion: '500238000000' };
  const publishers = { A1: clients.village_cadre, A2: await signIn(srv, cadres[1]), B1: await signIn(srv, cadres[2]), county: admin };
  for (const t of TARGETS) {
    const up = await publishers[t].upload('/api/v1/attachments?name=pic.png', PNG, 'image/png');
    assert.equal(up.status, 201, JSON.stringify(up.json));
    const n = await publishers[t].post('/api/v1/notices', {
      title: `矩阵通知 ${t}`, body: '正文', audience: { regions: [fx[t].region] }, receipt_required: true, attachments: [up.json.id],
    });
    assert.equal(n.status, 201, JSON.stringify(n.json));
    fx[t].notice = n.json.id;
    fx[t].file = up.json.id;
  }
  // Requests, each with a photo.
  const residentA2 = await signIn(srv, account(srv, 'resident', 1));
  const villagerB1 = (await admin.get(`/api/v1/people?region=${fx.B1.region}&limit=1`)).json.items[0];
  const unitId = (await clients.unit_staff.get('/api/v1/me')).json.roles.find((g) => g.unit_id).unit_id;
  const filers = { A1: clients.resident, A2: residentA2, B1: publishers.B1, county: publishers.B1 };
  for (const t of TARGETS) {
    const photo = await filers[t].upload('/api/v1/request-photos?name=p.png', PNG, 'image/png');
    assert.equal(photo.status, 201, photo.text);
    const body = { category: 'sanitation', description: `矩阵诉求 ${t} 的描述`, photos: [photo.json.id] };
    if (filers[t] === publishers.B1) body.on_behalf_of = villagerB1.id;
    const rq = await filers[t].post('/api/v1/requests', body, { headers: { 'idempotency-key': crypto.randomUUID() } });
    assert.equal(rq.status, 201, rq.text);
    fx[t].request = rq.json.id;
    fx[t].photo = photo.json.id;
  }
  // Meetings, each with an action item (see MEETING_ACTION_EDITORS).
  const residentPerson = (await clients.resident.get('/api/v1/me')).json.person_id;
  for (const t of TARGETS) {
    const m = await publishers[t].post('/api/v1/meetings', {
      title: `矩阵会议 ${t}`, mode: 'both', place: '会议室', start_at: new Date(Date.now() + 86400000).toISOString(),
      planned_minutes: 60, audience: { regions: [fx[t].region] },
    }, { headers: { 'idempotency-key': crypto.randomUUID() } });
    assert.equal(m.status, 201, m.text);
    fx[t].meeting = m.json.id;
    const owner = t === 'A1' || t === 'county' ? residentPerson : fx[t].person;
    const a = await publishers[t].post(`/api/v1/meetings/${m.json.id}/actions`,
      { title: `矩阵待办 ${t}`, owner, due_at: new Date(Date.now() + 7 * 86400000).toISOString() });
    assert.equal(a.status, 201, a.text);
    fx[t].action = a.json.id;
  }
  // Documents and forms (see DOC_MANAGERS), and per target one document to delete per role.
  const idem = () => ({ headers: { 'idempotency-key': crypto.randomUUID() } });
  for (const t of TARGETS) {
    const p = publishers[t];
    const d = await p.post('/api/v1/docs', { kind: 'doc', title: `矩阵文档 ${t}`, region_code: fx[t].region }, idem());
    assert.equal(d.status, 201, d.text);
    fx[t].doc = d.json.id;
    const v = await p.post(`/api/v1/docs/${fx[t].doc}/versions`, { name: `矩阵版本 ${t}` });
    assert.equal(v.status, 201, v.text);
    fx[t].version = v.json.id;
    const c = await p.post(`/api/v1/docs/${fx[t].doc}/comments`, { body: `矩阵评论 ${t}` });
    assert.equal(c.status, 201, c.text);
    fx[t].comment = c.json.id;
    const img = await p.upload(`/api/v1/docs/${fx[t].doc}/files`, PNG, 'image/png');
    assert.equal(img.status, 201, img.text);
    fx[t].image = img.json.id;
    const f = await p.post('/api/v1/docs', {
      kind: 'form', title: `矩阵收集表 ${t}`, region_code: fx[t].region,
      form: { per: 'person', fields: [{ id: 'note', type: 'text', label: '备注', required: false }] },
    }, idem());
    assert.equal(f.status, 201, f.text);
    fx[t].form = f.json.id;
    const sent = await p.post(`/api/v1/docs/${fx[t].form}/send`,
      { audience: { regions: [fx[t].region] }, deadline: new Date(Date.now() + 7 * 86400000).toISOString() });
    assert.equal(sent.status, 200, sent.text);
    fx[t].trash = [];
    for (let i = 0; i < ROLES.length; i++) {
      const x = await p.post('/api/v1/docs', { kind: 'doc', title: `待删除 ${t} ${i}`, region_code: fx[t].region }, idem());
      assert.equal(x.status, 201, x.text);
      fx[t].trash.push(x.json.id);
    }
  }
  // A private calendar feed of an account the matrix does not use (the matrix rotates its own).
  const feedOwner = new Client(srv.baseUrl);
  assert.equal((await feedOwner.signup('日历订阅', randomPhone(), 'longpassword1')).status, 201);
  const feed = await feedOwner.post('/api/v1/calendar/token', {});
  assert.equal(feed.status, 200, feed.text);
  fx.calendarUrl = feed.json.url;
  const d = await admin.post(`/api/v1/requests/${fx.county.request}/dispatch`, { handler: `unit:${unitId}` });
  assert.equal(d.status, 200, d.text);
  // Open311: a public request to read, and a partner key (the revoke route gets a key of its own
  // per call, see request()).
  const pub = await clients.resident.post('/api/v1/requests', { category: 'sanitation', description: '矩阵公开诉求的描述', public: true },
    { headers: { 'idempotency-key': crypto.randomUUID() } });
  assert.equal(pub.status, 201, pub.text);
  fx.publicRequest = pub.json.id;
  const key = await admin.post('/api/v1/open311/keys', { name: '矩阵伙伴' }, { headers: { 'idempotency-key': crypto.randomUUID() } });
  assert.equal(key.status, 201, key.text);
  fx.apiKey = key.json.api_key;
  fx.keyIds = [];
  for (let i = 0; i < ROLES.length * TARGETS.length; i++) {
    const k = await admin.post('/api/v1/open311/keys', { name: `待撤销 ${i}` }, { headers: { 'idempotency-key': crypto.randomUUID() } });
    fx.keyIds.push(k.json.id);
  }
});
after(async () => { await srv?.stop(); });

// Builds the request for a route against a target.
function request(method, pattern, t) {
  const f = fx[t];
  if (pattern.startsWith('/open311/')) {
    const file = { '/open311/v2/{file}': method === 'POST' ? 'servicerequestupdates.xml' : 'services.xml', '/open311/v2/services/{file}': 'sanitation.json',
      '/open311/v2/requests/{file}': `${fx.publicRequest}.xml`, '/open311/v2/tokens/{file}': `${fx.publicRequest}.json` }[pattern];
    const path = file ? pattern.replace('{file}', file) : pattern;
    const body = method !== 'POST' ? undefined : pattern === '/open311/v2/{file}'
      ? `api_key=${encodeURIComponent(fx.apiKey)}&jurisdiction_id=500238&service_request_id=${fx.publicRequest}&description=${encodeURIComponent('伙伴补充说明')}`
      : `api_key=${encodeURIComponent(fx.apiKey)}&jurisdiction_id=500238&service_code=other&address_id=${fx.A1.region}&description=${encodeURIComponent('矩阵开放接口')}`;
    return { path, body };
  }
  if (pattern.startsWith('/api/v1/request-categories/{code}/routes'))
    return { path: pattern.replace('{code}', 'other').replace('{region}', f.region), body: method === 'PUT' ? { handler: 'town' } : undefined };
  if (pattern === '/api/v1/calendar/{token}') return { path: fx.calendarUrl, body: undefined };
  if (pattern === '/api/v1/open311/keys/{id}/revoke') return { path: `/api/v1/open311/keys/${fx.keyIds.pop() ?? 'none'}/revoke`, body: {} };
  const doc = !pattern.startsWith('/api/v1/docs/{id}') ? undefined
    : method === 'DELETE' ? f.trash.pop() ?? crypto.randomUUID() : FORM_ROUTE.test(pattern) ? f.form : f.doc;
  const path = pattern.replace('{code}', f.region).replace('{account_id}', crypto.randomUUID()).replace('{member}', f.person)
    .replace('{vid}', f.version).replace('{cid}', f.comment).replace('{fid}', f.image).replace('{id}', doc ??
    (pattern.includes('/meetings/') ? f.meeting : pattern.includes('/meeting-actions/') ? f.action
      : pattern.includes('/units/') ? f.unit : pattern.includes('/people/') ? f.person
      : pattern.includes('/notices/') ? f.notice : pattern.includes('/attachments/') ? f.file
      : pattern.includes('/requests/') ? f.request : pattern.includes('/request-photos/') ? f.photo
      : pattern.includes('/households/') ? f.household : f.join));
  const q = {
    'GET /api/v1/regions': '?q=' + encodeURIComponent('村'),
    'GET /api/v1/units': `?region=${f.unitRegion}`,
    'GET /api/v1/people': `?region=${f.region}&limit=1`,
    'GET /api/v1/audit': `?object_id=${f.person}`,
    'GET /api/v1/notices/figures': '?from=2026-01&to=2027-12',
    'GET /api/v1/meetings/figures': `?from=${MONTH}&to=${MONTH}&group=town`,
    'GET /api/v1/docs/figures': `?from=${MONTH}&to=${MONTH}&group=town`,
    'GET /api/v1/requests/metrics': '?from=2026-01&to=2027-12&group=village',
    'GET /api/v1/requests/metrics.xlsx': '?from=2026-01&to=2027-12&group=town',
    'GET /api/v1/requests/board': `?village=${f.region.endsWith('000000') ? fx.B1.region : f.region}`,
    'GET /api/v1/stats/dashboard': `?region=${f.region}`,
    'GET /api/v1/stats/table.csv': `?table=children&region=${f.region}`,
    'GET /api/v1/stats/report.xlsx': `?region=${f.region}&month=${MONTH}`,
  }[`${method} ${pattern}`] || '';
  const body = {
    'POST /api/v1/units': { name: '矩阵单位', kind: 'government', region_code: f.unitRegion },
    'POST /api/v1/units/{id}/staff': { phone: '13900000000' },
    'PATCH /api/v1/units/{id}': {},
    'POST /api/v1/people': { name: '矩阵村民', gender: 'm', birth_year: 1970, village_code: f.region },
    'PATCH /api/v1/people/{id}': {},
    'POST /api/v1/people/{id}/reveal': { field: 'id_number' },
    'POST /api/v1/join-requests': { village_code: f.region, name: '矩阵', id_number: makeIdNumber() },
    'POST /api/v1/join-requests/{id}/reject': { reason: '再次' },
    'POST /api/v1/auth/login': { phone: '13900000000', password: 'wrong-password' },
    'POST /api/v1/auth/signup': { name: '', phone: '1', password: '' },
    'POST /api/v1/notices': { title: '矩阵发布', body: '正文', audience: { regions: [f.region] } },
    'POST /api/v1/notices/preview': { audience: { regions: [f.region] } },
    'PATCH /api/v1/notices/{id}': { revision_note: '矩阵修改' },
    'POST /api/v1/notices/{id}/withdraw': { reason: '矩阵撤回' },
    'PUT /api/v1/request-categories/{code}': { name: '矩阵类别', handler: 'village' },
    'POST /api/v1/requests': { category: 'other', description: '矩阵里新提的诉求' },
    'POST /api/v1/requests/{id}/progress': { note: '正在办理' },
    'POST /api/v1/requests/{id}/finish': { outcome: 'fixed', note: '已办结' },
    'POST /api/v1/requests/{id}/confirm': { fixed: true },
    'POST /api/v1/requests/{id}/rate': { rating: 5 },
    'POST /api/v1/requests/{id}/followup': { still_fixed: true },
    'POST /api/v1/requests/{id}/transfer': { handler: 'unit:00000000-0000-4000-8000-000000000000', reason: '矩阵转办' },  // 422
    'POST /api/v1/requests/{id}/return': { reason: '矩阵退回' },
    'POST /api/v1/requests/{id}/dispatch': { handler: 'village' },
    'POST /api/v1/requests/{id}/merge': { into: crypto.randomUUID() },
    'POST /api/v1/open311/keys': { name: '矩阵伙伴二' },
    'POST /api/v1/meetings': { title: '矩阵新会议', start_at: new Date(Date.now() + 86400000).toISOString(), audience: { regions: [f.region] } },
    'PATCH /api/v1/meetings/{id}': { note: '矩阵修改' },
    'POST /api/v1/meetings/{id}/cancel': { reason: '矩阵取消' },
    'POST /api/v1/meetings/{id}/rsvp': { answer: 'accepted' },
    'POST /api/v1/meetings/{id}/checkins': { code: '1.00000000000000000000000000000000' },
    'PUT /api/v1/meetings/{id}/attendance/{member}': { minutes: 30, present: true, note: '矩阵更正' },
    'PUT /api/v1/meetings/{id}/minutes': { body: '矩阵纪要' },
    'POST /api/v1/meetings/{id}/actions': { title: '矩阵新待办', owner: f.person, due_at: new Date(Date.now() + 86400000).toISOString() },
    'PATCH /api/v1/meeting-actions/{id}': { status: 'done', note: '矩阵完成' },
    'POST /api/v1/docs': { kind: 'doc', title: '矩阵新文档', region_code: f.region },
    'PATCH /api/v1/docs/{id}': { title: '矩阵改名' },
    'PUT /api/v1/docs/{id}/shares': { shares: [] },
    'POST /api/v1/docs/{id}/versions': { name: '矩阵新版本' },
    'POST /api/v1/docs/{id}/comments': { body: '矩阵新评论' },
    'PATCH /api/v1/docs/{id}/comments/{cid}': { resolved: true },
    'PUT /api/v1/docs/{id}/response': { answers: { note: '矩阵回答' } },
    'POST /api/v1/docs/{id}/send': { audience: { regions: [f.region] }, deadline: new Date(Date.now() + 86400000).toISOString() },
  }[`${method} ${pattern}`];
  return { path: path + q, body: method === 'GET' ? undefined : (body ?? {}) };
}

test('every route has a policy and an expectation', () => {
  const routes = execFileSync(BINARY, ['routes', '--json'], { encoding: 'utf8' })
    .trim().split('\n').map((l) => JSON.parse(l));
  for (const r of routes) {
    assert.ok(['public', 'signed-in'].includes(r.access) || /^[a-z]+\.[a-z]+$/.test(r.access), `${r.method} ${r.pattern}: no policy`);
    assert.ok(EXPECT[`${r.method} ${r.pattern}`], `${r.method} ${r.pattern} is missing from the matrix test`);
  }
  assert.equal(routes.length, Object.keys(EXPECT).length, 'the matrix names routes the router lacks');
});

test('role × scope matrix', { timeout: 120000 }, async () => {
  const failures = [];
  for (const key of Object.keys(EXPECT)) {
    const [method, pattern] = key.split(' ');
    const rule = EXPECT[key];
    if (key === 'POST /api/v1/auth/logout') continue;  // would end the shared sessions; see auth.test.mjs
    for (const role of ROLES) {
      for (const t of TARGETS) {
        const { path, body } = request(method, pattern, t);
        const r = await clients[role].req(method, path, { body });
        let allowed;
        if (rule === 'public') allowed = true;
        else if (rule === 'self') allowed = role !== 'anonymous';
        else allowed = (rule[role] || []).includes(t);
        const denied = rule === 'public' ? r.status === 404 || r.status === 403
          : r.status === 404 || r.status === 401 || r.status === 403;
        const wantDeny = role === 'anonymous' && rule !== 'public' ? 401 : 404;
        if (allowed && denied) failures.push(`${role} ${t} ${key}: expected allowed, got ${r.status} ${r.json?.detail ?? ''}`);
        if (!allowed && r.status !== wantDeny) failures.push(`${role} ${t} ${key}: expected ${wantDeny}, got ${r.status}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});
