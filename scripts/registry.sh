#!/usr/bin/env bash
# Runs Debian's distribution registry server (docker-registry) on 127.0.0.1 for the tests:
# start (fresh storage, free port, prints the address), port (prints it), stop.
set -euo pipefail
STATE=${TSPOD_TEST_STATE:-/var/tmp/tspod-test}/registry
BIN=${DOCKER_REGISTRY:-/usr/bin/docker-registry}

running() {
  [ -f "$STATE/pid" ] && kill -0 "$(cat "$STATE/pid")" 2>/dev/null && [ -f "$STATE/port" ] &&
    curl -fsS -o /dev/null "http://127.0.0.1:$(cat "$STATE/port")/v2/"
}

case "${1:-}" in
  start)
    if running; then echo "127.0.0.1:$(cat "$STATE/port")"; exit 0; fi
    [ -x "$BIN" ] || { echo "docker-registry not found: sudo apt-get install docker-registry" >&2; exit 1; }
    command -v curl >/dev/null || { echo "curl not found: sudo apt-get install curl" >&2; exit 1; }
    rm -rf "$STATE" && mkdir -p "$STATE/storage"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    cat > "$STATE/config.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YML
    setsid "$BIN" serve "$STATE/config.yml" >"$STATE/registry.log" 2>&1 < /dev/null &
    echo $! > "$STATE/pid"
    echo "$port" > "$STATE/port"
    for _ in $(seq 150); do
      if curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/"; then echo "127.0.0.1:$port"; exit 0; fi
      kill -0 "$(cat "$STATE/pid")" 2>/dev/null || break
      sleep 0.1
    done
    echo "the registry did not start; its log:" >&2
    tail -20 "$STATE/registry.log" >&2
    exit 1
    ;;
  port)
    running || { echo "no registry is running: $0 start" >&2; exit 1; }
    echo "127.0.0.1:$(cat "$STATE/port")"
    ;;
  stop)
    if [ -f "$STATE/pid" ]; then kill "$(cat "$STATE/pid")" 2>/dev/null || true; rm -f "$STATE/pid"; fi
    ;;
  *)
    echo "usage: $0 start|port|stop" >&2
    exit 2
    ;;
esac
