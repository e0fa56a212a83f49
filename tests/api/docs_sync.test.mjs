// Online documents: the Yjs sync endpoint /yjs/{docId} (docs/docs.md, "The sync endpoint"), driven
// by the real npm clients — yjs 13.6.33, y-websocket 3.1.0 (WebsocketProvider over npm ws),
// lib0 for hand-made frames — against the shuxiang binary on SQLite and on a throwaway PostgreSQL:
// convergence of concurrent editors, late joiners and exact diffs, offline edits, read-only
// members, awareness, refusals by close code (never retried), malformed and oversized frames,
// floods, cookie sessions and their origin, compaction, a 40-second idle connection and restarts
// (clean and killed) that keep every acknowledged edit.
//
// Every provider is created with disableBc: Node has a BroadcastChannel, and y-websocket would
// otherwise sync providers of one process with each other, past the server.
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { startServer, launch, stopProcess, stopSharedPostgres } from '../support/server.mjs';
import { Client } from '../support/client.mjs';
import { demoAccounts } from '../support/accounts.mjs';
import { frameSocket } from '../support/frames.mjs';
import { sleep, until } from '../support/wait.mjs';

const MiB = 1024 * 1024;

// ---- frames (y-protocols 1.0.7: varUint message type, then the payload) ----

const frame = (write) => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};
const syncStep1 = (sv) => frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 0); encoding.writeVarUint8Array(e, sv); });
const syncUpdate = (u, syncType = 2) => frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, syncType); encoding.writeVarUint8Array(e, u); });

function decodeAwareness(u8) {
  const d = decoding.createDecoder(u8);
  const n = decoding.readVarUint(d);
  const states = [];
  for (let i = 0; i < n; i++) {
    const client = decoding.readVarUint(d);
    const clock = decoding.readVarUint(d);
    states.push({ client, clock, state: JSON.parse(decoding.readVarString(d)) });
  }
  assert.equal(d.pos, d.arr.length, 'nothing after the awareness entries');
  return states;
}

// A server frame, decoded: {type: 0, sync, payload} | {type: 1, states} | {type: 2, perm, reason}
// | {type: 3}; anything else is kept as {type: 'malformed' | 'unknown', ...} and fails wellFormed.
function decodeFrame(data) {
  const buf = new Uint8Array(data);
  try {
    const d = decoding.createDecoder(buf);
    const type = decoding.readVarUint(d);
    let f;
    if (type === 0) f = { type, sync: decoding.readVarUint(d), payload: decoding.readVarUint8Array(d) };
    else if (type === 1) f = { type, states: decodeAwareness(decoding.readVarUint8Array(d)) };
    else if (type === 2) f = { type, perm: decoding.readVarUint(d), reason: decoding.readVarString(d) };
    else if (type === 3) f = { type };
    else return { type: 'unknown', bytes: buf };
    if (type === 0 && f.sync > 2) return { type: 'unknown', bytes: buf };
    if (d.pos !== buf.length) return { type: 'malformed', error: `${buf.length - d.pos} bytes after the message`, bytes: buf };
    return f;
  } catch (e) {
    return { type: 'malformed', error: String(e), bytes: buf };
  }
}
const show = (frames) => JSON.stringify(frames.map((f) => (f.payload ? { ...f, payload: `${f.payload.length} bytes` } : f))).slice(0, 2000);
function wellFormed(frames, who) {
  const bad = frames.filter((f) => typeof f.type !== 'number');
  assert.deepEqual(bad, [], `${who}: every server frame is a well-formed y-protocols message`);
  // Sync payloads must be a valid state vector (step 1) or v1 update (step 2, update).
  for (const f of frames.filter((x) => x.type === 0)) {
    if (f.sync === 0) Y.decodeStateVector(f.payload);
    else Y.decodeUpdate(f.payload);
  }
}

// ---- clients ----

const wsBase = (srv) => `${srv.baseUrl.replace(/^http/, 'ws')}/yjs`;
const cleanup = [];

