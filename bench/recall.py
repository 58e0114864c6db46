#!/usr/bin/env python3
"""Recall and precision of `callboard catalog validate` on a gen-catalog repository.

usage: bench/recall.py [--callboard BIN] CATALOG_DIR

Every defect listed in CATALOG_DIR/.expected-defects.json must be reported (error or warning)
on its file. A catalog generated without --defects must give zero errors and zero warnings.
Exits 1 on a miss.
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--callboard", default=os.path.join(ROOT, "target", "release", "callboard"))
    ap.add_argument("catalog")
    args = ap.parse_args()
    binary = os.path.abspath(args.callboard)
    proc = subprocess.run([binary, "catalog", "validate", "--format", "json"], cwd=args.catalog,
                          capture_output=True, text=True)
    report = json.loads(proc.stdout)
    by_file = {}
    for d in report["diagnostics"]:
        if d["severity"] in ("error", "warning"):
            by_file.setdefault(d["file"], []).append(d["code"])
    expected_path = os.path.join(args.catalog, ".expected-defects.json")
    expected = json.load(open(expected_path)) if os.path.exists(expected_path) else []
    missed = [e for e in expected if e["file"] not in by_file]
    for m in missed:
        print(f"MISSED {m['defect']} in {m['file']} ({m['entity']})")
    expected_files = {e["file"] for e in expected}
    extra = {f: c for f, c in by_file.items() if f not in expected_files}
    for f, codes in sorted(extra.items()):
        print(f"EXTRA  {f}: {sorted(set(codes))}")
    s = report["summary"]
    print(f"{report['files']} files, {report['entities']} entities; {len(expected)} expected defects, "
          f"{len(expected) - len(missed)} found, {len(missed)} missed; files reported beyond the defects: {len(extra)}; "
          f"summary {s}")
    return 1 if missed or (not expected and (s["errors"] or s["warnings"])) else 0


if __name__ == "__main__":
    sys.exit(main())
