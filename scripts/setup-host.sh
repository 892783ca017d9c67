#!/usr/bin/env bash
# Prepares a Debian/Ubuntu host for rootless tspod (run as root): installs the packages tspod and its
# tests use, opens /dev/fuse and /dev/net/tun as most distributions ship them, and gives users subuids.
#   sudo scripts/setup-host.sh                 set up the host for $SUDO_USER
#   sudo scripts/setup-host.sh --test-users    also create the unprivileged test users (CI)
set -euo pipefail

TEST_USER=${TSPOD_TEST_USER:-tspodtest}
NOSUB_USER=${TSPOD_NOSUB_USER:-tspodnosub}
NORUN_USER=${TSPOD_NORUN_USER:-tspodnorun}
# iptables: the rules of user-defined networks inside their rootless network namespace.
# bzip2 and xz-utils: build's ADD unpacks bzip2 and xz tars through them.
PACKAGES=(uidmap fuse-overlayfs fuse3 slirp4netns passt runc crun catatonit util-linux iproute2 iptables curl ca-certificates bzip2 xz-utils)
# podman is installed only as the other party of the interop tests (save/load, push/pull) and the
# benchmarks; tspod never calls it.
# zsh and fish: the completion tests drive the real shells with the scripts `tspod completion` prints.
# podman build is the reference the build corpus compares every case with (test/integration/build-corpus.test.ts).
TEST_PACKAGES=(docker-registry skopeo umoci busybox-static debootstrap tmux procps jq attr apache2-utils openssl podman zsh fish strace podman-compose)
# The API service's real clients (test/integration/api-*.test.ts): docker-compose 1.29 from Debian, and
# Docker's CLI from Debian's docker.io only when no docker client is on PATH already (a newer one, as
# Docker's own packages install it, is kept; docker.io's daemon is not wanted and is stopped below).
TEST_PACKAGES+=(docker-compose)
# systemd-socket-activate (package systemd): the API tests start the service as systemd would, by LISTEN_FDS.
TEST_PACKAGES+=(systemd)
want_docker_io=false
command -v docker >/dev/null 2>&1 || want_docker_io=true

want_test_users=false
for arg in "$@"; do
  case "$arg" in
    --test-users) want_test_users=true ;;
    *) echo "usage: $0 [--test-users]" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-host.sh must run as root: sudo $0 $*" >&2
  exit 1
fi

pkgs=("${PACKAGES[@]}")
$want_test_users && pkgs+=("${TEST_PACKAGES[@]}")
$want_test_users && $want_docker_io && pkgs+=(docker.io)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# docker.io brings dockerd and containerd and starts them where systemd runs: the tests want only the
# client, and a root daemon on /var/run/docker.sock would answer a test that lost its DOCKER_HOST.
if $want_test_users && $want_docker_io && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl disable --now docker.socket docker.service containerd.service >/dev/null 2>&1 || true
fi

# Debian ships these 0600 on some hosts; rootless fuse-overlayfs, slirp4netns and pasta need them 0666.
for dev in /dev/fuse /dev/net/tun; do
  [ -e "$dev" ] && chmod 0666 "$dev"
done

# Gives a user 65536 subordinate IDs after the highest range in use, if it has none.
ensure_subids() {
  local user=$1 file top
  for file in /etc/subuid /etc/subgid; do
    touch "$file"
    if ! grep -q "^${user}:" "$file"; then
      top=$(awk -F: 'BEGIN{m=100000} {e=$2+$3; if (e>m) m=e} END{print m}' /etc/subuid /etc/subgid)
      if [ "$file" = /etc/subuid ]; then usermod --add-subuids "${top}-$((top + 65535))" "$user"; else usermod --add-subgids "${top}-$((top + 65535))" "$user"; fi
    fi
  done
}

# A private XDG_RUNTIME_DIR as pam_systemd would make it.
ensure_runtime_dir() {
  local user=$1 uid
  uid=$(id -u "$user")
  install -d -m 0700 -o "$user" -g "$(id -g "$user")" "/run/user/$uid"
}

if [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
  ensure_subids "$SUDO_USER"
  ensure_runtime_dir "$SUDO_USER"
fi

if $want_test_users; then
  id "$TEST_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$TEST_USER"
  ensure_subids "$TEST_USER"
  ensure_runtime_dir "$TEST_USER"
  # A user with no subordinate IDs at all, for the tests of tspod's error messages.
  id "$NOSUB_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$NOSUB_USER"
  sed -i "/^${NOSUB_USER}:/d" /etc/subuid /etc/subgid
  ensure_runtime_dir "$NOSUB_USER"
  # A user with subuids but no /run/user/UID (no login session): where its runtime files go
  # without XDG_RUNTIME_DIR, and who may own that directory, is tested with it.
  id "$NORUN_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$NORUN_USER"
  ensure_subids "$NORUN_USER"
  rm -rf "/run/user/$(id -u "$NORUN_USER")"
fi
echo "host ready: $(command -v runc) $(command -v newuidmap) $(command -v fuse-overlayfs)" >&2
