// Static files: the web app from --web DIR with cache headers, precompressed variants and
// history-mode fallback for /m/ and /admin/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, launch, stopProcess, runCli } from '../support/server.mjs';

let srv, web, db;
before(async () => {
  web = mkdtempSync(join(tmpdir(), 'sxweb-'));
  for (const d of ['m', 'admin', 'assets']) mkdirSync(join(web, d));
  writeFileSync(join(web, 'm/index.html'), '<!doctype html><title>数乡</title><div id=app>mobile</div>');
  writeFileSync(join(web, 'admin/index.html'), '<!doctype html><title>数乡</title><div id=app>admin</div>');
  const js = 'console.log("数乡");'.repeat(200);
  writeFileSync(join(web, 'assets/app-1a2b3c.js'), js);
  writeFileSync(join(web, 'assets/app-1a2b3c.js.gz'), gzipSync(js));
  writeFileSync(join(web, 'assets/app-1a2b3c.js.br'), brotliCompressSync(js));
  db = await freshDatabase('sqlite');
  runCli(['migrate', '--db', db.dbUrl, '--key-file', db.keyFile]);
  srv = await launch(db.dbUrl, { web, keyFile: db.keyFile });
});
after(async () => {
  await stopProcess(srv.proc);
  rmSync(web, { recursive: true, force: true });
  rmSync(db.dir, { recursive: true, force: true });
});

test('hashed assets are immutable and served precompressed', async () => {
  const br = await fetch(`${srv.baseUrl}/assets/app-1a2b3c.js`, { headers: { 'accept-encoding': 'br' } });
  assert.equal(br.status, 200);
  assert.equal(br.headers.get('content-encoding'), 'br');
  assert.match(br.headers.get('cache-control'), /immutable/);
  assert.match(br.headers.get('content-type'), /javascript/);
  assert.match(await br.text(), /数乡/);  // fetch decodes br
  const gz = await fetch(`${srv.baseUrl}/assets/app-1a2b3c.js`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers.get('content-encoding'), 'gzip');
  const missing = await fetch(`${srv.baseUrl}/assets/nope.js`);
  assert.equal(missing.status, 404);
});

test('HTML is revalidated with an ETag and answers 304', async () => {
  const r = await fetch(`${srv.baseUrl}/m/`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  const etag = r.headers.get('etag');
  assert.ok(etag);
  assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
  const again = await fetch(`${srv.baseUrl}/m/`, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
});

test('deep links fall back to each app\'s index.html', async () => {
  const m = await fetch(`${srv.baseUrl}/m/join/500238001001`);
  assert.equal(m.status, 200);
  assert.match(await m.text(), /mobile/);
  const a = await fetch(`${srv.baseUrl}/admin/regions/500238000000`);
  assert.match(await a.text(), /admin/);
  const bare = await fetch(`${srv.baseUrl}/admin`, { redirect: 'manual' });
  assert.equal(bare.status, 301);
  assert.equal(bare.headers.get('location'), '/admin/');
  const traversal = await fetch(`${srv.baseUrl}/m/../../etc/passwd`);
  assert.notEqual(traversal.status, 200);
});
