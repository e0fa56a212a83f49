// Requests benchmarks for bench/run.sh (loopback, bounded, stops by itself):
//   metrics BASE TOKEN ROUNDS   median time of the 三率 dashboard queries (county, unit, town,
//                               village, category over six months)
//   file BASE TOKEN ROUNDS      median time of filing a request without photos, and with two
//                               2 MB photos (both uploads, side by side, then the filing)
// Prints one JSON object on stdout.
import { randomUUID } from 'node:crypto';

const [cmd, base, token, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg);
const H = { authorization: `Bearer ${token}` };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const month = (d) => new Date(d + 8 * 3600000).toISOString().slice(0, 7);

async function call(method, path, body, type = 'application/json') {
  const r = await fetch(base + path, {
    method,
    headers: { ...H, 'content-type': type, 'idempotency-key': randomUUID() },
    body: body === undefined ? undefined : type === 'application/json' ? JSON.stringify(body) : body,
  });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

// A 2 MB JPEG: a valid header and frame, then the bulk in the entropy-coded scan (kept by the
// metadata stripper, as a real photo's pixels are).
function photo(seed) {
  const head = Buffer.from('ffd8ffe000104a46494600010100000100010000ffdb004300' + '01'.repeat(64) +
    'ffc0000b080001000101011100ffda0008010100003f00', 'hex');
  const body = Buffer.alloc(2 * 1024 * 1024 - head.length - 2);
  for (let i = 0; i < body.length; i++) body[i] = (i * 7 + seed) & 0x7f;
  return Buffer.concat([head, body, Buffer.from('ffd9', 'hex')]);
}

if (cmd === 'metrics') {
  const now = Date.now();
  const q = `from=${month(now - 180 * 86400000)}&to=${month(now)}`;
  const groups = ['county', 'unit', 'town', 'village', 'category'];
  for (const g of groups) await call('GET', `/api/v1/requests/metrics?${q}&group=${g}`);  // warm
  const times = [];
  let rows = 0;
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    for (const g of groups) rows += (await call('GET', `/api/v1/requests/metrics?${q}&group=${g}`)).items.length;
    times.push(performance.now() - t);
  }
  console.log(JSON.stringify({ dashboard_ms: median(times), rows_per_dashboard: rows / rounds }));
} else if (cmd === 'file') {
  const plain = [], photos = [];
  const a = photo(1), b = photo(2);
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    await call('POST', '/api/v1/requests', { category: 'sanitation', description: '基准测试：没有照片的诉求' });
    plain.push(performance.now() - t);
    t = performance.now();
    // As the mobile form does: photos upload side by side as soon as they are picked.
    const [p1, p2] = await Promise.all([
      call('POST', '/api/v1/request-photos?name=a.jpg', a, 'image/jpeg'),
      call('POST', '/api/v1/request-photos?name=b.jpg', b, 'image/jpeg'),
    ]);
    await call('POST', '/api/v1/requests', { category: 'sanitation', description: '基准测试：两张照片的诉求', photos: [p1.id, p2.id] });
    photos.push(performance.now() - t);
  }
  console.log(JSON.stringify({ plain_ms: median(plain), photos_ms: median(photos) }));
} else {
  console.error('usage: requests.mjs metrics|file BASE TOKEN ROUNDS');
  process.exit(2);
}
