#!/usr/bin/env bash
# Sweeps the generated benchmark shop with storecheck and runs Lighthouse on a
# few of its pages with the same Chromium, then prints how many pages per
# second each gets through and, per page, Lighthouse's FCP, LCP and CLS beside
# storecheck's: the "Lighthouse side by side" of docs/performance.md.
#
#   scripts/lighthouse-compare.sh
#
# Steps, one after another so neither tool competes with the other:
#  1. npm installs Lighthouse 12 into a temporary folder (removed at exit);
#  2. cmd/demoshop --bench PAGES serves the shop BenchmarkSweep sweeps
#     (internal/benchshop, 800 px photos, the promotion dated around
#     benchshop.SweepNow) on a free loopback port, and writes the
#     benchmark's storecheck.yaml (every rule on: brand logo, protected mark,
#     campaign, above-the-fold promotion);
#  3. `storecheck sweep` built from this tree sweeps the whole shop as
#     BenchmarkSweep does: desktop viewport, --concurrency CONCURRENCY,
#     SQLite, --now benchshop.SweepNow; storecheck's pages/s = visits ÷ wall
#     time of the command (browser launch included);
#  4. Lighthouse runs LH_RUNS times on each of LH_PAGES pages (the home
#     page, a listing, then product pages spread over the shop), one run at
#     a time, desktop preset, throttling "provided" (none: the page as this
#     machine loads it), performance only; Lighthouse's pages/s = the runs
#     ÷ their wall time (each launches its own Chromium, as Lighthouse is
#     used), and each metric of a page is the median of its runs, as
#     Lighthouse CI reads several runs (one load of a 100 ms page moves by
#     more than the 60 ms the comparison allows);
#  5. unless ALONE=0, storecheck sweeps just the pages Lighthouse loaded,
#     one at a time and LH_RUNS times each (--concurrency 1 --max-depth 0
#     --repeat LH_RUNS: each metric's median), as a second set of per-page
#     metrics measured under Lighthouse's conditions (no other page
#     rendering beside it), which tells differences from load apart from
#     differences of measurement;
#  6. prints the tables (markdown), also into the temporary folder.
#
# Environment: PAGES (300), CONCURRENCY (4), LH_PAGES (5), LH_RUNS (3), ALONE (1), KEEP=1 keeps the
# temporary folder (databases, Lighthouse JSON, logs) and prints its path,
# BROWSER (/usr/bin/chromium). Needs go, node ≥ 18 with npm, and jq.
#
# A page's FCP/LCP counts as matching when storecheck's value is within
# max(60 ms, 20 %) of Lighthouse's; CLS within max(0.01, 20 %) (the 0.01
# floor is this script's choice: a layout shift score has no milliseconds).
set -euo pipefail

pages=${PAGES:-300}
conc=${CONCURRENCY:-4}
lh_pages=${LH_PAGES:-5}
lh_runs=${LH_RUNS:-3}
alone=${ALONE:-1}
browser=${BROWSER:-/usr/bin/chromium}
export PATH=$PATH:/usr/local/go/bin

for tool in go node npm jq; do
  command -v "$tool" >/dev/null || { echo "$0: needs $tool" >&2; exit 2; }
done
[ -x "$browser" ] || { echo "$0: no browser at $browser (scripts/ensure-deps.sh installs it)" >&2; exit 2; }
[ "$lh_pages" -ge 1 ] || { echo "$0: LH_PAGES=$lh_pages: want at least 1" >&2; exit 2; }
[ "$lh_runs" -ge 1 ] || { echo "$0: LH_RUNS=$lh_runs: want at least 1" >&2; exit 2; }

repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lighthouse-compare.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "${KEEP:-}" ]; then
    echo "kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# now: seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }
# elapsed T0 T1: T1 - T0 in seconds.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

echo "== building storecheck and demoshop" >&2
(cd "$repo" && go build -o "$tmp/bin/storecheck" ./cmd/storecheck && go build -o "$tmp/bin/demoshop" ./cmd/demoshop)

