// Differential test of the C++ Yjs update functions (src/modules/docs/yupdate.cc, through the
// driver tests/tools/yjs_cli.cc, built as build/sx_yjs_cli) against npm yjs 13.6.33: randomized
// edit sessions of real Y.Doc clients, then MergeUpdates / DiffUpdate /
// EncodeStateVectorFromUpdate must give byte-identical output to Y.mergeUpdates / Y.diffUpdate /
// Y.encodeStateVectorFromUpdate, and malformed input must be refused cleanly.
//
// Environment: YJS_SESSIONS (random edit sessions, default 120), YJS_SEED (default 1),
// SX_YJS_CLI (the driver; default build/sx_yjs_cli). Mismatches are written to the temp dir as
// yjs-mismatch-*.txt.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const YCLI = process.env.SX_YJS_CLI ?? new URL('../../../build/sx_yjs_cli', import.meta.url).pathname
const SESSIONS = Number(process.env.YJS_SESSIONS ?? 120)
const SEED = Number(process.env.YJS_SEED ?? 1)
const MISMATCH_DIR = tmpdir()

const Y = await import('yjs')
const encoding = await import('lib0/encoding')

// ---- helpers ----

// A small seeded generator (mulberry32), so a failing run can be repeated.
function makeRng (seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const rng = {
    next,
    int: (n) => Math.floor(next() * n), // 0 .. n-1
    bool: (p = 0.5) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
    shuffle: (list) => {
      const a = list.slice()
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [a[i], a[j]] = [a[j], a[i]]
      }
      return a
    }
  }
  return rng
}

const hex = (bytes) => bytes.length === 0 ? '-' : Buffer.from(bytes).toString('hex')
const fromHex = (s) => s === '-' ? new Uint8Array() : Uint8Array.from(Buffer.from(s, 'hex'))

// Runs requests {cmd, inputs} through the driver; returns its answer lines.
function runCli (requests) {
  const input = requests.map(r => [r.cmd, ...r.inputs.map(hex)].join(' ')).join('\n') + '\n'
  const result = spawnSync(YCLI, [], {
    input,
    maxBuffer: 1 << 30,
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=1', UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1' }
  })
  assert.equal(result.error, undefined, String(result.error))
  assert.equal(result.stderr.toString(), '', 'driver stderr (sanitizer report?)')
  assert.equal(result.status, 0, `driver exit status ${result.status} signal ${result.signal}`)
  const lines = result.stdout.toString().split('\n')
  lines.pop()
  assert.equal(lines.length, requests.length, 'one answer per request')
  return lines
}

// What npm yjs answers: 'ok HEX' or 'error MESSAGE'.
function jsAnswer ({ cmd, inputs }) {
  try {
    if (cmd === 'merge') return 'ok ' + hex(Y.mergeUpdates(inputs))
    if (cmd === 'diff') return 'ok ' + hex(Y.diffUpdate(inputs[0], inputs[1]))
    if (cmd === 'sv') return 'ok ' + hex(Y.encodeStateVectorFromUpdate(inputs[0]))
  } catch (e) {
    return 'error ' + String(e && e.message).split('\n')[0]
  }
  throw new Error('unknown command ' + cmd)
}

let mismatchFiles = 0
function saveMismatch (request, expected, actual) {
  const file = join(MISMATCH_DIR, `yjs-mismatch-${process.pid}-${++mismatchFiles}.txt`)
  writeFileSync(file, [request.cmd, ...request.inputs.map(hex)].join(' ') + '\n# yjs: ' + expected + '\n# c++: ' + actual + '\n')
  return file
}

// Requires byte-identical answers (errors must be errors on both sides).
function assertSameAnswers (requests, label) {
  const answers = runCli(requests)
  let ok = 0
  let errors = 0
  requests.forEach((request, i) => {
    const expected = jsAnswer(request)
    const actual = answers[i]
    const same = expected.startsWith('ok ') ? actual === expected : actual.startsWith('error ')
    if (!same) {
      const file = saveMismatch(request, expected, actual)
      assert.fail(`${label}: ${request.cmd} differs from yjs (saved to ${file})\nyjs: ${expected.slice(0, 300)}\nc++: ${actual.slice(0, 300)}`)
    }
    if (expected.startsWith('ok ')) ok++; else errors++
  })
  return { ok, errors }
}

