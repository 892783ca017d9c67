#!/usr/bin/env bash
# Builds the test images (busybox-static; debootstrap minbase Debian with bash) as OCI layouts, cached by the
# hash of the scripts that make them so debootstrap runs once per machine, and pushes them to the test registry.
#   scripts/fixtures.sh 127.0.0.1:PORT     (stdout: one line per pushed image; progress goes to stderr)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REGISTRY=${1:?usage: $0 REGISTRY_ADDR (e.g. 127.0.0.1:5000)}
CACHE=${TSPOD_FIXTURE_CACHE:-/var/cache/tspod-fixtures}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
BUSYBOX=/bin/busybox

die() { echo "fixtures.sh: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || die "$1 not found: apt-get install $2 (or: sudo scripts/setup-host.sh --test-users)"; }
need skopeo skopeo
need node nodejs
need tar tar
need flock util-linux

key=$(cat "$ROOT/scripts/fixtures.sh" "$ROOT/test/fixtures/oci-layout.mjs" | sha256sum | cut -c1-16)
dir=$CACHE/$key
mkdir -p "$CACHE"

# Removes a staging tree that debootstrap may have left mounts in (proc, sys, or a bind-mounted /dev in lxc):
# unmount them first, and never let rm cross into another file system.
remove_tree() {
  [ -e "$1" ] || return 0
  awk -v p="$1/" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf --one-file-system "$1"
}

# tar a staged root file system: numeric owners as staged (root), sorted and, where asked, with fixed mtimes,
# so the same input gives the same layer digest.
tar_rootfs() { tar --numeric-owner --sort=name "${@:3}" -C "$1" -cf "$2" .; }

build_busybox() {
  local out=$1 root=$1-rootfs path
  [ -x "$BUSYBOX" ] || die "$BUSYBOX not found: apt-get install busybox-static"
  # A dynamically linked busybox (package busybox) would not run in a rootfs without libc.
  ! ldd "$BUSYBOX" >/dev/null 2>&1 || die "$BUSYBOX is dynamically linked: apt-get install busybox-static"
  mkdir -m 0755 "$root"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,home,tmp,proc,sys,dev,var/www}
  cp "$BUSYBOX" "$root/bin/busybox"
  # What `busybox --install -s` makes, without running it against the host: an absolute symlink per applet
  # at its standard place (bin/sh, usr/bin/env, sbin/ifconfig, ...).
  for path in $("$BUSYBOX" --list-full); do
    case $path in */*) [ "$path" = bin/busybox ] || ln -s /bin/busybox "$root/$path" ;; esac
  done
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'www-data:x:33:33:www-data:/var/www:/bin/false' \
    'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'www-data:x:33:' 'nogroup:x:65534:' >"$root/etc/group"
  chmod 0700 "$root/root"
  chmod 1777 "$root/tmp"
  tar_rootfs "$root" "$out.tar" --mtime=@0
  remove_tree "$root"
  node "$ROOT/test/fixtures/oci-layout.mjs" "$out.tar" "$out" '["sh"]' latest
  rm -f "$out.tar"
}

build_debian() {
  local out=$1 root=$1-rootfs
  need debootstrap debootstrap
  mkdir -m 0755 "$root"
  echo "fixtures.sh: debootstrap --variant=minbase bookworm from $MIRROR (a few minutes)" >&2
  debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$out.debootstrap.log" 2>&1 ||
    { tail -20 "$out.debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  [ -x "$root/bin/bash" ] || die "debootstrap made no /bin/bash"
  # Package lists, caches and logs are big and useless in an image; device nodes cannot be made by an
  # unprivileged extractor; resolv.conf and hostname are the build host's (an engine mounts its own).
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
    "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old "$root"/var/log/*.log "$root"/var/log/apt/* \
    "$root"/dev/*
  : >"$root/etc/resolv.conf"
  : >"$root/etc/hostname"
  tar_rootfs "$root" "$out.tar"
  remove_tree "$root"
  node "$ROOT/test/fixtures/oci-layout.mjs" "$out.tar" "$out" '["bash"]' latest bookworm
  rm -f "$out.tar" "$out.debootstrap.log"
}

# One build at a time per cache (CI and a developer's shell may both run this).
exec 9>"$CACHE/.lock"
flock 9
if [ ! -f "$dir/complete" ]; then
  echo "fixtures.sh: building fixture images into $dir" >&2
  start=$SECONDS
  # Built beside the cache entry and renamed into place only when whole: a half-built one never looks valid.
  tmp=$(mktemp -d "$CACHE/.building-XXXXXX")
  chmod 0755 "$tmp" # mktemp makes it 0700; the unprivileged test user may read the layouts
  trap 'remove_tree "$tmp"' EXIT
  build_busybox "$tmp/busybox"
  build_debian "$tmp/debian"
  for tag in busybox:latest debian:latest debian:bookworm; do
    skopeo inspect "oci:$tmp/${tag%%:*}:${tag#*:}" >/dev/null || die "skopeo cannot read the $tag layout it was given"
  done
  touch "$tmp/complete"
  remove_tree "$dir"
  mv "$tmp" "$dir"
  trap - EXIT
  # Entries made by other versions of these scripts, and builds that were killed, are of no further use.
  for old in "$CACHE"/* "$CACHE"/.building-*; do [ "$old" = "$dir" ] || remove_tree "$old"; done
  echo "fixtures.sh: built in $((SECONDS - start)) s" >&2
else
  echo "fixtures.sh: using cached images in $dir" >&2
fi

push() {
  local name=$1 tag=$2 digestfile digest
  digestfile=$(mktemp)
  skopeo copy --quiet --dest-tls-verify=false --digestfile "$digestfile" \
    "oci:$dir/$name:$tag" "docker://$REGISTRY/library/$name:$tag" >&2 ||
    die "pushing library/$name:$tag to $REGISTRY failed"
  digest=$(cat "$digestfile")
  rm -f "$digestfile"
  echo "pushed $REGISTRY/library/$name:$tag $digest"
}
push busybox latest
push debian latest
push debian bookworm
