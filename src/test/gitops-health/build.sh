#!/usr/bin/env bash
# Builds gitops-health (./main.go: kstatus and Argo CD's Lua runtime, pinned in ./go.mod) into a
# cache directory outside the repo, named after a hash of this folder. Idempotent. Prints the
# binary's path as its last line.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
inputs=$(cat "$here/go.mod" "$here/go.sum" "$here"/*.go "$here/build.sh" | sha256sum | cut -c1-10)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/django-operator/gitops-health-$inputs
command -v go >/dev/null || { echo "[gitops-health] a Go toolchain is required on the PATH" >&2; exit 1; }
if [ ! -x "$cache/gitops-health" ]; then
  mkdir -p "$cache"
  # A name of its own per build, so that two builds at once cannot take each other's file.
  (cd "$here" && CGO_ENABLED=0 go build -mod=mod -trimpath -ldflags "-s -w" \
    -o "$cache/gitops-health.$$" .)
  mv "$cache/gitops-health.$$" "$cache/gitops-health"
fi
echo "$cache/gitops-health"
