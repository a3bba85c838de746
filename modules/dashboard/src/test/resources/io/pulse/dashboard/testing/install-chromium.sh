#!/bin/sh
# Installs Debian's headless-capable Chromium and its matching chromedriver, which the dashboard's
# browser tests drive. Run by io.pulse.dashboard.testing.HeadlessChromium when /usr/bin/chromium or
# /usr/bin/chromedriver is missing; safe to run by hand. Needs root (apt-get).
set -eu
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "chromium and chromedriver already installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "chromium/chromedriver missing and not root: run as root:" >&2
  echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver" >&2
  exit 77
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
/usr/bin/chromium --version
/usr/bin/chromedriver --version
