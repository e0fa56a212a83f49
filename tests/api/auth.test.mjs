// Accounts and sessions: sign-in, sign-up, cookies and bearer tokens, CSRF, logout, login limits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { Client, randomPhone } from '../support/client.mjs';
import { account } from '../support/accounts.mjs';

let srv;
before(async () => { srv = await startServer({ residents: 200 }); });
after(async () => { await srv?.stop(); });

const acct = (role) => account(srv, role);

test('every role has a demo account', () => {
  for (const role of ['county_admin', 'unit_staff', 'town_official', 'village_cadre', 'party_member', 'resident'])
    assert.ok(acct(role), role);
  for (const a of srv.accounts) {
    assert.match(a.phone, /^1[3-9]\d{9}$/);
    assert.match(a.region_code, /^\d{12}$/);
    assert.ok(a.name.length >= 2);
  }
});

test('sign-in returns a token, a CSRF token and an HttpOnly SameSite cookie', async () => {
  const c = new Client(srv.baseUrl);
  const r = await c.login(acct('county_admin').phone, srv.password);
  assert.equal(r.status, 200);
  assert.match(r.json.token, /^[A-Za-z0-9_-]{22}$/);
  assert.ok(r.json.csrf_token);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /^sid=/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.equal(r.json.user.roles[0].role, 'county_admin');
  assert.deepEqual(r.json.user.county, { code: '500238000000', name: '巫溪县' });
  assert.match(r.json.user.phone_masked, /^\d{3}\*{4}\d{4}$/);
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.id, r.json.user.id);
});

test('wrong password and unknown phone answer the same 401', async () => {
  const c = new Client(srv.baseUrl);
  const a = await c.login(acct('party_member').phone, 'not-the-password');
  const b = await c.login(randomPhone(), 'not-the-password');
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(a.json.detail, b.json.detail);
});

test('no session answers 401 on protected routes', async () => {
  const r = await fetch(`${srv.baseUrl}/api/v1/me`);
  assert.equal(r.status, 401);
  const bad = await fetch(`${srv.baseUrl}/api/v1/me`, { headers: { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAA' } });
  assert.equal(bad.status, 401);
});

test('cookie writes need the CSRF token and a same-site Origin; bearer writes do not', async () => {
  const c = new Client(srv.baseUrl, { cookie: true });
  await c.signup('测试用户', randomPhone(), 'longpassword1');
  const body = { village_code: acct('village_cadre').region_code, name: '测试用户', id_number: '11010519491231002X' };
  // No CSRF token.
  let r = await c.req('POST', '/api/v1/join-requests', { body, headers: { origin: srv.baseUrl } });
  assert.equal(r.status, 403);
  // Token, but a foreign Origin.
  r = await c.req('POST', '/api/v1/join-requests', { body, headers: { origin: 'https://evil.example', 'x-csrf-token': c.csrf } });
  assert.equal(r.status, 403);
  // Token and our Origin.
  r = await c.write('POST', '/api/v1/join-requests', body);
  assert.equal(r.status, 201, r.text);
  // Bearer clients are not subject to CSRF (no ambient credentials).
  const b = new Client(srv.baseUrl);
  await b.signup('另一用户', randomPhone(), 'longpassword1');
  r = await b.post('/api/v1/join-requests', body);
  assert.equal(r.status, 201, r.text);
});

test('logout revokes the session', async () => {
  const c = new Client(srv.baseUrl);
  await c.login(acct('resident').phone, srv.password);
  assert.equal((await c.get('/api/v1/me')).status, 200);
  assert.equal((await c.post('/api/v1/auth/logout')).status, 204);
  assert.equal((await c.get('/api/v1/me')).status, 401);
});

test('sign-up validates input and refuses a phone already registered', async () => {
  const c = new Client(srv.baseUrl);
  let r = await c.signup('', randomPhone(), 'longpassword1');
  assert.equal(r.status, 422);
  assert.equal(r.json.errors[0].field, 'name');
  r = await c.signup('张三', '12345', 'longpassword1');
  assert.equal(r.status, 422);
  r = await c.signup('张三', randomPhone(), '12345678');
  assert.equal(r.status, 422);
  assert.equal(r.json.errors[0].field, 'password');
  r = await c.signup('张三', acct('resident').phone, 'longpassword1');
  assert.equal(r.status, 409);
});

test('sign-up replays with the same Idempotency-Key create one account', async () => {
  const phone = randomPhone();
  const key = crypto.randomUUID();
  const send = () => fetch(`${srv.baseUrl}/api/v1/auth/signup`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ name: '王五', phone, password: 'longpassword1' }),
  });
  const a = await send();
  const b = await send();
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.equal((await a.json()).user.id, (await b.json()).user.id);
});

test('after 5 failed sign-ins an account is locked for 15 minutes, even with the right password', async () => {
  const phone = acct('town_official').phone;
  const c = new Client(srv.baseUrl);
  for (let i = 0; i < 5; i++) assert.equal((await c.login(phone, 'wrong-password-' + i)).status, 401);
  const r = await c.login(phone, srv.password);
  assert.equal(r.status, 429);
  assert.match(r.json.detail, /15 minutes/);
  // Another account is unaffected.
  assert.equal((await new Client(srv.baseUrl).login(acct('unit_staff').phone, srv.password)).status, 200);
});

test('behind a trusted TLS proxy the session cookie is Secure and __Host- prefixed', async () => {
  const { launch, stopProcess } = await import('../support/server.mjs');
  const proxied = await launch(srv.dbUrl, { keyFile: srv.keyFile, env: { SHUXIANG_TRUST_PROXY: '1' } });
  try {
    const r = await fetch(`${proxied.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
      body: JSON.stringify({ phone: acct('village_cadre').phone, password: srv.password }),
    });
    assert.equal(r.status, 200);
    const cookie = r.headers.get('set-cookie');
    assert.match(cookie, /^__Host-sid=/);
    assert.match(cookie, /Secure/);
    // Without the proxy setting, the same headers change nothing.
    const plain = await fetch(`${srv.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ phone: acct('village_cadre').phone, password: srv.password }),
    });
    assert.match(plain.headers.get('set-cookie'), /^sid=/);
  } finally {
    await stopProcess(proxied.proc);
  }
});

test('an address with too many failed sign-ins is limited too (last: it blocks this address)', async () => {
  const c = new Client(srv.baseUrl);
  let limited = false;
  for (let i = 0; i < 40 && !limited; i++) {
    const r = await c.login(randomPhone(), 'wrong-password');
    if (r.status === 429) limited = true;
    else assert.equal(r.status, 401);
  }
  assert.ok(limited, 'per-address limit never triggered');
  const r = await c.login(acct('county_admin').phone, srv.password);
  assert.equal(r.status, 429);
});
