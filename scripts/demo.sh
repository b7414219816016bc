#!/usr/bin/env bash
# Serves the bundled demo shop on a local port and sweeps it with storecheck.
set -euo pipefail
cd "$(dirname "$0")/.."
addr=${DEMO_ADDR:-127.0.0.1:8089}
db=${DEMO_DB:-demo.db}

bin/demoshop --addr "$addr" --root testdata/sites/demo >/dev/null &
shop=$!
trap 'kill $shop 2>/dev/null || true' EXIT
host=${addr%:*} port=${addr##*:}
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && break
  sleep 0.1
done
echo "demo shop at http://$addr/ — sweeping it (results in $db)" >&2
# The campaign copy runs 2026-11-01..11; pin the clock inside it so the demo
# shows its planted defects and nothing that merely aged.
# The sweep exits 1 when it found errors (the demo plants some); the report
# is wanted either way.
status=0
bin/storecheck sweep "http://$addr/" --config testdata/sites/demo/storecheck.yaml --db "$db" --json demo.json \
  --now "${DEMO_NOW:-2026-11-05T10:00:00+08:00}" || status=$?
[ "$status" -le 1 ] || exit "$status"
bin/storecheck report latest --db "$db" --out "${DEMO_REPORT:-demo-report.html}"
# The inspection report as the QC department reads it: in Chinese, and as a
# sheet with one row per problem group.
bin/storecheck report latest --db "$db" --lang zh-CN --out demo-report.zh-CN.html
bin/storecheck report latest --db "$db" --lang zh-CN --format xlsx --out demo-抽检报告.xlsx
echo >&2
echo "open ${DEMO_REPORT:-demo-report.html} (or demo-report.zh-CN.html, demo-抽检报告.xlsx); next: bin/storecheck runs --db $db   |   bin/storecheck diff --db $db" >&2
exit "$status"
