// Documents benchmark for bench/run.sh (loopback, bounded, stops by itself): the Yjs sync
// endpoint /yjs/{docId} against the reference Node server, y-websocket 1.5.4's bin/server.js
// (installed as tests/node_modules/y-websocket-ref, run here as its own `node` process on a free
// loopback port, documents in memory only: YPERSISTENCE is left unset). The same client program
// runs against both servers, one after the other, with identical parameters.
//
//   node bench/docs.mjs --shuxiang BASE --shuxiang-pid PID --token TOKEN [options]
//     BASE, PID: a fresh shuxiang instance started for this bench (bench/run.sh starts one;
//     `bench/run.sh docs` runs this part alone); TOKEN: a village cadre's session (doc.create in
//     its village; it owns the documents and edits them through every editor's connection).
//     Without --shuxiang only the reference is measured.
//   options: --docs 50 --editors 5 --rate 450 --window 32 --warmup 2 --seconds 8 --rounds 2
//            --mem-docs 200 --workers 1 --json FILE (also write the JSON there)
//            --lines (print the report lines instead of the JSON) --only reference|shuxiang
//
// 1. Memory per open document, first, while each server is fresh (the reference then gets a fresh
//    process for the relay too: it never drops a document it has seen): RSS of the server process
//    (/proc/PID/status VmRSS) after start and a warm-up (10 documents opened, loaded and closed),
//    then with MEM_DOCS documents open, each with one connected client that loaded a realistic
//    document (~5 KB of Chinese text written by 3 authors in 300 edits, a tenth of them
//    deletions, plus a Y.Map 'meta'). The client speaks the protocol as y-websocket does:
//    SyncStep1 and its awareness on open, the server's SyncStep1 answered with SyncStep2 (all the
//    server lacks), loaded when the server's SyncStep2 arrives. Per document = (RSS open - RSS
//    before) / MEM_DOCS. Two documents per worker are read back by a second client afterwards, to
//    check that the server really holds them.
// 2. Update relay: DOCS documents × EDITORS editors, one WebSocket each. Every editor's updates
//    are Yjs updates of its own (a 2-character Chinese word appended to Y.Text 'default' per
//    update, ~25 bytes, like an IME commit; see editorFrames), sent as [0, 2, update] after the
//    y-websocket handshake (so both servers treat the editors as synced clients). Each editor
//    offers RATE updates a second, but never has more than WINDOW of its updates still undelivered
//    to one of its co-editors (the window bounds every queue: an overloaded server slows the
//    editors down instead of piling up frames). Throughput = updates delivered to the other
//    editors of the document per second (each update fans out to EDITORS - 1 of them; the
//    reference's echo to the sender is not counted), over SECONDS after WARMUP. Delivery is
//    counted from the Yjs clocks in each received update, so an update counts once even if a
//    server merged several into one frame. RATE stays under shuxiang's per-connection frame
//    limit (500 a second, 1000 burst). ROUNDS rounds per server on fresh documents, the servers
//    interleaved (a burst of noise on this shared machine hits both alike); the median counts.
//    The load runs in WORKERS client processes (all editors of one document in one process) on a
//    minimal WebSocket client of its own (RawWs). One process is the default: on this 2-core
//    machine it gave both servers more throughput than two (about half a core for ~120,000
//    frames a second in and out, mostly in the kernel). The CPU used by the server, by the
//    clients and by anything else on the machine during each round is reported, and the report
//    says so when a client process neared a full core or other processes were busy.
// Prints one JSON object on stdout (or, with --lines, the report lines). Every process started
// here (the reference server, the client workers) is stopped here by its PID.
import { fork, spawn } from 'node:child_process';
import { apiCall } from './lib.mjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { randomUUID, randomBytes, randomFillSync } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import * as Y from '../tests/node_modules/yjs/dist/yjs.mjs';
import * as encoding from '../tests/node_modules/lib0/encoding.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

// ---------------------------------------------------------------------------------------------
// The wire: lib0 varUint framing (y-protocols 1.0.7).
const frame = (type, sub, payload) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  if (sub !== null) encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return Buffer.from(encoding.toUint8Array(e));
};
const syncStep1 = (sv) => frame(0, 0, sv);
const syncStep2 = (update) => frame(0, 1, update);
const EMPTY_SV = new Uint8Array([0]);
const awareness = (clientId, name) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, clientId);
  encoding.writeVarUint(e, 1);
  encoding.writeVarString(e, JSON.stringify({ user: { name, color: '#1677ff' }, cursor: null }));
  return frame(1, null, encoding.toUint8Array(e));
};
// Reads a varUint at b[p] (values up to 2^53); returns [value, next position].
const varUint = (b, p) => {
  let v = 0, mult = 1, c;
  do { c = b[p++]; v += (c & 0x7f) * mult; mult *= 128; } while (c >= 0x80 && p < b.length);
  return [v, p];
};

