// The join-request queue, used by the mobile review page and the admin review page.
import { reactive } from 'vue';
import { api } from '@/shared/api';
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