// ---- random edit sessions with real Y.Doc clients ----

const TEXTS = ['你好', '世界', '数乡', '村委会通知', '😀', '👍🏽', '𠮷野家', '🇨🇳', 'abc', ' ', '\n', 'é', 'x', '👨‍👩‍👧']
const KEYS = ['a', 'b', '名字', '标题', 'k1', '1', '10', 'emoji😀', '']

function randomText (rng) {
  let s = ''
  for (let n = 1 + rng.int(4); n > 0; n--) s += rng.pick(TEXTS)
  return s
}

// JSON-compatible values: what Y.Map/Y.Array store as Any and what formats and embeds carry.
function randomJson (rng, depth = 0) {
  switch (rng.int(depth > 2 ? 6 : 8)) {
    case 0: return null
    case 1: return rng.bool()
    case 2: return rng.pick([0, 1, -1, 42, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 40, 2 ** 53 - 1, -(2 ** 52)])
    case 3: return rng.pick([1.5, -0.25, 0.1, 1e-7, 1e21, 3.14159, -1e300, 5e-324])
    case 4: return randomText(rng)
    case 5: return rng.pick(['', '"quoted"', 'back\\slash', 'tab\tnewline\n', '\u0001ctrl'])
    case 6: return Array.from({ length: rng.int(4) }, () => randomJson(rng, depth + 1))
    default: {
      const o = {}
      for (let n = rng.int(4); n > 0; n--) o[rng.pick(KEYS)] = randomJson(rng, depth + 1)
      return o
    }
  }
}

// Any values also hold undefined, bigints, -0, NaN and Uint8Arrays.
function randomAny (rng, depth = 0) {
  switch (rng.int(12)) {
    case 0: return undefined
    case 1: return rng.pick([10n, -(2n ** 63n), 2n ** 63n - 1n])
    case 2: return rng.pick([-0, NaN, Infinity, -Infinity])
    case 3: return Uint8Array.from({ length: rng.int(5) }, () => rng.int(256))
    case 4: return depth < 3 ? Array.from({ length: rng.int(4) }, () => randomAny(rng, depth + 1)) : null
    default: return randomJson(rng, depth)
  }
}

let subdocCount = 0
function randomMapValue (rng) {
  switch (rng.int(10)) {
    case 0: return new Y.Map()
    case 1: { const a = new Y.Array(); a.insert(0, [randomJson(rng), randomText(rng)]); return a }
    case 2: { const t = new Y.Text(); t.insert(0, randomText(rng)); return t }
    case 3: return Uint8Array.from({ length: rng.int(6) }, () => rng.int(256))
    case 4: return new Y.Doc({ guid: `sub-${++subdocCount}`, autoLoad: rng.bool(), meta: rng.bool() ? randomJson(rng) : undefined, gc: rng.bool() })
    default: return randomAny(rng)
  }
}

function randomXmlNode (rng) {
  switch (rng.int(4)) {
    case 0: { const e = new Y.XmlElement(rng.pick(['p', 'div', '段落', 'h1'])); e.setAttribute('class', rng.pick(['a', 'b'])); return e }
    case 1: return new Y.XmlElement(rng.pick(['span', 'em']))
    case 2: { const t = new Y.XmlText(); t.insert(0, randomText(rng)); return t }
    default: return new Y.XmlHook(rng.pick(['hook', '钩子']))
  }
}

// Every shared type reachable in `doc`, roots first.
function sharedTypes (doc) {
  const found = []
  const visit = (type, depth) => {
    found.push(type)
    if (depth > 4) return
    if (type instanceof Y.Map) {
      for (const v of type.values()) if (v instanceof Y.AbstractType) visit(v, depth + 1)
    } else if (type instanceof Y.Array || type instanceof Y.XmlFragment) {
      for (const v of type.toArray()) if (v instanceof Y.AbstractType) visit(v, depth + 1)
    }
  }
  visit(doc.getText('t'), 0)
  visit(doc.getMap('m'), 0)
  visit(doc.getArray('a'), 0)
  visit(doc.getXmlFragment('x'), 0)
  return found
}

