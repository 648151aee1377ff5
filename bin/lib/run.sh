# shellcheck shell=bash
# Build, start/stop the API and a worker, mint tokens. Runtime state (pids, logs, the generated JWT
# secret) lives in .quarry/, which git ignores.

STATE_DIR="$ROOT/.quarry"
API_PORT=${QUARRY_API_PORT:-8080}
WORKER_PORT=${QUARRY_WORKER_PORT:-8081}
DASHBOARD_PORT=${QUARRY_DASHBOARD_PORT:-8000}
API_URL="http://localhost:$API_PORT"

ensure_runtime_tools() {
  command -v jq >/dev/null 2>&1 || apt_install jq
  command -v openssl >/dev/null 2>&1 || apt_install openssl
}

# The JWT secret: QUARRY_JWT_SECRET if set, else one generated once per checkout (never committed).
jwt_secret() {
  if [ -n "${QUARRY_JWT_SECRET:-}" ]; then printf '%s' "$QUARRY_JWT_SECRET"; return; fi
  mkdir -p "$STATE_DIR"
  if [ ! -s "$STATE_DIR/jwt-secret" ]; then
    (umask 077 && openssl rand -hex 32 > "$STATE_DIR/jwt-secret")
  fi
  cat "$STATE_DIR/jwt-secret"
}

# The worker's operator password (its metrics and JobRunr's dashboard, user QUARRY_WORKER_USER, default
# operator): QUARRY_WORKER_PASSWORD if set, else one generated once per checkout (never committed).
worker_password() {
  if [ -n "${QUARRY_WORKER_PASSWORD:-}" ]; then printf '%s' "$QUARRY_WORKER_PASSWORD"; return; fi
  mkdir -p "$STATE_DIR"
  if [ ! -s "$STATE_DIR/worker-password" ]; then
    (umask 077 && openssl rand -hex 24 > "$STATE_DIR/worker-password")
  fi
  cat "$STATE_DIR/worker-password"
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# An HS256 JWT with claims sub, tenant, roles; valid for 12 hours. ROLE: user, admin (role tenant-admin: its
# own tenant's admin endpoints) or operator (every tenant's).
mint_token() { # mint_token TENANT ROLE [TIER]: TIER is the rate-limit tier claim (none: the API's default tier)
  local tenant=$1 role=$2 tier=${3:-} secret header payload roles now signature tier_claim=""
  secret=$(jwt_secret)
  now=$(date +%s)
  case "$role" in
    admin) roles='["user","tenant-admin"]' ;;
    operator) roles='["user","operator"]' ;;
    *) roles='["user"]' ;;
  esac
  [ -z "$tier" ] || tier_claim=$(printf ',"tier":"%s"' "$tier")
  header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"sub":"%s-cli","tenant":"%s","roles":%s%s,"iat":%d,"exp":%d}' \
    "$tenant" "$tenant" "$roles" "$tier_claim" "$now" $((now + 43200)) | b64url)
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$secret" -binary | b64url)
  printf '%s.%s.%s\n' "$header" "$payload" "$signature"
}

token() {
  local tenant="" role=user usage="usage: bin/quarry token --tenant T [--tenant-admin|--admin] | bin/quarry token --operator [--tenant T]"
  while [ $# -gt 0 ]; do
    case "$1" in
      --tenant) tenant=${2:-}; shift 2 ;;
      --admin|--tenant-admin) role=admin; shift ;;
      --operator) role=operator; shift ;;
      *) die "$usage" ;;
    esac
  done
  # Every token names a tenant; an operator's is only its home, it sees all of them.
  [ "$role" = operator ] && [ -z "$tenant" ] && tenant=operator
  [ -n "$tenant" ] || die "$usage"
  command -v openssl >/dev/null 2>&1 || apt_install openssl
  mint_token "$tenant" "$role"
}

build() {
  log "building (mvn package, tests skipped: 'bin/quarry test' runs them)"
  (cd "$ROOT" && mvn -B -q -DskipTests install) >&2 || die "build failed"
}

jar_of() { ls "$ROOT/$1"/target/quarry-"$1"-*-exec.jar 2>/dev/null | head -1; }

