// Who may publish notices (notice.publish): the county admin, town officials, village cadres and
// unit staff. The server decides each request; this only hides what would be refused anyway.
import { hasRole } from '@/shared/session';
import type { Me, Role } from '@/shared/types';

export const PUBLISHER_ROLES: Role[] = ['county_admin', 'town_official', 'village_cadre', 'unit_staff'];

export function canPublish(me: Me | null): boolean {
  return hasRole(me, ...PUBLISHER_ROLES);
}

/** Depth of a 12-digit region code's prefix: province 2, city 4, county 6, town 9, village 12. */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000000000')) return code.slice(0, 2);
  if (code.endsWith('00000000')) return code.slice(0, 4);
  if (code.endsWith('000000')) return code.slice(0, 6);
  if (code.endsWith('000')) return code.slice(0, 9);
  return code;
}

/** Whether region `inner` lies in region `outer` (or is it). */
export function regionContains(outer: string, inner: string): boolean {
  return inner.startsWith(regionPrefix(outer));
}

/**
 * The regions a publisher may address: each publishing grant's region, those inside another left
 * out (roots of the region picker). Unit staff reach the unit's region.
 */
export function publishRoots(me: Me | null): string[] {
  const codes = [...new Set((me?.roles ?? []).filter((g) => PUBLISHER_ROLES.includes(g.role)).map((g) => g.region_code))];
  return codes
    .filter((c) => !codes.some((o) => o !== c && regionContains(o, c)))
    .sort((a, b) => regionPrefix(a).length - regionPrefix(b).length || a.localeCompare(b));
}

/** The units the account works for (it may publish in their name). */
export function myUnits(me: Me | null): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const g of me?.roles ?? []) if (g.role === 'unit_staff' && g.unit_id) seen.set(g.unit_id, g.unit_name ?? g.unit_id);
  return [...seen].map(([id, name]) => ({ id, name }));
}
