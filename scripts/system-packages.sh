#!/usr/bin/env bash
# The Debian packages the tests need and pip/npm cannot give: Chromium for the extension's end-to-end tests
# (never a browser download), redis-server for the shared-cache tests, Node.js for the extension build, wrk for
# `make bench`.
# Installs what is missing when it can (root with apt-get); otherwise says what to install.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v npm >/dev/null || missing+=(nodejs npm)
command -v wrk >/dev/null || missing+=(wrk)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Install these Debian packages first: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
