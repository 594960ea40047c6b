#!/usr/bin/env bash
# Items / WFS benchmark: Haenau's OGC API items and WFS GetFeature against MapServer (FastCGI) on the
# same PostGIS tables, and against the ceiling (the same bbox queries run straight in PostGIS by
# pgbench), in one run. Prints requests/s, p50, p99, errors and both ratios.
#
#   bench/items.sh          # needs ../shared/bench/setup.sh and make-data.sh done once
# Env: BENCH_WORK (bench/work)  PORT (18091)  ONLY (items|wfs regex)  DURATION (per workload, default 10s)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="$ROOT/../shared/bench"
export BENCH_WORK="${BENCH_WORK:-$ROOT/bench/work}"
: "${PORT:=18091}" "${ONLY:=^(items|wfs)-}"
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=bench PGPASSWORD=bench PGDATABASE=bench
DSN="PG:host=127.0.0.1 port=5432 dbname=bench user=bench password=bench"
mkdir -p "$BENCH_WORK/data" "$BENCH_WORK/results"
ADMIN="bench-operator-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
URL="http://127.0.0.1:$PORT"

# Haenau on the bench database: no seed, a pool as wide as the load (16 connections).
( cd "$ROOT" && DATABASE_URL="postgres://bench:bench@127.0.0.1:5432/bench" PORT=$PORT HOST=127.0.0.1 HAENAU_PG_POOL_MAX=16 \
  HAENAU_ADMIN_TOKEN="$ADMIN" HAENAU_SEED=false HAENAU_LOG_LEVEL=warn exec node --import tsx server/src/main.ts ) > "$BENCH_WORK/results/haenau-items-server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.5; done
api() { curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' "$@"; }

# The three bench tables as Haenau layers (same rows, ids and properties), loaded once through the upload API.
api -X POST "$URL/api/organisations" -d '{"id":"bench","name":"Bench"}' >/dev/null 2>&1 || true
for t in points lines polygons; do
  slug="bench-$t"
  if [ "$(curl -s "$URL/api/layers/$slug" | jq -r '.featureCount // 0')" != "0" ]; then continue; fi
  src="$BENCH_WORK/data/bench_$t.geojson"
  [ -s "$src" ] || ogr2ogr -f GeoJSON "$src" "$DSN" -sql "SELECT id, name, category, value, geom FROM bench_$t ORDER BY id" -nln "bench_$t"
  api -X POST "$URL/api/layers" -d "{\"slug\":\"$slug\",\"organisation\":\"bench\",\"title\":{\"en\":\"bench $t\"}}" >/dev/null || true
  echo "loading $slug"
  curl -sf -X PUT -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/geo+json' --data-binary @"$src" "$URL/api/layers/$slug/data" | jq -c '{featureCount, version}'
done

# MapServer, then Haenau, on the identical URL lists (neutral paths, renamed to our slugs).
OURS_URL="$URL" OURS_LABEL=haenau OURS_PIDS_CMD="echo $SERVER" ONLY="$ONLY" \
OURS_RENAME='bench_points=bench-points,bench_lines=bench-lines,bench_polygons=bench-polygons' \
OURS_TILES_TEMPLATE='' \
OURS_ITEMS_TEMPLATE='/ogc/collections/{collection}/items?bbox={minx},{miny},{maxx},{maxy}&limit={limit}' \
  "$SHARED/side-by-side.sh"

# The ceiling: the same bbox lists straight into PostGIS with pgbench.
"$SHARED/ceiling/load-bboxes.sh" "$BENCH_WORK/run/fcgi-18080/urls" >/dev/null
"$SHARED/ceiling/items-ceiling.sh" | tee "$BENCH_WORK/results/ceiling-items-$(date -u +%Y%m%dT%H%M%SZ).txt"
