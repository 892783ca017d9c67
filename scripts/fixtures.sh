#!/usr/bin/env bash
# Builds the test images (busybox-static; a debootstrap minbase Debian with bash) as OCI layouts,
# cached by the hash of the scripts that make them, and pushes them to the test registry.
#   scripts/fixtures.sh 127.0.0.1:PORT
set -euo pipefail
cd "$(dirname "$0")/.."
REGISTRY=${1:?usage: $0 REGISTRY_ADDR}
CACHE=${TSPOD_FIXTURE_CACHE:-/var/cache/tspod-fixtures}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
for tool in skopeo node tar; do command -v "$tool" >/dev/null || { echo "$tool not found: sudo scripts/setup-host.sh --test-users" >&2; exit 1; }; done

key=$(cat scripts/fixtures.sh test/fixtures/oci-layout.mjs | sha256sum | cut -c1-16)
dir="$CACHE/$key"
mkdir -p "$CACHE"

build_busybox() {
  local out=$1 root
  [ -x /bin/busybox ] || { echo "busybox not found: sudo apt-get install busybox-static" >&2; exit 1; }
  root=$(mktemp -d)
  mkdir -p "$root"/{bin,etc,root,home,tmp,proc,sys,dev,var/www}
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nwww-data:x:33:\nnogroup:x:65534:\n' > "$root/etc/group"
  chmod 1777 "$root/tmp"
  tar --numeric-owner --sort=name --mtime=@0 -C "$root" -cf "$out.tar" .
  rm -rf "$root"
  node test/fixtures/oci-layout.mjs "$out.tar" "$out" '["sh"]' latest
  rm -f "$out.tar"
}

build_debian() {
  local out=$1 root
  command -v debootstrap >/dev/null || { echo "debootstrap not found: sudo apt-get install debootstrap" >&2; exit 1; }
  root=$(mktemp -d)
  debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$out.debootstrap.log" 2>&1 || { tail -20 "$out.debootstrap.log" >&2; exit 1; }
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log "$root"/dev/*
  tar --numeric-owner --sort=name -C "$root" -cf "$out.tar" .
  rm -rf "$root"
  node test/fixtures/oci-layout.mjs "$out.tar" "$out" '["bash"]' latest bookworm
  rm -f "$out.tar"
}

if [ ! -f "$dir/complete" ]; then
  echo "building fixture images into $dir (debootstrap takes a minute)" >&2
  tmp="$CACHE/.building-$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  build_busybox "$tmp/busybox"
  build_debian "$tmp/debian"
  touch "$tmp/complete"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  # Older cache entries were made by other versions of these scripts.
  find "$CACHE" -mindepth 1 -maxdepth 1 ! -name "$key" -exec rm -rf {} +
fi

push() {
  local layout=$1 tag=$2 name=$3
  skopeo copy --quiet --dest-tls-verify=false "oci:$layout:$tag" "docker://$REGISTRY/library/$name:$tag" >&2
  echo "pushed $REGISTRY/library/$name:$tag"
}
push "$dir/busybox" latest busybox
push "$dir/debian" latest debian
push "$dir/debian" bookworm debian
