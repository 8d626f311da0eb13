#!/usr/bin/env bash
# Builds the test node's ingress side, without Docker or a registry, into a cache directory outside
# the repo, as OCI image tars that `ctr images import` loads (like ../images/build.sh):
#   registry.test/traefik:v3.7.13      Traefik's own command (cmd/traefik) at the release pinned in
#                                      traefik/go.mod, a static binary; numeric non-root user 65532
#                                      (the binary stays beside the image, bin/traefik, for tests
#                                      that run it on the host)
#   registry.test/acmesolver:v1.19.2   cert-manager's HTTP-01 solver, our small main around its
#                                      pkg/issuer/acme/http/solver (../../control-plane/cert-manager/
#                                      acmesolver, in the module that pins cert-manager), which the
#                                      controller's --acme-http01-solver-image names; user 65532
# Traefik's module cannot be built with `go install ...@version` (replace directives), and two things
# keep its release from building from the module proxy as it is: its go.mod points
# github.com/traefik/traefik/dynamic/ext at a nested module its zip does not contain (traefik/ext is
# our empty stand-in), and lego's table of DNS-01 providers imports SDK versions the proxy does not
# serve. So the build runs in a work copy under the cache: our wrapper module, with lego's module
# copied beside it and that one generated file replaced by traefik/overlay/lego_dns_providers.go
# (the test world's Traefik obtains no certificates; cert-manager does).
# Idempotent: the directory is named after a hash of the inputs. Prints it as its last line.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
certmanager="$here/../../control-plane/cert-manager"
TRAEFIK_VERSION=$(awk '$1 == "require" && $2 == "github.com/traefik/traefik/v3" {print $3}' "$here/traefik/go.mod")
CERT_MANAGER_VERSION=$(awk '$1 == "github.com/cert-manager/cert-manager" {print $2; exit}' "$certmanager/go.mod")
inputs=$( (cd "$here" && find . -type f | LC_ALL=C sort | xargs cat; \
  cat "$certmanager/go.mod" "$certmanager/go.sum" "$certmanager"/acmesolver/*.go \
    "$here/../images/mkimage.py") | sha256sum | cut -c1-10)
cache=${DJANGO_OPERATOR_REAL_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/django-operator/real-node}
out="$cache/ingress-traefik-$TRAEFIK_VERSION-$inputs"
mkdir -p "$out"
log() { echo "[real-node ingress] $*" >&2; }
command -v go >/dev/null || { log "a Go toolchain (1.26 or newer) is required on the PATH"; exit 1; }
export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -trimpath"
# Another build of the same inputs (a parallel test run) waits here rather than racing on the
# same temporary files.
exec 9>"$out/.lock"
flock 9

pack() { # binary program-in-image image-name user tar [--entrypoint program] cmd...
  local binary=$1 program=$2 name=$3 user=$4 tar=$5
  shift 5
  local rootfs
  rootfs=$(mktemp -d)
  install -m 0755 "$binary" "$rootfs$program"
  mkdir -p "$rootfs/tmp" && chmod 1777 "$rootfs/tmp"
  python3 "$here/../images/mkimage.py" "$rootfs" "$tar.tmp" "$name" "$user" / "$@"
  mv "$tar.tmp" "$tar"
  rm -rf "$rootfs"
}

if [ ! -f "$out/traefik.tar" ] || [ ! -x "$out/bin/traefik" ]; then
  start=$SECONDS
  work="$out/.work"
  rm -rf "$work" && mkdir -p "$work"
  cp -r "$here/traefik/go.mod" "$here/traefik/go.sum" "$here/traefik/ext" "$work/"
  lego_version=$(cd "$work" && go list -mod=mod -m -f '{{.Version}}' github.com/go-acme/lego/v5)
  lego_dir=$(cd "$work" && go mod download -json "github.com/go-acme/lego/v5@$lego_version" \
    | awk -F'"' '$2 == "Dir" {print $4}')
  cp -r "$lego_dir" "$work/lego" && chmod -R u+w "$work/lego"
  cp "$here/traefik/overlay/lego_dns_providers.go" "$work/lego/providers/dns/zz_gen_dns_providers.go"
  (cd "$work" && go mod edit -replace "github.com/go-acme/lego/v5=./lego")
  log "building Traefik $TRAEFIK_VERSION (a cold build takes many minutes on 2 cores)"
  (cd "$work" && go build -mod=mod -ldflags "-s -w \
      -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" \
      -o "$out/traefik.bin" github.com/traefik/traefik/v3/cmd/traefik)
  mkdir -p "$out/bin" && cp "$out/traefik.bin" "$out/bin/traefik"
  pack "$out/traefik.bin" /traefik "registry.test/traefik:$TRAEFIK_VERSION" 65532:65532 \
    "$out/traefik.tar" /traefik
  rm -rf "$work" "$out/traefik.bin"
  log "built Traefik in $((SECONDS - start))s"
fi

if [ ! -f "$out/acmesolver.tar" ]; then
  (cd "$certmanager" && go build -ldflags "-s -w" -o "$out/acmesolver.bin" ./acmesolver)
  pack "$out/acmesolver.bin" /acmesolver "registry.test/acmesolver:$CERT_MANAGER_VERSION" \
    65532:65532 "$out/acmesolver.tar" --entrypoint /acmesolver
  rm "$out/acmesolver.bin"
fi
echo "$out"
