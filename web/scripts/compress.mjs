// Writes precompressed copies next to every text asset in dist/ larger than 1 KiB: `.gz` (gzip,
// level 9) and `.br` (Brotli, quality 11). The shuxiang binary serves them by Accept-Encoding.
// Uses only node:zlib. Prints the JS bundle sizes (raw / gzip) at the end.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const EXTS = new Set(['.js', '.css', '.html', '.svg', '.json']);
const MIN = 1024;

function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

const ext = (p) => {
  const i = p.lastIndexOf('.');
  return i < 0 ? '' : p.slice(i);
};

let files = 0;
let raw = 0;
let gz = 0;
let br = 0;
const js = [];
for (const p of walk(dist)) {
  if (!EXTS.has(ext(p))) continue;
  const size = statSync(p).size;
  if (size <= MIN) continue;
  const body = readFileSync(p);
  const g = gzipSync(body, { level: 9 });
  const b = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
  writeFileSync(`${p}.gz`, g);
  writeFileSync(`${p}.br`, b);
  files++;
  raw += size;
  gz += g.length;
  br += b.length;
  if (ext(p) === '.js') js.push({ name: relative(dist, p), size, gz: g.length });
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
js.sort((a, b) => b.gz - a.gz);
for (const f of js) console.log(`  ${f.name.padEnd(48)} ${kib(f.size).padStart(10)}  gzip ${kib(f.gz).padStart(9)}`);
const jsGz = js.reduce((n, f) => n + f.gz, 0);
console.log(`compress: ${files} files, ${kib(raw)} -> gzip ${kib(gz)}, brotli ${kib(br)} (all JS gzip ${kib(jsGz)})`);
