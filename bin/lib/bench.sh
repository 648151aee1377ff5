# shellcheck shell=bash
# bin/quarry bench <name>: benchmarks against references measured in the same run.

DATASETS=${QUARRY_DATASETS:-$ROOT/datasets}

bench_classpath() {
  local out="$ROOT/bench/target/classpath.txt"
  (cd "$ROOT" && mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$out") >&2 \
    || die "could not resolve the bench classpath"
  printf '%s:%s' "$ROOT/bench/target/classes" "$(cat "$out")"
}

# run_bench CLASS HEAP ARGS...: one benchmark main against the running stack and the local database.
run_bench() {
  local class=$1 heap=$2; shift 2
  java "-Xmx$heap" -cp "$(bench_classpath)" "dev.quarry.bench.$class" \
    --dataset "$DATASETS/cranfield" --api "$API_URL" --jwt-secret "$(jwt_secret)" \
    --db-url "${QUARRY_DB_URL:-jdbc:postgresql://${PG_HOST}:${PG_PORT}/quarry}" \
    --db-user "${QUARRY_DB_USER:-quarry}" --db-password "${QUARRY_DB_PASSWORD:-quarry}" \
    --worker "http://localhost:$WORKER_PORT" --dashboard "http://localhost:$DASHBOARD_PORT" \
    --worker-user "${QUARRY_WORKER_USER:-operator}" --worker-password "$(worker_password)" "$@"
}

bench() {
  local name=${1:-}; [ $# -gt 0 ] && shift
  case "$name" in
    ingest|retrieval|search|reingest|reindex|cancel|scale)
      [ -d "$DATASETS/cranfield" ] || die "Cranfield not found at $DATASETS/cranfield (set QUARRY_DATASETS)"
      # QUARRY_NO_BUILD=1 reuses the jars already built.
      services; ensure_runtime_tools; [ "${QUARRY_NO_BUILD:-}" = 1 ] || build ;;
  esac
  case "$name" in
    ingest)
      start_stack
      log "bench ingest: Cranfield through the API and worker, then the raw model and the langchain4j peer"
      run_bench IngestBenchmark 4g "$@" ;;
    retrieval)
      start_stack
      log "bench retrieval: Cranfield through the API and worker, its 225 queries per search mode, and Lucene BM25"
      run_bench RetrievalBenchmark 2g "$@" ;;
    search)
      # The corpus is loaded with COPY, so only the API is needed.
      start_app api "$API_PORT"; wait_healthy api "$API_PORT"
      log "bench search: 100,000 synthetic chunks, p50/p95 per search mode through the API vs raw pgvector SQL"
      run_bench SearchBenchmark 2g "$@" ;;
    scale)
      # The benchmark starts and stops its own worker processes; only the API is needed.
      start_app api "$API_PORT"; wait_healthy api "$API_PORT"
      log "bench scale: ingest throughput with 2 worker processes vs 1, same documents, same run"
      run_bench ScaleBenchmark 1g --worker-jar "$(jar_of worker)" --logs "$STATE_DIR/scale" "$@" ;;
    reingest)
      start_stack
      log "bench reingest: Cranfield's first ingest through the API and worker, then every document re-ingested unchanged, one by one and in one bulk request"
      run_bench ReingestBenchmark 2g "$@" ;;
    reindex)
      start_stack
      log "bench reindex: Cranfield's first ingest through the API and worker, then a reindex into another model and back"
      run_bench ReindexBenchmark 1g "$@" ;;
    cancel)
      start_stack
      log "bench cancel: running ingests stopped by Quarry's cancel vs JobRunr's own delete, p50/p95 to CANCELLED"
      run_bench CancelBenchmark 1g "$@" ;;
    *) die "usage: bin/quarry bench ingest [--rounds N] [--concurrency N]
       bin/quarry bench reingest [--rounds N] [--concurrency N]
       bin/quarry bench reindex [--rounds N] [--concurrency N]
       bin/quarry bench cancel [--runs N] [--paragraphs N]
       bin/quarry bench retrieval [--tenant T (reuse its documents)] [--k 100] [--concurrency N]
       bin/quarry bench search [--chunks 100000] [--runs 5]
       bin/quarry bench scale [--rounds 3] [--documents 100] [--abstracts 10] [--pin-cores true]" ;;
  esac
}
