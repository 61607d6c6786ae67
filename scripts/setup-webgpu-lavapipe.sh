#!/usr/bin/env bash
# Gives a CPU-only Debian 12 machine a WebGPU adapter for ONNX Runtime's WebGPU provider (Dawn):
# Mesa's lavapipe Vulkan driver from bookworm-backports (Mesa 22.3 from bookworm offers no adapter:
# it lacks a Vulkan feature Dawn requires). Optional: only the WebGPU parity test and benchmark use it.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then echo "run as root (apt-get)" >&2; exit 1; fi
list=/etc/apt/sources.list.d/bookworm-backports.sources
if [ ! -f "$list" ]; then
  cat > "$list" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
echo "lavapipe installed: $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
echo "set XDG_RUNTIME_DIR=/tmp to quiet the Vulkan loader"
