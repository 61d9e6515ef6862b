#!/usr/bin/env bash
# Prints the path of a usable stripe-mock (Stripe's API simulator) on stdout; progress goes to stderr.
# Order: stripe-mock on PATH, else <repo>/.tools/bin/stripe-mock, else build the pinned version there with Go.
set -euo pipefail

STRIPE_MOCK_VERSION="v0.197.0"

# shellcheck source=../../scripts/lib/go-tool.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/go-tool.sh"

log() { echo "stripe-mock install: $*" >&2; }

usable() {
  [[ -x "$1" ]] && "$1" -version >/dev/null 2>&1
}

find_or_go_install stripe-mock "github.com/stripe/stripe-mock@${STRIPE_MOCK_VERSION}"