echo "== installing Lighthouse 12 into $tmp/lh" >&2
npm install --prefix "$tmp/lh" --no-audit --no-fund --loglevel=error lighthouse@12 >"$tmp/npm.log" 2>&1 \
  || { cat "$tmp/npm.log" >&2; exit 1; }
lighthouse=$tmp/lh/node_modules/.bin/lighthouse
lh_version=$("$lighthouse" --version)

echo "== serving the $pages-page benchmark shop" >&2
mkdir -p "$tmp/shop"
"$tmp/bin/demoshop" --addr 127.0.0.1:0 --bench "$pages" --bench-config "$tmp/shop" \
  >"$tmp/shop/server.out" 2>"$tmp/shop/server.err" &
server_pid=$!
base=
for _ in $(seq 600); do # generating the photos takes a few seconds
  base=$(sed -n 's/^serving //p' "$tmp/shop/server.out" 2>/dev/null || true)
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/shop/server.err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { echo "$0: the shop did not start" >&2; exit 1; }
# The clock the shop's promotion is dated around (benchshop.SweepNow), read
# from the source so the two cannot drift apart.
sweep_now=$(sed -n 's/^const SweepNow = "\(.*\)"$/\1/p' "$repo/internal/benchshop/benchshop.go")
[ -n "$sweep_now" ] || { echo "$0: no SweepNow in internal/benchshop/benchshop.go" >&2; exit 1; }

echo "== storecheck sweep of $base at concurrency $conc" >&2
mkdir -p "$tmp/sweep/tmp"
status=0
load_sweep=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(now)
(cd "$tmp/sweep" && TMPDIR=$tmp/sweep/tmp "$tmp/bin/storecheck" sweep "$base" --config "$tmp/shop/storecheck.yaml" \
  --db "$tmp/sweep/bench.db" --browser "$browser" --viewport desktop --concurrency "$conc" \
  --max-pages "$pages" --now "$sweep_now" --quiet >"$tmp/sweep/sweep.out" 2>"$tmp/sweep/sweep.err") || status=$?
t1=$(now)
if [ "$status" -gt 1 ]; then # 0 ran, 1 findings at or above fail_on
  echo "$0: sweep exit $status:" >&2
  cat "$tmp/sweep/sweep.err" >&2
  exit 1
fi
sc_wall=$(elapsed "$t0" "$t1")
"$tmp/bin/storecheck" show latest --db "$tmp/sweep/bench.db" --format json >"$tmp/sweep/run.json"
sc_visits=$(jq '.run.pages' "$tmp/sweep/run.json")
sc_rate=$(awk -v n="$sc_visits" -v s="$sc_wall" 'BEGIN { printf "%.2f", n / s }')
sc_bi=$(jq -r '.run.host.benchmark_index // "-"' "$tmp/sweep/run.json")
sc_browser=$(jq -r '.run.browser' "$tmp/sweep/run.json")
sc_findings=$(jq -r '[.findings[].rule] | group_by(.) | map("\(.[0]) \(length)") | join(", ") | if . == "" then "none" else . end' "$tmp/sweep/run.json")

