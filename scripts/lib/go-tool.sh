#!/usr/bin/env bash
# Sourced by the tool install scripts. find_or_go_install NAME PACKAGE@VERSION prints the path of a usable
# binary: NAME on PATH, else <repo>/.tools/bin/NAME, else `go install`ed there (from a temp dir, so no go.mod
# here influences the build). The caller defines `usable BIN` (exit 0 when BIN is good enough) and `log`.

find_or_go_install() {
  local name="$1" package="$2" repo_root tools_bin on_path build_dir
  repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  tools_bin="${repo_root}/.tools/bin"

  if on_path="$(command -v "$name" 2>/dev/null)" && usable "$on_path"; then
    echo "$on_path"
    return 0
  fi
  if usable "${tools_bin}/${name}"; then
    echo "${tools_bin}/${name}"
    return 0
  fi
  if ! command -v go >/dev/null 2>&1; then
    log "no usable ${name} found and Go is not installed; install Go or put ${package} on PATH"
    return 1
  fi
  log "building ${package} into ${tools_bin} (first run only, takes a few minutes)"
  mkdir -p "$tools_bin"
  build_dir="$(mktemp -d)"
  (cd "$build_dir" && GOBIN="$tools_bin" go install "$package") >&2
  rm -rf "$build_dir"
  if usable "${tools_bin}/${name}"; then
    echo "${tools_bin}/${name}"
    return 0
  fi
  log "go install finished but ${tools_bin}/${name} is not usable"
  return 1
}
