// A throwaway PostgreSQL cluster for tests: initdb into a temp dir, listen on a Unix socket only,
// drop everything on stop. Runs the server as the `postgres` OS user when we are root (initdb
// refuses root). Each call to createDatabase() gives a fresh database URL.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function pgBin() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) throw new Error('PostgreSQL is not installed (scripts/deps.sh test installs it)');
  const v = readdirSync(base).sort().at(-1);
  return join(base, v, 'bin');
}

export async function startPostgres() {
  const bin = pgBin();
  const dir = mkdtempSync(join(tmpdir(), 'sxpg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const root = process.getuid() === 0;
  const run = (cmd, args) => {
    const full = join(bin, cmd);
    const r = root
      ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8' })
      : spawnSync(full, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale']);
  const port = 20000 + Math.floor(Math.random() * 20000);
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o',
    `-k ${dir} -p ${port} -c listen_addresses='' -c fsync=on -c max_connections=200`, 'start']);
  let n = 0;
  return {
    dir,
    createDatabase() {
      const name = `sx_${process.pid}_${++n}`;
      run('createdb', ['-h', dir, '-p', String(port), '-U', 'postgres', name]);
      return `postgresql://postgres@/${name}?host=${dir}&port=${port}`;
    },
    async stop() {
      try { run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']); } catch { /* already down */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
