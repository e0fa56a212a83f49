// The join-request queue, used by the mobile review page and the admin review page.
import { computed, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { api, ApiError } from '@/shared/api';
import { errorText } from '@/shared/errors';
import type { JoinRequest, JoinStatus, ListOf } from '@/shared/types';

export function useJoinQueue() {
  const state = reactive({
    status: 'pending' as JoinStatus,
    items: [] as JoinRequest[],
    loading: false,
    error: null as unknown,
    busyId: '',
  });

  async function load(): Promise<void> {
    state.loading = true;
    state.error = null;
    try {
      const r = await api.get<ListOf<JoinRequest>>('/join-requests', { query: { status: state.status } });
      state.items = r.items;
    } catch (e) {
      state.error = e;
      state.items = [];
    } finally {
      state.loading = false;
    }
  }

  function replace(j: JoinRequest): void {
    // A decided request leaves the pending list.
    if (j.status !== state.status) state.items = state.items.filter((x) => x.id !== j.id);
    else state.items = state.items.map((x) => (x.id === j.id ? j : x));
  }

  async function approve(id: string): Promise<JoinRequest> {
    state.busyId = id;
    try {
      const j = await api.post<JoinRequest>(`/join-requests/${id}/approve`);
      replace(j);
      return j;
    } finally {
      state.busyId = '';
    }
  }

  async function reject(id: string, reason: string): Promise<JoinRequest> {
    state.busyId = id;
    try {
      const j = await api.post<JoinRequest>(`/join-requests/${id}/reject`, { reason });
      replace(j);
      return j;
    } finally {
      state.busyId = '';
    }
  }

  return { state, load, approve, reject };
}

export function validReason(s: string): 'reasonRequired' | 'reasonTooLong' | null {
  const r = s.trim();
  if (!r) return 'reasonRequired';
  if ([...r].length > 200) return 'reasonTooLong';
  return null;
}

/** How a review page shows the outcome of a decision, in its own UI library. */
export interface ReviewNotices {
  success(message: string): void;
  failure(message: string): void;
}

/**
 * The review page's actions on top of the queue: approve, and reject with a reason (the reject
 * dialog's state). A conflict (someone else decided first) reloads the list.
 */
export function useJoinReview(notices: ReviewNotices) {
  const { t } = useI18n();
  const queue = useJoinQueue();

  function fail(e: unknown): void {
    notices.failure(errorText(e));
    if (e instanceof ApiError && e.status === 409) void queue.load();
  }

  /** Approves `j`; `settled` runs once the request is over, before the notice. */
  async function approveRequest(j: JoinRequest, settled?: () => void): Promise<void> {
    try {
      await queue.approve(j.id);
      settled?.();
      notices.success(t('review.approvedToast'));
    } catch (e) {
      settled?.();
      fail(e);
    }
  }

  const rejecting = ref<JoinRequest | null>(null);
  const reason = ref('');
  const reasonError = ref('');
  const rejectOpen = computed({
    get: () => !!rejecting.value,
    set: (v: boolean) => {
      if (!v) rejecting.value = null;
    },
  });

  function startReject(j: JoinRequest): void {
    rejecting.value = j;
    reason.value = '';
    reasonError.value = '';
  }

  async function doReject(): Promise<void> {
    const j = rejecting.value;
    if (!j) return;
    const bad = validReason(reason.value);
    reasonError.value = bad ? t(`validation.${bad}`) : '';
    if (bad) return;
    try {
      await queue.reject(j.id, reason.value.trim());
      rejecting.value = null;
      notices.success(t('review.rejectedToast'));
    } catch (e) {
      if (e instanceof ApiError && e.fieldMessage('reason')) {
        reasonError.value = e.fieldMessage('reason');
        return;
      }
      rejecting.value = null;
      fail(e);
    }
  }

  return { ...queue, approveRequest, rejecting, reason, reasonError, rejectOpen, startReject, doReject };
}
