// The signed-in resident's own join requests (newest first) and the account, refreshed together.
import { computed, reactive } from 'vue';
import { api } from '@/shared/api';
import { loadMe, session } from '@/shared/session';
import type { JoinRequest, ListOf } from '@/shared/types';

const state = reactive({
  items: [] as JoinRequest[],
  loaded: false,
  loading: false,
  error: null as unknown,
});

export function useMyJoins() {
  async function refresh(): Promise<void> {
    state.loading = true;
    state.error = null;
    try {
      const [, list] = await Promise.all([loadMe(true), api.get<ListOf<JoinRequest>>('/me/join-requests')]);
      state.items = list.items;
      state.loaded = true;
    } catch (e) {
      state.error = e;
    } finally {
      state.loading = false;
    }
  }
  /** The request that matters now: the newest one. */
  const latest = computed<JoinRequest | null>(() => state.items[0] ?? null);
  const village = computed(() => session.me?.village ?? null);
  function add(j: JoinRequest): void {
    state.items = [j, ...state.items.filter((x) => x.id !== j.id)];
  }
  return { state, refresh, latest, village, add };
}
