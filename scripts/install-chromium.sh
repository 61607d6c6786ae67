#!/usr/bin/env bash
# Installs Debian's chromium for the browser app's end-to-end tests (test/web/*.test.ts drive it
# headless through playwright-core, which downloads no browser of its own). Idempotent: does nothing
# when /usr/bin/chromium is there. Run by .ci/run before `npm test`.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "install-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-chromium: chromium is missing and installing it needs root." >&2
  echo "  Run: sudo $0   (or: sudo apt-get update && sudo apt-get install -y chromium)" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: apt-get not found; install chromium so that /usr/bin/chromium exists." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y chromium

echo "install-chromium: installed $(/usr/bin/chromium --version 2>/dev/null)"
