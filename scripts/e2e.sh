#!/usr/bin/env bash
# Browser tests against the whole platform started the way a newcomer starts it (embedded defaults:
# PGlite, in-process cache, API + worker in one process, Temporal dev server, built UI), on free ports and a
# fresh data folder. Stops it with SIGINT afterwards and fails if it does not stop cleanly.
set -uo pipefail
cd "$(dirname "$0")/.."

read -r api_port ui_port temporal_port temporal_ui_port anthropic_port clickbank_port postmark_port wordpress_port \
  stripe_port < <(node_modules/.bin/tsx scripts/free-port.ts 9)
data_dir=$(mktemp -d /tmp/hopflow-e2e.XXXXXX)
log_file="$data_dir/platform.log"
: >"$log_file"

env -u DATABASE_URL -u REDIS_URL -u JWT_SECRET \
  HOPFLOW_DATA_DIR="$data_dir" API_PORT="$api_port" UI_PORT="$ui_port" \
  TEMPORAL_ADDRESS="127.0.0.1:$temporal_port" TEMPORAL_UI_PORT="$temporal_ui_port" TEMPORAL_DEV_SERVER=always \
  ANTHROPIC_SANDBOX_PORT="$anthropic_port" CLICKBANK_SANDBOX_PORT="$clickbank_port" \
  POSTMARK_SANDBOX_PORT="$postmark_port" WORDPRESS_SANDBOX_PORT="$wordpress_port" STRIPE_SANDBOX_PORT="$stripe_port" \
  REGISTER_LIMIT_PER_IP=1000 REGISTER_CONFIRM_LIMIT_PER_IP=1000 LOG_LEVEL=warn node_modules/.bin/tsx scripts/start.ts >"$log_file" 2>&1 &
platform_pid=$!

for _ in $(seq 240); do
  grep -q 'Hopflow is running' "$log_file" && break
  kill -0 "$platform_pid" 2>/dev/null || break
  sleep 1
done
if ! grep -q 'Hopflow is running' "$log_file"; then
  echo "[e2e] the platform did not start; its output:" >&2
  cat "$log_file" >&2
  kill -INT "$platform_pid" 2>/dev/null
  exit 1
fi

E2E_BASE_URL="http://127.0.0.1:$ui_port" E2E_TEMPORAL_WEB_URL="http://localhost:$temporal_ui_port" \
  E2E_API_URL="http://127.0.0.1:$api_port" E2E_POSTMARK_SANDBOX_URL="http://127.0.0.1:$postmark_port" \
  E2E_CLICKBANK_SANDBOX_PORT="$clickbank_port" E2E_WORDPRESS_SANDBOX_URL="http://127.0.0.1:$wordpress_port" npx playwright test -c tests/e2e/playwright.config.ts "$@"
status=$?

kill -INT "$platform_pid"
for _ in $(seq 60); do kill -0 "$platform_pid" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$platform_pid" 2>/dev/null; then
  echo "[e2e] the platform did not stop within 30 s of SIGINT" >&2
  kill -KILL "$platform_pid"
  status=1
else
  wait "$platform_pid"
  stop_code=$?
  if [ "$stop_code" -ne 0 ]; then echo "[e2e] the platform exited with $stop_code after SIGINT" >&2; status=1; fi
fi
[ "$status" -eq 0 ] || { echo "[e2e] platform output:" >&2; tail -50 "$log_file" >&2; }
rm -rf "$data_dir"
exit "$status"
