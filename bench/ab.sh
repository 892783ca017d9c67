#!/usr/bin/env bash
# Alternating A/B of two commands on a shared machine: each round runs PREPARE then A, PREPARE then B,
# timed by /usr/bin/time; prints the median wall, user, sys and user+sys of each (the CPU figures are
# the ones to trust when other work shares the cores).
#   bench/ab.sh RUNS 'PREPARE' 'COMMAND_A' 'COMMAND_B'      (PREPARE may be '')
# e.g. rm -a of 50 stopped containers restored from a copy of the store before each run:
#   bench/ab.sh 6 'restore-store; sync' 'old/bin/tspod --root R --runroot RR rm -a' 'new/bin/tspod --root R --runroot RR rm -a'
set -euo pipefail
N=$1 PREP=$2 A=$3 B=$4
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for i in $(seq "$N"); do
  for v in A B; do
    if [ $v = A ]; then c=$A; else c=$B; fi
    [ -n "$PREP" ] && bash -c "$PREP" >/dev/null 2>&1
    /usr/bin/time -f "$v %e %U %S" -a -o "$out" bash -c "$c" >/dev/null 2>/tmp/ab.$$.err || echo "round $i: $v failed: $(tail -2 /tmp/ab.$$.err)" >&2
  done
done
rm -f /tmp/ab.$$.err
node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => l.split(" "));
const med = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)].toFixed(3);
for (const v of ["A", "B"]) {
  const r = rows.filter((x) => x[0] === v);
  const col = (i) => r.map((x) => +x[i]);
  console.log(`${v}: n=${r.length} wall ${med(col(1))} s (min ${Math.min(...col(1)).toFixed(3)}), user ${med(col(2))}, sys ${med(col(3))}, user+sys ${med(r.map((x) => +x[2] + +x[3]))}`);
}' "$out"
