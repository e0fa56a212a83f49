// The audit chain: `shuxiang audit verify` passes on an untouched log and detects an edited, a
// deleted and a truncated entry, on SQLite and on PostgreSQL.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, stopSharedPostgres, BINARY, testEnv } from '../support/server.mjs';
import { Client } from '../support/client.mjs';
import { sql } from '../support/sql.mjs';

function verify(srv) {
  const r = spawnSync(BINARY, ['audit', 'verify', '--db', srv.dbUrl, '--key-file', srv.keyFile],
    { env: testEnv(), encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

for (const db of ['sqlite', 'postgres']) {
  describe(`audit chain on ${db}`, () => {
    let srv;
    before(async () => {
      srv = await startServer({ db, residents: 50 });
      // Some audited activity: sign-ins, a failed sign-in, a reveal.
      const admin = new Client(srv.baseUrl);
      await admin.login(srv.accounts[0].phone, srv.password);
      await new Client(srv.baseUrl).login(srv.accounts[1].phone, 'wrong-password');
      const p = (await admin.get('/api/v1/people?limit=1')).json.items[0];
      await admin.post(`/api/v1/people/${p.id}/reveal`, { field: 'id_number' });
      await admin.post('/api/v1/units', { name: '审计测试单位', kind: 'government', region_code: '500238000000' });
    });
    after(async () => { await srv?.stop(); if (db === 'postgres') await stopSharedPostgres(); });

    test('an untouched log verifies', () => {
      const r = verify(srv);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /intact: \d+ entries/);
    });

    test('an edited entry is detected', () => {
      sql(db, srv.dbUrl, "UPDATE audit_log SET result = 'ok', actor = 'someone-else' WHERE seq = 2");
      const r = verify(srv);
      assert.equal(r.code, 1);
      assert.match(r.out, /entry 2 was altered/);
    });

    test('a deleted entry is detected', () => {
      sql(db, srv.dbUrl, 'DELETE FROM audit_log WHERE seq = 3');
      const r = verify(srv);
      assert.equal(r.code, 1);
      assert.match(r.out, /entry 3 missing/);
    });

    test('a truncated tail is detected', () => {
      sql(db, srv.dbUrl, 'DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)');
      const r = verify(srv);
      assert.equal(r.code, 1);
      assert.match(r.out, /chain head/);
    });
  });
}
