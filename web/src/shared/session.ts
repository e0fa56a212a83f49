// The signed-in account, shared by both apps. The session itself is the HttpOnly cookie; this
// keeps the account (GET /me) and its CSRF token for writes.
import { reactive } from 'vue';
import { api, ApiError, setCsrfToken } from '@/shared/api';
import type { Me, Role, SignedIn } from '@/shared/types';

export const session = reactive({
  me: null as Me | null,
  loaded: false,
});

function setMe(me: Me | null, csrf?: string): void {
  session.me = me;
  session.loaded = true;
  setCsrfToken(me ? csrf ?? me.csrf_token : '');
}

let pending: Promise<Me | null> | null = null;

/** Loads the account once (or again with force). Resolves to null when not signed in. */
export function loadMe(force = false): Promise<Me | null> {
  if (session.loaded && !force) return Promise.resolve(session.me);
  if (!pending) {
    pending = api
      .get<Me>('/me', { quiet401: true })
      .then((me) => {
        setMe(me);
        return me;
      })
      .catch((e) => {
        if (e instanceof ApiError && e.status === 401) {
          setMe(null);
          return null;
        }
        throw e;
      })
      .finally(() => {
        pending = null;
      });
  }
  return pending;
}

export async function login(phone: string, password: string): Promise<Me> {
  const r = await api.post<SignedIn>('/auth/login', { phone, password }, { quiet401: true });
  setMe(r.user, r.csrf_token);
  return r.user;
}

export async function signup(name: string, phone: string, password: string, idempotencyKey: string): Promise<Me> {
  const r = await api.post<SignedIn>('/auth/signup', { name, phone, password }, { idempotencyKey, quiet401: true });
  setMe(r.user, r.csrf_token);
  return r.user;
}

export async function logout(): Promise<void> {
  try {
    await api.post<void>('/auth/logout', undefined, { quiet401: true });
  } catch {
    /* the session is gone either way */
  }
  setMe(null);
}

/** Forget the account locally (after a 401). */
export function dropSession(): void {
  setMe(null);
}

export function hasRole(me: Me | null, ...roles: Role[]): boolean {
  return !!me && me.roles.some((g) => roles.includes(g.role));
}

/** Who may review join requests (join.review): village cadres and the county admin. */
export function canReview(me: Me | null): boolean {
  return hasRole(me, 'village_cadre', 'county_admin');
}

/** The account's county (from /me; older servers: derived from a grant's 12-digit code). */
export const DEFAULT_COUNTY = '500238000000';
export function countyCodeOf(me: Me | null): string {
  if (me?.county?.code) return me.county.code;
  const code = me?.roles[0]?.region_code ?? me?.village?.code;
  return code && /^[0-9]{12}$/.test(code) ? `${code.slice(0, 6)}000000` : DEFAULT_COUNTY;
}

/** The broadest region a grant gives, for rooting the region tree (shortest non-zero prefix). */
export function broadestRegion(me: Me | null): string {
  if (!me || me.roles.length === 0) return countyCodeOf(me);
  const depth = (c: string) => c.replace(/0+$/, '').length;
  return me.roles.map((g) => g.region_code).sort((a, b) => depth(a) - depth(b))[0];
}

export const PHONE_RE = /^1[3-9][0-9]{9}$/;
export function passwordOk(p: string): boolean {
  return p.length >= 8 && p.length <= 128 && /[^0-9]/.test(p);
}