// A y-websocket provider for document `docId` on its own Y.Doc, with root types t (text), m (map)
// and a (array). It records every socket the provider opened (connection attempts), every frame
// it received (decoded), its status events and its connection closes.
function peer(srv, docId, { token, headers, name, keep = false } = {}) {
  const doc = new Y.Doc();
  const sockets = [];
  const frames = [];
  class PeerSocket extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols, { headers: headers ?? {} });
      sockets.push(this);
      this.on('message', (data) => frames.push(decodeFrame(data)));
    }
  }
  const provider = new WebsocketProvider(wsBase(srv), docId, doc, {
    WebSocketPolyfill: PeerSocket, params: token ? { token } : {}, disableBc: true,
  });
  if (name) provider.awareness.setLocalStateField('user', { name });
  const p = {
    name: name ?? 'peer', provider, doc, sockets, frames, statuses: [], closes: [], terminal: [],
    text: doc.getText('t'), map: doc.getMap('m'), arr: doc.getArray('a'),
    json: () => doc.toJSON(),
    sv: () => Buffer.from(Y.encodeStateVector(doc)),
    synced(ms = 5000) { return until(() => provider.synced, `${p.name} synced`, ms); },
    auth: () => frames.filter((f) => f.type === 2),
    destroy() {
      if (p.destroyed) return;
      p.destroyed = true;
      provider.destroy();
      doc.destroy();  // also stops the awareness timer
      for (const s of sockets) s.terminate();
    },
  };
  provider.on('status', (e) => p.statuses.push(e.status));
  provider.on('connection-close', (e) => p.closes.push(e ? { code: e.code, reason: e.reason } : null));
  provider.on('closed', (e) => p.terminal.push(e));
  if (!keep) cleanup.push(p);
  return p;
}

// A bare WebSocket on /yjs/{docId} that collects decoded frames; next(pred) waits for one.
function raw(srv, docId, { token, headers = {}, query } = {}) {
  const q = query ?? (token ? `?token=${encodeURIComponent(token)}` : '');
  const c = frameSocket(`${wsBase(srv)}/${docId}${q}`, {
    headers, maxPayload: 64 * MiB, show,
    decode: (data, isBinary) => (isBinary ? decodeFrame(data) : { type: 'text', text: data.toString() }),
  });
  c.send = (bytes) => c.ws.send(bytes);
  c.destroy = () => c.ws.terminate();
  cleanup.push(c);
  return c;
}

// Waits until every peer has the same content and `check(json)` holds for it.
async function converged(peers, check = () => true, ms = 8000) {
  try {
    await until(() => {
      const js = peers.map((p) => p.json());
      return js.every((j) => isDeepStrictEqual(j, js[0])) && check(js[0]);
    }, 'convergence', ms);
  } catch (e) {
    assert.fail(`${e.message}:\n${peers.map((p) => `${p.name}: ${JSON.stringify(p.json())}`).join('\n')}`);
  }
  const first = peers[0].json();
  for (const p of peers) assert.deepEqual(p.json(), first, `${p.name} has the same content`);
  return first;
}

// Watches a lone client for `ms`: it must stay connected, on its first socket.
async function idleWatch(srv, docId, token, ms) {
  const p = peer(srv, docId, { token, name: '独自一人', keep: true });
  try {
    await p.synced(10000);
    p.text.insert(0, '安静的文档');
    const start = Date.now();
    const drops = [];
    while (Date.now() - start < ms) {
      if (!p.provider.wsconnected) drops.push(Date.now() - start);
      await sleep(200);
    }
    return {
      statuses: [...p.statuses], sockets: p.sockets.length, closes: [...p.closes], drops,
      connected: p.provider.wsconnected, echoes: p.frames.filter((f) => f.type === 1 && f.states.some((s) => s.client === p.doc.clientID)).length,
      frames: p.frames,
    };
  } finally {
    p.destroy();
  }
}

