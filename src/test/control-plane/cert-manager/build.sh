#!/usr/bin/env bash
# Builds the ACME side of the test world into its own cache directory, keyed on this folder's
# inputs only (so the Kubernetes binaries of ../build.sh are reused when only this changes):
#   cert-manager-controllers  cert-manager's real controllers, from the cert-manager release pinned
#                             in ./go.mod, wired by ./main.go (the upstream command is not on the
#                             module proxy);
#   pebble, pebble-challtestsrv  Let's Encrypt's ACME test server and its DNS, at PEBBLE_VERSION;
#   pebble-certs/             pebble's test TLS certificate for its directory listener and the
#                             minica root that trusts it (from pebble's module).
# Idempotent: a warm run takes a moment. Prints the output directory as its last line.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PEBBLE_VERSION=v2.10.3
CERT_MANAGER_VERSION=$(awk '$1 == "github.com/cert-manager/cert-manager" {print $2; exit}' "$here/go.mod")
# The CRDs come from ../build.sh; controllers of another version than the CRDs would be a lie.
crd_version=$(awk -F= '$1 == "CERT_MANAGER_VERSION" {print $2; exit}' "$here/../build.sh")
if [ "$crd_version" != "$CERT_MANAGER_VERSION" ]; then
  echo "[cert-manager] ../build.sh installs CRDs of $crd_version but go.mod pins $CERT_MANAGER_VERSION" >&2
  exit 1
fi
inputs=$(cat "$here/go.mod" "$here/go.sum" "$here"/*.go "$here/build.sh" | sha256sum | cut -c1-10)

cache=${DJANGO_OPERATOR_CONTROL_PLANE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/django-operator/control-plane}
bin="$cache/cert-manager-$CERT_MANAGER_VERSION-pebble-$PEBBLE_VERSION-$inputs"
mkdir -p "$bin"
# One builder at a time per output directory (see ../build.sh).
exec 9>"$bin/.lock"
flock 9

log() { echo "[cert-manager] $*" >&2; }
command -v go >/dev/null || { log "a Go toolchain (1.25 or newer) is required on the PATH"; exit 1; }
export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -trimpath"

if [ ! -x "$bin/cert-manager-controllers" ]; then
  log "building cert-manager $CERT_MANAGER_VERSION controllers (a cold build takes several minutes)"
  start=$SECONDS
  (cd "$here" && go build -mod=mod -ldflags "-s -w \
      -X github.com/cert-manager/cert-manager/pkg/util.AppVersion=$CERT_MANAGER_VERSION" \
      -o "$bin/cert-manager-controllers.tmp" .)
  mv "$bin/cert-manager-controllers.tmp" "$bin/cert-manager-controllers"
  log "built cert-manager-controllers in $((SECONDS - start))s"
fi

for cmd in pebble pebble-challtestsrv; do
  [ -x "$bin/$cmd" ] && continue
  # pebble's go.mod has no replace directives, so a plain go install at a pinned version works.
  log "installing $cmd $PEBBLE_VERSION"
  start=$SECONDS
  GOBIN="$bin/.gobin" go install -ldflags "-s -w" "github.com/letsencrypt/pebble/v2/cmd/$cmd@$PEBBLE_VERSION"
  mv "$bin/.gobin/$cmd" "$bin/$cmd" && rmdir "$bin/.gobin"
  log "installed $cmd in $((SECONDS - start))s"
done

if [ ! -d "$bin/pebble-certs" ]; then
  src=$(cd "$here" && go mod download -json "github.com/letsencrypt/pebble/v2@$PEBBLE_VERSION" | awk -F'"' '$2 == "Dir" {print $4}')
  mkdir -p "$bin/pebble-certs.tmp"
  cp "$src/test/certs/pebble.minica.pem" "$src/test/certs/localhost/cert.pem" \
     "$src/test/certs/localhost/key.pem" "$bin/pebble-certs.tmp/"
  chmod -R u+w "$bin/pebble-certs.tmp"
  mv "$bin/pebble-certs.tmp" "$bin/pebble-certs"
fi

echo "$bin"
