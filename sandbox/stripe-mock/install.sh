#!/usr/bin/env bash
# Prints the path of a usable stripe-mock (Stripe's API simulator) on stdout; progress goes to stderr.
# Order: stripe-mock on PATH, else <repo>/.tools/bin/stripe-mock, else build the pinned version there with Go.
set -euo pipefail

STRIPE_MOCK_VERSION="v0.197.0"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools_bin="${repo_root}/.tools/bin"

log() { echo "stripe-mock install: $*" >&2; }

usable() {
  [[ -x "$1" ]] && "$1" -version >/dev/null 2>&1
}

if on_path="$(command -v stripe-mock 2>/dev/null)" && usable "$on_path"; then
  echo "$on_path"
  exit 0
fi

if usable "${tools_bin}/stripe-mock"; then
  echo "${tools_bin}/stripe-mock"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "stripe-mock not found and Go is not installed; install Go or put stripe-mock ${STRIPE_MOCK_VERSION} on PATH"
  exit 1
fi

log "building stripe-mock ${STRIPE_MOCK_VERSION} into ${tools_bin} (first run only)"
mkdir -p "$tools_bin"
build_dir="$(mktemp -d)"
trap 'rm -rf "$build_dir"' EXIT
# Run outside the repo so no go.mod/go.work here influences the build.
(cd "$build_dir" && GOBIN="$tools_bin" go install "github.com/stripe/stripe-mock@${STRIPE_MOCK_VERSION}") >&2

if usable "${tools_bin}/stripe-mock"; then
  echo "${tools_bin}/stripe-mock"
  exit 0
fi
log "go install finished but ${tools_bin}/stripe-mock is not usable"
exit 1
