#!/usr/bin/env bash
# Harvest benchmark: 100,000 line features (bench_lines) read from the MapServer WFS peer
# (../shared/bench: MapServer 8 FastCGI under lighttpd) into PostGIS, in the same run, by
#   - Haenau: PUT /api/layers/{slug}/source, timed until the harvest is published (the same checks,
#     version and flip as an upload), and
#   - ogr2ogr: `ogr2ogr -f PostgreSQL PG:… WFS:… -sql "… ORDER BY id"` into a new table, the same page size.
# Both page sorted by id (SORTBY=id): MapServer's LIMIT/OFFSET has no ORDER BY of its own, and unsorted
# its pages overlap (a parallel scan returns different rows for the same STARTINDEX), so a copy
# would repeat a few hundred features and miss as many. Each round checks that every one of the
# 100,000 ids arrived once. Reports seconds and features/s for each, and Haenau/ogr2ogr as a ratio.
#
#   bench/harvest.sh                # ROUNDS=2 alternating runs; needs ../shared/bench/setup.sh and make-data.sh
# Env: BENCH_WORK (bench/work)  ROUNDS (2)  PORT (18091)  PEER_PORT (18080)  PAGE (5000)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
: "${ROUNDS:=2}" "${PORT:=18091}" "${PEER_PORT:=18080}" "${PAGE:=5000}"
N=100000
OUT="$BENCH_WORK/results/haenau-harvest-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
for cmd in ogr2ogr psql curl jq lighttpd; do command -v "$cmd" >/dev/null || { echo "missing $cmd: run ../shared/bench/setup.sh" >&2; exit 2; }; done
[ "$(psql -qtAc 'SELECT count(*) FROM bench_lines' 2>/dev/null)" = "$N" ] || { echo "no bench data: run ../shared/bench/make-data.sh first" >&2; exit 2; }

# The peer, left running after a short smoke run of one workload.
PEER_LOG="$BENCH_WORK/results/harvest-peer.log"
KEEP_RUNNING=1 PORT=$PEER_PORT ONLY='^wfs-points$' DURATION=1s WARMUP=0s "$SHARED/peer-bench.sh" > "$PEER_LOG" 2>&1
PEER=$(grep -o 'server left running: pid [0-9]*' "$PEER_LOG" | grep -o '[0-9]*$')
WFS="http://127.0.0.1:$PEER_PORT/mapserv?map=bench&"
SERVER=$(start_haenau "$PORT" "$BENCH_WORK/results/harvest-haenau.log" HAENAU_SOURCE_ALLOWLIST=127.0.0.1 HAENAU_SCHEDULER_INTERVAL_S=0 HAENAU_HARVEST_PAGE_SIZE="$PAGE" HAENAU_LOG_LEVEL="${LOG_LEVEL:-warn}")
trap 'kill $SERVER 2>/dev/null || true; pkill -P $PEER 2>/dev/null || true; kill $PEER 2>/dev/null || true' EXIT
URL="http://127.0.0.1:$PORT"
api() { curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' "$@"; }
api -X POST "$URL/api/organisations" -d '{"id":"bench","name":"Bench"}' >/dev/null 2>&1 || true
now() { date +%s.%N; }

# Untimed: every source id arrived once (a right count can hide repeats standing in for missing features).
distinct_ids() {
  local got
  got=$(psql -qtAc "$1")
  [ "$got" = "$N" ] || { echo "$2 loaded $got distinct ids of $N" >&2; exit 1; }
}

haenau_round() {
  local slug="harvest-bench-$1-$(date +%s)" t0 t1 href status features
  api -X POST "$URL/api/layers" -d "{\"slug\":\"$slug\",\"organisation\":\"bench\",\"title\":{\"en\":\"harvest bench\"}}" >/dev/null
  t0=$(now)
  href=$(api -X PUT "$URL/api/layers/$slug/source" -d "{\"url\":\"$WFS\",\"typeName\":\"bench_lines\",\"schedule\":\"manual\"}" | jq -r .harvest.href)
  read -r status features < <(node "$ROOT/bench/harvest-wait.mjs" "$URL$href" "$ADMIN")
  t1=$(now)
  [ "$status" = published ] || { echo "harvest ended $status: $(api "$URL$href" | jq -r .message)" >&2; exit 1; }
  [ "$(api "$URL/api/layers/$slug" | jq -r .featureCount)" = "$N" ] || { echo "haenau loaded the wrong count" >&2; exit 1; }
  distinct_ids "SELECT count(DISTINCT feature_id) FROM layer_data.\"$(psql -qtAc "SELECT v.table_name FROM layer_versions v JOIN layers l ON l.id = v.layer_id WHERE l.slug = '$slug' ORDER BY v.version DESC LIMIT 1")\"" haenau
  echo "{\"loader\":\"haenau\",\"round\":$1,\"seconds\":$(echo "$t1 - $t0" | bc),\"features\":$features}"
  # Untimed: the version's tile table is built just after it is published; let that finish so it
  # does not run into ogr2ogr's next round.
  for _ in $(seq 1 120); do [ "$(api "$URL/api/layers/$slug" | jq -r .currentVersion.tilesReady)" = true ] && break; sleep 0.5; done
}

ogr_round() {
  local table="harvest_ogr_$1" t0 t1
  psql -qc "DROP TABLE IF EXISTS $table" 2>/dev/null
  t0=$(now)
  OGR_WFS_PAGE_SIZE=$PAGE OGR_WFS_PAGING_ALLOWED=ON PG_USE_COPY=YES ogr2ogr -f PostgreSQL "$BENCH_DSN" "WFS:$WFS" -sql 'SELECT * FROM bench_lines ORDER BY id' -nln "$table" -lco GEOMETRY_NAME=geom >/dev/null
  t1=$(now)
  [ "$(psql -qtAc "SELECT count(*) FROM $table")" = "$N" ] || { echo "ogr2ogr loaded the wrong count" >&2; exit 1; }
  distinct_ids "SELECT count(DISTINCT id) FROM $table" ogr2ogr
  psql -qc "DROP TABLE $table"
  echo "{\"loader\":\"ogr2ogr\",\"round\":$1,\"seconds\":$(echo "$t1 - $t0" | bc),\"features\":$N}"
}

echo "harvesting $N features of bench_lines from $WFS, page size $PAGE, $ROUNDS rounds" >&2
for r in $(seq 1 "$ROUNDS"); do
  ogr_round "$r" | tee -a "$OUT"
  haenau_round "$r" | tee -a "$OUT"
done
jq -s -r --argjson n $N '
  (map(select(.loader=="haenau").seconds) | min) as $h | (map(select(.loader=="ogr2ogr").seconds) | min) as $o |
  "best of each: haenau \($h)s (\(($n/$h)|floor) features/s), ogr2ogr \($o)s (\(($n/$o)|floor) features/s); haenau/ogr2ogr features/s ratio \((($o/$h)*100|round)/100)"' "$OUT"
echo "results: $OUT" >&2
