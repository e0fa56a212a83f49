// County dashboard benchmark for bench/run.sh (loopback, bounded, stops by itself): the cold
// compute of GET /api/v1/stats/dashboard for the county over a year, on two instances started by
// bench/run.sh on the demo county with half a year of history at 1× and at 10× the source
// article's scale (`shuxiang demo --residents 3000 --history 1|10`).
//
//   node bench/stats.mjs cold BASE1 TOKEN1 BASE10 TOKEN10 [WINDOWS]
//     TOKENs: a county admin's session on each instance. Prints one JSON object on stdout.
//
// The dashboard caches each answer per (place, period, unit) until the next live event or 30 s,
// so every timed request asks for a 12-month window no request asked for before: WINDOWS (12)
// windows ending in consecutive months, the latest ending six months after the current one (the
// server's, Asia/Shanghai), so that every window holds some of the history (the generator spreads
// it over the last 180 days: the current month and the six before it, in part) and seven of the
// twelve hold all of it. The two instances are asked in turn, window by window, so that a burst of
// noise on this shared machine hits both alike; the median per instance counts. Each cold request
// is repeated at once: the repeat is served from the cache, which shows the first one missed it.
// Before the timed requests each instance answers two other windows (a warm-up of its connections
// and of SQLite's page cache, as on a server that has been up a while).
import http from 'node:http';

const [cmd, base1, token1, base10, token10, windowsArg] = process.argv.slice(2);
if (cmd !== 'cold' || !token10) {
  console.error('usage: stats.mjs cold BASE1 TOKEN1 BASE10 TOKEN10 [WINDOWS]');
  process.exit(2);
}
const WINDOWS = Number(windowsArg || 12);
// Bounded: no request may take more than 30 s, the whole part no more than 2 minutes.
const deadline = setTimeout(() => { console.error('stats.mjs: took more than 120 s'); process.exit(1); }, 120000);

const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
function get(base, token, path) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(base + path, { agent, timeout: 30000, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - t0;
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) return reject(new Error(`GET ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
        resolve({ ms, bytes: Buffer.byteLength(text), json: JSON.parse(text) });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer in 30 s`)));
    req.on('error', reject);
  });
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const addMonths = (m, n) => {
  const [y, mo] = m.split('-').map(Number);
  const k = y * 12 + (mo - 1) + n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
};
const dash = (from, to) => `/api/v1/stats/dashboard?region=500238000000&from=${from}&to=${to}`;
const active = (d) => d.months.filter((m) => m.notices.published + m.meetings.held + m.docs.created + m.requests.filed > 0).map((m) => m.month);

const servers = [
  { key: 'x1', base: base1, token: token1, cold: [], hit: [] },
  { key: 'x10', base: base10, token: token10, cold: [], hit: [] },
];
// The server's current month: the default period ends in it.
const now = (await get(base1, token1, '/api/v1/stats/dashboard?region=500238000000')).json.to;
// Warm-up on windows that are not timed: 24 months ending 13 months ago, and the default six.
for (const s of servers) {
  await get(s.base, s.token, dash(addMonths(now, -36), addMonths(now, -13)));
  await get(s.base, s.token, '/api/v1/stats/dashboard?region=500238000000');
}
// The months holding any history (on the 1× instance: the 10× one holds the same months).
const history = active((await get(base1, token1, dash(addMonths(now, -23), now))).json);

const windows = [];
for (let k = 0; k < WINDOWS; k++) {
  const to = addMonths(now, 6 - k);
  windows.push({ from: addMonths(to, -11), to });
}
const detail = [];
for (const [i, w] of windows.entries()) {
  const row = { ...w };
  // Alternate which instance goes first.
  for (const s of i % 2 ? [...servers].reverse() : servers) {
    const c = await get(s.base, s.token, dash(w.from, w.to));
    const h = await get(s.base, s.token, dash(w.from, w.to));
    s.cold.push(c.ms);
    s.hit.push(h.ms);
    row[s.key] = { cold_ms: +c.ms.toFixed(2), hit_ms: +h.ms.toFixed(2), bytes: c.bytes, notices: c.json.totals.notices.published };
    row.held = active(c.json).length;
  }
  detail.push(row);
}
// The fixed window the throughput is measured on: the year ending this month.
const fixed = { from: addMonths(now, -11), to: now };
const year = {};
for (const s of servers) {
  const { json: d, bytes } = await get(s.base, s.token, dash(fixed.from, fixed.to));
  year[s.key] = { bytes, notices: d.totals.notices.published, meetings: d.totals.meetings.held, trainings: d.totals.trainings.held, docs: d.totals.docs.created, requests: d.totals.requests.filed };
}
const x1 = median(servers[0].cold), x10 = median(servers[1].cold);
const hm = detail.map((r) => r.held);
console.log(JSON.stringify({
  now, windows: WINDOWS, first_window: `${windows.at(-1).from}..${windows.at(-1).to}`, last_window: `${windows[0].from}..${windows[0].to}`,
  history_first: history[0], history_last: history.at(-1), history_months: history.length,
  window_history_min: Math.min(...hm), window_history_max: Math.max(...hm), windows_with_all: hm.filter((n) => n === history.length).length,
  x1_cold_ms: x1, x10_cold_ms: x10, cold_ratio: x10 / x1,
  x1_hit_ms: median(servers[0].hit), x10_hit_ms: median(servers[1].hit),
  x1_bytes: year.x1.bytes, x10_bytes: year.x10.bytes,
  fixed_from: fixed.from, fixed_to: fixed.to,
  x1_year_notices: year.x1.notices, x10_year_notices: year.x10.notices,
  x1_year: year.x1, x10_year: year.x10, detail,
}));
agent.destroy();
clearTimeout(deadline);
