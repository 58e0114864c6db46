#!/usr/bin/env bash
# The shell steps of the callboard GitHub Action (action.yml), kept here so they can be run and
# tested outside GitHub (tests/distribution.rs runs them against a fake API on 127.0.0.1).
#
#   ci/action.sh resolve   version, target and cache directory  -> $GITHUB_OUTPUT
#   ci/action.sh install   download, verify, unpack (install.sh) into the cache directory
#   ci/action.sh run       run callboard once; step summary, JSON and SARIF files, pull-request comment
#
# Inputs arrive as INPUT_* variables (set by action.yml), GitHub's as GITHUB_* and RUNNER_*.
set -euo pipefail

# GitHub refuses comment bodies over 65,536 characters and hides step summaries over 1 MiB.
# callboard's reports fit by themselves (--report markdown:comment=…); the text output of
# other commands is cut here below both, with a note, instead of being lost.
COMMENT_LIMIT=65000
SUMMARY_LIMIT=1000000
# Comments read per page when looking for the marker (GitHub's maximum).
PER_PAGE=100
# Pages read at most (10,000 comments): a bound on a pull request with a runaway thread.
MAX_PAGES=100

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repository_of_action="callboard-dev/callboard"

say() { printf '%s\n' "$*" >&2; }
output() { printf '%s=%s\n' "$1" "$2" >>"${GITHUB_OUTPUT:-/dev/null}"; }

target_of_runner() {
    local arch
    case "${RUNNER_ARCH:-X64}" in
        X64) arch=x86_64 ;;
        ARM64) arch=aarch64 ;;
        *) say "::error::callboard has no release build for runner architecture ${RUNNER_ARCH}"; exit 2 ;;
    esac
    case "${RUNNER_OS:-Linux}" in
        Linux) echo "$arch-unknown-linux-musl" ;;
        macOS) echo "$arch-apple-darwin" ;;
        Windows) echo "x86_64-pc-windows-msvc" ;;
        *) say "::error::callboard has no release build for runner OS ${RUNNER_OS}"; exit 2 ;;
    esac
}

