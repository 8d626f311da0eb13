#!/usr/bin/env bash
# Host-side set-up and teardown of the test node (RealNode.java starts and stops its processes).
#   node.sh setup   the bridge and its gateway address (host services bind it before any pod
#                   exists), IP forwarding (its old value saved)
#   node.sh drain   stops and removes every pod sandbox through the CRI, so CNI DEL removes the
#                   veths, IP allocations and per-pod NAT rules (containerd must still run)
#   node.sh sweep   after the processes are gone: kube-proxy's rules, kubelet's own chains,
#                   mounts, cgroups, the bridge, hard-coded host paths; restores IP forwarding.
#                   Also run before a start, to clear what a killed run left behind.
#   node.sh check   prints whatever the node left behind, one line each; exits 1 if anything
# Root only. Paths come from the environment: NODE_RUN, NODE_LIB, NODE_BIN, BRIDGE.
set -uo pipefail
: "${NODE_RUN:?}" "${NODE_LIB:?}" "${NODE_BIN:?}" "${BRIDGE:?}"
GATEWAY=10.88.0.1/16
# Paths that kubelet, libcni and containerd use whatever they are configured with.
HOST_PATHS=(/var/lib/kubelet /var/log/pods /var/log/containers /var/lib/cni/results /run/containerd/s)

chains() { # table: our chains
  local tool=$1
  $tool -t "$2" -S 2>/dev/null | awk '$1 == "-N" && ($2 ~ /^(KUBE-|CNI-)/) {print $2}'
}

case "${1:-}" in
  setup)
    mkdir -p "$NODE_RUN" "$NODE_LIB"
    [ -f "$NODE_RUN/ip_forward" ] || cat /proc/sys/net/ipv4/ip_forward > "$NODE_RUN/ip_forward"
    if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
      ip link add "$BRIDGE" type bridge && ip addr add "$GATEWAY" dev "$BRIDGE"
    fi
    ip link set "$BRIDGE" up
    ;;
  drain)
    crictl=("$NODE_BIN/crictl" --runtime-endpoint "unix://$NODE_RUN/containerd/containerd.sock" --timeout 20s)
    for pod in $("${crictl[@]}" pods -q 2>/dev/null); do
      "${crictl[@]}" stopp "$pod" >/dev/null 2>&1
      "${crictl[@]}" rmp -f "$pod" >/dev/null 2>&1
    done
    ;;
  sweep)
    for name in kubelet kube-proxy containerd containerd-shim-runc-v2; do
      pkill -KILL -f "^$NODE_BIN/$name" 2>/dev/null
    done
    # Pod processes that outlived their shim (a drain that failed, a killed run): by cgroup.
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
      pids=$(find /sys/fs/cgroup/pids/kubepods -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u)
      [ -z "$pids" ] && break
      kill -KILL $pids 2>/dev/null
      sleep 0.5
    done
    [ -x "$NODE_BIN/kube-proxy" ] && "$NODE_BIN/kube-proxy" --cleanup >/dev/null 2>&1
    for tool in iptables ip6tables; do
      for table in filter nat mangle; do
        # Jumps into our chains first, then the chains themselves.
        $tool -t "$table" -S 2>/dev/null | grep -E -- '-j (KUBE-|CNI-)' | grep -v '^-N' \
          | sed 's/^-A/-D/' | while read -r rule; do eval "$tool -t $table $rule" 2>/dev/null; done
        for chain in $(chains "$tool" "$table"); do $tool -t "$table" -F "$chain" 2>/dev/null; done
        for chain in $(chains "$tool" "$table"); do $tool -t "$table" -X "$chain" 2>/dev/null; done
      done
    done
    awk -v a="$NODE_RUN" -v b="$NODE_LIB" '$2 ~ "^" a || $2 ~ "^" b || $2 ~ "^/run/netns/cni-" {print $2}' \
      /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
    for hierarchy in /sys/fs/cgroup/*/; do
      [ -d "$hierarchy/kubepods" ] && find "$hierarchy/kubepods" -depth -type d -exec rmdir {} + 2>/dev/null
    done
    ip link del "$BRIDGE" 2>/dev/null
    for netns in /run/netns/cni-*; do [ -e "$netns" ] && ip netns del "$(basename "$netns")" 2>/dev/null; done
    [ -f "$NODE_RUN/ip_forward" ] && cat "$NODE_RUN/ip_forward" > /proc/sys/net/ipv4/ip_forward
    rm -rf "$NODE_LIB" "${HOST_PATHS[@]}" "$NODE_RUN"
    exit 0
    ;;
  check)
    left=0
    say() { echo "$*"; left=1; }
    for name in kubelet kube-proxy containerd containerd-shim-runc-v2 runc; do
      pgrep -f "^$NODE_BIN/$name" >/dev/null && say "process: $name"
    done
    awk -v a="$NODE_RUN" -v b="$NODE_LIB" '$2 ~ "^" a || $2 ~ "^" b || $2 ~ "^/run/netns/cni-" {print "mount: " $2}' /proc/self/mounts \
      | while read -r line; do echo "$line"; done | grep . && left=1
    for hierarchy in /sys/fs/cgroup/*/; do
      [ -d "$hierarchy/kubepods" ] && say "cgroup: $hierarchy/kubepods"
    done
    ip link show "$BRIDGE" >/dev/null 2>&1 && say "link: $BRIDGE"
    ip -o link show type veth 2>/dev/null | grep -q . && say "links: veth $(ip -o link show type veth | wc -l)"
    for tool in iptables ip6tables; do
      for table in filter nat mangle; do
        for chain in $(chains "$tool" "$table"); do say "$tool -t $table chain $chain"; done
      done
    done
    for path in "$NODE_RUN" "$NODE_LIB" "${HOST_PATHS[@]}"; do
      [ -e "$path" ] && say "path: $path"
    done
    exit $left
    ;;
  *) echo "usage: node.sh setup|drain|sweep|check" >&2; exit 2 ;;
esac
