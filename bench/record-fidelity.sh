#!/usr/bin/env bash
# Records Backstage's verdict on every tests/fidelity/*.yaml into tests/fidelity/oracle.jsonl
# (one JSON line per file, sorted by name), with the shared offline oracle.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
oracle=${ORACLE:-$root/../shared/oracle/backstage-validate/run}
cd "$root/tests/fidelity"
ls *.yaml | sort | "$oracle" --stdin | sort > oracle.jsonl || true
wc -l oracle.jsonl
