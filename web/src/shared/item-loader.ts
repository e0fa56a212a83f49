// One thing loaded by id for a page (a meeting, a request, a notice): a 404 is "not found" (and
// what was shown goes), another failure is an error; `load(true)` reloads quietly, keeping what is
// shown while it runs and over a passing failure. The latest call wins. No UI library here.
import { ref, type Ref } from 'vue';
import { ApiError } from '@/shared/api';
import { onLive, type LiveEventName } from '@/shared/live';

export interface ItemLoaderOptions<T> {
  /** Runs with every answer that arrived and still counts. */
  onLoaded?: (item: T) => void;
  /** Live events about such things: one about this thing (its data.id) reloads it quietly, as does a 'reset'. */
  live?: LiveEventName[];
}

/** The props of the ItemStates that show such a page until the thing is there (src/mobile/components/, src/admin/components/). */
export interface ItemStatesProps {
  /** Loading with nothing to show yet. */
  loading: boolean;
  notFound: boolean;
  error: unknown;
  notFoundText: string;
  /** The way back from "not found": a route's name. */
  backTo: string;
  backText: string;
  /** data-testids: `${testid}-not-found`, `${testid}-error`. */
  testid: string;
}

/** Call in setup. `id` may be '' (nothing to show: nothing is loaded). */
export function useItemLoader<T>(id: Readonly<Ref<string>>, fetch: (id: string) => Promise<T>, options: ItemLoaderOptions<T> = {}) {
  const item = ref(null) as Ref<T | null>;
  const loading = ref(false);
  const notFound = ref(false);
  const error = ref<unknown>(null);
  let seq = 0;

  async function load(quiet = false): Promise<void> {
    const my = ++seq;
    if (!id.value) {
      loading.value = false;
      return;
    }
    const request = fetch(id.value);
    if (!quiet) {
      loading.value = true;
      error.value = null;
      notFound.value = false;
    }
    try {
      const v = await request;
      if (my !== seq) return;
      item.value = v;
      error.value = null;
      notFound.value = false;
      options.onLoaded?.(v);
    } catch (e) {
      if (my !== seq) return;
      if (e instanceof ApiError && e.status === 404) {
        notFound.value = true;
        item.value = null;
      } else if (!quiet || !item.value) {
        error.value = e;
      }
    } finally {
      if (my === seq) loading.value = false;
    }
  }

  if (options.live) {
    for (const ev of options.live) {
      onLive(ev, (e) => {
        if (id.value && e.data.id === id.value) void load(true);
      });
    }
    onLive('reset', () => {
      if (id.value) void load(true);
    });
  }

  return { item, loading, notFound, error, load };
}