function editText (rng, text) {
  const len = text.length
  const at = rng.int(len + 1)
  switch (rng.int(6)) {
    case 0:
    case 1: text.insert(at, randomText(rng), rng.bool(0.3) ? { bold: true } : undefined); break
    case 2: if (len > 0) { const start = rng.int(len); text.delete(start, 1 + rng.int(Math.min(5, len - start))) } break
    case 3: if (len > 0) text.format(rng.int(len), 1 + rng.int(4), rng.pick([{ bold: true }, { bold: null }, { color: '#f00', size: 12 }, { link: { href: 'https://x.cn/路径' } }])); break
    case 4: text.insertEmbed(at, rng.pick([{ image: 'a.png' }, { formula: 'e=mc²' }, { data: randomJson(rng) }])); break
    default: text.insert(at, rng.pick(['😀', '𠮷', '\uD83D', 'a']))
  }
}

function editType (rng, type) {
  if (type instanceof Y.Text) return editText(rng, type)
  if (type instanceof Y.Map) {
    const keys = [...type.keys()]
    if (keys.length > 0 && rng.bool(0.25)) type.delete(rng.pick(keys))
    else type.set(rng.pick(KEYS), randomMapValue(rng))
    return
  }
  if (type instanceof Y.Array) {
    const len = type.length
    if (len > 0 && rng.bool(0.3)) {
      const at = rng.int(len)
      type.delete(at, 1 + rng.int(Math.min(4, len - at)))
    } else {
      // Y.Array refuses undefined and bigints at the top level
      const arrayValue = (v) => v === undefined ? null : typeof v === 'bigint' ? [v] : v
      const values = Array.from({ length: 1 + rng.int(4) }, () => arrayValue(rng.bool(0.8) ? randomAny(rng) : randomMapValue(rng)))
      type.insert(rng.int(len + 1), values)
    }
    return
  }
  if (type instanceof Y.XmlElement && rng.bool(0.3)) {
    if (rng.bool(0.7)) type.setAttribute(rng.pick(['class', 'id', '标记']), rng.pick(['x', 'y', '值']))
    else type.removeAttribute('class')
    return
  }
  if (type instanceof Y.XmlFragment) {
    const len = type.length
    if (len > 0 && rng.bool(0.3)) type.delete(rng.int(len), 1)
    else type.insert(rng.int(len + 1), [randomXmlNode(rng)])
  }
}

// A few Y.Doc clients editing concurrently and syncing now and then. Returns every update they
// emitted, full states and diffs taken along the way, and state vectors seen.
function runSession (rng) {
  const docs = []
  const updates = []
  const states = []
  const stateVectors = [Uint8Array.of(0)]
  const ndocs = 2 + rng.int(3)
  const clientIds = new Set()
  while (clientIds.size < ndocs) {
    clientIds.add(rng.pick([1 + rng.int(2 ** 32 - 1), 1 + rng.int(100), 2 ** 40 + rng.int(1000), 2 ** 53 - 1 - rng.int(3)]))
  }
  for (const clientId of clientIds) {
    const doc = new Y.Doc({ gc: rng.bool(0.7) })
    doc.clientID = clientId
    doc.on('update', (u) => updates.push(u))
    docs.push(doc)
  }
  const rounds = rng.bool(0.1) ? 150 + rng.int(150) : 8 + rng.int(40)
  for (let round = 0; round < rounds; round++) {
    const doc = rng.pick(docs)
    const r = rng.next()
    if (r < 0.7) {
      doc.transact(() => {
        for (let n = 1 + rng.int(3); n > 0; n--) editType(rng, rng.pick(sharedTypes(doc)))
      })
    } else if (r < 0.9) {
      const other = rng.pick(docs)
      Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)))
    } else {
      const sv = Y.encodeStateVector(rng.pick(docs))
      stateVectors.push(sv, Y.encodeStateVector(doc))
      states.push(Y.encodeStateAsUpdate(doc), Y.encodeStateAsUpdate(doc, sv))
    }
  }
  for (const doc of docs) {
    states.push(Y.encodeStateAsUpdate(doc))
    stateVectors.push(Y.encodeStateVector(doc))
  }
  return { updates, states, stateVectors, docs }
}

function randomSubset (rng, pool, max) {
  const n = Math.min(pool.length, 2 + rng.int(max - 1))
  if (rng.bool(0.2)) return Array.from({ length: n }, () => rng.pick(pool)) // with repeats
  return rng.shuffle(pool).slice(0, n)
}

