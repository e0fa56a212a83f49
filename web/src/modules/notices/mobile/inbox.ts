// The resident's inbox state the whole app shares: the unread count (the 通知 tab's badge and the
// inbox header) and the live alerts (a notify bar on any page when a notice arrives, changes, is
// withdrawn, or its publisher reminds the unread). The inbox list itself lives in Inbox.vue.
import { reactive, watch } from 'vue';
import { useRouter } from 'vue-router';
import { showNotify } from 'vant';
import { api } from '@/shared/api';
import { t } from '@/shared/i18n';
import { onLive, type LiveEvent } from '@/shared/live';
import { session } from '@/shared/session';
import type { InboxPage, Notice } from '@/modules/notices/types';

export const inbox = reactive({
  unread: 0,
  /** The inbox page is showing: it reloads itself (and the count) on live events. */
  pageOpen: false,
});

export function setUnread(n: number): void {
  inbox.unread = Math.max(0, Number.isFinite(n) ? n : 0);
}

/** The notice was opened: one fewer unread (the next inbox load brings the exact figure). */
export function markedRead(): void {
  setUnread(inbox.unread - 1);
}

let pending: Promise<void> | null = null;

/** Reloads the unread count (one small inbox page). */
export function refreshUnread(): Promise<void> {
  if (!pending) {
    pending = api
      .get<InboxPage>('/inbox', { query: { limit: 1 } })
      .then((r) => setUnread(r.unread_count))
      .catch(() => undefined) // the badge keeps its figure; the inbox page shows errors
      .finally(() => {
        pending = null;
      });
  }
  return pending;
}

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

  const refresh = () => {
    if (!inbox.pageOpen) void refreshUnread();
  };

  onLive('notice.published', (ev) => {
    if (!signedIn()) return;
    refresh();
    alert(ev, 'published');
  });
  onLive('notice.updated', (ev) => {
    if (!signedIn()) return;
    refresh();
    alert(ev, 'updated');
  });
  onLive('notice.withdrawn', (ev) => {
    if (!signedIn()) return;
    refresh();
    alert(ev, 'withdrawn');
  });
  onLive('notice.remind', async (ev) => {
    if (!signedIn()) return;
    if (await isUnread(ev.data.id)) alert(ev, 'remind');
  });
  onLive('reset', () => {
    if (signedIn()) refresh();
  });

  watch(
    () => session.me?.id ?? null,
    (id) => {
      if (id) void refreshUnread();
      else setUnread(0);
    },
    { immediate: true },
  );
}
