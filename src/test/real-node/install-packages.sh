#!/usr/bin/env bash
# Installs the Debian packages the real node needs and a fresh machine lacks (root only):
#   debootstrap    the test images' root file system, from Debian's archive
#   iptables       kube-proxy's and the CNI bridge plugin's rules
#   gcc, pkg-config, libseccomp-dev   runc is built with cgo and seccomp
#   postgresql     the database the end-to-end tests migrate (a cluster of their own, port 15432)
# build.sh runs it, so `./mvnw verify` needs nothing installed by hand.
set -euo pipefail
need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v iptables >/dev/null || need+=(iptables)
command -v gcc >/dev/null || need+=(gcc)
command -v pkg-config >/dev/null || need+=(pkg-config)
[ -f /usr/include/seccomp.h ] || need+=(libseccomp-dev)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "[real-node] missing Debian packages: ${need[*]} (install them as root)" >&2
  exit 1
fi
echo "[real-node] installing Debian packages: ${need[*]}" >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
