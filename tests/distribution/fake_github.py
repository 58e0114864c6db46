"""A fake GitHub for tests/distribution.rs, on 127.0.0.1 (an ephemeral port, printed first).

Serves release files from DIR under /download/, the latest-release lookup, and the issue
comments API (list with pagination, create, edit) in memory. /_state returns the comments and
every request seen. Requests to /repos/ without `Authorization: Bearer test-token` get 401.

    python3 fake_github.py DIR OTHER_COMMENTS
"""
import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

RELEASES, OTHERS = sys.argv[1], int(sys.argv[2])
LOCK = threading.Lock()
# Comments by other people first, so the action's comment lands past the first page.
COMMENTS = [
    {"id": 1000 + i, "body": f"review note {i}", "user": {"login": "someone"}}
    for i in range(OTHERS)
]
REQUESTS = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, value=None, raw=None):
        body = raw if raw is not None else json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        return json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))

    def handle_any(self, method):
        url = urlparse(self.path)
        with LOCK:
            REQUESTS.append({"method": method, "path": url.path})
        if url.path == "/_state":
            return self.reply(200, {"comments": COMMENTS, "requests": REQUESTS})
        if url.path.startswith("/download/"):
            name = os.path.basename(url.path)
            path = os.path.join(RELEASES, name)
            if method != "GET" or not os.path.isfile(path):
                return self.reply(404, {"message": "Not Found"})
            with open(path, "rb") as f:
                return self.reply(200, raw=f.read())
        if self.headers.get("Authorization") != "Bearer test-token":
            return self.reply(401, {"message": "Bad credentials"})
        if method == "GET" and url.path == "/repos/callboard-dev/callboard/releases/latest":
            return self.reply(200, {"tag_name": "v9.9.9"})
        m = re.fullmatch(r"/repos/acme/catalog/issues/7/comments", url.path)
        if m and method == "GET":
            q = parse_qs(url.query)
            per_page = int(q.get("per_page", ["30"])[0])
            page = int(q.get("page", ["1"])[0])
            with LOCK:
                return self.reply(200, COMMENTS[(page - 1) * per_page : page * per_page])
        if m and method == "POST":
            with LOCK:
                comment = {
                    "id": 1 + max([c["id"] for c in COMMENTS] + [5000]),
                    "body": self.body()["body"],
                    "user": {"login": "github-actions[bot]"},
                }
                COMMENTS.append(comment)
            return self.reply(201, comment)
        m = re.fullmatch(r"/repos/acme/catalog/issues/comments/(\d+)", url.path)
        if m and method == "PATCH":
            with LOCK:
                for comment in COMMENTS:
                    if comment["id"] == int(m.group(1)):
                        comment["body"] = self.body()["body"]
                        return self.reply(200, comment)
            return self.reply(404, {"message": "Not Found"})
        return self.reply(404, {"message": "Not Found"})

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
