#!/usr/bin/env bash
# Benchmark a bulk edit against a validation of the same catalog (issue 14: an edit may cost at
# most twice a validation), on a synthetic catalog from shared/bench/gen-catalog.
#
#   bench/edit.sh [SIZE]        default size: 10000 components
#
# The edit is a dry run adding a tag to every Component (one change per component file). Runs
# alternate between the two commands so that load from other work falls on both alike; CPU user
# time is compared, the steadier figure on a shared machine.
# RUNS (default 5) timed runs of each; BENCH_DIR (default /tmp/callboard-bench) holds the catalogs.
set -euo pipefail
source "$(dirname "$0")/common.sh"
n=${1:-10000}
cat_dir=$(catalog_dir "$n")
validate=(catalog validate --format json)
edit=(catalog edit --where kind=Component --add-tag x -f json)
cd "$cat_dir"
# Warm the page cache once.
"$bin" "${validate[@]}" >/dev/null || true
"$bin" "${edit[@]}" >/dev/null || true
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for _ in $(seq "$runs"); do
  { /usr/bin/time -f "validate %U %e" "$bin" "${validate[@]}" >/dev/null || true; } 2>>"$log"
  { /usr/bin/time -f "edit %U %e" "$bin" "${edit[@]}" >/dev/null || true; } 2>>"$log"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$log" "$n" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) == 3 and parts[0] in ("validate", "edit"):
        runs.setdefault(parts[0], []).append((float(parts[1]), float(parts[2])))
user = {k: statistics.median(u for u, _ in v) for k, v in runs.items()}
wall = {k: statistics.median(w for _, w in v) for k, v in runs.items()}
print("| components | validate: user (wall) | edit: user (wall) | user-time ratio edit/validate |")
print("|---:|---:|---:|---:|")
print(f"| {sys.argv[2]} | {user['validate']:.2f} s ({wall['validate']:.2f} s) "
      f"| {user['edit']:.2f} s ({wall['edit']:.2f} s) | {user['edit'] / user['validate']:.2f} |")
EOF
