#!/usr/bin/env bash
# Measures tspod side by side with rootless Podman in one run, as the unprivileged bench user, with
# hyperfine; prints a markdown table per figure and the tspod/podman ratio of the medians.
#   sudo bench/run.sh [foundation]      (installs podman and hyperfine if missing; root sets up the user)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
SUITE=${1:-foundation}
RUNS=${BENCH_RUNS:-20}
OUT=${BENCH_OUT:-$REPO/bench/results}
mkdir -p "$OUT"

if [ "$(id -u)" -eq 0 ]; then
  bash scripts/setup-host.sh --test-users
  for p in podman hyperfine; do
    command -v "$p" >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null; }
  done
  BENCH_USER=${BENCH_USER:-tspodtest}
  [ -f dist/tspod.js ] || npm run --silent build
  APP=/var/tmp/tspod-bench/app
  rm -rf "$APP" && mkdir -p "$APP" && cp -a bin dist package.json node_modules "$APP/" && chmod -R a+rX /var/tmp/tspod-bench
  uid=$(id -u "$BENCH_USER")
  as_user() { runuser -u "$BENCH_USER" -- env -i HOME="$(getent passwd "$BENCH_USER" | cut -d: -f6)" USER="$BENCH_USER" PATH=/usr/local/bin:/usr/bin:/bin XDG_RUNTIME_DIR="/run/user/$uid" "$@"; }
  chown "$BENCH_USER" "$OUT"
else
  APP=$REPO
  as_user() { "$@"; }
fi
TSPOD="node $APP/bin/tspod"

# hyperfine per pair; prints the ratio of medians from its JSON export.
pair() {
  local name=$1 tspod_cmd=$2 podman_cmd=$3 json="$OUT/$SUITE-$1.json"
  as_user hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$json" --export-markdown "$OUT/$SUITE-$name.md" \
    -n "tspod: $tspod_cmd" "$TSPOD $tspod_cmd" -n "podman: $podman_cmd" "podman $podman_cmd" >/dev/null
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
    const ms = (x) => (x.median * 1000).toFixed(1);
    console.log(`| ${process.argv[2]} | ${ms(r[0])} ms | ${ms(r[1])} ms | ${(r[0].median / r[1].median).toFixed(2)} |`);
  ' "$json" "$name"
}

echo "| figure | tspod median | podman median | ratio tspod/podman |"
echo "| --- | --- | --- | --- |"
case "$SUITE" in
  foundation)
    pair version "--version" "--version"
    pair info "info" "info"
    ;;
  *) echo "unknown suite $SUITE" >&2; exit 2 ;;
esac
echo
echo "$(date -u +%FT%TZ) $(uname -r) node $(node --version) $(podman --version) runs=$RUNS"
