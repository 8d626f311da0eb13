#!/usr/bin/env bash
# Builds the test control plane from upstream Go modules into a cache directory outside the repo:
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kubectl, pinned by go.mod in
#   this folder; kwok, pinned below; kwok's stage files, from kwok's module; and cert-manager's
#   CRDs, from cert-manager's module.
# Idempotent: the output directory is named after the pinned versions and a hash of this folder's
# build inputs, and a binary that is already there is not rebuilt, so a warm run takes a moment.
# Prints the directory holding the binaries as its last line.
set -euo pipefail
shopt -s nullglob

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KWOK_VERSION=v0.7.0
# cert-manager's CRDs only (its controller module cannot be built from the proxy); plain YAML
# from v1.19 on.
CERT_MANAGER_VERSION=v1.19.2
ETCD_VERSION=$(awk '$1 == "go.etcd.io/etcd/server/v3" {print $2; exit}' "$here/go.mod")
source "$here/k8s-ldflags.sh"
inputs=$(cat "$here/go.mod" "$here/go.sum" "$here/build.sh" "$here/k8s-ldflags.sh" "$here"/stages/*.yaml | sha256sum | cut -c1-10)

cache=${DJANGO_OPERATOR_CONTROL_PLANE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/django-operator/control-plane}
bin="$cache/k8s-$K8S_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION-$inputs"
mkdir -p "$bin"
# One builder at a time per output directory: two builds on one machine (a CI run beside a
# developer's) would otherwise compile the same binaries and move each other's files away.
exec 9>"$bin/.lock"
flock 9

log() { echo "[control-plane] $*" >&2; }

command -v go >/dev/null || { log "a Go toolchain (1.25 or newer) is required on the PATH"; exit 1; }

export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -trimpath"

build() { # name package ldflags
  local name=$1 pkg=$2 flags=$3 start=$SECONDS
  [ -x "$bin/$name" ] && return
  log "building $name from $pkg (a cold build takes minutes)"
  (cd "$here" && go build -ldflags "$flags" -o "$bin/$name.tmp" "$pkg")
  mv "$bin/$name.tmp" "$bin/$name"
  log "built $name in $((SECONDS - start))s"
}

build etcd go.etcd.io/etcd/server/v3 "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION"
build kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$k8s_ldflags"
build kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager "$k8s_ldflags"
build kube-scheduler k8s.io/kubernetes/cmd/kube-scheduler "$k8s_ldflags"
build kubectl k8s.io/kubernetes/cmd/kubectl "$k8s_ldflags"

if [ ! -x "$bin/kwok" ]; then
  # kwok's go.mod has no replace directives, so a plain go install at a pinned version works.
  log "installing kwok $KWOK_VERSION"
  start=$SECONDS
  GOBIN="$bin/.gobin" go install -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  mv "$bin/.gobin/kwok" "$bin/kwok" && rmdir "$bin/.gobin"
  log "installed kwok in $((SECONDS - start))s"
fi

if [ ! -f "$bin/kwok-stages.yaml" ]; then
  # Upstream stages: nodes become Ready and keep a Lease, pods become Ready, Job pods complete,
  # deleted pods go away, and pods labelled pod-container-running-failed.stage.kwok.x-k8s.io=true
  # fail. Plus this project's own stages in ./stages.
  src=$(cd "$here" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | awk -F'"' '$2 == "Dir" {print $4}')
  stages="$src/kustomize/stage"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
           pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml \
           pod/chaos/pod-container-running-failed.yaml; do
    cat "$stages/$f"; echo "---"
  done > "$bin/kwok-stages.yaml.tmp"
  for f in "$here"/stages/*.yaml; do cat "$f"; echo "---"; done >> "$bin/kwok-stages.yaml.tmp"
  mv "$bin/kwok-stages.yaml.tmp" "$bin/kwok-stages.yaml"
fi

if [ ! -d "$bin/cert-manager-crds" ]; then
  src=$(cd "$here" && go mod download -json "github.com/cert-manager/cert-manager@$CERT_MANAGER_VERSION" | awk -F'"' '$2 == "Dir" {print $4}')
  mkdir -p "$bin/cert-manager-crds.tmp"
  cp "$src"/deploy/crds/*.yaml "$bin/cert-manager-crds.tmp/"
  chmod -R u+w "$bin/cert-manager-crds.tmp"
  mv "$bin/cert-manager-crds.tmp" "$bin/cert-manager-crds"
fi

"$bin/kube-apiserver" --version >&2
echo "$bin"
