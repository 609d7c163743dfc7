#!/usr/bin/env bash
# Installs the Node.js load test's packages into node_modules next to this script, exactly as
# package-lock.json pins them (npm ci). Skips the install when node_modules already matches the lock:
# npm writes node_modules/.package-lock.json on every install, and this script keeps a copy of the
# lock it installed from, so a changed lock (or a half-finished install) installs again.
#
# Needs node and npm, and the npm registry the first time. Safe to run any number of times.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
log() { printf '[nodejs-load-test] %s\n' "$*" >&2; }

stamp=node_modules/.dyno-installed-lock.json
if [[ -f "$stamp" && -f node_modules/.package-lock.json ]] && cmp -s package-lock.json "$stamp"; then
  log "node_modules matches package-lock.json; nothing to do"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  log "npm is missing; install Node.js and npm (Debian: apt-get install -y nodejs npm)"
  exit 1
fi
started=$SECONDS
log "installing the packages package-lock.json pins (npm ci)"
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
log "installed in $((SECONDS - started)) s: $(du -sh node_modules | cut -f1) in node_modules"