// A state vector from the clients in `updates` with random clocks, sometimes listing a client twice.
function randomStateVector (rng, updates) {
  const clients = new Set()
  for (const u of updates) {
    for (const [client] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(u))) clients.add(client)
  }
  const enc = encoding.createEncoder()
  const entries = [...clients].filter(() => rng.bool(0.7)).map(c => [c, rng.int(40)])
  if (entries.length > 0 && rng.bool(0.2)) entries.push([entries[0][0], rng.int(40)])
  encoding.writeVarUint(enc, entries.length)
  for (const [client, clock] of entries) {
    encoding.writeVarUint(enc, client)
    encoding.writeVarUint(enc, clock)
  }
  return encoding.toUint8Array(enc)
}

// Merge, diff and state-vector requests over a session's updates.
function sessionRequests (rng, session) {
  const { updates, states, stateVectors } = session
  const pool = [...updates, ...states]
  const requests = []
  if (pool.length === 0) return requests
  requests.push({ cmd: 'merge', inputs: updates })
  requests.push({ cmd: 'merge', inputs: [...pool].reverse() })
  const merged = []
  for (let i = 0; i < 8; i++) {
    const inputs = randomSubset(rng, pool, 16)
    requests.push({ cmd: 'merge', inputs })
    merged.push(Y.mergeUpdates(inputs))
  }
  // merging merged updates, with each other and with originals
  for (let i = 0; i < 3; i++) {
    requests.push({ cmd: 'merge', inputs: [rng.pick(merged), rng.pick(merged), rng.pick(pool)] })
  }
  if (pool.length >= 64 && rng.bool(0.5)) {
    requests.push({ cmd: 'merge', inputs: randomSubset(rng, pool, 130) }) // many inputs: TimSort merges runs
  }
  const all = [...pool, ...merged]
  for (let i = 0; i < 10; i++) {
    const sv = rng.pick([
      () => Uint8Array.of(0),
      () => rng.pick(stateVectors),
      () => Y.encodeStateVectorFromUpdate(rng.pick(all)),
      () => randomStateVector(rng, pool)
    ])()
    requests.push({ cmd: 'diff', inputs: [rng.pick(all), sv] })
  }
  for (const u of rng.shuffle(all).slice(0, 12)) requests.push({ cmd: 'sv', inputs: [u] })
  return requests
}

// ---- synthetic updates: structurally valid but unlike what Y.Doc writes ----
// Skips, gaps, overlapping ranges between updates, zero-length items, clients out of order,
// every content type (JSON content included, which Yjs no longer writes) and unsorted delete sets.

function writeJsonString (enc, value) {
  encoding.writeVarString(enc, value === undefined ? 'undefined' : JSON.stringify(value))
}

function writeSyntheticItem (rng, enc) {
  const ref = 1 + rng.int(9)
  const hasOrigin = rng.bool(0.4)
  const hasRightOrigin = rng.bool(0.3)
  const hasParentSub = rng.bool(0.3)
  encoding.writeUint8(enc, ref | (hasOrigin ? 0x80 : 0) | (hasRightOrigin ? 0x40 : 0) | (hasParentSub ? 0x20 : 0))
  const writeId = () => { encoding.writeVarUint(enc, rng.int(5)); encoding.writeVarUint(enc, rng.int(30)) }
  if (hasOrigin) writeId()
  if (hasRightOrigin) writeId()
  if (!hasOrigin && !hasRightOrigin) {
    const parentInfo = rng.pick([0, 1, 1, 2])
    encoding.writeVarUint(enc, parentInfo)
    if (parentInfo === 1) encoding.writeVarString(enc, rng.pick(['t', 'm', '根']))
    else writeId()
    if (hasParentSub) encoding.writeVarString(enc, rng.pick(KEYS))
  }
  switch (ref) {
    case 1: encoding.writeVarUint(enc, rng.int(6)); break
    case 2: {
      const n = rng.int(5)
      encoding.writeVarUint(enc, n)
      for (let i = 0; i < n; i++) writeJsonString(enc, rng.bool(0.2) ? undefined : randomJson(rng))
      break
    }
    case 3: encoding.writeVarUint8Array(enc, Uint8Array.from({ length: rng.int(4) }, () => rng.int(256))); break
    case 4: encoding.writeVarString(enc, rng.bool(0.1) ? '' : randomText(rng)); break
    case 5: writeJsonString(enc, randomJson(rng)); break
    case 6: encoding.writeVarString(enc, rng.pick(['bold', '颜色'])); writeJsonString(enc, randomJson(rng)); break
    case 7: {
      const typeRef = rng.int(7)
      encoding.writeVarUint(enc, typeRef)
      if (typeRef === 3 || typeRef === 5) encoding.writeVarString(enc, rng.pick(['p', '段落']))
      break
    }
    case 8: {
      const n = rng.int(5)
      encoding.writeVarUint(enc, n)
      for (let i = 0; i < n; i++) encoding.writeAny(enc, randomAny(rng))
      break
    }
    default:
      encoding.writeVarString(enc, rng.pick(['guid-1', '子文档']))
      encoding.writeAny(enc, randomSubdocOptions(rng))
  }
}