// For each client's run of structs in the v1 update at b[p]: f(client, clock after its last
// struct). Knows the structs these editors' updates hold, also when a server merged several
// (String items, GC, Skip); stops at any other content.
function clientEnds(b, p, f) {
  const skipVar = (q) => { while (b[q++] & 0x80); return q; };
  let nClients, nStructs, client, clock, len;
  [nClients, p] = varUint(b, p);
  for (let c = 0; c < nClients; c++) {
    [nStructs, p] = varUint(b, p);
    [client, p] = varUint(b, p);
    [clock, p] = varUint(b, p);
    for (let s = 0; s < nStructs; s++) {
      const info = b[p++], kind = info & 0x1f;
      if (kind === 0 || kind === 10) { [len, p] = varUint(b, p); clock += len; continue; }
      if (info & 0x80) p = skipVar(skipVar(p));
      if (info & 0x40) p = skipVar(skipVar(p));
      if (!(info & 0xc0)) {
        let parent;
        [parent, p] = varUint(b, p);
        if (parent === 1) { [len, p] = varUint(b, p); p += len; } else p = skipVar(skipVar(p));
        if (info & 0x20) { [len, p] = varUint(b, p); p += len; }
      }
      if (kind !== 4) { f(client, clock); return; }
      [len, p] = varUint(b, p);
      // The string's length in UTF-16 code units (4-byte UTF-8 sequences are 2).
      for (let i = p, end = p + len; i < end; i++) { const x = b[i]; if ((x & 0xc0) !== 0x80) clock += x >= 0xf0 ? 2 : 1; }
      p += len;
    }
    f(client, clock);
  }
}

// Rough UTF-16 words of everyday village Chinese, all of length 2 (so clock / 2 = update number).
const WORDS = ['村民', '通知', '会议', '防汛', '低保', '医保', '党建', '道路', '产业', '合作', '社区', '服务',
  '春耕', '补贴', '养老', '教育', '卫生', '水利', '电网', '网格', '走访', '登记', '核实', '公示'];
const PHRASES = ['请各位村民注意', '本周六上午九点在村委会召开', '关于做好春季防汛工作的通知', '低保对象名单已公示',
  '医保缴费截止日期为本月底', '请网格员逐户走访核实', '道路硬化工程已完成验收', '合作社分红方案', '养老服务中心开放时间',
  '村卫生室义诊活动', '水利设施维修', '高标准农田建设', '人居环境整治', '返乡创业补贴申请', '防止返贫动态监测'];

let seed = 12345;
const rand = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };

// Keystroke-sized updates of one editor: a 2-character word appended to Y.Text 'default' per
// update, as frames [0, 2, update] (masked client frames, in one buffer, with offsets). The
// updates are what Y.Doc writes for these edits: an Item with String content, whose origin is the
// editor's previous item (the first one has none and names the root type). Encoding them directly
// is 50 times quicker than running 2,000 Yjs transactions per editor; the first ones are checked
// byte for byte against a real Y.Doc's updates.
function editorFrames(clientId, n, offset) {
  const word = (i) => WORDS[(i * 7 + offset) % WORDS.length];
  const update = (i) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);               // one client
    encoding.writeVarUint(e, 1);               // one struct
    encoding.writeVarUint(e, clientId);
    encoding.writeVarUint(e, 2 * i);           // clock
    if (i === 0) {
      encoding.writeUint8(e, 4);               // String content, no origin: the parent follows
      encoding.writeVarUint(e, 1);             // parent is a root type
      encoding.writeVarString(e, 'default');
    } else {
      encoding.writeUint8(e, 0x84);            // String content with origin
      encoding.writeVarUint(e, clientId);
      encoding.writeVarUint(e, 2 * i - 1);     // the previous word's last character
    }
    encoding.writeVarString(e, word(i));
    encoding.writeVarUint(e, 0);               // empty delete set
    return encoding.toUint8Array(e);
  };
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const real = [];
  doc.on('update', (u) => real.push(u));
  for (let i = 0; i < Math.min(n, 16); i++) doc.getText('default').insert(2 * i, word(i));
  doc.destroy();
  real.forEach((u, i) => { if (Buffer.compare(Buffer.from(u), Buffer.from(update(i)))) throw new Error(`update ${i} differs from Yjs's`); });
  const frames = [];
  let bytes = 0, payloadBytes = 0;
  for (let i = 0; i < n; i++) {
    const m = frame(0, 2, update(i));
    payloadBytes += m.length;
    const f = maskedFrame(0x2, m);
    frames.push(f);
    bytes += f.length;
  }
  const buf = Buffer.allocUnsafe(bytes);
  const at = new Uint32Array(n + 1);
  let p = 0;
  frames.forEach((f, i) => { at[i] = p; f.copy(buf, p); p += f.length; });
  at[n] = p;
  return { buf, at, payloadBytes };
}

// A realistic document: 3 authors, 300 edits (inserts of phrases at the end or inside, a tenth
// deletions, a few map writes), ~5 KB of text. Returns its whole state as one update.
function realisticDoc(k) {
  seed = 7919 * (k + 1);
  const authors = [0, 1, 2].map(() => new Y.Doc());
  authors.forEach((a, i) => a.on('update', (u, origin) => {
    if (origin === 'peer') return;
    authors.forEach((b, j) => { if (j !== i) Y.applyUpdate(b, u, 'peer'); });
  }));
  authors[0].getMap('meta').set('title', `第${k + 1}号文档：村务工作记录`);
  authors[0].getMap('meta').set('created', '2026-03-01');
  for (let i = 0; i < 300; i++) {
    const a = authors[rand(3)];
    const t = a.getText('default');
    const r = rand(100);
    if (r < 10 && t.length > 10) {
      t.delete(rand(t.length - 4), 1 + rand(4));
    } else if (r < 13) {
      a.getMap('meta').set(['updated', 'owner', 'status'][rand(3)], `${i}:${PHRASES[rand(PHRASES.length)]}`);
    } else {
      const ph = PHRASES[rand(PHRASES.length)];
      const from = rand(ph.length - 2);
      const s = ph.slice(from, from + 3 + rand(7)) + (rand(4) === 0 ? '。\n' : rand(2) ? '，' : '');
      t.insert(rand(3) === 0 ? rand(t.length + 1) : t.length, s);
    }
  }
  const state = Y.encodeStateAsUpdate(authors[0]);
  const textBytes = Buffer.byteLength(authors[0].getText('default').toString());
  const textValue = authors[0].getText('default').toString();
  authors.forEach((a) => a.destroy());
  return { state, sv: Y.encodeStateVectorFromUpdate(state), textBytes, textValue };
}

