#!/usr/bin/env bash
# Installs Debian's redis-server (the queue worker tests start their own throwaway instance of it,
# test/setup/redis.ts). Does nothing when it is already installed.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
SUDO=''
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq redis-server >/dev/null
command -v redis-server
