#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages lvvdesk's tests and app need, only when missing.
# Usage: scripts/install-system-deps.sh [test|run]
set -euo pipefail
mode=${1:-test}

# Qt offscreen/xcb runtime libraries, fonts, and tools the tests use (pdftoppm, pdftotext,
# minisign, age and unzip to check packages with the standard tools; a C compiler to build
# the failing file layer of the disk-error tests).
common=(libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core)
test_pkgs=(poppler-utils minisign age unzip gcc libc6-dev)
run_pkgs=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
          libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0)

case "$mode" in
  test) wanted=("${common[@]}" "${test_pkgs[@]}") ;;
  run) wanted=("${common[@]}" "${run_pkgs[@]}") ;;
  *) echo "usage: $0 [test|run]" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian-based system: install the equivalents of: ${wanted[*]}" >&2
  exit 0
fi

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "Please install as root: apt-get install ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
