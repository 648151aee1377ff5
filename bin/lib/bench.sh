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

# bench_against_reference CLASS REFERENCE_SETTING... -- ARGS: one feature's overhead. The API as the caller's
# environment configures it on API_PORT, and a reference instance of the same build on API_PORT + 10 with the
# REFERENCE_SETTINGs (NAME=value) added, which turn the feature off; CLASS interleaves requests to both.
bench_against_reference() {
  local class=$1; shift
  local reference=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do reference+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  services; ensure_runtime_tools; [ "${QUARRY_NO_BUILD:-}" = 1 ] || build
  local reference_port=$((API_PORT + 10)) status=0
  start_app api "$API_PORT"
  (export "${reference[@]}" QUARRY_API_PORT="$reference_port"; start_app api-reference "$reference_port" api)
  wait_healthy api "$API_PORT"; wait_healthy api-reference "$reference_port"
  run_bench "$class" 512m --api-reference "http://localhost:$reference_port" "$@" || status=$?
  stop_app api-reference
  return "$status"
}

bench() {
  local name=${1:-}; [ $# -gt 0 ] && shift
  case "$name" in
    ingest|retrieval|search|reingest|reindex|cancel|scale|export|retention)
      # These measure ingest, search and jobs, not the limiter, and send far more than a tier allows.
      export QUARRY_RATE_LIMIT_ENABLED=false
      [ -d "$DATASETS/cranfield" ] || die "Cranfield not found at $DATASETS/cranfield (set QUARRY_DATASETS)"
      # QUARRY_NO_BUILD=1 reuses the jars already built.
      services; ensure_runtime_tools; [ "${QUARRY_NO_BUILD:-}" = 1 ] || build ;;
    extract|ocr)
      # In-process: the worker's extractor against Tika and the tesseract command; no stack, no database.
      [ "${QUARRY_NO_BUILD:-}" = 1 ] || build ;;
    pickup|flood|throughput|submit|chat)
      export QUARRY_RATE_LIMIT_ENABLED=false
      services; ensure_runtime_tools; [ "${QUARRY_NO_BUILD:-}" = 1 ] || build ;;
  esac
  case "$name" in
    ingest)
      start_stack
      log "bench ingest: Cranfield through the API and worker, then the raw model and the langchain4j peer"
      run_bench IngestBenchmark 4g "$@" ;;
    retrieval)
      start_stack
      # An optional first word names one collection: bin/quarry bench retrieval med
      if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then set -- --collection "$@"; fi
      log "bench retrieval: each collection through the API and worker, its judged queries per search mode, Lucene BM25, brute-force cosine and plain RRF"
      run_bench RetrievalBenchmark 3g --datasets "$DATASETS" "$@" ;;
    search)
      # The corpus is loaded with COPY, so only the API is needed.
      start_app api "$API_PORT"; wait_healthy api "$API_PORT"
      log "bench search: 100,000 synthetic chunks, p50/p95 per search mode through the API vs raw pgvector SQL"
      run_bench SearchBenchmark 2g "$@" ;;
    retention)
      # The worker runs the sweep (triggered through its JobRunr dashboard); the corpora are loaded with COPY.
      start_stack
      log "bench retention: hybrid search p50/p95 at 100,000 chunks idle vs during a retention sweep of 50,000 expired chunks"
      run_bench RetentionBenchmark 2g "$@" ;;
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
    pickup)
      start_stack
      log "bench pickup: accepted → started of tiny uploads one at a time on the idle stack, vs raw JobRunr enqueue → start of a no-op"
      run_bench PickupBenchmark 1g "$@" ;;
    chat)
      # OpenAI (for chat only, not embeddings) points at the fake provider the benchmark serves on this port.
      local fake_port=${QUARRY_FAKE_CHAT_PORT:-18093}
      local fake_llm="-Dquarry.llm.openai.api-key=fake-chat-test-key -Dquarry.llm.openai.base-url=http://127.0.0.1:$fake_port/v1"
      QUARRY_JAVA_OPTS="${QUARRY_JAVA_OPTS:--Xmx2g} $fake_llm" start_stack
      log "bench chat: first-token overhead, POST …/chat → first SSE delta, vs the fake provider's own time to first token"
      run_bench ChatBenchmark 1g --fake-port "$fake_port" "$@" ;;
    flood)
      start_stack
      log "bench flood: tenant B's single upload, accepted → started and → done, on the idle stack vs behind tenant A's 5,000 queued bulk re-ingest jobs"
      run_bench FloodBenchmark 1g "$@" ;;
    throughput)
      start_stack
      log "bench throughput: trivial jobs (uploads of already-embedded content) through the API to done, jobs/s, vs raw JobRunr enqueue → SUCCEEDED of no-ops"
      run_bench ThroughputBenchmark 1g "$@" ;;
    submit)
      start_stack
      command -v wrk >/dev/null 2>&1 || apt_install wrk
      bench_submit "$@" ;;
    export)
      start_stack
      log "bench export: a synthetic tenant exported as JSON and ZIP through the API and worker vs a raw COPY of the same rows, with the worker's peak heap"
      run_bench ExportBenchmark 1g "$@" ;;
    extract)
      log "bench extract: ~50 MB PDF, DOCX, XLSX and PPTX made in the run, Quarry's extractor vs Tika's AutoDetectParser, MB/s and heap peak"
      java "-Xmx${QUARRY_BENCH_HEAP:-8g}" -cp "$(bench_classpath)" dev.quarry.bench.ExtractBenchmark "$@" ;;
    ocr)
      command -v tesseract >/dev/null 2>&1 || apt_install tesseract-ocr tesseract-ocr-eng
      log "bench ocr: scanned pages drawn from known text, Quarry's OCR path vs the tesseract command line, pages per minute"
      java -Xmx1g -cp "$(bench_classpath)" dev.quarry.bench.OcrBenchmark "$@" ;;
    cancel)
      start_stack
      log "bench cancel: running ingests stopped by Quarry's cancel vs JobRunr's own delete, p50/p95 to CANCELLED"
      run_bench CancelBenchmark 1g "$@" ;;
    ratelimit)
      # Limits on, with buckets too large ever to refuse (every request still pays the Redis round trip),
      # against limits off.
      local huge=1000000000
      log "bench ratelimit: one status read, limits on vs off, interleaved, p50/p99 per run"
      QUARRY_JAVA_OPTS="-Xmx1g -Dquarry.rate-limit.tiers.free.user=$huge -Dquarry.rate-limit.tiers.free.tenant=$huge" \
        QUARRY_RATE_LIMIT_PER_IP=$huge \
        bench_against_reference RateLimitBenchmark QUARRY_RATE_LIMIT_ENABLED=false -- "$@" ;;
    tracking)
      # Both without rate limits, which would add their own Redis round trip; tracking on against off.
      log "bench tracking: one status read, request tracking on vs off, interleaved, p50/p99 per run"
      QUARRY_JAVA_OPTS="-Xmx1g" QUARRY_RATE_LIMIT_ENABLED=false \
        bench_against_reference TrackingBenchmark QUARRY_ANALYTICS_TRACKING=false -- "$@" ;;
    *) die "usage: bin/quarry bench ingest [--rounds N] [--concurrency N]
       bin/quarry bench reingest [--rounds N] [--concurrency N]
       bin/quarry bench reindex [--rounds N] [--concurrency N]
       bin/quarry bench cancel [--runs N] [--paragraphs N]
       bin/quarry bench pickup [--uploads 200] [--jobrunr-jobs 50]
       bin/quarry bench chat [--runs 50] [--first-token-ms 200]
       bin/quarry bench flood [--flood 5000] [--probes 3] [--drain false]
       bin/quarry bench throughput [--jobs 2000] [--concurrency 8] [--threads 24]
       bin/quarry bench submit [--seconds 60] [--connections 10] [--delay-ms 100]
       bin/quarry bench export [--megabytes 300] [--runs 3]
       bin/quarry bench extract [--megabytes 50] [--runs 3]   (heap: QUARRY_BENCH_HEAP, default 8g)
       bin/quarry bench ocr [--pages 20] [--runs 3]
       bin/quarry bench retrieval [cranfield|med|cacm|npl|lisa] [--tenant-prefix P (reuses P-<collection>)] [--params 'rrfK=60&feedback=0'] [--k 100] [--concurrency N]
       bin/quarry bench search [--chunks 100000] [--runs 5] [--long-queries 60]
       bin/quarry bench scale [--rounds 3] [--documents 100] [--abstracts 10] [--pin-cores true]
       bin/quarry bench retention [--chunks 100000] [--expired-chunks 50000] [--runs 3]
       bin/quarry bench ratelimit [--requests 5000] [--runs 5]
       bin/quarry bench tracking [--requests 5000] [--runs 5]" ;;
  esac
}

