// Meetings (会议) — scheduling with the notices audience picker, the invitation notice, visibility,
// lists, answers, edits and cancellation, iCalendar files and private feeds (parsed with ical.js),
// on-site check-in with signed codes, attendance and corrections, minutes, action items, figures,
// and the online room over a WebSocket (npm ws) — on SQLite and on a throwaway PostgreSQL.
// docs/meetings.md is the contract; attendance arithmetic runs on a fake clock in the C++ tests.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { startServer, stopSharedPostgres } from '../support/server.mjs';
import { Client } from '../support/client.mjs';
import { demoAccounts } from '../support/accounts.mjs';
import { assertMatchesSpec, makeAjv } from '../support/openapi.mjs';
import { frameSocket } from '../support/frames.mjs';
import { sleep, until } from '../support/wait.mjs';

const MINUTE = 60000;
// A time `ms` from now rounded up to the whole minute (iCalendar times have no milliseconds).
const at = (ms) => new Date(Math.ceil((Date.now() + ms) / MINUTE) * MINUTE).toISOString();
// The Asia/Shanghai wall time of an instant.
function shanghai(iso) {
  const d = new Date(Date.parse(iso) + 8 * 3600000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}
// The same instant written with the +08:00 offset, as a page in China sends it.
function withOffset(iso) {
  const w = shanghai(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}:${p(w.second)}+08:00`;
}
const shanghaiMonth = (iso) => new Date(Date.parse(iso) + 8 * 3600000).toISOString().slice(0, 7);
const fields = (r) => (r.json?.errors || []).map((e) => e.field).sort();

// RFC 5545 framing of an iCalendar body: every physical line ends with CRLF, is at most 75
// octets and is valid UTF-8 on its own (folding never splits a character). Returns the lines.
function physicalLines(buf) {
  assert.ok(buf.length >= 2 && buf[buf.length - 2] === 0x0d && buf[buf.length - 1] === 0x0a, 'ends with CRLF');
  const dec = new TextDecoder('utf-8', { fatal: true });
  const lines = [];
  let start = 0;
  for (let i = 0; i < buf.length - 1; i++) {
    if (buf[i] === 0x0d && buf[i + 1] === 0x0a) {
      lines.push(buf.subarray(start, i));
      start = i + 2;
      i++;
    }
  }
  assert.equal(start, buf.length, 'nothing after the last CRLF');
  return lines.map((l) => {
    assert.ok(l.length <= 75, `a line of ${l.length} octets: ${l.toString()}`);
    assert.ok(!l.includes(0x0a) && !l.includes(0x0d), `a bare CR or LF in ${JSON.stringify(l.toString())}`);
    return dec.decode(l);  // throws when a fold split a UTF-8 sequence
  });
}

// Parses an iCalendar body with ical.js; checks the Asia/Shanghai VTIMEZONE.
function parseCalendar(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  assert.equal(cal.name, 'vcalendar');
  assert.equal(cal.getFirstPropertyValue('version'), '2.0');
  const vtz = cal.getFirstSubcomponent('vtimezone');
  assert.ok(vtz, 'a VTIMEZONE');
  assert.equal(vtz.getFirstPropertyValue('tzid'), 'Asia/Shanghai');
  const std = vtz.getFirstSubcomponent('standard');
  assert.equal(std.getFirstPropertyValue('tzoffsetto').toString(), '+08:00');
  ICAL.TimezoneService.register(vtz);
  const events = cal.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
  return { cal, events };
}

// Checks one VEVENT against the meeting as `reader` sees it.
function checkEvent(ev, m, { partstat } = {}) {
  assert.equal(ev.uid, `${m.id}@shuxiang`);
  assert.equal(ev.sequence, m.sequence);
  assert.equal(ev.summary, m.title, 'SUMMARY round-trips exactly');
  for (const [t, iso] of [[ev.startDate, m.start_at], [ev.endDate, m.end_at]]) {
    assert.equal(t.zone.tzid, 'Asia/Shanghai');
    assert.equal(t.isDate, false);
    const { year, month, day, hour, minute, second } = t;
    assert.deepEqual({ year, month, day, hour, minute, second }, shanghai(iso), 'Asia/Shanghai wall time');
    assert.equal(t.toJSDate().getTime(), Math.floor(Date.parse(iso) / 1000) * 1000, 'the same instant');
  }
  assert.equal(ev.component.getFirstPropertyValue('status'), m.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED');
  // An absolute link: calendar apps open it outside the site.
  assert.match(ev.component.getFirstPropertyValue('url'), new RegExp(`^http://127\\.0\\.0\\.1:\\d+/m/meetings/${m.id}$`));
  const attendee = ev.component.getFirstProperty('attendee');
  if (partstat) {
    assert.ok(attendee, 'an ATTENDEE for a member');
    assert.equal(attendee.getParameter('partstat'), partstat);
  } else {
    assert.equal(attendee, null, 'no ATTENDEE for a non-member');
  }
  assert.equal(ev.component.getFirstProperty('organizer').getParameter('cn'), m.host.name);
  const alarm = ev.component.getFirstSubcomponent('valarm');
  if (m.status === 'cancelled' || m.remind_minutes === 0) assert.equal(alarm, null);
  else assert.equal(alarm.getFirstPropertyValue('trigger').toString(), `-PT${m.remind_minutes}M`);
}
const PARTSTAT = { pending: 'NEEDS-ACTION', accepted: 'ACCEPTED', declined: 'DECLINED' };

// The room's frames must match the documented MeetingRoomServerMessage.
const validFrame = makeAjv().compile({ $ref: 'https://shuxiang.invalid/openapi.json#/components/schemas/MeetingRoomServerMessage' });
const badFrames = [];

// A room WebSocket that collects frames; next(pred) waits for a matching one.
function room(baseUrl, id, { token, cookie, origin } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  const c = frameSocket(`${baseUrl.replace('http', 'ws')}/api/v1/meetings/${id}/room`, {
    headers,
    decode: (m) => {
      const f = JSON.parse(m.toString());
      if (!validFrame(f)) badFrames.push({ f, errors: validFrame.errors });
      return f;
    },
  });
  c.send = (o) => c.ws.send(typeof o === 'string' ? o : JSON.stringify(o));
  c.close = () => c.ws.terminate();
  return c;
}

for (const db of ['sqlite', 'postgres']) {
  describe(`meetings on ${db}`, () => {
    let srv;
    const { signInAll, acct, as } = demoAccounts();
    let A1, B1, townA;
    const person = {};  // person ids of the A1 resident, party member and cadre

    before(async () => {
      srv = await startServer({ db, residents: 400 });
      await signInAll(srv);
      A1 = acct('village_cadre', 0).region_code;
      B1 = acct('village_cadre', 2).region_code;
      townA = A1.slice(0, 9) + '000';
      for (const role of ['resident', 'party_member', 'village_cadre']) person[role] = (await as(role).get('/api/v1/me')).json.person_id;
    });
    after(async () => { await srv?.stop(); if (db === 'postgres') await stopSharedPostgres(); });

    // Schedules a meeting (by the A1 cadre for A1, online, tomorrow, unless told otherwise).
    const schedule = (client, body = {}, key = randomUUID()) => client.post('/api/v1/meetings',
      { title: '村务工作例会', mode: 'online', start_at: at(86400000), planned_minutes: 60, audience: { regions: [A1] }, ...body },
      { headers: { 'idempotency-key': key } });
    const scheduled = async (body, client = as('village_cadre')) => {
      const r = await schedule(client, body);
      assert.equal(r.status, 201, r.text);
      return r.json;
    };
    const ics = async (client, id) => {
      const r = await client.bytes(`/api/v1/meetings/${id}.ics`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /^text\/calendar; charset=utf-8/);
      assert.equal(r.headers.get('content-disposition'), `attachment; filename="meeting-${id}.ics"`);
      assert.match(r.headers.get('cache-control'), /no-store/);
      const lines = physicalLines(r.buf);
      return { lines, ...parseCalendar(r.buf.toString('utf8')) };
    };
    const inboxItem = async (client, noticeId) =>
      (await client.get('/api/v1/inbox?category=meeting&limit=100')).json.items.find((i) => i.id === noticeId);
    const auditOf = async (id) => {
      const r = await as('county_admin').get(`/api/v1/audit?object_id=${id}`);
      assert.equal(r.status, 200);
      assertMatchesSpec('GET', '/api/v1/audit', 200, r.json);
      return r.json.items;
    };

    test('scheduling: 201 for the host, the invitation in the inbox, idempotent replay', async () => {
      const key = randomUUID();
      const startAt = at(2 * 86400000);
      const body = { title: '十二月村务工作例会', agenda: '1. 村道硬化\n2. 饮水安全', start_at: withOffset(startAt), planned_minutes: 90, remind_minutes: 15 };
      const r = await schedule(as('village_cadre'), body, key);
      assert.equal(r.status, 201, r.text);
      assertMatchesSpec('POST', '/api/v1/meetings', 201, r.json);
      const m = r.json;
      assert.equal(m.title, body.title);
      assert.equal(m.start_at, startAt, 'answered in UTC');
      assert.equal(Date.parse(m.end_at) - Date.parse(m.start_at), 90 * MINUTE);
      assert.equal(m.status, 'scheduled');
      assert.equal(m.mode, 'online');
      assert.equal(m.sequence, 0);
      assert.equal(m.remind_minutes, 15);
      assert.equal(m.host.name, acct('village_cadre').name);
      assert.deepEqual(m.me, { invited: true, rsvp: 'pending', reason: '', is_host: true, can_manage: true, checked_in_at: null });
      assert.equal(m.minutes, null);
      assert.ok(m.counts.invitees >= 3, 'the cadre, party member and resident of A1 at least');
      assert.equal(m.counts.pending, m.counts.invitees);
      const village = (await as('resident').get(`/api/v1/regions/${A1}`)).json;
      assert.equal(m.counts.invitees, village.people_count, 'everyone of the village');

      const again = await schedule(as('village_cadre'), body, key);
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.json, m, 'the same meeting');
      assert.equal(r.headers.get('idempotent-replayed'), null);
      const managed = (await as('village_cadre').get('/api/v1/meetings?scope=managed&limit=100')).json.items;
      assert.equal(managed.filter((x) => x.title === body.title).length, 1, 'scheduled once');

      // The invitation is a notice of category meeting in the invitees' inbox.
      const inbox = await as('resident').get('/api/v1/inbox?category=meeting&limit=100');
      assertMatchesSpec('GET', '/api/v1/inbox', 200, inbox.json);
      const item = inbox.json.items.find((i) => i.id === m.notice_id);
      assert.ok(item, 'the invitation is in the resident\'s inbox');
      assert.equal(item.category, 'meeting');
      assert.ok(item.title.includes(body.title), item.title);
      assert.equal(item.withdrawn, false);
      assert.ok(await inboxItem(as('party_member'), m.notice_id));
      assert.equal(await inboxItem(as('resident', 1), m.notice_id), undefined, 'not in another village');
      const notice = (await as('resident').get(`/api/v1/notices/${m.notice_id}`)).json;
      assert.ok(notice.body.includes('村道硬化'), 'the agenda is in the invitation');
    });

    test('scheduling: each invalid field is a 422 naming it', async (t) => {
      const cadre = as('village_cadre');
      const cases = [
        [{ title: '' }, ['title']],
        [{ title: '会'.repeat(101) }, ['title']],
        [{ start_at: at(-3600000) }, ['start_at']],
        [{ start_at: 'tomorrow' }, ['start_at']],
        [{ start_at: undefined }, ['start_at']],
        [{ planned_minutes: 4 }, ['planned_minutes']],
        [{ planned_minutes: 721 }, ['planned_minutes']],
        [{ mode: 'onsite' }, ['place']],
        [{ mode: 'both', place: '' }, ['place']],
        [{ mode: 'video' }, ['mode']],
        [{ kind: 'lecture' }, ['kind']],
        [{ remind_minutes: 1441 }, ['remind_minutes']],
        [{ title: '', planned_minutes: 1 }, ['planned_minutes', 'title']],
        [{ audience: {} }, ['audience']],
        [{ audience: undefined }, ['audience']],
        [{ audience: { regions: [B1] } }, ['audience.regions[0]']],
        [{ audience: { regions: [A1], people: [randomUUID()] } }, ['audience.people[0]']],
      ];
      for (const [body, want] of cases) {
        const r = await schedule(cadre, body);
        assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
        assertMatchesSpec('POST', '/api/v1/meetings', 422, r.json);
        assert.deepEqual(fields(r), want, JSON.stringify(body));
      }
      // A town official may not schedule for another town either.
      const far = await schedule(as('town_official'), { audience: { regions: [B1] } });
      assert.deepEqual(fields(far), ['audience.regions[0]']);
      assert.equal((await schedule(as('resident'))).status, 404, 'no meeting.schedule');
      assert.equal((await schedule(as('party_member'))).status, 404);
      const notJson = await cadre.req('POST', '/api/v1/meetings', { body: '{nope', headers: { 'content-type': 'application/json' } });
      assert.equal(notJson.status, 400);
      assertMatchesSpec('POST', '/api/v1/meetings', 400, notJson.json);
      // On site with a place is fine.
      const ok = await schedule(cadre, { mode: 'onsite', place: '村委会二楼会议室' });
      assert.equal(ok.status, 201, ok.text);
      assert.equal(ok.json.place, '村委会二楼会议室');
    });

    test('who sees a meeting: its invitees and managers; anyone else and any other id gets 404', async (t) => {
      const m = await scheduled({ title: '可见性测试' });
      const seen = {};
      for (const [role, i] of [['resident', 0], ['party_member', 0], ['village_cadre', 0], ['town_official', 0], ['county_admin', 0]]) {
        const r = await as(role, i).get(`/api/v1/meetings/${m.id}`);
        assert.equal(r.status, 200, `${role}: ${r.text}`);
        assertMatchesSpec('GET', '/api/v1/meetings/{id}', 200, r.json);
        seen[role] = r.json.me;
      }
      assert.deepEqual(seen.resident, { invited: true, rsvp: 'pending', reason: '', is_host: false, can_manage: false, checked_in_at: null });
      assert.equal(seen.party_member.invited, true);
      assert.equal(seen.village_cadre.is_host, true);
      assert.deepEqual(seen.town_official, { invited: false, rsvp: null, reason: '', is_host: false, can_manage: true, checked_in_at: null });
      assert.equal(seen.county_admin.can_manage, true);
      for (const [role, i] of [['resident', 1], ['village_cadre', 1], ['village_cadre', 2], ['town_official', 1], ['unit_staff', 0], ['unit_staff', 1]]) {
        const r = await as(role, i).get(`/api/v1/meetings/${m.id}`);
        assert.equal(r.status, 404, `${role}/${i}`);
        assertMatchesSpec('GET', '/api/v1/meetings/{id}', 404, r.json);
        assert.equal((await as(role, i).bytes(`/api/v1/meetings/${m.id}.ics`)).status, 404, `${role}/${i} .ics`);
        assert.equal((await as(role, i).get(`/api/v1/meetings/${m.id}/actions`)).status, 404);
      }
      for (const id of [randomUUID(), 'abc', m.id.toUpperCase(), `${m.id}x`, `${m.id}.ical`, `${randomUUID()}.ics`, '.ics']) {
        const r = await as('resident').get(`/api/v1/meetings/${encodeURIComponent(id)}`);
        assert.equal(r.status, 404, id);
      }
      assert.equal((await new Client(srv.baseUrl).get(`/api/v1/meetings/${m.id}`)).status, 401);
    });

    test('lists: mine and managed, upcoming and past, a page at a time', async (t) => {
      const cadre = as('village_cadre');
      const tag = `列表${Date.now() % 100000}`;
      const upcoming = [];
      for (let i = 0; i < 3; i++) upcoming.push(await scheduled({ title: `${tag} 待开 ${i}`, start_at: at(3 * 86400000 + i * 3600000) }));
      const past = [];
      for (let i = 0; i < 3; i++) {
        const m = await scheduled({ title: `${tag} 取消 ${i}`, start_at: at(3 * 86400000 + i * 3600000) });
        assert.equal((await cadre.post(`/api/v1/meetings/${m.id}/cancel`, { reason: '列表测试' })).status, 200);
        past.push(m);
      }
      // Pages through a list with a small limit; checks order and the absence of duplicates.
      const all = async (client, q) => {
        const out = [];
        let cursor = null;
        for (let n = 0; n < 100; n++) {
          const r = await client.get(`/api/v1/meetings?${q}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          assert.equal(r.status, 200, r.text);
          assertMatchesSpec('GET', '/api/v1/meetings', 200, r.json);
          assert.ok(r.json.items.length <= 2);
          out.push(...r.json.items);
          cursor = r.json.next_cursor;
          if (!cursor) return out;
        }
        assert.fail('too many pages');
      };
      const key = (m) => `${m.start_at} ${m.id}`;
      const mineUp = await all(as('resident'), 'scope=mine&when=upcoming');
      assert.equal(new Set(mineUp.map((m) => m.id)).size, mineUp.length, 'no duplicates across pages');
      assert.deepEqual(mineUp.map(key), [...mineUp.map(key)].sort(), 'soonest first');
      assert.ok(mineUp.every((m) => m.status === 'scheduled' || m.status === 'live'));
      for (const m of upcoming) assert.ok(mineUp.some((x) => x.id === m.id), m.title);
      for (const m of past) assert.ok(!mineUp.some((x) => x.id === m.id), `${m.title} is not upcoming`);
      const defaults = (await as('resident').get('/api/v1/meetings?limit=100')).json.items.map((m) => m.id);
      assert.deepEqual(defaults, mineUp.slice(0, 100).map((m) => m.id), 'mine and upcoming by default');
      const minePast = await all(as('resident'), 'scope=mine&when=past');
      assert.deepEqual(minePast.map(key), [...minePast.map(key)].sort().reverse(), 'latest first');
      assert.ok(minePast.every((m) => m.status === 'ended' || m.status === 'cancelled'));
      for (const m of past) assert.ok(minePast.some((x) => x.id === m.id && x.status === 'cancelled'), m.title);
      // Managed: the host and managers of the scope; not a cadre of another village, not residents.
      const townUp = await all(as('town_official'), 'scope=managed&when=upcoming');
      for (const m of upcoming) assert.ok(townUp.some((x) => x.id === m.id && x.me.can_manage));
      const townPast = await all(as('town_official'), 'scope=managed&when=past');
      for (const m of past) assert.ok(townPast.some((x) => x.id === m.id));
      assert.ok(!(await all(as('village_cadre', 2), 'scope=managed&when=upcoming')).some((x) => x.title.startsWith(tag)));
      assert.ok(!(await all(as('town_official', 1), 'scope=managed&when=upcoming')).some((x) => x.title.startsWith(tag)));
      assert.ok(!(await all(as('resident', 1), 'scope=mine&when=upcoming')).some((x) => x.title.startsWith(tag)));
      assert.deepEqual((await as('resident').get('/api/v1/meetings?scope=managed')).json.items, []);
      for (const [q, field] of [['scope=all', 'scope'], ['when=today', 'when'], ['cursor=nope', 'cursor'], [`cursor=1.${'x'.repeat(36)}`, 'cursor']]) {
        const r = await as('resident').get(`/api/v1/meetings?${q}`);
        assert.equal(r.status, 422, q);
        assertMatchesSpec('GET', '/api/v1/meetings', 422, r.json);
        assert.deepEqual(fields(r), [field]);
      }
    });

    test('answers: accept, decline with a reason; the counts follow; non-invitees get 404', async (t) => {
      const m = await scheduled({ title: '回复测试' });
      const acc = await as('resident').post(`/api/v1/meetings/${m.id}/rsvp`, { answer: 'accepted' });
      assert.equal(acc.status, 200, acc.text);
      assertMatchesSpec('POST', '/api/v1/meetings/{id}/rsvp', 200, acc.json);
      assert.equal(acc.json.me.rsvp, 'accepted');
      assert.deepEqual(acc.json.counts, { invitees: m.counts.invitees, accepted: 1, declined: 0, pending: m.counts.invitees - 1 });
      const noReason = await as('party_member').post(`/api/v1/meetings/${m.id}/rsvp`, { answer: 'declined' });
      assert.equal(noReason.status, 422);
      assertMatchesSpec('POST', '/api/v1/meetings/{id}/rsvp', 422, noReason.json);
      assert.deepEqual(fields(noReason), ['reason']);
      assert.deepEqual(fields(await as('party_member').post(`/api/v1/meetings/${m.id}/rsvp`, { answer: 'maybe' })), ['answer']);
      const dec = await as('party_member').post(`/api/v1/meetings/${m.id}/rsvp`, { answer: 'declined', reason: '外出务工' });
      assert.equal(dec.status, 200, dec.text);
      assert.equal(dec.json.me.rsvp, 'declined');
      assert.equal(dec.json.me.reason, '外出务工');
      assert.deepEqual(dec.json.counts, { invitees: m.counts.invitees, accepted: 1, declined: 1, pending: m.counts.invitees - 2 });
      // Answering again replaces the answer.
      const change = await as('resident').post(`/api/v1/meetings/${m.id}/rsvp`, { answer: 'declined', reason: '家中有事' });
      assert.deepEqual(change.json.counts, { invitees: m.counts.invitees, accepted: 0, declined: 2, pending: m.counts.invitees - 2 });
      const host = (await as('village_cadre').get(`/api/v1/meetings/${m.id}`)).json;
      assert.deepEqual(host.counts, change.json.counts, 'the host sees the same counts');
      // The managers' list of invitees, by answer and a page at a time.
      const declined = await as('village_cadre').get(`/api/v1/meetings/${m.id}/invitees?rsvp=declined`);
      assert.equal(declined.status, 200);
      assertMatchesSpec('GET', '/api/v1/meetings/{id}/invitees', 200, declined.json);
      assert.deepEqual(declined.json.items.map((x) => [x.member_id, x.reason]).sort(),
        [[person.resident, '家中有事'], [person.party_member, '外出务工']].sort());
      assert.ok(declined.json.items.every((x) => x.rsvp === 'declined' && x.rsvp_at && !x.guest));
      let seen = [];
      let cursor = null;
      do {
        const page = await as('town_official').get(`/api/v1/meetings/${m.id}/invitees?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200, page.text);
        assertMatchesSpec('GET', '/api/v1/meetings/{id}/invitees', 200, page.json);
        seen = seen.concat(page.json.items);
        cursor = page.json.next_cursor;
      } while (cursor);
      assert.equal(seen.length, m.counts.invitees);
      assert.equal(new Set(seen.map((x) => x.member_id)).size, seen.length, 'no duplicates across pages');
      assert.equal(seen.filter((x) => x.rsvp === 'pending').length, m.counts.invitees - 2);
      assert.equal((await as('village_cadre').get(`/api/v1/meetings/${m.id}/invitees?rsvp=maybe`)).status, 422);
      assert.equal((await as('resident').get(`/api/v1/meetings/${m.id}/invitees`)).status, 404, 'invitees do not see the list');
      // Non-invitees: 404, managers who were not invited included.
      for (const [role, i] of [['resident', 1], ['town_official', 0], ['county_admin', 0], ['village_cadre', 2]]) {
        const r = await as(role, i).post(`/api/v1/meetings/${m.id}/rsvp`, { answer: 'accepted' });
        assert.equal(r.status, 404, `${role}/${i}`);
      }
      assert.equal((await as('resident').post(`/api/v1/meetings/${randomUUID()}/rsvp`, { answer: 'accepted' })).status, 404);
    });

    test('changes need a note, raise the sequence, revise the invitation and reach the .ics', async (t) => {
      const title = '十二月村务工作例会：议题一，议题二；附\\说明';
      const agenda = Array.from({ length: 10 }, (_, i) =>
        `${i + 1}. 讨论村道硬化、饮水安全和产业发展，听取各村民小组意见；确定下一步工作安排`).join('\n');
      assert.ok([...agenda].length > 200, 'an agenda of over 200 characters');
      const m = await scheduled({ title, agenda, mode: 'both', place: '村委会二楼会议室', start_at: at(86400000 + 7 * MINUTE) });
      await as('resident').post(`/api/v1/meetings/${m.id}/rsvp`, { answer: 'accepted' });

      const one = await ics(as('resident'), m.id);
      assert.equal(one.events.length, 1);
      const ev = one.events[0];
      checkEvent(ev, m, { partstat: 'ACCEPTED' });
      assert.equal(ev.description, agenda, 'the long DESCRIPTION survives folding and escaping');
      assert.ok(one.lines.filter((l) => l.startsWith(' ')).length >= 5, 'long lines are folded');
      assert.ok(ev.location.startsWith('村委会二楼会议室'), ev.location);
      assert.equal(ev.component.getFirstProperty('attendee').getFirstValue(), `urn:shuxiang:member:${person.resident}`);
      checkEvent((await ics(as('party_member'), m.id)).events[0], m, { partstat: 'NEEDS-ACTION' });
      checkEvent((await ics(as('town_official'), m.id)).events[0], m, {});  // a manager, not invited

      const cadre = as('village_cadre');
      const noNote = await cadre.patch(`/api/v1/meetings/${m.id}`, { planned_minutes: 90 });
      assert.equal(noNote.status, 422);
      assertMatchesSpec('PATCH', '/api/v1/meetings/{id}', 422, noNote.json);
      assert.deepEqual(fields(noNote), ['note']);
      assert.deepEqual(fields(await cadre.patch(`/api/v1/meetings/${m.id}`, { planned_minutes: 3, note: '改时长' })), ['planned_minutes']);
      assert.deepEqual(fields(await cadre.patch(`/api/v1/meetings/${m.id}`, { start_at: at(-3600000), note: '改时间' })), ['start_at']);
      assert.deepEqual(fields(await cadre.patch(`/api/v1/meetings/${m.id}`, { place: '', note: '改地点' })), ['place']);
      assert.equal((await as('resident').patch(`/api/v1/meetings/${m.id}`, { note: 'x' })).status, 404);
      assert.equal((await as('village_cadre', 1).patch(`/api/v1/meetings/${m.id}`, { note: 'x' })).status, 404);
      const newStart = at(2 * 86400000 + 13 * MINUTE);
      const ed = await cadre.patch(`/api/v1/meetings/${m.id}`, { start_at: newStart, planned_minutes: 120, note: '时间改到后天' });
      assert.equal(ed.status, 200, ed.text);
      assertMatchesSpec('PATCH', '/api/v1/meetings/{id}', 200, ed.json);
      assert.equal(ed.json.sequence, 1);
      assert.equal(ed.json.start_at, newStart);
      assert.equal(Date.parse(ed.json.end_at) - Date.parse(newStart), 120 * MINUTE);
      assert.equal(ed.json.title, title, 'unchanged members stay');
      const again = await ics(as('resident'), m.id);
      checkEvent(again.events[0], { ...ed.json, me: undefined }, { partstat: 'ACCEPTED' });
      assert.equal(again.events[0].sequence, 1);
      // The town official (a manager) may change it too.
      const ed2 = await as('town_official').patch(`/api/v1/meetings/${m.id}`, { title: '十二月村务工作例会（改）', note: '改标题' });
      assert.equal(ed2.status, 200, ed2.text);
      assert.equal(ed2.json.sequence, 2);
      assert.equal((await ics(as('party_member'), m.id)).events[0].summary, '十二月村务工作例会（改）');
      // The invitation notice carries the revisions.
      const item = await inboxItem(as('resident'), m.notice_id);
      assert.equal(item.revision, 2);
      const notice = (await as('resident').get(`/api/v1/notices/${m.notice_id}`)).json;
      assert.deepEqual(notice.revisions.map((x) => x.note), ['时间改到后天', '改标题']);
      assert.ok(notice.title.includes('十二月村务工作例会（改）'), notice.title);
    });

    test('cancelling: a reason; STATUS:CANCELLED; the invitation is withdrawn; then 409s', async (t) => {
      const m = await scheduled({ title: '将被取消的会议', mode: 'both', place: '村委会', agenda: '原定议程' });
      await as('resident').post(`/api/v1/meetings/${m.id}/rsvp`, { answer: 'accepted' });
      const cadre = as('village_cadre');
      const noReason = await cadre.post(`/api/v1/meetings/${m.id}/cancel`, {});
      assert.equal(noReason.status, 422);
      assertMatchesSpec('POST', '/api/v1/meetings/{id}/cancel', 422, noReason.json);
      assert.deepEqual(fields(noReason), ['reason']);
      assert.equal((await as('resident').post(`/api/v1/meetings/${m.id}/cancel`, { reason: 'x' })).status, 404);
      assert.equal((await as('village_cadre', 2).post(`/api/v1/meetings/${m.id}/cancel`, { reason: 'x' })).status, 404);
      const c = await cadre.post(`/api/v1/meetings/${m.id}/cancel`, { reason: '上级检查改期' });
      assert.equal(c.status, 200, c.text);
      assertMatchesSpec('POST', '/api/v1/meetings/{id}/cancel', 200, c.json);
      assert.equal(c.json.status, 'cancelled');
      assert.equal(c.json.cancel_reason, '上级检查改期');
      assert.equal(c.json.sequence, 1);
      const seen = await as('resident').get(`/api/v1/meetings/${m.id}`);
      assert.equal(seen.status, 200, 'invitees still see it');
      assert.equal(seen.json.status, 'cancelled');

      const cal = await ics(as('resident'), m.id);
      checkEvent(cal.events[0], c.json, { partstat: 'ACCEPTED' });
      assert.equal(cal.events[0].description, '会议取消：上级检查改期\n\n原定议程');
      const item = await inboxItem(as('resident'), m.notice_id);
      assert.equal(item.withdrawn, true, 'the invitation is withdrawn');
      assert.equal(item.withdraw_reason, '会议取消：上级检查改期');
      for (const [client, method, path, body] of [
        [as('resident'), 'POST', 'rsvp', { answer: 'declined', reason: '不去' }],
        [as('party_member'), 'POST', 'rsvp', { answer: 'accepted' }],
        [cadre, 'PATCH', '', { note: '再改' }],
        [cadre, 'POST', 'cancel', { reason: '再次' }],
        [cadre, 'POST', 'end', {}],
        [cadre, 'POST', 'checkin-code', {}],
      ]) {
        const r = await client.req(method, `/api/v1/meetings/${m.id}${path ? `/${path}` : ''}`, { body });
        assert.equal(r.status, 409, `${method} ${path}: ${r.text}`);
        assertMatchesSpec(method, `/api/v1/meetings/{id}${path ? `/${path}` : ''}`, 409, r.json);
      }
      const audit = await auditOf(m.id);
      assert.ok(audit.some((e) => e.action === 'meeting.cancel' && e.detail === '上级检查改期'));
    });

    test('a cancellation reason of 200 characters is accepted', async () => {
      const m = await scheduled({ title: '长理由取消' });
      const reason = '因'.repeat(200);
      const c = await as('village_cadre').post(`/api/v1/meetings/${m.id}/cancel`, { reason });
      assert.equal(c.status, 200, c.text);
      assert.equal(c.json.cancel_reason, reason);
    });

    test('audit details keep whole characters (long Chinese notes)', async () => {
      const m = await scheduled({ title: '审计截断' });
      const note = '改'.repeat(100);
      const ed = await as('village_cadre').patch(`/api/v1/meetings/${m.id}`, { note });
      assert.equal(ed.status, 200, ed.text);
      const r = await as('county_admin').bytes(`/api/v1/audit?object_id=${m.id}`);
      assert.equal(r.status, 200);
      const text = new TextDecoder('utf-8', { fatal: true }).decode(r.buf);  // throws on a split character
      const entry = JSON.parse(text).items.find((e) => e.action === 'meeting.update');
      assert.ok(note.startsWith(entry.detail) && entry.detail.length > 0, entry.detail);
    });

    test('withdrawing the invitation notice directly does not leave the meeting stuck', async () => {
      const m = await scheduled({ title: '通知被直接撤回' });
      const w = await as('village_cadre').post(`/api/v1/notices/${m.notice_id}/withdraw`, { reason: '误操作' });
      const c = await as('village_cadre').post(`/api/v1/meetings/${m.id}/cancel`, { reason: '取消' });
      assert.ok(w.status === 409 || c.status === 200, `notice withdraw ${w.status}, meeting cancel ${c.status}: ${c.text}`);
    });

    test('the private calendar feed: shown once, no cookie needed, rotation retires the old URL', async (t) => {
      const res = as('resident');
      // A meeting the resident accepted, one they declined and a cancelled one.
      const acc = await scheduled({ title: '订阅：已接受', start_at: at(4 * 86400000) });
      await res.post(`/api/v1/meetings/${acc.id}/rsvp`, { answer: 'accepted' });
      const dec = await scheduled({ title: '订阅：已拒绝', start_at: at(4 * 86400000 + 3600000) });
      await res.post(`/api/v1/meetings/${dec.id}/rsvp`, { answer: 'declined', reason: '有事' });
      const can = await scheduled({ title: '订阅：已取消', start_at: at(4 * 86400000 + 7200000) });
      await as('village_cadre').post(`/api/v1/meetings/${can.id}/cancel`, { reason: '改期' });
      const other = await scheduled({ title: '订阅：别村的', audience: { regions: [B1] } }, as('village_cadre', 2));

      const status = await res.get('/api/v1/calendar');
      assert.equal(status.status, 200);
      assertMatchesSpec('GET', '/api/v1/calendar', 200, status.json);
      assert.deepEqual(status.json, { has_feed: false });
      const t1 = await res.post('/api/v1/calendar/token', {});
      assert.equal(t1.status, 200, t1.text);
      assertMatchesSpec('POST', '/api/v1/calendar/token', 200, t1.json);
      assert.match(t1.json.url, /^\/api\/v1\/calendar\/[0-9a-f]{48}\.ics$/);
      assert.deepEqual((await res.get('/api/v1/calendar')).json, { has_feed: true });

      // No cookie, no token: the URL is the credential.
      const feed = await fetch(srv.baseUrl + t1.json.url);
      assert.equal(feed.status, 200);
      assert.match(feed.headers.get('content-type'), /^text\/calendar/);
      assert.match(feed.headers.get('cache-control'), /no-store/);
      assert.match(feed.headers.get('content-disposition'), /^attachment; /);
      const buf = Buffer.from(await feed.arrayBuffer());
      physicalLines(buf);
      const { cal, events } = parseCalendar(buf.toString('utf8'));
      assert.ok(cal.getFirstPropertyValue('x-wr-calname').includes(acct('resident').name));
      const byId = new Map(events.map((e) => [e.uid.replace(/@shuxiang$/, ''), e]));
      for (const m of [acc, dec, can]) assert.ok(byId.has(m.id), m.title);
      assert.ok(!byId.has(other.id), 'not a meeting of another village');
      // Every event agrees with the meeting as the resident sees it.
      for (const [id, ev] of byId) {
        const seen = await res.get(`/api/v1/meetings/${id}`);
        assert.equal(seen.status, 200, `the feed holds only the resident's meetings: ${id}`);
        checkEvent(ev, seen.json, { partstat: PARTSTAT[seen.json.me.rsvp] });
      }
      assert.equal(byId.get(acc.id).component.getFirstProperty('attendee').getParameter('partstat'), 'ACCEPTED');
      assert.equal(byId.get(dec.id).component.getFirstProperty('attendee').getParameter('partstat'), 'DECLINED');
      assert.equal(byId.get(can.id).component.getFirstPropertyValue('status'), 'CANCELLED');

      // A new URL retires the old one.
      const t2 = await res.post('/api/v1/calendar/token', {});
      assert.notEqual(t2.json.url, t1.json.url);
      const old = await new Client(srv.baseUrl).get(t1.json.url);
      assert.equal(old.status, 404);
      assertMatchesSpec('GET', '/api/v1/calendar/{token}', 404, old.json);
      assert.equal((await fetch(srv.baseUrl + t2.json.url)).status, 200);
      const anon = new Client(srv.baseUrl);
      for (const path of [`/api/v1/calendar/${'0'.repeat(48)}.ics`, `/api/v1/calendar/${'a'.repeat(48)}.ics`,
        t2.json.url.replace('.ics', ''), t2.json.url.replace('.ics', '.ical'), '/api/v1/calendar/.ics', '/api/v1/calendar/x.ics']) {
        assert.equal((await anon.get(path)).status, 404, path);
      }
      assert.equal((await anon.get('/api/v1/calendar')).status, 401);
      assert.equal((await anon.post('/api/v1/calendar/token', {})).status, 401);
      // A feed of a staff account without a person record: the meetings it hosts.
      const staff = await as('town_official').post('/api/v1/calendar/token', {});
      const hosted = await scheduled({ title: '订阅：镇里的会', audience: { regions: [townA] } }, as('town_official'));
      const staffFeed = parseCalendar(await (await fetch(srv.baseUrl + staff.json.url)).text());
      const ev = staffFeed.events.find((e) => e.uid === `${hosted.id}@shuxiang`);
      assert.ok(ev, 'the host\'s own meeting');
      assert.equal(ev.component.getFirstProperty('attendee'), null);
    });

    test('on site: check-in codes, forged codes audited, attendance and corrections, minutes, actions, end, figures', async (t) => {
      const cadre = as('village_cadre');
      const m = await scheduled({ title: '现场会', mode: 'onsite', place: '村委会院坝', start_at: at(2 * MINUTE) });
      const online = await scheduled({ title: '线上会' });
      assert.equal((await cadre.post(`/api/v1/meetings/${online.id}/checkin-code`, {})).status, 409, 'no venue, no code');
      assert.equal((await as('resident').post(`/api/v1/meetings/${m.id}/checkin-code`, {})).status, 404);
      assert.equal((await as('village_cadre', 1).post(`/api/v1/meetings/${m.id}/checkin-code`, {})).status, 404);
      const code = await cadre.post(`/api/v1/meetings/${m.id}/checkin-code`, {});
      assert.equal(code.status, 200, code.text);
      assertMatchesSpec('POST', '/api/v1/meetings/{id}/checkin-code', 200, code.json);
      assert.ok(Math.abs(Date.parse(code.json.expires_at) - Date.now() - 5 * MINUTE) < 30000, 'valid five minutes');
      assert.equal(code.json.url, `/m/meetings/${m.id}/checkin?code=${code.json.code}`);

      const first = await as('resident').post(`/api/v1/meetings/${m.id}/checkins`, { code: code.json.code });
      assert.equal(first.status, 200, first.text);
      assertMatchesSpec('POST', '/api/v1/meetings/{id}/checkins', 200, first.json);
      const second = await as('resident').post(`/api/v1/meetings/${m.id}/checkins`, { code: code.json.code });
      assert.equal(second.status, 200);
      assert.equal(second.json.checked_in_at, first.json.checked_in_at, 'the first check-in counts');
      const live = (await cadre.get(`/api/v1/meetings/${m.id}`)).json;
      assert.equal(live.status, 'live');
      assert.equal(live.started_at, first.json.checked_in_at);
      assert.equal((await as('resident').get(`/api/v1/meetings/${m.id}`)).json.me.checked_in_at, first.json.checked_in_at);

      // Forged and altered codes: 422 naming code, audited as denied.
      const [exp, mac] = code.json.code.split('.');
      const flip = (mac[0] === 'a' ? 'b' : 'a') + mac.slice(1);
      for (const bad of [`${exp}.${flip}`, `${Number(exp) + 3600000}.${mac}`, 'abc', '', `${exp}.${mac}0`]) {
        const r = await as('party_member').post(`/api/v1/meetings/${m.id}/checkins`, { code: bad });
        assert.equal(r.status, 422, `${bad}: ${r.text}`);
        assertMatchesSpec('POST', '/api/v1/meetings/{id}/checkins', 422, r.json);
        assert.deepEqual(fields(r), ['code']);
      }
      const denied = await until(async () => {
        const entries = (await auditOf(m.id)).filter((e) => e.action === 'meeting.checkin' && e.result === 'denied');
        return entries.length >= 5 && entries;
      }, 'five denied check-ins in the audit log');
      const pmAccount = (await as('party_member').get('/api/v1/me')).json.id;
      assert.ok(denied.every((e) => e.actor === pmAccount && e.object_type === 'meeting'), JSON.stringify(denied));
      assert.equal((await as('party_member').get(`/api/v1/meetings/${m.id}`)).json.me.checked_in_at, null);
      assert.equal((await as('resident').post(`/api/v1/meetings/${randomUUID()}/checkins`, { code: code.json.code })).status, 404);

      // Attendance: the check-in counts as present.
      const att = await cadre.get(`/api/v1/meetings/${m.id}/attendance`);
      assert.equal(att.status, 200, att.text);
      assertMatchesSpec('GET', '/api/v1/meetings/{id}/attendance', 200, att.json);
      const row = att.json.items.find((x) => x.member_id === person.resident);
      assert.equal(row.present, true);
      assert.equal(row.checked_in_at, first.json.checked_in_at);
      assert.equal(row.first_join_at, first.json.checked_in_at);
      assert.equal(row.late, false);
      assert.equal(row.corrected, false);
      assert.equal(att.json.summary.invitees, m.counts.invitees);
      assert.equal(att.json.summary.present, 1);
      assert.equal(att.json.summary.rate, Math.round(1000 / m.counts.invitees) / 1000);
      assert.equal(att.json.summary.started_at, first.json.checked_in_at);
      assert.equal((await as('resident').get(`/api/v1/meetings/${m.id}/attendance`)).status, 404);
      assert.equal((await as('town_official').get(`/api/v1/meetings/${m.id}/attendance`)).status, 200, 'a manager of the scope');

      // A correction needs a note, is audited and changes the row.
      const fixPath = `/api/v1/meetings/${m.id}/attendance/${person.party_member}`;
      const noNote = await cadre.req('PUT', fixPath, { body: { minutes: 45, present: true } });
      assert.equal(noNote.status, 422);
      assertMatchesSpec('PUT', '/api/v1/meetings/{id}/attendance/{member}', 422, noNote.json);
      assert.deepEqual(fields(noNote), ['note']);
      assert.deepEqual(fields(await cadre.req('PUT', fixPath, { body: { present: true, note: '补记' } })), ['minutes']);
      assert.deepEqual(fields(await cadre.req('PUT', fixPath, { body: { minutes: 45, note: '补记' } })), ['present']);
      assert.deepEqual(fields(await cadre.req('PUT', fixPath, { body: { minutes: 2000, present: true, note: '补记' } })), ['minutes']);
      assert.equal((await as('resident').req('PUT', fixPath, { body: { minutes: 45, present: true, note: '补记' } })).status, 404);
      assert.equal((await cadre.req('PUT', `/api/v1/meetings/${m.id}/attendance/${randomUUID()}`, { body: { minutes: 45, present: true, note: '补记' } })).status, 404);
      const fix = await cadre.req('PUT', fixPath, { body: { minutes: 45, present: true, note: '纸质签到补记' } });
      assert.equal(fix.status, 200, fix.text);
      assertMatchesSpec('PUT', '/api/v1/meetings/{id}/attendance/{member}', 200, fix.json);
      assert.equal(fix.json.member_id, person.party_member);
      assert.equal(fix.json.minutes, 45);
      assert.equal(fix.json.present, true);
      assert.equal(fix.json.corrected, true);
      assert.equal(fix.json.note, '纸质签到补记');
      const att2 = (await cadre.get(`/api/v1/meetings/${m.id}/attendance`)).json;
      assert.deepEqual(att2.items.find((x) => x.member_id === person.party_member), fix.json);
      assert.equal(att2.summary.present, 2);
      const fixAudit = (await auditOf(m.id)).find((e) => e.action === 'meeting.attendance_fix');
      assert.ok(fixAudit && fixAudit.detail.includes(person.party_member) && fixAudit.detail.includes('纸质签到补记'), JSON.stringify(fixAudit));

      // Minutes.
      assert.deepEqual(fields(await cadre.req('PUT', `/api/v1/meetings/${m.id}/minutes`, { body: { body: '' } })), ['body']);
      assert.equal((await as('resident').req('PUT', `/api/v1/meetings/${m.id}/minutes`, { body: { body: '我来写' } })).status, 404);
      const minutes = await cadre.req('PUT', `/api/v1/meetings/${m.id}/minutes`, { body: { body: '## 会议纪要\n\n- 村道硬化：下周开工' } });
      assert.equal(minutes.status, 200, minutes.text);
      assertMatchesSpec('PUT', '/api/v1/meetings/{id}/minutes', 200, minutes.json);
      assert.equal(minutes.json.minutes.body, '## 会议纪要\n\n- 村道硬化：下周开工');
      assert.equal(minutes.json.minutes.by, acct('village_cadre').name);
      assert.deepEqual((await as('resident').get(`/api/v1/meetings/${m.id}`)).json.minutes, minutes.json.minutes);

      // Action items: the owner must be a member; the owner and managers may close them.
      const due = at(7 * 86400000);
      const stranger = (await as('resident', 1).get('/api/v1/me')).json.person_id;
      const badOwner = await cadre.post(`/api/v1/meetings/${m.id}/actions`, { title: '修路', owner: stranger, due_at: due });
      assert.equal(badOwner.status, 422);
      assertMatchesSpec('POST', '/api/v1/meetings/{id}/actions', 422, badOwner.json);
      assert.deepEqual(fields(badOwner), ['owner']);
      assert.deepEqual(fields(await cadre.post(`/api/v1/meetings/${m.id}/actions`, { title: '修路', owner: person.resident })), ['due_at']);
      assert.deepEqual(fields(await cadre.post(`/api/v1/meetings/${m.id}/actions`, { title: '', owner: person.resident, due_at: due })), ['title']);
      assert.equal((await as('resident').post(`/api/v1/meetings/${m.id}/actions`, { title: '修路', owner: person.resident, due_at: due })).status, 404);
      const action = await cadre.post(`/api/v1/meetings/${m.id}/actions`, { title: '联系施工队，落实村道硬化', owner: person.resident, due_at: due });
      assert.equal(action.status, 201, action.text);
      assertMatchesSpec('POST', '/api/v1/meetings/{id}/actions', 201, action.json);
      assert.deepEqual(action.json.owner, { member_id: person.resident, name: acct('resident').name });
      assert.equal(action.json.status, 'open');
      assert.equal(action.json.overdue, false);
      assert.equal(action.json.meeting_title, '现场会');
      assert.equal(action.json.due_at, due);
      const list = await as('party_member').get(`/api/v1/meetings/${m.id}/actions`);
      assert.equal(list.status, 200);
      assertMatchesSpec('GET', '/api/v1/meetings/{id}/actions', 200, list.json);
      assert.deepEqual(list.json.items.map((a) => a.id), [action.json.id]);
      const mine = await as('resident').get('/api/v1/meeting-actions');
      assert.equal(mine.status, 200);
      assertMatchesSpec('GET', '/api/v1/meeting-actions', 200, mine.json);
      assert.deepEqual(mine.json.items.find((a) => a.id === action.json.id), action.json);
      assert.ok(!(await as('party_member').get('/api/v1/meeting-actions')).json.items.some((a) => a.id === action.json.id));
      const actionPath = `/api/v1/meeting-actions/${action.json.id}`;
      for (const [role, i] of [['party_member', 0], ['resident', 1], ['village_cadre', 2], ['unit_staff', 0]]) {
        const r = await as(role, i).patch(actionPath, { status: 'done' });
        assert.equal(r.status, 404, `${role}/${i}: neither owner nor manager`);
        assertMatchesSpec('PATCH', '/api/v1/meeting-actions/{id}', 404, r.json);
      }
      assert.equal((await as('resident').patch(`/api/v1/meeting-actions/${randomUUID()}`, { status: 'done' })).status, 404);
      assert.deepEqual(fields(await as('resident').patch(actionPath, { status: 'finished' })), ['status']);
      const done = await as('resident').patch(actionPath, { status: 'done', note: '已联系' });
      assert.equal(done.status, 200, done.text);
      assertMatchesSpec('PATCH', '/api/v1/meeting-actions/{id}', 200, done.json);
      assert.equal(done.json.status, 'done');
      assert.ok(done.json.done_at);
      assert.equal(done.json.note, '已联系');
      assert.ok(!(await as('resident').get('/api/v1/meeting-actions')).json.items.some((a) => a.id === action.json.id), 'open items only');
      const reopened = await cadre.patch(actionPath, { status: 'open' });
      assert.equal(reopened.status, 200, 'a manager may reopen it');
      assert.equal(reopened.json.done_at, null);

      // Ending: status, times and the figures.
      assert.equal((await as('resident').post(`/api/v1/meetings/${m.id}/end`, {})).status, 404);
      const end = await cadre.post(`/api/v1/meetings/${m.id}/end`, {});
      assert.equal(end.status, 200, end.text);
      assertMatchesSpec('POST', '/api/v1/meetings/{id}/end', 200, end.json);
      assert.equal(end.json.status, 'ended');
      assert.ok(end.json.ended_at);
      assert.equal(end.json.started_at, first.json.checked_in_at);
      assert.equal(typeof end.json.actual_minutes, 'number');
      assert.equal(end.json.actual_minutes, Math.floor((Date.parse(end.json.ended_at) - Date.parse(end.json.started_at)) / MINUTE));
      assert.equal((await cadre.post(`/api/v1/meetings/${m.id}/end`, {})).status, 409);
      assert.equal((await as('party_member').post(`/api/v1/meetings/${m.id}/checkins`, { code: code.json.code })).status, 409);
      assert.ok((await as('resident').get('/api/v1/meetings?when=past&limit=100')).json.items.some((x) => x.id === m.id));

      const month = shanghaiMonth(m.start_at);
      const figures = async (client, group) => {
        const r = await client.get(`/api/v1/meetings/figures?from=${month}&to=${month}&group=${group}`);
        assert.equal(r.status, 200, r.text);
        assertMatchesSpec('GET', '/api/v1/meetings/figures', 200, r.json);
        return r.json.items;
      };
      const town = (await figures(as('county_admin'), 'town')).find((f) => f.group_id === townA);
      assert.ok(town && town.meetings >= 1 && town.month === month, JSON.stringify(town));
      assert.ok(town.invitees >= m.counts.invitees && town.present >= 2);
      const village = (await figures(as('village_cadre'), 'village')).find((f) => f.group_id === A1);
      assert.ok(village && village.meetings >= 1, 'the cadre sees their village');
      assert.equal(village.rate, Math.round(1000 * village.present / village.invitees) / 1000);
      assert.ok(!(await figures(as('village_cadre', 2), 'village')).some((f) => f.group_id === A1), 'not another village\'s cadre');
      await figures(as('county_admin'), 'unit');
      for (const q of ['from=2026-13&to=2026-12&group=town', `from=${month}&to=${month}`, `from=${month}&to=${month}&group=county`,
        `to=${month}&group=town`, `from=${month}&to=2020-01&group=town`]) {
        const r = await as('county_admin').get(`/api/v1/meetings/figures?${q}`);
        assert.equal(r.status, 422, q);
        assertMatchesSpec('GET', '/api/v1/meetings/figures', 422, r.json);
      }
      assert.deepEqual(fields(await as('county_admin').get('/api/v1/meetings/figures?from=2026-13&to=2026-12&group=town')), ['from']);
      assert.equal((await as('resident').get(`/api/v1/meetings/figures?from=${month}&to=${month}&group=town`)).status, 404);
    });

    test('the room: admission, signalling, chat, host controls, limits and attendance', { timeout: 60000 }, async (t) => {
      const host = as('village_cadre');
      const m = await scheduled({ title: '线上例会', mode: 'online', start_at: at(MINUTE) });
      const base = srv.baseUrl;
      const open = [];
      const join = (opts) => { const r = room(base, m.id, opts); open.push(r); return r; };
      try {
        // A plain GET, and refused handshakes.
        const plain = await as('resident').get(`/api/v1/meetings/${m.id}/room`);
        assert.equal(plain.status, 426);
        assertMatchesSpec('GET', '/api/v1/meetings/{id}/room', 426, plain.json);
        assert.equal(plain.headers.get('upgrade'), 'websocket');
        await assert.rejects(join({}).opened, (e) => e.status === 401);
        const cookieA = new Client(base, { cookie: true });
        assert.equal((await cookieA.login(acct('party_member').phone, srv.password)).status, 200);
        await assert.rejects(join({ cookie: cookieA.cookie, origin: 'https://evil.example' }).opened, (e) => e.status === 403);
        await assert.rejects(room(base, randomUUID(), { token: as('resident').token }).opened, (e) => e.status === 404);
        await assert.rejects(room(base, 'not-a-meeting', { token: as('resident').token }).opened, (e) => e.status === 404);
        const onsite = await scheduled({ title: '只在现场', mode: 'onsite', place: '村委会' });
        await assert.rejects(room(base, onsite.id, { token: as('resident').token }).opened, (e) => e.status === 409);

        // A (party member, cookie from this site) and B (resident, bearer).
        const A = join({ cookie: cookieA.cookie, origin: base });
        const wa = await A.next((f) => f.type === 'welcome');
        assert.equal(wa.host, false);
        assert.deepEqual(wa.peers, []);
        assert.deepEqual(wa.chat, []);
        assert.deepEqual(wa.ice_servers, []);
        const B = join({ token: as('resident').token });
        const wb = await B.next((f) => f.type === 'welcome');
        assert.deepEqual(wb.peers, [{ id: wa.you, member_id: person.party_member, name: acct('party_member').name,
          host: false, audio: true, video: true, screen: false, hand: false }]);
        const joined = await A.next((f) => f.type === 'joined' && f.peer.id === wb.you);
        assert.equal(joined.peer.member_id, person.resident);

        // Signals reach an admitted peer, from the sender; to anyone else they are dropped.
        const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };
        A.send({ type: 'signal', to: wb.you, data: offer });
        const sig = await B.next((f) => f.type === 'signal');
        assert.equal(sig.from, wa.you);
        assert.deepEqual(sig.data, offer);
        A.send({ type: 'signal', to: 'ffffffffffffffff', data: { marker: 'unknown' } });
        A.send({ type: 'signal', to: wa.you, data: { marker: 'self' } });
        A.send({ type: 'signal', to: wb.you, data: { marker: 'after' } });  // frames are handled in order
        await B.next((f) => f.type === 'signal' && f.data.marker === 'after');
        assert.deepEqual(B.frames.filter((f) => f.type === 'signal').map((f) => f.data.marker ?? f.data.type), ['offer', 'after'],
          'the signal to an unknown peer reached nobody');
        assert.ok(!A.frames.some((f) => f.type === 'signal'), 'nor came back to the sender');

        // Chat reaches everyone, and later joiners in their welcome; state changes are broadcast.
        A.send({ type: 'chat', text: '大家好，会议马上开始' });
        const chatB = await B.next((f) => f.type === 'chat');
        assert.deepEqual(await A.next((f) => f.type === 'chat'), chatB);
        assert.equal(chatB.from, wa.you);
        assert.equal(chatB.name, acct('party_member').name);
        assert.equal(chatB.text, '大家好，会议马上开始');
        A.send({ type: 'chat', text: '' });
        assert.equal((await A.next((f) => f.type === 'error')).code, 'chat');
        B.send({ type: 'state', audio: false, hand: true });
        const st = await A.next((f) => f.type === 'state' && f.peer.id === wb.you);
        assert.equal(st.peer.audio, false);
        assert.equal(st.peer.hand, true);
        const H = join({ token: host.token });
        const wh = await H.next((f) => f.type === 'welcome');
        assert.equal(wh.host, true);
        assert.deepEqual(wh.peers.map((p) => p.id).sort(), [wa.you, wb.you].sort());
        assert.equal(wh.peers.find((p) => p.id === wb.you).hand, true);
        assert.deepEqual(wh.chat, [chatB]);
        await A.next((f) => f.type === 'joined' && f.peer.id === wh.you && f.peer.host === true);

        // Host commands: refused to others (the socket stays), obeyed for the host.
        A.send({ type: 'mute', peer: wb.you });
        assert.equal((await A.next((f) => f.type === 'error' && f.code === 'forbidden')).code, 'forbidden');
        A.send({ type: 'ping' });
        await A.next((f) => f.type === 'pong');
        H.send({ type: 'mute', peer: wb.you });
        await B.next((f) => f.type === 'mute');
        H.send({ type: 'admit', peer: 'ffffffffffffffff' });
        assert.equal((await H.next((f) => f.type === 'error')).code, 'peer');

        // A signed-in non-invitee of the county waits; the host admits them.
        const hMark = H.mark();
        const W = join({ token: as('resident', 1).token });
        await W.next((f) => f.type === 'waiting');
        const wName = acct('resident', 1).name;
        const list = await H.next((f) => f.type === 'waiting_list' && f.waiting.some((w) => w.name === wName));
        const wId = list.waiting.find((w) => w.name === wName).id;
        W.send({ type: 'chat', text: '我能进来吗' });  // ignored while waiting
        W.send({ type: 'signal', to: wb.you, data: { marker: 'from the waiting room' } });
        W.send({ type: 'ping' });
        await W.next((f) => f.type === 'pong');
        H.send({ type: 'admit', peer: wId });
        const ww = await W.next((f) => f.type === 'welcome');
        assert.equal(ww.you, wId);
        assert.deepEqual(ww.peers.map((p) => p.id).sort(), [wa.you, wb.you, wh.you].sort());
        await B.next((f) => f.type === 'joined' && f.peer.id === wId);
        await H.next((f) => f.type === 'waiting_list' && f.waiting.length === 0, 3000, hMark);
        assert.ok(!A.frames.some((f) => f.type === 'waiting_list'), 'only hosts see the waiting list');
        assert.ok(![A, B, H].some((c) => c.frames.some((f) => f.text === '我能进来吗' || f.data?.marker === 'from the waiting room')));

        // Another is denied (4003); the admitted guest is removed (4001) and waits next time.
        const D = join({ token: as('village_cadre', 2).token });
        await D.next((f) => f.type === 'waiting');
        const dName = acct('village_cadre', 2).name;
        const dList = await H.next((f) => f.type === 'waiting_list' && f.waiting.some((w) => w.name === dName));
        H.send({ type: 'deny', peer: dList.waiting.find((w) => w.name === dName).id });
        assert.equal((await D.closed()).code, 4003);
        H.send({ type: 'remove', peer: wId });
        assert.equal((await W.closed()).code, 4001);
        await A.next((f) => f.type === 'left' && f.peer === wId);
        const W2 = join({ token: as('resident', 1).token });
        await W2.next((f) => f.type === 'waiting');
        W2.close();

        // The same account from another device replaces the older connection (4009).
        const B2 = join({ token: as('resident').token });
        const wb2 = await B2.next((f) => f.type === 'welcome');
        assert.equal((await B.closed()).code, 4009);
        assert.ok(!wb2.peers.some((p) => p.id === wb.you));

        // Limits: a frame over 64 KiB (1009), a flood (4429), a frame that is not JSON (4400).
        A.send({ type: 'chat', text: '长'.repeat(70 * 1024 / 3 + 10) });
        assert.equal((await A.closed()).code, 1009);
        const F = join({ token: as('party_member').token });
        await F.next((f) => f.type === 'welcome');
        for (let i = 0; i < 400; i++) F.send({ type: 'ping' });
        assert.equal((await F.closed()).code, 4429);
        const N = join({ token: as('party_member').token });
        await N.next((f) => f.type === 'welcome');
        N.send('this is not json');
        assert.equal((await N.closed()).code, 4400);
        const U = join({ token: as('party_member').token });
        await U.next((f) => f.type === 'welcome');
        U.send({ type: 'dance' });
        assert.equal((await U.closed()).code, 4400);

        // Presence is the online attendance (written by a background flush): everyone who was
        // admitted has a first join; the guest is listed but not counted.
        const att = await until(async () => {
          const r = await host.get(`/api/v1/meetings/${m.id}/attendance`);
          assert.equal(r.status, 200);
          const want = [person.party_member, person.resident, person.village_cadre];
          const rows = r.json.items;
          const ok = want.every((id) => rows.find((x) => x.member_id === id)?.first_join_at)
            && rows.some((x) => x.guest && x.name === wName && x.first_join_at);
          return ok && r.json;
        }, 'presence in the attendance');
        assertMatchesSpec('GET', '/api/v1/meetings/{id}/attendance', 200, att);
        for (const x of att.items.filter((r) => r.first_join_at)) {
          assert.equal(x.present, x.minutes >= 1 || x.checked_in_at !== null, 'present = at least a minute, or checked in');
          assert.ok(Date.parse(x.first_join_at) >= Date.parse(m.created_at));
        }
        assert.equal(att.summary.invitees, m.counts.invitees, 'the guest is not counted');
        const guest = att.items.find((x) => x.guest);
        assert.equal(guest.member_id, (await as('resident', 1).get('/api/v1/me')).json.person_id);
        const liveM = (await host.get(`/api/v1/meetings/${m.id}`)).json;
        assert.equal(liveM.status, 'live', 'the first admitted peer made it live');
        assert.equal(liveM.started_at, att.summary.started_at);
        // The admitted guest may now see the meeting, but does not answer.
        const g = await as('resident', 1).get(`/api/v1/meetings/${m.id}`);
        assert.equal(g.status, 200);
        assert.equal(g.json.me.invited, false);
        assert.equal((await as('resident', 1).post(`/api/v1/meetings/${m.id}/rsvp`, { answer: 'accepted' })).status, 404);

        // Ending the meeting closes the room (4000); it cannot be entered again.
        const end = await host.post(`/api/v1/meetings/${m.id}/end`, {});
        assert.equal(end.status, 200, end.text);
        assert.equal((await H.closed()).code, 4000);
        assert.equal((await B2.closed()).code, 4000);
        await assert.rejects(room(base, m.id, { token: as('resident').token }).opened, (e) => e.status === 409);
        assert.deepEqual(badFrames, [], 'every frame matches MeetingRoomServerMessage');
      } finally {
        for (const c of open) c.close();
      }
    });

    test('cancelling a meeting closes its room (4000)', async (t) => {
      const m = await scheduled({ title: '取消时在会中', mode: 'both', place: '村委会', start_at: at(MINUTE) });
      const B = room(srv.baseUrl, m.id, { token: as('resident').token });
      try {
        await B.next((f) => f.type === 'welcome');
        assert.equal((await as('village_cadre').post(`/api/v1/meetings/${m.id}/cancel`, { reason: '临时取消' })).status, 200);
        assert.equal((await B.closed()).code, 4000);
      } finally {
        B.close();
      }
    });
  });
}
