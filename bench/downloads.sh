#!/usr/bin/env bash
# Big-layer reads with flat memory: full downloads (GeoJSON, CSV, GeoPackage) of the 1,000,000-point
# layer and limit=10,000 item pages, with the server's peak RSS for each, and deep pages by keyset
# against offset. Needs the layers bench/items.sh loads into the `bench` database.
#
#   bench/downloads.sh
# Env: BENCH_WORK (bench/work)  PORT (18094)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export BENCH_WORK="${BENCH_WORK:-$ROOT/bench/work}"
: "${PORT:=18094}"
URL="http://127.0.0.1:$PORT"
mkdir -p "$BENCH_WORK/results"
OUT="$BENCH_WORK/results/downloads-$(date -u +%Y%m%dT%H%M%SZ).jsonl"

( cd "$ROOT" && DATABASE_URL="postgres://bench:bench@127.0.0.1:5432/bench" PORT=$PORT HOST=127.0.0.1 HAENAU_SEED=false HAENAU_LOG_LEVEL=warn \
  exec node --import tsx server/src/main.ts ) > "$BENCH_WORK/results/haenau-downloads-server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.5; done
[ "$(curl -s "$URL/api/layers/bench-points" | jq -r '.featureCount // 0')" = 1000000 ] || { echo "run bench/items.sh first (it loads bench-points)" >&2; exit 2; }

rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$SERVER/status"; }
measure() { # label path
  curl -s -o /dev/null "$URL/ogc/collections/bench-points/items?limit=1" # warm
  local before; before=$(rss)
  echo 5 > "/proc/$SERVER/clear_refs" 2>/dev/null || true
  local stats; stats=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %{time_total}' "$URL$2")
  local peak; peak=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$SERVER/status")
  read -r code bytes secs <<< "$stats"
  printf '%-34s %4s %12s bytes %8ss  RSS before %4s MB  peak %4s MB\n' "$1" "$code" "$bytes" "$secs" "$before" "$peak"
  echo "{\"what\":\"$1\",\"status\":$code,\"bytes\":$bytes,\"seconds\":$secs,\"rss_before_mb\":$before,\"peak_rss_mb\":$peak}" >> "$OUT"
}

measure "items limit=10000 (first page)" "/ogc/collections/bench-points/items?limit=10000"
measure "items limit=10000 after=900000" "/ogc/collections/bench-points/items?limit=10000&after=900000"
measure "items limit=10000 offset=900000" "/ogc/collections/bench-points/items?limit=10000&offset=900000"
measure "download GeoJSON (1 M points)" "/api/layers/bench-points/download?format=geojson"
measure "download CSV (1 M points)" "/api/layers/bench-points/download?format=csv"
measure "download GeoPackage (1 M points)" "/api/layers/bench-points/download?format=gpkg"
measure "download GeoJSON (100 k lines)" "/api/layers/bench-lines/download?format=geojson"
echo "results: $OUT"
