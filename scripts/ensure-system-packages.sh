#!/bin/sh
# The system packages `pnpm test` needs besides Node: Redis (`redis-server`, for the scale-out tests) and a
# Chromium (for the browser test of the dev phone). On Debian or Ubuntu it installs what is missing when it may
# (as root, or with passwordless sudo); otherwise it stops at once and prints the command to run.
#
# A Chromium elsewhere on the machine is used when it is on PATH (chromium, chromium-browser, google-chrome,
# google-chrome-stable) or named by SWITCHBOARD_CHROMIUM=/path/to/chrome.
set -eu

has() { command -v "$1" >/dev/null 2>&1; }

has_chromium() {
  if [ -n "${SWITCHBOARD_CHROMIUM:-}" ]; then
    [ -x "$SWITCHBOARD_CHROMIUM" ] && return 0
    echo "SWITCHBOARD_CHROMIUM=$SWITCHBOARD_CHROMIUM is not an executable file" >&2
    exit 1
  fi
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    has "$name" && return 0
  done
  return 1
}

missing=''
has redis-server || missing="$missing redis-server"
chromium_package=''
if ! has_chromium; then
  # Debian calls the package chromium; Ubuntu's apt has only chromium-browser.
  chromium_package=chromium
  if has apt-cache && ! apt-cache show chromium >/dev/null 2>&1 && apt-cache show chromium-browser >/dev/null 2>&1; then
    chromium_package=chromium-browser
  fi
  missing="$missing $chromium_package"
fi
[ -z "$missing" ] && exit 0

missing=${missing# }
command_line="apt-get update && apt-get install -y --no-install-recommends $missing"
if ! has apt-get; then
  echo "pnpm test needs these system packages, and this machine has no apt-get: $missing" >&2
  echo "Install them with your package manager (or set SWITCHBOARD_CHROMIUM to a Chrome or Chromium binary)," >&2
  echo "then run the test command again." >&2
  exit 1
fi

if [ "$(id -u)" = 0 ]; then
  as_root=''
elif has sudo && sudo -n true 2>/dev/null; then
  as_root='sudo'
else
  echo "pnpm test needs these system packages: $missing" >&2
  echo "Install them, then run the test command again:" >&2
  echo "" >&2
  echo "  sudo sh -c '$command_line'" >&2
  echo "" >&2
  exit 1
fi

echo "Installing the system packages pnpm test needs: $missing"
$as_root apt-get update -qq
# shellcheck disable=SC2086 # one word per package
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
has redis-server || { echo "redis-server is still missing after apt-get install" >&2; exit 1; }
has_chromium || { echo "Chromium is still missing after apt-get install" >&2; exit 1; }
