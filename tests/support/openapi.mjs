// docs/openapi.yaml for tests: the parsed document, its operations, and
// assertMatchesSpec(method, pathTemplate, status, body), which checks a response body against the
// documented schema (JSON Schema 2020-12 with ajv + ajv-formats) and throws an AssertionError
// naming the operation and every mismatch. Loading is synchronous, so any test can import it.
//
//   import { assertMatchesSpec } from '../support/openapi.mjs';
//   const r = await client.get(`/api/v1/regions/${code}`);
//   assertMatchesSpec('GET', '/api/v1/regions/{code}', r.status, r.json);
//
// pathTemplate may also be a concrete path ('/api/v1/regions/500238000000', query ignored); it is
// matched against the documented templates the way the server's router matches segments.
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssertionError } from 'node:assert';
import YAML from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
export const SPEC_PATH = resolve(here, '../../docs/openapi.yaml');
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const SPEC_ID = 'https://shuxiang.invalid/openapi.json';

export function loadSpec(path = SPEC_PATH) {
  return YAML.parse(readFileSync(path, 'utf8'));
}

export const spec = loadSpec();

// Every operation: { method: 'GET', path, operationId, operation, pathItem }.
export function operations(doc = spec) {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const m of HTTP_METHODS) {
      if (item[m]) out.push({ method: m.toUpperCase(), path, operationId: item[m].operationId, operation: item[m], pathItem: item });
    }
  }
  return out;
}

// An ajv instance for the document's schemas. The whole document is registered under SPEC_ID, so
// the document's own '#/components/...' references resolve; OpenAPI-only keywords are tolerated.
export function makeAjv(doc = spec, opts = {}) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, ...opts });
  addFormats(ajv);
  ajv.addVocabulary(['discriminator', 'xml', 'externalDocs', 'example']);
  // The document's root is no schema: its members become inert keywords so that ajv can host it.
  const root = { components: doc.components, paths: doc.paths };
  ajv.addVocabulary(Object.keys(root));
  ajv.addSchema({ $id: SPEC_ID, ...root });
  return ajv;
}

const ajv = makeAjv();
const validators = new Map();

function pointer(...parts) {
  return '#/' + parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

// The JSON pointer of a $ref'd component, or null.
function deref(obj) {
  let o = obj;
  for (let i = 0; o && o.$ref && i < 10; i++) {
    if (!o.$ref.startsWith('#/')) throw new Error(`external $ref not supported: ${o.$ref}`);
    o = o.$ref.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((acc, k) => (acc == null ? acc : acc[k]), spec);
  }
  return o;
}

function segments(p) { return p.split('?')[0].split('/'); }

// The documented path template for a template or a concrete path, or undefined.
export function findPath(pathOrTemplate, doc = spec) {
  if (doc.paths[pathOrTemplate]) return pathOrTemplate;
  const segs = segments(pathOrTemplate);
  for (const tpl of Object.keys(doc.paths)) {
    const pat = segments(tpl);
    if (pat.length !== segs.length) continue;
    if (pat.every((s, i) => (/^\{[^}]+\}$/.test(s) ? segs[i] !== '' : s === segs[i]))) return tpl;
  }
  return undefined;
}

// The documented response for a status: exact code, then '4XX'-style range, then (errors only)
// 'default'. Returns { key, response } or throws.
function responseFor(operation, status, where) {
  const rs = operation.responses || {};
  const code = String(status);
  let key = rs[code] ? code : rs[`${code[0]}XX`] ? `${code[0]}XX` : undefined;
  if (!key && status >= 400 && rs.default) key = 'default';
  if (!key) {
    throw new AssertionError({
      message: `${where}: status ${status} is not documented (documented: ${Object.keys(rs).join(', ')})`,
    });
  }
  return { key, response: deref(rs[key]) };
}

function formatErrors(errors) {
  return errors.map((e) => `  ${e.instancePath || '(body)'} ${e.message}` +
    (e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : '') +
    `  [${e.schemaPath}]`).join('\n');
}

// The documented response of an operation for a status: { where, operationId, key, type,
// validate } where validate is an ajv validator, or null when the response has no body.
// Throws an AssertionError for undocumented paths, methods or statuses.
export function responseValidator(method, pathTemplate, status) {
  const m = String(method).toLowerCase();
  const tpl = findPath(pathTemplate);
  if (!tpl) throw new AssertionError({ message: `${pathTemplate} is not documented in openapi.yaml` });
  const item = spec.paths[tpl];
  const om = item[m] ? m : m === 'head' && item.get ? 'get' : undefined;
  if (!om) throw new AssertionError({ message: `${String(method).toUpperCase()} ${tpl} is not documented in openapi.yaml` });
  const operation = item[om];
  const where = `${String(method).toUpperCase()} ${tpl} (${operation.operationId})`;
  const { key, response } = responseFor(operation, Number(status), where);
  const types = Object.keys(response.content || {});
  const out = { where, operationId: operation.operationId, key, type: null, validate: null };
  if (types.length === 0 || m === 'head') return out;
  out.type = types.find((t) => /json/.test(t)) || types[0];
  if (!response.content[out.type].schema) return out;
  const cacheKey = `${om} ${tpl} ${key} ${out.type}`;
  if (!validators.has(cacheKey)) {
    // Point into a response component when the response is a $ref, so the schema's own
    // '#/components/...' references resolve against the document.
    const ref = operation.responses[key].$ref;
    const base = ref || pointer('paths', tpl, om, 'responses', key);
    validators.set(cacheKey, ajv.compile({ $ref: `${SPEC_ID}${base}${pointer('content', out.type, 'schema').slice(1)}` }));
  }
  out.validate = validators.get(cacheKey);
  return out;
}

// Throws an AssertionError unless body matches the schema documented for this method, path and
// status. For responses documented without content (204), and for HEAD, the body must be empty.
// Returns the operationId on success.
export function assertMatchesSpec(method, pathTemplate, status, body) {
  const { where, operationId, type, validate } = responseValidator(method, pathTemplate, status);
  if (!type) {
    if (!(body === undefined || body === null || body === '')) {
      throw new AssertionError({ message: `${where} ${status}: documented without a body, got ${JSON.stringify(body).slice(0, 200)}` });
    }
    return operationId;
  }
  if (validate && !validate(body)) {
    throw new AssertionError({
      message: `${where} ${status} ${type}: the body does not match openapi.yaml\n${formatErrors(validate.errors)}\n` +
        `body: ${JSON.stringify(body).slice(0, 1000)}`,
      actual: body,
      operator: 'assertMatchesSpec',
    });
  }
  return operationId;
}
