#!/usr/bin/env bash
# Renders `score --history 12m --format html` of a generated catalog with history and takes a
# screenshot of it in headless Chromium, to look at the charts (docs/images/score-history.png).
#
#   bench/score-history-screenshot.sh [OUT_PNG]      (default /tmp/callboard-score-history.png)
#
# The scorecard is the embedded one with a campaign (docs for every component by the last
# month end), so the page shows a burn-up chart too.
#
# Needs Debian's chromium (apt-get install chromium). Prints the paths of the HTML and PNG.
# CALLBOARD=path/to/binary skips the release build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${SHARED:-$root/../shared}
png=${1:-/tmp/callboard-score-history.png}
work=$(mktemp -d)
"$shared/bench/gen-catalog" "$work/catalog" --components 500 --history 12 >/dev/null
if [ -z "${CALLBOARD:-}" ]; then
  (cd "$root" && cargo build --release --quiet)
  CALLBOARD="$root/target/release/callboard"
fi
cb=$CALLBOARD
now=$(cd "$work/catalog" && git log -1 --format=%cs)
sed "s|^  rules:|  campaigns:\n    - {id: docs, title: Every component documented, rules: [has-techdocs, has-description], owner: $(cd "$work/catalog" && "$cb" score --format json --now "$now" | python3 -c 'import json,sys; print([e["owner"] for e in json.load(sys.stdin)["scorecards"][0]["entities"] if (e["owner"] or "").startswith("group:")][0])'), deadline: $now}\n  rules:|" \
  "$root/src/score/default_scorecard.yaml" >"$work/scorecard.yaml"
(cd "$work/catalog" && "$cb" score --history 12m --now "$now" --scorecard "$work/scorecard.yaml" --format html --output "$work/report.html") || true
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --window-size=1000,2400 --screenshot="$png" "file://$work/report.html" 2>/dev/null
echo "html: $work/report.html"
echo "png:  $png"
