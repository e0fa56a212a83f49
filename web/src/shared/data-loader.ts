// What a panel shows (a form's figures, who has not answered, a meeting's attendance), loaded
// and reloaded: `load(true)` reloads quietly, with no spinner and keeping what is shown over a
// passing failure (an error shows only while there is nothing to show). The latest call wins.
// src/shared/item-loader.ts is the same for the one thing a page is about (by id, with 404).
// No UI library here.
import { ref, type Ref } from 'vue';

/** Call in setup; `fetch` asks for the current data (it reads the props it needs itself). */
export function useDataLoader<T>(fetch: () => Promise<T>) {
  const data = ref(null) as Ref<T | null>;
  const loading = ref(false);
  const error = ref<unknown>(null);
  let seq = 0;

  async function load(quiet = false): Promise<void> {
    const my = ++seq;
    if (!quiet) loading.value = true;
    try {
      const v = await fetch();
      if (my !== seq) return;
      data.value = v;
      error.value = null;
    } catch (e) {
      if (my !== seq) return;
      if (!quiet || !data.value) error.value = e;
    } finally {
      if (my === seq) loading.value = false;
    }
  }

  return { data, loading, error, load };
}
