// One notice as its recipient reads it, shared by the resident app (mobile/Detail.vue) and the
// admin console (the drawer of admin/Inbox.vue): loaded by id (GET /notices/{id}), marked read on
// opening (POST /read, one fewer unread), the receipt (POST /confirm), reloaded when a live event
// says it changed. No UI library here: the pages show their own toasts.
import { computed, ref, watch, type Ref } from 'vue';
import { api } from '@/shared/api';
import { useItemLoader } from '@/shared/item-loader';
import { appLinks, renderMarkdown } from '@/shared/markdown';
import { markedRead } from '@/modules/notices/inbox';
import { isImage } from '@/modules/notices/format';
import type { ConfirmMark, Notice, ReadMark } from '@/modules/notices/types';

export interface ReadingHooks {
  /** The notice was marked read just now. */
  onRead?: (id: string, readAt: string) => void;
  /** The receipt was confirmed just now. */
  onConfirmed?: (id: string, mark: ConfirmMark) => void;
}

const FORM_PATH = /\/m\/forms\/([A-Za-z0-9_-]+)/;

/** The form a 收集表 notice's body links to: its Markdown link, else the path written out. */
export function formIdOf(body: string): string {
  for (const p of appLinks(body)) {
    const m = FORM_PATH.exec(p);
    if (m) return m[1];
  }
  return FORM_PATH.exec(body)?.[1] ?? '';
}

/** Call in setup. `id` may be '' (nothing open: nothing loaded). */
export function useNoticeReading(id: Ref<string>, hooks: ReadingHooks = {}) {
  // load(true) keeps what is shown while reloading (and on a passing failure).
  const { item: notice, loading, notFound, error, load } = useItemLoader(id, (v) => api.get<Notice>(`/notices/${encodeURIComponent(v)}`), {
    onLoaded: (n) => void markRead(n),
    live: ['notice.updated', 'notice.withdrawn'],
  });
  const confirming = ref(false);

  const withdrawn = computed(() => !!notice.value && (notice.value.status === 'withdrawn' || !!notice.value.withdrawn_at));
  /** renderMarkdown escapes the text first: safe for v-html. */
  const bodyHtml = computed(() => (notice.value ? renderMarkdown(notice.value.body) : ''));
  const images = computed(() => notice.value?.attachments.filter((a) => isImage(a.content_type)) ?? []);
  const files = computed(() => notice.value?.attachments.filter((a) => !isImage(a.content_type)) ?? []);
  /** Newest first. */
  const revisions = computed(() => [...(notice.value?.revisions ?? [])].sort((a, b) => b.n - a.n));
  const needsReceipt = computed(() => !!notice.value && notice.value.receipt_required && !withdrawn.value);
  /** A 收集表 notice: the form it asks to fill in (its body links to /m/forms/{id}). */
  const formId = computed(() => (notice.value?.category === 'form' && !withdrawn.value ? formIdOf(notice.value.body) : ''));

  async function markRead(n: Notice): Promise<void> {
    if (n.read_at || n.status === 'withdrawn' || n.withdrawn_at) return;
    try {
      const r = await api.post<ReadMark>(`/notices/${encodeURIComponent(n.id)}/read`);
      if (notice.value?.id === n.id) notice.value = { ...notice.value, read_at: r.read_at };
      markedRead();
      hooks.onRead?.(n.id, r.read_at);
    } catch {
      /* not counted as read this time; opening it again retries */
    }
  }

  /** Confirms the receipt; throws the ApiError when the server refuses (the page says why). */
  async function confirm(): Promise<void> {
    const n = notice.value;
    if (!n || confirming.value) return;
    confirming.value = true;
    try {
      const r = await api.post<ConfirmMark>(`/notices/${encodeURIComponent(n.id)}/confirm`);
      if (notice.value?.id === n.id) notice.value = { ...notice.value, read_at: r.read_at, confirmed_at: r.confirmed_at };
      hooks.onConfirmed?.(n.id, r);
    } finally {
      confirming.value = false;
    }
  }

  watch(
    id,
    (v) => {
      // Another notice: don't show the previous one while this one loads.
      if (notice.value && notice.value.id !== v) notice.value = null;
      error.value = null;
      notFound.value = false;
      void load();
    },
    { immediate: true },
  );

  return { notice, loading, notFound, error, confirming, withdrawn, bodyHtml, images, files, revisions, needsReceipt, formId, load, confirm };
}
