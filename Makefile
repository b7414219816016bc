# storecheck: `make demo` sweeps the bundled demo shop, `make test` runs the tests.
# Both install Chromium and CJK fonts with apt-get when missing (as root).
export PATH := $(PATH):/usr/local/go/bin
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: all build test demo fmt lint bench fuzz deps clean

all: build

deps:
	@scripts/ensure-deps.sh

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/storecheck ./cmd/storecheck
	$(GO) build -o bin/demoshop ./cmd/demoshop

# The README's test command: gofmt, then scripts/test.sh (go vet and the
# whole suite, in two lanes at once; it says which tests run without the race
# detector and why). Fuzz targets run their seed corpus here; the search for
# new inputs is `make fuzz`.
test: deps fmt
	@GO=$(GO) scripts/test.sh

demo: deps build
	@scripts/demo.sh

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

lint: fmt
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
