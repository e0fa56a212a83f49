// The dashboard's figures for a position (region, months, unit), for both apps and the printable
// report: loads GET /stats/dashboard whenever the position changes (the latest call wins), and
// again quietly — keeping what is shown, over a passing failure too — when the server says the
// figures changed (live 'stats.changed', at most every 2 s; debounced here by a second) or after a
// live 'reset'. A 404 is "not found" (a region outside the caller's scope, an unknown one). No UI
// library here.
import { computed, ref, watch, type Ref } from 'vue';
import { api, ApiError } from '@/shared/api';
import { useDebounced } from '@/shared/debounce';
import { onLive } from '@/shared/live';
import { apiQuery } from '@/modules/stats/query';
import type { Dashboard, StatsParams } from '@/modules/stats/types';

export const LIVE_DEBOUNCE_MS = 1000;

const key = (p: StatsParams | null) => (p ? `${p.region}|${p.from}|${p.to}|${p.unit}` : '');

/** Call in setup; `params` is the position to show (null: nothing to load yet). */
export function useStatsDashboard(params: () => StatsParams | null) {
  const data = ref(null) as Ref<Dashboard | null>;
  /** The position `data` is of. */
  const shownKey = ref('');
  const loading = ref(false);
  const notFound = ref(false);
  const error = ref<unknown>(null);
  /** When the figures shown were last fetched (client time). */
  const fetchedAt = ref<number | null>(null);
  let seq = 0;

  async function load(quiet = false): Promise<void> {
    const p = params();
    const my = ++seq;
    if (!p) {
      loading.value = false;
      return;
    }
    if (!quiet) {
      loading.value = true;
      error.value = null;
      notFound.value = false;
    }
    try {
      const d = await api.get<Dashboard>('/stats/dashboard', { query: apiQuery(p) });
      if (my !== seq) return;
      data.value = d;
      shownKey.value = key(p);
      fetchedAt.value = Date.now();
      error.value = null;
      notFound.value = false;
    } catch (e) {
      if (my !== seq) return;
      if (e instanceof ApiError && e.status === 404) {
        notFound.value = true;
        data.value = null;
        shownKey.value = '';
      } else if (!quiet || !data.value) {
        error.value = e;
      }
    } finally {
      if (my === seq) loading.value = false;
    }
  }

  /** The figures shown are of another position than the one asked for (drilling, a new period). */
  const stale = computed(() => !!data.value && shownKey.value !== key(params()));

  watch(() => key(params()), () => void load());

  const reloadSoon = useDebounced(() => void load(true), LIVE_DEBOUNCE_MS);
  onLive('stats.changed', reloadSoon);
  onLive('reset', reloadSoon);

  return { data, loading, notFound, error, stale, fetchedAt, load };
}