// Options as ContentDoc.write produces them: only these keys, in this order.
function randomSubdocOptions (rng) {
  const options = {}
  if (rng.bool()) options.gc = false
  if (rng.bool()) options.autoLoad = true
  if (rng.bool()) options.meta = randomJson(rng) ?? 'meta'
  return options
}

function syntheticUpdate (rng) {
  const enc = encoding.createEncoder()
  const clients = rng.shuffle([0, 1, 2, 3, 4, 2 ** 53 - 1]).slice(0, rng.int(4))
  encoding.writeVarUint(enc, clients.length)
  for (const client of clients) {
    const n = rng.int(6)
    encoding.writeVarUint(enc, n)
    encoding.writeVarUint(enc, client)
    encoding.writeVarUint(enc, rng.pick([0, 0, rng.int(10), rng.int(30)]))
    for (let i = 0; i < n; i++) {
      const kind = rng.int(10)
      if (kind === 0) { encoding.writeUint8(enc, 0); encoding.writeVarUint(enc, rng.int(6)) } // GC
      else if (kind === 1) { encoding.writeUint8(enc, 10); encoding.writeVarUint(enc, rng.int(6)) } // Skip
      else writeSyntheticItem(rng, enc)
    }
  }
  const dsClients = Array.from({ length: rng.int(4) }, () => rng.pick([0, 1, 2, 3, 2 ** 53 - 1]))
  encoding.writeVarUint(enc, dsClients.length)
  for (const client of dsClients) {
    const n = rng.int(4)
    encoding.writeVarUint(enc, client)
    encoding.writeVarUint(enc, n)
    for (let i = 0; i < n; i++) { encoding.writeVarUint(enc, rng.int(30)); encoding.writeVarUint(enc, rng.int(6)) }
  }
  return encoding.toUint8Array(enc)
}

// ---- malformed input ----

function encodeVarUintBytes (n) { // any non-negative BigInt, lib0 layout
  const out = []
  do {
    let b = Number(n & 0x7Fn)
    n >>= 7n
    if (n > 0n) b |= 0x80
    out.push(b)
  } while (n > 0n)
  return out
}

