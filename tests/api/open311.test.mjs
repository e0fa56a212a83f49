// Open311 GeoReport v2 at /open311/v2/ (jurisdiction_id = the county code), checked against the
// spec, not against our own output: every JSON response is validated with JSON Schemas written from
// the spec (tests/support/open311-schemas.mjs); every XML response must be UTF-8 text/xml with an
// XML declaration, well-formed, with the spec's element names, no namespaces, no foreign tags, and
// carry the same records as its JSON twin. Partners post form-encoded exactly like FixMyStreet
// (perllib/Open311.pm). Runs on SQLite and on a throwaway PostgreSQL.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { startServer, stopSharedPostgres } from '../support/server.mjs';
import { account, signIn } from '../support/accounts.mjs';
import { KINDS, XML_ITEMS, SPECIFICATION } from '../support/open311-schemas.mjs';

const JURISDICTION = '500238';
const FORM_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';
const DAY = 24 * 3600 * 1000;

// ---- schema validation -------------------------------------------------------------------------
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validators = Object.fromEntries(Object.entries(KINDS).map(([k, v]) => [k, ajv.compile(v.schema)]));
function assertSchema(kind, data, where) {
  const v = validators[kind];
  if (v(data)) return;
  const why = [...new Set(v.errors.map((e) => `${e.instancePath.replace(/\/\d+/g, '/*') || '/'} ${e.message}` +
    (e.params?.additionalProperty ? `: ${e.params.additionalProperty}` : '')))].join('; ');
  assert.fail(`${where}: not a valid ${kind} by the spec: ${why}\n${JSON.stringify(data).slice(0, 1500)}`);
}

// ---- XML ---------------------------------------------------------------------------------------
const ITEM_PATHS = new Set([
  'services.service', 'service_requests.request', 'errors.error', 'service_request_updates.request_update',
  'discovery.endpoints.endpoint', 'discovery.endpoints.endpoint.formats.format',
  'service_definition.attributes.attribute', 'service_definition.attributes.attribute.values.value',
]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: false,
  isArray: (name, jpath) => ITEM_PATHS.has(jpath),
});

// No namespaces (no xmlns, no prefixed names) and no attributes: every value is element text.
function assertPlainElements(node, path) {
  if (node === null || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    assert.ok(!k.startsWith('@_'), `${path}: attribute ${k.slice(2)} — the spec carries everything as element text`);
    assert.ok(!k.includes(':'), `${path}: namespaced element <${k}>`);
    assert.notEqual(k, '#text', `${path}: mixed content`);
    assertPlainElements(v, `${path}/${k}`);
  }
}

// The XML element tree read through the spec's schema: containers become arrays, empty elements of
// nullable fields null, booleans and numbers typed. Unknown elements stay as they are (the closed
// schemas then reject them).
function typed(x, s, name) {
  const types = [].concat(s.type ?? []);
  if (types.includes('array')) {
    if (x === '' || x === undefined) return [];
    assert.equal(typeof x, 'object', `<${name}> holds elements`);
    const item = XML_ITEMS[name];
    assert.deepEqual(Object.keys(x), [item], `<${name}> holds only <${item}> elements`);
    return x[item].map((i) => typed(i, s.items, item));
  }
  if (types.includes('object')) {
    if (x === '') return {};
    assert.ok(x && typeof x === 'object' && !Array.isArray(x), `<${name}> is a record`);
    const out = {};
    for (const [k, v] of Object.entries(x)) {
      const ps = s.properties?.[k];
      if (!ps) { out[k] = v; continue; }
      if (!['array', 'object'].some((t) => [].concat(ps.type ?? []).includes(t)))
        assert.equal(typeof v, 'string', `<${name}><${k}> appears once, as text`);
      out[k] = typed(v, ps, k);
    }
    return out;
  }
  assert.equal(typeof x, 'string', `<${name}> is text`);
  if (x === '' && types.includes('null')) return null;
  if (types.includes('boolean') && (x === 'true' || x === 'false')) return x === 'true';
  if ((types.includes('integer') || types.includes('number')) && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(x)) return Number(x);
  return x;
}

