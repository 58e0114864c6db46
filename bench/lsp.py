#!/usr/bin/env python3
"""Benchmark `callboard lsp` on a synthetic catalog (shared/bench/gen-catalog), as an editor
drives it over stdio (plain JSON-RPC framing, no client library).

    bench/lsp.sh [SIZE]            default size: 10000 components (through common.sh)
    bench/lsp.py BINARY CATALOG_DIR [EDITS]

Measures, from the moment the server process starts:
  - all workspace diagnostics: the answer to a request sent right after `initialized` (the
    server publishes every start diagnostic before it answers anything);
  - the opened file's first publishDiagnostics (the file is opened with an error in it);
then, for EDITS edits (default 9) of the opened file, each after a pause, alternating between
adding and fixing an error, the time from didChange to its publishDiagnostics; the same for a
Group file every component refers to (its name changed and changed back: every referring file
is re-checked); the time from a codeAction request to its answer, EDITS times each, for a
capitalised tag of the opened file (a fix from the file alone) and for its unresolved owner (the
fix engine gathers the whole catalog's entities to look for the closest name); and the server's
peak RSS (VmHWM).
"""

import json
import os
import statistics
import subprocess
import sys
import time


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Server:
    def __init__(self, binary, cwd):
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [binary, "lsp"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.next_id = 0
        self.log = []

    def send(self, message):
        message["jsonrpc"] = "2.0"
        self.process.stdin.write(frame(message))
        self.process.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def receive(self):
        length = None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise SystemExit("the server closed its output")
            line = line.strip()
            if not line:
                break
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return json.loads(self.process.stdout.read(length)), time.perf_counter()

    def until(self, predicate):
        while True:
            message, at = self.receive()
            if message.get("method") == "window/logMessage":
                self.log.append(message["params"]["message"])
            if predicate(message):
                return message, at

    def peak_rss_mib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")


def uri(path):
    return "file://" + os.path.abspath(path)


def published(file_uri):
    return lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == file_uri


def edits(server, path, texts, count):
    """Times from didChange to the publication, each after a pause."""
    file_uri = uri(path)
    times = []
    for i in range(count):
        time.sleep(0.3)
        sent = time.perf_counter()
        server.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": file_uri, "version": i + 2}, "contentChanges": [{"text": texts[i % 2]}]},
        )
        _, at = server.until(published(file_uri))
        times.append((at - sent) * 1000)
    return times


def main():
    binary, catalog = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 9
    component = next(
        os.path.join(root, "catalog-info.yaml")
        for root, _, files in sorted(os.walk(os.path.join(catalog, "services")))
        if "catalog-info.yaml" in files
    )
    good = open(component).read()
    owner = next(l for l in good.splitlines() if l.strip().startswith("owner:"))
    bad = good.replace(owner, owner.split(":")[0] + ": team-nobody", 1)

    server = Server(binary, catalog)
    server.request("initialize", {"processId": os.getpid(), "rootUri": uri(catalog), "capabilities": {}})
    server.until(lambda m: m.get("id") == 1)
    server.notify("initialized", {})
    probe = server.request("textDocument/hover", {"textDocument": {"uri": uri(component)}, "position": {"line": 0, "character": 0}})
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri(component), "languageId": "yaml", "version": 1, "text": bad}},
    )
    _, all_at = server.until(lambda m: m.get("id") == probe)
    _, open_at = server.until(published(uri(component)))
    component_edits = edits(server, component, [good, bad], count)

    # The owner broken again and a tag capitalised: code actions for their diagnostics.
    time.sleep(0.3)
    tagged = bad.replace("    - go\n", "    - Go\n", 1)
    assert tagged != bad, f"no `- go` tag in {component}"
    server.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri(component), "version": count + 2}, "contentChanges": [{"text": tagged}]},
    )
    message, _ = server.until(published(uri(component)))
    action_times = {}
    for code in ["invalid-tag", "unresolved-ref"]:
        asked_about = [d for d in message["params"]["diagnostics"] if d["code"] == code]
        assert asked_about, message
        times = []
        for _ in range(count):
            sent = time.perf_counter()
            asked = server.request(
                "textDocument/codeAction",
                {
                    "textDocument": {"uri": uri(component)},
                    "range": asked_about[0]["range"],
                    "context": {"diagnostics": asked_about},
                },
            )
            answer, at = server.until(lambda m: m.get("id") == asked)
            times.append((at - sent) * 1000)
        action_times[code] = (statistics.median(times), len(answer["result"]))

    groups = os.path.join(catalog, "org", "groups.yaml")
    group_text = open(groups).read()
    team = owner.split(":", 1)[1].strip().strip('"').split("/")[-1].split(":")[-1]
    renamed = group_text.replace(f"name: {team}\n", f"name: {team}-renamed\n", 1)
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri(groups), "languageId": "yaml", "version": 1, "text": group_text}},
    )
    assert renamed != group_text, f"no `name: {team}` in {groups}"
    time.sleep(0.5)
    group_edits = edits(server, groups, [renamed, group_text], count)
    rss = server.peak_rss_mib()
    server.request("shutdown", None)
    server.notify("exit", None)
    server.process.wait()

    files = sum(1 for _, _, fs in os.walk(catalog) for f in fs if f.endswith((".yaml", ".yml")))
    print(f"catalog: {catalog} ({files} YAML files); group renamed: {team}")
    print("server log: " + "; ".join(server.log))
    print("| measure | time |")
    print("|---|---:|")
    print(f"| start to all workspace diagnostics | {(all_at - server.started) * 1000:.0f} ms |")
    print(f"| start to the opened file's diagnostics | {(open_at - server.started) * 1000:.0f} ms |")
    print(f"| didChange of a component file to its diagnostics (median of {count}) | {statistics.median(component_edits):.1f} ms |")
    print(f"| didChange of groups.yaml (a team renamed) to its diagnostics (median of {count}) | {statistics.median(group_edits):.1f} ms |")
    for code, (median, actions) in action_times.items():
        print(f"| codeAction for the {code} diagnostic to its answer ({actions} action(s); median of {count}) | {median:.1f} ms |")
    print(f"| peak RSS | {rss:.0f} MiB |")


if __name__ == "__main__":
    main()
