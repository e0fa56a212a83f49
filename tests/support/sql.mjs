// SQL on a test server's database through the command-line tools (sqlite3, psql): for checks and
// for tampering that the API does not allow. Returns the output, trimmed (psql: unaligned, tuples
// only).
import { execFileSync } from 'node:child_process';

export function sql(db, dbUrl, statement) {
  if (db === 'sqlite') return execFileSync('sqlite3', [dbUrl.replace(/^sqlite:/, ''), statement], { encoding: 'utf8' }).trim();
  return execFileSync('psql', [dbUrl, '-At', '-v', 'ON_ERROR_STOP=1', '-c', statement], { encoding: 'utf8' }).trim();
}
