#!/bin/sh
# Installs the callboard binary from a GitHub release, checksum verified.
#
#   curl -fsSL https://github.com/callboard-dev/callboard/releases/latest/download/install.sh | sh
#
# Settings (environment):
#   CALLBOARD_VERSION       release tag to install, e.g. v0.2.0 (default: the latest release)
#   CALLBOARD_INSTALL_DIR   where the binary goes (default: ~/.local/bin)
#   CALLBOARD_TARGET        Rust target triple of the archive (default: detected from uname)
#   CALLBOARD_DOWNLOAD_URL  base URL holding the archives (default: the GitHub release); a
#                           mirror, or file:// and 127.0.0.1 for tests
#
# The archive `callboard-<target>.tar.gz` (`.zip` on Windows) and its `<archive>.sha256` are
# downloaded; the binary is installed only when the SHA-256 matches. Nothing is written outside
# a temporary directory before that.
set -eu

REPOSITORY="callboard-dev/callboard"

say() { printf 'callboard-install: %s\n' "$1" >&2; }
fail() {
    say "error: $1"
    exit 1
}

detect_target() {
    os=$(uname -s)
    arch=$(uname -m)
    case "$arch" in
        x86_64 | amd64) arch=x86_64 ;;
        aarch64 | arm64) arch=aarch64 ;;
        *) fail "no release build for the CPU '$arch'; build from source: cargo install --locked callboard" ;;
    esac
    case "$os" in
        Linux) echo "$arch-unknown-linux-musl" ;;
        Darwin) echo "$arch-apple-darwin" ;;
        MINGW* | MSYS* | CYGWIN* | Windows_NT) echo "x86_64-pc-windows-msvc" ;;
        *) fail "no release build for the system '$os'; build from source: cargo install --locked callboard" ;;
    esac
}

download() { # URL FILE
    if command -v curl >/dev/null 2>&1; then
        curl --proto '=https,http,file' -fsSL --retry 3 -o "$2" "$1"
    elif command -v wget >/dev/null 2>&1; then
        wget -q -O "$2" "$1"
    else
        fail "neither curl nor wget is installed"
    fi
}

sha256_of() { # FILE
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d ' ' -f 1
    else
        fail "neither sha256sum nor shasum is installed: cannot verify the download"
    fi
}

target=${CALLBOARD_TARGET:-$(detect_target)}
version=${CALLBOARD_VERSION:-latest}
install_dir=${CALLBOARD_INSTALL_DIR:-$HOME/.local/bin}
if [ -n "${CALLBOARD_DOWNLOAD_URL:-}" ]; then
    base=$CALLBOARD_DOWNLOAD_URL
elif [ "$version" = latest ]; then
    base="https://github.com/$REPOSITORY/releases/latest/download"
else
    base="https://github.com/$REPOSITORY/releases/download/$version"
fi

case "$target" in
    *windows*) archive="callboard-$target.zip" binary=callboard.exe ;;
    *) archive="callboard-$target.tar.gz" binary=callboard ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

say "downloading $base/$archive"
download "$base/$archive" "$work/$archive" || fail "could not download $base/$archive (is $version a release with a $target build?)"
download "$base/$archive.sha256" "$work/$archive.sha256" || fail "could not download the checksum $base/$archive.sha256"

# The checksum file holds `<hex>  <name>` (or `<hex> *<name>`); only the hash is compared.
expected=$(cut -d ' ' -f 1 <"$work/$archive.sha256" | tr -d '\r\n' | tr 'A-F' 'a-f')
actual=$(sha256_of "$work/$archive")
if [ "$expected" != "$actual" ]; then
    fail "checksum mismatch for $archive: expected $expected, got $actual; nothing was installed"
fi

mkdir "$work/unpacked"
case "$archive" in
    *.zip)
        # Git Bash on Windows runners has 7z but not always unzip; its GNU tar reads no zip.
        if command -v unzip >/dev/null 2>&1; then
            unzip -q "$work/$archive" -d "$work/unpacked"
        elif command -v 7z >/dev/null 2>&1; then
            7z x -bd -y -o"$work/unpacked" "$work/$archive" >/dev/null
        else
            fail "neither unzip nor 7z is installed: cannot unpack $archive"
        fi
        ;;
    *) tar -xzf "$work/$archive" -C "$work/unpacked" ;;
esac
# The release layout is callboard-<target>/<binary>; a binary at the top is accepted too.
found=""
for candidate in "$work/unpacked/callboard-$target/$binary" "$work/unpacked/$binary"; do
    if [ -f "$candidate" ]; then
        found=$candidate
        break
    fi
done
[ -n "$found" ] || fail "$archive holds no $binary"

mkdir -p "$install_dir"
# Copy beside the destination, then rename: a running or half-copied binary is never left.
cp "$found" "$install_dir/.$binary.partial"
chmod 755 "$install_dir/.$binary.partial"
mv -f "$install_dir/.$binary.partial" "$install_dir/$binary"
say "installed $install_dir/$binary ($("$install_dir/$binary" --version 2>/dev/null || echo "$target"))"

case ":${PATH:-}:" in
    *":$install_dir:"*) ;;
    *) say "add $install_dir to PATH, e.g. export PATH=\"$install_dir:\$PATH\"" ;;
esac
