#!/usr/bin/env bash
# Host-side set-up and teardown of one run of the test node (RealNode.java starts and stops its
# processes). The node is a guest on the machine: everything it makes carries the run's id, and
# teardown removes exactly those names; nothing is swept by pattern, so another Kubernetes on the
# machine (k3s, kubeadm, kind) is never touched.
#
#   node.sh setup      refuses a machine it cannot share (no cgroup v1, the node's address ranges
#                      already routed, another run alive), tears down runs recorded by a test JVM
#                      that is gone, then makes this run's own:
#                        network namespace  (containerd, kubelet, kube-proxy, the pods' bridge and
#                                            every KUBE-*/CNI-* chain live there, not on the host)
#                        veth $LINK         host side $HOST_ADDR, node side $NODE_ADDR; the host
#                                            routes the pod and Service ranges through it
#                        mount namespace    private binds over the paths kubelet, libcni and
#                                            containerd hard-code, onto directories of the run
#                        cgroup $CGROUP     kubelet's cgroupRoot, and the node's own processes
#                        directory $DIR     configuration, state, sockets, the namespaces' files
#   node.sh preflight  only the refusals (and the reclaim of dead runs); exits 1 with the reason
#   node.sh exec BIN [ARG...]   runs BIN inside the node (its cgroup, both namespaces); execs, so
#                      the caller's process id is BIN's
#   node.sh drain      stops and removes every pod sandbox through the CRI, so CNI DEL runs
#   node.sh teardown [ID]   removes this (or the recorded) run's names, and nothing else
#   node.sh check [ID] prints whatever the run left behind, one line each; exits 1 if anything
# Root only. From the environment: NODE_ID (the run), NODE_BIN, NODE_RECORDS (the directory of
# run records, under the cache), NODE_OWNER (the test JVM's process id).
set -uo pipefail
: "${NODE_ID:?}" "${NODE_RECORDS:?}"

POD_CIDR=10.88.0.0/16
SERVICE_CIDR=10.96.0.0/16
LINK_CIDR=10.87.255.0/30
HOST_ADDR=10.87.255.1
NODE_ADDR=10.87.255.2
# Paths that kubelet, libcni and containerd use whatever they are configured with; inside the
# node's mount namespace each is a bind of a directory of the run.
HARD_CODED=(/var/lib/kubelet /var/log/pods /var/log/containers /var/lib/cni /run/containerd/s)
# Kernel tunables kubelet sets at start (protectKernelDefaults: false); machine-wide, not per
# namespace: saved in the record before the start, restored by teardown.
KERNEL_TUNABLES=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops
  kernel.keys.root_maxkeys kernel.keys.root_maxbytes)

names() { # id: the run's names
  ID=$1
  DIR=/var/lib/django-operator-node-$ID
  CGROUP=django-operator-node-$ID
  LINK=djn-$ID
  RECORD=$NODE_RECORDS/$ID
}
names "$NODE_ID"

fail() { echo "[real-node] $*" >&2; exit 1; }
hierarchies() { # every cgroup hierarchy mounted under /sys/fs/cgroup (v1 controllers, unified)
  awk '$3 == "cgroup" || $3 == "cgroup2" {print $2}' /proc/self/mounts | grep '^/sys/fs/cgroup/'
}
alive() { # record: is the test JVM that made it still running (same pid and start time)?
  local owner started
  owner=$(sed -n 's/^owner=//p' "$1") started=$(sed -n 's/^started=//p' "$1")
  [ -n "$owner" ] && [ "$(awk '{print $22}' "/proc/$owner/stat" 2>/dev/null)" = "$started" ]
}
in_node() { nsenter --mount="$DIR/ns/mnt" --net="$DIR/ns/net" -- "$@"; }

