#!/usr/bin/env bash
# Runs Debian's real distribution registry (docker-registry) on a free 127.0.0.1 port with fresh storage,
# so the integration tests pull images over the real registry API.  usage: scripts/registry.sh start|port|stop
set -euo pipefail
STATE=${TSPOD_TEST_STATE:-/var/tmp/tspod-test}/registry
BIN=${DOCKER_REGISTRY:-/usr/bin/docker-registry}

# The pid in $STATE/pid, only if that process is alive and really is the registry (not a reused pid).
registry_pid() {
  local p
  p=$(cat "$STATE/pid" 2>/dev/null) || return 1
  [ -n "$p" ] && [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$(readlink -f "$BIN")" ] && echo "$p"
}
answering() { curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$1/v2/" 2>/dev/null; }
running() { registry_pid >/dev/null && [ -s "$STATE/port" ] && answering "$(cat "$STATE/port")"; }

# A port the kernel just handed out on 127.0.0.1; node is always here (the project needs it), python3 may not be.
free_port() {
  if command -v node >/dev/null; then
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  else
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  fi
}

stop() {
  local p
  if p=$(registry_pid); then
    kill "$p" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  fi
  rm -f "$STATE/pid" "$STATE/port"
}

start() {
  [ -x "$BIN" ] || { echo "registry.sh: $BIN not found: apt-get install docker-registry" >&2; exit 1; }
  command -v curl >/dev/null || { echo "registry.sh: curl not found: apt-get install curl" >&2; exit 1; }
  stop # one that is alive but not answering is of no use
  # Fresh registry each run: only this directory is wiped (the fixture cache lives elsewhere).
  rm -rf "$STATE"
  mkdir -p "$STATE/storage"
  local port
  # The port is free when picked but could be taken before the registry binds it: try a few.
  for _ in 1 2 3; do
    port=$(free_port)
    cat >"$STATE/config.yml" <<YML
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: $STATE/storage
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
YML
    rm -f "$STATE/pid"
    # setsid: the registry outlives this script and the caller's terminal or job group; the inner shell
    # writes its own pid (setsid may fork, so $! would be the wrong process) and then becomes the registry.
    setsid bash -c 'echo $$ >"$0/pid"; exec "$1" serve "$0/config.yml"' "$STATE" "$BIN" \
      >>"$STATE/registry.log" 2>&1 </dev/null &
    echo "$port" >"$STATE/port"
    for _ in $(seq 150); do # ~15 s
      if answering "$port"; then echo "127.0.0.1:$port"; return 0; fi
      sleep 0.1
      [ -s "$STATE/pid" ] && ! kill -0 "$(cat "$STATE/pid")" 2>/dev/null && break # it died
    done
    grep -q 'address already in use' "$STATE/registry.log" || break
    stop
  done
  echo "registry.sh: the registry did not answer on 127.0.0.1:$port; the end of $STATE/registry.log:" >&2
  tail -20 "$STATE/registry.log" >&2
  stop
  exit 1
}

case "${1:-}" in
  start)
    if running; then echo "127.0.0.1:$(cat "$STATE/port")"; else start; fi
    ;;
  port)
    running || { echo "registry.sh: no registry is running: $0 start" >&2; exit 1; }
    echo "127.0.0.1:$(cat "$STATE/port")"
    ;;
  stop)
    stop
    ;;
  *)
    echo "usage: $0 start|port|stop" >&2
    exit 2
    ;;
esac
