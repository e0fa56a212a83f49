// Pull down to reload (the resident app's lists): the spinner stays until the reload is over.
import { ref } from 'vue';

/** Call in setup; bind `pulling` to the pull-refresh's v-model and `onPull` to its refresh event. */
export function usePullRefresh(reload: () => Promise<unknown>) {
  const pulling = ref(false);
  async function onPull(): Promise<void> {
    await reload();
    pulling.value = false;
  }
  return { pulling, onPull };
}
