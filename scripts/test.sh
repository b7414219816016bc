#!/usr/bin/env bash
# The suite behind `make test` (the README's test command), in two lanes that
# run at the same time. Run one after the other, its steps kept a 2-core
# machine 117 % busy over 16 minutes: compiling one big package, a sweep
# waiting on a held slow page, a test binary linking, each leaves a core
# idle. The suite passes beside two busy loops (scripts/test-under-load.sh),
# so each lane stands the other's load; its perf fixtures keep margins load
# cannot cross and perf verdicts are confirmed by loading the page again.
#
#   race lane:   the packages' tests under the race detector, two binaries
#                at a time, then cmd/storecheck's under it (its site sweeps
#                excepted).
#   plain lane:  what runs without it (see NORACE below), then the site
#                sweeps of cmd/storecheck (two at a time inside the binary).
#
# Each lane's output goes to its own log, printed whole when the lane ends,
# so the two never interleave; the exit status is non-zero when either lane
# failed.
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}

# Pure arithmetic on pixels and file servers with no shared state: the race
# detector finds nothing there and makes them 8x slower (67 s -> 8 s for
# imagequality), so they run without it; so do single-goroutine
# calibration, card-matching and message tests of checks (NORACE_TESTS),
# whose pictures the parallel measure cache still measures under the race
# detector in TestFindingImages and the other rule tests; and ocr's fixture
# accuracy test, one goroutine's pixel loops between tesseract runs (the
# reader's pool and timeouts stay under the race detector in ocr's other
# tests).
NORACE=(./checks/imagequality ./internal/benchshop ./internal/testsite ./internal/testsite/gen)
NORACE_TESTS='^(TestSamePicture|TestThumbnail|TestImageTooLarge|TestDuplicateListing|TestDuplicateListingWithoutLinks|TestDuplicateListingCardShapes|TestProductFewImages|TestMessagesImageLogoContentProduct|TestFixtureAccuracy)$'
# cmd/storecheck's site sweeps hold checks' content logic to hundreds of
# real pages; the concurrency they drive (crawler, renderer pool, measure
# cache, storage writer) stays under the race detector in those packages'
# own tests and in cmd/storecheck's other sweeps (two sweeps into one
# database, exit codes, stored history, signals).
E2E_NORACE='^(TestFixtures|TestDiffDemo|TestDemoShop|TestMessyShop|TestHostile|TestPreflight|TestConfirmedPerfVerdicts)$'

mapfile -t RACE_PKGS < <($GO list ./... | grep -v -x -e '.*/checks/imagequality' -e '.*/internal/benchshop' \
	-e '.*/internal/testsite' -e '.*/internal/testsite/gen' -e '.*/cmd/storecheck')

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# lane NAME CMD... runs the commands (one per argument, through bash -c) in
# order in the background, stopping at the first failure; its output goes
# to $logs/NAME.
lane() {
	local name=$1
	shift
	(
		for step in "$@"; do
			echo "== $name: $step"
			bash -c "$step" || exit
		done
	) >"$logs/$name" 2>&1 &
	pids+=("$!")
	names+=("$name")
}

# finish waits for every lane, prints each one's log and how long it took,
# and returns non-zero when one failed.
finish() {
	local status=0 i rc
	for i in "${!pids[@]}"; do
		rc=0
		wait "${pids[$i]}" || rc=$?
		cat "$logs/${names[$i]}"
		echo "== ${names[$i]}: exit $rc after $((SECONDS - start)) s"
		[ "$rc" -eq 0 ] || status=1
	done
	pids=() names=()
	return "$status"
}

q() { printf '%q ' "$@"; }

start=$SECONDS
pids=() names=()
# Compiling: vet builds every package without the race detector (the plain
# lane's binaries link from that), the race lane's binaries are built at
# the same time; -exec true runs none of them, and go caches no result run
# through -exec.
lane vet "$GO vet ./..."
lane build-race "$GO test -race -exec true $(q "${RACE_PKGS[@]}") ./cmd/storecheck >/dev/null"
finish || exit 1

lane race \
	"$GO test -race -p 2 -timeout 14m -skip $(q "$NORACE_TESTS") $(q "${RACE_PKGS[@]}")" \
	"$GO test -race -p 1 -timeout 10m -skip $(q "$E2E_NORACE") ./cmd/storecheck"
lane plain \
	"$GO test -p 1 -timeout 5m $(q "${NORACE[@]}")" \
	"$GO test -p 1 -timeout 5m -run $(q "$NORACE_TESTS") ./checks ./ocr" \
	"$GO test -p 1 -timeout 14m -run $(q "$E2E_NORACE") ./cmd/storecheck"
finish || exit 1
echo "== all tests passed in $((SECONDS - start)) s"
