// docs/openapi.yaml: a valid OpenAPI 3.1 document, in step with the router of the real binary
// (`shuxiang routes --json`, both directions), and usable by other tests through
// assertMatchesSpec (tests/support/openapi.mjs), which is self-tested here without a server.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import {
  SPEC_PATH, spec, operations, makeAjv, findPath, assertMatchesSpec, responseValidator,
} from '../support/openapi.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BINARY = process.env.SX_BINARY || resolve(here, '../../build/shuxiang');

const REQUIRED_SCHEMAS = ['Region', 'Unit', 'Person', 'JoinRequest', 'Me', 'SignedIn', 'Problem',
  'Health', 'AuditEntry'];
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CSRF_EXEMPT = new Set(['POST /api/v1/auth/login', 'POST /api/v1/auth/signup']);

const paramNames = (op) => [...(op.pathItem.parameters || []), ...(op.operation.parameters || [])]
  .map((p) => (p.$ref ? spec.components.parameters[p.$ref.split('/').pop()] : p))
  .map((p) => `${p.in}:${p.name}`);

describe('the document', () => {
  test('is a valid OpenAPI 3.1 document (swagger-parser)', async () => {
    const api = await SwaggerParser.validate(SPEC_PATH);
    assert.match(api.openapi, /^3\.1\./);
    assert.deepEqual(spec.servers, [{ url: '/' }]);
  });

  test('every schema compiles under JSON Schema 2020-12 in ajv strict mode', () => {
    const ajv = makeAjv();
    for (const name of Object.keys(spec.components.schemas)) {
      assert.doesNotThrow(() => ajv.compile({ $ref: `https://shuxiang.invalid/openapi.json#/components/schemas/${name}` }), name);
    }
    for (const op of operations()) {
      for (const code of Object.keys(op.operation.responses)) {
        const status = code === 'default' ? 500 : Number(code.replace(/X/g, '0'));
        assert.doesNotThrow(() => responseValidator(op.method, op.path, status), `${op.method} ${op.path} ${code}`);
      }
    }
  });

  test('has the shared schemas, security schemes and tags', () => {
    for (const s of REQUIRED_SCHEMAS) assert.ok(spec.components.schemas[s], `components.schemas.${s}`);
    const schemes = spec.components.securitySchemes;
    assert.equal(schemes.bearerAuth.scheme, 'bearer');
    assert.equal(schemes.sessionCookie.in, 'cookie');
    assert.equal(schemes.sessionCookie.name, 'sid');
    const declared = new Set(spec.tags.map((t) => t.name));
    for (const op of operations()) {
      assert.ok(op.operation.tags?.length, `${op.method} ${op.path} has tags`);
      for (const t of op.operation.tags) assert.ok(declared.has(t), `tag ${t} is declared`);
      assert.ok(op.operation.summary, `${op.method} ${op.path} has a summary`);
    }
  });

  test('operationIds are present and unique', () => {
    const seen = new Map();
    for (const op of operations()) {
      assert.ok(op.operationId, `${op.method} ${op.path} has an operationId`);
      assert.ok(!seen.has(op.operationId), `${op.operationId} is used by ${seen.get(op.operationId)} and ${op.method} ${op.path}`);
      seen.set(op.operationId, `${op.method} ${op.path}`);
    }
  });

  test('access, errors and headers follow the server pipeline', () => {
    for (const op of operations()) {
      const id = `${op.method} ${op.path}`;
      const access = op.operation['x-access'];
      const codes = Object.keys(op.operation.responses);
      assert.ok(access, `${id} has x-access`);
      assert.ok(codes.includes('default'), `${id} documents default (problem+json)`);
      if (access === 'public') {
        assert.deepEqual(op.operation.security, [], `${id} is public: security []`);
      } else {
        assert.equal(op.operation.security, undefined, `${id} uses the global security`);
        assert.ok(codes.includes('401'), `${id} documents 401`);
      }
      if (access !== 'public' && access !== 'signed-in') assert.ok(codes.includes('404'), `${id} documents 404 (no permission)`);
      const needsCsrf = STATE_CHANGING.has(op.method) && access !== 'public' && !CSRF_EXEMPT.has(id);
      assert.equal(paramNames(op).includes('header:X-CSRF-Token'), needsCsrf, `${id}: X-CSRF-Token parameter`);
      assert.equal(codes.includes('403'), needsCsrf, `${id}: 403 iff CSRF applies`);
      if (op.operation.requestBody) {
        assert.ok(codes.includes('400') && codes.includes('413'), `${id} takes a body: documents 400 and 413`);
      }
      const idem = paramNames(op).includes('header:Idempotency-Key');
      if (idem) {
        const created = op.operation.responses['201'];
        assert.ok(created?.headers?.['Idempotent-Replayed'], `${id}: 201 documents Idempotent-Replayed`);
      }
    }
  });
});

