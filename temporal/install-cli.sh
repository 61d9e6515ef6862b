#!/usr/bin/env bash
# Prints the path of a usable `temporal` CLI (dev server + Temporal Web) on stdout; progress goes to stderr.
# Order: `temporal` on PATH if recent enough, else <repo>/.tools/bin/temporal, else build v1.5.1 there with Go.
# Later CLI tags carry a `replace` directive and cannot be installed with `go install`, hence the pin.
set -euo pipefail

CLI_VERSION="v1.5.1"
# Go-installed builds report "0.0.0-DEV", so judge by the bundled server version instead (v1.5.1 ships 1.29.x).
MIN_SERVER_MINOR=29

# shellcheck source=../scripts/lib/go-tool.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/go-tool.sh"

log() { echo "install-cli: $*" >&2; }

usable() {
  local bin="$1" out minor
  [[ -x "$bin" ]] || return 1
  out="$("$bin" --version 2>/dev/null)" || return 1
  # e.g. "temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)"
  if [[ "$out" =~ Server\ 1\.([0-9]+)\. ]]; then
    minor="${BASH_REMATCH[1]}"
    (( minor >= MIN_SERVER_MINOR )) && return 0
  fi
  log "ignoring $bin ($out): need a CLI bundling Temporal Server >= 1.${MIN_SERVER_MINOR}"
  return 1
}

find_or_go_install temporal "github.com/temporalio/cli/cmd/temporal@${CLI_VERSION}"