// Handmade updates with huge counts, lengths and clocks.
function hugeValueUpdates () {
  const huge = [2n ** 53n - 1n, 2n ** 53n, 2n ** 56n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 70n, 2n ** 32n]
  const cases = []
  for (const n of huge) {
    const v = encodeVarUintBytes(n)
    cases.push(
      [...v], // number of clients
      [1, ...v, 7, 0], // number of structs
      [1, 1, ...v, 0, 0, 0], // client id, then a GC struct of length 0, empty delete set
      [1, 1, 7, ...v, 0, 1, 0], // start clock
      [1, 1, 7, 0, 0, ...v, 0], // GC length
      [1, 1, 7, 0, 10, ...v, 0], // Skip length
      [1, 1, 7, 0, 1, ...v, 0], // ContentDeleted length, no parent info read
      [1, 1, 7, 0, 0x84, 1, 1, ...v, 0x61], // string length
      [1, 1, 7, 0, 0x83, 1, 1, ...v], // binary length
      [1, 1, 7, 0, 0x82, 1, 1, ...v, 1, 0x31], // number of JSON elements
      [1, 1, 7, 0, 0x88, 1, 1, ...v, 0x7e], // number of Any elements
      [1, 1, 7, 0, 0x88, 1, 1, 1, 0x75, ...v, 0x7e], // Any array length
      [1, 1, 7, 0, 0x88, 1, 1, 1, 0x76, ...v, 1, 0x61, 0x7e], // Any object size
      [1, 1, 7, 0, 0x88, 1, 1, 1, 0x7d, ...v, 0], // Any varInt (first byte has 6 bits)
      [1, 1, 7, 0, 0x87, 1, 1, ...v], // type ref
      [0, ...v], // delete set clients
      [0, 1, 7, ...v, 1, 1], // delete set ranges
      [0, 1, 7, 1, ...v, 1], // delete clock
      [0, 1, 7, 1, 1, ...v], // delete length
      [1, 1, 7, ...encodeVarUintBytes(2n ** 53n - 3n), 0, 5, 0] // clock + length beyond 2^53 - 1
    )
  }
  cases.push(
    [1, 1, 7, 0, 0, 0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0], // GC length 5 in 12 bytes
    [1, 1, 7, 0, 0x8B, 1, 1, 0], // content ref 11
    [1, 1, 7, 0, 0x8A, 1, 1, 0], // content ref 10 with origin bits: not a Skip
    [1, 1, 7, 0, 0x87, 1, 1, 7, 0], // type ref 7
    [1, 1, 7, 0, 0x88, 1, 1, 1, 0x73, 0], // Any tag 115
    [1, 1, 7, 0, 0x89, 1, 1, 1, 0x67, 0x7e, 0], // subdocument options null
    [1, 1, 7, 0, 0x85, 1, 1, 2, 0x7b, 0x7d, 0], // embed "{}"
    [1, 1, 7, 0, 0x85, 1, 1, 3, 0x7b, 0x20, 0x7d, 0], // embed "{ }": valid JSON, not canonical
    [1, 1, 7, 0, 0x85, 1, 1, 1, 0x7b, 0], // embed "{": invalid JSON
    [1, 1, 7, 0, 0x84, 1, 1, 2, 0xc0, 0x80, 0], // overlong UTF-8
    [1, 1, 7, 0, 0x84, 1, 1, 3, 0xed, 0xa0, 0x80, 0], // encoded surrogate
    [1, 1, 7, 0, 0x84, 1, 1, 3, 0xef, 0xbb, 0xbf, 0] // byte order mark: kept
  )
  // deep nesting: an Any array of arrays, and a JSON array of arrays
  for (const depth of [999, 1001, 5000]) {
    cases.push([1, 1, 7, 0, 0x88, 1, 1, 1, ...Array(depth).fill([0x75, 1]).flat(), 0x7e, 0])
    const json = Buffer.from('['.repeat(depth) + ']'.repeat(depth))
    cases.push([1, 1, 7, 0, 0x85, 1, 1, ...encodeVarUintBytes(BigInt(json.length)), ...json, 0])
  }
  return cases.map(c => Uint8Array.from(c))
}

// The update as yjs writes it after decoding it struct by struct: the same structs and delete
// set, with every content value decoded and encoded again by yjs.
function reencodeValues (update) {
  const { structs, ds } = Y.decodeUpdate(update)
  const encoder = new Y.UpdateEncoderV1()
  const runs = []
  for (const struct of structs) {
    const last = runs[runs.length - 1]
    if (last && last[0].id.client === struct.id.client) last.push(struct)
    else runs.push([struct])
  }
  encoding.writeVarUint(encoder.restEncoder, runs.length)
  for (const run of runs) {
    encoding.writeVarUint(encoder.restEncoder, run.length)
    encoding.writeVarUint(encoder.restEncoder, run[0].id.client)
    encoding.writeVarUint(encoder.restEncoder, run[0].id.clock)
    for (const struct of run) struct.write(encoder, 0)
  }
  const clients = [...ds.clients.entries()].sort((a, b) => b[0] - a[0])
  encoding.writeVarUint(encoder.restEncoder, clients.length)
  for (const [client, items] of clients) {
    encoding.writeVarUint(encoder.restEncoder, client)
    encoding.writeVarUint(encoder.restEncoder, items.length)
    for (const item of items) {
      encoding.writeVarUint(encoder.restEncoder, item.clock)
      encoding.writeVarUint(encoder.restEncoder, item.len)
    }
  }
  return encoder.toUint8Array()
}

