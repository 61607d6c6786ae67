#!/usr/bin/env bash
# Installs Debian's CPU PyTorch (python3-torch) for the optional PyTorch reference scripts in
# bench/torch/. PyTorch is never a dependency of deep-prior itself; it only produces test fixtures
# and benchmark baselines. Idempotent: does nothing when /usr/bin/python3 can already import torch.
#
# Note: use /usr/bin/python3 to run the scripts. A pyenv/venv `python3` earlier on PATH cannot see
# Debian's dist-packages.
set -euo pipefail

PY=/usr/bin/python3

if [ ! -x "$PY" ]; then
  echo "install-torch: $PY not found (this script targets Debian/Ubuntu's system Python)." >&2
  exit 1
fi

if "$PY" -c 'import torch, numpy, PIL' >/dev/null 2>&1; then
  echo "install-torch: torch already importable: $("$PY" -c 'import torch; print(torch.__version__)')"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-torch: PyTorch is missing and installing it needs root." >&2
  echo "  Run: sudo $0" >&2
  echo "  (or: sudo apt-get update && sudo apt-get install -y python3-torch python3-numpy python3-pil)" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-torch: apt-get not found; install PyTorch, NumPy and Pillow for $PY by other means." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y python3-torch python3-numpy python3-pil

"$PY" -c 'import torch; print("install-torch: installed torch", torch.__version__)'
