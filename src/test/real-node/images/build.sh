#!/usr/bin/env bash
# Builds the test node's images without Docker or a registry, into a cache directory outside the
# repo, as OCI image tars that `ctr images import` loads:
#   registry.test/pause:3.10         the pods' sandbox (pause/, a static Go program of ours)
#   registry.test/djangotest:v1      the test Django app (../app) on Debian bookworm's python3,
#   registry.test/djangotest:v2        with the pinned packages of requirements.txt; v2 has one
#                                      more migration; numeric non-root user 1000
#   registry.test/djangotest:v1-root the v1 app running as root, like the tutorial's image
# Needs root and debootstrap (the rootfs comes from Debian's archive). Idempotent: the directory
# is named after a hash of the inputs. Prints the directory as its last line.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
app="$here/../app"
DEBIAN_SUITE=bookworm
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
inputs=$( (cd "$here/.." && find images app -type f -not -name '*.pyc' | LC_ALL=C sort \
  | xargs cat) | sha256sum | cut -c1-10)
cache=${DJANGO_OPERATOR_REAL_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/django-operator/real-node}
out="$cache/images-$inputs"
mkdir -p "$out"
# One builder at a time per output directory (see ../../control-plane/build.sh).
exec 9>"$out/.lock"
flock 9
log() { echo "[real-node images] $*" >&2; }

if [ ! -f "$out/pause.tar" ]; then
  work=$(mktemp -d)
  (cd "$here/pause" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/rootfs/pause" .)
  python3 "$here/mkimage.py" "$work/rootfs" "$out/pause.tar.tmp" registry.test/pause:3.10 \
    65535:65535 / /pause
  mv "$out/pause.tar.tmp" "$out/pause.tar"
  rm -rf "$work"
fi

if [ ! -f "$out/djangotest-v2.tar" ] || [ ! -f "$out/djangotest-v1.tar" ] \
    || [ ! -f "$out/djangotest-v1-root.tar" ]; then
  command -v debootstrap >/dev/null || { log "debootstrap is required (apt-get install debootstrap)"; exit 1; }
  start=$SECONDS
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  rootfs="$work/rootfs"
  log "debootstrap $DEBIAN_SUITE (about a minute)"
  debootstrap --variant=minbase --include=python3,python3-psycopg2 "$DEBIAN_SUITE" "$rootfs" \
    "$DEBIAN_MIRROR" > "$work/debootstrap.log" 2>&1 || { cat "$work/debootstrap.log" >&2; exit 1; }
  site="$rootfs/usr/local/lib/python3.11/dist-packages"
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$site" \
    --python-version 3.11 --platform manylinux2014_x86_64 --only-binary=:all: \
    -r "$here/requirements.txt"
  mkdir -p "$rootfs/usr/local/bin"
  for script in "$site"/bin/*; do
    [ -f "$script" ] || continue
    sed '1s|^#!.*python.*$|#!/usr/bin/python3|' "$script" > "$rootfs/usr/local/bin/$(basename "$script")"
    chmod 755 "$rootfs/usr/local/bin/$(basename "$script")"
  done
  rm -rf "$site/bin"
  # The tutorial's image (python:3) has `python`; the Jobs run `python manage.py ...`.
  ln -sf /usr/bin/python3 "$rootfs/usr/local/bin/python"
  rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
  echo "app:x:1000:1000::/app:/usr/sbin/nologin" >> "$rootfs/etc/passwd"
  echo "app:x:1000:" >> "$rootfs/etc/group"
  for version in 1 2; do
    rm -rf "$rootfs/app" && cp -r "$app" "$rootfs/app"
    find "$rootfs/app" -name __pycache__ -prune -exec rm -rf {} +
    echo "VERSION = $version" > "$rootfs/app/polls/version.py"
    [ "$version" = 2 ] || rm "$rootfs/app/polls/migrations/0002_choice.py"
    chown -R 1000:1000 "$rootfs/app"
    cmd=(gunicorn --bind 0.0.0.0:8000 --workers 2 --access-logfile - mysite.wsgi)
    python3 "$here/mkimage.py" "$rootfs" "$out/djangotest-v$version.tar.tmp" \
      "registry.test/djangotest:v$version" 1000:1000 /app "${cmd[@]}"
    mv "$out/djangotest-v$version.tar.tmp" "$out/djangotest-v$version.tar"
    if [ "$version" = 1 ]; then
      python3 "$here/mkimage.py" "$rootfs" "$out/djangotest-v1-root.tar.tmp" \
        registry.test/djangotest:v1-root 0:0 /app "${cmd[@]}"
      mv "$out/djangotest-v1-root.tar.tmp" "$out/djangotest-v1-root.tar"
    fi
  done
  log "built the Django images in $((SECONDS - start))s ($(du -sh "$rootfs" | cut -f1) rootfs)"
fi
echo "$out"
