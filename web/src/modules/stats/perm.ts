// Who sees the county dashboard (驾驶舱, stats.view): county admins (the county), town officials
// (their town), village cadres (their village) and unit staff (their unit's figures only). /me
// carries role grants, not permissions, so this mirrors the server's role table; the server decides
// every request (a region outside the caller's scope answers 404), this only hides what it would
// refuse anyway and picks where the dashboard opens.
import { countyCodeOf, hasRole } from '@/shared/session';
import type { Me, Role } from '@/shared/types';

export const STATS_ROLES: Role[] = ['county_admin', 'town_official', 'village_cadre', 'unit_staff'];

export function canViewStats(me: Me | null): boolean {
  return hasRole(me, ...STATS_ROLES);
}

/** Picking a unit to filter by: county admins (unit staff always see their own unit). */
export function canPickUnit(me: Me | null): boolean {
  return hasRole(me, 'county_admin');
}

/** Significant digits of a 12-digit region code: county 6, town 9, village 12. */
function depth(code: string): number {
  if (code.endsWith('000000')) return 6;
  if (code.endsWith('000')) return 9;
  return 12;
}

/** Whether `code` lies in the region `scope` (or is it). */
export function within(scope: string, code: string): boolean {
  const n = depth(scope);
  return code.length === 12 && scope.length === 12 && code.slice(0, n) === scope.slice(0, n);
}

/**
 * The regions the account's dashboard grants cover. Unit staff see their unit's figures for the
 * whole county (the server answers a unit's dashboard only at the county).
 */
export function statsScopes(me: Me | null): string[] {
  return (me?.roles ?? [])
    .filter((g) => STATS_ROLES.includes(g.role))
    .map((g) => (g.role === 'unit_staff' ? countyCodeOf(me) : g.region_code));
}

/** Where the dashboard opens: the broadest region of a grant (the county for a county admin). */
export function statsHome(me: Me | null): string {
  const scopes = statsScopes(me).filter((c) => /^\d{12}$/.test(c));
  if (!scopes.length) return countyCodeOf(me);
  return scopes.sort((a, b) => depth(a) - depth(b) || a.localeCompare(b))[0];
}

/** Whether the account may open the dashboard of `code` (a crumb above its town is not a link). */
export function canOpenRegion(me: Me | null, code: string): boolean {
  return statsScopes(me).some((s) => within(s, code));
}