for (const db of ['sqlite', 'postgres']) {
  describe(`document sync on ${db}`, () => {
    let srv;
    const { signInAll, acct, as } = demoAccounts();
    let A1;
    const ids = {};  // account ids by role
    const procs = [];  // servers started by the restart test
    let idle = null;

    before(async () => {
      srv = await startServer({ db, residents: 300 });
      await signInAll(srv);
      A1 = acct('village_cadre', 0).region_code;
      for (const role of ['county_admin', 'town_official', 'village_cadre', 'party_member', 'resident']) {
        ids[role] = (await as(role).get('/api/v1/me')).json.id;
      }
      // The idle client (SQLite only: the behaviour does not depend on the database) watches for
      // 40 s while the other tests run; its test near the end collects the result. The restart
      // test comes after it.
      if (db === 'sqlite') {
        const d = await create('安静的文档');
        idle = idleWatch(srv, d.id, as('village_cadre').token, 40000).then((r) => ({ r }), (e) => ({ e }));
      }
    });
    afterEach(() => {
      while (cleanup.length) cleanup.pop().destroy();
    });
    after(async () => {
      while (cleanup.length) cleanup.pop().destroy();
      if (idle) await idle;
      for (const p of procs) await stopProcess(p);
      await srv?.stop();
      if (db === 'postgres') await stopSharedPostgres();
    });

    // A document of village A1 by its cadre, shared as editor with the town official and the county
    // admin (so that three accounts edit), plus any extra shares.
    async function create(title, extraShares = []) {
      const r = await as('village_cadre').post('/api/v1/docs', { kind: 'doc', title, region_code: A1 },
        { headers: { 'idempotency-key': randomUUID() } });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.sync_path, `/yjs/${r.json.id}`);
      const shares = [
        { kind: 'account', target: ids.town_official, role: 'editor' },
        { kind: 'account', target: ids.county_admin, role: 'editor' },
        ...extraShares,
      ];
      const s = await as('village_cadre').req('PUT', `/api/v1/docs/${r.json.id}/shares`, { body: { shares } });
      assert.equal(s.status, 200, s.text);
      return r.json;
    }
    const editor = (id, role, name) => peer(srv, id, { token: as(role).token, name: name ?? acct(role).name });

    test('three editors converge: concurrent Chinese text, emoji, a map and an array', async () => {
      const d = await create('三人协作');
      const A = editor(d.id, 'village_cadre');
      const B = editor(d.id, 'town_official');
      const C = editor(d.id, 'county_admin');
      await Promise.all([A, B, C].map((p) => p.synced()));
      // Round 1: each edits before it can have seen the others.
      A.text.insert(0, '村规民约：');
      A.map.set('作者', '聂秀');
      A.arr.push(['甲']);
      B.text.insert(0, '🎉欢迎👨‍👩‍👧');
      B.map.set('emoji', '😀🚜');
      B.arr.push(['乙', 2]);
      C.text.insert(0, 'Hello 世界');
      C.map.set('n', 42);
      C.arr.insert(0, [{ k: '丙', list: [1, '二'] }]);
      const round1 = ['村规民约：', '🎉欢迎👨‍👩‍👧', 'Hello 世界'];
      const j1 = await converged([A, B, C], (j) => round1.every((s) => j.t.includes(s)) && j.a.length === 4 && Object.keys(j.m).length === 3);
      assert.equal(j1.t.length, round1.join('').length, 'each insert once');
      // The operator sees the open document and its three editors in /metrics.
      const metrics = await (await fetch(`${srv.baseUrl}/metrics`)).text();
      assert.ok(Number(metrics.match(/^shuxiang_docs_open (\S+)/m)?.[1]) >= 1, 'shuxiang_docs_open');
      assert.ok(Number(metrics.match(/^shuxiang_docs_connections (\S+)/m)?.[1]) >= 3, 'shuxiang_docs_connections');
      assert.deepEqual(j1.m, { 作者: '聂秀', emoji: '😀🚜', n: 42 });
      assert.deepEqual([...j1.a].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
        [2, { k: '丙', list: [1, '二'] }, '乙', '甲'].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))));
      // Round 2: concurrent inserts at both ends, a conflicting map key, a deletion.
      A.text.insert(0, '【标题】');
      A.map.set('n', 43);
      B.text.insert(B.text.length, '——完🏁');
      B.arr.delete(B.arr.toArray().indexOf('甲'), 1);
      C.map.set('n', 44);
      C.text.insert(C.text.length, '第二条');
      const j2 = await converged([A, B, C], (j) => j.t.startsWith('【标题】') && j.t.includes('——完🏁') && j.t.includes('第二条')
        && !j.a.includes('甲') && (j.m.n === 43 || j.m.n === 44));
      assert.equal(j2.t.length, round1.join('').length + '【标题】——完🏁第二条'.length);
      assert.equal(j2.a.length, 3);
      for (const p of [A, B, C]) {
        wellFormed(p.frames, p.name);
        assert.equal(p.sockets.length, 1, `${p.name} connected once`);
        assert.deepEqual(p.auth(), [], 'editors are never refused');
      }
      assert.deepEqual(A.sv(), B.sv());
      assert.deepEqual(B.sv(), C.sv());
    });

    test('a late joiner gets everything; SyncStep1 carries the real state vector; SyncStep2 is the exact diff', async () => {
      const d = await create('后来者');
      const A = editor(d.id, 'village_cadre', '甲编辑');
      const B = editor(d.id, 'town_official', '乙编辑');
      await Promise.all([A.synced(), B.synced()]);
      A.text.insert(0, '第一段：通知全体村民。');
      B.map.set('状态', '草稿');
      B.arr.push(['一', '二', '三']);
      A.text.insert(A.text.length, '😀');
      const want = await converged([A, B], (j) => j.t.endsWith('😀') && j.m.状态 === '草稿' && j.a.length === 3);
      const L = editor(d.id, 'county_admin', '后来者');
      await L.synced();
      assert.deepEqual(L.json(), want, 'the late joiner has the whole document');
      assert.deepEqual(L.sv(), A.sv(), 'and the same state vector');

      // The server's opening frames, read by hand.
      const R = raw(srv, d.id, { token: as('county_admin').token });
      await R.opened;
      const first = await R.next(() => true);
      assert.equal(first.type, 0, `the first frame is a sync message: ${show(R.frames)}`);
      assert.equal(first.sync, 0, 'SyncStep1');
      const sv = Y.decodeStateVector(first.payload);
      assert.ok(sv.size >= 2, `a real state vector, not empty: ${[...sv]}`);
      assert.deepEqual(sv, Y.decodeStateVector(Y.encodeStateVector(A.doc)), 'the server\'s state vector is the editors\'');
      // Then the current awareness states: the three providers' users.
      const aw = await R.next((f) => f.type === 1);
      assert.equal(R.frames.indexOf(aw), 1, `awareness right after SyncStep1: ${show(R.frames)}`);
      const names = aw.states.filter((s) => s.state).map((s) => s.state.user?.name).sort();
      assert.deepEqual(names, ['乙编辑', '后来者', '甲编辑'].sort());
      assert.deepEqual(aw.states.map((s) => s.client).sort(), [A, B, L].map((p) => p.doc.clientID).sort());

      // SyncStep1 → exactly one SyncStep2 with what the client lacks.
      const step2 = async (clientSv) => {
        const from = R.frames.length;
        R.send(syncStep1(clientSv));
        const f = await R.next((x) => x.type === 0 && x.sync === 1, 3000, from);
        await sleep(300);
        assert.equal(R.frames.slice(from).filter((x) => x.type === 0 && x.sync === 1).length, 1, 'one SyncStep2');
        return f.payload;
      };
      const all = await step2(new Uint8Array([0]));
      const fresh = new Y.Doc();
      fresh.getText('t'); fresh.getMap('m'); fresh.getArray('a');
      Y.applyUpdate(fresh, all);
      assert.deepEqual(fresh.toJSON(), want, 'an empty state vector gets the whole document');
      const none = await step2(Y.encodeStateVector(A.doc));
      assert.equal(Y.decodeUpdate(none).structs.length, 0, 'a complete state vector gets no structs');
      const aClock = Y.decodeStateVector(Y.encodeStateVector(A.doc)).get(A.doc.clientID);
      const onlyA = Y.encodeStateVector(new Map([[A.doc.clientID, aClock]]));
      const partial = Y.decodeUpdate(await step2(onlyA));
      assert.ok(partial.structs.length > 0);
      assert.ok(partial.structs.every((s) => s.id.client === B.doc.clientID), 'only the structs of the editor the client lacks');
      fresh.destroy();
      wellFormed(R.frames, 'raw');
      wellFormed(L.frames, 'late joiner');
    });

    test('edits made offline reach the others after a reconnect', async () => {
      const d = await create('离线编辑');
      const A = editor(d.id, 'village_cadre');
      const B = editor(d.id, 'town_official');
      await Promise.all([A.synced(), B.synced()]);
      A.text.insert(0, '在线');
      await converged([A, B], (j) => j.t === '在线');
      B.provider.disconnect();
      B.text.insert(B.text.length, '，离线补充');
      A.text.insert(0, '【A】');
      await sleep(300);
      assert.ok(!A.json().t.includes('离线补充'));
      B.provider.connect();
      await converged([A, B], (j) => j.t === '【A】在线，离线补充');
      const C = editor(d.id, 'county_admin');
      await C.synced();
      assert.equal(C.json().t, '【A】在线，离线补充', 'the offline edit was stored');
    });

    test('viewers and commenters read, but their edits are dropped with a permission message', async () => {
      const d = await create('只读成员', [
        { kind: 'account', target: ids.resident, role: 'viewer' },
        { kind: 'account', target: ids.party_member, role: 'commenter' },
      ]);
      const A = editor(d.id, 'village_cadre');
      await A.synced();
      A.text.insert(0, '原文不可改');
      A.map.set('k', '原值');
      const V = peer(srv, d.id, { token: as('resident').token, name: acct('resident').name });
      const Cm = peer(srv, d.id, { token: as('party_member').token, name: acct('party_member').name });
      await Promise.all([V.synced(), Cm.synced()]);
      const original = await converged([A, V, Cm], (j) => j.t === '原文不可改' && j.m.k === '原值');
      assert.deepEqual(V.auth(), [], 'reading is allowed: no permission message before an edit');

      V.text.insert(0, '偷改');
      V.map.set('k', '被改');
      Cm.arr.push(['评论者写入']);
      const denied = await until(() => V.auth().length > 0 && Cm.auth().length > 0 && [V.auth()[0], Cm.auth()[0]], 'permission messages');
      for (const f of denied) assert.deepEqual(f, { type: 2, perm: 0, reason: 'read-only' });
      await sleep(700);
      assert.deepEqual(A.json(), original, 'the editor never sees a read-only member\'s edit');
      assert.ok(V.provider.wsconnected && Cm.provider.wsconnected, 'the connections stay open');
      assert.deepEqual(V.closes, []);

      // After reconnecting, the viewer offers its edit again (SyncStep2): dropped again.
      const before = V.auth().length;
      V.provider.disconnect();
      V.provider.connect();
      await V.synced();
      await until(() => V.auth().length > before, 'a second permission message after the reconnect');
      await sleep(300);
      const N = editor(d.id, 'county_admin');
      await N.synced();
      assert.deepEqual(N.json(), original, 'the server\'s state lacks the read-only edits');
      assert.deepEqual(A.json(), original);
      assert.ok(V.json().t.startsWith('偷改'), 'the viewer keeps its local edit (sanity)');
      wellFormed(V.frames, 'viewer');
    });

    test('awareness: editors see each other; a departed connection\'s state is removed for the others', async () => {
      const d = await create('在线状态');
      const A = editor(d.id, 'village_cadre', '聂秀（村）');
      const B = editor(d.id, 'town_official', '刘蕊林（镇）');
      await Promise.all([A.synced(), B.synced()]);
      const bId = B.doc.clientID;
      await until(() => A.provider.awareness.getStates().get(bId)?.user?.name === '刘蕊林（镇）', 'A sees B');
      await until(() => B.provider.awareness.getStates().get(A.doc.clientID)?.user?.name === '聂秀（村）', 'B sees A');
      // The server echoes awareness to its sender (the keep-alive of a lone client).
      await until(() => B.frames.some((f) => f.type === 1 && f.states.some((s) => s.client === bId && s.state?.user?.name === '刘蕊林（镇）')),
        'B hears its own awareness back');
      // A state change travels too.
      B.provider.awareness.setLocalStateField('cursor', { index: 3 });
      await until(() => A.provider.awareness.getStates().get(bId)?.cursor?.index === 3, 'A sees B\'s cursor');
      // B vanishes without saying goodbye (no null state from the client): the server removes it.
      B.provider.shouldConnect = false;
      B.provider.ws.terminate();
      const t0 = Date.now();
      await until(() => !A.provider.awareness.getStates().has(bId), 'B\'s state removed for A', 5000);
      assert.ok(Date.now() - t0 < 5000, 'well before the 30 s awareness timeout');
      const removal = A.frames.find((f) => f.type === 1 && f.states.some((s) => s.client === bId && s.state === null));
      assert.ok(removal, `the server sent B's null state: ${show(A.frames)}`);
      wellFormed(A.frames, 'A');
    });

    test('refusals close with 4401, 4403 or 4404, and y-websocket does not retry them', async () => {
      const d = await create('拒绝连接');
      const gone = await create('已删除');
      assert.equal((await as('village_cadre').req('DELETE', `/api/v1/docs/${gone.id}`)).status, 204);
      const form = await as('village_cadre').post('/api/v1/docs', {
        kind: 'form', title: '不是文档', region_code: acct('village_cadre').region_code,
        form: { fields: [{ id: 'a', type: 'text', label: '姓名' }] },
      });
      assert.equal(form.status, 201, form.text);
      const browser = new Client(srv.baseUrl, { cookie: true });
      assert.equal((await browser.login(acct('village_cadre').phone, srv.password)).status, 200);
      const cases = [
        ['no token', d.id, undefined, 4401],
        ['an unknown token', d.id, 'not-a-session-token', 4401],
        ['a resident without access', d.id, as('resident').token, 4404],
        ['a cadre of another village', d.id, as('village_cadre', 2).token, 4404],
        ['a document that does not exist', randomUUID(), as('village_cadre').token, 4404],
        ['a deleted document', gone.id, as('village_cadre').token, 4404],
        ['a form (forms are not co-edited)', form.json.id, as('village_cadre').token, 4403],
        ['the cookie sent by another site', d.id, undefined, 4403,
          { cookie: browser.cookie, origin: 'https://evil.example' }],
      ];
      const peers = cases.map(([what, id, token, , headers]) => peer(srv, id, { token, headers, name: what }));
      await sleep(3000);
      cases.forEach(([what, , , code], i) => {
        const p = peers[i];
        assert.equal(p.sockets.length, 1, `${what}: one connection attempt, no retry (${JSON.stringify(p.closes)})`);
        assert.deepEqual(p.closes.map((c) => c?.code), [code], `${what}: closed with ${code}`);
        assert.equal(p.terminal.length, 1, `${what}: y-websocket saw a terminal close`);
        assert.equal(p.provider.synced, false, `${what}: never synced`);
        assert.ok(!p.frames.some((f) => f.type === 0), `${what}: no document data before the refusal: ${show(p.frames)}`);
      });
      // The same refusals seen by a bare socket: the upgrade succeeds, then the close code.
      const R = raw(srv, d.id, { token: as('resident').token });
      await R.opened;
      assert.equal((await R.closed()).code, 4404);
      assert.deepEqual(R.frames, [], 'nothing about the document is sent');
    });

    test('changed shares close open connections with 1012; they come back with the new role', async () => {
      const d = await create('角色变化', [{ kind: 'account', target: ids.resident, role: 'viewer' }]);
      const A = editor(d.id, 'village_cadre');
      await A.synced();
      A.text.insert(0, '原文');
      const V = peer(srv, d.id, { token: as('resident').token, name: '先看后写' });
      await V.synced();
      await converged([A, V], (j) => j.t === '原文');
      V.text.insert(0, '【被拒】');
      await until(() => V.auth().length > 0, 'refused as a viewer');
      await sleep(300);
      assert.equal(A.text.toString(), '原文');
      // Promoted to editor (PUT replaces every share: keep the others).
      const r = await as('village_cadre').req('PUT', `/api/v1/docs/${d.id}/shares`, { body: { shares: [
        { kind: 'account', target: ids.town_official, role: 'editor' },
        { kind: 'account', target: ids.county_admin, role: 'editor' },
        { kind: 'account', target: ids.resident, role: 'editor' },
      ] } });
      assert.equal(r.status, 200, r.text);
      await until(() => V.closes.some((c) => c?.code === 1012), 'the viewer\'s connection closed with 1012');
      await until(() => V.sockets.length >= 2 && V.provider.synced, 'the provider reconnected by itself');
      // Now its offline-kept edit and a new one are accepted.
      V.text.insert(V.text.length, '，升级后补充');
      await converged([A, V], (j) => j.t === '【被拒】原文，升级后补充');
      const N = editor(d.id, 'county_admin');
      await N.synced();
      assert.equal(N.text.toString(), '【被拒】原文，升级后补充', 'stored');
      // Demoted again: the next edit is refused.
      const back = await as('village_cadre').req('PUT', `/api/v1/docs/${d.id}/shares`, { body: { shares: [
        { kind: 'account', target: ids.resident, role: 'viewer' },
      ] } });
      assert.equal(back.status, 200);
      const sockets = V.sockets.length;
      await until(() => V.sockets.length > sockets && V.provider.synced, 'reconnected after the demotion');
      const denied = V.auth().length;
      V.text.insert(0, '再改');
      await until(() => V.auth().length > denied, 'refused again');
      await sleep(300);
      assert.equal(A.text.toString(), '【被拒】原文，升级后补充');
    });

    test('deleting a document closes its connections with 4404, not retried', async () => {
      const d = await create('删除时在线');
      const A = editor(d.id, 'village_cadre');
      const B = editor(d.id, 'town_official');
      await Promise.all([A.synced(), B.synced()]);
      A.text.insert(0, '即将删除');
      await converged([A, B], (j) => j.t === '即将删除');
      assert.equal((await as('village_cadre').req('DELETE', `/api/v1/docs/${d.id}`)).status, 204);
      await until(() => A.terminal.length === 1 && B.terminal.length === 1, 'both closed for good');
      await sleep(1000);
      for (const p of [A, B]) {
        assert.deepEqual(p.closes.map((c) => c?.code), [4404], p.name);
        assert.equal(p.sockets.length, 1, `${p.name}: not retried`);
      }
    });

    test('malformed frames close with 4400 and change nothing', async () => {
      const d = await create('坏帧');
      const A = editor(d.id, 'village_cadre');
      await A.synced();
      A.text.insert(0, '完好的内容🙂');
      A.map.set('ok', true);
      const B = editor(d.id, 'town_official');
      await B.synced();
      const want = await converged([A, B], (j) => j.t === '完好的内容🙂' && j.m.ok === true);

      const garbage = [
        new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
        // "你好" in root text t by client 7, cut inside the string.
        new Uint8Array([0x01, 0x01, 0x07, 0x00, 0x04, 0x01, 0x01, 0x74, 0x06, 0xe4, 0xbd, 0xa0]),
        // One struct with an unknown content kind (31).
        new Uint8Array([0x01, 0x01, 0x07, 0x00, 0x1f, 0x01, 0x01, 0x74, 0x00, 0x00]),
      ];
      for (const g of garbage) assert.throws(() => Y.decodeUpdate(g), `Yjs itself refuses ${Buffer.from(g).toString('hex')}`);
      const cases = [
        ['a truncated varUint', new Uint8Array([0x80])],
        ['a sync message without its sync type', new Uint8Array([0x00])],
        ['a varUint that never ends', new Uint8Array([0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
        ['a huge length prefix', new Uint8Array([0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02, 0x03])],
        ['an awareness length past the end', new Uint8Array([0x01, 0x10, 0x01, 0x02])],
        ['unknown message type 9', new Uint8Array([0x09])],
        ['unknown message type 9 with a payload', new Uint8Array([0x09, 0x00, 0x00])],
        ['unknown sync type 7', new Uint8Array([0x00, 0x07, 0x00])],
        ...garbage.map((g, i) => [`garbage update ${i}`, syncUpdate(g, 2)]),
        ['garbage SyncStep2', syncUpdate(garbage[1], 1)],
      ];
      const results = await Promise.all(cases.map(async ([what, bytes]) => {
        const R = raw(srv, d.id, { token: as('county_admin').token });
        await R.opened;
        await R.next((f) => f.type === 0 && f.sync === 0);  // signed in and attached
        R.send(bytes);
        return [what, (await R.closed()).code];
      }));
      for (const [what, code] of results) assert.equal(code, 4400, what);

      // Nothing was stored or broadcast; the editors are still connected and still work.
      await sleep(300);
      assert.deepEqual(A.json(), want);
      assert.deepEqual(B.json(), want);
      assert.ok(A.provider.wsconnected && B.provider.wsconnected);
      wellFormed(A.frames, 'A');
      const N = editor(d.id, 'county_admin');
      await N.synced();
      assert.deepEqual(N.json(), want, 'a new joiner gets the intact document');
      assert.deepEqual(N.sv(), A.sv());
      A.text.insert(A.text.length, '，继续编辑');
      await converged([A, B, N], (j) => j.t === '完好的内容🙂，继续编辑');
    });

    test('a frame over 2 MiB closes with 1009; one just under is accepted; the server lives on', async () => {
      const d = await create('大帧');
      const A = editor(d.id, 'village_cadre');
      await A.synced();
      A.text.insert(0, '小');
      await until(async () => {
        const N = raw(srv, d.id, { token: as('county_admin').token });
        await N.opened;
        const f = await N.next((x) => x.type === 0 && x.sync === 0);
        N.destroy();
        return Y.decodeStateVector(f.payload).get(A.doc.clientID) === 1;
      }, 'the first edit stored');
      // A valid update of about 2.1 MiB (so only its size can be the reason).
      const big = new Y.Doc();
      big.getText('t').insert(0, 'x'.repeat(2 * MiB + 64 * 1024));
      const bigUpdate = Y.encodeStateAsUpdate(big);
      big.destroy();
      const R = raw(srv, d.id, { token: as('town_official').token });
      await R.opened;
      await R.next((f) => f.type === 0 && f.sync === 0);
      R.send(syncUpdate(bigUpdate));
      assert.equal((await R.closed(10000)).code, 1009);
      const health = await new Client(srv.baseUrl).get('/api/v1/health');
      assert.equal(health.status, 200);
      await sleep(200);
      assert.equal(A.json().t, '小', 'the oversized update reached nobody');

      // 1.5 MiB fits.
      const mid = new Y.Doc();
      mid.getText('t').insert(0, '中'.repeat(512 * 1024));  // 1.5 MiB of UTF-8
      const midUpdate = Y.encodeStateAsUpdate(mid);
      mid.destroy();
      assert.ok(midUpdate.length > 1.4 * MiB && midUpdate.length < 2 * MiB - 16);
      const M = raw(srv, d.id, { token: as('town_official').token });
      await M.opened;
      await M.next((f) => f.type === 0 && f.sync === 0);
      M.send(syncUpdate(midUpdate));
      await until(() => A.text.length === 1 + 512 * 1024, 'the editor receives the 1.5 MiB update', 10000);
      assert.equal((await M.closed(300)).code, 'still open');
      const N = editor(d.id, 'county_admin');
      await N.synced(10000);
      assert.equal(N.text.length, 1 + 512 * 1024);
      assert.deepEqual(N.sv(), A.sv());
    });

    test('a flood of frames closes with 4429', async () => {
      const d = await create('刷屏');
      const R = raw(srv, d.id, { token: as('village_cadre').token });
      await R.opened;
      await R.next((f) => f.type === 0 && f.sync === 0);
      const empty = syncUpdate(new Uint8Array([0, 0]));  // the empty update: ignored, but counted
      for (let i = 0; i < 3000; i++) R.send(empty);
      assert.equal((await R.closed(5000)).code, 4429);
      // Another connection of the same account is not affected.
      const A = editor(d.id, 'village_cadre');
      await A.synced();
      A.text.insert(0, '正常');
      const B = editor(d.id, 'town_official');
      await B.synced();
      await converged([A, B], (j) => j.t === '正常');
    });

    test('the session cookie works from this site; with a cross-site Origin it closes with 4403', async () => {
      const d = await create('Cookie 登录');
      const browser = new Client(srv.baseUrl, { cookie: true });
      assert.equal((await browser.login(acct('town_official').phone, srv.password)).status, 200);
      assert.match(browser.cookie, /^sid=/);
      const A = editor(d.id, 'village_cadre');
      await A.synced();
      A.text.insert(0, '同源');
      const same = peer(srv, d.id, { headers: { cookie: browser.cookie, origin: srv.baseUrl }, name: 'cookie' });
      await same.synced();
      await converged([A, same], (j) => j.t === '同源');
      same.text.insert(2, '可写');
      await converged([A, same], (j) => j.t === '同源可写');
      assert.deepEqual(same.auth(), [], 'a cookie session of an editor may write');

      // A cookie sent by another site's page: the upgrade succeeds and the server closes at once
      // with 4403 (y-websocket does not retry it), sending nothing about the document.
      for (const origin of ['https://evil.example', 'http://127.0.0.1:1', 'null']) {
        const R = raw(srv, d.id, { headers: { cookie: browser.cookie, origin } });
        await R.opened;
        assert.equal((await R.closed(5000)).code, 4403, origin);
        assert.deepEqual(R.frames, [], `${origin}: nothing about the document is sent`);
      }
      // Without the cookie it is simply not signed in.
      const anon = raw(srv, d.id, { headers: { origin: srv.baseUrl } });
      await anon.opened;
      assert.equal((await anon.closed()).code, 4401);
      // A bearer token in the query works from anywhere (a foreign page cannot know it).
      const T = raw(srv, d.id, { token: as('town_official').token, headers: { origin: 'https://evil.example' } });
      await T.opened;
      const first = await T.next(() => true);
      assert.equal(first.type, 0);
      assert.equal(first.sync, 0);
    });

    test('more than 100 stored updates are compacted without losing anything', async () => {
      const d = await create('压缩');
      const A = editor(d.id, 'village_cadre');
      await A.synced();
      for (let i = 0; i < 150; i++) {
        A.text.insert(A.text.length, `${i % 10}`);
        if (i % 3 === 0) A.arr.push([i]);
        if (i % 50 === 49) A.text.delete(0, 1);
        await sleep(2);
      }
      A.map.set('done', '完成');
      const B = editor(d.id, 'town_official');
      await B.synced();
      const want = await converged([A, B], (j) => j.m.done === '完成' && j.t.length === 147);
      A.destroy();
      B.destroy();
      await sleep(500);  // the last connection left: the server merges
      const C = editor(d.id, 'county_admin');
      await C.synced();
      assert.deepEqual(C.json(), want);
      const R = raw(srv, d.id, { token: as('county_admin').token });
      await R.opened;
      R.send(syncStep1(new Uint8Array([0])));
      const f = await R.next((x) => x.type === 0 && x.sync === 1);
      const fresh = new Y.Doc();
      fresh.getText('t'); fresh.getMap('m'); fresh.getArray('a');
      Y.applyUpdate(fresh, f.payload);
      assert.deepEqual(fresh.toJSON(), want, 'the merged state is the same document');
      fresh.destroy();
    });

    if (db === 'sqlite') {
      test('a lone idle client stays connected for 40 s', { timeout: 60000 }, async () => {
        const { r, e } = await idle;
        if (e) throw e;
        assert.deepEqual(r.drops, [], 'wsconnected stayed true');
        assert.ok(!r.statuses.includes('disconnected'), `status events: ${r.statuses}`);
        assert.equal(r.sockets, 1, 'one connection, never re-opened');
        assert.deepEqual(r.closes, []);
        assert.ok(r.echoes >= 3, `its awareness came back at connect and at each 15 s renewal (${r.echoes})`);
        wellFormed(r.frames, 'idle');
      });
    }

    test('a restart keeps the document: after SIGTERM, and an edit another client saw survives SIGKILL', { timeout: 120000 }, async () => {
      const d = await create('重启');
      const A = editor(d.id, 'village_cadre');
      const B = editor(d.id, 'town_official');
      await Promise.all([A.synced(), B.synced()]);
      A.text.insert(0, '重启前写下的文字📌');
      B.map.set('版本', 1);
      const want = await converged([A, B], (j) => j.t === '重启前写下的文字📌' && j.m.版本 === 1);
      const sv = A.sv();
      A.destroy();
      B.destroy();

      const relaunch = async () => {
        const s = await launch(srv.dbUrl, { keyFile: srv.keyFile, files: join(srv.dir, 'files') });
        procs.push(s.proc);
        return { ...srv, baseUrl: s.baseUrl, proc: s.proc };
      };
      assert.equal(await stopProcess(srv.proc), 0, 'a clean stop');
      const s1 = await relaunch();
      const C = peer(s1, d.id, { token: as('county_admin').token, name: 'after restart' });
      await C.synced(10000);
      assert.deepEqual(C.json(), want);
      assert.deepEqual(C.sv(), sv);

      // An edit is stored before anyone else sees it: once D has it, killing the server loses nothing.
      const D = peer(s1, d.id, { token: as('town_official').token, name: 'D' });
      await D.synced();
      C.text.insert(C.text.length, '，杀进程前');
      await until(() => D.text.toString().endsWith('杀进程前'), 'D sees C\'s edit');
      await stopProcess(s1.proc, 'SIGKILL');
      const s2 = await relaunch();
      const E = peer(s2, d.id, { token: as('village_cadre').token, name: 'E' });
      await E.synced(10000);
      assert.equal(E.text.toString(), '重启前写下的文字📌，杀进程前');
      assert.deepEqual(E.map.toJSON(), { 版本: 1 });
      const h = await new Client(s2.baseUrl).get('/api/v1/health');
      assert.equal(h.status, 200);
    });
  });
}
