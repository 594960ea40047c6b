#!/usr/bin/env bash
# Ingest benchmark: the same 1,000,000-point GeoJSON file loaded into the same PostGIS database,
# in the same run, by `ogr2ogr -f PostgreSQL` (PG_USE_COPY=YES) and by Haenau's upload API.
# Reports seconds, features/s and peak RSS for each, and Haenau/ogr2ogr as a ratio.
#
#   bench/ingest.sh                 # ROUNDS=2 alternating runs; needs ../shared/bench/make-data.sh data
# Env: BENCH_WORK (bench/work)  ROUNDS (2)  PORT (18090)  PGHOST/PGPORT  BENCH_DB/USER/PASSWORD (bench)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="$ROOT/../shared/bench"
export BENCH_WORK="${BENCH_WORK:-$ROOT/bench/work}"
: "${ROUNDS:=2}" "${PORT:=18090}" "${PGHOST:=127.0.0.1}" "${PGPORT:=5432}"
: "${BENCH_DB:=bench}" "${BENCH_USER:=bench}" "${BENCH_PASSWORD:=bench}"
export PGHOST PGPORT PGUSER="$BENCH_USER" PGPASSWORD="$BENCH_PASSWORD" PGDATABASE="$BENCH_DB" PGOPTIONS="-c client_min_messages=warning"
DSN="PG:host=$PGHOST port=$PGPORT dbname=$BENCH_DB user=$BENCH_USER password=$BENCH_PASSWORD"
SRC="$BENCH_WORK/data/bench_points.geojson"
OUT="$BENCH_WORK/results/haenau-ingest-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
mkdir -p "$BENCH_WORK/data" "$BENCH_WORK/results"
for cmd in ogr2ogr psql curl jq bc /usr/bin/time; do command -v "$cmd" >/dev/null || { echo "missing $cmd (apt-get install gdal-bin postgresql-client curl jq bc time)" >&2; exit 2; }; done

psql -qtAc "SELECT 1 FROM bench_points LIMIT 1" >/dev/null 2>&1 || { echo "no bench data: run ../shared/bench/make-data.sh first" >&2; exit 2; }
if [ ! -s "$SRC" ]; then
  echo "exporting bench_points -> $SRC"
  ogr2ogr -f GeoJSON "$SRC" "$DSN" -sql "SELECT id, name, category, value, geom FROM bench_points ORDER BY id" -nln bench_points
fi
BYTES=$(stat -c %s "$SRC")
N=1000000
now() { date +%s.%N; }

# Haenau against the same database, seed off, a throwaway operator token.
ADMIN="bench-operator-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
LOG="$BENCH_WORK/results/haenau-server.log"
( cd "$ROOT" && DATABASE_URL="postgres://$BENCH_USER:$BENCH_PASSWORD@$PGHOST:$PGPORT/$BENCH_DB" PORT=$PORT HOST=127.0.0.1 \
  HAENAU_ADMIN_TOKEN="$ADMIN" HAENAU_SEED=false HAENAU_LOG_LEVEL=info exec node --import tsx server/src/main.ts ) > "$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
api() { curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' "$@"; }
api -X POST "http://127.0.0.1:$PORT/api/organisations" -d '{"id":"bench","name":"Bench"}' >/dev/null || true

run_ogr2ogr() {
  psql -qtAc "DROP TABLE IF EXISTS ingest_points_ogr" >/dev/null
  sync
  local t0 t1 rss
  t0=$(now)
  rss=$( { PG_USE_COPY=YES /usr/bin/time -f '%M' ogr2ogr -f PostgreSQL "$DSN" "$SRC" -nln ingest_points_ogr \
      -lco GEOMETRY_NAME=geom -lco FID=fid -nlt POINT -a_srs EPSG:4326 >/dev/null; } 2>&1 | tail -1)
  t1=$(now)
  psql -qtAc "DROP TABLE IF EXISTS ingest_points_ogr" >/dev/null
  echo "$(echo "$t1-$t0" | bc) $((rss / 1024))"
}

run_haenau() {
  local slug="bench-points-$1" t0 t1 status peak
  api -X DELETE "http://127.0.0.1:$PORT/api/layers/$slug" >/dev/null 2>&1 || true
  api -X POST "http://127.0.0.1:$PORT/api/layers" -d "{\"slug\":\"$slug\",\"organisation\":\"bench\",\"title\":{\"en\":\"Bench points\"}}" >/dev/null
  sync
  echo 5 > "/proc/$SERVER/clear_refs" 2>/dev/null || true # reset the peak-RSS mark (VmHWM) to now
  t0=$(now)
  status=$(curl -s -o "$BENCH_WORK/results/upload-$1.json" -w '%{http_code}' -X PUT -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/geo+json' --data-binary @"$SRC" "http://127.0.0.1:$PORT/api/layers/$slug/data")
  t1=$(now)
  peak=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$SERVER/status")
  [ "$status" = 201 ] || { echo "upload failed: HTTP $status $(head -c 300 "$BENCH_WORK/results/upload-$1.json")" >&2; exit 1; }
  [ "$(jq .featureCount "$BENCH_WORK/results/upload-$1.json")" = "$N" ] || { echo "wrong feature count" >&2; exit 1; }
  api -X DELETE "http://127.0.0.1:$PORT/api/layers/$slug" >/dev/null
  echo "$(echo "$t1-$t0" | bc) $peak"
}

echo "source: $SRC ($((BYTES / 1048576)) MB, $N features); $(ogr2ogr --version); node $(node -v)"
printf '%-6s %-8s %9s %11s %12s\n' round loader seconds features/s peak_rss_MB
for r in $(seq 1 "$ROUNDS"); do
  read -r os orss < <(run_ogr2ogr)
  read -r hs hrss < <(run_haenau "$r")
  ofps=$(echo "$N / $os" | bc); hfps=$(echo "$N / $hs" | bc); ratio=$(echo "scale=2; $os / $hs" | bc)
  printf '%-6s %-8s %9.2f %11d %12d\n' "$r" ogr2ogr "$os" "$ofps" "$orss"
  printf '%-6s %-8s %9.2f %11d %12d   throughput ratio haenau/ogr2ogr = %s\n' "$r" haenau "$hs" "$hfps" "$hrss" "$ratio"
  echo "{\"round\":$r,\"features\":$N,\"bytes\":$BYTES,\"ogr2ogr_s\":$os,\"ogr2ogr_fps\":$ofps,\"ogr2ogr_peak_rss_mb\":$orss,\"haenau_s\":$hs,\"haenau_fps\":$hfps,\"haenau_peak_rss_mb\":$hrss,\"ratio\":$ratio,\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> "$OUT"
done
echo "results: $OUT"
