#!/usr/bin/env bash
# Installs the system tools impulse-kit's tests and device measurements use (Debian/Ubuntu).
# Idempotent: installs only what is missing. Called by .ci/run; run it yourself as root (or
# with sudo) on a fresh machine. Each package is listed with what needs it.
set -euo pipefail

PACKAGES=(
  gcc              # host build of generated C code and C oracle programs
  make
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (${PACKAGES[*]})"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system packages missing: ${missing[*]} — install them with your package manager" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
