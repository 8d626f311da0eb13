#!/usr/bin/env bash
# A Python virtual environment with the pinned packages of requirements.txt, in a cache directory
# outside the repo, named after a hash of this folder's inputs: created once, reused after.
# Prints the environment's python as its last line.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v python3 >/dev/null || { echo "[python] python3 (3.9 or newer) is required" >&2; exit 1; }
inputs=$(cat "$here/requirements.txt" "$here/venv.sh" | sha256sum | cut -c1-10)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/django-operator/python
venv="$cache/venv-$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')-$inputs"
# Created in place (its scripts name their interpreter by absolute path); complete once marked.
# One creator at a time: two builds on one machine would remove each other's files.
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ ! -f "$venv/.complete" ]; then
  echo "[python] creating $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$here/requirements.txt" >&2
  touch "$venv/.complete"
fi
echo "$venv/bin/python"
