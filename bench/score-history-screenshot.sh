#!/usr/bin/env bash
# Renders `score --history 12m --format html` of a generated catalog with history and takes a
# screenshot of it in headless Chromium, to look at the charts (docs/images/score-history.png).
#
#   bench/score-history-screenshot.sh [OUT_PNG]      (default /tmp/callboard-score-history.png)
#
# Needs Debian's chromium (apt-get install chromium). Prints the paths of the HTML and PNG.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${SHARED:-$root/../shared}
png=${1:-/tmp/callboard-score-history.png}
work=$(mktemp -d)
"$shared/bench/gen-catalog" "$work/catalog" --components 500 --history 12 >/dev/null
(cd "$root" && cargo build --release --quiet)
cb="$root/target/release/callboard"
now=$(cd "$work/catalog" && git log -1 --format=%cs)
(cd "$work/catalog" && "$cb" score --history 12m --now "$now" --format html --output "$work/report.html") || true
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --window-size=1000,1880 --screenshot="$png" "file://$work/report.html" 2>/dev/null
echo "html: $work/report.html"
echo "png:  $png"
