#!/usr/bin/env bash
# Installs the system tools impulse-kit's tests and device measurements use (Debian/Ubuntu).
# Idempotent: installs only what is missing. Called by .ci/run; run it yourself as root (or
# with sudo) on a fresh machine. Each package is listed with what needs it.
set -euo pipefail

PACKAGES=(
  gcc                        # host build of generated C code and C oracle programs
  make
  python3-numpy              # ArmNN oracle (test/oracles/armnn_run.py): sample data in and out
  python3-pyarmnn            # ArmNN oracle: second TFLite runtime for exported .tflite files
  libarmnntfliteparser22     # ArmNN oracle: reads .tflite files (ITfLiteParser)
  libarmnn-cpuref-backend22  # ArmNN oracle: the CpuRef (reference kernels) backend it runs on
  clang                      # generated C SDK: second host compiler (-Werror), sanitizers
  libclang-rt-14-dev         # clang's ASan/UBSan runtimes
  gcc-arm-none-eabi          # generated C SDK for Cortex-M (cpp target compile check, device measurements)
  libnewlib-arm-none-eabi    # C library for the Cortex-M builds (semihosting: rdimon)
  binutils-arm-none-eabi     # arm-none-eabi-size / nm: flash and RAM of the linked firmware
  qemu-system-arm            # runs the Cortex-M4 firmware (mps2-an386) to measure instructions
  cmake                      # the generated SDK's CMakeLists.txt is built in the tests
  chromium                   # the HTML report is opened in headless Chromium in the tests
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
