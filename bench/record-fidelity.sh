#!/usr/bin/env bash
# Records Backstage's verdict on every tests/fidelity/*.yaml into tests/fidelity/oracle.jsonl
# (one JSON line per file, sorted by name), with the shared offline oracle; and on every
# tests/fidelity/urls/*.yaml into tests/fidelity/urls/oracle.jsonl with bench/oracle-urls (the
# same packages, a URL reader serving https://github.com/acme/catalog from that directory).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
oracle=${ORACLE:-$root/../shared/oracle/backstage-validate/run}
cd "$root/tests/fidelity"
ls *.yaml | sort | "$oracle" --stdin | sort > oracle.jsonl || true
wc -l oracle.jsonl

# The shared oracle installs its pinned packages into a cache on first use; reuse them.
"$oracle" >/dev/null 2>&1 || true
modules=$(ls -d "${XDG_CACHE_HOME:-$HOME/.cache}"/backstage-validate-oracle-*/ | head -1)
cd urls
# Backstage's integrations rewrite GitHub blob URLs to tree URLs before reading.
ORACLE_MODULES=$modules node "$root/bench/oracle-urls/verdict-urls.js" \
    --map "https://github.com/acme/catalog/blob/main/=$PWD/" \
    --map "https://github.com/acme/catalog/tree/main/=$PWD/" \
    $(ls *.yaml | sort) | sort > oracle.jsonl || true
wc -l oracle.jsonl

# The portal's own catalog rules (tests/fidelity/rules/app-config.yaml), each file registered
# by its URL in https://github.com/acme/catalog.
cd "$root/tests/fidelity/rules"
ORACLE_MODULES=$modules node "$root/bench/oracle-urls/verdict-urls.js" \
    --app-config app-config.yaml \
    --map "https://github.com/acme/catalog/blob/main/=$PWD/" \
    $(find . -name '*.yaml' ! -name 'app-config*.yaml' | sed 's|^\./||' | sort) | sort > oracle.jsonl || true
wc -l oracle.jsonl
