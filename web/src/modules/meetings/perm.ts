// Who may schedule meetings: whoever may publish notices (the invitation is a notice to the same
// audience). The server decides each request; this only hides what it would refuse anyway. Each
// meeting says what the caller may do with it (`me.can_manage`, `me.invited`).
import { canPublish } from '@/modules/notices/perm';
import type { Me } from '@/shared/types';

export function canScheduleMeetings(me: Me | null): boolean {
  return canPublish(me);
}
