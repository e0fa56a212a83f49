// Notices benchmarks for bench/run.sh (loopback, bounded, stops by itself):
//   seed BASE ADMIN_TOKEN VILLAGE N            publish N notices the bench resident's inbox holds
//   publish BASE ADMIN_TOKEN DB_FILE ROUNDS    cost of publishing to the county vs to 100 people,
//                                              and database growth per county-wide notice
//   ws BASE TOKEN ADMIN_TOKEN SERVER_PID N     N idle WebSockets: memory each, and the time for a
//                                              county-wide notice to reach all of them
// Prints one JSON object on stdout.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import WebSocket from '../tests/node_modules/ws/wrapper.mjs';

const [cmd, base, ...args] = process.argv.slice(2);
const api = async (token, method, path, body) => {
  const r = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await r.json();
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
};
const notice = (title, audience, extra = {}) => ({ title, body: `## ${title}\n\n请各位村民**注意**。`, category: 'policy', audience, ...extra });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssKb = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);

if (cmd === 'seed') {
  const [token, village, n] = args;
  const town = village.slice(0, 9) + '000';
  for (let i = 0; i < Number(n); i++) {
    const audience = { regions: [i % 3 === 0 ? '500238000000' : i % 3 === 1 ? town : village] };
    await api(token, 'POST', '/api/v1/notices', notice(`第${i + 1}号通知`, audience, { urgency: i % 10 === 0 ? 'urgent' : 'normal' }));
  }
  console.log(JSON.stringify({ seeded: Number(n) }));
} else if (cmd === 'publish') {
  const [token, dbFile, roundsArg] = args;
  const rounds = Number(roundsArg);
  const people = [];
  let cursor = '';
  while (people.length < 100) {
    const page = await api(token, 'GET', `/api/v1/people?region=500238101000&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    people.push(...page.items.map((p) => p.id));
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  const few = people.slice(0, 100);
  const county = [], hundred = [];
  let countySize = 0;
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    countySize = (await api(token, 'POST', '/api/v1/notices', notice('全县通知', { regions: ['500238000000'] }))).audience_size;
    county.push(performance.now() - t);
    t = performance.now();
    await api(token, 'POST', '/api/v1/notices', notice('百人通知', { people: few }));
    hundred.push(performance.now() - t);
  }
  // Growth: pages used before and after M county-wide notices (checkpointed, so the WAL is in).
  const pages = () => Number(execFileSync('sqlite3', [dbFile, 'PRAGMA wal_checkpoint(TRUNCATE);', 'PRAGMA page_count;'], { encoding: 'utf8' }).trim().split('\n').pop());
  const pageSize = Number(execFileSync('sqlite3', [dbFile, 'PRAGMA page_size;'], { encoding: 'utf8' }).trim());
  const m = 200;
  const before = pages();
  for (let i = 0; i < m; i++) await api(token, 'POST', '/api/v1/notices', notice(`增长测试${i}`, { regions: ['500238000000'] }));
  const after = pages();
  console.log(JSON.stringify({
    county_ms: median(county), hundred_ms: median(hundred), county_audience: countySize, hundred_audience: few.length,
    bytes_per_notice: Math.round(((after - before) * pageSize) / m), notices_measured: m,
  }));
} else if (cmd === 'ws') {
  const [token, adminToken, pid, nArg] = args;
  const n = Number(nArg);
  const url = base.replace('http', 'ws') + '/api/v1/ws';
  const rssBefore = rssKb(pid);
  const sockets = [];
  const received = new Map();
  let opened = 0;
  const openOne = () => new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
    ws.on('open', () => { opened++; resolve(); });
    ws.on('error', reject);
    ws.on('message', (m) => {
      const f = JSON.parse(m.toString());
      if (f.type === 'event' && !received.has(ws)) received.set(ws, performance.now());
    });
    sockets.push(ws);
  });
  for (let i = 0; i < n; i += 250) await Promise.all(Array.from({ length: Math.min(250, n - i) }, openOne));
  await new Promise((r) => setTimeout(r, 2000));  // settle
  const rssAfter = rssKb(pid);
  const t0 = performance.now();
  await api(adminToken, 'POST', '/api/v1/notices', notice('全县紧急通知', { regions: ['500238000000'] }, { urgency: 'urgent' }));
  const deadline = t0 + 10000;
  while (received.size < n && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const times = [...received.values()].map((t) => t - t0);
  const metrics = await (await fetch(base + '/metrics')).text();
  const live = Number(metrics.match(/^shuxiang_ws_connections (\S+)/m)?.[1] ?? 0);
  for (const ws of sockets) ws.terminate();
  console.log(JSON.stringify({
    connections: opened, server_reported: live, reached: received.size,
    all_within_ms: times.length ? Math.max(...times) : null, median_ms: times.length ? median(times) : null,
    kb_per_connection: (rssAfter - rssBefore) / n,
  }));
} else {
  console.error('usage: notices.mjs seed|publish|ws ...');
  process.exit(2);
}
