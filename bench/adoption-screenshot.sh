#!/usr/bin/env bash
# Renders the HTML adoption report of a generated catalog with history and takes a screenshot
# of it in headless Chromium, to look at the curve, the bands and the chasm line.
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
(cd "$work/catalog" && "$root/target/release/callboard" adoption report --format html --output "$work/report.html")
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --window-size=1000,2400 --screenshot="$png" "file://$work/report.html" 2>/dev/null
echo "html: $work/report.html"
echo "png:  $png"
