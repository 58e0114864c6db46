#!/usr/bin/env python3
"""Compare callboard's `--profile backstage` verdict per entity with Backstage's own
(shared/oracle/backstage-validate) on the same files.

usage: bench/conformance.py [--callboard BIN] [--oracle RUN] PATH...

PATHs are files or directories (every *.yaml/*.yml below them is compared). Prints one line per
disagreement and a summary; exits 1 when a verdict differs. Verdicts the oracle can only give
offline (relative placeholders read through `file:` locations, anything remote) are counted as
unknown, as the oracle's README says.
"""
import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OFFLINE_ARTIFACTS = ("could not form a URL", "offline: no UrlReader", "No processor was able to handle reading of url:")


def yaml_files(paths):
    out = []
    for p in paths:
        if os.path.isfile(p):
            out.append(p)
            continue
        for d, _, files in os.walk(p):
            out.extend(os.path.join(d, f) for f in files if f.endswith((".yaml", ".yml")))
    return sorted(set(os.path.normpath(f) for f in out))


def oracle_verdicts(oracle, files):
    proc = subprocess.run([oracle, "--stdin"], input="\n".join(files) + "\n",
                          capture_output=True, text=True)
    verdicts = {}
    for line in proc.stdout.splitlines():
        v = json.loads(line)
        verdicts[os.path.realpath(v["file"])] = v["results"]
    return verdicts


def callboard_verdicts(binary, files):
    # Each file is named explicitly, so each is read as a catalog file.
    proc = subprocess.run([binary, "catalog", "validate", "--profile", "backstage", "--format", "json", *files],
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"callboard failed ({proc.returncode}): {proc.stderr}")
    report = json.loads(proc.stdout)
    rejected = defaultdict(set)      # file -> entity refs with an error
    doc_errors = defaultdict(list)   # file -> errors not attached to an entity
    for d in report["diagnostics"]:
        if d["severity"] != "error":
            continue
        f = os.path.realpath(d["file"])
        if d["entity"]:
            rejected[f].add(d["entity"])
        else:
            doc_errors[f].append(f'{d["code"]}: {d["message"]}')
    return rejected, doc_errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--callboard", default=os.path.join(ROOT, "target", "release", "callboard"))
    ap.add_argument("--oracle", default=os.path.join(ROOT, "..", "shared", "oracle", "backstage-validate", "run"))
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    files = yaml_files(args.paths)
    oracle = oracle_verdicts(args.oracle, files)
    rejected, doc_errors = callboard_verdicts(args.callboard, files)
    agree = differ = unknown = 0
    for shown in files:
        f = os.path.realpath(shown)
        results = oracle.get(f, [])
        oracle_doc_errors = [r["error"] for r in results if "error" in r]
        if bool(oracle_doc_errors) != bool(doc_errors.get(f)):
            differ += 1
            print(f"DIFFER {shown} (document level): backstage={oracle_doc_errors[:1]} callboard={doc_errors.get(f, [])[:2]}")
        elif oracle_doc_errors:
            agree += 1
        for r in results:
            if "error" in r:
                continue
            ref = r["ref"]
            if any(a in e for e in r["errors"] for a in OFFLINE_ARTIFACTS):
                unknown += 1
                continue
            ours_ok = ref not in rejected.get(f, set())
            if ours_ok == r["ok"]:
                agree += 1
                if args.verbose:
                    print(f"agree  {shown} {ref} ok={r['ok']}")
            else:
                differ += 1
                print(f"DIFFER {shown} {ref}: backstage ok={r['ok']} {r['errors'][:1]} callboard ok={ours_ok}")
    print(f"{len(files)} files: {agree} verdicts agree, {differ} differ, {unknown} unknown (offline-only oracle verdicts)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