describe('coverage against the router of the real binary', () => {
  let routes = null;
  let failure = null;
  try {
    if (!existsSync(BINARY)) throw new Error(`no binary at ${BINARY} (build it or set SX_BINARY)`);
    const out = execFileSync(BINARY, ['routes', '--json'], {
      encoding: 'utf8',
      timeout: 60000,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SHUXIANG_LOG: process.env.SHUXIANG_LOG || 'warn' },
    });
    routes = out.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l));
  } catch (e) {
    failure = e;
  }
  const key = (method, path) => `${method.toUpperCase()} ${path}`;

  test('`shuxiang routes --json` lists routes', () => {
    if (failure) assert.fail(`\`${BINARY} routes --json\` failed: ${failure.stderr || failure.message}`);
    assert.ok(routes.length > 0, 'no routes printed');
    for (const r of routes) {
      assert.equal(typeof r.method, 'string');
      assert.match(r.pattern, /^\//);
      assert.equal(typeof r.access, 'string');
    }
  });

  test('every registered route is documented with the same method and path template', () => {
    assert.ok(routes, 'routes unavailable (see above)');
    const documented = new Set(operations().map((o) => key(o.method, o.path)));
    const missing = routes.filter((r) => !documented.has(key(r.method, r.pattern))).map((r) => key(r.method, r.pattern));
    assert.deepEqual(missing, [], `routes missing from docs/openapi.yaml:\n  ${missing.join('\n  ')}`);
  });

  test('every documented operation exists in the router', () => {
    assert.ok(routes, 'routes unavailable (see above)');
    const registered = new Set(routes.map((r) => key(r.method, r.pattern)));
    const extra = operations().filter((o) => !registered.has(key(o.method, o.path))).map((o) => key(o.method, o.path));
    assert.deepEqual(extra, [], `documented operations the server does not register:\n  ${extra.join('\n  ')}`);
  });

  test('x-access and Idempotency-Key match the route policies', () => {
    assert.ok(routes, 'routes unavailable (see above)');
    const ops = new Map(operations().map((o) => [key(o.method, o.path), o]));
    const wrong = [];
    for (const r of routes) {
      const op = ops.get(key(r.method, r.pattern));
      if (!op) continue;  // reported above
      if (op.operation['x-access'] !== r.access) wrong.push(`${key(r.method, r.pattern)}: x-access ${op.operation['x-access']}, router ${r.access}`);
      if (typeof r.idempotent === 'boolean' && paramNames(op).includes('header:Idempotency-Key') !== r.idempotent) {
        wrong.push(`${key(r.method, r.pattern)}: Idempotency-Key documented ${!r.idempotent}, router idempotent=${r.idempotent}`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});

describe('assertMatchesSpec (no server)', () => {
  const region = {
    code: '500238101000',
    name: '重庆市巫溪县宁河街道',
    short_name: '宁河街道',
    level: 'town',
    parent_code: '500238000000',
    pinyin: 'ninghejiedao',
    initials: 'nhjd',
    child_count: 12,
    people_count: 3400,
    path: [
      { code: '500000000000', short_name: '重庆市' },
      { code: '500200000000', short_name: '县' },
      { code: '500238000000', short_name: '巫溪县' },
    ],
  };

  test('accepts a valid Region, with and without path, root included', () => {
    assert.equal(assertMatchesSpec('GET', '/api/v1/regions/{code}', 200, region), 'getRegion');
    const { path, ...noPath } = region;
    assertMatchesSpec('GET', '/api/v1/regions/{code}', 200, noPath);
    assertMatchesSpec('GET', '/api/v1/regions/{code}', 200, { ...noPath, code: '500000000000', level: 'province', parent_code: '' });
    assertMatchesSpec('GET', '/api/v1/regions/{code}/children', 200, { items: [noPath] });
  });

  test('resolves a concrete path and HEAD', () => {
    assert.equal(findPath('/api/v1/regions/500238101000?x=1'), '/api/v1/regions/{code}');
    assert.equal(assertMatchesSpec('GET', '/api/v1/regions/500238101000', 200, region), 'getRegion');
    assertMatchesSpec('HEAD', '/api/v1/regions/{code}', 200, '');
  });

  test('rejects an invalid Region', () => {
    const bad = [
      [{ ...region, code: '5002381010' }, /\/code/],                 // not 12 digits
      [{ ...region, level: 'district' }, /\/level/],                // unknown level
      [{ ...region, child_count: '12' }, /\/child_count/],          // wrong type
      [{ ...region, extra: true }, /additional/],                   // drift: unknown member
      [(({ initials, ...r }) => r)(region), /initials/],            // drift: missing member
      [{ ...region, path: [{ code: '500000000000', name: '重庆市' }] }, /\/path\/0/],
    ];
    for (const [body, why] of bad) {
      assert.throws(() => assertMatchesSpec('GET', '/api/v1/regions/{code}', 200, body),
        (e) => e instanceof assert.AssertionError && why.test(e.message), JSON.stringify(body));
    }
    assert.throws(() => assertMatchesSpec('GET', '/api/v1/regions', 200, { items: [{ ...region, code: 1 }] }), assert.AssertionError);
  });

  test('checks problem+json errors per status, and bodiless responses', () => {
    assertMatchesSpec('GET', '/api/v1/regions/{code}', 404,
      { type: 'about:blank', title: 'Not Found', status: 404, detail: 'Not found' });
    assertMatchesSpec('GET', '/api/v1/regions', 422, {
      type: 'about:blank', title: 'Unprocessable Content', status: 422,
      detail: 'Validation failed: q: must be 1 to 40 characters', errors: [{ field: 'q', message: 'must be 1 to 40 characters' }],
    });
    // 405 and 500 fall to `default`.
    assertMatchesSpec('GET', '/api/v1/health', 405,
      { type: 'about:blank', title: 'Method Not Allowed', status: 405, detail: 'Method not allowed' });
    assert.throws(() => assertMatchesSpec('GET', '/api/v1/regions', 422,
      { type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: 'x' }), /errors/);
    assert.throws(() => assertMatchesSpec('GET', '/api/v1/regions/{code}', 404,
      { type: 'about:blank', title: 'Not Found', status: 400, detail: 'x' }), /status/);
    assertMatchesSpec('POST', '/api/v1/auth/logout', 204, '');
    assert.throws(() => assertMatchesSpec('POST', '/api/v1/auth/logout', 204, { ok: true }), /without a body/);
  });

  test('refuses undocumented operations and success statuses', () => {
    assert.throws(() => assertMatchesSpec('GET', '/api/v1/nope', 200, {}), /not documented/);
    assert.throws(() => assertMatchesSpec('DELETE', '/api/v1/regions/{code}', 200, {}), /not documented/);
    assert.throws(() => assertMatchesSpec('GET', '/api/v1/regions/{code}', 201, region), /status 201 is not documented/);
  });
});
