#!/usr/bin/env bash
# Measures tspod side by side with rootless Podman in one run, as the unprivileged bench user, with
# hyperfine; prints a markdown table per figure and the tspod/podman ratio of the medians.
#   sudo bench/run.sh [foundation|core|images|containers|hotpath|monitor-soak|scale|network|volumes|completion|build|kube|compose|api]      (installs podman and hyperfine if missing; root sets up the user)
# BENCH_DIR (default /var/tmp/tspod-bench) holds the staged app, registry and the stores of the
# scale suite and of suites that use busybox_stores.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
SUITE=${1:-foundation}
RUNS=${BENCH_RUNS:-20}
OUT=${BENCH_OUT:-$REPO/bench/results}
BENCH_DIR=${BENCH_DIR:-/var/tmp/tspod-bench}
mkdir -p "$OUT"

if [ "$(id -u)" -eq 0 ]; then
  bash scripts/setup-host.sh --test-users
  for p in podman hyperfine; do
    command -v "$p" >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null; }
  done
  BENCH_USER=${BENCH_USER:-tspodtest}
  [ -f dist/tspod.js ] || npm run --silent build
  APP=$BENCH_DIR/app
  rm -rf "$APP" && mkdir -p "$APP" && cp -a bin dist package.json node_modules "$APP/" && chmod -R a+rX "$BENCH_DIR"
  uid=$(id -u "$BENCH_USER")
  as_user() { runuser -u "$BENCH_USER" -- env -i HOME="$(getent passwd "$BENCH_USER" | cut -d: -f6)" USER="$BENCH_USER" PATH=/usr/local/bin:/usr/bin:/bin XDG_RUNTIME_DIR="/run/user/$uid" "$@"; }
  chown "$BENCH_USER" "$OUT"
else
  APP=$REPO
  as_user() { "$@"; }
fi
# Started by its #! line, as a user starts it.
TSPOD="$APP/bin/tspod"

# hyperfine per pair; prints the ratio of medians from its JSON export. Optional 4th/5th arguments
# are prepare commands (run before each timing) for tspod and podman.
pair() {
  compare "$1" "tspod: $2" "$TSPOD $2" "podman: $3" "podman $3" "${4:-}" "${5:-}"
}

# The same for any two commands: name, label and command of each, optional prepare commands.
compare() {
  local name=$1 json="$OUT/$SUITE-$1.json"
  local prep=()
  [ -n "${6:-}" ] && prep=(--prepare "$6" --prepare "$7")
  as_user hyperfine -N --warmup "${WARMUP:-3}" --runs "$RUNS" "${prep[@]}" --export-json "$json" --export-markdown "$OUT/$SUITE-$name.md" \
    -n "$2" "$3" -n "$4" "$5" >/dev/null
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
    const ms = (x) => (x.median * 1000).toFixed(1);
    console.log(`| ${process.argv[2]} | ${ms(r[0])} ms | ${ms(r[1])} ms | ${(r[0].median / r[1].median).toFixed(2)} |`);
  ' "$json" "$name"
}

# Wall time of a shell loop for each tool, as the user: prints the figure row ("failed" marks a
# loop in which a command failed: the time is then not comparable).
timed() {
  local name=$1 t_cmd=$2 p_cmd=$3 s e t p tf='' pf=''
  s=$(date +%s.%N); as_user bash -c "$t_cmd" >/dev/null || tf=' (failed)'; e=$(date +%s.%N); t=$(echo "$e - $s" | bc -l)
  s=$(date +%s.%N); as_user bash -c "$p_cmd" >/dev/null || pf=' (failed)'; e=$(date +%s.%N); p=$(echo "$e - $s" | bc -l)
  printf '| %s | %.2f s%s | %.2f s%s | %.2f |\n' "$name" "$t" "$tf" "$p" "$pf" "$(echo "$t / $p" | bc -l)"
}

# The local registry with the fixture images; sets $reg.
start_registry() {
  export TSPOD_TEST_STATE=$BENCH_DIR/state
  reg=$(bash scripts/registry.sh start)
  trap 'bash scripts/registry.sh stop' EXIT
  bash scripts/fixtures.sh "$reg" >/dev/null
}

# Fresh stores for a suite under $BENCH_DIR/NAME, tspod's and Podman's (overlay, runc,
# cgroupfs, file events: what works on this host), with busybox pulled from the local registry.
# Sets W, TSPOD, PM and reg.
busybox_stores() {
  W=$BENCH_DIR/$1
  rm -rf "$W" && mkdir -p "$W" && chown "${BENCH_USER:-$(id -un)}" "$W" 2>/dev/null || true
  start_registry
  TSPOD="$TSPOD --root $W/root --runroot $W/run"
  PM="--root $W/proot --runroot $W/prun --storage-driver overlay --cgroup-manager cgroupfs --events-backend file --runtime runc"
  as_user $TSPOD pull -q "$reg/library/busybox" >/dev/null
  as_user podman $PM pull -q --tls-verify=false "$reg/library/busybox" >/dev/null
}

if [ "$SUITE" != api ]; then
  echo "| figure | tspod median | podman median | ratio tspod/podman |"
  echo "| --- | --- | --- | --- |"
