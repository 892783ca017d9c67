#!/usr/bin/env bash
# The project's one test command (README, npm test, .ci/run): prepares the host when root, builds,
# starts a real registry with fixture images, then runs unit and integration tests as a real user.
# With test files as arguments (scripts/test.sh test/integration/cp.test.ts) it prepares the same
# and runs only those: what a developer does while working on one part.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
export TSPOD_TEST_STATE=${TSPOD_TEST_STATE:-/var/tmp/tspod-test}
CI=${CI:-}

if [ "$(id -u)" -eq 0 ]; then
  bash scripts/setup-host.sh --test-users
  export TSPOD_TEST_USER=${TSPOD_TEST_USER:-tspodtest}
  export TSPOD_NOSUB_USER=${TSPOD_NOSUB_USER:-tspodnosub}
  export TSPOD_NORUN_USER=${TSPOD_NORUN_USER:-tspodnorun}
else
  # A developer's machine: tests run as this user; say what is missing instead of installing it.
  missing=()
  for tool in newuidmap newgidmap runc fuse-overlayfs slirp4netns pasta docker-registry skopeo debootstrap busybox unshare nsenter; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
  done
  grep -q "^$(id -un):" /etc/subuid 2>/dev/null || missing+=("subuid range for $(id -un)")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing prerequisites: ${missing[*]}" >&2
    echo "fix: sudo scripts/setup-host.sh --test-users (installs them and sets up subuids and devices)" >&2
    [ "$CI" = true ] && exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build
npx tsc --noEmit -p .

mkdir -p "$TSPOD_TEST_STATE"
registry=$(bash scripts/registry.sh start)
trap 'bash scripts/registry.sh stop' EXIT
export TSPOD_TEST_REGISTRY=$registry
bash scripts/fixtures.sh "$registry"

# The test user must be able to read the program; the checkout may sit under a private directory,
# so it runs a staged copy, as an installed tspod would be.
export TSPOD_TEST_APP=$REPO
if [ "$(id -u)" -eq 0 ]; then
  TSPOD_TEST_APP=$TSPOD_TEST_STATE/app
  rm -rf "$TSPOD_TEST_APP.new"
  mkdir -p "$TSPOD_TEST_APP.new"
  cp -a bin dist package.json node_modules "$TSPOD_TEST_APP.new/"
  rm -rf "$TSPOD_TEST_APP"
  mv "$TSPOD_TEST_APP.new" "$TSPOD_TEST_APP"
  chmod -R a+rX "$TSPOD_TEST_APP"
  chmod a+x "$TSPOD_TEST_STATE"
fi

results=$REPO/test-results
rm -rf "$results"
mkdir -p "$results"
status=0
outputs=()
unit_files=()
integration_files=()
for f in "$@"; do
  case "$f" in
    test/unit|test/unit/*) unit_files+=("$f") ;;
    test/integration|test/integration/*) integration_files+=("$f") ;;
    *) echo "test.sh: $f is neither under test/unit nor under test/integration" >&2; exit 2 ;;
  esac
done
if [ $# -eq 0 ] || [ ${#unit_files[@]} -gt 0 ]; then
  npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$results/unit.json" "${unit_files[@]}" || status=1
  outputs+=("$results/unit.json")
fi
if [ $# -eq 0 ] || [ ${#integration_files[@]} -gt 0 ]; then
  # Unhandled errors fail the run through the reporter's file (test/reporters/unhandled-errors.ts),
  # all but vitest's own worker RPC timeouts, which a long synchronous test causes.
  TSPOD_UNHANDLED_ERRORS="$results/unhandled-errors.json" npx vitest run --project integration --no-file-parallelism --dangerouslyIgnoreUnhandledErrors --reporter=default --reporter=json --reporter=./test/reporters/unhandled-errors.ts --outputFile.json="$results/integration.json" "${integration_files[@]}" || status=1
  outputs+=("$results/integration.json")
  [ -f "$results/unhandled-errors.json" ] || { echo "no unhandled-errors report in $results" >&2; status=1; }
  if [ -f "$results/unhandled-errors.json" ] && [ "$(node -e 'process.stdout.write(String(require(process.argv[1]).length))' "$results/unhandled-errors.json")" != 0 ]; then
    echo "unhandled errors in the integration tests (test-results/unhandled-errors.json):" >&2
    node -e 'for (const e of require(process.argv[1])) console.error(e.stack || e.message)' "$results/unhandled-errors.json"
    status=1
  fi
fi

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of process.argv.slice(1)) {
    if (!fs.existsSync(f)) { failed++; console.error(`no results in ${f}`); continue; }
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
    skipped += r.numPendingTests + r.numTodoTests;
  }
  // A skipped test proves nothing: count it as a failure.
  console.log(`tests: ${passed} passed, ${failed + skipped} failed`);
  if (skipped) console.error(`${skipped} tests were skipped or todo; they count as failures`);
  process.exitCode = failed + skipped ? 1 : 0;
' "${outputs[@]}" || status=1
exit $status
