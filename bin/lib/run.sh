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

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# An HS256 JWT with claims sub, tenant, roles; valid for 12 hours. ROLE: user, admin (its own tenant's
# admin endpoints) or operator (every tenant's).
mint_token() {
  local tenant=$1 role=$2 secret header payload roles now signature
  secret=$(jwt_secret)
  now=$(date +%s)
  case "$role" in
    admin) roles='["user","admin"]' ;;
    operator) roles='["user","operator"]' ;;
    *) roles='["user"]' ;;
  esac
  header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"sub":"%s-cli","tenant":"%s","roles":%s,"iat":%d,"exp":%d}' \
    "$tenant" "$tenant" "$roles" "$now" $((now + 43200)) | b64url)
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$secret" -binary | b64url)
  printf '%s.%s.%s\n' "$header" "$payload" "$signature"
}

token() {
  local tenant="" role=user usage="usage: bin/quarry token --tenant T [--admin] | bin/quarry token --operator [--tenant T]"
  while [ $# -gt 0 ]; do
    case "$1" in
      --tenant) tenant=${2:-}; shift 2 ;;
      --admin) role=admin; shift ;;
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

# start NAME PORT: runs NAME's jar in the background, pid and log in .quarry/
start_app() {
  local name=$1 port=$2 jar
  jar=$(jar_of "$name")
  [ -n "$jar" ] || die "no $name jar: build first"
  if [ -f "$STATE_DIR/$name.pid" ] && kill -0 "$(cat "$STATE_DIR/$name.pid")" 2>/dev/null; then
    log "$name already running (pid $(cat "$STATE_DIR/$name.pid"))"
    return
  fi
  mkdir -p "$STATE_DIR"
  log "starting $name (log: .quarry/$name.log)"
  QUARRY_JWT_SECRET=$(jwt_secret) nohup java ${QUARRY_JAVA_OPTS:--Xmx2g} -jar "$jar" \
    > "$STATE_DIR/$name.log" 2>&1 &
  echo $! > "$STATE_DIR/$name.pid"
}

wait_healthy() {
  local name=$1 port=$2
  for _ in $(seq 1 120); do
    if curl -fsS "http://localhost:$port/actuator/health" 2>/dev/null | grep -q '"UP"'; then
      log "$name healthy on port $port"; return 0
    fi
    kill -0 "$(cat "$STATE_DIR/$name.pid")" 2>/dev/null || { tail -40 "$STATE_DIR/$name.log" >&2; die "$name exited"; }
    sleep 1
  done
  tail -40 "$STATE_DIR/$name.log" >&2
  die "$name did not become healthy within 120 s"
}

stop_app() {
  local name=$1 pid
  [ -f "$STATE_DIR/$name.pid" ] || return 0
  pid=$(cat "$STATE_DIR/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
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

down() {
  stop_monitoring
  stop_app api
  stop_app worker
}