// Classifies the C++ answer to malformed input against yjs's:
//  - C++ must never accept what yjs rejects, and must not crash (runCli checks that);
//  - when both accept, the bytes must match, or differ only in how content values are encoded
//    (checked by re-encoding both through yjs's own decoder and encoder);
//  - C++ may reject what yjs accepts only for the reasons yupdate.h documents.
function compareMalformed (requests, tally) {
  const answers = runCli(requests)
  const reencode = (h) => hex(reencodeValues(fromHex(h)))
  requests.forEach((request, i) => {
    const expected = jsAnswer(request)
    const actual = answers[i]
    const fail = (why) => {
      const file = saveMismatch(request, expected, actual)
      assert.fail(`${why} (saved to ${file})\nyjs: ${expected.slice(0, 200)}\nc++: ${actual.slice(0, 200)}`)
    }
    if (expected.startsWith('error')) {
      if (!actual.startsWith('error')) fail('C++ accepted input that yjs rejects')
      tally.bothRejected++
    } else if (actual === expected) {
      tally.identical++
    } else if (actual.startsWith('ok ')) {
      if (request.cmd === 'sv') fail('state vectors differ')
      let same = false
      try { same = reencode(actual.slice(3)) === reencode(expected.slice(3)) } catch {}
      if (!same) fail('C++ output differs beyond value encoding')
      tally.valueEncoding++
    } else {
      // Allowed: values beyond 2^53 - 1, deep nesting, and a varInt cut at the very end, which
      // yjs reads as 0 when nothing follows (only encodeStateVectorFromUpdate, which skips the
      // delete set, can end there).
      const kind = actual.split(' ')[1]
      tally.stricter[kind] = (tally.stricter[kind] ?? 0) + 1
      const allowed = kind === 'out_of_range' || kind === 'too_deep' || (kind === 'truncated' && request.cmd === 'sv')
      if (!allowed) fail('C++ rejected input that yjs accepts')
    }
  })
}

// ---- tests ----

test('V8 sort port orders like Array.prototype.sort with an inconsistent comparator', () => {
  const rng = makeRng(SEED)
  const requests = []
  const expected = []
  for (let i = 0; i < 400; i++) {
    const n = 1 + rng.int(i % 4 === 0 ? 300 : 40)
    const items = Array.from({ length: n }, (_, index) => ({ key: rng.int(i % 2 ? 4 : n), group: rng.int(2), index }))
    const sorted = items.slice().sort((a, b) => a.key !== b.key ? a.key - b.key : a.group === b.group ? 0 : -1)
    requests.push(['sort', ...items.map(x => `${x.key}:${x.group}`)].join(' '))
    expected.push('ok ' + sorted.map(x => x.index).join(','))
  }
  const result = spawnSync(YCLI, [], { input: requests.join('\n') + '\n', maxBuffer: 1 << 28 })
  assert.equal(result.status, 0)
  assert.deepEqual(result.stdout.toString().trimEnd().split('\n'), expected)
})

test(`random edit sessions: merge, diff and state vectors identical to yjs (${SESSIONS} sessions)`, (t) => {
  const rng = makeRng(SEED)
  let requests = []
  const totals = { sessions: 0, updates: 0, requests: 0, ok: 0, errors: 0, bytes: 0, mergesOf64OrMore: 0 }
  const flush = () => {
    const { ok, errors } = assertSameAnswers(requests, 'session')
    totals.ok += ok
    totals.errors += errors
    totals.requests += requests.length
    requests = []
  }
  for (let s = 0; s < SESSIONS; s++) {
    const session = runSession(rng)
    totals.sessions++
    totals.updates += session.updates.length + session.states.length
    for (const r of sessionRequests(rng, session)) {
      requests.push(r)
      totals.bytes += r.inputs.reduce((sum, u) => sum + u.length, 0)
      if (r.cmd === 'merge' && r.inputs.length >= 64) totals.mergesOf64OrMore++
    }
    for (const doc of session.docs) doc.destroy()
    if (requests.length > 2000) flush()
  }
  flush()
  t.diagnostic(JSON.stringify(totals))
  assert.equal(totals.errors, 0, 'yjs itself rejected none of the session inputs')
})

