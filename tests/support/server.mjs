// Starts the real shuxiang binary for a test: a fresh database (SQLite file or a database in a
// throwaway PostgreSQL cluster), the demo county with a small number of residents, and the server
// on a free port (--listen 127.0.0.1:0). Resolves to { baseUrl, accounts, password, dbUrl,
// proc, stop() }. Every demo account's password is `password`.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres } from './postgres.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const BINARY = process.env.SX_BINARY || resolve(here, '../../build/shuxiang');
export const WEB_DIR = resolve(here, '../../web/dist');
export const PASSWORD = 'demo-Pass-2026';

export function testEnv(extra = {}) {
  return {
    ...process.env,
    SHUXIANG_DEMO_PASSWORD: PASSWORD,
    SHUXIANG_FAST_HASH: '1',
    SHUXIANG_LOG: process.env.SHUXIANG_LOG || 'warn',
    ...extra,
  };
}

export function runCli(args, env = {}) {
  return execFileSync(BINARY, args, { env: testEnv(env), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// Launches `serve` on an existing database; resolves when it prints its address.
export function launch(dbUrl, { env = {}, web = WEB_DIR, keyFile, files } = {}) {
  const args = ['serve', '--listen', '127.0.0.1:0', '--db', dbUrl, '--web', web];
  if (keyFile) args.push('--key-file', keyFile);
  if (files) args.push('--files', files);
  const proc = spawn(BINARY, args, { env: testEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; if (stderr.length > 100000) stderr = stderr.slice(-50000); });
  return new Promise((resolveP, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolveP({ proc, baseUrl: m[1], stderr: () => stderr });
      }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${stderr}`)); });
  });
}

export function stopProcess(proc, signal = 'SIGTERM') {
  return new Promise((res) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return res(proc.exitCode);
    proc.removeAllListeners('exit');
    proc.on('exit', (code) => res(code));
    proc.kill(signal);
    setTimeout(() => proc.kill('SIGKILL'), 30000).unref();
  });
}

let sharedPg = null;
async function pgCluster() {
  if (!sharedPg) sharedPg = await startPostgres();
  return sharedPg;
}
export async function stopSharedPostgres() {
  if (sharedPg) { await sharedPg.stop(); sharedPg = null; }
}

export async function freshDatabase(kind = 'sqlite') {
  const dir = mkdtempSync(join(tmpdir(), 'sxtest-'));
  if (kind === 'postgres') {
    const pg = await pgCluster();
    return { dbUrl: pg.createDatabase(), dir, keyFile: join(dir, 'shuxiang.key') };
  }
  return { dbUrl: `sqlite:${join(dir, 'shuxiang.db')}`, dir, keyFile: join(dir, 'shuxiang.key') };
}

// history: the demo history's scale (`shuxiang demo --history`); none unless a test asks.
export async function startServer({ db = 'sqlite', residents = 3000, history = 0, env = {} } = {}) {
  const { dbUrl, dir, keyFile } = await freshDatabase(db);
  runCli(['demo', '--db', dbUrl, '--residents', String(residents), '--history', String(history),
    '--key-file', keyFile], env);
  const accounts = runCli(['demo', 'accounts', '--db', dbUrl, '--json', '--key-file', keyFile], env)
    .trim().split('\n').map((l) => JSON.parse(l));
  const s = await launch(dbUrl, { env, keyFile, files: join(dir, 'files') });
  return {
    ...s,
    dbUrl,
    keyFile,
    dir,
    accounts,
    password: PASSWORD,
    async stop() {
      await stopProcess(s.proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
