#!/usr/bin/env bash
# Installs the Debian packages the real node needs and a fresh machine lacks (root only):
#   debootstrap    the test images' root file system, from Debian's archive
#   iptables       kube-proxy's and the CNI bridge plugin's rules
#   gcc, pkg-config, libseccomp-dev   runc is built with cgo and seccomp
#   postgresql     the database the end-to-end tests migrate (a cluster of their own, port 15432)
# build.sh runs it, so `./mvnw verify` works on a fresh Debian machine; it says so loudly when it
# installs anything (README, "What the tests do to the machine").
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
cat >&2 <<EOF
[real-node] ======================================================================
[real-node] INSTALLING DEBIAN PACKAGES for the real test node: ${need[*]}
[real-node] (apt-get update, then apt-get install --no-install-recommends, as root;
[real-node]  see README "What the tests do to the machine")
[real-node] ======================================================================
EOF
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
echo "[real-node] installed Debian packages: ${need[*]}" >&2
