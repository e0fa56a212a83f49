// The recipient's inbox, shared by the resident app (mobile/Inbox.vue, the 通知 tab's badge) and
// the admin console (admin/Inbox.vue "我的通知", the menu badge): the unread count and the paged,
// filtered list (GET /inbox). No UI library here: each app draws its own list, alerts and toasts.
// The server orders the list (unread first, then urgent, then newest); pages are loaded by
// next_cursor, and the first page is loaded again when a live event says something changed.
import { onBeforeUnmount, onMounted, reactive, ref, watch } from 'vue';
import { api } from '@/shared/api';
import { useCursorList } from '@/shared/cursor-list';
import { useDebounced } from '@/shared/debounce';
import { onLive, type LiveEventName } from '@/shared/live';
import { session } from '@/shared/session';
import type { InboxItem, InboxPage, NoticeCategory } from '@/modules/notices/types';

export const inbox = reactive({
  unread: 0,
  /** An inbox page is showing: it reloads itself (and the count) on live events. */
  pageOpen: false,
});

export function setUnread(n: number): void {
  inbox.unread = Math.max(0, Number.isFinite(n) ? n : 0);
}

/** A notice was opened and marked read: one fewer unread (the next inbox load brings the exact figure). */
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

/** The events after which someone's inbox may look different (a reminder changes reminded_at). */
export const INBOX_EVENTS: LiveEventName[] = ['notice.published', 'notice.updated', 'notice.withdrawn', 'notice.remind'];
/** The events that may change the unread count. */
const COUNT_EVENTS: LiveEventName[] = ['notice.published', 'notice.updated', 'notice.withdrawn'];

/**
 * For an app shell (its badge): keeps `inbox.unread` fresh while signed in — reloaded on signing
 * in and after live events, unless an inbox page is open (it reloads the count itself).
 */
export function useUnreadCount(): void {
  const refresh = () => {
    if (session.me && !inbox.pageOpen) void refreshUnread();
  };
  for (const ev of COUNT_EVENTS) onLive(ev, refresh);
  onLive('reset', refresh);
  watch(
    () => session.me?.id ?? null,
    (id) => {
      if (id) void refreshUnread();
      else setUnread(0);
    },
    { immediate: true },
  );
}

/**
 * The inbox list for a page component (call in setup): filters (`q`, debounced, and `category`),
 * the first page on mounting and again after a filter change or a live event, further pages by
 * `list.loadMore()` (`list`: src/shared/cursor-list.ts). While mounted it marks the inbox page open
 * and keeps `inbox.unread` from its loads.
 */
export function useInboxList(limit = 20) {
  const q = ref('');
  const category = ref<NoticeCategory | ''>('');
  const list = useCursorList<InboxItem, InboxPage>(
    (cursor) => api.get<InboxPage>('/inbox', { query: { q: q.value.trim().slice(0, 40), category: category.value, cursor, limit } }),
    { onPage: (page) => setUnread(page.unread_count) },
  );
  const { items, reload } = list;

  /** Updates one item in place (e.g. read or confirmed in the detail view) without reloading. */
  function patch(id: string, changes: Partial<InboxItem>): void {
    const i = items.value.findIndex((x) => x.id === id);
    if (i >= 0) items.value[i] = { ...items.value[i], ...changes };
  }

  watch(q, useDebounced(() => void reload(), 300));
  watch(category, () => void reload());

  const again = () => void reload();
  for (const ev of INBOX_EVENTS) onLive(ev, again);
  onLive('reset', again);

  onMounted(() => {
    inbox.pageOpen = true;
    void reload();
  });
  onBeforeUnmount(() => {
    inbox.pageOpen = false;
  });

  return { list, q, category, patch };
}