test('synthetic updates: Skips, gaps, overlaps, every content type, unsorted delete sets', (t) => {
  const rng = makeRng(SEED + 1)
  const requests = []
  for (let i = 0; i < 3000; i++) {
    const pool = Array.from({ length: 2 + rng.int(10) }, () => syntheticUpdate(rng))
    requests.push({ cmd: 'merge', inputs: randomSubset(rng, pool, 10) })
    requests.push({ cmd: 'merge', inputs: [Y.mergeUpdates(pool.slice(0, 3)), rng.pick(pool)] })
    requests.push({ cmd: 'diff', inputs: [rng.pick(pool), rng.bool(0.2) ? Uint8Array.of(0) : randomStateVector(rng, pool)] })
    requests.push({ cmd: 'sv', inputs: [rng.pick(pool)] })
  }
  const { ok, errors } = assertSameAnswers(requests, 'synthetic')
  t.diagnostic(JSON.stringify({ requests: requests.length, ok, errors }))
})

test('malformed input: truncations, mutations, random bytes, huge values', (t) => {
  const rng = makeRng(SEED + 2)
  const tally = { requests: 0, bothRejected: 0, identical: 0, valueEncoding: 0, stricter: {} }
  const valid = []
  for (let s = 0; s < 12; s++) {
    const session = runSession(rng)
    valid.push(...rng.shuffle([...session.updates, ...session.states]).slice(0, 4))
    session.docs.forEach(d => d.destroy())
  }
  for (let i = 0; i < 20; i++) valid.push(syntheticUpdate(rng))
  const other = valid[0]
  const someSv = Y.encodeStateVectorFromUpdate(other)
  const check = (requests) => { tally.requests += requests.length; compareMalformed(requests, tally) }

  // every truncation of each valid update, in every function
  for (const update of valid.filter(u => u.length < 600)) {
    const requests = []
    for (let len = 0; len < update.length; len++) {
      const cut = update.subarray(0, len)
      requests.push({ cmd: 'sv', inputs: [cut] }, { cmd: 'diff', inputs: [cut, Uint8Array.of(0)] },
        { cmd: 'diff', inputs: [cut, someSv] }, { cmd: 'merge', inputs: [cut, other] },
        { cmd: 'merge', inputs: [other, cut] })
    }
    // truncated state vectors
    const sv = Y.encodeStateVectorFromUpdate(update)
    for (let len = 0; len < sv.length; len++) requests.push({ cmd: 'diff', inputs: [update, sv.subarray(0, len)] })
    check(requests)
  }

  // random byte changes of valid updates
  const mutations = []
  for (let i = 0; i < 6000; i++) {
    const u = Uint8Array.from(rng.pick(valid))
    if (u.length === 0) continue
    for (let n = 1 + rng.int(3); n > 0; n--) {
      const at = rng.int(u.length)
      u[at] = rng.bool(0.5) ? rng.int(256) : u[at] ^ (1 << rng.int(8))
    }
    mutations.push(rng.pick([{ cmd: 'sv', inputs: [u] }, { cmd: 'diff', inputs: [u, someSv] }, { cmd: 'merge', inputs: [u, other] }]))
  }
  check(mutations)

  // random bytes, alone and after a plausible header
  const noise = []
  for (let i = 0; i < 4000; i++) {
    const body = Array.from({ length: rng.int(48) }, () => rng.int(256))
    const u = Uint8Array.from(rng.bool(0.5) ? [1, 1 + rng.int(3), rng.int(5), rng.int(5), ...body] : body)
    noise.push({ cmd: rng.pick(['sv', 'diff', 'merge']), inputs: [u] })
    if (noise[noise.length - 1].cmd === 'diff') noise[noise.length - 1].inputs.push(Uint8Array.from(body.slice(0, 6)))
    if (noise[noise.length - 1].cmd === 'merge') noise[noise.length - 1].inputs.push(Uint8Array.of(0, 0))
  }
  check(noise)

  // huge counts, lengths and clocks; deep nesting
  const huge = []
  for (const u of hugeValueUpdates()) {
    huge.push({ cmd: 'sv', inputs: [u] }, { cmd: 'diff', inputs: [u, Uint8Array.of(0)] }, { cmd: 'merge', inputs: [u, Uint8Array.of(0, 0)] })
    huge.push({ cmd: 'diff', inputs: [other, u] }) // as a state vector
  }
  check(huge)
  t.diagnostic(JSON.stringify(tally))
})
