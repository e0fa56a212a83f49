// Runs the libFuzzer target for the Yjs frame and update decoders (tests/fuzz/yjs_fuzz.cc) under
// AddressSanitizer and UndefinedBehaviorSanitizer for a bounded time (SX_FUZZ_SECONDS, default
// 60) from the seed corpus, with a fixed seed: any crash, sanitizer report, leak or broken
// invariant fails the test with the fuzzer's report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const seconds = Number(process.env.SX_FUZZ_SECONDS || 60);

test(`the Yjs decoders survive ${seconds} s of fuzzing under ASan/UBSan`, { timeout: (seconds + 180) * 1000 }, () => {
  const r = spawnSync('bash', [path.join(root, 'scripts/fuzz.sh'), 'run', String(seconds)], {
    cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, `fuzzer failed:\n${out.slice(-6000)}`);
  const runs = Number((out.match(/Done (\d+) runs/) || [])[1] || 0);
  assert.ok(runs > 10000, `the fuzzer ran (${runs} inputs):\n${out.slice(-2000)}`);
  assert.doesNotMatch(out, /ERROR: (AddressSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:/);
});
