#!/usr/bin/env bash
# Builds what a real test node runs, pinned, into a cache directory outside the repo:
#   kubelet and kube-proxy, from the control plane's own Go module (../control-plane, so they are
#   the same Kubernetes version as the API server); containerd, ctr and the runc shim; runc (cgo,
#   with seccomp: needs gcc and libseccomp-dev); the CNI plugins; crictl (used by the teardown).
# Idempotent like ../control-plane/build.sh: the directory is named after the versions and a hash
# of the inputs, and what is there is not rebuilt. Prints the directory as its last line.
set -euo pipefail
shopt -s nullglob

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
module="$here/../control-plane"
CONTAINERD_VERSION=v2.4.2
RUNC_VERSION=v1.5.3
CNI_PLUGINS_VERSION=v1.10.0
CRICTL_VERSION=v1.37.0
source "$module/k8s-ldflags.sh"
inputs=$(cat "$module/go.mod" "$module/go.sum" "$module/k8s-ldflags.sh" "$here/build.sh" \
  | sha256sum | cut -c1-10)

cache=${DJANGO_OPERATOR_REAL_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/django-operator/real-node}
out="$cache/k8s-$K8S_VERSION-containerd-$CONTAINERD_VERSION-runc-$RUNC_VERSION-$inputs"
mkdir -p "$out/bin" "$out/cni-bin"
# One builder at a time per output directory (see ../control-plane/build.sh).
exec 9>"$out/.lock"
flock 9

log() { echo "[real-node] $*" >&2; }
command -v go >/dev/null || { log "a Go toolchain (1.25 or newer) is required on the PATH"; exit 1; }
bash "$here/install-packages.sh"

export GOFLAGS="${GOFLAGS:-} -trimpath"

k8s() { # name
  local name=$1 start=$SECONDS
  [ -x "$out/bin/$name" ] && return
  log "building $name $K8S_VERSION (minutes when the Go build cache is cold)"
  (cd "$module" && CGO_ENABLED=0 go build -ldflags "$k8s_ldflags" -o "$out/bin/$name.tmp" \
    "k8s.io/kubernetes/cmd/$name")
  mv "$out/bin/$name.tmp" "$out/bin/$name"
  log "built $name in $((SECONDS - start))s"
}

install() { # destination cgo tags ldflags package@version...
  local dest=$1 cgo=$2 tags=$3 flags=$4 start=$SECONDS
  shift 4
  local missing=()
  for pkg in "$@"; do
    local name=${pkg%@*}; name=${name##*/}
    [ -x "$dest/$name" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]}"
  rm -rf "$out/.gobin" && mkdir -p "$out/.gobin"
  for pkg in "${missing[@]}"; do
    GOBIN="$out/.gobin" CGO_ENABLED=$cgo go install -tags "$tags" -ldflags "$flags" "$pkg"
  done
  mv "$out/.gobin"/* "$dest/" && rmdir "$out/.gobin"
  log "installed in $((SECONDS - start))s"
}

k8s kubelet
k8s kube-proxy
containerd=github.com/containerd/containerd/v2
install "$out/bin" 0 "urfave_cli_no_docs no_btrfs" \
  "-s -w -X $containerd/version.Version=$CONTAINERD_VERSION" \
  "$containerd/cmd/containerd@$CONTAINERD_VERSION" "$containerd/cmd/ctr@$CONTAINERD_VERSION"
install "$out/bin" 0 "urfave_cli_no_docs no_grpc" "-s -w" \
  "$containerd/cmd/containerd-shim-runc-v2@$CONTAINERD_VERSION"
# runc's Makefile also sets the libpathrs tag, which needs a Rust library Debian does not ship.
install "$out/bin" 1 "seccomp urfave_cli_no_docs" "-s -w" \
  "github.com/opencontainers/runc@$RUNC_VERSION"
plugins=github.com/containernetworking/plugins/plugins
install "$out/cni-bin" 0 "" "-s -w" "$plugins/main/bridge@$CNI_PLUGINS_VERSION" \
  "$plugins/ipam/host-local@$CNI_PLUGINS_VERSION" "$plugins/main/loopback@$CNI_PLUGINS_VERSION" \
  "$plugins/meta/portmap@$CNI_PLUGINS_VERSION"
install "$out/bin" 0 "" "-s -w" "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION"

echo "$out"
