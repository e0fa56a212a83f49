#!/usr/bin/env bash
# Installs the Debian packages a goal needs, only those missing. Usage: deps.sh build|test|bench
# Root on Debian 12 (the project's machines); elsewhere it prints what is missing and fails.
set -euo pipefail
goal=${1:-build}
pkgs=(cmake ninja-build g++ ccache pkg-config libboost1.81-dev libboost-json1.81-dev
      libboost-url1.81-dev libsqlite3-dev libpq-dev libsodium-dev libfmt-dev libjemalloc-dev libxlsxwriter-dev zlib1g-dev libssl-dev libgtest-dev nodejs npm)
case "$goal" in
  test) pkgs+=(postgresql sqlite3 chromium fonts-noto-cjk clang libclang-rt-14-dev) ;;
  bench) pkgs+=(nginx-light wrk) ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node and npm may come from outside Debian's archive on a developer machine.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