fi
case "$SUITE" in
  foundation)
    pair version "--version" "--version"
    pair info "info" "info"
    ;;
  core)
    # Rootless core: namespace entry, import of the Debian minbase rootfs, overlay read throughput.
    W=/var/tmp/tspod-bench/work
    rm -rf "$W" && mkdir -p "$W" && chown "${BENCH_USER:-$(id -un)}" "$W" 2>/dev/null || true
    TSPOD="$TSPOD --root $W/root --runroot $W/run"
    as_user podman rmi -a -f >/dev/null 2>&1 || true
    pair images "images" "images"
    pair unshare "unshare true" "unshare true"
    layout=$(ls -d /var/cache/tspod-fixtures/*/debian | head -1)
    [ -d "$layout" ] || { echo "no Debian fixture: run scripts/test.sh once (it builds /var/cache/tspod-fixtures)" >&2; exit 1; }
    blob=$(node -e 'const l=process.argv[1];const fs=require("fs");const i=JSON.parse(fs.readFileSync(l+"/index.json"));const m=JSON.parse(fs.readFileSync(l+"/blobs/sha256/"+i.manifests[0].digest.slice(7)));console.log(l+"/blobs/sha256/"+m.layers[0].digest.slice(7))' "$layout")
    gunzip -c "$blob" > "$W/debian-rootfs.tar" && chmod 644 "$W/debian-rootfs.tar"
    echo "debian rootfs tarball: $(stat -c %s "$W/debian-rootfs.tar") bytes" >&2
    RUNS_SAVED=$RUNS; RUNS=5; WARMUP=1
    pair import "import $W/debian-rootfs.tar bench-debian" "import $W/debian-rootfs.tar bench-debian" \
      "$TSPOD rmi -a -f" "podman rmi -a -f"
    RUNS=$RUNS_SAVED; WARMUP=3
    # Overlay read throughput: a 1 GiB file read through an image mount, native vs fuse-overlayfs.
    mkdir -p "$W/big" && dd if=/dev/urandom of="$W/big/blob" bs=1M count=1024 status=none && tar -C "$W/big" -cf "$W/big.tar" . && chmod 644 "$W/big.tar"
    for drv in native fuse; do
      printf '[storage]\noverlay = "%s"\n' "$drv" > "$W/$drv.conf"; chmod 644 "$W/$drv.conf"
      T2="$APP/bin/tspod --root $W/root-$drv --runroot $W/run-$drv"
      as_user env TSPOD_CONF="$W/$drv.conf" $T2 import "$W/big.tar" big >/dev/null
      m=$(as_user env TSPOD_CONF="$W/$drv.conf" $T2 image mount big)
      as_user env TSPOD_CONF="$W/$drv.conf" $T2 unshare cat "$m/blob" > /dev/null
      secs=$(as_user env TSPOD_CONF="$W/$drv.conf" $T2 unshare sh -c "s=\$(date +%s.%N); cat '$m/blob' > /dev/null; e=\$(date +%s.%N); echo \"\$e - \$s\" | bc -l")
      echo "| overlay read 1 GiB ($drv, warm cache) | $(echo "1024 / $secs" | bc -l | cut -c1-6) MiB/s | | |"
      if [ "$(id -u)" -eq 0 ]; then
        sync && echo 3 > /proc/sys/vm/drop_caches
        secs=$(as_user env TSPOD_CONF="$W/$drv.conf" $T2 unshare sh -c "s=\$(date +%s.%N); cat '$m/blob' > /dev/null; e=\$(date +%s.%N); echo \"\$e - \$s\" | bc -l")
        echo "| overlay read 1 GiB ($drv, cold cache) | $(echo "1024 / $secs" | bc -l | cut -c1-6) MiB/s | | |"
      fi
      as_user env TSPOD_CONF="$W/$drv.conf" $T2 image unmount --all >/dev/null
      as_user $T2 system migrate
    done
    as_user $TSPOD system migrate
    as_user podman rmi -a -f >/dev/null 2>&1 || true
    ;;
  images)
    # Registry client: pulls of the Debian image (one layer) and a six-layer image from a registry
    # on 127.0.0.1, images with 100 images, and the peak memory of a pull (it must not grow with
    # the layer's size).
    W=/var/tmp/tspod-bench/images
    rm -rf "$W" && mkdir -p "$W" && chown "${BENCH_USER:-$(id -un)}" "$W" 2>/dev/null || true
    start_registry
    layout=$(ls -d /var/cache/tspod-fixtures/*/debian | head -1)
    blob=$(node -e 'const l=process.argv[1];const fs=require("fs");const i=JSON.parse(fs.readFileSync(l+"/index.json"));const m=JSON.parse(fs.readFileSync(l+"/blobs/sha256/"+i.manifests[0].digest.slice(7)));console.log(l+"/blobs/sha256/"+m.layers[0].digest.slice(7))' "$layout")
    gunzip -c "$blob" > "$W/rootfs.tar"
    node bench/make-multilayer.mjs "$W/rootfs.tar" "$W/multi"
    skopeo copy --quiet --dest-tls-verify=false "oci:$W/multi:latest" "docker://$reg/bench/multilayer:latest"
    TS="$TSPOD --root $W/root --runroot $W/run"
    TSPOD=$TS
    RUNS_SAVED=$RUNS; RUNS=5; WARMUP=1
    pair pull-debian "pull -q $reg/library/debian" "pull -q --tls-verify=false $reg/library/debian" "$TS rmi -a -f" "podman rmi -a -f"
    pair pull-6-layers "pull -q $reg/bench/multilayer" "pull -q --tls-verify=false $reg/bench/multilayer" "$TS rmi -a -f" "podman rmi -a -f"
    RUNS=$RUNS_SAVED; WARMUP=3
    as_user $TS rmi -a -f >/dev/null; as_user podman rmi -a -f >/dev/null 2>&1 || true
    for i in $(seq 1 100); do
      mkdir -p "$W/small/$i" && echo "$i" > "$W/small/$i/file" && tar -C "$W/small/$i" -cf "$W/small/$i.tar" . && chmod 644 "$W/small/$i.tar"
      as_user $TS import -q "$W/small/$i.tar" "small$i" >/dev/null
      as_user podman import -q "$W/small/$i.tar" "small$i" >/dev/null
    done
    pair images-100 "images" "images"
    as_user $TS rmi -a -f >/dev/null; as_user podman rmi -a -f >/dev/null 2>&1 || true
    # Peak memory: the Debian layer (49 MB gzip) and a 1 GiB random layer, each into an empty store.
    mkdir -p "$W/big" && dd if=/dev/urandom of="$W/big/blob" bs=1M count=1024 status=none && tar -C "$W/big" -cf "$W/big.tar" . && chmod 644 "$W/big.tar"
    as_user $TS import -q "$W/big.tar" big >/dev/null && as_user $TS push -q big "$reg/bench/big:1"
    for img in library/debian bench/big:1; do
      rm -rf "$W/mem" && mkdir -p "$W/mem" && chown "${BENCH_USER:-$(id -un)}" "$W/mem" 2>/dev/null || true
      kb=$( { as_user /usr/bin/time -f '%M' "$APP/bin/tspod" --root "$W/mem/root" --runroot "$W/mem/run" pull -q "$reg/$img" >/dev/null; } 2>&1 | tail -1)
      pkb=$( { as_user /usr/bin/time -f '%M' podman pull -q --tls-verify=false "$reg/$img" >/dev/null; } 2>&1 | tail -1)
      echo "| peak RSS of pull $img | $((kb / 1024)) MiB | $((pkb / 1024)) MiB | $(echo "scale=2; $kb / $pkb" | bc) |"
      as_user "$APP/bin/tspod" --root "$W/mem/root" --runroot "$W/mem/run" system migrate
      as_user podman rmi -a -f >/dev/null 2>&1 || true
    done
    as_user $TS system migrate
    ;;
  containers)
    # Podman gets a store of its own with the settings a working rootless host has: overlay, runc
    # (its default crun refuses this host's hybrid cgroups), cgroupfs and file events (without
    # systemd its defaults make each run wait many seconds for the exit).
    # Containers: run --rm (median wall), 50 sequential run -d, ps -a and stop -a -t 0 with those 50,
    # 16 concurrent run -d, and the monitor's private memory; busybox and Debian from a registry
    # on 127.0.0.1, the same images for both tools. tspod has no network yet (issue 7), so Podman
    # runs with --network none as well as with its default.
    W=/var/tmp/tspod-bench/containers
    rm -rf "$W" && mkdir -p "$W" && chown "${BENCH_USER:-$(id -un)}" "$W" 2>/dev/null || true
    start_registry
    TSPOD="$TSPOD --root $W/root --runroot $W/run"
    PM="--root $W/proot --runroot $W/prun --storage-driver overlay --cgroup-manager cgroupfs --events-backend file --runtime runc"
    for img in debian busybox; do
      as_user $TSPOD pull -q "$reg/library/$img" >/dev/null
      as_user podman $PM pull -q --tls-verify=false "$reg/library/$img" >/dev/null
    done
    D=$reg/library/debian B=$reg/library/busybox
    pair run-rm-true "run --rm $D true" "$PM run --rm --network none $D true"
    pair run-rm-true-podman-default-net "run --rm $D true" "$PM run --rm $D true"
    timed "run -d busybox sleep x50, sequential" "for i in \$(seq 50); do $TSPOD run -d $B sleep 1000; done" "for i in \$(seq 50); do podman $PM run -d --network none $B sleep 1000; done"
    pair ps-a-50 "ps -a" "$PM ps -a"
    # Monitor private memory (Private_Clean + Private_Dirty of smaps_rollup), one running container each.
    priv() { awk '/^Private_(Clean|Dirty):/ {s += $2} END {printf "%.2f", s / 1024}' "/proc/$1/smaps_rollup"; }
    tm=$(as_user $TSPOD inspect --format '{{.State.ConmonPid}}' "$(as_user $TSPOD ps -q -l)")
    pm=$(as_user podman $PM inspect --format '{{.State.ConmonPid}}' "$(as_user podman $PM ps -q -l)")
    tmem=$(priv "$tm"); pmem=$(priv "$pm")
    printf '| monitor private memory per container | %s MiB | %s MiB | %.1f |\n' "$tmem" "$pmem" "$(echo "$tmem / $pmem" | bc -l)"
    timed "stop -a -t 0 with 50 running" "$TSPOD stop -a -t 0" "podman $PM stop -a -t 0"
    as_user $TSPOD rm -a >/dev/null; as_user podman $PM rm -a >/dev/null
    timed "16 concurrent run -d busybox" "seq 16 | xargs -P16 -I{} $TSPOD run -d $B sleep 1000" "seq 16 | xargs -P16 -I{} podman $PM run -d --network none $B sleep 1000"
    as_user $TSPOD rm -af >/dev/null; as_user podman $PM rm -af -t 0 >/dev/null
    # commit of a container that wrote 100 MB of random data (nothing to gain from compression):
    # each commit packs the container's changes into a new layer; the name is reused, so earlier
    # images only lose it. Podman stores the layer uncompressed too.
    as_user $TSPOD run --name big100 $D sh -c 'dd if=/dev/urandom of=/big bs=1M count=100 status=none' >/dev/null
    as_user podman $PM run --name big100 --network none $D sh -c 'dd if=/dev/urandom of=/big bs=1M count=100 status=none' >/dev/null
    RUNS_SAVED=$RUNS; RUNS=5; WARMUP=1
    pair commit-100MB "commit big100 localhost/big100" "$PM commit -q big100 localhost/big100"
    RUNS=$RUNS_SAVED; WARMUP=3
    as_user $TSPOD rm big100 >/dev/null; as_user podman $PM rm big100 >/dev/null
    # Restart latency under --restart always: a container that prints a line and exits at once;
    # the gap between its first two log lines is exit → (backoff) → create → start → print.
    gap() { node -e 'const t=require("fs").readFileSync(0,"utf8").trim().split("\n").map(l=>l.split(" ")[0]);const ns=s=>BigInt(Date.parse(s.replace(/\.\d+Z$/,"Z")))*1000000n+BigInt((s.match(/\.(\d+)Z$/)||[0,"0"])[1].padEnd(9,"0"));console.log(t.length>1?(Number(ns(t[1])-ns(t[0]))/1e6).toFixed(0):"none")'; }
    as_user $TSPOD run -d --name rs --restart always $B sh -c 'echo up' >/dev/null
    as_user podman $PM run -d --name rs --network none --restart always $B sh -c 'echo up' >/dev/null
    sleep 3
    tg=$(as_user $TSPOD logs -t rs | gap); pg=$(as_user podman $PM logs -t rs | gap)
    printf '| first restart under --restart always (log line to log line) | %s ms | %s ms | %.2f |\n' "$tg" "$pg" "$(echo "$tg / $pg" | bc -l)"
    as_user $TSPOD rm -f rs >/dev/null; as_user podman $PM rm -f -t 0 rs >/dev/null 2>&1 || as_user podman $PM rm -f rs >/dev/null 2>&1 || true
    as_user $TSPOD system migrate
    ;;
  hotpath)
    # The commands people repeat all day, each tool with its default network (tspod: pasta or
    # slirp4netns; Podman 4.3: slirp4netns), busybox and Debian from the registry on 127.0.0.1:
    # run --rm (median of 7), 50 sequential run -d, ps -a / stop -a -t 0 / rm -a with those 50,
    # 16 concurrent run -d, --version, ps on an empty store, and the monitor's memory.
    busybox_stores hotpath
    as_user $TSPOD pull -q "$reg/library/debian" >/dev/null
    as_user podman $PM pull -q --tls-verify=false "$reg/library/debian" >/dev/null
    D=$reg/library/debian B=$reg/library/busybox
    RUNS_SAVED=$RUNS; RUNS=7; WARMUP=1
    pair run-rm-debian-true "run --rm $D true" "$PM run --rm $D true"
    RUNS=$RUNS_SAVED; WARMUP=3
    timed "run -d busybox sleep 3600 x50, sequential" "for i in \$(seq 50); do $TSPOD run -d $B sleep 3600; done" "for i in \$(seq 50); do podman $PM run -d $B sleep 3600; done"
    pair ps-a-50 "ps -a" "$PM ps -a"
    # Monitor memory of the last container: private dirty (what it alone costs) and Rss.
    mem() { awk -v k="$2" '$1 == k":" {printf "%.2f", $2 / 1024}' "/proc/$1/smaps_rollup"; }
    tm=$(as_user $TSPOD inspect --format '{{.State.ConmonPid}}' "$(as_user $TSPOD ps -q -l)")
    pm=$(as_user podman $PM inspect --format '{{.State.ConmonPid}}' "$(as_user podman $PM ps -q -l)")
    printf '| monitor private dirty per container | %s MiB | %s MiB | %.1f |\n' "$(mem "$tm" Private_Dirty)" "$(mem "$pm" Private_Dirty)" "$(echo "$(mem "$tm" Private_Dirty) / $(mem "$pm" Private_Dirty)" | bc -l)"
    printf '| monitor Rss per container | %s MiB | %s MiB | %.1f |\n' "$(mem "$tm" Rss)" "$(mem "$pm" Rss)" "$(echo "$(mem "$tm" Rss) / $(mem "$pm" Rss)" | bc -l)"
    timed "stop -a -t 0, 50 running" "$TSPOD stop -a -t 0" "podman $PM stop -a -t 0"
    timed "rm -a, 50 stopped" "$TSPOD rm -a" "podman $PM rm -a"
    timed "16 concurrent run -d busybox" "seq 16 | xargs -P16 -I{} $TSPOD run -d $B sleep 3600" "seq 16 | xargs -P16 -I{} podman $PM run -d $B sleep 3600"
    as_user $TSPOD rm -af -t 0 >/dev/null; as_user podman $PM rm -af -t 0 >/dev/null
    pair version "--version" "--version"
    E=/var/tmp/tspod-bench/hotpath-empty
    rm -rf "$E" && mkdir -p "$E" && chown "${BENCH_USER:-$(id -un)}" "$E" 2>/dev/null || true
    compare ps-empty-store "tspod: ps" "$APP/bin/tspod --root $E/root --runroot $E/run ps" "podman: ps" "podman --root $E/proot --runroot $E/prun --storage-driver overlay --cgroup-manager cgroupfs --events-backend file --runtime runc ps"
    as_user $TSPOD system migrate
    ;;
  monitor-soak)
    # The monitor over time: a container printing about 100 lines/s for SOAK_MINUTES (10), its
    # monitor's private dirty and Rss sampled every 30 s beside conmon's for the same container
    # under Podman, with the CPU each has used; the log's line count shows the output was kept.
    # The ratio is of private dirty. Neither memory figure should grow.
    busybox_stores monitor-soak
    B=$reg/library/busybox
    LOGGER='while :; do echo line; usleep 10000; done'
    mem() { awk -v k="$2" '$1 == k":" {printf "%.2f", $2 / 1024}' "/proc/$1/smaps_rollup"; }
    cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }
    tid=$(as_user $TSPOD run -d "$B" sh -c "$LOGGER"); pid=$(as_user podman $PM run -d "$B" sh -c "$LOGGER")
    tm=$(as_user $TSPOD inspect --format '{{.State.ConmonPid}}' "$tid"); pm=$(as_user podman $PM inspect --format '{{.State.ConmonPid}}' "$pid")
    tlog=$(as_user $TSPOD inspect --format '{{.LogPath}}' "$tid")
    for i in $(seq 0 $((${SOAK_MINUTES:-10} * 2))); do
      [ "$i" -gt 0 ] && sleep 30
      printf '| monitor at %s s (%s lines logged): private dirty / Rss, CPU used | %s / %s MiB, %s s | %s / %s MiB, %s s | %.1f |\n' "$((i * 30))" "$(wc -l < "$tlog")" \
        "$(mem "$tm" Private_Dirty)" "$(mem "$tm" Rss)" "$(cpu "$tm")" "$(mem "$pm" Private_Dirty)" "$(mem "$pm" Rss)" "$(cpu "$pm")" "$(echo "$(mem "$tm" Private_Dirty) / $(mem "$pm" Private_Dirty)" | bc -l)"
    done
    as_user $TSPOD rm -f -t 0 "$tid" >/dev/null; as_user podman $PM rm -f -t 0 "$pid" >/dev/null
    as_user $TSPOD system migrate
    ;;
  scale)
    # Many containers: ps -a with SCALE_PS (1,000) created ones; the 1st-10th against the last ten
    # of SCALE_RUN (500) sequential run -d (fewer when memory would not hold them: the count is
    # printed); the store before, halfway and after SCALE_RM (1,000) run --rm. Both tools run with
    # containers.conf keyring = false (--no-new-keyring: a session keyring per container would hit
    # the user's kernel key quota, maxkeys 200, at about 190 running) and --network none (a network
    # helper per container would measure slirp4netns, not the store). Podman's --tmpdir keeps its
    # events log in the store. Each phase has fresh stores; every container is removed at the end.
    busybox_stores scale
    B=$reg/library/busybox
    printf '[containers]\nkeyring = false\n' > "$W/containers.conf" && chmod 644 "$W/containers.conf"
    N_PS=${SCALE_PS:-1000} N_RUN=${SCALE_RUN:-500} N_RM=${SCALE_RM:-1000}
    # Fresh stores for a phase under $W/$1, busybox in each: sets TS and PS (tspod and podman argv).
    phase() {
      local d=$W/$1
      mkdir -p "$d" && chown "${BENCH_USER:-$(id -un)}" "$d" 2>/dev/null || true
      TS="env TSPOD_CONF=$W/containers.conf $APP/bin/tspod --root $d/root --runroot $d/run"
      PS="env CONTAINERS_CONF=$W/containers.conf podman --root $d/proot --runroot $d/prun --tmpdir $d/ptmp --storage-driver overlay --cgroup-manager cgroupfs --events-backend file --runtime runc"
      as_user $TS pull -q "$B" >/dev/null
      as_user $PS pull -q --tls-verify=false "$B" >/dev/null
    }
    # Wall and CPU (user+sys of the commands themselves, not of the monitors they leave) of a loop.
    # A loop in which a command failed is marked, with its last error line on stderr.
    cpu_timed() {
      local name=$1 t p tf='' pf='' f=$W/cpu_timed
      : > "$f.time" && chmod 666 "$f.time"
      as_user /usr/bin/time -o "$f.time" -f '%e %U %S' bash -c "$2" >/dev/null 2>"$f.err" || { tf=' (failed)'; echo "tspod: $(grep -v 'exited with non-zero' "$f.err" | tail -1)" >&2; }
      t=$(tail -1 "$f.time")
      as_user /usr/bin/time -o "$f.time" -f '%e %U %S' bash -c "$3" >/dev/null 2>"$f.err" || { pf=' (failed)'; echo "podman: $(grep -v 'exited with non-zero' "$f.err" | tail -1)" >&2; }
      p=$(tail -1 "$f.time")
      echo "$t $p" | awk -v n="$name" -v tf="$tf" -v pf="$pf" '{printf "| %s | %.2f s (CPU %.2f s)%s | %.2f s (CPU %.2f s)%s | %.2f |\n", n, $1, $2 + $3, tf, $4, $5 + $6, pf, $1 / $4}'
    }
    echo "| ps -a: $N_PS containers made by create busybox true | | | |"
    phase ps
    as_user bash -c "for i in \$(seq $N_PS); do $TS create -q $B true; done" >/dev/null
    as_user bash -c "for i in \$(seq $N_PS); do $PS create -q --network none $B true; done" >/dev/null
    echo "containers listed by ps -a: tspod $(as_user $TS ps -aq | wc -l), podman $(as_user $PS ps -aq | wc -l)" >&2
    RUNS_SAVED=$RUNS; RUNS=10; WARMUP=2
    compare "ps-a-$N_PS" "tspod: ps -a" "$TS ps -a" "podman: ps -a" "$PS ps -a"
    RUNS=$RUNS_SAVED; WARMUP=3
    cpu_timed "rm -a, $N_PS created" "$TS rm -a" "$PS rm -a"

    phase run
    avail() { awk '/^MemAvailable:/ {print int($2 / 1024)}' /proc/meminfo; }
    m0=$(avail)
    cpu_timed "run -d busybox sleep 3600, runs 1-10" "for i in \$(seq 10); do $TS run -d --network none $B sleep 3600; done" "for i in \$(seq 10); do $PS run -d --network none $B sleep 3600; done"
    # What 10 running containers of both tools cost, from MemAvailable: keep 4 GiB for the machine.
    per=$(( ( m0 - $(avail) ) / 10 + 1 ))
    fit=$(( ( $(avail) - 4096 ) / per + 10 ))
    [ "$fit" -lt "$N_RUN" ] && { echo "memory: $per MiB per pair of containers, $(avail) MiB available: $fit of each instead of $N_RUN" >&2; N_RUN=$fit; }
    as_user bash -c "for i in \$(seq 11 $((N_RUN - 10))); do $TS run -d --network none $B sleep 3600; done" >/dev/null
    as_user bash -c "for i in \$(seq 11 $((N_RUN - 10))); do $PS run -d --network none $B sleep 3600; done" >/dev/null
    cpu_timed "run -d busybox sleep 3600, runs $((N_RUN - 9))-$N_RUN" "for i in \$(seq 10); do $TS run -d --network none $B sleep 3600; done" "for i in \$(seq 10); do $PS run -d --network none $B sleep 3600; done"
    echo "running: tspod $(as_user $TS ps -q | wc -l), podman $(as_user $PS ps -q | wc -l); keys of the user: $(awk -v u="$(id -u "${BENCH_USER:-$(id -un)}"):" '$1 == u {print $4}' /proc/key-users); MemAvailable $(avail) MiB" >&2
    RUNS_SAVED=$RUNS; RUNS=5; WARMUP=1
    compare "ps-a-$N_RUN-running" "tspod: ps -a" "$TS ps -a" "podman: ps -a" "$PS ps -a"
    RUNS=$RUNS_SAVED; WARMUP=3
    cpu_timed "rm -af -t 0, $N_RUN running" "$TS rm -af -t 0" "$PS rm -af -t 0"

    phase rm
    d=$W/rm
    # The store's state database and everything else it keeps (files and bytes of root and runroot,
    # image included; Podman's events log under --tmpdir).
    store_size() {
      local db=$1; shift
      printf '%s B db, %s files, %s B' "$(stat -c %s "$db" 2>/dev/null || echo 0)" "$(find "$@" 2>/dev/null | wc -l)" "$(du -sbc "$@" 2>/dev/null | tail -1 | cut -f1)"
    }
    sizes() {
      echo "| store after $1 run --rm | $(store_size "$d/root/state.db" "$d/root" "$d/run") | $(store_size "$d/proot/libpod/bolt_state.db" "$d/proot" "$d/prun" "$d/ptmp") | |"
    }
    loop_rm() { cpu_timed "run --rm busybox true x$1" "for i in \$(seq $1); do $TS run --rm --network none $B true; done" "for i in \$(seq $1); do $PS run --rm --network none $B true; done"; }
    loop_rm 10
    sizes 10
    loop_rm $((N_RM / 2 - 10))
    sizes $((N_RM / 2))
    loop_rm $((N_RM / 2))
    sizes "$N_RM"
    echo "podman events log: $(stat -c %s "$d/ptmp/events/events.log" 2>/dev/null || echo none) B; tspod events rows: $(as_user $TS events --stream=false 2>/dev/null | wc -l)" >&2
    # Each phase's store has a namespace holder of its own.
    for d in "$W" "$W/ps" "$W/run" "$W/rm"; do as_user "$APP/bin/tspod" --root "$d/root" --runroot "$d/run" system migrate; done
    ;;
  network)
    # Networking: throughput host → container through a published port (a Python client on the
    # host sends 1 GiB to busybox nc -l in the container; MB/s of the whole transfer, best of 3)
    # under slirp4netns and pasta, and the time networking adds to run --rm (with vs --network none).
    busybox_stores network
    B=$reg/library/busybox
    # MB/s of sending 1 GiB to a fresh container's published port 127.0.0.1:$2; "-" when the tool cannot.
    send() {
      local tool=$1 port=$2 mode=$3 best=0 i mbs
      for i in 1 2 3; do
        if ! as_user $tool run -d --name sink --network "$mode" -p "127.0.0.1:$port:5001" "$B" sh -c 'nc -l -p 5001 > /dev/null' >/dev/null 2>&1; then echo "-"; return; fi
        sleep 0.5
        mbs=$(python3 - "$port" <<'PY'
import socket, sys, time
port = int(sys.argv[1]); chunk = b"\0" * (1 << 20)
for _ in range(50):
    try:
        s = socket.create_connection(("127.0.0.1", port)); break
    except OSError:
        time.sleep(0.1)
t = time.time()
for _ in range(1024): s.sendall(chunk)
s.shutdown(socket.SHUT_WR); s.recv(1); s.close()
print("%.0f" % (1024 * 1.048576 / (time.time() - t)))
PY
)
        as_user $tool rm -f sink >/dev/null 2>&1 || true
        [ "$mbs" -gt "$best" ] && best=$mbs
      done
      echo "$best"
    }
    for mode in slirp4netns pasta; do
      t=$(send "$TSPOD" 18601 $mode); p=$(send "podman $PM" 18602 $mode)
      if [ "$p" = "-" ]; then
        echo "| throughput host → container, $mode | $t MB/s | (Podman $(podman --version | cut -d' ' -f3) has no $mode) | - |"
      else
        printf '| throughput host → container, %s | %s MB/s | %s MB/s | %.2f |\n' "$mode" "$t" "$p" "$(echo "$t / $p" | bc -l)"
      fi
    done
    pair run-rm-network-none "run --rm --network none $B true" "$PM run --rm --network none $B true"
    pair run-rm-slirp4netns "run --rm --network slirp4netns $B true" "$PM run --rm --network slirp4netns $B true"
    pair run-rm-pasta-vs-podman-slirp4netns "run --rm --network pasta $B true" "$PM run --rm --network slirp4netns $B true"
    node -e '
      const f = (n) => JSON.parse(require("fs").readFileSync(`${process.argv[1]}/network-${n}.json`, "utf8")).results.map((r) => r.median * 1000);
      const [tn, pn] = f("run-rm-network-none"), [ts, ps] = f("run-rm-slirp4netns");
      console.log(`| time slirp4netns adds to run --rm (vs --network none) | ${(ts - tn).toFixed(1)} ms | ${(ps - pn).toFixed(1)} ms | ${((ts - tn) / (ps - pn)).toFixed(2)} |`);
    ' "$OUT"
    as_user $TSPOD system migrate
    ;;
  volumes)
    # Sequential write inside a container (busybox dd of 512 MiB with fsync, MB/s as dd reports
    # it, best of 3) to a named volume and to the container's own root (overlay), tspod vs Podman.
    busybox_stores volumes
    B=$reg/library/busybox
    # best MB/s of three dd runs (timed inside the container by /proc/uptime): tool, run flags, target file
    ddrate() {
      local tool=$1 flags=$2 target=$3 best=0 i r
      for i in 1 2 3; do
        r=$(as_user $tool run --rm --network none $flags "$B" sh -c "a=\$(cut -d' ' -f1 /proc/uptime); dd if=/dev/zero of=$target bs=1M count=512 conv=fsync 2>/dev/null; b=\$(cut -d' ' -f1 /proc/uptime); rm -f $target; echo \$a \$b" | awk '{printf "%.0f", 536.870912 / ($2 - $1)}')
        [ "${r:-0}" -gt "$best" ] && best=$r
      done
      echo "$best"
    }
    t=$(ddrate "$TSPOD" "-v benchvol:/v" /v/f); p=$(ddrate "podman $PM" "-v benchvol:/v" /v/f)
    printf '| sequential write to a named volume (dd 512 MiB, fsync) | %s MB/s | %s MB/s | %.2f |\n' "$t" "$p" "$(echo "$t / $p" | bc -l)"
    t=$(ddrate "$TSPOD" "" /f); p=$(ddrate "podman $PM" "" /f)
    printf '| sequential write to the container root (overlay) | %s MB/s | %s MB/s | %.2f |\n' "$t" "$p" "$(echo "$t / $p" | bc -l)"
    as_user $TSPOD system migrate
    ;;
  completion)
    # Shell completion with 200 containers (created, not run) in each store: what one Tab after
    # `stop ` costs, called as the scripts call it (tspod reads its state database read-only,
    # Podman answers through cobra's __complete), the same for `rm ` (all 200 names printed), and
    # tspod's answer against its own ps -a.
    busybox_stores completion
    B=$reg/library/busybox
    as_user bash -c "for i in \$(seq 200); do $TSPOD create -q $B true; done" >/dev/null
    as_user bash -c "for i in \$(seq 200); do podman $PM create -q --network none $B true; done" >/dev/null
    TC="$APP/bin/tspod"
    pair_args="--root $W/root --runroot $W/run"
    # Both must see the 200 (rm offers every container; stop only running ones, none here).
    echo "candidates for rm: tspod $(as_user $TC __complete $pair_args rm '' | grep -vc '^:'), podman $(as_user podman __complete $PM rm '' 2>/dev/null | grep -vc '^:')" >&2
    compare complete-stop-200 "tspod: __complete stop ''" "$TC __complete $pair_args stop ''" "podman: __complete stop ''" "podman __complete $PM stop ''"
    compare complete-rm-200 "tspod: __complete rm ''" "$TC __complete $pair_args rm ''" "podman: __complete rm ''" "podman __complete $PM rm ''"
    echo "| (the same figure, tspod's __complete against its ps -a, ratio __complete/ps) | | | |"
    compare complete-vs-ps-200 "tspod: __complete stop ''" "$TC __complete $pair_args stop ''" "tspod: ps -a" "$TSPOD ps -a"
    as_user $TSPOD rm -a >/dev/null; as_user podman $PM rm -a >/dev/null
    as_user $TSPOD system migrate
    ;;
  build)
    # tspod build against podman build, the same context and Containerfile, bases from the local
    # registry already in both stores: a five-step build on Debian (COPY of a 10,000-file context,
    # three RUNs) cold (--no-cache) and fully cached (median of BENCH_RUNS, default 5 here); then a
    # COPY of a 1 GiB context: wall time and peak memory (max RSS of the command and its children).
    RUNS=${BENCH_RUNS:-5}
    busybox_stores build
    as_user $TSPOD pull -q "$reg/library/debian" >/dev/null
    as_user podman $PM pull -q --tls-verify=false "$reg/library/debian" >/dev/null
    C=$W/ctx5
    mkdir -p "$C/files"
    for d in $(seq -w 0 99); do mkdir -p "$C/files/d$d"; for f in $(seq -w 0 99); do echo "$d/$f" > "$C/files/d$d/f$f"; done; done
    printf 'FROM %s/library/debian\nCOPY files /files\nRUN echo one > /one\nRUN ls -R /files | wc -l > /count\nRUN rm -rf /files/d00\n' "$reg" > "$C/Containerfile"
    chown -R "${BENCH_USER:-$(id -un)}" "$C"
    pair build-5-steps-cold "build --no-cache -q -t b5 $C" "$PM build --no-cache -q --tls-verify=false -t b5 $C"
    pair build-5-steps-cached "build -q -t b5 $C" "$PM build -q --tls-verify=false -t b5 $C"
    G=$W/ctx1g
    mkdir -p "$G/big"
    for i in $(seq 8); do head -c 134217728 /dev/urandom > "$G/big/part$i"; done
    printf 'FROM %s/library/busybox\nCOPY big /big\n' "$reg" > "$G/Containerfile"
    chown -R "${BENCH_USER:-$(id -un)}" "$G"
    tr=$( { as_user /usr/bin/time -f '%e %M' $TSPOD build --no-cache -q -t big $G >/dev/null; } 2>&1 | tail -1)
    pr=$( { as_user /usr/bin/time -f '%e %M' podman $PM build --no-cache -q --tls-verify=false -t big $G >/dev/null; } 2>&1 | tail -1)
    read -r tw tm <<<"$tr"; read -r pw pm <<<"$pr"
    printf '| COPY of a 1 GiB context, wall | %s s | %s s | %.2f |\n' "$tw" "$pw" "$(echo "$tw / $pw" | bc -l)"
    printf '| COPY of a 1 GiB context, peak RSS | %.0f MiB | %.0f MiB | %.2f |\n' "$(echo "$tm / 1024" | bc -l)" "$(echo "$pm / 1024" | bc -l)" "$(echo "$tm / $pm" | bc -l)"
    rm -rf "$G"
    ;;
  kube)
    # kube play of a Deployment with replicas: 3 (busybox httpd) against Podman's kube play of the
    # same file with replicas: 1, played three times under three names (Podman runs one replica of
    # a Deployment at most): wall time of the whole play from nothing (every pod removed before
    # each run), median of BENCH_RUNS (default 5 here). Both started through bash, the same cost.
    # The file names no containerPort: Podman 4.3 publishes one without a hostPort on the same host
    # port, so its three plays would clash (and a Service's port is kube-play's own figure).
    RUNS=${BENCH_RUNS:-5}
    busybox_stores kube
    K=$W/yaml
    mkdir -p "$K"
    deployment() { # NAME REPLICAS
      printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %s\nspec:\n  replicas: %s\n  selector:\n    matchLabels:\n      app: %s\n  template:\n    metadata:\n      labels:\n        app: %s\n    spec:\n      containers:\n      - name: httpd\n        image: %s/library/busybox\n        imagePullPolicy: IfNotPresent\n        command: [httpd, -f, -p, "8080", -h, /tmp]\n' "$1" "$2" "$1" "$1" "$reg"
    }
    deployment web 3 > "$K/web-3.yaml"
    for i in 1 2 3; do deployment "web$i" 1 > "$K/web$i-1.yaml"; done
    printf '%s kube play %s/web-3.yaml\n' "$TSPOD" "$K" > "$K/tspod-play.sh"
    printf 'set -e\nfor i in 1 2 3; do podman %s kube play --tls-verify=false %s/web$i-1.yaml; done\n' "$PM" "$K" > "$K/podman-play.sh"
    printf '%s pod rm -a -f -t 0\n' "$TSPOD" > "$K/tspod-clean.sh"
    printf 'podman %s pod rm -a -f -t 0\n' "$PM" > "$K/podman-clean.sh"
    chown -R "${BENCH_USER:-$(id -un)}" "$K"
    # Each play must work, and give three running pods, before it is timed.
    for tool in tspod podman; do
      as_user bash "$K/$tool-play.sh" >/dev/null
      n=$(as_user bash -c "$([ $tool = tspod ] && echo "$TSPOD" || echo "podman $PM") ps --filter status=running --format '{{.Names}}' | grep -c httpd" || true)
      echo "$tool: $n running httpd containers after one play" >&2
      [ "$n" -eq 3 ] || { echo "$tool kube play did not run three replicas" >&2; exit 1; }
      as_user bash "$K/$tool-clean.sh" >/dev/null
    done
    WARMUP=1
    compare kube-play-3-replicas "tspod: kube play (replicas: 3)" "bash $K/tspod-play.sh" "podman: kube play (replicas: 1) x3" "bash $K/podman-play.sh" \
      "bash $K/tspod-clean.sh" "bash $K/podman-clean.sh"
    as_user bash "$K/tspod-clean.sh" >/dev/null; as_user bash "$K/podman-clean.sh" >/dev/null
    as_user $TSPOD system migrate
    ;;
  compose)
    # `compose up -d` of a five-service project (busybox from the local registry, no builds; one
    # user network, one named volume) from nothing: tspod compose against Debian's podman-compose
    # driving rootless Podman (its --podman-path a wrapper adding $PM), each project taken down
    # before every timed run; then `compose ps` of the running project. Median of BENCH_RUNS
    # (default 5 here); both started through bash, the same cost. podman-compose 1.0.3 runs one
    # podman process per call and sleeps 1 s after each `podman run` of `up`: that is its figure.
    RUNS=${BENCH_RUNS:-5}
    command -v podman-compose >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman-compose >/dev/null; }
    busybox_stores compose
    P=$W/bench5
    mkdir -p "$P"
    {
      printf 'services:\n'
      printf '  web:\n    image: %s/library/busybox\n    command: [httpd, -f, -p, "80", -h, /var/www]\n    stop_signal: SIGKILL\n    depends_on: [api]\n    networks: [front, back]\n' "$reg"
      printf '  api:\n    image: %s/library/busybox\n    command: [httpd, -f, -p, "8080", -h, /var/www]\n    stop_signal: SIGKILL\n    environment:\n      DB_HOST: db\n    depends_on: [db, cache]\n    networks: [back]\n' "$reg"
      printf '  worker:\n    image: %s/library/busybox\n    command: [sh, -c, "while true; do sleep 1; done"]\n    stop_signal: SIGKILL\n    depends_on: [db]\n    networks: [back]\n' "$reg"
      printf '  cache:\n    image: %s/library/busybox\n    command: [sleep, "100000"]\n    stop_signal: SIGKILL\n    networks: [back]\n' "$reg"
      printf '  db:\n    image: %s/library/busybox\n    command: [sh, -c, "date >> /data/boots; exec sleep 100000"]\n    stop_signal: SIGKILL\n    volumes: [data:/data]\n    networks: [back]\n' "$reg"
      printf 'networks:\n  front:\n  back:\nvolumes:\n  data:\n'
    } > "$P/compose.yaml"
    printf '#!/bin/sh\nexec podman %s "$@"\n' "$PM" > "$W/podman-wrapper"
    chmod 755 "$W/podman-wrapper"
    PC="podman-compose --podman-path $W/podman-wrapper"
    printf 'cd %s && %s compose up -d\n' "$P" "$TSPOD" > "$W/tspod-up.sh"
    printf 'cd %s && %s up -d\n' "$P" "$PC" > "$W/podman-up.sh"
    printf 'cd %s && %s compose ps\n' "$P" "$TSPOD" > "$W/tspod-ps.sh"
    printf 'cd %s && %s ps\n' "$P" "$PC" > "$W/podman-ps.sh"
    printf 'cd %s && %s compose down -t 0\n' "$P" "$TSPOD" > "$W/tspod-down.sh"
    printf 'cd %s && %s down -t 0\n' "$P" "$PC" > "$W/podman-down.sh"
    chown -R "${BENCH_USER:-$(id -un)}" "$P" "$W"/*.sh
    # Each up must work, and give five running containers, before it is timed.
    for tool in tspod podman; do
      as_user bash "$W/$tool-up.sh" >/dev/null
      n=$(as_user bash -c "$([ $tool = tspod ] && echo "$TSPOD" || echo "podman $PM") ps --filter status=running --filter label=com.docker.compose.project=bench5 -q" | grep -c . || true)
      echo "$tool: $n running containers after one compose up -d" >&2
      [ "$n" -eq 5 ] || { echo "$tool compose up -d did not run five containers" >&2; exit 1; }
      as_user bash "$W/$tool-down.sh" >/dev/null
    done
    WARMUP=1
    compare compose-up-5-services "tspod: compose up -d" "bash $W/tspod-up.sh" "podman-compose: up -d" "bash $W/podman-up.sh" \
      "bash $W/tspod-down.sh" "bash $W/podman-down.sh"
    # ps of the project up (the last timed up left it running).
    compare compose-ps "tspod: compose ps" "bash $W/tspod-ps.sh" "podman-compose: ps" "bash $W/podman-ps.sh"
    as_user bash "$W/tspod-down.sh" >/dev/null; as_user bash "$W/podman-down.sh" >/dev/null
    as_user $TSPOD system migrate
    ;;
  api)
    # The Docker-compatible API (issue 24), tspod against tspod: `docker run --rm busybox true` through
    # `tspod system service` against `tspod run --rm busybox true` (the API's cost is the difference);
    # 16 concurrent container creations through the API (POST /containers/create by curl) against 16
    # concurrent `tspod create`, wall time, each round checked to make 16 containers; the service's
    # memory idle and after each of three rounds of 1,000 requests (100 curl calls of 10 requests each
    # on one connection). Podman is not in these rows.
    busybox_stores api
    SOCK=$W/api.sock
    IMG=$reg/library/busybox
    ( as_user $TSPOD system service --time 0 "unix://$SOCK" & echo $! > "$W/service.runuser"; wait ) >/dev/null 2>&1 &
    for _ in $(seq 100); do curl -sf --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1 && break; sleep 0.1; done
    curl -sf --unix-socket "$SOCK" http://d/_ping >/dev/null || { echo "the service did not answer on $SOCK" >&2; exit 1; }
    # the service's node process: below the subshell, runuser (and env) that started it
    SVC=$(cat "$W/service.runuser")
    while [ "$(ps -o comm= -p "$SVC")" != node ]; do
      SVC=$(pgrep -P "$SVC" | head -1)
      [ -n "$SVC" ] || { echo "no node process under the service's runuser" >&2; exit 1; }
    done
    trap 'kill "$(cat "$W/service.runuser")" 2>/dev/null || true; bash scripts/registry.sh stop' EXIT
    # VmRSS, and Anonymous of smaps_rollup: the memory the process itself allocated (V8's heap and
    # malloc's), without the pages of node's binary and libraries it has run (file-backed: they count
    # in VmRSS the first time code runs, as the optimizing compiler does after some hundred requests).
    mem() { printf '%s MiB VmRSS, %s MiB anonymous' "$(awk '/^VmRSS/{printf "%.1f", $2/1024}' "/proc/$SVC/status")" "$(awk '/^Anonymous/{printf "%.1f", $2/1024}' "/proc/$SVC/smaps_rollup")"; }
    cold=$(mem)
    urls=()
    for p in _ping version 'containers/json?all=1' images/json info containers/json volumes networks version system/df; do urls+=("'http://d/v1.41/$p'"); done
    as_user bash -c "for i in \$(seq 3); do curl -sf --unix-socket $SOCK ${urls[*]} >/dev/null || exit 1; done"
    sleep 1
    idle=$(mem)
    thousands=()
    for _ in 1 2 3; do
      as_user bash -c "for i in \$(seq 100); do curl -sf --unix-socket $SOCK ${urls[*]} >/dev/null || exit 1; done"
      sleep 1 # the service collects half a second after the last request
      thousands+=("$(mem)")
    done
    DK="env DOCKER_HOST=unix://$SOCK DOCKER_CONFIG=$W/docker-config docker"
    echo "| figure | API (docker CLI via the service) median | tspod CLI median | ratio API/CLI |"
    echo "| --- | --- | --- | --- |"
    compare run-rm "docker run --rm (API)" "$DK run --rm $IMG true" "tspod run --rm" "$TSPOD run --rm $IMG true"
    # 16 at once, each round from no containers; a round that made fewer than 16 fails the suite.
    body="{\"Image\":\"$IMG\",\"Cmd\":[\"true\"]}"
    printf 'for i in $(seq 16); do curl -sf --unix-socket %s -H "Content-Type: application/json" -d %q http://d/v1.41/containers/create >/dev/null & done; wait\n' "$SOCK" "$body" > "$W/api-create16.sh"
    printf 'for i in $(seq 16); do %s create -q %s true >/dev/null & done; wait\n' "$TSPOD" "$IMG" > "$W/cli-create16.sh"
    chown "${BENCH_USER:-$(id -un)}" "$W"/*.sh
    for tool in api cli; do
      as_user $TSPOD rm -af >/dev/null
      as_user bash "$W/$tool-create16.sh"
      n=$(as_user $TSPOD ps -aq | grep -c . || true)
      echo "$tool: $n containers after 16 concurrent creates" >&2
      [ "$n" -eq 16 ] || { echo "16 concurrent creates through the $tool made $n containers" >&2; exit 1; }
    done
    compare create-16-concurrent "16 creates (API, curl)" "bash $W/api-create16.sh" "16 tspod create" "bash $W/cli-create16.sh" \
      "$TSPOD rm -af" "$TSPOD rm -af"
    as_user $TSPOD rm -af >/dev/null
    echo
    echo "| service memory | $SUITE |"
    echo "| --- | --- |"
    echo "| idle after start, before any request | $cold |"
    echo "| idle after each endpoint was used (30 requests) | $idle |"
    echo "| after 1,000 requests | ${thousands[0]} |"
    echo "| after 2,000 requests | ${thousands[1]} |"
    echo "| after 3,000 requests | ${thousands[2]} |"
    sleep 1
    echo "| after the runs above too | $(mem) |"
    ;;
  *) echo "unknown suite $SUITE" >&2; exit 2 ;;
esac
echo
echo "$(date -u +%FT%TZ) $(uname -r) node $(node --version) $(podman --version) runs=$RUNS"
