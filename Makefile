# storecheck: `make demo` sweeps the bundled demo shop, `make test` runs the tests.
# Both install Chromium and CJK fonts with apt-get when missing (as root).
export PATH := $(PATH):/usr/local/go/bin
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: all build test demo lint bench fuzz deps clean

all: build

deps:
	@scripts/ensure-deps.sh

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/storecheck ./cmd/storecheck
	$(GO) build -o bin/demoshop ./cmd/demoshop

# The README's test command. Fuzz targets run their seed corpus here; the
# search for new inputs is `make fuzz`. The packages' own tests run two
# binaries at a time (-p 2): the suite passes beside two busy loops
# (scripts/test-under-load.sh), so a second test binary is load it already
# stands; perf fixtures keep margins load cannot cross and perf verdicts
# are confirmed by loading the page again alone. cmd/storecheck runs alone
# (-p 1 on one package): its site sweeps run two at a time inside it.
# Pure arithmetic on pixels and file servers with no shared state: the
# race detector finds nothing there and makes them 8x slower (67 s -> 8 s for
# imagequality), so they run without it; so do single-goroutine calibration,
# card-matching and message tests of checks (NORACE_TESTS), whose pictures the
# parallel measure cache still measures under the race detector in
# TestFindingImages and the other rule tests; and ocr's fixture accuracy and
# detector golden tests, one goroutine's pixel loops (11 s under the race
# detector for the golden, 1 s without; the reader's pool and timeouts stay
# under the race detector in ocr's other tests).
# cmd/storecheck's site sweeps (E2E_NORACE) hold checks' content logic to
# hundreds of real pages; the concurrency they drive (crawler, renderer pool,
# measure cache, storage writer) stays under the race detector in those
# packages' own tests and in cmd/storecheck's other sweeps (two sweeps into
# one database, exit codes, stored history, signals). Everything else runs
# with it. The storage tests run twice: on SQLite files, then on a throwaway
# PostgreSQL cluster (STORECHECK_TEST_STORE=postgres, internal/pgtest).
NORACE := ./checks/imagequality ./internal/benchshop ./internal/testsite ./internal/testsite/gen
NORACE_TESTS := ^(TestSamePicture|TestThumbnail|TestImageTooLarge|TestDuplicateListing|TestDuplicateListingWithoutLinks|TestDuplicateListingCardShapes|TestProductFewImages|TestMessagesImageLogoContentProduct|TestFixtureAccuracy|TestDetectGolden)$$
E2E_NORACE := ^(TestFixtures|TestDiffDemo|TestDemoShop|TestMessyShop|TestHostile|TestPreflight|TestConfirmedPerfVerdicts|TestCommandsOnPostgres|TestTwoSweepsOnePostgres)$$

#
# -p 1 also makes go compile one package at a time, so every test binary is
# built first at the default -p (both cores); -exec true runs none of them,
# and go never caches a result run through -exec.
RACE_PKGS = $$($(GO) list ./... | grep -v -x -e '.*/checks/imagequality' -e '.*/internal/benchshop' -e '.*/internal/testsite' -e '.*/internal/testsite/gen' -e '.*/cmd/storecheck')

test: deps lint
	$(GO) test -race -exec true $(RACE_PKGS) ./cmd/storecheck >/dev/null
	$(GO) test -exec true $(NORACE) ./checks ./ocr ./cmd/storecheck >/dev/null
	$(GO) test -race -p 2 -timeout 14m -skip '$(NORACE_TESTS)' $(RACE_PKGS)
	STORECHECK_TEST_STORE=postgres $(GO) test -race -timeout 5m ./storage
	$(GO) test -race -p 1 -timeout 10m -skip '$(E2E_NORACE)' ./cmd/storecheck
	$(GO) test -p 1 -timeout 5m $(NORACE)
	$(GO) test -p 1 -timeout 5m -run '$(NORACE_TESTS)' ./checks ./ocr
	$(GO) test -p 1 -timeout 14m -run '$(E2E_NORACE)' ./cmd/storecheck

demo: deps build
	@scripts/demo.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# Speed targets live in benchmarks, never in timed tests.
bench: deps
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 3h ./...

FUZZTIME ?= 60s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf bin demo.db demo.db-* demo.json
