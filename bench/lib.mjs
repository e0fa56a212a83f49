// Shared by the bench scripts: one JSON API call with a bearer token and a fresh Idempotency-Key;
// throws on any status >= 300 (a bench must not go on measuring a failure).
import { randomUUID } from 'node:crypto';

export async function apiCall(base, method, path, token, body) {
  const r = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await r.json().catch(() => ({}));
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}