// A minimal WebSocket client on a raw TCP socket (RFC 6455: the upgrade, masked binary frames
// out, unmasked frames in, close and ping handled). The load generators must not be the
// bottleneck on a 2-core machine shared with the server: the ws library costs several
// microseconds per frame, this parser a fraction of that, and an editor's precomputed frames
// (masked once, up front) go out with one write per tick. Binary messages go to ws.handler as
// views into the read buffer (valid during the call only); frames that arrive before a handler
// is set (the first ones can come with the 101 response) are kept for it (setHandler).
class RawWs extends EventEmitter {
  constructor(url) {
    super();
    this.url = url;
    this.early = [];
    this.handler = null;
    this.pending = null;   // an incomplete frame's bytes
    this.parts = null;     // a fragmented message's parts
    this.closed = false;
  }
  connect() {
    const u = new URL(this.url);
    return new Promise((resolve, reject) => {
      const sock = connect({ host: u.hostname, port: Number(u.port), noDelay: true });
      this.sock = sock;
      let head = Buffer.alloc(0);
      const key = randomBytes(16).toString('base64');
      sock.once('connect', () => sock.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\n` +
        `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`));
      const onHead = (chunk) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        sock.off('data', onHead);
        const status = head.subarray(0, head.indexOf('\r\n')).toString();
        if (!/^HTTP\/1\.1 101/.test(status)) { sock.destroy(); reject(new Error(`${this.url.replace(/token=[^&]+/, 'token=…')}: ${status}`)); return; }
        sock.on('data', (c) => this.onData(c));
        resolve(this);
        if (head.length > end + 4) this.onData(head.subarray(end + 4));
      };
      sock.on('data', onHead);
      sock.once('error', (err) => { if (!this.closed) { this.closed = true; reject(err); this.emit('close', 1006); } });
      sock.once('close', () => { if (!this.closed) { this.closed = true; this.emit('close', 1006); } });
    });
  }
  onData(chunk) {
    let b = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    let p = 0;
    while (b.length - p >= 2) {
      const b0 = b[p], b1 = b[p + 1];
      let len = b1 & 0x7f, h = 2;
      if (len === 126) { if (b.length - p < 4) break; len = b.readUInt16BE(p + 2); h = 4; }
      else if (len === 127) { if (b.length - p < 10) break; len = b.readUInt32BE(p + 2) * 2 ** 32 + b.readUInt32BE(p + 6); h = 10; }
      const masked = b1 & 0x80;
      if (masked) h += 4;
      if (b.length - p < h + len) break;
      let payload = b.subarray(p + h, p + h + len);
      if (masked) { const m = b.subarray(p + h - 4, p + h); payload = Buffer.from(payload); for (let i = 0; i < len; i++) payload[i] ^= m[i & 3]; }
      p += h + len;
      const op = b0 & 0x0f, fin = b0 & 0x80;
      if (op === 0x8) {
        const code = len >= 2 ? payload.readUInt16BE(0) : 1005;
        if (!this.closed) { this.closed = true; this.emit('close', code); }
        this.sock.end();
        return;
      } else if (op === 0x9) {
        this.sendFrame(0xa, payload);
      } else if (op === 0x2 || op === 0x0 || op === 0x1) {
        if (!fin || this.parts) {
          (this.parts ||= []).push(Buffer.from(payload));
          if (!fin) continue;
          payload = Buffer.concat(this.parts);
          this.parts = null;
        }
        if (this.handler) this.handler(payload); else this.early.push(Buffer.from(payload));
      }
    }
    if (p < b.length) this.pending = Buffer.from(b.subarray(p));
  }
  sendFrame(op, payload) {
    if (this.closed) return;
    this.sock.write(maskedFrame(op, payload));
  }
  send(payload) { this.sendFrame(0x2, payload); }
  // Frames already masked (precomputed), written as they are.
  sendRaw(frames) { if (!this.closed) this.sock.write(frames); }
  close() {
    if (this.closed) return;
    const code = Buffer.alloc(2);
    code.writeUInt16BE(1000);
    this.sendFrame(0x8, code);
    this.closed = true;
    this.sock.end();
  }
  terminate() { this.closed = true; this.sock.destroy(); }
}
// A client frame: FIN, opcode, the mask bit with a random key, the masked payload.
const maskPool = randomBytes(65536);
let maskAt = 0;
function maskedFrame(op, payload) {
  const len = payload.length;
  const h = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const f = Buffer.allocUnsafe(h + 4 + len);
  f[0] = 0x80 | op;
  if (len < 126) f[1] = 0x80 | len;
  else if (len < 65536) { f[1] = 0x80 | 126; f.writeUInt16BE(len, 2); }
  else { f[1] = 0x80 | 127; f.writeUInt32BE(Math.floor(len / 2 ** 32), 2); f.writeUInt32BE(len >>> 0, 6); }
  if (maskAt + 4 > maskPool.length) { randomFillSync(maskPool); maskAt = 0; }
  maskPool.copy(f, h, maskAt, maskAt + 4);
  maskAt += 4;
  for (let i = 0; i < len; i++) f[h + 4 + i] = payload[i] ^ f[h + (i & 3)];
  return f;
}
const open = (url) => new RawWs(url).connect();
const setHandler = (ws, f) => { ws.handler = f; for (const b of ws.early.splice(0)) f(b); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Worker: one client process, holding whole documents.
async function worker() {
  const send = (m) => process.send(m);
  let editors = [];    // relay: { ws, doc, e (index in the document), p (its frames), sent, credit }
  let docs = [];       // relay: { d, urls, editors, byId (client id -> e), frames,
                       //          recv: Float64Array(E*E), [j*E+e] = updates of e that reached j }
  let memDocs = [];    // memory phase: precomputed documents
  let memSockets = [];
  const closes = {};
  const onClose = (code) => { if (!closing) closes[code] = (closes[code] || 0) + 1; };
  let prepared = null;
  let counted = true;   // relay: frames are counted until the measurement ends
  let closing = false;  // our own closes are not reported

  // The y-websocket handshake of a client: SyncStep1 (and awareness) on open; the server's
  // SyncStep1 answered with SyncStep2; synced when the server's SyncStep2 arrives.
  const handshake = (ws, update, sv, clientId, name, onFrame) => new Promise((resolve, reject) => {
    let gotStep1 = false, gotStep2 = false;
    const timer = setTimeout(() => reject(new Error(`no sync within 20 s (${ws.url.replace(/token=[^&]+/, 'token=…')})`)), 20000);
    ws.on('close', (code) => { onClose(code); clearTimeout(timer); if (!(gotStep1 && gotStep2)) reject(new Error(`closed ${code} before sync`)); });
    ws.send(syncStep1(sv));
    ws.send(awareness(clientId, name));
    setHandler(ws, (b) => {
      if (b[0] === 0 && b[1] === 0) {
        gotStep1 = true;
        const [len, p] = varUint(b, 2);
        const serverSv = b.subarray(p, p + len);
        ws.send(syncStep2(update ? Y.diffUpdate(update, serverSv) : new Uint8Array([0, 0])));
      } else if (b[0] === 0 && b[1] === 1) {
        gotStep2 = true;
      } else if (onFrame) onFrame(b);
      if (gotStep1 && gotStep2 && timer) { clearTimeout(timer); resolve(); }
    });
  });

  process.on('message', async (m) => {
    try {
      if (m.cmd === 'prepare') {
        // Editors' updates (same for both servers: different server processes) and memory docs.
        const t0 = performance.now();
        const ids = new Set();
        prepared = { editors: [] };
        for (let d = m.range[0]; d < m.range[1]; d++) {
          const row = [];
          for (let e = 0; e < m.editors; e++) {
            let id;
            do { id = 0x10000000 + Math.floor(Math.random() * 0x6fffffff); } while (ids.has(id));
            ids.add(id);
            row.push({ id, ...editorFrames(id, m.updates, d * m.editors + e) });
          }
          prepared.editors[d] = row;
        }
        memDocs = m.memDocIndexes.map((k) => realisticDoc(k));
        const f = prepared.editors[m.range[0]][0];
        send({ cmd: 'prepared', ms: performance.now() - t0, frame_bytes: f.payloadBytes / m.updates,
          mem_docs: memDocs.length, mem_state_bytes: memDocs.reduce((a, d) => a + d.state.length, 0), mem_text_bytes: memDocs.reduce((a, d) => a + d.textBytes, 0) });
      } else if (m.cmd === 'mem-open') {
        let loaded = 0;
        const openOne = async (i) => {
          const d = memDocs[i];
          const ws = await open(m.urls[i]);
          memSockets.push(ws);
          await handshake(ws, d.state, d.sv, 1000 + i, `用户${i}`, null);
          loaded++;
        };
        // A few at a time, as people open documents.
        const queue = m.urls.map((u, i) => (u ? i : -1)).filter((i) => i >= 0);
        await Promise.all(Array.from({ length: 8 }, async () => { while (queue.length) await openOne(queue.shift()); }));
        send({ cmd: 'mem-opened', loaded, closes });
      } else if (m.cmd === 'mem-verify') {
        // Read a document back through a second connection: the server must hold it all.
        let ok = 0;
        for (const i of m.indexes) {
          const ws = await open(m.urls[i]);
          let state = null;
          await new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('verify: no SyncStep2')), 10000);
            setHandler(ws, (b) => {
              if (b[0] === 0 && b[1] === 1) {
                const [len, p] = varUint(b, 2);
                state = b.subarray(p, p + len);
                clearTimeout(timer); resolve();
              } else if (b[0] === 0 && b[1] === 0) ws.send(syncStep2(new Uint8Array([0, 0])));
            });
            ws.send(syncStep1(EMPTY_SV));
          });
          const doc = new Y.Doc();
          Y.applyUpdate(doc, state);
          if (doc.getText('default').toString() === memDocs[i].textValue && doc.getMap('meta').get('title')) ok++;
          doc.destroy();
          ws.terminate();
        }
        send({ cmd: 'mem-verified', ok });
      } else if (m.cmd === 'mem-close') {
        closing = true;
        for (const ws of memSockets) ws.close();
        await sleep(200);
        for (const ws of memSockets) ws.terminate();
        memSockets = [];
        closing = false;
        send({ cmd: 'mem-closed' });
      } else if (m.cmd === 'relay-open') {
        // Connect every editor of every document of this worker, handshake, then wait for 'go'.
        const E = m.urls[0].length;
        editors = [];
        docs = m.urls.map((urls, i) => ({ d: m.first + i, urls, recv: new Float64Array(E * E), byId: new Map(), editors: [], frames: 0 }));
        for (const doc of docs) {
          prepared.editors[doc.d].forEach((p, e) => doc.byId.set(p.id, e));
        }
        counted = true;
        const onFrame = (doc, j) => (b) => {
          // [0, 2, varUint8Array update]: what each co-editor's clock reached.
          if (b[0] !== 0 || b[1] !== 2) return;
          let counts = false;
          clientEnds(b, varUint(b, 2)[1], (client, end) => {
            const e = doc.byId.get(client);
            if (e === undefined || e === j) return;  // the reference echoes to the sender
            const k = j * E + e, upto = end / 2;     // every update is 2 clocks long
            if (upto > doc.recv[k]) doc.recv[k] = upto;
            counts = true;
          });
          if (counts && counted) doc.frames++;
        };
        const opens = [];
        for (const doc of docs) {
          for (let e = 0; e < E; e++) {
            const p = prepared.editors[doc.d][e];
            opens.push((async () => {
              const ws = await open(doc.urls[e]);
              const ed = { ws, doc, e, p, sent: 0, credit: 0 };
              doc.editors[e] = ed;
              editors.push(ed);
              await handshake(ws, null, EMPTY_SV, p.id, `编辑${e}`, onFrame(doc, e));
            })());
          }
        }
        await Promise.all(opens);
        send({ cmd: 'relay-ready', editors: editors.length });
      } else if (m.cmd === 'relay-go') {
        const { rate, window, warmMs, measureMs, updates } = m;
        const E = docs[0].editors.length;
        const maxCredit = Math.max(2, rate * 0.05);
        let held = 0, exhausted = 0, stopped = false;
        const delivered = () => docs.reduce((a, d) => a + d.recv.reduce((x, y) => x + y, 0), 0);
        const frames = () => docs.reduce((a, d) => a + d.frames, 0);
        const sentAll = () => editors.reduce((a, ed) => a + ed.sent, 0);
        let last = performance.now();
        const tick = () => {
          if (stopped) return;
          const now = performance.now();
          const add = ((now - last) * rate) / 1000;
          last = now;
          for (const ed of editors) {
            ed.credit = Math.min(maxCredit, ed.credit + add);
            if (ed.credit < 1) continue;
            const { recv } = ed.doc;
            let acked = Infinity;
            for (let j = 0; j < E; j++) if (j !== ed.e && recv[j * E + ed.e] < acked) acked = recv[j * E + ed.e];
            // The updates due now that the window allows, in one write (they are contiguous).
            const due = Math.floor(ed.credit);
            ed.credit -= due;
            const k = Math.max(0, Math.min(due, updates - ed.sent, window - (ed.sent - acked)));
            if (ed.sent + due > updates) exhausted += Math.min(due, ed.sent + due - updates);
            held += due - k - Math.max(0, Math.min(due, ed.sent + due - updates));
            if (k > 0) {
              ed.ws.sendRaw(ed.p.buf.subarray(ed.p.at[ed.sent], ed.p.at[ed.sent + k]));
              ed.sent += k;
            }
          }
        };
        const timer = setInterval(tick, 10);  // each editor: ~2 updates per write at 180/s
        await sleep(warmMs);
        const a = { delivered: delivered(), frames: frames(), sent: sentAll(), held, exhausted, t: performance.now() };
        await sleep(measureMs);
        const b = { delivered: delivered(), frames: frames(), sent: sentAll(), held, exhausted, t: performance.now() };
        stopped = true;
        clearInterval(timer);
        counted = false;
        // Let what is in flight arrive (up to 5 s): every editor must get every co-editor's updates.
        const undelivered = () => {
          let n = 0;
          for (const doc of docs) for (let j = 0; j < E; j++) for (let e = 0; e < E; e++) if (j !== e) n += doc.editors[e].sent - doc.recv[j * E + e];
          return n;
        };
        const drainFrom = performance.now();
        while (undelivered() > 0 && performance.now() - drainFrom < 5000) await sleep(50);
        const lost = undelivered(), drainMs = performance.now() - drainFrom;
        send({ cmd: 'relay-done', seconds: (b.t - a.t) / 1000, delivered: b.delivered - a.delivered, frames: b.frames - a.frames,
          sent: b.sent - a.sent, held: b.held - a.held, exhausted: b.exhausted - a.exhausted,
          undelivered_after: lost, drain_ms: drainMs, closes });
      } else if (m.cmd === 'relay-close') {
        closing = true;
        for (const ed of editors) ed.ws.close();
        await sleep(200);
        for (const ed of editors) ed.ws.terminate();
        editors = []; docs = [];
        closing = false;
        send({ cmd: 'relay-closed' });
      } else if (m.cmd === 'exit') {
        process.exit(0);
      }
    } catch (err) {
      send({ cmd: 'error', message: String(err && err.stack || err) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ cmd: 'hello' });
}

// ---------------------------------------------------------------------------------------------
// Main: orchestration.
async function main() {
  const argv = process.argv.slice(2);
  const started = performance.now();
  const opt = { docs: 50, editors: 5, rate: 450, window: 32, warmup: 2, seconds: 8, rounds: 2, 'mem-docs': 200, workers: 1, tokens: [] };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i].replace(/^--/, '');
    if (k === 'lines') opt.lines = true;
    else if (k === 'token') opt.tokens.push(argv[++i]);
    else opt[k] = argv[++i];
  }
  for (const k of ['docs', 'editors', 'rate', 'window', 'warmup', 'seconds', 'rounds', 'mem-docs', 'workers']) opt[k] = Number(opt[k]);
  const D = opt.docs, E = opt.editors, W = opt.workers, MEM = opt['mem-docs'], MEM_WARM = 10;
  if (opt.shuxiang && (!opt['shuxiang-pid'] || !opt.tokens.length)) throw new Error('--shuxiang needs --shuxiang-pid and --token');
  const children = [];
  const stopAll = () => { for (const c of children) { try { process.kill(c.pid, 'SIGTERM'); } catch {} } };
  process.on('exit', stopAll);
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => { stopAll(); process.exit(1); });
  // The whole bench is bounded in time.
  setTimeout(() => { console.error('docs bench: over 150 s, stopping'); stopAll(); process.exit(1); }, 150_000).unref();

  const rssKb = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);
  const cpuS = (pid, which = 'both') => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const user = Number(f[11]), sys = Number(f[12]);  // utime, stime, in USER_HZ (100)
    return (which === 'user' ? user : which === 'sys' ? sys : user + sys) / 100;
  };
  // Seconds all CPUs ran tasks since boot (/proc/stat user, nice, system, steal; not interrupts,
  // whose loopback network work belongs to this bench's own traffic).
  const machineBusyS = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return (f[0] + f[1] + f[2] + f[7]) / 100;
  };
  const threads = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/Threads:\s+(\d+)/)[1]);

  // --- client workers ---
  const updates = Math.ceil(opt.rate * (opt.warmup + opt.seconds) * 1.15) + 50;
  const docsOf = (w) => { const per = Math.ceil(D / W); return [w * per, Math.min(D, (w + 1) * per)]; };
  const warmPer = Math.ceil(MEM_WARM / W);
  const memShare = (w) => Math.floor(MEM / W) + (w < MEM % W ? 1 : 0);
  const memOffset = (w) => { let o = 0; for (let v = 0; v < w; v++) o += warmPer + memShare(v); return o; };
  const workers = [];
  for (let w = 0; w < W; w++) {
    const c = fork(fileURLToPath(import.meta.url), ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(c);
    const wk = { c, waiters: [] };
    c.on('message', (m) => {
      if (m.cmd === 'error') { console.error(`docs bench worker ${w}: ${m.message}`); stopAll(); process.exit(1); }
      const i = wk.waiters.findIndex((x) => x.cmd === m.cmd);
      if (i >= 0) wk.waiters.splice(i, 1)[0].resolve(m);
    });
    c.on('exit', (code) => { if (code && !wk.exiting) { console.error(`docs bench worker ${w} exited ${code}`); stopAll(); process.exit(1); } });
    wk.call = (m, reply) => new Promise((resolve) => { wk.waiters.push({ cmd: reply, resolve }); c.send(m); });
    workers.push(wk);
  }
  const all = (f) => Promise.all(workers.map((wk, w) => f(wk, w)));
  await all((wk) => new Promise((r) => wk.waiters.push({ cmd: 'hello', resolve: r })));
  // The editors' update chains (a document's editors live in one worker) and the memory
  // documents; the same ones serve both servers.
  const prep = await all((wk, w) => {
    const [a, b] = docsOf(w);
    const memDocIndexes = Array.from({ length: warmPer + memShare(w) }, (_, i) => w * 100000 + i);
    return wk.call({ cmd: 'prepare', range: [a, b], editors: E, updates, memDocIndexes }, 'prepared');
  });
  const memTextKb = prep.reduce((s, p) => s + p.mem_text_bytes, 0) / prep.reduce((s, p) => s + p.mem_docs, 0) / 1024;
  const memStateKb = prep.reduce((s, p) => s + p.mem_state_bytes, 0) / prep.reduce((s, p) => s + p.mem_docs, 0) / 1024;
  const frameBytes = prep[0].frame_bytes;

  // 1. Memory per open document, on a server that has served nothing else yet. Worker w holds
  // warmPer warm-up documents, then its share of the measured ones; urls[i] is where its
  // document i goes (null: not in this step).
  async function memory(srv) {
    const res = {};
    const urls = workers.map((_, w) => Array.from({ length: warmPer + memShare(w) }, (_, i) => srv.memUrl(w, i)));
    const pick = (w, f) => urls[w].map((u, i) => (f(i) ? u : null));
    await all((wk, w) => wk.call({ cmd: 'mem-open', urls: pick(w, (i) => i < warmPer) }, 'mem-opened'));
    await sleep(300);
    await all((wk) => wk.call({ cmd: 'mem-close' }, 'mem-closed'));
    await sleep(700);
    res.rss_before_kb = rssKb(srv.pid);
    const opened = await all((wk, w) => wk.call({ cmd: 'mem-open', urls: pick(w, (i) => i >= warmPer) }, 'mem-opened'));
    res.mem_loaded = opened.reduce((s, x) => s + x.loaded, 0);
    await sleep(1500);
    res.rss_open_kb = rssKb(srv.pid);
    res.kb_per_doc = (res.rss_open_kb - res.rss_before_kb) / res.mem_loaded;
    // Read back the first and the last measured document of each worker.
    const ver = await all((wk, w) => wk.call({ cmd: 'mem-verify', urls: urls[w], indexes: [warmPer, urls[w].length - 1] }, 'mem-verified'));
    res.mem_verified = ver.reduce((s, x) => s + x.ok, 0);
    res.mem_verify_of = 2 * W;
    res.mem_closes = Object.assign({}, ...opened.map((x) => x.closes));
    await all((wk) => wk.call({ cmd: 'mem-close' }, 'mem-closed'));
    return res;
  }

  // 2. One round of relay throughput on fresh documents.
  async function relay(srv, round) {
    const relayUrls = Array.from({ length: D }, (_, d) => Array.from({ length: E }, () => srv.relayUrl(round, d)));
    await all((wk, w) => { const [a, b] = docsOf(w); return wk.call({ cmd: 'relay-open', urls: relayUrls.slice(a, b), first: a }, 'relay-ready'); });
    await sleep(300);
    const go = { cmd: 'relay-go', rate: opt.rate, window: opt.window, warmMs: opt.warmup * 1000, measureMs: opt.seconds * 1000, updates };
    const done = all((wk) => wk.call(go, 'relay-done'));
    await sleep(opt.warmup * 1000);
    const c0 = cpuS(srv.pid), t0 = performance.now(), wc0 = workers.map((wk) => cpuS(wk.c.pid)), m0 = machineBusyS();
    const u0 = cpuS(srv.pid, 'user'), wu0 = workers.map((wk) => cpuS(wk.c.pid, 'user'));
    await sleep(opt.seconds * 1000);
    const c1 = cpuS(srv.pid), t1 = performance.now(), wc1 = workers.map((wk) => cpuS(wk.c.pid)), m1 = machineBusyS();
    const u1 = cpuS(srv.pid, 'user'), wu1 = workers.map((wk) => cpuS(wk.c.pid, 'user'));
    const r = await done;
    await all((wk) => wk.call({ cmd: 'relay-close' }, 'relay-closed'));
    const sum = (k) => r.reduce((s, x) => s + x[k], 0);
    const seconds = r.reduce((s, x) => s + x.seconds, 0) / r.length;
    const wall = (t1 - t0) / 1000;
    return {
      updates_per_s: sum('delivered') / seconds, frames_per_s: sum('frames') / seconds, sent_per_s: sum('sent') / seconds,
      held_per_s: sum('held') / seconds, exhausted: sum('exhausted'), undelivered_after: sum('undelivered_after'),
      drain_ms: Math.max(...r.map((x) => x.drain_ms)),
      server_cpu: (c1 - c0) / wall, server_user_cpu: (u1 - u0) / wall,
      clients_cpu: wc1.reduce((s, c, i) => s + c - wc0[i], 0) / wall, clients_user_cpu: wu1.reduce((s, c, i) => s + c - wu0[i], 0) / wall,
      busiest_client_cpu: Math.max(...wc1.map((c, i) => (c - wc0[i]) / wall)),
      // Cores busy with anything else on this machine meanwhile (noise).
      other_cpu: Math.max(0, (m1 - m0 - (c1 - c0) - wc1.reduce((s, c, i) => s + c - wc0[i], 0)) / wall),
      closes: Object.assign({}, ...r.map((x) => x.closes)),
    };
  }

  const servers = [];
  // --- the reference server: its own process, a fresh one for the memory figure and another
  // for the relay rounds (it keeps every document it has seen in memory: without persistence
  // y-websocket 1.5.4 never drops a document) ---
  const startRef = async () => {
    const port = await new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
    const env = { ...process.env, HOST: '127.0.0.1', PORT: String(port) };
    delete env.YPERSISTENCE;
    const proc = spawn(process.execPath, [join(root, 'tests/node_modules/y-websocket-ref/bin/server.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(proc);
    await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('reference server did not start')), 10000);
      proc.stdout.on('data', (d) => { if (String(d).includes('running at')) { clearTimeout(t); resolve(); } });
      proc.on('exit', (c) => { if (!proc.stopping) reject(new Error(`reference server exited ${c}`)); });
    });
    return { proc, port };
  };
  const stopRef = async (proc) => {
    proc.stopping = true;
    const exited = new Promise((r) => proc.once('exit', r));
    process.kill(proc.pid, 'SIGTERM');
    await exited;
    children.splice(children.indexOf(proc), 1);
  };
  const run = randomUUID().slice(0, 8);
  const refSrv = { key: 'reference', name: 'y-websocket 1.5.4', ...(await startRef()),
    memUrl: (w, i) => `ws://127.0.0.1:${refSrv.port}/mem-${run}-${w}-${i}`,
    relayUrl: (round, d) => `ws://127.0.0.1:${refSrv.port}/relay-${run}-${round}-${d}` };
  refSrv.pid = refSrv.proc.pid;
  servers.push(refSrv);

  // --- shuxiang: a fresh instance started for this bench (by bench/run.sh) ---
  if (opt.shuxiang) {
    const base = opt.shuxiang, token = opt.tokens[0];
    const call = (method, path, body) => apiCall(base, method, path, token, body);
    const me = await call('GET', '/api/v1/me');
    const village = (me.roles || []).find((g) => g.role === 'village_cadre')?.region_code;
    if (!village) throw new Error('the token must be a village cadre\'s');
    // The documents, owned by the cadre, who edits them through every editor's connection.
    const create = async (n, title) => {
      const ids = new Array(n);
      const queue = [...ids.keys()];
      await Promise.all(Array.from({ length: 4 }, async () => {
        while (queue.length) { const i = queue.shift(); ids[i] = (await call('POST', '/api/v1/docs', { kind: 'doc', title: `${title} ${i + 1}`, region_code: village })).id; }
      }));
      return ids;
    };
    const memIds = await create(MEM + warmPer * W, '基准文档');
    const relayIds = await create(D * opt.rounds, '协同编辑基准');
    const wsBase = base.replace(/^http/, 'ws');
    const q = `?token=${encodeURIComponent(token)}`;
    servers.push({ key: 'shuxiang', name: 'shuxiang', pid: Number(opt['shuxiang-pid']),
      memUrl: (w, i) => `${wsBase}/yjs/${memIds[memOffset(w) + i]}${q}`,
      relayUrl: (round, d) => `${wsBase}/yjs/${relayIds[round * D + d]}${q}` });
  }

  // Memory first (each server fresh), then the relay rounds interleaved, so that a burst of
  // noise on this shared machine hits both alike; the median round stands for each server.
  const results = {};
  if (opt.only) servers.splice(0, servers.length, ...servers.filter((x) => x.key === opt.only));  // development
  for (const srv of servers) results[srv.key] = { name: srv.name, ...(await memory(srv)), rounds: [] };
  if (servers.includes(refSrv)) {
    await stopRef(refSrv.proc);
    Object.assign(refSrv, await startRef());
    refSrv.pid = refSrv.proc.pid;
  }
  for (let round = 0; round < opt.rounds; round++) {
    for (const srv of servers) results[srv.key].rounds.push(await relay(srv, round));
  }
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  for (const srv of servers) {
    const r = results[srv.key];
    r.updates_per_s = median(r.rounds.map((x) => x.updates_per_s));
    r.server_cpu = median(r.rounds.map((x) => x.server_cpu));
    r.updates_per_server_cpu_s = median(r.rounds.map((x) => x.updates_per_s / x.server_cpu));
    r.server_threads = threads(srv.pid);
    r.rss_end_kb = rssKb(srv.pid);
  }
  for (const wk of workers) { wk.exiting = true; wk.c.send({ cmd: 'exit' }); }
  await sleep(200);
  stopAll();

  const out = {
    docs: D, editors: E, rate: opt.rate, offered_per_s: D * E * opt.rate, window: opt.window, warmup: opt.warmup, seconds: opt.seconds,
    rounds: opt.rounds, workers: W, update_frame_bytes: frameBytes, updates_per_editor: updates,
    mem_docs: MEM, mem_text_kb: memTextKb, mem_state_kb: memStateKb, prepare_ms: Math.max(...prep.map((p) => p.ms)),
    total_s: (performance.now() - started) / 1000, ...results,
  };
  if (results.shuxiang && results.reference) {
    out.relay_ratio = results.shuxiang.updates_per_s / results.reference.updates_per_s;
    out.mem_ratio = results.shuxiang.kb_per_doc / results.reference.kb_per_doc;
  }
  if (opt.json) writeFileSync(opt.json, JSON.stringify(out) + '\n');
  if (!opt.lines) { console.log(JSON.stringify(out)); return; }
  const sx = results.shuxiang, rf = results.reference, both = sx && rf;
  const f = (x, d = 0) => (x === undefined ? '—' : x.toFixed(d));
  console.log(`Yjs relay, ${D} docs × ${E} editors: shuxiang ${f(sx?.updates_per_s)} updates/s delivered vs y-websocket 1.5.4 ${f(rf?.updates_per_s)}, ratio ${f(out.relay_ratio, 2)} (target >= 3.0) ${both ? (out.relay_ratio >= 3 ? 'PASS' : 'FAIL') : '—'}`);
  const noise = Math.max(...Object.values(results).flatMap((r) => r.rounds.map((x) => x.other_cpu)));
  if (both) console.log(`  (information) relay cost: shuxiang ${f(sx.updates_per_server_cpu_s)} updates delivered per CPU-second on ${f(sx.server_cpu, 2)} cores vs y-websocket ${f(rf.updates_per_server_cpu_s)} on ${f(rf.server_cpu, 2)}; the clients used ${f(Math.max(...sx.rounds.map((x) => x.clients_cpu)), 2)} cores`);
  const client = Math.max(...Object.values(results).flatMap((r) => r.rounds.map((x) => x.busiest_client_cpu)));
  if (client > 0.85) console.log(`  (a client process used ${client.toFixed(2)} of a core: the clients may have limited the relay; try --workers ${W + 1})`);
  for (const r of Object.values(results)) {
    const lost = r.rounds.reduce((a, x) => a + x.undelivered_after, 0);
    const closes = Object.assign({}, r.mem_closes, ...r.rounds.map((x) => x.closes));
    if (lost || Object.keys(closes).length || r.mem_verified < r.mem_verify_of) {
      console.log(`  (problem with ${r.name}: ${lost} updates never delivered, connections closed by it: ${JSON.stringify(closes)}, documents read back intact: ${r.mem_verified} of ${r.mem_verify_of})`);
    }
  }
  if (noise > 0.25) console.log(`  (noisy machine: other processes kept up to ${noise.toFixed(2)} of ${cpus().length} cores busy during the relay rounds)`);
  console.log(`memory per open document (${MEM} docs, 1 client each, ~${memTextKb.toFixed(1)} KB of text): shuxiang ${f(sx?.kb_per_doc, 1)} KB vs y-websocket ${f(rf?.kb_per_doc, 1)} KB, ratio ${f(out.mem_ratio, 2)} (target <= 0.33) ${both ? (out.mem_ratio <= 0.33 ? 'PASS' : 'FAIL') : '—'}`);
}

if (process.argv[2] === '--worker') worker();
else main().catch((err) => { console.error(err); process.exit(1); });
