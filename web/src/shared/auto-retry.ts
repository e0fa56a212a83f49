// A submission on the phone that tries again by itself while the network is down (the requests'
// 我要反映, a form's 提交): after a try that got no answer it counts down (3, 6, 12, 20, then
// every 30 s) and sends again, at once when the browser says it is back online; the page shows
// the countdown and 立即重试. The page's own send function makes each try. No UI library here.
import { onBeforeUnmount, onMounted, ref } from 'vue';
import { ApiError } from '@/shared/api';

/** Waits between automatic tries while the network is down (then the last one, repeated). */
export const RETRY_SECONDS = [3, 6, 12, 20, 30];

/** No answer from the server (no network, or the gateway in front of it had none): worth trying again. */
export function gotNoAnswer(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 0 || e.status === 502 || e.status === 503 || e.status === 504);
}

/**
 * Call in setup. `send` makes one try: it calls `begin()` first and `schedule()` after a try that
 * got no answer. Set `attempts` to 0 when the person submits anew (the waits start short again).
 */
export function useAutoRetry(send: () => unknown, seconds: number[] = RETRY_SECONDS) {
  /** Counting down to the next try. */
  const retrying = ref(false);
  /** Seconds until it. */
  const retryIn = ref(0);
  /** Tries since the person submitted. */
  const attempts = ref(0);
  let timer: ReturnType<typeof setInterval> | undefined;

  /** No further automatic try (sent, given up, or another try starts now). */
  function stop(): void {
    clearInterval(timer);
    timer = undefined;
    retrying.value = false;
    retryIn.value = 0;
  }

  /** A try starts: the countdown stops and the try counts. */
  function begin(): void {
    stop();
    attempts.value += 1;
  }

  /** After a try that got no answer: the next one after the wait for this many tries. */
  function schedule(): void {
    stop();
    retrying.value = true;
    retryIn.value = seconds[Math.min(Math.max(attempts.value, 1) - 1, seconds.length - 1)];
    timer = setInterval(() => {
      retryIn.value -= 1;
      if (retryIn.value <= 0) void send();
    }, 1000);
  }

  function onOnline(): void {
    if (retrying.value) void send();
  }
  onMounted(() => window.addEventListener('online', onOnline));
  onBeforeUnmount(() => {
    stop();
    window.removeEventListener('online', onOnline);
  });

  return { retrying, retryIn, attempts, begin, schedule, stop };
}
