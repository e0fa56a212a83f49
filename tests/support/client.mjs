// A small API client for tests: bearer or cookie sessions, JSON in and out, problem+json aware.
import { randomUUID } from 'node:crypto';

export class Client {
  constructor(baseUrl, { cookie = false } = {}) {
    this.baseUrl = baseUrl;
    this.cookieMode = cookie;
    this.token = null;
    this.cookie = null;
    this.csrf = null;
  }

  async req(method, path, { body, headers = {}, raw = false } = {}) {
    const h = { ...headers };
    if (body !== undefined && typeof body !== 'string') h['content-type'] = 'application/json';
    if (this.token && !this.cookieMode) h.authorization = `Bearer ${this.token}`;
    if (this.cookie && this.cookieMode) h.cookie = this.cookie;
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return raw ? { res, text, json } : { status: res.status, headers: res.headers, json, text };
  }
  // Raw bytes up (attachments) and down (exports, files).
  async upload(path, bytes, type, extra = {}) {
    const h = { 'content-type': type, ...extra };
    if (this.token && !this.cookieMode) h.authorization = `Bearer ${this.token}`;
    if (this.cookieMode) Object.assign(h, { cookie: this.cookie, 'x-csrf-token': this.csrf, origin: this.baseUrl });
    const res = await fetch(this.baseUrl + path, { method: 'POST', headers: h, body: bytes });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, json, text };
  }
  async bytes(path) {
    const h = {};
    if (this.token && !this.cookieMode) h.authorization = `Bearer ${this.token}`;
    if (this.cookieMode) h.cookie = this.cookie;
    const res = await fetch(this.baseUrl + path, { headers: h });
    return { status: res.status, headers: res.headers, buf: Buffer.from(await res.arrayBuffer()) };
  }
  get(path, o) { return this.req('GET', path, o); }
  post(path, body, o = {}) { return this.req('POST', path, { ...o, body }); }
  patch(path, body, o = {}) { return this.req('PATCH', path, { ...o, body }); }

  // Cookie-mode writes need the CSRF token and a same-site Origin.
  write(method, path, body, extra = {}) {
    const headers = { ...extra };
    if (this.cookieMode) {
      headers['x-csrf-token'] = this.csrf;
      headers.origin = this.baseUrl;
    }
    return this.req(method, path, { body, headers });
  }

  // The session a sign-in or sign-up answered with: its token, CSRF token and cookie.
  #keepSession(r) {
    this.token = r.json.token;
    this.csrf = r.json.csrf_token;
    const sc = r.headers.get('set-cookie');
    if (sc) this.cookie = sc.split(';')[0];
  }

  async login(phone, password) {
    const r = await this.post('/api/v1/auth/login', { phone, password });
    if (r.status === 200) this.#keepSession(r);
    return r;
  }

  async signup(name, phone, password) {
    const r = await this.post('/api/v1/auth/signup', { name, phone, password },
      { headers: { 'idempotency-key': randomUUID() } });
    if (r.status === 201) this.#keepSession(r);
    return r;
  }
}

export function randomPhone() {
  return '13' + String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
}

// A valid GB 11643 ID number with the given area and birth date.
export function makeIdNumber(area = '500238', date = '19800101', seq = Math.floor(Math.random() * 1000)) {
  const body = `${area}${date}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const check = '10X98765432';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i];
  return body + check[sum % 11];
}
