# shellcheck shell=bash
# bin/quarry secrets (and the start of bin/quarry test): every tracked file scanned with secretlint's
# recommended rules (private keys, cloud and SaaS tokens, credentials in URLs, ...). A finding fails the run.
# The reviewed baseline of allowed test fixtures is .secretlintignore. secretlint comes from npm, pinned,
# into $QUARRY_STATE (Debian 12 has no gitleaks, and detect-secrets is not in Debian or npm). 9.x, because
# later versions need Node 22 and Debian 12 ships Node 18.

SECRETLINT_VERSION=9.3.4
SECRETLINT_PRESET_VERSION=9.3.4

ensure_secretlint() {
  local dir="$QUARRY_STATE/secretlint-$SECRETLINT_VERSION"
  if [ ! -x "$dir/node_modules/.bin/secretlint" ]; then
    command -v npm >/dev/null 2>&1 || apt_install npm
    log "installing secretlint $SECRETLINT_VERSION (npm)"
    mkdir -p "$dir"
    (cd "$dir" && npm install --no-audit --no-fund --silent "secretlint@$SECRETLINT_VERSION" \
      "@secretlint/secretlint-rule-preset-recommend@$SECRETLINT_PRESET_VERSION") >&2 \
      || die "npm could not install secretlint"
  fi
  SECRETLINT="$dir/node_modules/.bin/secretlint"
}

# A scanner that finds nothing proves nothing: it must flag a private key made on the spot.
secretlint_self_check() {
  local probe; probe=$(mktemp -d)
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$probe/probe.pem" 2>/dev/null \
    || { rm -rf "$probe"; die "openssl could not make the probe key"; }
  if "$SECRETLINT" --secretlintrc "$ROOT/.secretlintrc.json" "$probe/probe.pem" >/dev/null 2>&1; then
    rm -rf "$probe"; die "secretlint did not flag a private key: the scanner is broken"
  fi
  rm -rf "$probe"
}

scan_secrets() {
  command -v openssl >/dev/null 2>&1 || apt_install openssl
  ensure_secretlint
  secretlint_self_check
  log "scanning tracked files for secrets (secretlint; reviewed exceptions: .secretlintignore)"
  (cd "$ROOT" && git ls-files -z | xargs -0 "$SECRETLINT" --secretlintrc .secretlintrc.json \
      --secretlintignore .secretlintignore) \
    || die "a tracked file holds a secret: remove it (and rotate it), or, for a reviewed test fixture, add its path to .secretlintignore"
}
