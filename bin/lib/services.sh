# shellcheck shell=bash
# Makes PostgreSQL (>= 15, with pgvector >= 0.7) and Redis (>= 7) available.
# With a Docker engine it uses docker compose; otherwise, on Debian/Ubuntu as root, the distribution's
# packages. Idempotent: when everything already answers, it only checks and returns in seconds.
# It never edits the system's apt sources: the pgvector source package is fetched through a private
# sources list whose archive address is read from the machine's own apt configuration.

PG_HOST=${QUARRY_DB_HOST:-localhost}
PG_PORT=${QUARRY_DB_PORT:-5432}
REDIS_HOST=${QUARRY_REDIS_HOST:-localhost}
REDIS_PORT=${QUARRY_REDIS_PORT:-6379}
QUARRY_STATE=${QUARRY_STATE:-$HOME/.cache/quarry}
APT_UPDATED=""

log() { printf '\033[1;34m[quarry]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[quarry]\033[0m %s\n' "$*" >&2; exit 1; }

docker_engine() { command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1; }

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "need root to install: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then
    log "apt-get update"
    apt-get update -qq >&2 || die "apt-get update failed"
    APT_UPDATED=1
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
}

ensure_toolchain() {
  command -v javac >/dev/null 2>&1 || apt_install openjdk-17-jdk-headless
  command -v mvn >/dev/null 2>&1 || apt_install maven
  command -v curl >/dev/null 2>&1 || apt_install curl
  command -v psql >/dev/null 2>&1 || apt_install postgresql-client
  command -v redis-cli >/dev/null 2>&1 || apt_install redis-tools
  # The export tests check each file with a reader other than its writer: unzip -t, poppler's
  # pdfinfo/pdftotext, and Python's openpyxl for XLSX.
  command -v unzip >/dev/null 2>&1 || apt_install unzip
  command -v pdftotext >/dev/null 2>&1 || apt_install poppler-utils
  # Debian's own Python (not one earlier on PATH), where python3-openpyxl installs.
  /usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1 || apt_install python3-openpyxl
  # OCR of scanned PDFs and images: Tika's TesseractOCRParser runs the tesseract command (English model).
  apt_install tesseract-ocr tesseract-ocr-eng
  # The OCR tests draw their scanned pages with Java2D, which needs a font; a headless JDK brings none.
  fc-list 2>/dev/null | grep -q . || apt_install fontconfig fonts-dejavu-core
}

pg_major() { pg_config --version 2>/dev/null | sed -E 's/[^0-9]*([0-9]+).*/\1/'; }

as_postgres() { (cd / && PGOPTIONS=--client-min-messages=warning su postgres -s /bin/sh -c "psql -v ON_ERROR_STOP=1 -qAtX $*"); }

ensure_postgres() {
  if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; then
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
      apt_install postgresql
    fi
    local v; v=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
    [ -n "$v" ] || die "no PostgreSQL cluster found under /etc/postgresql"
    log "starting PostgreSQL $v"
    pg_ctlcluster --skip-systemctl-redirect "$v" main start >&2 || die "PostgreSQL did not start"
    for _ in $(seq 1 30); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break; sleep 1; done
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || die "PostgreSQL does not answer on $PG_HOST:$PG_PORT"
  fi
  local server_major
  server_major=$(as_postgres "-c 'show server_version_num'" | cut -c1-2)
  [ "${server_major:-0}" -ge 15 ] || die "PostgreSQL 15 or newer is needed (found $server_major)"
  ensure_pgvector "$server_major"
  ensure_database
}

vector_available() {
  [ "$(as_postgres "-c \"select count(*) from pg_available_extensions where name='vector'\"")" = 1 ]
}

# The first Debian archive URI of the machine's own apt configuration (not the security archive).
debian_archive_uri() {
  { grep -hE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' || true
    grep -hE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | sed -E 's/\[[^]]*\]//' | awk '{print $2}'
  } | grep -v security | grep -E '/debian/?$' | head -1 || true
}

ensure_pgvector() {
  local major=$1
  vector_available && return 0
  log "pgvector is missing for PostgreSQL $major"
  # Ubuntu and PGDG ship a binary package; Debian 12 does not, so fall back to the source build.
  if apt-cache show "postgresql-$major-pgvector" >/dev/null 2>&1; then
    apt_install "postgresql-$major-pgvector"
    vector_available && return 0
  fi
  build_pgvector_from_source "$major"
  vector_available || die "pgvector was built but PostgreSQL does not list the 'vector' extension"
}

build_pgvector_from_source() {
  local major=$1 uri work
  apt_install "postgresql-server-dev-$major" make gcc dpkg-dev
  uri=$(debian_archive_uri)
  [ -n "$uri" ] || die "no Debian archive found in the apt configuration to fetch pgvector's source from"
  work=$(mktemp -d)
  mkdir -p "$work/lists/partial"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri trixie main" > "$work/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null -o APT::Sandbox::User=root
              -o "Dir::State::Lists=$work/lists")
  log "fetching the pgvector source package (trixie) from the machine's Debian archive"
  apt-get "${opts[@]}" update -qq >&2 || die "could not read the trixie source index"
  (cd "$work" && apt-get "${opts[@]}" source -qq pgvector >&2) || die "could not fetch pgvector's source"
  local src; src=$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -1)
  log "building pgvector in $src"
  make -C "$src" -s PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config" OPTFLAGS="" >&2 \
    && make -C "$src" -s PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config" install >&2 \
    || die "pgvector build failed"
  rm -rf "$work"
}

# Role quarry/quarry owns the databases; the extension lives in template1 too, so any database created
# later (the tests create their own) has it without superuser rights.
ensure_database() {
  as_postgres "-c \"do \\\$\\\$ begin if not exists (select from pg_roles where rolname='quarry') then create role quarry login password 'quarry'; end if; end \\\$\\\$\""
  as_postgres "-d template1 -c 'create extension if not exists vector'"
  for db in quarry quarry_test; do
    [ "$(as_postgres "-c \"select count(*) from pg_database where datname='$db'\"")" = 1 ] \
      || as_postgres "-c 'create database $db owner quarry'"
    as_postgres "-d $db -c 'create extension if not exists vector'"
  done
  local ver; ver=$(as_postgres "-d quarry -c \"select extversion from pg_extension where extname='vector'\"")
  log "PostgreSQL ready (pgvector $ver)"
}

ensure_redis() {
  if ! redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    command -v redis-server >/dev/null 2>&1 || apt_install redis-server
    log "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --dir /var/lib/redis \
      --logfile /var/log/redis/quarry.log >&2 || die "Redis did not start"
    for _ in $(seq 1 20); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.5; done
  fi
  local v; v=$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" info server | grep -oP 'redis_version:\K[0-9]+')
  [ "${v:-0}" -ge 7 ] || die "Redis 7 or newer is needed (found $v)"
  log "Redis ready ($v)"
}

services() {
  ensure_toolchain
  if docker_engine; then
    log "Docker engine found: starting postgres and redis with docker compose"
    docker compose -f "$ROOT/docker-compose.yml" up -d --wait postgres redis >&2 || die "docker compose failed"
    return 0
  fi
  [ -r /etc/debian_version ] || die "no Docker engine and not Debian/Ubuntu: start PostgreSQL+pgvector and Redis yourself"
  ensure_postgres
  ensure_redis
}
