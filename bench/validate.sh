#!/usr/bin/env bash
# Benchmark `callboard catalog validate` against Backstage's own processing pipeline
# (shared/oracle/backstage-validate) on synthetic catalogs from shared/bench/gen-catalog.
#
#   bench/validate.sh [SIZE...]        default sizes: 10000 100000 (components)
#
# Environment: RUNS (default 5) timed runs of callboard per size; ORACLE_MAX (default 10000):
# the oracle runs only on sizes up to this (100k components take it several minutes);
# BENCH_DIR (default /tmp/callboard-bench) holds the generated catalogs.
# Prints one Markdown table row per size: files, entities, callboard median and best wall time,
# peak RSS, oracle wall time and the ratio.
set -euo pipefail
source "$(dirname "$0")/common.sh"
oracle_max=${ORACLE_MAX:-10000}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)

echo "| components | files | entities | callboard median | callboard best | peak RSS | Backstage pipeline | ratio |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  cat_dir=$(catalog_dir "$n")
  # Warm the page cache once, then time.
  (cd "$cat_dir" && "$bin" catalog validate --format json >/dev/null) || true
  times=()
  peak=0
  for _ in $(seq "$runs"); do
    out=$( { cd "$cat_dir" && /usr/bin/time -f "%e %M" "$bin" catalog validate --format json >/dev/null; } 2>&1 | tail -1)
    times+=("${out% *}")
    rss=${out#* }
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  read -r files entities < <(cd "$cat_dir" && "$bin" catalog validate --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["files"], d["entities"])')
  stats=$(printf '%s\n' "${times[@]}" | sort -n | python3 -c 'import sys; v=[float(x) for x in sys.stdin]; print(f"{v[len(v)//2]:.2f} {v[0]:.2f}")')
  median=${stats% *}; best=${stats#* }
  oracle="skipped"; ratio="–"
  if [ "$n" -le "$oracle_max" ]; then
    start=$(date +%s.%N)
    (cd "$cat_dir" && find . -name '*.yaml' -not -path '*/skeleton/*' | sort | "$shared/oracle/backstage-validate/run" --stdin >/dev/null 2>&1) || true
    end=$(date +%s.%N)
    oracle=$(python3 -c "print(f'{$end - $start:.1f}')")
    ratio=$(python3 -c "print(f'{$oracle / $median:.0f}×')")
    oracle="${oracle} s"
  fi
  echo "| $n | $files | $entities | ${median} s | ${best} s | $((peak / 1024)) MiB | $oracle | $ratio |"
done
