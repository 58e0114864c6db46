#!/usr/bin/env python3
"""Regenerate the Backstage scaffolder fidelity expectations (tests/scaffold/oracle/).

Usage (from the repository root; Python 3.11, stdlib only):

    python3 bench/scaffold-oracle.py                  # every case
    python3 bench/scaffold-oracle.py CASE [CASE ...]  # e.g. corpus-docs-template formatting
    python3 bench/scaffold-oracle.py --check [CASE]   # re-run, compare, write nothing; exit 1 on drift

Environment:
    SCAFFOLD_ORACLE   path of the oracle launcher
                      (default /work/shared/oracle/backstage-scaffold/run)

For each case directory tests/scaffold/oracle/<CASE>/ the script reads case.json,
runs Backstage's own scaffolder (the oracle) into a fresh temporary OUT_DIR and
rewrites <CASE>/expected.json and <CASE>/actions.json.

The oracle command line is built from case.json like this (paths in case.json
are relative to tests/scaffold/):

    run <template> <values.json> <OUT_DIR> --actions-file <tmp>/actions.json
        [--secrets <secrets.json>]   when "secrets" is present (written to a temp file)
        [--user-ref <user>]          when "user" is present
        [--user-entity <file>]       when "userEntity" is present
        [--url-map PREFIX=<abs dir>] for every "urlMap" entry "PREFIX=relative/dir"
        <oracleArgs...>              verbatim (paths in them are not rewritten)

The child runs with umask 0022 (set here with os.umask, so file modes are
reproducible); the umask the oracle reports is stored in expected.json.

expected.json:
    exit      oracle exit code (0 ok, 1 step failed, 2 invalid input, 3 swallowed templating error)
    error     summary "error" object ({name, message, stepId, lastStepLog}) or null; for exit 2,
              {"message": <stderr text>}
    steps     [{id, action, status, invocations, inputs}]  (inputs: rendered input per invocation)
    output    rendered spec.output (null when the task failed)
    parameters  values after page-`when` filtering
    swallowedTemplateErrors  list or null
    umask     "0022"
    files     sorted (by path, code-point order) list of every entry under OUT_DIR:
              {"path", "type": "file"|"dir"|"symlink", "mode": "0644" (file/dir),
               "text": utf-8 content | "base64": content (not valid UTF-8) | "target": link}
Absolute paths of this checkout are replaced by "<root>" and the oracle's temporary
directories by "<tmp>" in every string, so regenerating gives a byte-identical result.
actions.json: the oracle's record of stubbed actions (stepId, action, input, synthesised output),
[] when none ran.
"""
from __future__ import annotations

import base64
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCAFFOLD = ROOT / "tests" / "scaffold"
ORACLE_DIR = SCAFFOLD / "oracle"
ORACLE = os.environ.get("SCAFFOLD_ORACLE", "/work/shared/oracle/backstage-scaffold/run")
UMASK = 0o022


def scrub(value, tmp: str):
    """Replace machine-specific absolute paths inside every string of a JSON value."""
    if isinstance(value, str):
        s = value.replace(tmp, "<tmp>").replace(str(ROOT), "<root>")
        # the oracle's own working directories (os.tmpdir()/...)
        s = re.sub(r"/tmp/oracle-scaffold-[A-Za-z0-9_]+", "<tmp>", s)
        return s
    if isinstance(value, list):
        return [scrub(v, tmp) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v, tmp) for k, v in value.items()}
    return value


def list_tree(out: Path) -> list[dict]:
    entries = []
    for dirpath, dirnames, filenames in os.walk(out, followlinks=False):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(out).as_posix()
            st = p.lstat()
            if stat.S_ISLNK(st.st_mode):
                entries.append({"path": rel, "type": "symlink", "target": os.readlink(p)})
            elif stat.S_ISDIR(st.st_mode):
                entries.append({"path": rel, "type": "dir", "mode": f"{stat.S_IMODE(st.st_mode):04o}"})
            else:
                e = {"path": rel, "type": "file", "mode": f"{stat.S_IMODE(st.st_mode):04o}"}
                data = p.read_bytes()
                try:
                    e["text"] = data.decode("utf-8")
                except UnicodeDecodeError:
                    e["base64"] = base64.b64encode(data).decode("ascii")
                entries.append(e)
    entries.sort(key=lambda e: e["path"])
    return entries


def dump(obj) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def run_case(case_dir: Path) -> tuple[str, str, int]:
    case = json.loads((case_dir / "case.json").read_text())
    with tempfile.TemporaryDirectory(prefix="scaffold-oracle-") as tmp_s:
        tmp = Path(tmp_s)
        values = tmp / "values.json"
        values.write_text(json.dumps(case["values"]))
        out = tmp / "out"
        actions = tmp / "actions.json"
        argv = [ORACLE, str(SCAFFOLD / case["template"]), str(values), str(out),
                "--actions-file", str(actions)]
        if "secrets" in case:
            sec = tmp / "secrets.json"
            sec.write_text(json.dumps(case["secrets"]))
            argv += ["--secrets", str(sec)]
        if "user" in case:
            argv += ["--user-ref", case["user"]]
        if "userEntity" in case:
            argv += ["--user-entity", str(SCAFFOLD / case["userEntity"])]
        for m in case.get("urlMap", []):
            prefix, _, rel = m.partition("=")
            argv += ["--url-map", f"{prefix}={SCAFFOLD / rel}"]
        argv += case.get("oracleArgs", [])

        old = os.umask(UMASK)
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, cwd=tmp)
        finally:
            os.umask(old)
        try:
            summary = json.loads(proc.stdout) if proc.stdout.strip() else None
        except json.JSONDecodeError:
            summary = None
        if summary is None:
            if proc.returncode != 2:
                raise SystemExit(f"{case_dir.name}: oracle exit {proc.returncode} without summary:\n{proc.stderr}")
            expected = {"exit": 2, "error": {"message": proc.stderr.strip()}, "steps": [],
                        "output": None, "parameters": None, "swallowedTemplateErrors": None,
                        "umask": f"{UMASK:04o}", "files": []}
        else:
            expected = {
                "exit": proc.returncode,
                "error": summary.get("error"),
                "steps": [{k: s[k] for k in ("id", "action", "status", "invocations", "inputs")}
                          for s in summary.get("steps", [])],
                "output": summary.get("output"),
                "parameters": summary.get("parameters"),
                "swallowedTemplateErrors": summary.get("swallowedTemplateErrors"),
                "umask": summary.get("umask"),
                "files": list_tree(out) if out.is_dir() and summary.get("ok") else [],
            }
        expected = scrub(expected, tmp_s)
        acts = json.loads(actions.read_text()) if actions.exists() else []
        acts = scrub(acts, tmp_s)
        return dump(expected), dump(acts), expected["exit"]


def main(args: list[str]) -> int:
    check = "--check" in args
    names = [a for a in args if a != "--check"]
    if not names:
        names = sorted(p.parent.name for p in ORACLE_DIR.glob("*/case.json"))
    drift = 0
    for name in names:
        case_dir = ORACLE_DIR / name.rstrip("/").split("/")[-1]
        exp, acts, code = run_case(case_dir)
        if check:
            same = ((case_dir / "expected.json").read_text() == exp
                    and (case_dir / "actions.json").read_text() == acts)
            drift += not same
            print(f"{name}: exit {code} {'ok' if same else 'DRIFT'}")
        else:
            (case_dir / "expected.json").write_text(exp)
            (case_dir / "actions.json").write_text(acts)
            print(f"{name}: exit {code}")
    return 1 if drift else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