preflight() {
  [ "$(id -u)" = 0 ] || fail "the real node needs root (uid 0), not uid $(id -u)"
  for controller in cpu cpuacct cpuset memory pids; do
    [ -d "/sys/fs/cgroup/$controller" ] \
      || fail "no cgroup v1 '$controller' hierarchy at /sys/fs/cgroup/$controller (the real node runs kubelet on cgroup v1)"
  done
  command -v nsenter >/dev/null && command -v unshare >/dev/null || fail "util-linux's nsenter and unshare are needed"
  mkdir -p "$NODE_RECORDS"
  reclaim
  for cidr in "$POD_CIDR" "$SERVICE_CIDR" "$LINK_CIDR"; do
    # Routes inside the range, or a non-default route containing it: another network (a foreign
    # cluster's pods or Services, a VPN) uses it, and the node cannot share it.
    local taken
    taken=$( { ip -4 route show root "$cidr"; ip -4 route show match "$cidr" | grep -v '^default'; } | sort -u)
    [ -z "$taken" ] || fail "$cidr is already routed on this machine (another cluster or network uses it): $taken"
  done
  # A kube-proxy of another cluster in the host's namespace would catch the tests' connections to
  # our Service IPs (kubeadm's default range contains ours). Read only: its rules are not ours.
  if command -v iptables >/dev/null; then
    local services
    services=$(iptables -w 5 -t nat -S KUBE-SERVICES 2>/dev/null | grep -E -- '-d 10\.96\.' | head -1)
    [ -z "$services" ] || fail "a kube-proxy on this machine serves Service IPs in $SERVICE_CIDR (another cluster): $services"
  fi
}

