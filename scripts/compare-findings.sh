#!/usr/bin/env bash
# Records the findings a storecheck binary produces on the bundled demo shop
# and on every fixture site, so that a refactor can be shown to leave
# behaviour unchanged: same rule, url, viewport, subject, severity and
# fingerprint for every finding.
#
#   scripts/compare-findings.sh STORECHECK_BIN OUTDIR [BASELINE_DIR]
#
# For each site (demo, fixtures, sametitle), one at a time, it serves the site
# on a FIXED loopback port (URLs and fingerprints carry the port), sweeps it
# with a private database, the clock pinned inside the 双11 campaign and
# --concurrency 2, stops the server, and reduces `show latest --format json`
# to sorted lines
#
#   rule<TAB>url<TAB>viewport<TAB>subject<TAB>severity<TAB>fingerprint
#
# in OUTDIR/SITE.findings.tsv (every rule but perf.*) and
# OUTDIR/SITE.perf.tsv (perf.*: they depend on machine speed, so timing
# noise can be told from real changes). OUTDIR/SITE.pages.tsv lists the
# visits (url, viewport, status, kind); OUTDIR/SITE/ keeps the config, the
# database, the JSON and the logs.
#
# With BASELINE_DIR it then diffs OUTDIR against it: a difference in a
# findings or pages file fails (exit 1); a difference in a perf file is
# printed as possible timing noise only.
#
# The sites are served by cmd/demoshop built from THIS checkout into
# OUTDIR/.bin (the server is not what is being compared). The browser is /usr/bin/chromium unless BROWSER= is
# set. SITES="demo fixtures" runs a subset.
#
# Sites and their configuration, as the tests and `make demo` use them:
#   demo       `make demo`: cmd/demoshop (--slow 3.5 s, its default), plain
#              HTTP, testdata/sites/demo/storecheck.yaml as it is.
#   fixtures   TestFixtures: served over HTTPS with a plain-HTTP twin for
#              {{HTTPBASE}} (demoshop --tls-addr; the mixed-content fixture
#              only counts over https), SlowDelay 4 s, and the site's own
#              testdata/sites/fixtures/storecheck.yaml.
#   sametitle  TestSameTitleSite: cmd/demoshop, the tests' budgets.
# Every sweep: both viewports (the sites' default), --now
# 2026-11-05T10:00:00+08:00 (fixtureNow, and the demo's DEMO_NOW),
# --concurrency 2, page_timeout 15s for the generated configs, the default
# settle. testdata/hostile is not a testsite site: it needs internal/hostile
# with browser-crash hooks (TestHostile) and is left out.
set -euo pipefail

