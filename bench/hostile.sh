#!/usr/bin/env bash
# Runs the release binary on the hostile inputs of issue 12 and checks, for each, that the
# process ends by itself (an exit status, not a signal such as SIGABRT from a stack overflow)
# with a peak resident set size under 2 GiB. Prints a table; exits 1 when any case fails.
#
# Not a test: it builds a 1 GB file and takes a minute or two. Peak memory is measured with
# GNU time (`/usr/bin/time -v`, package `time`), not limited with `ulimit -v`, which counts
# address space and fails healthy runs (mimalloc and thread stacks reserve a lot of it).
#
# Usage: bench/hostile.sh [PATH-TO-CALLBOARD]   (default: target/release/callboard)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="$(realpath "${1:-target/release/callboard}")"
LIMIT_KB=$((2 * 1024 * 1024))
TIMEOUT=300

if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time" >&2
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
[[ -x "$BIN" ]] || { echo "no binary at $BIN (cargo build --release)" >&2; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

COMPONENT='apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc
spec:
  type: service
  lifecycle: production
  owner: group:default/team'

TEMPLATE_HEAD='apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: hostile
spec:
  owner: group:default/qa
  type: service'

# Each case: a directory under $WORK prepared by a function, then a command run inside it.
new_case() { mkdir -p "$WORK/$1"; cd "$WORK/$1"; }

prepare_deep_block() {
    new_case deep-block
    { echo "$COMPONENT"; echo "  deep:"; printf '    '; python3 -c 'print("- " * 50000 + "x")'; } > catalog-info.yaml
}

prepare_deep_history_blob() {
    new_case deep-history-blob
    git init -q . && git config user.email b@x && git config user.name b
    { echo "$COMPONENT"; echo "  deep:"; printf '    '; python3 -c 'print("- " * 50000 + "x")'; } > catalog-info.yaml
    git add . && GIT_COMMITTER_DATE=2024-01-15T12:00:00 git commit -qm deep --date=2024-01-15T12:00:00
    echo "$COMPONENT" > catalog-info.yaml
    GIT_COMMITTER_DATE=2024-03-15T12:00:00 git commit -qam fixed --date=2024-03-15T12:00:00
}

prepare_deep_config() {
    new_case deep-config
    echo "$COMPONENT" > catalog-info.yaml
    { echo "kinds:"; printf '  '; python3 -c 'print("- " * 50000 + "x")'; } > .callboard.yaml
}

prepare_deep_values() {
    new_case deep-values
    mkdir tpl && { echo "$TEMPLATE_HEAD"; echo "  steps: []"; } > tpl/template.yaml
    { echo "name:"; printf '  '; python3 -c 'print("- " * 50000 + "x")'; } > values.yaml
}

prepare_scorecard_nots() {
    new_case scorecard-nots
    echo "$COMPONENT" > catalog-info.yaml
    python3 - > card.yaml <<'EOF'
lines = ["apiVersion: callboard.dev/v1", "kind: Scorecard", "metadata:", "  name: deep", "spec:",
         "  appliesTo:", "    kind: [Component]", "  rules:", "    - id: deep", "      check:"]
lines += ["  " * (i + 4) + "not:" for i in range(1000)]
lines += ["  " * 1004 + "{fact: entity.metadata.name, op: exists}"]
print("\n".join(lines))
EOF
}

prepare_scorecard_expr_concat() {
    new_case scorecard-expr-concat
    echo "$COMPONENT" > catalog-info.yaml
    python3 - > card.yaml <<'EOF'
big = " ~ ".join(['("x"*100000000)'] * 12)
print("\n".join(["apiVersion: callboard.dev/v1", "kind: Scorecard", "metadata:", "  name: big",
                 "spec:", "  appliesTo:", "    kind: [Component]", "  rules:", "    - id: huge",
                 "      check:", f"        expr: '{big} != \"\"'"]))
EOF
}

prepare_where_parens() {
    new_case where-parens
    echo "$COMPONENT" > catalog-info.yaml
}

prepare_alias_documents() {
    new_case alias-documents
    # ~2 MB: 1,000 documents, each under the old per-document budget of 10,000 nodes.
    python3 - > catalog-info.yaml <<'EOF'
items = ", ".join(["x"] * 1000)
doc = "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc{i}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/team\n  a: &a [" + items + "]\n  b: [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
print("".join(doc.replace("{i}", str(i)) for i in range(1000)))
EOF
}

prepare_alias_long_string() {
    new_case alias-long-string
    python3 - > catalog-info.yaml <<'EOF'
print("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: s\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/team")
print("  a: &a " + "x" * (8 * 1024 * 1024 - 200))
print("  b: [" + ", ".join(["*a"] * 2000) + "]")
EOF
}

prepare_file_1gb() {
    new_case file-1gb
    python3 -c '
import sys
line = b"# a comment line of a very large catalog file, padding it to one gigabyte\n"
block = line * (1 << 14)
with open("catalog-info.yaml", "wb") as f:
    left = 1 << 30
    while left > 0:
        f.write(block[:left])
        left -= len(block)
' 
}

prepare_long_line() {
    new_case long-line-240k
    python3 -c 'print("{apiVersion: backstage.io/v1alpha1, kind: Component, metadata: {name: x}, spec: {" + ", ".join(["a: 1"] * 40000) + "}}")' > catalog-info.yaml
}

prepare_template() {
    new_case "$1"
    mkdir -p tpl/skeleton
    { echo "$TEMPLATE_HEAD"; cat <<'EOF'
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
EOF
    } > tpl/template.yaml
}

prepare_template_doubling() {
    prepare_template template-doubling
    python3 -c 'print("{% set s = \"xxxxxxxx\" %}" + "{% set s = s ~ s %}" * 60 + "${{ s | length }}")' > tpl/skeleton/README.md
}

prepare_template_dump_shared() {
    prepare_template template-dump-shared
    python3 - > tpl/skeleton/README.md <<'EOF'
src = "{% set a = ['xxxxxxxxxxxxxxxx', 'y'] %}"
prev = "a"
for i in range(40):
    src += "{%% set l%d = [%s, %s, %s, %s] %%}" % (i, prev, prev, prev, prev)
    prev = "l%d" % i
print(src + "${{ %s | dump }}" % prev)
EOF
}

prepare_template_output_loop() {
    prepare_template template-output-loop
    python3 -c 'print("{% for i in range(100000) %}" + "x" * 10000 + "{% endfor %}")' > tpl/skeleton/README.md
}

prepare_batch_doubling() {
    prepare_template batch-doubling
    python3 -c 'print("{% set s = \"xxxxxxxx\" %}" + "{% set s = s ~ s %}" * 60 + "${{ s | length }}")' > tpl/skeleton/README.md
    printf 'name\n%s\nb\n' "$(python3 -c 'print("a" * 100)')" > rows.csv
}

prepare_jobs() {
    prepare_template jobs-100000
    echo "plain" > tpl/skeleton/README.md
    printf 'name\na\nb\n' > rows.csv
}

# name | prepare function | command (run in the case directory) | expected exit statuses
CASES=(
    "deep-block|prepare_deep_block|catalog validate .|1"
    "deep-history-blob|prepare_deep_history_blob|adoption report --as-of 2024-04-01 .|0 1"
    "deep-config|prepare_deep_config|catalog validate .|2"
    "deep-values|prepare_deep_values|scaffold run tpl/template.yaml --values values.yaml --output out|2"
    "scorecard-nots|prepare_scorecard_nots|score --scorecard card.yaml .|2"
    "scorecard-expr-concat|prepare_scorecard_expr_concat|score --scorecard card.yaml .|1"
    "where-parens|prepare_where_parens|catalog query --where WHERE_PARENS .|2"
    "alias-documents|prepare_alias_documents|catalog validate .|1"
    "alias-long-string|prepare_alias_long_string|catalog validate .|1"
    "file-1gb|prepare_file_1gb|catalog validate .|1"
    "long-line-240k|prepare_long_line|catalog validate .|1"
    "template-doubling|prepare_template_doubling|scaffold run tpl/template.yaml --output out|1"
    "template-dump-shared|prepare_template_dump_shared|scaffold run tpl/template.yaml --output out|1"
    "template-output-loop|prepare_template_output_loop|scaffold run tpl/template.yaml --output out|1"
    "batch-doubling|prepare_batch_doubling|scaffold batch tpl/template.yaml --values-list rows.csv --output-dir out/{{ name }} --continue-on-error|1"
    "jobs-100000|prepare_jobs|scaffold batch tpl/template.yaml --values-list rows.csv --output-dir out/{{ name }} --jobs 100000|2"
)

WHERE_PARENS="$(python3 -c 'print("(" * 10000 + "kind=Component" + ")" * 10000)')"

failures=0
printf '%-22s %6s %10s %8s  %s\n' case exit "peak MiB" seconds verdict
printf '%-22s %6s %10s %8s  %s\n' ---- ---- -------- ------- -------
for entry in "${CASES[@]}"; do
    IFS='|' read -r name prepare command expected <<<"$entry"
    (cd "$WORK" && "$prepare") >"$WORK/$name.prepare" 2>&1 || { echo "$name: preparing failed:" >&2; cat "$WORK/$name.prepare" >&2; }
    read -r -a args <<<"$command"
    for i in "${!args[@]}"; do
        [[ "${args[$i]}" == WHERE_PARENS ]] && args[$i]="$WHERE_PARENS"
    done
    # `{{ name }}` was split by `read`: join the output-dir pattern back.
    joined=()
    for ((i = 0; i < ${#args[@]}; i++)); do
        if [[ "${args[$i]}" == "out/{{" ]]; then
            joined+=("out/{{ name }}")
            i=$((i + 2))
        else
            joined+=("${args[$i]}")
        fi
    done
    stats="$WORK/$name.time"
    start=$(date +%s.%N)
    set +e
    (cd "$WORK/$name" && timeout "$TIMEOUT" /usr/bin/time -v -o "$stats" "$BIN" "${joined[@]}" >"$WORK/$name.out" 2>&1)
    status=$?
    set -e
    seconds=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)")
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$stats" 2>/dev/null || echo 0)
    signal=$(grep -c 'terminated by signal' "$stats" 2>/dev/null || true)
    verdict=ok
    if [[ $status -eq 124 ]]; then
        verdict="FAIL: timed out after ${TIMEOUT}s"
    elif [[ ${signal:-0} -gt 0 || $status -gt 128 ]]; then
        verdict="FAIL: killed by a signal"
    elif [[ ${rss_kb:-0} -ge $LIMIT_KB ]]; then
        verdict="FAIL: peak RSS over 2 GiB"
    elif [[ " $expected " != *" $status "* ]]; then
        verdict="FAIL: exit $status, expected $expected"
    fi
    if [[ $verdict != ok ]]; then
        failures=$((failures + 1))
        tail -c 600 "$WORK/$name.out" | sed 's/^/    | /' >&2
    fi
    printf '%-22s %6s %10.1f %8s  %s\n' "$name" "$status" "$(awk -v kb="${rss_kb:-0}" 'BEGIN { print kb / 1024 }')" "$seconds" "$verdict"
    rm -rf "${WORK:?}/$name"
done
if [[ $failures -gt 0 ]]; then
    echo "$failures case(s) failed; outputs were in $WORK (removed)" >&2
    exit 1
fi
