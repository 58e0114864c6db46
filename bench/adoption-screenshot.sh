#!/usr/bin/env bash
# Renders the HTML adoption report of a generated catalog with history and synthetic usage
# (bench/gen-usage, 60 % of the Users active, so the usage funnel shows) and takes a screenshot
# of it in headless Chromium, to look at the curve, the bands, the chasm line and the funnel.
#
#   bench/adoption-screenshot.sh [OUT_PNG]      (default /tmp/callboard-adoption.png)
#
# Needs Debian's chromium (apt-get install chromium). Prints the paths of the HTML and PNG.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${SHARED:-$root/../shared}
png=${1:-/tmp/callboard-adoption.png}
work=$(mktemp -d)
"$shared/bench/gen-catalog" "$work/catalog" --components 500 --history 12 >/dev/null
(cd "$root" && cargo build --release --quiet)
cb="$root/target/release/callboard"
as_of=$(cd "$work/catalog" && "$cb" adoption report --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["asOf"])')
"$here/gen-usage" "$work/catalog" --as-of "$as_of" --active 0.6 --weeks 30 --output "$work/usage.csv"
(cd "$work/catalog" && "$cb" adoption report --format html --usage "$work/usage.csv" --output "$work/report.html")
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --window-size=1000,2400 --screenshot="$png" "file://$work/report.html" 2>/dev/null
echo "html: $work/report.html"
echo "png:  $png"
