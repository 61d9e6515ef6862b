#!/usr/bin/env bash
# Installs what `./hopflow start` needs and a fresh clone lacks: npm packages and the Temporal CLI.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[hopflow] %s\n' "$*" >&2; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
node_minor=$(node -p 'process.versions.node.split(".")[1]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ] || { [ "$node_major" -eq 20 ] && [ "$node_minor" -lt 19 ]; }; then
  log "Node.js 20.19 or newer is required (found $(node -v 2>/dev/null || echo none))."
  exit 1
fi

# npm ci when node_modules is missing or older than the lock file. Install scripts run only for the
# packages approved in package.json "allowScripts".
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages (npm ci)..."
  npm ci --no-audit --no-fund
fi

bash temporal/install-cli.sh >/dev/null
bash sandbox/stripe-mock/install.sh >/dev/null
