# Shared by the bench scripts that run against MapServer: where things are, starting Haenau on the
# bench database, and loading the bench tables as layers. `source "$(dirname "$0")/lib.sh"`.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="$ROOT/../shared/bench"
export BENCH_WORK="${BENCH_WORK:-$ROOT/bench/work}"
mkdir -p "$BENCH_WORK/results"
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=bench PGPASSWORD=bench PGDATABASE=bench
BENCH_DSN="PG:host=127.0.0.1 port=5432 dbname=bench user=bench password=bench"
ADMIN="bench-operator-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# start_haenau PORT LOG [VAR=value ...]: Haenau on the bench database, no seed, a pool as wide as
# the load (16 connections); prints its PID once /healthz answers. NODE_ARGS adds node flags
# (e.g. NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": node refuses --cpu-prof in NODE_OPTIONS).
start_haenau() {
  local port=$1 log=$2; shift 2
  ( cd "$ROOT" && exec env DATABASE_URL="postgres://bench:bench@127.0.0.1:5432/bench" PORT="$port" HOST=127.0.0.1 HAENAU_PG_POOL_MAX=16 \
    HAENAU_ADMIN_TOKEN="$ADMIN" HAENAU_SEED=false HAENAU_LOG_LEVEL=warn "$@" node ${NODE_ARGS:-} --import tsx server/src/main.ts ) > "$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
  echo "$pid"
}

# load_bench_layers URL: bench_points (1 M), bench_lines (100 k) and bench_polygons (50 k) as layers
# bench-points, bench-lines, bench-polygons (same rows, ids and properties), through the upload API, once.
load_bench_layers() {
  local url=$1 t slug src
  mkdir -p "$BENCH_WORK/data"
  curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -X POST "$url/api/organisations" -d '{"id":"bench","name":"Bench"}' >/dev/null 2>&1 || true
  for t in points lines polygons; do
    slug="bench-$t"
    if [ "$(curl -s "$url/api/layers/$slug" | jq -r '.featureCount // 0')" != "0" ]; then continue; fi
    src="$BENCH_WORK/data/bench_$t.geojson"
    [ -s "$src" ] || ogr2ogr -f GeoJSON "$src" "$BENCH_DSN" -sql "SELECT id, name, category, value, geom FROM bench_$t ORDER BY id" -nln "bench_$t"
    curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -X POST "$url/api/layers" \
      -d "{\"slug\":\"$slug\",\"organisation\":\"bench\",\"title\":{\"en\":\"bench $t\"}}" >/dev/null || true
    echo "loading $slug" >&2
    curl -sf -X PUT -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/geo+json' --data-binary @"$src" "$url/api/layers/$slug/data" | jq -c '{featureCount, version}' >&2
  done
  # Versions are prepared for serving just after publishing (feature table rewritten, tile table
  # built): wait for both, so the runs measure what users get and nothing rewrites during a peer's run.
  for t in points lines polygons; do
    for _ in $(seq 1 240); do
      [ "$(curl -s "$url/api/layers/bench-$t" | jq -r '.currentVersion | .tilesReady and .featuresReady')" = true ] && break
      sleep 0.5
    done
  done
}
