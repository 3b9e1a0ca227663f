#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
# It installs netcook from the copy in this zip (source/netcook).
#
# netcook is built and supported on Debian 12 (bookworm): its Python 3.11,
# OpenImageIO 2.4, Highway and bubblewrap 0.8. On a Debian 12 image the
# Makefile installs what it needs with apt-get. On Gradescope's Ubuntu
# images, whose Python and libraries differ, a Debian 12 root is made with
# debootstrap under /opt/netcook-bookworm and netcook is built inside it;
# run_autograder then runs it there through chroot.
set -euo pipefail
SOURCE=${AUTOGRADER_ROOT:-/autograder}/source
ROOTFS=${NETCOOK_ROOTFS:-/opt/netcook-bookworm}
. /etc/os-release

if [ "${ID:-}" = debian ] && [ "${VERSION_ID:-}" = 12 ]; then
  apt-get update
  apt-get install -y --no-install-recommends make git
  make -C "$SOURCE/netcook" deps build install
  exit 0
fi

apt-get update
apt-get install -y --no-install-recommends debootstrap ca-certificates
if [ ! -x "$ROOTFS/usr/bin/apt-get" ]; then
  debootstrap --variant=minbase bookworm "$ROOTFS" http://deb.debian.org/debian
fi
mkdir -p "$ROOTFS/autograder/source"
cp -a "$SOURCE/netcook" "$ROOTFS/autograder/source/"
mount --bind /proc "$ROOTFS/proc"
trap 'umount "$ROOTFS/proc"' EXIT
chroot "$ROOTFS" /bin/sh -c 'apt-get update && apt-get install -y --no-install-recommends make git ca-certificates &&
  make -C /autograder/source/netcook deps build install'