function readXml(r, kind, where) {
  assert.equal(r.headers.get('content-type')?.toLowerCase(), 'text/xml; charset=utf-8', `${where}: Content-Type`);
  assert.match(r.text, /^<\?xml\s+version\s*=\s*["']1\.0["']\s+encoding\s*=\s*["']UTF-8["']\s*(standalone\s*=\s*["'](yes|no)["']\s*)?\?>/i,
    `${where}: starts with an XML declaration carrying encoding="UTF-8": ${r.text.slice(0, 80)}`);
  const valid = XMLValidator.validate(r.text);
  assert.equal(valid, true, `${where}: well-formed XML: ${JSON.stringify(valid)}`);
  const doc = parser.parse(r.text);
  const { root, schema } = KINDS[kind];
  const roots = Object.keys(doc).filter((k) => k !== '?xml');
  assert.deepEqual(roots, [root], `${where}: root element`);
  assertPlainElements(doc[root], `${where}: <${root}>`);
  const data = typed(doc[root], schema, root);
  assertSchema(kind, data, `${where} (XML)`);
  return data;
}

function readJson(r, kind, where) {
  assert.equal(r.headers.get('content-type')?.toLowerCase(), 'application/json; charset=utf-8', `${where}: Content-Type`);
  let data;
  assert.doesNotThrow(() => { data = JSON.parse(r.text); }, `${where}: JSON`);
  assertSchema(kind, data, `${where} (JSON)`);
  return data;
}

// XML cannot tell an empty string from null: compare with '' and null folded together.
const fold = (v) => (Array.isArray(v) ? v.map(fold)
  : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fold(x)]))
  : v === '' ? null : v);
function assertSameRecords(xml, json, where) {
  assert.deepEqual(fold(xml), fold(json), `${where}: the XML and JSON forms carry the same records`);
}

