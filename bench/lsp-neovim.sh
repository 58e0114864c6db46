#!/usr/bin/env bash
# The screenshot of docs/editor.md: Neovim 0.7 (Debian's) with docs/editor/nvim-init.lua, in an
# xterm under Xvfb, on a copy of examples/acme with two mistakes in one file; the cursor on a
# reference and its hover shown. Needs: apt-get install -y neovim xvfb xterm imagemagick.
#
#   bench/lsp-neovim.sh [OUT.png]     default: docs/images/lsp-neovim.png
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${1:-$root/docs/images/lsp-neovim.png}
(cd "$root" && cargo build --quiet)
work=$(mktemp -d)
cleanup() {
  for pid in ${xterm_pid:-} ${xvfb_pid:-}; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
cp -r "$root/examples/acme" "$work/acme"
git -C "$work/acme" init -q
file=$work/acme/services/checkout-service/catalog-info.yaml
# Two mistakes: a tag Backstage rejects (an error) and an owner that is not in the catalog.
sed -i '0,/    - go/s//    - Go/; 0,/owner: team-checkout/s//owner: team-nobody/' "$file"

display=:${DISPLAY_NUMBER:-97}
Xvfb "$display" -screen 0 1200x720x24 >/dev/null 2>&1 &
xvfb_pid=$!
sleep 1
# After the diagnostics are in, the cursor goes to `system: checkout` and the hover opens.
DISPLAY=$display CALLBOARD_BIN=$root/target/debug/callboard xterm -geometry 132x38+0+0 \
  -fa 'DejaVu Sans Mono' -fs 11 -bg '#1e1e1e' -fg '#d4d4d4' \
  -e nvim -u "$root/docs/editor/nvim-init.lua" \
  -c "highlight NormalFloat ctermbg=237 ctermfg=252" \
  -c "lua vim.defer_fn(function() local l = vim.fn.search('system: checkout'); vim.api.nvim_win_set_cursor(0, {l, 11}); vim.lsp.buf.hover() end, 2500)" \
  "$file" &
xterm_pid=$!
sleep 5
DISPLAY=$display import -window root "$out"
echo "wrote $out"
