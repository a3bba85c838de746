#!/bin/sh
# Installs what the container tests run on: Debian's podman with the runc runtime, podman-compose, and busybox-static
# (the shell of the test-only stand-in images). Run by io.pulse.deployment.container.Podman when any of them is
# missing or not set up; safe to run by hand, and quick when everything is in place. Needs root (apt-get,
# /etc/containers). Exit 77: something is missing and cannot be installed here (not root, or no apt-get).
set -eu
CONF=/etc/containers/containers.conf.d/50-pulse-tests.conf
PACKAGES="podman runc podman-compose busybox-static"

installed() {
  [ -x /usr/bin/podman ] && [ -x /usr/sbin/runc ] && [ -x /usr/bin/podman-compose ] && [ -x /bin/busybox ]
}

if installed && [ -f "$CONF" ]; then
  echo "podman, runc, podman-compose and busybox-static already installed; $CONF in place"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "podman, runc, podman-compose or busybox-static missing, or $CONF not written, and this is not a Debian" >&2
  echo "machine where this script is root (uid $(id -u)). As root on Debian:" >&2
  echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $PACKAGES" >&2
  echo "  and write $CONF as this script does" >&2
  exit 77
fi
if ! installed; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $PACKAGES \
    netavark aardvark-dns iptables uidmap slirp4netns fuse-overlayfs catatonit
fi
mkdir -p "$(dirname "$CONF")"
# A drop-in, so the machine's own containers.conf stays as it was.
# - default_ulimits: podman raises the open-files and process limits of every container by default, which a
#   container host that is itself a container may not permit ("error setting rlimit ... operation not permitted");
#   an empty list makes containers inherit the limits podman runs with.
# - runtime: runc. Debian's default crun refuses hosts with hybrid (v1 + v2) cgroups; runc runs there.
cat > "$CONF" <<'CONF'
[containers]
default_ulimits = []

[engine]
runtime = "runc"
CONF
podman --version
podman info --format 'runtime {{.Host.OCIRuntime.Name}}, network {{.Host.NetworkBackend}}, storage {{.Store.GraphDriverName}}'
