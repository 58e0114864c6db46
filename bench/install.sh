#!/usr/bin/env bash
# The install step a CI job pays: install.sh (what the GitHub Action's install step runs)
# downloading a release archive over HTTP from 127.0.0.1, verifying its checksum and unpacking
# it. The archive is packed by ci/package.sh from a local release build, in the release layout.
#
#   bench/install.sh [RUNS]     (needs hyperfine and python3; builds --release if needed)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-10}
cd "$root"
[ -x target/release/callboard ] || cargo build --release --locked
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
# The Linux archive install.sh picks on this machine (the static musl build's name).
target="$(uname -m | sed 's/amd64/x86_64/; s/arm64/aarch64/')-unknown-linux-musl"
mkdir -p "$work/releases/download"
ci/package.sh "$target" target/release/callboard "$work/releases/download" >/dev/null
ls -l "$work/releases/download"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$work/releases" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done
export HOME="$work/home" CALLBOARD_DOWNLOAD_URL="http://127.0.0.1:$port/download" CALLBOARD_TARGET="$target"
mkdir -p "$HOME"
hyperfine -N -w 1 -r "$runs" --prepare "rm -rf $work/bin" \
    "env CALLBOARD_INSTALL_DIR=$work/bin sh $root/install.sh"
"$work/bin/callboard" --version
