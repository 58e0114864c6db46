#!/usr/bin/env bash
# Benchmark `callboard score --history 12m` against `callboard adoption report` on the same
# synthetic catalog with history (shared/bench/gen-catalog --history), in the same session,
# runs alternating: the target of issue 16 is history under 2x the adoption report.
#
#   bench/score-history.sh [SIZE] [MONTHS]   defaults: 10000 components, 24 months of history
#
# RUNS (default 5) timed runs of each; BENCH_DIR (default /tmp/callboard-bench) holds the
# catalogs. Prints the median and best wall and user CPU times and the ratio of the medians.
set -euo pipefail
source "$(dirname "$0")/common.sh"
n=${1:-10000}
months=${2:-24}
dir=$bench_dir/gc$n-h$months
[ -f "$dir/catalog-info.yaml" ] || "$shared/bench/gen-catalog" "$dir" --components "$n" --history "$months" >/dev/null
cd "$dir"
# Both end at the last commit's day: the adoption report's default as-of date.
now=$(git log -1 --format=%cs)
adoption=("$bin" adoption report --format json)
score=("$bin" score --history 12m --now "$now" --format json)
"${adoption[@]}" >/dev/null || true
"${score[@]}" >/dev/null || true
declare -A wall user
for _ in $(seq "$runs"); do
  for which in adoption score; do
    if [ "$which" = adoption ]; then cmd=("${adoption[@]}"); else cmd=("${score[@]}"); fi
    out=$( { /usr/bin/time -f "%e %U" "${cmd[@]}" >/dev/null; } 2>&1 | tail -1) || true
    wall[$which]+="${out% *} "; user[$which]+="${out#* } "
  done
done
stats() { tr ' ' '\n' | grep . | sort -n | python3 -c 'import sys; v=[float(x) for x in sys.stdin]; print(f"{v[len(v)//2]:.2f} {v[0]:.2f}")'; }
echo "| command | median wall | best wall | median user | best user |"
echo "|---|---:|---:|---:|---:|"
for which in adoption score; do
  w=$(echo "${wall[$which]}" | stats); u=$(echo "${user[$which]}" | stats)
  echo "| $which | ${w% *} s | ${w#* } s | ${u% *} s | ${u#* } s |"
done
aw=$(echo "${wall[adoption]}" | stats); sw=$(echo "${wall[score]}" | stats)
python3 -c "print(f'ratio of median wall times, score --history 12m / adoption report: {${sw% *}/${aw% *}:.2f}')"
