// The resident app's live alerts: a notify bar on any page when a notice arrives, changes, is
// withdrawn, or its publisher reminds the unread; tapping it opens the notice. The unread count
// (the 通知 tab's badge) and the inbox list are shared with the admin console: ../inbox.ts.
import { useRouter } from 'vue-router';
import { showNotify } from 'vant';
import { api } from '@/shared/api';
import { t } from '@/shared/i18n';
import { onLive, type LiveEvent } from '@/shared/live';
import { session } from '@/shared/session';
import { useUnreadCount } from '@/modules/notices/inbox';
import type { Notice } from '@/modules/notices/types';

async function isUnread(id: string): Promise<boolean> {
  try {
    const n = await api.get<Notice>(`/notices/${encodeURIComponent(id)}`);
    return !n.read_at && !n.withdrawn_at;
  } catch {
    return false;
  }
}

/**
 * For the app shell (mobile App.vue): keeps the unread count fresh while signed in and shows the
 * live alerts. Tapping an alert opens the notice.
 */
export function useInboxAlerts(): void {
  const router = useRouter();

  function open(id: string): void {
    if (id) void router.push({ name: 'notice', params: { id } });
  }

  function alert(ev: LiveEvent, key: 'published' | 'updated' | 'withdrawn' | 'remind'): void {
    const urgent = ev.data.urgency === 'urgent';
    showNotify({
      type: key === 'withdrawn' ? 'warning' : urgent || key === 'remind' ? 'danger' : 'primary',
      message: t(`notices.live.${key}`, { title: ev.data.title }),
      duration: urgent || key === 'remind' ? 8000 : 5000,
      className: 'm-notify',
      onClick: () => open(ev.data.id),
    });
  }

  const signedIn = () => !!session.me;

  useUnreadCount();

  onLive('notice.published', (ev) => {
    if (signedIn()) alert(ev, 'published');
  });
  onLive('notice.updated', (ev) => {
    if (signedIn()) alert(ev, 'updated');
  });
  onLive('notice.withdrawn', (ev) => {
    if (signedIn()) alert(ev, 'withdrawn');
  });
  onLive('notice.remind', async (ev) => {
    if (!signedIn()) return;
    if (await isUnread(ev.data.id)) alert(ev, 'remind');
  });
}
