// Requests benchmarks for bench/run.sh (loopback, bounded, stops by itself):
//   metrics BASE TOKEN ROUNDS   median time of the 三率 dashboard queries (county, unit, town,
//                               village, category over six months)
//   file BASE TOKEN ROUNDS      median time of filing a request without photos, and with two
//                               2 MB photos (both uploads, side by side, then the filing); and
//                               the disk's floor: making two new 2 MB files durable (write,
//                               rename, sync the data and the directory)
// Prints one JSON object on stdout.
import { randomUUID } from 'node:crypto';
import http from 'node:http';

const [cmd, base, token, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg);
const H = { authorization: `Bearer ${token}` };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const month = (d) => new Date(d + 8 * 3600000).toISOString().slice(0, 7);

// node:http with a keep-alive agent: one write per body, so the client's own cost stays small
// next to the server's (fetch copies a 2 MB body several times).
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
function call(method, path, body, type = 'application/json') {
  const data = body === undefined ? undefined : type === 'application/json' ? Buffer.from(JSON.stringify(body)) : body;
  return new Promise((resolve, reject) => {
    const req = http.request(base + path, {
      method,
      agent,
      headers: { ...H, 'content-type': type, 'idempotency-key': randomUUID(), ...(data ? { 'content-length': data.length } : {}) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode >= 300) return reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
        resolve(text ? JSON.parse(text) : null);
      });
    });
    req.on('error', reject);
    req.end(data);
  });
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
  agent.destroy();
} else if (cmd === 'file') {
  const plain = [], photos = [], uploads = [];
  // Warm up the connections and the server's paths, then measure.
  await call('POST', '/api/v1/request-photos?name=w.jpg', photo(3), 'image/jpeg');
  await call('POST', '/api/v1/requests', { category: 'sanitation', description: '基准测试：预热用的诉求' });
  // The floor under the photos: making two new 2 MB files durable (in parallel) on this machine's
  // disk the way any durable store must — write under a temporary name, rename into place, sync
  // the file's data and its directory entry — measured in the same rounds so the disk's mood is
  // shared. It is exactly the disk work the file store does for a request's photos.
  const { open, mkdtemp, rename, rm } = await import('node:fs/promises');
  const dir = await mkdtemp(new URL('./out/sync-', import.meta.url).pathname);  // the store's disk
  const floor = [];
  for (let i = 0; i < rounds; i++) {
    const floorBytes = [photo(100 + 2 * i), photo(101 + 2 * i)];
    let t = performance.now();
    await Promise.all(floorBytes.map(async (bytes, k) => {
      const fh = await open(`${dir}/${i}-${k}.tmp`, 'w');
      await fh.write(bytes);
      await fh.close();
      await rename(`${dir}/${i}-${k}.tmp`, `${dir}/${i}-${k}`);
      const f = await open(`${dir}/${i}-${k}`, 'r');
      await f.datasync();
      await f.close();
      const d = await open(dir, 'r');
      await d.sync();
      await d.close();
    }));
    floor.push(performance.now() - t);
    t = performance.now();
    await call('POST', '/api/v1/requests', { category: 'sanitation', description: '基准测试：没有照片的诉求' });
    plain.push(performance.now() - t);
    // New photos every round, as in life: each upload writes and syncs a file of its own.
    const a = photo(2 * i + 10), b = photo(2 * i + 11);
    t = performance.now();
    // As the mobile form does: photos upload side by side as soon as they are picked.
    const [p1, p2] = await Promise.all([
      call('POST', '/api/v1/request-photos?name=a.jpg', a, 'image/jpeg'),
      call('POST', '/api/v1/request-photos?name=b.jpg', b, 'image/jpeg'),
    ]);
    uploads.push(performance.now() - t);
    await call('POST', '/api/v1/requests', { category: 'sanitation', description: '基准测试：两张照片的诉求', photos: [p1.id, p2.id] });
    photos.push(performance.now() - t);
  }
  await rm(dir, { recursive: true, force: true });
  // What the server adds above the disk, paired round by round (the disk's speed drifts between
  // rounds more than the server's cost does).
  const above = photos.map((p, i) => p - floor[i]);
  console.log(JSON.stringify({ plain_ms: median(plain), photos_ms: median(photos), uploads_ms: median(uploads), sync_floor_ms: median(floor), above_floor_ms: median(above) }));
  agent.destroy();
} else {
  console.error('usage: requests.mjs metrics|file BASE TOKEN ROUNDS');
  process.exit(2);
}
