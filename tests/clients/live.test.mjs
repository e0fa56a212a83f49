// Live events over /api/v1/ws with a real WebSocket client (npm ws): delivery within a second,
// resume after a disconnect without loss or duplicates, reset when too far behind, the access
// rules of the handshake — and, on PostgreSQL, delivery across two instances sharing a database.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { startServer, launch, stopProcess, stopSharedPostgres } from '../support/server.mjs';
import { Client } from '../support/client.mjs';
import { account, signIn } from '../support/accounts.mjs';

// A WebSocket that collects frames; next(pred) waits for a matching one.
function connect(baseUrl, { token, cookie, origin, since } = {}) {
  const url = baseUrl.replace('http', 'ws') + '/api/v1/ws' + (since !== undefined ? `?since=${since}` : '');
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  const ws = new WebSocket(url, { headers });
  const frames = [];
  const waiters = [];
  ws.on('message', (m) => {
    const f = JSON.parse(m.toString());
    f.receivedAt = Date.now();
    frames.push(f);
    for (const w of [...waiters]) if (w.pred(f)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(f); }
  });
  const opened = new Promise((res, rej) => {
    ws.once('open', res);
    ws.once('unexpected-response', (_req, r) => rej(Object.assign(new Error(`HTTP ${r.statusCode}`), { status: r.statusCode })));
    ws.once('error', rej);
  });
  return {
    ws, frames, opened,
    next(pred, ms = 3000) {
      const hit = frames.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        setTimeout(() => reject(new Error(`no matching frame in ${ms} ms; got ${JSON.stringify(frames)}`)), ms).unref();
      });
    },
    close() { ws.terminate(); },
  };
}

for (const db of ['sqlite', 'postgres']) {
  describe(`live events on ${db}`, () => {
    let srv, admin, resident, village;
    before(async () => {
      srv = await startServer({ db, residents: 500 });
      admin = await signIn(srv, account(srv, 'county_admin'));
      resident = await signIn(srv, account(srv, 'resident'));
      village = account(srv, 'resident').region_code;
    });
    after(async () => { await srv?.stop(); if (db === 'postgres') await stopSharedPostgres(); });

    const publish = (title, regions = [village]) => admin.post('/api/v1/notices', { title, body: '正文', audience: { regions } },
      { headers: { 'idempotency-key': randomUUID() } });

    test('a recipient online sees a new notice within a second; others do not', async () => {
      const me = connect(srv.baseUrl, { token: resident.token });
      const other = connect(srv.baseUrl, { token: admin.token });
      await Promise.all([me.opened, other.opened]);
      await me.next((f) => f.type === 'hello');
      const t0 = Date.now();
      const n = (await publish('实时送达')).json;
      const ev = await me.next((f) => f.type === 'event' && f.data.id === n.id);
      assert.equal(ev.event, 'notice.published');
      assert.equal(ev.data.title, '实时送达');
      assert.ok(ev.receivedAt - t0 < 1000, `${ev.receivedAt - t0} ms`);
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(!other.frames.some((f) => f.type === 'event' && f.data.id === n.id), 'the admin is not in the audience');
      me.close();
      other.close();
    });

    test('after a disconnect the client resumes from its last event and misses nothing', async () => {
      const a = connect(srv.baseUrl, { token: resident.token });
      await a.opened;
      const first = (await publish('第一条')).json;
      const ev1 = await a.next((f) => f.type === 'event' && f.data.id === first.id);
      a.close();
      const missed = [(await publish('断线期间一')).json.id, (await publish('断线期间二')).json.id];
      const elsewhere = (await publish('别村的', [account(srv, 'village_cadre', 2).region_code])).json;
      assert.ok(elsewhere.id);
      const b = connect(srv.baseUrl, { token: resident.token, since: ev1.seq });
      await b.opened;
      const got = [];
      for (const id of missed) got.push(await b.next((f) => f.type === 'event' && f.data.id === id));
      assert.deepEqual(got.map((f) => f.data.id), missed, 'in order');
      assert.ok(got[0].seq > ev1.seq && got[1].seq > got[0].seq);
      const live = (await publish('重连之后')).json;
      await b.next((f) => f.type === 'event' && f.data.id === live.id);
      const ids = b.frames.filter((f) => f.type === 'event').map((f) => f.data.id);
      assert.equal(new Set(ids).size, ids.length, 'no duplicates');
      assert.ok(!ids.includes(first.id), 'nothing from before the resume point');
      assert.ok(!ids.includes(elsewhere.id), 'nothing addressed to another village');
      assert.ok(!b.frames.some((f) => f.type === 'reset'));
      b.close();
    });

    test('the publisher hears when people read, at most every few seconds', async () => {
      const pub = connect(srv.baseUrl, { token: admin.token });
      await pub.opened;
      await pub.next((f) => f.type === 'hello');
      const n = (await publish('阅读进度')).json;
      assert.equal((await resident.post(`/api/v1/notices/${n.id}/read`, {})).status, 200);
      const ev = await pub.next((f) => f.type === 'event' && f.event === 'notice.progress' && f.data.id === n.id);
      assert.equal(ev.data.title, '阅读进度');
      pub.close();
    });

    test('a resume point from the future asks the client to reload', async () => {
      const c = connect(srv.baseUrl, { token: resident.token, since: 1e12 });
      await c.opened;
      await c.next((f) => f.type === 'reset');
      c.ws.send(JSON.stringify({ type: 'ping' }));
      await c.next((f) => f.type === 'pong');
      c.close();
    });

    test('the handshake needs a session, and a cookie only from this site', async () => {
      await assert.rejects(connect(srv.baseUrl, {}).opened, (e) => e.status === 401);
      const cookieClient = new Client(srv.baseUrl, { cookie: true });
      await cookieClient.login(account(srv, 'resident').phone, srv.password);
      await assert.rejects(connect(srv.baseUrl, { cookie: cookieClient.cookie, origin: 'https://evil.example' }).opened,
        (e) => e.status === 403);
      const ok = connect(srv.baseUrl, { cookie: cookieClient.cookie, origin: srv.baseUrl });
      await ok.opened;
      await ok.next((f) => f.type === 'hello');
      ok.close();
      const plain = await resident.get('/api/v1/ws');
      assert.equal(plain.status, 426);
    });

    if (db === 'postgres') {
      test('an event published on one instance reaches a client of another', async () => {
        const second = await launch(srv.dbUrl, { keyFile: srv.keyFile, files: srv.dir + '/files' });
        try {
          const r2 = new Client(second.baseUrl);
          await r2.login(account(srv, 'resident').phone, srv.password);
          const c = connect(second.baseUrl, { token: r2.token });
          await c.opened;
          await c.next((f) => f.type === 'hello');
          const n = (await publish('跨实例')).json;  // on the first instance
          const ev = await c.next((f) => f.type === 'event' && f.data.id === n.id);
          assert.equal(ev.data.title, '跨实例');
          c.close();
        } finally {
          await stopProcess(second.proc);
        }
      });
    }
  });
}
