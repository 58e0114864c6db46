#!/usr/bin/env bash
# Benchmark `callboard score` with the embedded catalog-readiness scorecard (entity, catalog
# and repository-file facts) on a synthetic catalog from shared/bench/gen-catalog.
#
#   bench/score.sh [SIZE]        default size: 10000 components
#
# RUNS (default 5) timed runs; BENCH_DIR (default /tmp/callboard-bench) holds the catalogs.
set -euo pipefail
source "$(dirname "$0")/common.sh"
n=${1:-10000}
cat_dir=$(catalog_dir "$n")
echo "| components | format | median wall | best wall | peak RSS |"
echo "|---:|---|---:|---:|---:|"
for format in table json; do
  (cd "$cat_dir" && "$bin" score --format "$format" --now 2026-01-01 >/dev/null) || true
  times=(); peak=0
  for _ in $(seq "$runs"); do
    out=$( { cd "$cat_dir" && /usr/bin/time -f "%e %M" "$bin" score --format "$format" --now 2026-01-01 >/dev/null; } 2>&1 | tail -1)
    times+=("${out% *}"); rss=${out#* }; [ "$rss" -gt "$peak" ] && peak=$rss
  done
  stats=$(printf '%s\n' "${times[@]}" | sort -n | python3 -c 'import sys; v=[float(x) for x in sys.stdin]; print(f"{v[len(v)//2]:.2f} {v[0]:.2f}")')
  echo "| $n | $format | ${stats% *} s | ${stats#* } s | $((peak / 1024)) MiB |"
done
