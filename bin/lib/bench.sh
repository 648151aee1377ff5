# shellcheck shell=bash
# bin/quarry bench <name>: benchmarks against references measured in the same run.

DATASETS=${QUARRY_DATASETS:-$ROOT/../shared/datasets}

bench_classpath() {
  local out="$ROOT/bench/target/classpath.txt"
  (cd "$ROOT" && mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$out") >&2 \
    || die "could not resolve the bench classpath"
  printf '%s:%s' "$ROOT/bench/target/classes" "$(cat "$out")"
}

bench() {
  local name=${1:-}; [ $# -gt 0 ] && shift
  case "$name" in
    ingest)
      [ -d "$DATASETS/cranfield" ] || die "Cranfield not found at $DATASETS/cranfield (set QUARRY_DATASETS)"
      services; ensure_runtime_tools; build; start_stack
      log "bench ingest: Cranfield through the API and worker, then the raw model and the langchain4j peer"
      java -Xmx4g -cp "$(bench_classpath)" dev.quarry.bench.IngestBenchmark \
        --dataset "$DATASETS/cranfield" --api "$API_URL" --jwt-secret "$(jwt_secret)" \
        --db-url "jdbc:postgresql://${PG_HOST}:${PG_PORT}/quarry" --db-user quarry --db-password quarry "$@"
      ;;
    *) die "usage: bin/quarry bench ingest [--rounds N] [--concurrency N]" ;;
  esac
}
