#!/usr/bin/env bash
# Installs and starts what the tests need, then runs every suite:
#   lint + types, unit, integration (real PostgreSQL, Redis, Temporal dev server), launcher, browser (e2e).
# Each run uses a fresh database. Pass suite names to run only some: unit integration e2e lint.
set -uo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-}"
suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(lint unit integration e2e)

log() { printf '[test] %s\n' "$*" >&2; }
apt_updated=0
apt_install() {
  [ "$apt_updated" = 1 ] || { apt-get update -qq >/dev/null && apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

set -e
bash scripts/bootstrap.sh

# PostgreSQL: start it if it is down, install it if it is missing.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    log "installing PostgreSQL..."
    apt_install postgresql
  fi
  log "starting PostgreSQL..."
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  # A freshly installed cluster asks for a password on TCP: give postgres one and use it.
  su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  export TEST_POSTGRES_ADMIN_URL="postgres://postgres:postgres@127.0.0.1:5432/postgres"
fi

# Redis: start it if it is down, install it if it is missing.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  command -v redis-server >/dev/null || { log "installing Redis..."; apt_install redis-server; }
  log "starting Redis..."
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 20); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

# Chromium for the browser tests (Debian's build; Playwright's own download cannot work offline).
if [[ " ${suites[*]} " == *" e2e "* ]] && [ ! -x /usr/bin/chromium ]; then
  log "installing chromium..."
  apt_install chromium
fi
set +e

passed=0
failed=0
failures=()
run_suite() {
  local name=$1
  shift
  log "== $name: $*"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

for suite in "${suites[@]}"; do
  case "$suite" in
    lint)
      run_suite typecheck npx tsc --noEmit -p tsconfig.json
      run_suite eslint npx eslint .
      run_suite layers npm run --silent layers
      run_suite unused npm run --silent unused
      run_suite ui-check npm run check --workspace ui
      run_suite prettier npx prettier --check .
      ;;
    unit) run_suite unit npx jest --selectProjects unit ;;
    integration) run_suite integration npx jest --selectProjects integration --runInBand ;;
    e2e) run_suite e2e bash scripts/e2e.sh ;;
    *) log "unknown suite: $suite"; failed=$((failed + 1)); failures+=("$suite") ;;
  esac
done

[ ${#failures[@]} -gt 0 ] && log "failed: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
