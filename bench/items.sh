#!/usr/bin/env bash
# Items / WFS benchmark: Haenau's OGC API items and WFS GetFeature against MapServer (FastCGI) on the
# same PostGIS tables, and against the ceiling (the same bbox queries run straight in PostGIS by
# pgbench), in one run. Prints requests/s, p50, p99, errors and both ratios.
#
#   bench/items.sh          # needs ../shared/bench/setup.sh and make-data.sh done once
# Env: BENCH_WORK (bench/work)  PORT (18091)  ONLY (items|wfs regex)  DURATION (per workload, default 10s)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
: "${PORT:=18091}" "${ONLY:=^(items|wfs)-}"
URL="http://127.0.0.1:$PORT"
SERVER=$(start_haenau "$PORT" "$BENCH_WORK/results/haenau-items-server.log")
trap 'kill $SERVER 2>/dev/null || true' EXIT
load_bench_layers "$URL"

# MapServer, then Haenau, on the identical URL lists (neutral paths, renamed to our slugs).
OURS_URL="$URL" OURS_LABEL=haenau OURS_PIDS_CMD="echo $SERVER" ONLY="$ONLY" \
OURS_RENAME='bench_points=bench-points,bench_lines=bench-lines,bench_polygons=bench-polygons' \
OURS_TILES_TEMPLATE='' \
OURS_ITEMS_TEMPLATE='/ogc/collections/{collection}/items?bbox={minx},{miny},{maxx},{maxy}&limit={limit}' \
  "$SHARED/side-by-side.sh"

# The ceiling: the same bbox lists straight into PostGIS with pgbench.
"$SHARED/ceiling/load-bboxes.sh" "$BENCH_WORK/run/fcgi-18080/urls" >/dev/null
CEILING="$BENCH_WORK/results/ceiling-items-$(date -u +%Y%m%dT%H%M%SZ).txt"
"$SHARED/ceiling/items-ceiling.sh" | tee "$CEILING"

# Both ratios, per workload (side-by-side.sh names its results by the run's start time).
ts=$(ls -t "$BENCH_WORK"/results/side-*-haenau.jsonl | head -1 | sed 's/.*side-\(.*\)-haenau.jsonl/\1/')
node "$ROOT/bench/items-ratios.mjs" "$BENCH_WORK/results/side-$ts-mapserver.jsonl" "$BENCH_WORK/results/side-$ts-haenau.jsonl" "$CEILING" \
  | tee "$BENCH_WORK/results/items-$ts.md"
