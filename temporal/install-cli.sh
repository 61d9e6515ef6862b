#!/usr/bin/env bash
# Prints the path of a usable `temporal` CLI (dev server + Temporal Web) on stdout; progress goes to stderr.
# Order: `temporal` on PATH if recent enough, else <repo>/.tools/bin/temporal, else build v1.5.1 there with Go.
# Later CLI tags carry a `replace` directive and cannot be installed with `go install`, hence the pin.
set -euo pipefail

CLI_VERSION="v1.5.1"
# Go-installed builds report "0.0.0-DEV", so judge by the bundled server version instead (v1.5.1 ships 1.29.x).
MIN_SERVER_MINOR=29

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_bin="${repo_root}/.tools/bin"

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

if on_path="$(command -v temporal 2>/dev/null)" && usable "$on_path"; then
  echo "$on_path"
  exit 0
fi

if usable "${tools_bin}/temporal"; then
  echo "${tools_bin}/temporal"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "no usable temporal CLI found and Go is not installed; install Go or put temporal ${CLI_VERSION} on PATH"
  exit 1
fi

log "building temporal CLI ${CLI_VERSION} into ${tools_bin} (first run only, takes a few minutes)"
mkdir -p "$tools_bin"
build_dir="$(mktemp -d)"
trap 'rm -rf "$build_dir"' EXIT
# Run outside the repo so no go.mod/go.work here influences the build.
(cd "$build_dir" && GOBIN="$tools_bin" go install "github.com/temporalio/cli/cmd/temporal@${CLI_VERSION}") >&2

if usable "${tools_bin}/temporal"; then
  echo "${tools_bin}/temporal"
  exit 0
fi
log "go install finished but ${tools_bin}/temporal is not usable"
exit 1
