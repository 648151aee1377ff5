# Operations files: alert rules, Alertmanager, compose and Kubernetes manifests, checked offline with the
# tools that read them (promtool, amtool, docker-compose, the Kubernetes OpenAPI schemas).

ensure_ops_tools() {
  apt_install prometheus prometheus-alertmanager docker-compose
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
}

check_deploy() {
  ensure_ops_tools
  local d="$ROOT/deploy"
  log "alert rules: promtool check rules, promtool test rules"
  promtool check rules "$d/prometheus/alerts.yml" >&2
  (cd "$d/prometheus" && promtool test rules alerts-test.yml) >&2
  promtool check config "$d/prometheus/prometheus.yml" >&2
  amtool check-config "$d/alertmanager/alertmanager.yml" >&2
  log "docker-compose config"
  (cd "$ROOT" && QUARRY_JWT_SECRET=compose-check-secret-0123456789abcdef GRAFANA_ADMIN_PASSWORD=check QUARRY_WORKER_PASSWORD=check \
    docker-compose config -q) >&2
  log "Kubernetes manifests against the Kubernetes and KEDA schemas"
  (cd "$d/k8s" && { [ -d node_modules ] || npm install --no-audit --no-fund --loglevel=error >&2; } \
    && node validate.mjs) >&2
}

PROMETHEUS_PORT=${QUARRY_PROMETHEUS_PORT:-9090}
ALERTMANAGER_PORT=${QUARRY_ALERTMANAGER_PORT:-9093}
ZIPKIN_PORT=${QUARRY_ZIPKIN_PORT:-9411}

# Prometheus and Alertmanager from the distribution's packages, beside a stack that `bin/quarry up` started:
# they scrape the API and every local worker and evaluate deploy/prometheus/alerts.yml. Zipkin, from Maven
# Central, takes the traces of a stack started with OTEL_EXPORTER_ZIPKIN_ENDPOINT.
monitoring() {
  ensure_ops_tools
  local dir="$STATE_DIR/monitoring"
  mkdir -p "$dir/prometheus-data" "$dir/alertmanager-data"
  write_scrape_targets "$dir"
  sed -e "s#alertmanager:9093#localhost:$ALERTMANAGER_PORT#" \
      -e "s#rule_files: \[alerts.yml\]#rule_files: [$ROOT/deploy/prometheus/alerts.yml]#" \
      -e '/^scrape_configs:/,$d' "$ROOT/deploy/prometheus/prometheus.yml" > "$dir/prometheus.yml"
  cat >> "$dir/prometheus.yml" <<YAML
scrape_configs:
  - job_name: quarry-api
    metrics_path: /actuator/prometheus
    file_sd_configs: [{files: ["$dir/api.json"], refresh_interval: 10s}]
  - job_name: quarry-worker
    metrics_path: /actuator/prometheus
    basic_auth: {username: "${QUARRY_WORKER_USER:-operator}", password_file: "$dir/worker-password"}
    file_sd_configs: [{files: ["$dir/workers.json"], refresh_interval: 10s}]
YAML
  (umask 077 && worker_password > "$dir/worker-password")
  start_daemon alertmanager "$dir" prometheus-alertmanager --config.file="$ROOT/deploy/alertmanager/alertmanager.yml" \
    --storage.path="$dir/alertmanager-data" --web.listen-address="127.0.0.1:$ALERTMANAGER_PORT" \
    --cluster.listen-address=
  start_daemon prometheus "$dir" prometheus --config.file="$dir/prometheus.yml" \
    --storage.tsdb.path="$dir/prometheus-data" --web.listen-address="127.0.0.1:$PROMETHEUS_PORT"
  for _ in $(seq 1 60); do
    curl -fsS "http://localhost:$PROMETHEUS_PORT/-/ready" >/dev/null 2>&1 && break; sleep 1
  done
  start_zipkin "$dir"
  log "Prometheus http://localhost:$PROMETHEUS_PORT (alerts: /alerts), Alertmanager http://localhost:$ALERTMANAGER_PORT"
  log "Zipkin http://localhost:$ZIPKIN_PORT: start the stack with" \
    "OTEL_EXPORTER_ZIPKIN_ENDPOINT=http://localhost:$ZIPKIN_PORT/api/v2/spans to send it the traces"
}

# Zipkin's server with in-memory storage: the jar ZipkinTraceIT runs (api/pom.xml's zipkin-server-jar copy).
start_zipkin() {
  local dir=$1 jar="$ROOT/api/target/zipkin/zipkin-server.jar"
  [ -f "$jar" ] || (cd "$ROOT" && mvn -B -q -ntp -pl api dependency:copy@zipkin-server-jar) >&2 \
    || die "could not fetch Zipkin's server jar"
  start_daemon zipkin "$dir" env QUERY_PORT="$ZIPKIN_PORT" STORAGE_TYPE=mem java -Xmx512m -jar "$jar"
}

# The API and every worker whose pid file in .quarry/ names a live process.
write_scrape_targets() {
  local dir=$1 targets="" pidfile name port
  printf '[{"targets": ["localhost:%s"]}]\n' "$API_PORT" > "$dir/api.json"
  for pidfile in "$STATE_DIR"/worker*.pid; do
    [ -f "$pidfile" ] || continue
    kill -0 "$(cat "$pidfile")" 2>/dev/null || continue
    name=$(basename "$pidfile" .pid)
    # `bin/quarry worker` runs worker-N on QUARRY_WORKER_PORT + N - 1; the first worker is plain "worker".
    case "$name" in
      worker-*) port=$((WORKER_PORT + ${name#worker-} - 1)) ;;
      *) port=$WORKER_PORT ;;
    esac
    targets="$targets${targets:+, }\"localhost:$port\""
  done
  printf '[{"targets": [%s]}]\n' "$targets" > "$dir/workers.json"
}

start_daemon() { # start_daemon NAME DIR COMMAND ARGS...: in the background, pid and log in DIR
  local name=$1 dir=$2; shift 2
  if [ -f "$dir/$name.pid" ] && kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
    log "$name already running"; return
  fi
  nohup "$@" > "$dir/$name.log" 2>&1 &
  echo $! > "$dir/$name.pid"
}

stop_monitoring() {
  local dir="$STATE_DIR/monitoring" name
  for name in prometheus alertmanager zipkin; do
    [ -f "$dir/$name.pid" ] && kill "$(cat "$dir/$name.pid")" 2>/dev/null
    rm -f "$dir/$name.pid"
  done
  return 0
}
