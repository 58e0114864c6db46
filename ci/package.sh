#!/usr/bin/env bash
# Packs one release archive in the layout install.sh, the GitHub Action and cargo-binstall read:
#   callboard-<target>.tar.gz (.zip for Windows) holding callboard-<target>/{callboard, README.md,
#   CHANGELOG.md, completions/, man/}, and callboard-<target>.tar.gz.sha256 ("<hex>  <name>").
#
#   ci/package.sh TARGET BINARY OUT_DIR
# .github/workflows/release.yml runs it per target; tests/distribution.rs runs it on the local
# build to test install.sh and the Action against a real archive.
set -euo pipefail
target=$1 binary=$2 out=$3
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
name="callboard-$target"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name/man" "$out"
case "$target" in
    *windows*) exe=callboard.exe ;;
    *) exe=callboard ;;
esac
cp "$binary" "$stage/$name/$exe"
chmod 755 "$stage/$name/$exe"
cp "$root/README.md" "$root/CHANGELOG.md" "$stage/$name/"
cp -R "$root/completions" "$stage/$name/completions"
cp "$root"/docs/man/*.1 "$stage/$name/man/"
out=$(cd "$out" && pwd)
case "$target" in
    *windows*)
        archive="$name.zip"
        if command -v 7z >/dev/null 2>&1; then
            (cd "$stage" && 7z a -tzip -bd "$out/$archive" "$name" >/dev/null)
        else
            (cd "$stage" && zip -qr "$out/$archive" "$name")
        fi
        ;;
    *)
        archive="$name.tar.gz"
        tar -C "$stage" -czf "$out/$archive" "$name"
        ;;
esac
if command -v sha256sum >/dev/null 2>&1; then
    (cd "$out" && sha256sum "$archive" >"$archive.sha256")
else
    (cd "$out" && shasum -a 256 "$archive" >"$archive.sha256")
fi
echo "$out/$archive"
