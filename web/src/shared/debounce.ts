// A call put off until things settle (typing in a search box, a burst of live events).
import { onBeforeUnmount } from 'vue';

/** Call in setup: the returned function runs `fn` once, `ms` after its last call; unmounting drops a pending run. */
export function useDebounced(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  onBeforeUnmount(() => clearTimeout(timer));
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}
