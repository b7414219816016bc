#!/usr/bin/env bash
# Runs the README's test command (make test) with two busy-loop processes
# beside it, as on a shared CI runner or a box that also serves the shop's
# staging site (issue 20): the suite must pass on a loaded machine. The
# loops are stopped however the tests end; the exit status is make's.
#
#   scripts/test-under-load.sh            # two loops
#   LOOPS=4 scripts/test-under-load.sh    # more
set -euo pipefail
cd "$(dirname "$0")/.."

loops=${LOOPS:-2}
pids=()
stop() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap stop EXIT INT TERM

for _ in $(seq "$loops"); do
	sh -c 'while :; do :; done' &
	pids+=("$!")
done
echo "test-under-load: $loops busy loops (pids ${pids[*]}) on $(nproc) CPUs" >&2

start=$(date +%s)
status=0
make test || status=$?
echo "test-under-load: make test exited $status after $(( $(date +%s) - start )) s with $loops busy loops" >&2
exit "$status"
