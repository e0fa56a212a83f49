// A list loaded by pages (`next_cursor`), for the resident app's scrolling lists and the console's
// tables: the first page on `reload()`, further ones on `loadMore()`, the latest call wins (an
// earlier answer that comes later is dropped), items of a further page already shown are skipped.
// No UI library here: the resident app draws it with src/mobile/components/PagedList.vue, the
// console with src/admin/components/PagedTable.vue (or its own table and LoadMoreBar.vue).
import { ref, type Ref } from 'vue';

/** The shape of every paged answer of the API. */
export interface CursorPage<T> {
  items: T[];
  next_cursor: string | null;
}

export interface CursorListOptions<P> {
  /** Runs with every page that arrived and still counts (e.g. to take a count it carries). */
  onPage?: (page: P) => void;
}

/**
 * Call in setup. `fetch` asks for the page after `cursor` (undefined: the first one); it may return
 * null when there is nothing to ask for (the list is then loaded, empty and finished).
 */
export function useCursorList<T extends { id: string }, P extends CursorPage<T> = CursorPage<T>>(
  fetch: (cursor: string | undefined) => Promise<P> | null,
  options: CursorListOptions<P> = {},
) {
  const items = ref([]) as Ref<T[]>;
  const cursor = ref<string | null>(null);
  /** No further page. */
  const finished = ref(false);
  const loading = ref(false);
  /** The first page came at least once. */
  const loaded = ref(false);
  /** The first page failed (the list is emptied). */
  const error = ref<unknown>(null);
  /** A further page failed (the list stays; `loadMore()` tries again). */
  const moreError = ref<unknown>(null);
  let seq = 0;

  async function fetchPage(first: boolean): Promise<void> {
    const request = fetch(first ? undefined : (cursor.value ?? undefined));
    if (!request) {
      loaded.value = true;
      finished.value = true;
      return;
    }
    const my = ++seq;
    loading.value = true;
    moreError.value = null;
    if (first) error.value = null;
    try {
      const page = await request;
      if (my !== seq) return;
      if (first) {
        items.value = page.items;
      } else {
        const seen = new Set(items.value.map((x) => x.id));
        items.value = [...items.value, ...page.items.filter((x) => !seen.has(x.id))];
      }
      cursor.value = page.next_cursor;
      finished.value = !page.next_cursor;
      loaded.value = true;
      options.onPage?.(page);
    } catch (e) {
      if (my !== seq) return;
      if (first) {
        error.value = e;
        items.value = [];
        cursor.value = null;
        finished.value = true;
      } else {
        moreError.value = e;
      }
    } finally {
      if (my === seq) loading.value = false;
    }
  }

  /** The first page again (filters changed, something happened, or the user asked). */
  function reload(): Promise<void> {
    return fetchPage(true);
  }

  /** The next page (the first one if none came yet). */
  function loadMore(): Promise<void> {
    return fetchPage(!loaded.value || !cursor.value);
  }

  return { items, cursor, finished, loading, loaded, error, moreError, reload, loadMore };
}

export type CursorList<T extends { id: string }> = ReturnType<typeof useCursorList<T>>;