// ---- the suite ---------------------------------------------------------------------------------
for (const db of ['sqlite', 'postgres']) {
  describe(`open311 on ${db}`, () => {
    let srv, admin, cadre, resident, apiKey, keyId, village;
    const ids = {}; // filed in the tests below

    before(async () => {
      srv = await startServer({ db, residents: 300 });
      admin = await signIn(srv, account(srv, 'county_admin'));
      cadre = await signIn(srv, account(srv, 'village_cadre'));
      resident = await signIn(srv, account(srv, 'resident'));
      village = account(srv, 'village_cadre').region_code;
      const k = await admin.post('/api/v1/open311/keys', { name: 'FixMyStreet 测试' }, { headers: { 'idempotency-key': randomUUID() } });
      assert.equal(k.status, 201, k.text);
      apiKey = k.json.api_key;
      keyId = k.json.id;
      assert.ok(apiKey);
    });
    after(async () => { await srv?.stop(); if (db === 'postgres') await stopSharedPostgres(); });

    async function get(path) {
      const res = await fetch(srv.baseUrl + path);
      const buf = new Uint8Array(await res.arrayBuffer());
      let text;
      assert.doesNotThrow(() => { text = new TextDecoder('utf-8', { fatal: true }).decode(buf); }, `GET ${path}: UTF-8 body`);
      return { status: res.status, headers: res.headers, text };
    }
    // Form-encoded as FixMyStreet does: application/x-www-form-urlencoded; charset=utf-8,
    // api_key and jurisdiction_id in the form.
    async function postForm(path, fields) {
      const body = new URLSearchParams();
      for (const [k, v] of Array.isArray(fields) ? fields : Object.entries(fields)) if (v !== undefined) body.append(k, v);
      const res = await fetch(srv.baseUrl + path, { method: 'POST', headers: { 'content-type': FORM_TYPE }, body: body.toString() });
      return { status: res.status, headers: res.headers, text: await res.text() };
    }
    // GET base.xml and base.json with the same query; both must answer `status`, be valid and agree.
    async function both(base, query, kind, status = 200) {
      const rx = await get(`${base}.xml${query}`);
      const rj = await get(`${base}.json${query}`);
      assert.equal(rx.status, status, `GET ${base}.xml${query}: ${rx.text.slice(0, 400)}`);
      assert.equal(rj.status, status, `GET ${base}.json${query}: ${rj.text.slice(0, 400)}`);
      const x = readXml(rx, kind, `GET ${base}.xml${query}`);
      const j = readJson(rj, kind, `GET ${base}.json${query}`);
      assertSameRecords(x, j, `GET ${base}.{xml,json}${query}`);
      return j;
    }
    const q = (o) => '?' + new URLSearchParams(Object.entries(o).filter(([, v]) => v !== undefined)).toString();
    const fmsForm = (extra = {}) => {
      const base = [
        ['api_key', apiKey],
        ['jurisdiction_id', JURISDICTION],
        ['service_code', 'sanitation'],
        ['attribute[foo]', 'bar'],
        ['first_name', '三'],
        ['last_name', '张'],
        ['email', 'zhangsan@example.org'],
        ['phone', '13800138000'],
        ['description', '村口垃圾桶满了 three days, A&B <ok>\n第二行：请尽快清运'],
        ['lat', '31.402'],
        ['long', '109.601'],
        ['address_string', '村口 垃圾收集点'],
        ['address_id', village],
      ];
      // extra overrides a field (undefined drops it) or adds one.
      const out = base.map(([k, v]) => (k in extra ? [k, extra[k]] : [k, v]));
      for (const [k, v] of Object.entries(extra)) if (!base.some(([b]) => b === k)) out.push([k, v]);
      return out.filter(([, v]) => v !== undefined);
    };
    // Times as W3C datetimes: UTC and China Standard Time.
    const utc = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    const cst = (ms) => new Date(ms + 8 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, '+08:00');
    const listIds = (list) => list.map((x) => x.service_request_id);
    async function fileOpen311(fmt, extra) {
      const r = await postForm(`/open311/v2/requests.${fmt}`, fmsForm(extra));
      assert.equal(r.status, 200, `POST requests.${fmt}: ${r.text}`);
      const data = fmt === 'xml' ? readXml(r, 'postResponse', `POST requests.${fmt}`) : readJson(r, 'postResponse', `POST requests.${fmt}`);
      return data[0];
    }
    async function expectError(method, path, status, form) {
      const r = method === 'GET' ? await get(path) : await postForm(path, form);
      assert.equal(r.status, status, `${method} ${path}: expected ${status}, got ${r.status}: ${r.text.slice(0, 300)}`);
      const json = /\.json(\?|$)/.test(path);
      const errs = json ? readJson(r, 'errors', `${method} ${path}`) : readXml(r, 'errors', `${method} ${path}`);
      return errs;
    }

    test('discovery is served as XML and as JSON, by the Service Discovery spec', async () => {
      const d = await both('/open311/discovery', '', 'discovery');
      const ep = d.endpoints.find((e) => e.specification === SPECIFICATION);
      assert.ok(ep, `an endpoint for ${SPECIFICATION}`);
      assert.ok(ep.formats.includes('text/xml'), 'XML is required');
      assert.ok(ep.formats.includes('application/json'), 'JSON is announced');
      // A client appends the method to the endpoint URL, as FixMyStreet does.
      const base = new URL(ep.url);
      assert.ok(base.pathname.endsWith('/'), `endpoint url ${ep.url} ends with /`);
      const s = await get(`${base.pathname}services.xml?jurisdiction_id=${JURISDICTION}`);
      assert.equal(s.status, 200);
      readXml(s, 'services', 'GET {endpoint}services.xml');
    });

    test('services and each service definition, XML and JSON; jurisdiction_id empty or absent means the same', async () => {
      const list = await both('/open311/v2/services', `?jurisdiction_id=${JURISDICTION}`, 'services');
      assert.ok(list.length > 0);
      assert.ok(list.some((s) => s.service_code === 'sanitation'));
      assert.equal(new Set(list.map((s) => s.service_code)).size, list.length, 'service_code is unique');
      assert.deepEqual(await both('/open311/v2/services', '', 'services'), list, 'absent jurisdiction_id');
      assert.deepEqual(await both('/open311/v2/services', '?jurisdiction_id=', 'services'), list, 'empty jurisdiction_id');
      for (const s of list) {
        const def = await both(`/open311/v2/services/${encodeURIComponent(s.service_code)}`, `?jurisdiction_id=${JURISDICTION}`, 'serviceDefinition');
        assert.equal(def.service_code, s.service_code);
        if (!s.metadata) assert.ok(Array.isArray(def.attributes));
        const orders = def.attributes.map((a) => a.order);
        assert.equal(new Set(orders).size, orders.length, 'attribute order is unique within the service');
      }
    });

    test('POST requests.xml, form-encoded like FixMyStreet, returns a service_request_id', async () => {
      const t0 = Date.now();
      const res = await fileOpen311('xml');
      assert.ok(res.service_request_id, 'realtime service: an id at once');
      assert.ok(!res.token, 'service_request_id xor token');
      ids.xml = res.service_request_id;
      ids.xmlAt = t0;
    });

    test('POST requests.json returns a service_request_id in a one-element list', async () => {
      const res = await fileOpen311('json', { description: '河边有人倾倒建筑垃圾', lat: undefined, long: undefined, address_string: undefined });
      assert.ok(res.service_request_id);
      assert.notEqual(res.service_request_id, ids.xml);
      ids.json = res.service_request_id;
    });

    test('GET requests/{id} answers a list with one element, in XML and JSON', async () => {
      const list = await both(`/open311/v2/requests/${ids.xml}`, `?jurisdiction_id=${JURISDICTION}`, 'requests');
      assert.equal(list.length, 1);
      const r = list[0];
      assert.equal(r.service_request_id, ids.xml);
      assert.equal(r.service_code, 'sanitation');
      assert.equal(r.status, 'open');
      assert.equal(r.description, '村口垃圾桶满了 three days, A&B <ok>\n第二行：请尽快清运', 'form decoding (+, %xx, UTF-8, line breaks) and XML escaping');
      assert.equal(r.address, '村口 垃圾收集点', 'address_string comes back as address');
      assert.equal(r.address_id, village);
      assert.ok(Math.abs(r.lat - 31.402) < 1e-6 && Math.abs(r.long - 109.601) < 1e-6, `WGS84 lat/long as sent: ${r.lat},${r.long}`);
      const at = Date.parse(r.requested_datetime);
      assert.ok(at >= ids.xmlAt - 5000 && at <= Date.now() + 5000, `requested_datetime ${r.requested_datetime}`);
      assert.ok(!r.updated_datetime || Date.parse(r.updated_datetime) >= at);
      const viaJsonPost = await both(`/open311/v2/requests/${ids.json}`, '', 'requests');
      assert.deepEqual(listIds(viaJsonPost), [ids.json]);
    });

    test('tokens/{token} resolves to the service_request_id', async () => {
      const t = await both(`/open311/v2/tokens/${ids.xml}`, `?jurisdiction_id=${JURISDICTION}`, 'tokenResponse');
      assert.equal(t.length, 1);
      assert.equal(t[0].service_request_id, ids.xml);
      assert.equal(t[0].token, ids.xml);
      const e = await expectError('GET', `/open311/v2/tokens/${randomUUID()}.json`, 404);
      assert.equal(e[0].code, 404);
      await expectError('GET', `/open311/v2/tokens/${randomUUID()}.xml`, 404);
    });

    test('GET requests filters: service_request_id, service_code, dates with a timezone, status; over 90 days is a 400', async () => {
      // A third request, closed by the cadre (not fixed: closed at once).
      const c = await fileOpen311('xml', { service_code: 'dispute', description: '邻里之间因宅基地边界发生纠纷' });
      ids.closed = c.service_request_id;
      const sg = await cadre.post(`/api/v1/requests/${ids.closed}/sign`, {});
      assert.equal(sg.status, 200, sg.text);
      const f = await cadre.post(`/api/v1/requests/${ids.closed}/finish`, { outcome: 'not_fixed', note: '双方未达成一致，已告知司法途径' });
      assert.equal(f.status, 200, f.text);
      const J = JURISDICTION;

      // service_request_id: a comma list that overrides every other argument.
      const byIds = await both('/open311/v2/requests', q({ jurisdiction_id: J, service_request_id: `${ids.xml},${ids.json},${ids.closed}`,
        service_code: 'power', status: 'closed', start_date: '2001-01-01T00:00:00Z', end_date: '2005-01-01T00:00:00Z' }), 'requests');
      assert.deepEqual(listIds(byIds).sort(), [ids.xml, ids.json, ids.closed].sort());
      const closed = byIds.find((x) => x.service_request_id === ids.closed);
      assert.equal(closed.status, 'closed');
      assert.ok(closed.updated_datetime, 'a closed request carries its close time');
      assert.ok(Date.parse(closed.updated_datetime) >= Date.parse(closed.requested_datetime));

      // The default is the last 90 days.
      assert.ok(listIds(await both('/open311/v2/requests', q({ jurisdiction_id: J }), 'requests')).includes(ids.xml));

      // service_code (a comma list).
      const san = listIds(await both('/open311/v2/requests', q({ jurisdiction_id: J, service_code: 'sanitation' }), 'requests'));
      assert.ok(san.includes(ids.xml) && san.includes(ids.json) && !san.includes(ids.closed));
      const two = listIds(await both('/open311/v2/requests', q({ jurisdiction_id: J, service_code: 'dispute,sanitation' }), 'requests'));
      assert.ok(two.includes(ids.xml) && two.includes(ids.closed));
      assert.deepEqual(await both('/open311/v2/requests', q({ jurisdiction_id: J, service_code: 'power' }), 'requests')
        .then((l) => l.filter((x) => [ids.xml, ids.json, ids.closed].includes(x.service_request_id))), []);

      // start_date / end_date with a timezone (+08:00 and Z).
      const at = Date.parse(byIds.find((x) => x.service_request_id === ids.xml).requested_datetime);
      const inWin = listIds(await both('/open311/v2/requests', q({ jurisdiction_id: J, start_date: cst(at - 60000), end_date: cst(at + 60000) }), 'requests'));
      assert.ok(inWin.includes(ids.xml), 'start_date in +08:00 is read with its offset');
      const before = listIds(await both('/open311/v2/requests', q({ jurisdiction_id: J, start_date: cst(at - 3600000), end_date: cst(at - 60000) }), 'requests'));
      assert.ok(!before.includes(ids.xml), 'end_date in +08:00 is read with its offset');
      const zulu = listIds(await both('/open311/v2/requests', q({ jurisdiction_id: J, start_date: utc(at - 60000), end_date: utc(at + 60000) }), 'requests'));
      assert.ok(zulu.includes(ids.xml));
      const later = listIds(await both('/open311/v2/requests', q({ jurisdiction_id: J, start_date: utc(at + 60000), end_date: utc(at + 3600000) }), 'requests'));
      assert.ok(!later.includes(ids.xml));

      // status (open, closed; a comma list).
      const open = listIds(await both('/open311/v2/requests', q({ jurisdiction_id: J, status: 'open' }), 'requests'));
      assert.ok(open.includes(ids.json) && !open.includes(ids.closed));
      const shut = listIds(await both('/open311/v2/requests', q({ jurisdiction_id: J, status: 'closed' }), 'requests'));
      assert.ok(shut.includes(ids.closed) && !shut.includes(ids.json));
      const all = listIds(await both('/open311/v2/requests', q({ jurisdiction_id: J, status: 'open,closed' }), 'requests'));
      assert.ok(all.includes(ids.closed) && all.includes(ids.json));

      // A span over 90 days is an error in the errors format.
      const now = Date.now();
      for (const fmt of ['xml', 'json']) {
        const e = await expectError('GET', `/open311/v2/requests.${fmt}${q({ jurisdiction_id: J, start_date: cst(now - 91 * DAY), end_date: utc(now) })}`, 400);
        assert.equal(e.length >= 1, true);
        await expectError('GET', `/open311/v2/requests.${fmt}${q({ jurisdiction_id: J, start_date: 'yesterday' })}`, 400);
      }
    });

    test('servicerequestupdates.xml reports the cadre\'s work on a request', async () => {
      const t0 = Date.now();
      const s = await cadre.post(`/api/v1/requests/${ids.xml}/sign`, {});
      assert.equal(s.status, 200, s.text);
      const note = '已安排保洁员清运，垃圾桶已清空';
      const f = await cadre.post(`/api/v1/requests/${ids.xml}/finish`, { outcome: 'fixed', note });
      assert.equal(f.status, 200, f.text);
      // As FixMyStreet fetches them: api_key, jurisdiction_id, start_date, end_date.
      const query = q({ api_key: apiKey, jurisdiction_id: JURISDICTION, start_date: cst(t0 - 5 * 60000), end_date: utc(Date.now() + 5 * 60000) });
      const rx = await get(`/open311/v2/servicerequestupdates.xml${query}`);
      assert.equal(rx.status, 200, rx.text);
      const ux = readXml(rx, 'requestUpdates', 'GET servicerequestupdates.xml');
      const rj = await get(`/open311/v2/servicerequestupdates.json${query}`);
      assert.equal(rj.status, 200, rj.text);
      assertSameRecords(ux, readJson(rj, 'requestUpdates', 'GET servicerequestupdates.json'), 'servicerequestupdates');
      const mine = ux.filter((u) => u.service_request_id === ids.xml);
      assert.ok(mine.length >= 2, `the sign and the finish are reported: ${JSON.stringify(mine)}`);
      assert.equal(new Set(ux.map((u) => u.update_id)).size, ux.length, 'update_id is unique');
      const fin = mine.find((u) => u.description === note);
      assert.ok(fin, 'the finish note is the update description');
      assert.ok(Date.parse(fin.updated_datetime) >= t0 - 5000);
      for (const u of ux) assert.ok(Date.parse(u.updated_datetime) >= t0 - 5 * 60000 - 1000, 'within start_date');
    });

    test('api_key missing or invalid → 403 in the errors format', async () => {
      for (const fmt of ['xml', 'json']) {
        for (const key of [undefined, '', 'not-a-key']) {
          const form = fmsForm().filter(([k]) => k !== 'api_key');
          if (key !== undefined) form.unshift(['api_key', key]);
          const e = await expectError('POST', `/open311/v2/requests.${fmt}`, 403, form);
          assert.equal(e[0].code, 403);
          assert.match(e[0].description, /api_key/);
        }
      }
    });

    test('an unknown service_code → 404 (GET services/{code} and POST requests)', async () => {
      for (const fmt of ['xml', 'json']) {
        const g = await expectError('GET', `/open311/v2/services/no-such-service.${fmt}?jurisdiction_id=${JURISDICTION}`, 404);
        assert.equal(g[0].code, 404);
        const p = await expectError('POST', `/open311/v2/requests.${fmt}`, 404, fmsForm({ service_code: 'no-such-service' }));
        assert.equal(p[0].code, 404);
      }
      // Not provided is a 400.
      await expectError('POST', '/open311/v2/requests.xml', 400, fmsForm().filter(([k]) => k !== 'service_code'));
    });

    test('an unknown jurisdiction_id → 404', async () => {
      for (const fmt of ['xml', 'json']) {
        for (const path of ['services', 'services/sanitation', 'requests', `requests/${ids.xml}`, `tokens/${ids.xml}`])
          await expectError('GET', `/open311/v2/${path}.${fmt}?jurisdiction_id=wuxi.example.org`, 404);
        await expectError('POST', `/open311/v2/requests.${fmt}`, 404, fmsForm({ jurisdiction_id: '330521' }));
      }
    });

    test('an unknown request id → 404', async () => {
      for (const fmt of ['xml', 'json']) {
        await expectError('GET', `/open311/v2/requests/${randomUUID()}.${fmt}?jurisdiction_id=${JURISDICTION}`, 404);
        await expectError('GET', `/open311/v2/requests/12345.${fmt}`, 404);
      }
    });

    test('an unknown format suffix → 404 in the errors format', async () => {
      for (const path of ['/open311/v2/services.csv', '/open311/v2/requests.html', `/open311/v2/requests/${ids.xml}.txt`,
        '/open311/v2/services/sanitation.yaml', `/open311/v2/tokens/${ids.xml}.rss`, '/open311/v2/services'])
        await expectError('GET', path, 404);
      assert.equal((await get('/open311/discovery.csv')).status, 404);
      // POST to an unknown format is an unknown resource too.
      await expectError('POST', '/open311/v2/requests.csv', 404, fmsForm());
    });

    // A deliberate deviation (docs/decisions/0004): requests are routed by village, and without
    // village boundaries a bare lat/long cannot be routed; an address_string naming the village
    // is enough. lat/long alone answers 400 in the errors format, saying so.
    test('a location is address_id, or an address_string naming the village; lat/long alone is refused with a reason', async () => {
      const noAddressId = (extra) => fmsForm(extra).filter(([k]) => k !== 'address_id');
      const villageName = (await cadre.get(`/api/v1/regions/${village}`)).json.short_name;
      const named = await postForm('/open311/v2/requests.json', noAddressId({ lat: undefined, long: undefined, address_string: `${villageName} 村口垃圾点` }));
      assert.equal(named.status, 200, `address_string naming the village: ${named.status} ${named.text}`);
      const id = readJson(named, 'postResponse', 'POST requests.json with address_string')[0].service_request_id;
      const back = await both(`/open311/v2/requests/${id}`, '', 'requests');
      assert.equal(back[0].address_id, village);
      const bare = await postForm('/open311/v2/requests.json', noAddressId({ address_string: undefined }));
      assert.equal(bare.status, 400);
      const errs = readJson(bare, 'errors', 'lat/long alone');
      assert.match(errs[0].description, /village/);
    });

    test('description is optional free text of up to 4,000 characters', async () => {
      for (const [what, d] of [['4,000 characters', '路'.repeat(4000)], ['two characters', '坏了'], ['absent', undefined]]) {
        const r = await postForm('/open311/v2/requests.json', fmsForm({ description: d }));
        assert.equal(r.status, 200, `POST requests.json, description ${what}: ${r.status} ${r.text}`);
        const id = readJson(r, 'postResponse', `POST requests.json, description ${what}`)[0].service_request_id;
        const back = await both(`/open311/v2/requests/${id}`, '', 'requests');
        if (d !== undefined) assert.equal(back[0].description, d);
      }
    });

    test('a private request filed through the normal API is never listed and answers 404', async () => {
      const mk = (pub, description) => resident.post('/api/v1/requests', { category: 'sanitation', description, public: pub },
        { headers: { 'idempotency-key': randomUUID() } });
      const priv = await mk(false, '我家门口的私事，不要公开');
      assert.equal(priv.status, 201, priv.text);
      const pub = await mk(true, '公共厕所需要打扫，可以公开');
      assert.equal(pub.status, 201, pub.text);
      const listed = listIds(await both('/open311/v2/requests', q({ jurisdiction_id: JURISDICTION }), 'requests'));
      assert.ok(listed.includes(pub.json.id), 'a public request is listed');
      assert.ok(!listed.includes(priv.json.id), 'a private request is not');
      assert.deepEqual(listIds(await both('/open311/v2/requests', q({ jurisdiction_id: JURISDICTION, service_request_id: `${priv.json.id},${pub.json.id}` }), 'requests')), [pub.json.id]);
      assert.ok(!listIds(await both('/open311/v2/requests', q({ status: 'open' }), 'requests')).includes(priv.json.id));
      for (const fmt of ['xml', 'json']) {
        await expectError('GET', `/open311/v2/requests/${priv.json.id}.${fmt}`, 404);
        await expectError('GET', `/open311/v2/tokens/${priv.json.id}.${fmt}`, 404);
      }
      // Nor do its steps leak through the updates feed.
      assert.equal((await cadre.post(`/api/v1/requests/${priv.json.id}/sign`, {})).status, 200);
      const u = await get(`/open311/v2/servicerequestupdates.json${q({ api_key: apiKey, jurisdiction_id: JURISDICTION, start_date: utc(Date.now() - 3600000) })}`);
      assert.equal(u.status, 200);
      const updates = JSON.parse(u.text);
      assert.ok(Array.isArray(updates) && !updates.some((x) => x.service_request_id === priv.json.id));
    });

    test('a revoked key is refused with 403', async () => {
      const k = await admin.post('/api/v1/open311/keys', { name: '临时合作方' }, { headers: { 'idempotency-key': randomUUID() } });
      assert.equal(k.status, 201, k.text);
      const form = () => fmsForm({ api_key: k.json.api_key });
      assert.equal((await postForm('/open311/v2/requests.xml', form())).status, 200, 'the new key works');
      const rv = await admin.post(`/api/v1/open311/keys/${k.json.id}/revoke`, {});
      assert.equal(rv.status, 204, rv.text);
      const keys = await admin.get('/api/v1/open311/keys');
      assert.ok(keys.json.items.find((x) => x.id === k.json.id).revoked_at);
      assert.equal(keys.json.items.find((x) => x.id === keyId).revoked_at, null);
      for (const fmt of ['xml', 'json']) {
        const e = await expectError('POST', `/open311/v2/requests.${fmt}`, 403, form());
        assert.equal(e[0].code, 403);
      }
      assert.equal((await postForm('/open311/v2/requests.xml', fmsForm())).status, 200, 'other keys still work');
    });
  });
}
