#!/usr/bin/env bash
# Renders the HTML adoption report of a generated catalog (400 components, 16 teams, 12 months
# of history, synthetic usage with half the Users active, champion teams from 65 % active
# members via .callboard.yaml) and takes a screenshot of its team section in headless
# Chromium: the sortable team table and the small multiples of catalog edits per team.
#
#   bench/adoption-teams-screenshot.sh [OUT_PNG]   (default /tmp/callboard-adoption-teams.png)
#
# Needs Debian's chromium and ImageMagick's convert (apt-get install chromium imagemagick), and
# ../shared/bench/gen-catalog. CALLBOARD=path/to/binary skips the release build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${SHARED:-$root/../shared}
png=${1:-/tmp/callboard-adoption-teams.png}
work=$(mktemp -d)
"$shared/bench/gen-catalog" "$work/catalog" --components 400 --history 12 >/dev/null
if [ -z "${CALLBOARD:-}" ]; then
  (cd "$root" && cargo build --release --quiet)
  CALLBOARD="$root/target/release/callboard"
fi
cb=$CALLBOARD
as_of=$(cd "$work/catalog" && "$cb" adoption report --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["asOf"])')
"$here/gen-usage" "$work/catalog" --as-of "$as_of" --active 0.5 --weeks 30 --output "$work/usage.csv"
printf 'adoption:\n  teams:\n    championAdoption: 0.65\n' >"$work/catalog/.callboard.yaml"
(cd "$work/catalog" && "$cb" adoption report --format html --usage "$work/usage.csv" --output "$work/report.html")
chrome() {
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size="$1" "${@:2}" 2>/dev/null
}
# Where the section starts and ends: a copy of the page writes it into its title.
sed 's|</script></body>|;var t=document.getElementById("teams"),e=document.querySelector(".multiples");document.title=Math.round(t.getBoundingClientRect().top+scrollY)+" "+Math.round(e.getBoundingClientRect().bottom+scrollY);</script></body>|' \
  "$work/report.html" >"$work/measure.html"
read -r top bottom < <(chrome 1200,1500 --dump-dom "file://$work/measure.html" | sed -n 's|.*<title>\([0-9]*\) \([0-9]*\)</title>.*|\1 \2|p' | head -1)
chrome "1200,$((bottom + 100))" --screenshot="$work/full.png" "file://$work/report.html"
convert "$work/full.png" -crop "1200x$((bottom - top + 30))+0+$((top - 12))" +repage "$png"
echo "html: $work/report.html"
echo "png:  $png"
