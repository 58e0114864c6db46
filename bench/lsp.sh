#!/usr/bin/env bash
# Benchmark `callboard lsp` (issue 18: diagnostics within 1 s of opening, within 50 ms of an
# edit, on 10,000 components): see bench/lsp.py for what is measured.
#
#   bench/lsp.sh [SIZE]        default size: 10000 components
#
# RUNS (default 5) server sessions; the table of each is printed. BENCH_DIR (default
# /tmp/callboard-bench) holds the catalogs.
set -euo pipefail
source "$(dirname "$0")/common.sh"
n=${1:-10000}
cat_dir=$(catalog_dir "$n")
# Warm the page cache once.
"$bin" catalog validate --format json "$cat_dir" >/dev/null || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$runs"); do
  python3 "$here/lsp.py" "$bin" "$cat_dir"
done
