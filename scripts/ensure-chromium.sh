#!/usr/bin/env bash
# Playwright drives Debian's Chromium (test tools may not download browsers here), in its headless-shell build: the
# same Chromium release as Debian's `chromium`, without the desktop browser's compositor and UI, about twice as fast
# on 2 cores (decision 068). Installs it with apt when it is missing.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium-headless-shell}"
if [[ -x "$CHROMIUM" ]]; then exit 0; fi
if [[ -n "${CHROMIUM_PATH:-}" ]]; then echo "CHROMIUM_PATH is $CHROMIUM_PATH, which is not an executable." >&2; exit 1; fi
echo "Chromium's headless shell not found at $CHROMIUM: installing Debian's chromium-headless-shell package…"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "Install it first (apt-get install -y chromium-headless-shell) or set CHROMIUM_PATH." >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium-headless-shell fonts-liberation >/dev/null
"$CHROMIUM" --version
