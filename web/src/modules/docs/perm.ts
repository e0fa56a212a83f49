// Who may create documents and forms (doc.create: the county admin, unit staff, town officials and
// village cadres, in a folder within their scope). Each document says what the caller may do with
// it (`my_role`); the server decides every request, this only hides what it would refuse anyway.
import { hasRole } from '@/shared/session';
import type { Me } from '@/shared/types';
import type { Doc, DocRole } from '@/modules/docs/types';

export function canCreateDocs(me: Me | null): boolean {
  return hasRole(me, 'county_admin', 'unit_staff', 'town_official', 'village_cadre');
}

const RANK: Record<DocRole, number> = { viewer: 0, commenter: 1, editor: 2, owner: 3 };

/** Whether `role` is at least `least`. */
export function roleAtLeast(role: DocRole | '' | undefined | null, least: DocRole): boolean {
  return RANK[(role || 'viewer') as DocRole] >= RANK[least];
}

export const canEdit = (d: Pick<Doc, 'my_role'> | null | undefined): boolean => !!d && roleAtLeast(d.my_role, 'editor');
export const canComment = (d: Pick<Doc, 'my_role'> | null | undefined): boolean => !!d && roleAtLeast(d.my_role, 'commenter');
/** Sharing: the owner or a manager (a manager is an editor through doc.manage; the server tells them apart). */
export const canShare = canEdit;
