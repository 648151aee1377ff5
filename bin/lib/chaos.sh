# shellcheck shell=bash
# bin/quarry chaos: two worker processes, Cranfield documents through the API, a busy worker killed with kill -9
# every ~10 s and restarted, then the exactly-once checks and a summary (dev.quarry.bench.ChaosCommand).
# Options pass through: --documents 200 --abstracts 30 --kill-every 10 --max-kills 0 --min-landed 5
# --threads 4 --pool 6 (per worker) --timeout 30 (minutes). QUARRY_NO_BUILD=1 reuses the jars already built.

chaos() {
  [ -d "$DATASETS/cranfield" ] || die "Cranfield not found at $DATASETS/cranfield (set QUARRY_DATASETS)"
  services; ensure_runtime_tools
  [ "${QUARRY_NO_BUILD:-}" = 1 ] || build
  local worker_jar; worker_jar=$(jar_of worker)
  [ -n "$worker_jar" ] || die "no worker jar: build first"
  start_app api "$API_PORT"; wait_healthy api "$API_PORT"
  log "chaos: 2 workers (logs in .quarry/chaos/), documents through $API_URL, kill -9 every ~10 s"
  run_bench ChaosCommand 1g --worker-jar "$worker_jar" --logs "$STATE_DIR/chaos" "$@"
}