# bench submit: upload latency under a steady load from an external tool (wrk, Debian's package), against a
# status read of the same API at the same rate in the same run. Rate limits are off (a tier allows far less).
bench_submit() {
  local seconds=60 connections=10 delay=100
  while [ $# -gt 0 ]; do
    case "$1" in
      --seconds) seconds=$2; shift 2 ;;
      --connections) connections=$2; shift 2 ;;
      --delay-ms) delay=$2; shift 2 ;;
      *) die "usage: bin/quarry bench submit [--seconds 60] [--connections 10] [--delay-ms 100]" ;;
    esac
  done
  local tenant="bench-submit-$(date +%s)" mode out
  export QUARRY_BENCH_TOKEN QUARRY_BENCH_PREFIX=$tenant QUARRY_BENCH_DELAY_MS=$delay QUARRY_BENCH_MODE
  QUARRY_BENCH_TOKEN=$(mint_token "$tenant" user)
  log "bench submit: $connections connections, one request each every $delay ms, ${seconds} s: uploads, then status reads (the reference)"
  printf '| %s | requests/s | p50 ms | p90 ms | p99 ms | errors (non-2xx, socket) |\n|---|---:|---:|---:|---:|---:|\n' "wrk, ${seconds} s"
  for mode in upload read; do
    QUARRY_BENCH_MODE=$mode
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$ROOT/bench/wrk/submit.lua" "$API_URL")
    printf '%s\n' "$out" >&2
    awk -v mode="$mode" '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
      /^ +50%/ { p50 = ms($2) } /^ +90%/ { p90 = ms($2) } /^ +99%/ { p99 = ms($2) }
      /Requests\/sec/ { rate = $2 } /Non-2xx/ { non2xx = $NF }
      /Socket errors/ { gsub(",", ""); socket = $4 + $6 + $8 + $10 }
      END { printf "| %s | %.1f | %.2f | %.2f | %.2f | %d, %d |\n", (mode == "upload" ? "POST /api/v1/documents (tiny upload, Idempotency-Key)" : "reference: GET /api/v1/documents?limit=1"), rate, p50, p90, p99, non2xx, socket }' <<<"$out"
  done
  log "goal (issue 11): upload p99 <= 25 ms at 100 requests/s; the worker ingests the uploads meanwhile"
}
