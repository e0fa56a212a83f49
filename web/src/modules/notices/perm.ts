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

/**
 * The region a notice's audience must lie in, as the server decides it: the unit's region when
 * publishing in a unit's name, else the broadest grant of a publishing role other than unit staff,
 * else the first unit's region. Null when the account may not publish.
 */
export function publishScope(me: Me | null, unitId = ''): string | null {
  const grants = me?.roles ?? [];
  if (unitId) return grants.find((g) => g.role === 'unit_staff' && g.unit_id === unitId)?.region_code ?? null;
  const own = grants
    .filter((g) => g.role !== 'unit_staff' && PUBLISHER_ROLES.includes(g.role))
    .sort((a, b) => regionPrefix(a.region_code).length - regionPrefix(b.region_code).length);
  if (own.length) return own[0].region_code;
  return grants.find((g) => g.role === 'unit_staff')?.region_code ?? null;
}

/** The units the account works for (it may publish in their name). */
export function myUnits(me: Me | null): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const g of me?.roles ?? []) if (g.role === 'unit_staff' && g.unit_id) seen.set(g.unit_id, g.unit_name ?? g.unit_id);
  return [...seen].map(([id, name]) => ({ id, name }));
}

/** The unit an account that publishes only as unit staff publishes in the name of ('' for others). */
export function defaultUnitId(me: Me | null): string {
  const units = myUnits(me);
  if (!units.length || me?.roles.some((g) => g.role !== 'unit_staff' && PUBLISHER_ROLES.includes(g.role))) return '';
  return units[0].id;
}