# start NAME PORT [MODULE]: runs MODULE's jar (default: NAME's) in the background, pid and log in .quarry/NAME.*
start_app() {
  local name=$1 port=$2 jar
  jar=$(jar_of "${3:-$name}")
  [ -n "$jar" ] || die "no $name jar: build first"
  # What the process was started with (its jar and the jar's build time, its settings): a bench that turns
  # rate limits off must not reuse an API that has them on, nor may anyone reuse a process of an older build: a
  # running app whose fingerprint differs is restarted, not reused.
  local settings; settings=$( { printf "%s\n" "$jar" "$(stat -c %Y "$jar")" "${QUARRY_JAVA_OPTS:-}"; env | grep "^QUARRY_" | grep -Ev "^QUARRY_(NO_BUILD|START_TIMEOUT)=" | sort; } | sha256sum)
  if [ -f "$STATE_DIR/$name.pid" ] && kill -0 "$(cat "$STATE_DIR/$name.pid")" 2>/dev/null; then
    if [ "$settings" = "$(cat "$STATE_DIR/$name.settings" 2>/dev/null)" ]; then
      log "$name already running (pid $(cat "$STATE_DIR/$name.pid"))"
      return
    fi
    log "restarting $name: its settings changed"
    stop_app "$name"
  fi
  mkdir -p "$STATE_DIR"
  printf '%s\n' "$settings" > "$STATE_DIR/$name.settings"
  log "starting $name (log: .quarry/$name.log)"
  QUARRY_JWT_SECRET=$(jwt_secret) QUARRY_WORKER_PASSWORD=$(worker_password) nohup java ${QUARRY_JAVA_OPTS:--Xmx2g} -jar "$jar" \
    > "$STATE_DIR/$name.log" 2>&1 &
  echo $! > "$STATE_DIR/$name.pid"
}

wait_healthy() {
  # A loaded or small machine may take minutes to start the JVMs and load the model: wait up to
  # QUARRY_START_TIMEOUT seconds (300) while the process lives.
  local name=$1 port=$2 timeout=${QUARRY_START_TIMEOUT:-300}
  for _ in $(seq 1 "$timeout"); do
    if curl -fsS "http://localhost:$port/actuator/health" 2>/dev/null | grep -q '"UP"'; then
      log "$name healthy on port $port"; return 0
    fi
    kill -0 "$(cat "$STATE_DIR/$name.pid")" 2>/dev/null || { tail -40 "$STATE_DIR/$name.log" >&2; die "$name exited"; }
    sleep 1
  done
  tail -40 "$STATE_DIR/$name.log" >&2
  die "$name did not become healthy within $timeout s (QUARRY_START_TIMEOUT)"
}

stop_app() {
  local name=$1 pid
  [ -f "$STATE_DIR/$name.pid" ] || return 0
  pid=$(cat "$STATE_DIR/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill "$pid"
    # A worker gives running jobs QUARRY_WORKER_SHUTDOWN_GRACE (20 s) to finish before it hands them back.
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$STATE_DIR/$name.pid"
}

# USE_DURABLE_WORKER=false (ROLLBACK_PLAN.md section 1): the API runs the jobs itself and no worker starts.
single_process() { [ "${USE_DURABLE_WORKER:-true}" = false ]; }

start_stack() {
  single_process || start_app worker "$WORKER_PORT"
  start_app api "$API_PORT"
  single_process || wait_healthy worker "$WORKER_PORT"
  wait_healthy api "$API_PORT"
}

# bin/quarry worker [--count N] [--threads T]: N more worker processes beside the running stack, each in
# the first free slot worker-2, worker-3, ... (HTTP port QUARRY_WORKER_PORT + slot - 1, no dashboard: the
# first worker serves it). They take jobs at once: every worker listens for job wake-ups.
more_workers() {
  local count=1 threads="" slot started=0 port usage="usage: bin/quarry worker [--count N] [--threads T]"
  while [ $# -gt 0 ]; do
    case "$1" in
      --count) count=${2:-}; shift 2 ;;
      --threads) threads=${2:-}; shift 2 ;;
      *) die "$usage" ;;
    esac
  done
  [[ "$count" =~ ^[1-9][0-9]*$ ]] || die "--count takes a whole number of at least 1. $usage"
  [ -z "$threads" ] || [[ "$threads" =~ ^[1-9][0-9]*$ ]] || die "--threads takes a whole number of at least 1. $usage"
  [ -n "$(jar_of worker)" ] || die "no worker jar: run bin/quarry up first"
  slot=2
  while [ "$started" -lt "$count" ]; do
    if [ -f "$STATE_DIR/worker-$slot.pid" ] && kill -0 "$(cat "$STATE_DIR/worker-$slot.pid")" 2>/dev/null; then
      slot=$((slot + 1)); continue
    fi
    port=$((WORKER_PORT + slot - 1))
    (
      export QUARRY_WORKER_PORT=$port JOBRUNR_DASHBOARD_ENABLED=false
      [ -z "$threads" ] || export QUARRY_WORKER_THREADS=$threads
      start_app "worker-$slot" "$port" worker
    )
    wait_healthy "worker-$slot" "$port"
    started=$((started + 1)); slot=$((slot + 1))
  done
  log "$count more worker(s) running; bin/quarry down stops them with the stack"
}

down() {
  local pidfile
  stop_monitoring
  stop_app api
  for pidfile in "$STATE_DIR"/worker-*.pid; do
    [ -e "$pidfile" ] || continue
    stop_app "$(basename "$pidfile" .pid)"
  done
  stop_app worker
}
