// Waiting in tests: a pause, and polling until a condition holds (or failing with what was
// awaited).
import assert from 'node:assert/strict';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Calls fn until it returns something truthy (returned), every 25 ms, for at most `ms`. */
export async function until(fn, what, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
