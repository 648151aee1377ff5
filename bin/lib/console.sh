# shellcheck shell=bash
# The web console's browser tests (api's ConsoleBrowserIT): Debian's Chromium and playwright-core, pinned in
# api/src/test/console/package.json, installed with npm into that directory (no lockfile: npm resolves the
# pinned version). playwright-core downloads no browser; the tests drive the system's /usr/bin/chromium.
# 1.61, the last release that runs on Debian 12's Node 18 (1.62 and later need Node 20).

ensure_browser_tools() {
  [ -x /usr/bin/chromium ] || apt_install chromium
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  local dir="$ROOT/api/src/test/console" want have
  want=$(sed -n 's/.*"playwright-core": "\([^"]*\)".*/\1/p' "$dir/package.json")
  have=$(sed -n 's/.*"version": "\([^"]*\)".*/\1/p' "$dir/node_modules/playwright-core/package.json" 2>/dev/null || true)
  if [ "$have" != "$want" ]; then
    log "installing playwright-core $want (npm) for the console's browser tests"
    (cd "$dir" && npm install --no-package-lock --no-audit --no-fund --loglevel=error) >&2 \
      || die "npm could not install playwright-core"
  fi
}