reclaim() { # runs recorded by a test JVM that is gone: theirs, by their names
  local record
  for record in "$NODE_RECORDS"/*; do
    [ -f "$record" ] || continue
    [ "$(basename "$record")" = "$ID" ] && continue
    if alive "$record"; then
      fail "another real node (run $(basename "$record"), test JVM $(sed -n 's/^owner=//p' "$record")) is running on this machine; one at a time"
    fi
    echo "[real-node] tearing down run $(basename "$record"), left by a test JVM that is gone" >&2
    NODE_ID=$(basename "$record") bash "${BASH_SOURCE[0]}" teardown
  done
}

case "${1:-}" in
  setup)
    : "${NODE_OWNER:?}"
    preflight
    # The record first: whatever is made next, a later start can find and remove it by name.
    printf 'owner=%s\nstarted=%s\n' "$NODE_OWNER" "$(awk '{print $22}' "/proc/$NODE_OWNER/stat")" > "$RECORD"
    for key in "${KERNEL_TUNABLES[@]}"; do echo "sysctl=$key=$(sysctl -n "$key")" >> "$RECORD"; done
    set -e
    mkdir -p "$DIR/ns"
    # The namespaces' files sit on a private mount of their own (unshare requires it).
    mount --bind "$DIR/ns" "$DIR/ns"
    mount --make-private "$DIR/ns"
    touch "$DIR/ns/net" "$DIR/ns/mnt"
    unshare --net="$DIR/ns/net" true
    unshare --mount="$DIR/ns/mnt" --propagation private true
    for path in "${HARD_CODED[@]}"; do
      if [ ! -e "$path" ]; then
        # A mount point needs a directory: the topmost one made is recorded, and removed (if
        # still empty) by teardown.
        top=$path
        while [ ! -e "$(dirname "$top")" ]; do top=$(dirname "$top"); done
        mkdir -p "$path"
        echo "made=$top" >> "$RECORD"
      fi
      mkdir -p "$DIR/host$path"
      nsenter --mount="$DIR/ns/mnt" -- mount --bind "$DIR/host$path" "$path"
    done
    # Made inside the node's network namespace, the host end moved out to this shell's.
    in_node ip link add eth0 type veth peer name "$LINK" netns "$$"
    ip addr add "$HOST_ADDR/30" dev "$LINK"
    ip link set "$LINK" up
    in_node ip link set lo up
    in_node ip addr add "$NODE_ADDR/30" dev eth0
    in_node ip link set eth0 up
    in_node ip route add default via "$HOST_ADDR"
    in_node sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
    ip route add "$POD_CIDR" via "$NODE_ADDR" dev "$LINK"
    ip route add "$SERVICE_CIDR" via "$NODE_ADDR" dev "$LINK"
    for hierarchy in $(hierarchies); do
      mkdir "$hierarchy/$CGROUP"
      if [ -f "$hierarchy/cpuset.cpus" ]; then # a new cpuset is empty until given its parent's
        cat "$hierarchy/cpuset.cpus" > "$hierarchy/$CGROUP/cpuset.cpus"
        cat "$hierarchy/cpuset.mems" > "$hierarchy/$CGROUP/cpuset.mems"
      fi
    done
    mkdir "/sys/fs/cgroup/pids/$CGROUP/node"
    ;;
  preflight)
    preflight
    ;;
  exec)
    shift
    echo $$ > "/sys/fs/cgroup/pids/$CGROUP/node/cgroup.procs"
    exec nsenter --mount="$DIR/ns/mnt" --net="$DIR/ns/net" -- "$@"
    ;;
  drain)
    : "${NODE_BIN:?}"
    crictl=("$NODE_BIN/crictl" --runtime-endpoint "unix://$DIR/run/containerd/containerd.sock" --timeout 20s)
    for pod in $("${crictl[@]}" pods -q 2>/dev/null); do
      "${crictl[@]}" stopp "$pod" >/dev/null 2>&1
      "${crictl[@]}" rmp -f "$pod" >/dev/null 2>&1
    done
    ;;
  teardown)
    [ -n "${2:-}" ] && names "$2"
    # Every process of the run is in its cgroup (the node's own under node/, pods under kubepods/).
    for attempt in $(seq 1 20); do
      pids=$(find "/sys/fs/cgroup/pids/$CGROUP" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u)
      [ -z "$pids" ] && break
      kill -KILL $pids 2>/dev/null
      sleep 0.5
    done
    # Unmounting the namespaces' files frees them once their last process is gone: every mount
    # the node made (rootfs overlays, volumes, the pods' network namespaces) and every interface
    # and iptables rule in its network namespace go with them.
    for mount in "$DIR/ns/mnt" "$DIR/ns/net" "$DIR/ns"; do
      mountpoint -q "$mount" 2>/dev/null && umount "$mount"
    done
    for hierarchy in $(hierarchies); do
      [ -d "$hierarchy/$CGROUP" ] && find "$hierarchy/$CGROUP" -depth -type d -exec rmdir {} + 2>/dev/null
    done
    ip link show "$LINK" >/dev/null 2>&1 && ip link del "$LINK"
    if [ -f "$RECORD" ]; then
      sed -n 's/^made=//p' "$RECORD" | while read -r made; do
        # Only what the run made, and only empty (the binds were in the node's namespace only).
        find "$made" -depth -type d -empty -delete 2>/dev/null
      done
      sed -n 's/^sysctl=//p' "$RECORD" | while read -r setting; do sysctl -q -w "$setting"; done
    fi
    case "$DIR" in /var/lib/django-operator-node-?*) rm -rf --one-file-system "$DIR" ;; esac
    rm -f "$RECORD"
    exit 0
    ;;
  check)
    [ -n "${2:-}" ] && names "$2"
    left=0
    say() { echo "$*"; left=1; }
    for pid in $(find "/sys/fs/cgroup/pids/$CGROUP" -name cgroup.procs -exec cat {} + 2>/dev/null); do
      say "process: $pid $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | cut -c1-80)"
    done
    for hierarchy in $(hierarchies); do
      [ -d "$hierarchy/$CGROUP" ] && say "cgroup: $hierarchy/$CGROUP"
    done
    awk -v d="$DIR" 'index($2, d) == 1 {print "mount: " $2}' /proc/self/mounts | grep . && left=1
    ip link show "$LINK" >/dev/null 2>&1 && say "link: $LINK"
    ip -4 route show | grep -F -e "$POD_CIDR" -e "$SERVICE_CIDR" -e "$LINK_CIDR" | grep -q . \
      && say "route: $(ip -4 route show | grep -F -e "$POD_CIDR" -e "$SERVICE_CIDR" -e "$LINK_CIDR" | head -1)"
    [ -e "$DIR" ] && say "path: $DIR"
    if [ -f "$RECORD" ]; then
      say "record: $RECORD"
      for setting in $(sed -n 's/^sysctl=//p' "$RECORD"); do
        [ "$(sysctl -n "${setting%%=*}")" = "${setting#*=}" ] || say "sysctl: ${setting%%=*} is $(sysctl -n "${setting%%=*}"), was ${setting#*=}"
      done
      for made in $(sed -n 's/^made=//p' "$RECORD"); do [ -e "$made" ] && say "path: $made"; done
    fi
    exit $left
    ;;
  *) echo "usage: node.sh setup|exec|drain|teardown|check" >&2; exit 2 ;;
esac