# The pages Lighthouse loads: the home page, the first listing, then product
# pages spread evenly over the sweep's product pages.
mapfile -t lh_urls < <(jq -r --argjson n "$lh_pages" '
  [.pages[] | select(.viewport == "desktop" and .status == 200)] as $p
  | ([$p[] | select(.kind == "home") | .url] | sort | .[:1])
    + ([$p[] | select(.kind == "listing") | .url] | sort | .[:1])
    + ([$p[] | select(.kind == "product") | .url] | sort_by(capture("/p/(?<n>[0-9]+)").n | tonumber) as $pr
       | ($n - 2) as $k | if $k <= 0 then [] else [range($k) | $pr[(. * ($pr | length) / $k | floor)]] end)
  | .[:$n] | .[]' "$tmp/sweep/run.json")

echo "== Lighthouse $lh_version on ${#lh_urls[@]} pages, $lh_runs runs each, one at a time" >&2
mkdir -p "$tmp/lhout"
load_lh=$(cut -d' ' -f1-3 /proc/loadavg)
chrome_flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic"
t0=$(now)
# Run r of every page before run r+1 of any, so that a busy moment of the
# machine falls on different pages' runs rather than on one page's.
for r in $(seq "$lh_runs"); do
  i=0
  for u in "${lh_urls[@]}"; do
    i=$((i + 1))
    CHROME_PATH=$browser "$lighthouse" "$u" --preset=desktop --throttling-method=provided \
      --only-categories=performance --chrome-flags="$chrome_flags" --output=json \
      --output-path="$tmp/lhout/$i-$r.json" --quiet 2>"$tmp/lhout/$i-$r.err" \
      || { echo "$0: lighthouse failed on $u:" >&2; cat "$tmp/lhout/$i-$r.err" >&2; exit 1; }
  done
done
t1=$(now)
lh_wall=$(elapsed "$t0" "$t1")
lh_loads=$((${#lh_urls[@]} * lh_runs))
lh_rate=$(awk -v n="$lh_loads" -v s="$lh_wall" 'BEGIN { printf "%.3f", n / s }')

# Lighthouse must have loaded nothing from outside the machine: a runtime
# error, a run warning or a DNS/network error in its log means it tried.
problems=0
for f in "$tmp"/lhout/*.json; do
  i=$(basename "$f" .json)
  u=${lh_urls[${i%-*} - 1]}
  msgs=$(jq -r '(.runtimeError // empty | "runtime error: \(.code) \(.message)"), (.runWarnings[]? | "warning: \(.)")' "$f")
  if [ -n "$msgs" ]; then
    sed "s|^|Lighthouse $u: |" <<<"$msgs" >&2
    problems=1
  fi
  if grep -Eiq 'ENOTFOUND|EAI_AGAIN|getaddrinfo|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|ECONNREFUSED' "$tmp/lhout/$i.err"; then
    echo "Lighthouse $u: network errors in its log:" >&2
    grep -Ei 'ENOTFOUND|EAI_AGAIN|getaddrinfo|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|ECONNREFUSED' "$tmp/lhout/$i.err" | head -5 >&2
    problems=1
  fi
  # Every request of the page went to the shop.
  off=$(jq -r --arg base "$base" '.audits["network-requests"].details.items[]?.url | select(startswith($base) | not)' "$f")
  if [ -n "$off" ]; then
    sed "s|^|Lighthouse $u: request off the shop: |" <<<"$off" >&2
    problems=1
  fi
done
# The pages Lighthouse loaded, swept by storecheck alone and one at a time.
alone_wall=-
if [ "$alone" = 1 ]; then
  echo "== storecheck sweep of the Lighthouse pages alone, concurrency 1, $lh_runs loads each" >&2
  mkdir -p "$tmp/alone/tmp"
  status=0
  t0=$(now)
  (cd "$tmp/alone" && TMPDIR=$tmp/alone/tmp "$tmp/bin/storecheck" sweep "${lh_urls[@]}" --config "$tmp/shop/storecheck.yaml" \
    --db "$tmp/alone/bench.db" --browser "$browser" --viewport desktop --concurrency 1 --max-depth 0 \
    --repeat "$lh_runs" --now "$sweep_now" --quiet >"$tmp/alone/sweep.out" 2>"$tmp/alone/sweep.err") || status=$?
  t1=$(now)
  if [ "$status" -gt 1 ]; then
    echo "$0: sweep of the Lighthouse pages: exit $status:" >&2
    cat "$tmp/alone/sweep.err" >&2
    exit 1
  fi
  alone_wall=$(elapsed "$t0" "$t1")
  "$tmp/bin/storecheck" show latest --db "$tmp/alone/bench.db" --format json >"$tmp/alone/run.json"
fi

# The range of Lighthouse's benchmark index over its runs.
lh_bi=$(jq -s -r 'map(.environment.benchmarkIndex) | "\(min)–\(max)"' "$tmp"/lhout/*.json)

# page_table RUN_JSON: Lighthouse's FCP, LCP and CLS of every page it loaded
# (each the median of its runs) beside storecheck's desktop visit of the
# same URL in RUN_JSON.
page_table() {
  printf '| page | LH FCP | SC FCP | diff | ok | LH LCP | SC LCP | diff | ok | LH CLS | SC CLS | diff | ok |\n'
  printf '|---|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---|\n'
  local i u
  for i in $(seq "${#lh_urls[@]}"); do
    u=${lh_urls[i - 1]}
    jq -r -n --arg u "$u" --arg base "$base" --slurpfile sc "$1" \
      --argjson lh "$(jq -s -c 'map(.audits | {fcp: .["first-contentful-paint"].numericValue,
        lcp: .["largest-contentful-paint"].numericValue, cls: .["cumulative-layout-shift"].numericValue})' "$tmp"/lhout/"$i"-*.json)" '
      def median: map(select(. != null)) | sort
        | if length == 0 then null
          elif length % 2 == 1 then .[length / 2 | floor]
          else (.[length / 2 - 1] + .[length / 2]) / 2 end;
      def lh(k): [$lh[][k]] | median;
      def cell(l; s; floor; fmt):
        if l == null or s == null then ["-", (s // "-" | tostring), "-", "-"]
        else (s - l) as $d
          | [(l | fmt), (s | fmt), ($d | fmt),
             (if ($d | fabs) <= ([floor, 0.2 * (l | fabs)] | max) then "yes" else "NO" end)]
        end;
      def ms: . * 10 | round / 10 | tostring;
      def ls: . * 1000 | round / 1000 | tostring;
      ($sc[0].pages[] | select(.url == $u and .viewport == "desktop") | .metrics) as $m
      | [($u | ltrimstr($base) | "/" + .)]
        + cell(lh("fcp"); $m.fcp_ms; 60; ms)
        + cell(lh("lcp"); $m.lcp_ms; 60; ms)
        + cell(lh("cls"); $m.cls; 0.01; ls)
      | "| " + join(" | ") + " |"'
  done
}

# The report.
{
  printf 'Lighthouse side by side: %d-page benchmark shop, %s, %d CPUs; load average (1/5/15 min) before the sweep %s, before Lighthouse %s\n' \
    "$pages" "$sc_browser" "$(nproc)" "$load_sweep" "$load_lh"
  printf '\n| tool | pages | wall s | pages/s | benchmark index |\n|---|---:|---:|---:|---|\n'
  printf '| storecheck sweep (every rule, SQLite, desktop, concurrency %d) | %d | %s | %s | %s |\n' \
    "$conc" "$sc_visits" "$sc_wall" "$sc_rate" "$sc_bi"
  printf '| Lighthouse %s (desktop preset, provided throttling, performance only, one at a time; %d runs of %d pages) | %d | %s | %s | %s |\n' \
    "$lh_version" "$lh_runs" "${#lh_urls[@]}" "$lh_loads" "$lh_wall" "$lh_rate" "$lh_bi"
  awk -v a="$sc_rate" -v b="$lh_rate" 'BEGIN { r = a / b; printf "\nstorecheck / Lighthouse: %.1f× (target ≥ 40×: %s)\n", r, (r >= 40 ? "met" : "NOT met") }'
  printf '\nPer page (ms; CLS unitless; Lighthouse: the median of its %d runs); diff = storecheck − Lighthouse; ok = within max(60 ms, 20 %%) of Lighthouse (CLS: max(0.01, 20 %%)):\n\n' "$lh_runs"
  page_table "$tmp/sweep/run.json"
  if [ "$alone" = 1 ]; then
    printf '\nThe same, storecheck sweeping only these pages, alone and one at a time (--concurrency 1 --max-depth 0 --repeat %d:\n' "$lh_runs"
    printf 'the median of %d loads, run after Lighthouse, %s s): the machine as Lighthouse had it, to tell load from measurement:\n\n' "$lh_runs" "$alone_wall"
    page_table "$tmp/alone/run.json"
  fi
  printf '\nstorecheck findings: %s\n' "$sc_findings"
  if [ "$problems" -ne 0 ]; then
    printf 'Lighthouse reported errors or warnings (above on stderr): check its numbers\n'
  fi
} | tee "$tmp/report.md"
