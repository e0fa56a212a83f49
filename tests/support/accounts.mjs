// The demo accounts of a server from startServer() (tests/support/server.mjs), for API and browser
// tests: find one by role, sign one in, or sign every one in and pick their clients by role.
import assert from 'node:assert/strict';
import { Client } from './client.mjs';

/** The i-th demo account with this role (in `shuxiang demo accounts` order), or undefined. */
export function account(srv, role, i = 0) {
  return srv.accounts.filter((a) => a.role === role)[i];
}

/** The first demo resident and a village cadre of the same village; fails the test without them. */
export function residentAndCadre(srv) {
  const resident = srv.accounts.find((a) => a.role === 'resident');
  assert.ok(resident, 'the demo county has a resident account');
  const cadre =
    srv.accounts.find((a) => a.role === 'village_cadre' && a.region_code === resident.region_code) ??
    srv.accounts.find((a) => a.role === 'village_cadre');
  assert.ok(cadre, 'the demo county has a village cadre account');
  assert.equal(cadre.region_code, resident.region_code, 'the cadre and the resident live in the same village');
  return { resident, cadre };
}

/** A bearer-token Client signed in as a demo account; the sign-in must answer 200. */
export async function signIn(srv, acc) {
  const c = new Client(srv.baseUrl);
  const r = await c.login(acc.phone, srv.password);
  assert.equal(r.status, 200, r.text);
  return c;
}

/**
 * For a suite that works as every demo account. Call signInAll(srv) in before(): it signs each
 * account in, one after the other. Then acct(role, i) is the i-th account with that role and
 * as(role, i) its signed-in Client (i from 0, in `shuxiang demo accounts` order).
 */
export function demoAccounts() {
  let srv = null;
  const clients = {};
  return {
    async signInAll(server) {
      srv = server;
      for (const a of srv.accounts) {
        const same = srv.accounts.filter((b) => b.role === a.role);
        clients[`${a.role}/${same.indexOf(a)}`] = await signIn(srv, a);
      }
    },
    acct: (role, i = 0) => account(srv, role, i),
    as: (role, i = 0) => clients[`${role}/${i}`],
  };
}
