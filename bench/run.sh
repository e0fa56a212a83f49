#!/usr/bin/env bash
# make bench: loopback load against this machine's own ceiling, measured in the same run.
#   1. nginx serving a 46-byte static JSON file (the HTTP ceiling of this machine)
#   2. GET /api/v1/health
#   3. GET /api/v1/regions/500238000000/children, authenticated (session lookup + DB read of the
#      region version; the rendered subtree is reused while the version is unchanged)
#   4. (for information) GET /api/v1/people?region=<village>&limit=20, authenticated: a read that
#      runs its query and builds its JSON on every request
# Each with the same wrk settings, interleaved over 3 rounds (median); printed as a ratio to nginx. Then the server's resident memory
# with the demo county (100,000+ residents) loaded. Every process started here is stopped here.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/bench/out
mkdir -p "$out"
DURATION=${BENCH_DURATION:-5}
ROUNDS=${BENCH_ROUNDS:-3}  # each target is measured ROUNDS times, interleaved; the median counts
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=2
WRK="wrk -t$THREADS -c$CONNS -d${DURATION}s --latency"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# A free loopback port: try random high ports until one does not answer.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
rps() { grep -oP 'Requests/sec:\s+\K[0-9.]+' "$1"; }
p99() { grep -oP '^\s+99%\s+\K\S+' "$1"; }

# --- the demo county database (built once, reused) ---
export SHUXIANG_DEMO_PASSWORD=${SHUXIANG_DEMO_PASSWORD:-bench-Pass-2026}
db="$out/bench.db"
if [ ! -f "$out/.bench-db-ok" ]; then
  rm -f "$db"*
  echo "loading the demo county into $db ..."
  ./build/shuxiang demo --db "sqlite:$db" --key-file "$out/bench.key" >/dev/null
  touch "$out/.bench-db-ok"
fi
admin_phone=$(./build/shuxiang demo accounts --db "sqlite:$db" --key-file "$out/bench.key" --json | grep county_admin | head -1 | grep -oP '"phone":"\K[0-9]+')

# --- nginx: the ceiling ---
ng=$out/nginx
mkdir -p "$ng/html"
printf '{"status":"ok","version":"0.1.0","database":"x"}' | head -c 46 > "$ng/html/health.json"
ngport=$(free_port)
cat > "$ng/nginx.conf" <<CONF
worker_processes 2;
pid $ng/nginx.pid;
error_log $ng/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  client_body_temp_path $ng/tmp; proxy_temp_path $ng/tmp; fastcgi_temp_path $ng/tmp;
  uwsgi_temp_path $ng/tmp; scgi_temp_path $ng/tmp;
  server { listen 127.0.0.1:$ngport; root $ng/html; default_type application/json; }
}
CONF
mkdir -p "$ng/tmp"
nginx -c "$ng/nginx.conf" -g 'daemon off;' &
pids+=($!)

# --- shuxiang ---
SHUXIANG_ACCESS_LOG=off SHUXIANG_LOG=warn ./build/shuxiang serve --listen 127.0.0.1:0 \
  --db "sqlite:$db" --key-file "$out/bench.key" --web web/dist > "$out/server.out" 2> "$out/server.err" &
spid=$!
pids+=($spid)
for _ in $(seq 1 100); do grep -q 'listening on' "$out/server.out" 2>/dev/null && break; sleep 0.1; done
base=$(grep -oP 'listening on \K\S+' "$out/server.out")
sleep 0.5
token=$(curl -s -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"phone\":\"$admin_phone\",\"password\":\"$SHUXIANG_DEMO_PASSWORD\"}" | grep -oP '"token":"\K[^"]+')
[ -n "$token" ] || { echo "bench: could not sign in" >&2; exit 1; }

curl -sf "http://127.0.0.1:$ngport/health.json" >/dev/null
curl -sf "$base/api/v1/regions/500238000000/children" -H "Authorization: Bearer $token" >/dev/null

# Warm up, then measure each target with identical settings.
for url in "http://127.0.0.1:$ngport/health.json" "$base/api/v1/health"; do wrk -t2 -c$CONNS -d2s "$url" >/dev/null; done
village=$(curl -s "$base/api/v1/regions/500238001000/children" -H "Authorization: Bearer $token" | grep -oP '"code":"\K[0-9]{12}' | head -1)
# Interleaved rounds, so that a burst of noise on this shared machine hits every target alike.
for r in $(seq 1 "$ROUNDS"); do
  $WRK "http://127.0.0.1:$ngport/health.json" > "$out/nginx.$r.txt"
  $WRK "$base/api/v1/health" > "$out/health.$r.txt"
  $WRK -H "Authorization: Bearer $token" "$base/api/v1/regions/500238000000/children" > "$out/children.$r.txt"
  $WRK -H "Authorization: Bearer $token" "$base/api/v1/people?region=$village&limit=20" > "$out/people.$r.txt"
done
# The median round of each target (by req/s) stands for it.
for t in nginx health children people; do
  best=$(for r in $(seq 1 "$ROUNDS"); do echo "$(rps "$out/$t.$r.txt") $r"; done | sort -n | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2) { print $2 }')
  cp "$out/$t.$best.txt" "$out/$t.txt"
done

rss_kb=$(grep -oP '^VmRSS:\s+\K[0-9]+' /proc/$spid/status)
hwm_kb=$(grep -oP '^VmHWM:\s+\K[0-9]+' /proc/$spid/status)
people=$(curl -s "$base/api/v1/regions/500238000000" -H "Authorization: Bearer $token" | grep -oP '"people_count":\K[0-9]+')

n=$(rps "$out/nginx.txt"); h=$(rps "$out/health.txt"); c=$(rps "$out/children.txt"); pl=$(rps "$out/people.txt")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
hr=$(ratio "$h" "$n"); cr=$(ratio "$c" "$n")
pass() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b ? "PASS" : "FAIL") }'; }
cat <<REPORT

Shuxiang bench ($(nproc) cores, wrk -t$THREADS -c$CONNS -d${DURATION}s, loopback, median of $ROUNDS interleaved rounds)
  nginx static 46 B JSON (ceiling)          $(printf '%10.0f' "$n") req/s   p99 $(p99 "$out/nginx.txt")
  GET /api/v1/health                        $(printf '%10.0f' "$h") req/s   p99 $(p99 "$out/health.txt")   ratio $hr  (target >= 0.90) $(pass "$hr" 0.9)
  GET /api/v1/regions/500238000000/children $(printf '%10.0f' "$c") req/s   p99 $(p99 "$out/children.txt")   ratio $cr  (target >= 0.50) $(pass "$cr" 0.5)
  GET /api/v1/people?region=…&limit=20      $(printf '%10.0f' "$pl") req/s   p99 $(p99 "$out/people.txt")   ratio $(ratio "$pl" "$n")  (information: query + JSON every time)
  resident memory with the demo county ($people people): $((rss_kb / 1024)) MB now, $((hwm_kb / 1024)) MB peak  (target <= 300 MB) $(pass $((300 * 1024)) "$hwm_kb")
REPORT