usage() { echo "usage: $0 STORECHECK_BIN OUTDIR [BASELINE_DIR]" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
bin=$(realpath "$1")
out=$2
baseline=${3:-}
[ -x "$bin" ] || { echo "$0: $1 is not an executable" >&2; exit 2; }
command -v jq >/dev/null || { echo "$0: needs jq (apt-get install -y jq)" >&2; exit 2; }

repo=$(cd "$(dirname "$0")/.." && pwd)
sites_dir=$repo/testdata/sites
browser=${BROWSER:-/usr/bin/chromium}
now=${NOW:-2026-11-05T10:00:00+08:00}
sites=${SITES:-demo fixtures sametitle}
[ -x "$browser" ] || { echo "$0: no browser at $browser (scripts/ensure-deps.sh installs it)" >&2; exit 2; }

mkdir -p "$out"
out=$(realpath "$out")

# The server, built from this checkout.
mkdir -p "$out/.bin"
export PATH=$PATH:/usr/local/go/bin
(cd "$repo" && go build -o "$out/.bin/demoshop" ./cmd/demoshop) || exit 2
demoshop=$out/.bin/demoshop

# The tests' budgets (cmd/storecheck/e2e_test.go testBudgets).
test_budgets='budgets: {fcp_ms: 3000, lcp_ms: 3500, load_ms: 3500}'

server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT
trap 'stop_server; exit 143' TERM

# wait_port ADDR: until something answers on 127.0.0.1:PORT (10 s at most).
wait_port() {
  local host=${1%:*} port=${1##*:}
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$0: nothing listens on $1" >&2
  return 1
}

# port_free ADDR: fails when something already listens there (a leftover
# server would serve the wrong site).
port_free() {
  local host=${1%:*} port=${1##*:}
  if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
    echo "$0: $1 is already in use; stop what listens there first" >&2
    return 1
  fi
}

run_site() {
  local site=$1 dir=$out/$1 start cfg
  rm -rf "$dir"
  mkdir -p "$dir"
  cfg=$dir/storecheck.yaml
  case $site in
    demo)
      local addr=127.0.0.1:18081
      port_free "$addr"
      "$demoshop" --addr "$addr" --root "$sites_dir/demo" >"$dir/server.log" 2>&1 &
      server_pid=$!
      wait_port "$addr"
      start=http://$addr/
      # Its own config; the brand logo path is relative to the config's
      # folder, so it is used in place.
      cfg=$sites_dir/demo/storecheck.yaml
      ;;
    fixtures)
      local addr=127.0.0.1:18082 tls=127.0.0.1:18443 root=$sites_dir/fixtures
      port_free "$addr"
      port_free "$tls"
      "$demoshop" --addr "$addr" --tls-addr "$tls" --root "$root" --slow 4s >"$dir/server.log" 2>&1 &
      server_pid=$!
      wait_port "$addr"
      wait_port "$tls"
      start=https://$tls/
      cfg=$root/storecheck.yaml # the site's own: TestFixtures sweeps with it too
      ;;
    sametitle)
      local addr=127.0.0.1:18083
      port_free "$addr"
      "$demoshop" --addr "$addr" --root "$sites_dir/sametitle" --slow 2s >"$dir/server.log" 2>&1 &
      server_pid=$!
      wait_port "$addr"
      start=http://$addr/
      cat >"$cfg" <<EOF
start_urls: ["$start"]
page_timeout: 15s
$test_budgets
EOF
      ;;
    *) echo "$0: unknown site $site" >&2; return 2 ;;
  esac

  echo "== $site: sweeping $start" >&2
  local status=0 t0=$SECONDS
  "$bin" sweep "$start" --config "$cfg" --db "$dir/run.db" --browser "$browser" \
    --now "$now" --concurrency 2 --quiet >"$dir/sweep.out" 2>"$dir/sweep.err" || status=$?
  stop_server
  # 0 ran, 1 findings at/above fail_on (the sites plant errors).
  if [ "$status" -gt 1 ]; then
    echo "$0: $site: sweep exit $status:" >&2
    cat "$dir/sweep.err" >&2
    return 1
  fi
  "$bin" show latest --db "$dir/run.db" --format json >"$dir/run.json"
  local run_status
  run_status=$(jq -r '.run.status' "$dir/run.json")
  [ "$run_status" = complete ] || echo "$0: $site: run status $run_status, not complete" >&2

  # @tsv escapes tabs, newlines and backslashes in subjects, so a line is a
  # finding. LC_ALL=C: the sort order does not depend on the locale.
  jq -r '.findings[] | select(.rule | startswith("perf.") | not)
         | [.rule, .url, .viewport, .subject, .severity, .fingerprint] | @tsv' "$dir/run.json" \
    | LC_ALL=C sort >"$out/$site.findings.tsv"
  jq -r '.findings[] | select(.rule | startswith("perf."))
         | [.rule, .url, .viewport, .subject, .severity, .fingerprint] | @tsv' "$dir/run.json" \
    | LC_ALL=C sort >"$out/$site.perf.tsv"
  jq -r '.pages[] | [.url, .viewport, (.status|tostring), .kind] | @tsv' "$dir/run.json" \
    | LC_ALL=C sort >"$out/$site.pages.tsv"
  printf '%s: %d findings, %d perf findings, %d visits, exit %d, %ds\n' "$site" \
    "$(wc -l <"$out/$site.findings.tsv")" "$(wc -l <"$out/$site.perf.tsv")" \
    "$(wc -l <"$out/$site.pages.tsv")" "$status" $((SECONDS - t0)) >&2
}

for site in $sites; do
  run_site "$site"
done

[ -n "$baseline" ] || exit 0
echo "== comparing $out with $baseline" >&2
changed=0
for site in $sites; do
  for kind in findings pages; do
    if ! diff -u "$baseline/$site.$kind.tsv" "$out/$site.$kind.tsv"; then
      changed=1
    fi
  done
  if ! diff -u "$baseline/$site.perf.tsv" "$out/$site.perf.tsv" >"$out/$site.perf.diff"; then
    echo "-- $site: perf findings differ (timing-dependent; check against the noise of two baseline runs):" >&2
    cat "$out/$site.perf.diff" >&2
  else
    rm -f "$out/$site.perf.diff"
  fi
done
if [ "$changed" -ne 0 ]; then
  echo "findings or visits differ from $baseline" >&2
  exit 1
fi
echo "findings and visits unchanged (perf: see above)" >&2
