// Who sees which requests pages. The server decides each request (request.handle,
// request.dispatch, request.stats and the scope of each grant); this only hides what it would
// refuse anyway, the same way notices/perm.ts does for publishing.
import { hasRole } from '@/shared/session';
import type { Me, Role } from '@/shared/types';

/** Offices that requests are routed to (request.handle): 诉求办理 in the console. */
export const HANDLER_ROLES: Role[] = ['county_admin', 'town_official', 'village_cadre', 'unit_staff'];
/** Supervisors of places (request.dispatch; scope=all lists their places). */
export const SUPERVISOR_ROLES: Role[] = ['county_admin', 'town_official'];

export function canHandleRequests(me: Me | null): boolean {
  return hasRole(me, ...HANDLER_ROLES);
}

export function canSuperviseRequests(me: Me | null): boolean {
  return hasRole(me, ...SUPERVISOR_ROLES);
}

/** 三率看板 (request.stats): the same offices; each sees the figures of its own scope. */
export function canSeeRequestStats(me: Me | null): boolean {
  return hasRole(me, ...HANDLER_ROLES);
}

/** Filing needs request.create (villagers, party members, village cadres). */
export function canFileRequests(me: Me | null): boolean {
  return hasRole(me, 'resident', 'party_member', 'village_cadre');
}
