#!/usr/bin/env bash
# Benchmark `callboard scaffold batch`: N new repositories (default 100) from an N-row values
# list of examples/acme's go-service template (fetch:template, publish:github emulated as
# git init + commit, catalog:register), release build. Checks every output is a git
# repository with exactly one commit. Timed with hyperfine when installed, else /usr/bin/time.
#
#   bench/scaffold-batch.sh [N]
#
# RUNS (default 5) timed runs; JOBS (default: the number of CPUs) is passed as --jobs;
# BENCH_DIR (default /tmp/callboard-bench/scaffold) holds the values list and the outputs.
# Acceptance (issue 4): 100 repositories in <= 10 s on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bench_dir=${BENCH_DIR:-/tmp/callboard-bench/scaffold}
runs=${RUNS:-5}
jobs=${JOBS:-$(nproc)}
n=${1:-100}
(cd "$root" && cargo build --release --quiet)
bin=$root/target/release/callboard
mkdir -p "$bench_dir"
list=$bench_dir/rows-$n.yaml
: >"$list"
for i in $(seq -w 1 "$n"); do
  printf -- "- name: svc-%s\n  owner: team-ledger\n  description: Service %s\n  repoUrl: github.com?owner=acme-payments&repo=svc-%s\n" \
    "$i" "$i" "$i" >>"$list"
done
out=$bench_dir/out
cmd=("$bin" scaffold batch go-service --catalog "$root/examples/acme" --values-list "$list"
  --output-dir "$out/{{ name }}" --jobs "$jobs")
echo "load: $(uptime | sed 's/.*load average: //')"
echo "command: ${cmd[*]}"
export SOURCE_DATE_EPOCH=1700000000
if command -v hyperfine >/dev/null; then
  hyperfine --runs "$runs" --prepare "rm -rf '$out'" "${cmd[*]} >/dev/null"
else
  times=()
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    t=$( { /usr/bin/time -f "%e" "${cmd[@]}" >/dev/null; } 2>&1 | tail -1)
    times+=("$t")
  done
  printf '%s\n' "${times[@]}" | sort -n | python3 -c '
import sys
v = [float(x) for x in sys.stdin]
print(f"wall time over {len(v)} runs: median {v[len(v)//2]:.2f} s, best {v[0]:.2f} s, worst {v[-1]:.2f} s")'
fi
# The outputs of the last run: each a git repository with one commit.
bad=0
count=0
for dir in "$out"/*/; do
  count=$((count + 1))
  commits=$(git -C "$dir" rev-list --count HEAD 2>/dev/null || echo 0)
  if [ "$commits" != 1 ]; then
    echo "not a repository with one commit: $dir ($commits)" >&2
    bad=$((bad + 1))
  fi
done
echo "checked $count repositories: $((count - bad)) with one commit"
[ "$count" -eq "$n" ] && [ "$bad" -eq 0 ]
