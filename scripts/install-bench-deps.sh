#!/usr/bin/env bash
# Optional: what `npm run bench` compares against (Debian/Ubuntu). bench/train.ts measures the
# same networks in PyTorch (1 thread) beside TF.js when python3-torch is installed; without
# it that column is left out with a note. Not needed by the tests.
set -euo pipefail
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "python3-torch: present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-torch python3-numpy
