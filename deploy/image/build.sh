#!/usr/bin/env bash
# Builds the operator's container image without Docker or a registry (root and debootstrap):
#   ./mvnw -Pimage package         (or: ./mvnw package -DskipTests && bash deploy/image/build.sh)
# Writes target/image/django-operator-<tag>.tar, one archive that docker load, podman load,
# ctr images import, skopeo copy (oci-archive: or docker-archive:) and crane push all read
# (deploy/image/pack.py). README, "Install", says how to push it and point the chart at it.
#
# The image: Debian trixie (debootstrap minbase) with Debian's openjdk-25-jre-headless, the jar and
# its libs in /app, owned by root and read-only to the numeric non-root user 65532 it runs as,
# and the JDK's ahead-of-time cache (/app/operator.aot) from the cluster-less training run
# (dev.operators.django.AotTraining). Nothing is written to the root file system at run time:
# the JVM's temporary files go to /tmp, an emptyDir in deploy/ and the chart.
#
# Options (environment): IMAGE (default ghcr.io/django-operator/django-operator:<the chart's
# appVersion>), DEBIAN_MIRROR. The Debian base (about a minute of debootstrap) is cached in
# ~/.cache/django-operator/image, keyed by the suite and packages. Prints the archive's path.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
DEBIAN_SUITE=trixie
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PACKAGES=openjdk-25-jre-headless
JAVA=/usr/lib/jvm/java-25-openjdk-amd64/bin/java
# The operator's user: numeric, so that the kubelet can check runAsNonRoot against it.
USER_ID=65532
app_version=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$repo/helm/django-operator/Chart.yaml")
IMAGE=${IMAGE:-ghcr.io/django-operator/django-operator:$app_version}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/django-operator/image
log() { echo "[image] $*" >&2; }

jar="$repo/target/django-operator.jar"
[ -f "$jar" ] && [ -d "$repo/target/lib" ] \
  || { log "no target/django-operator.jar: run ./mvnw package -DskipTests first"; exit 1; }
[ "$(id -u)" = 0 ] || { log "needs root (debootstrap and chroot)"; exit 1; }
if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2
fi

mkdir -p "$cache" "$repo/target/image"
base="$cache/base-$DEBIAN_SUITE-$(echo "$PACKAGES" | sha256sum | cut -c1-10).tar"
work=$(mktemp -d)
rootfs="$work/rootfs"
cleanup() {
  mountpoint -q "$rootfs/proc" && umount "$rootfs/proc"
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -f "$base" ]; then
  log "debootstrap $DEBIAN_SUITE with $PACKAGES (a minute or two; cached in $cache)"
  debootstrap --variant=minbase --include="$PACKAGES" "$DEBIAN_SUITE" "$rootfs" "$DEBIAN_MIRROR" \
    > "$work/debootstrap.log" 2>&1 || { cat "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*
  tar -C "$rootfs" --numeric-owner -cf "$base.tmp" . && mv "$base.tmp" "$base"
  rm -rf "$rootfs"
fi
mkdir "$rootfs"
tar -C "$rootfs" --numeric-owner -xf "$base"

# The JDK's default CDS archives for compact object headers and for heaps over 32 GB: never used
# here (the AOT cache replaces the default one), 48 MB.
rm -f "$rootfs"/usr/lib/jvm/java-25-openjdk-amd64/lib/server/classes_{coh,nocoops,nocoops_coh}.jsa
echo "operator:x:$USER_ID:$USER_ID::/nonexistent:/usr/sbin/nologin" >> "$rootfs/etc/passwd"
# The JDK's default CDS archives for compact object headers and for heaps over 32 GB: never used
# here (the AOT cache replaces the default one), 48 MB.
rm -f "$rootfs"/usr/lib/jvm/java-25-openjdk-amd64/lib/server/classes_{coh,nocoops,nocoops_coh}.jsa
echo "operator:x:$USER_ID:" >> "$rootfs/etc/group"
mkdir -p "$rootfs/app/lib"
cp "$jar" "$rootfs/app/django-operator.jar"
cp "$repo"/target/lib/*.jar "$rootfs/app/lib/"
chmod -R a+rX,go-w "$rootfs/app"
# The AOT cache records each jar's modification time and refuses to run with a changed one; the
# archive stores every time as 0 (reproducible), so the jars get that time before training.
find "$rootfs/app" -exec touch -h -d @0 {} +

# The training run, in the image's own JVM: with the heap and the serial collector the JVM picks
# in the chart's 512Mi container (a cache made with another heap size, compressed oops off, is
# refused). A JVM that cannot use the cache warns and starts without it.
mount -t proc proc "$rootfs/proc"
chroot "$rootfs" "$JAVA" -Xmx384m -XX:+UseSerialGC -XX:AOTCacheOutput=/app/operator.aot \
  -cp /app/django-operator.jar dev.operators.django.AotTraining > "$work/training.log" 2>&1 \
  || { cat "$work/training.log" >&2; exit 1; }
umount "$rootfs/proc"
chmod 644 "$rootfs/app/operator.aot"
touch -h -d @0 "$rootfs/app/operator.aot" "$rootfs/app"
rm -f "$rootfs"/tmp/* "$rootfs"/app/*.log 2>/dev/null || true

# C1 only: with 1,000 apps converging, C2's compilations were most of the operator's CPU (README,
# "Benchmark"); the heap is three quarters of the container's memory.
cat > "$work/config.json" <<EOF
{
  "User": "$USER_ID:$USER_ID",
  "WorkingDir": "/app",
  "Env": [
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75 -XX:TieredStopAtLevel=1"
  ],
  "Entrypoint": ["$JAVA", "-XX:AOTCache=/app/operator.aot", "-jar", "/app/django-operator.jar"],
  "ExposedPorts": {"8080/tcp": {}},
  "Labels": {
    "org.opencontainers.image.title": "django-operator",
    "org.opencontainers.image.version": "${IMAGE##*:}",
    "org.opencontainers.image.licenses": "Apache-2.0"
  }
}
EOF
out="$repo/target/image/django-operator-${IMAGE##*:}.tar"
digest=$(python3 "$here/pack.py" "$rootfs" "$out.tmp" "$IMAGE" "$work/config.json")
mv "$out.tmp" "$out"
log "$IMAGE ($digest), $(du -h "$out" | cut -f1)"
echo "$out"
