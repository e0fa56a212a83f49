#!/usr/bin/env bash
# Builds the libFuzzer target for the Yjs frame and update decoders with clang under ASan and
# UBSan: build/sx_yjs_fuzz. Usage: scripts/fuzz.sh [build|run SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/sx_yjs_fuzz
srcs=(tests/fuzz/yjs_fuzz.cc src/modules/docs/yupdate.cc src/modules/docs/yprotocol.cc)
newest=$(ls -t "${srcs[@]}" src/modules/docs/*.h | head -1)
if [ ! -x "$out" ] || [ "$newest" -nt "$out" ]; then
  mkdir -p build
  ccache=$(command -v ccache || true)
  $ccache clang++ -std=c++20 -O1 -g -Isrc -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=all -fno-omit-frame-pointer "${srcs[@]}" -o "$out"
fi
if [ "${1:-build}" = run ]; then
  corpus=$(mktemp -d)
  cp tests/fuzz/corpus/* "$corpus"/ 2>/dev/null || true
  # A crashing input is written to build/fuzz-crash-* (not the working tree).
  "$out" -max_total_time="${2:-60}" -seed=1 -max_len=4096 -rss_limit_mb=1024 \
    -artifact_prefix=build/fuzz- "$corpus"
  rm -rf "$corpus"
fi
