#!/usr/bin/env bash
# Tile benchmark: Haenau's vector tiles against MapServer's MVT (FastCGI) on the same PostGIS tables and
# against the ceiling (the same ST_AsMVT queries run straight in PostGIS by pgbench), in one run:
# Haenau with its tile cache off (cold) and on and filled (warm). Prints tiles/s, p50, p99, errors,
# mean tile bytes and the ratios.
#
#   bench/tiles.sh          # needs ../shared/bench/setup.sh and make-data.sh done once
# Env: BENCH_WORK (bench/work)  PORT (18092 cold; PORT+1 warm)  ONLY (tile workload regex)  DURATION
set -euo pipefail
source "$(dirname "$0")/lib.sh"
: "${PORT:=18092}" "${ONLY:=^tiles-}"
ts=$(date -u +%Y%m%dT%H%M%SZ)
COLD_URL="http://127.0.0.1:$PORT"; WARM_URL="http://127.0.0.1:$((PORT + 1))"
COLD=$(start_haenau "$PORT" "$BENCH_WORK/results/haenau-tiles-cold.log" HAENAU_TILE_CACHE_MB=0)
WARM=$(start_haenau "$((PORT + 1))" "$BENCH_WORK/results/haenau-tiles-warm.log" HAENAU_TILE_CACHE_MB=1024)
trap 'kill $COLD $WARM 2>/dev/null || true' EXIT
load_bench_layers "$COLD_URL"

# A: MapServer, B: Haenau cold, on the identical tile lists (neutral paths, renamed to our slugs).
TEMPLATE='/ogc/collections/{layer}/tiles/WebMercatorQuad/{z}/{y}/{x}'
OURS_URL="$COLD_URL" OURS_LABEL=haenau-cold OURS_PIDS_CMD="echo $COLD" ONLY="$ONLY" \
OURS_RENAME='bench_points=bench-points,bench_lines=bench-lines,bench_polygons=bench-polygons' \
OURS_TILES_TEMPLATE="$TEMPLATE" OURS_ITEMS_TEMPLATE='' OURS_WFS_TEMPLATE='' \
  "$SHARED/side-by-side.sh" | tee "$BENCH_WORK/results/tiles-$ts-side.txt"
MAPSERVER=$(ls -t "$BENCH_WORK"/results/side-*-mapserver.jsonl | head -1)
COLD_JSONL=$(ls -t "$BENCH_WORK"/results/side-*-haenau-cold.jsonl | head -1)

# Haenau warm: every tile of every list drawn once into the cache, then the same runs.
UD="$BENCH_WORK/run/urls-haenau-cold"
for f in "$UD"/tiles-*.txt; do
  basename "$f" .txt | grep -Eq "$ONLY" || continue
  sed "s#^#$WARM_URL#" "$f" | xargs -P 4 -n 50 curl -s > /dev/null
done
WARM_JSONL="$BENCH_WORK/results/tiles-$ts-haenau-warm.jsonl"
DRAIN_PIDS_CMD="echo $WARM; pgrep -u postgres" ONLY="$ONLY" "$SHARED/run-workloads.sh" "$WARM_URL" "$UD" "$WARM_JSONL" haenau-warm

# The ceiling: the same tile lists straight into PostGIS with pgbench.
# (load-tiles.sh reads MapServer's native tile URLs; gen-urls.mjs makes the same seeded list in that form.)
NATIVE="$BENCH_WORK/run/native-tile-urls"; rm -rf "$NATIVE"
node "$SHARED/gen-urls.mjs" --out "$NATIVE" --items-template '' --wfs-template '' \
  --tiles-template '/mapserv?map=bench&mode=tile&tilemode=gmap&tile={x}+{y}+{z}&layers={layer}&map.imagetype=mvt' >/dev/null
"$SHARED/ceiling/load-tiles.sh" "$NATIVE" >/dev/null
CEILING="$BENCH_WORK/results/ceiling-tiles-$ts.txt"
"$SHARED/ceiling/tile-ceiling.sh" | tee "$CEILING"

node "$ROOT/bench/tile-ratios.mjs" "$MAPSERVER" "$COLD_JSONL" "$WARM_JSONL" "$CEILING" | tee "$BENCH_WORK/results/tiles-$ts.md"
