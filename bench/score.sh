#!/usr/bin/env bash
# Benchmark `callboard score` with the embedded catalog-readiness scorecard (entity, catalog
# and repository-file facts) on a synthetic catalog from shared/bench/gen-catalog.
#
#   bench/score.sh [SIZE]        default size: 10000 components
#
# RUNS (default 5) timed runs; BENCH_DIR (default /tmp/callboard-bench) holds the catalogs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${SHARED:-$root/../shared}
bench_dir=${BENCH_DIR:-/tmp/callboard-bench}
runs=${RUNS:-5}
n=${1:-10000}
(cd "$root" && cargo build --release --quiet)
bin=$root/target/release/callboard
cat_dir=$bench_dir/gc$n
[ -f "$cat_dir/catalog-info.yaml" ] || "$shared/bench/gen-catalog" "$cat_dir" --components "$n" >/dev/null
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
