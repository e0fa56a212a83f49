// The server core: health, problem+json errors, header and body limits, metrics, static files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../support/server.mjs';

let srv;
before(async () => { srv = await startServer({ residents: 200 }); });
after(async () => { await srv?.stop(); });

function rawRequest(baseUrl, payload) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), hostname, () => sock.write(payload));
    let data = '';
    sock.on('data', (d) => { data += d; });
    sock.on('end', () => resolve(data));
    sock.on('error', (e) => (data ? resolve(data) : reject(e)));
    sock.setTimeout(10000, () => { sock.destroy(); resolve(data); });
  });
}

test('health reports status, version and database kind', async () => {
  const r = await fetch(`${srv.baseUrl}/api/v1/health`);
  assert.equal(r.status, 200);
  const j = await r.json();
  assert.equal(j.status, 'ok');
  assert.match(j.version, /^\d+\.\d+\.\d+$/);
  assert.equal(j.database, 'sqlite');
});

test('unknown API paths answer problem+json 404, wrong methods 405', async () => {
  const r = await fetch(`${srv.baseUrl}/api/v1/nope`);
  assert.equal(r.status, 404);
  assert.match(r.headers.get('content-type'), /application\/problem\+json/);
  const j = await r.json();
  assert.equal(j.status, 404);
  assert.ok(j.title && j.detail);
  const m = await fetch(`${srv.baseUrl}/api/v1/health`, { method: 'DELETE' });
  assert.equal(m.status, 405);
});

test('headers over 8 KiB are refused with 431', async () => {
  const big = 'x'.repeat(9000);
  const res = await rawRequest(srv.baseUrl,
    `GET /api/v1/health HTTP/1.1\r\nHost: t\r\nX-Big: ${big}\r\n\r\n`);
  assert.match(res, /^HTTP\/1\.1 431 /);
});

test('a body over 1 MiB is refused with 413 from its Content-Length, unread', async () => {
  // Announce 5 MiB but send only the headers: the server must answer without waiting for it.
  const res = await rawRequest(srv.baseUrl,
    'POST /api/v1/people HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n' +
    `Content-Length: ${5 * 1024 * 1024}\r\n\r\n`);
  assert.match(res, /^HTTP\/1\.1 413 /);
  assert.match(res, /problem\+json/);
});

test('a chunked body over the limit is refused with 413', async () => {
  const chunk = 'a'.repeat(64 * 1024);
  let payload = 'POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n';
  for (let i = 0; i < 4; i++) payload += `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
  payload += '0\r\n\r\n';
  const res = await rawRequest(srv.baseUrl, payload);
  assert.match(res, /^HTTP\/1\.1 413 /);
});

test('malformed JSON is a 400 problem, not a crash', async () => {
  const r = await fetch(`${srv.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"phone": ',
  });
  assert.equal(r.status, 400);
  const j = await r.json();
  assert.match(j.detail, /JSON/);
});

test('metrics are Prometheus text with per-route counts and latency histograms', async () => {
  await fetch(`${srv.baseUrl}/api/v1/health`);
  const r = await fetch(`${srv.baseUrl}/metrics`);
  assert.equal(r.status, 200);
  const t = await r.text();
  assert.match(t, /shuxiang_http_requests_total\{route="GET \/api\/v1\/health",code="2xx"\} \d+/);
  assert.match(t, /shuxiang_http_request_duration_seconds_bucket\{route="GET \/api\/v1\/health",le="\+Inf"\} \d+/);
  assert.match(t, /shuxiang_db_write_queue_depth \d+/);
  assert.match(t, /shuxiang_db_read_pool_size 16/);
});

test('slow clients are cut off by the header timeout', { timeout: 30000 }, async () => {
  const { hostname, port } = new URL(srv.baseUrl);
  const closed = await new Promise((resolve) => {
    const sock = net.connect(Number(port), hostname, () => sock.write('GET /api/v1/health HTTP/1.1\r\n'));
    const t0 = Date.now();
    sock.on('close', () => resolve(Date.now() - t0));
    sock.on('error', () => {});
  });
  assert.ok(closed < 25000, `closed after ${closed} ms`);
});

test('/ redirects phones to /m/ and desktops to /admin/', async () => {
  const phone = await fetch(`${srv.baseUrl}/`, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (iPhone) Mobile MicroMessenger' } });
  assert.equal(phone.status, 302);
  assert.equal(phone.headers.get('location'), '/m/');
  const desk = await fetch(`${srv.baseUrl}/`, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' } });
  assert.equal(desk.headers.get('location'), '/admin/');
});
