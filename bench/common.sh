# Sourced by the catalog benchmarks (validate.sh, score.sh, edit.sh): the release binary and
# the synthetic catalogs of shared/bench/gen-catalog.
#
# Environment: RUNS (default 5) timed runs; BENCH_DIR (default /tmp/callboard-bench) holds the
# generated catalogs; SHARED (default ../shared) is the shared material.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
shared=${SHARED:-$root/../shared}
bench_dir=${BENCH_DIR:-/tmp/callboard-bench}
runs=${RUNS:-5}
(cd "$root" && cargo build --release --quiet)
bin=$root/target/release/callboard
mkdir -p "$bench_dir"

# The directory of a catalog of $1 components, generated on first use.
catalog_dir() {
  local dir=$bench_dir/gc$1
  [ -f "$dir/catalog-info.yaml" ] || "$shared/bench/gen-catalog" "$dir" --components "$1" >/dev/null
  echo "$dir"
}