api() { # METHOD PATH [JSON BODY]
    local args=(-fsS --retry 2 -X "$1"
        -H "Authorization: Bearer ${INPUT_GITHUB_TOKEN:?the github-token input is empty}"
        -H "Accept: application/vnd.github+json"
        -H "X-GitHub-Api-Version: 2022-11-28")
    if [[ $# -ge 3 ]]; then
        args+=(-H "Content-Type: application/json" --data-binary @-)
        printf '%s' "$3" | curl "${args[@]}" "${GITHUB_API_URL:-https://api.github.com}$2"
    else
        curl "${args[@]}" "${GITHUB_API_URL:-https://api.github.com}$2"
    fi
}

resolve() {
    local version=${INPUT_VERSION:-}
    if [[ -z $version ]]; then
        # `uses: callboard-dev/callboard@v0.3.1` pins the binary too; a branch or a major tag
        # (@v0, @main) takes the latest release.
        if [[ ${GITHUB_ACTION_REF:-} =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then
            version=$GITHUB_ACTION_REF
        else
            version=latest
        fi
    fi
    if [[ $version == latest ]]; then
        version=$(api GET "/repos/$repository_of_action/releases/latest" | jq -r .tag_name)
        [[ $version =~ ^v[0-9] ]] || { say "::error::could not find callboard's latest release"; exit 2; }
    fi
    local target
    target=$(target_of_runner)
    local dir="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/callboard/$version/$target"
    output version "$version"
    output target "$target"
    output dir "$dir"
}

install() {
    CALLBOARD_VERSION=$INPUT_RESOLVED_VERSION CALLBOARD_TARGET=$INPUT_RESOLVED_TARGET \
        CALLBOARD_INSTALL_DIR=$INPUT_RESOLVED_DIR sh "$here/../install.sh"
}

# Cuts FILE to LIMIT bytes at a line boundary, with a note saying where the rest is.
cut_to() { # FILE LIMIT NOTE
    local size
    size=$(wc -c <"$1")
    if ((size > $2)); then
        local keep=$(($2 - ${#3} - 2))
        head -c "$keep" "$1" | sed '$d' >"$1.cut"
        printf '\n%s\n' "$3" >>"$1.cut"
        mv "$1.cut" "$1"
    fi
}

pull_request_number() {
    [[ -n ${GITHUB_EVENT_PATH:-} && -f $GITHUB_EVENT_PATH ]] || return 0
    jq -r '.pull_request.number // (if .issue.pull_request then .issue.number else empty end) // empty' \
        "$GITHUB_EVENT_PATH"
}

# Creates the pull request's callboard comment, or edits it in place when one carries the marker.
comment() { # BODY_FILE
    local number
    number=$(pull_request_number)
    if [[ -z $number ]]; then
        say "callboard: not a pull-request event; no comment written"
        return 0
    fi
    local marker="<!-- ${INPUT_COMMENT_MARKER:-callboard} -->"
    local body
    body=$(printf '%s\n%s' "$marker" "$(cat "$1")" | jq -Rs '{body: .}')
    local page=1 id=""
    while ((page <= MAX_PAGES)); do
        local comments
        comments=$(api GET "/repos/$GITHUB_REPOSITORY/issues/$number/comments?per_page=$PER_PAGE&page=$page")
        id=$(jq -r --arg m "$marker" '[.[] | select((.body // "") | startswith($m))][0].id // empty' <<<"$comments")
        [[ -n $id || $(jq length <<<"$comments") -lt $PER_PAGE ]] && break
        page=$((page + 1))
    done
    if [[ -n $id ]]; then
        api PATCH "/repos/$GITHUB_REPOSITORY/issues/comments/$id" "$body" >/dev/null
        say "callboard: updated comment $id"
    else
        id=$(api POST "/repos/$GITHUB_REPOSITORY/issues/$number/comments" "$body" | jq -r .id)
        say "callboard: created comment $id"
    fi
    output comment-id "$id"
}

run() {
    local callboard=callboard
    local out="${RUNNER_TEMP:-/tmp}/callboard"
    mkdir -p "$out"
    # Word splitting only: the command input is never evaluated by the shell.
    local args
    set -f
    read -r -a args <<<"${INPUT_COMMAND:-catalog validate}"
    set +f
    local kind="${args[0]:-} ${args[1]:-}"
    local report="$out/report.md" body="$out/comment.md" json="$out/callboard.json" sarif=""
    rm -f "$report" "$body" "$json" "$out/callboard.sarif"
    local status=0
    export NO_COLOR=1
    case "$kind" in
        "catalog validate" | score* | "scaffold lint" | "adoption report")
            # One evaluation, every report: callboard cuts each markdown report to its
            # GitHub limit (the step summary's, the comment's), most important first.
            local reports=(--report "markdown:summary=$report" --report "markdown:comment=$body"
                --report "json=$json")
            if [[ ${INPUT_SARIF:-false} == true ]]; then
                case "$kind" in
                    "catalog validate" | score*)
                        sarif="$out/callboard.sarif"
                        reports+=(--report "sarif=$sarif")
                        ;;
                    *) say "::warning::callboard ${args[*]} has no SARIF format; nothing to upload" ;;
                esac
            fi
            # Annotations on the pull request where the command has them, else the text
            # report in the log.
            local log=text
            [[ $kind == "catalog validate" || $kind == "scaffold lint" ]] && log=github
            "$callboard" "${args[@]}" --format "$log" "${reports[@]}" || status=$?
            ;;
        *)
            # A command without reports: its text output, cut to the limits here.
            {
                printf '### callboard %s\n\n```text\n' "${args[*]}"
                "$callboard" "${args[@]}" || status=$?
                printf '```\n'
            } >"$report"
            cp "$report" "$body"
            cut_to "$report" "$SUMMARY_LIMIT" "_… cut: the rest is in the job's log._"
            cut_to "$body" "$COMMENT_LIMIT" "_… cut: the rest is in the job's step summary._"
            ;;
    esac
    if ((status >= 2)); then
        say "::error::callboard ${args[*]} could not run (exit status $status; see docs/exit-status.md)"
    fi
    local footer
    footer=$(printf '\n_callboard exit status %s: %s_\n' "$status" \
        "$(case $status in 0) echo 'nothing to report' ;; 1) echo 'found something' ;; 2) echo 'could not be done as asked' ;; *) echo "callboard's own or an I/O failure" ;; esac)")
    # callboard keeps room for this footer (and the comment's marker) under each limit.
    printf '%s\n' "$footer" >>"$report"
    printf '%s\n' "$footer" >>"$body"
    output exit-code "$status"
    output report "$report"
    [[ -f $json ]] && output json-file "$json"
    [[ -n $sarif && -f $sarif ]] && output sarif-file "$sarif"

    if [[ ${INPUT_SUMMARY:-true} == true && -n ${GITHUB_STEP_SUMMARY:-} ]]; then
        cat "$report" >>"$GITHUB_STEP_SUMMARY"
    fi
    if [[ ${INPUT_COMMENT:-false} == true ]]; then
        comment "$body"
    fi
}

case "${1:-}" in
    resolve) resolve ;;
    install) install ;;
    run) run ;;
    *) say "usage: $0 resolve|install|run"; exit 2 ;;
esac
