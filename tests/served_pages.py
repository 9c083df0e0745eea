"""Seed articles dressed as news pages (evaluation.ingest), and other pages a site
might answer with, served on 127.0.0.1 by a server started in the test process
(the ``page_server`` fixture)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from evaluation.ingest import seed_pages

SEED_PAGES = {page.prefix: page for page in seed_pages()}

NO_ARTICLE_HTML = """<!DOCTYPE html><html><head><title>Home | Example</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav><p>Sign up.</p></body></html>"""

UNLABELLED_HTML = """<!DOCTYPE html><html><head><title>Plain page</title></head><body>
<article><h1>Plain page</h1>
<p>“We will not return to the old normal,” the secretary general told reporters in Brussels on Monday.</p>
<p>He added that the alliance would keep supporting Ukraine for as long as it takes, whatever it costs.</p>
</article></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self):  # noqa: N802 - the name http.server calls
        if self.path == "/slow":
            time.sleep(3)
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers and not headers.get("X-No-Length"):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client may stop reading on purpose (the size limit).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args):  # keep the test output quiet
        pass


def _routes() -> dict[str, tuple[int, dict[str, str], bytes]]:
    html = {"Content-Type": "text/html; charset=utf-8"}
    routes = {f"/{page.slug}": (200, html, page.html.encode()) for page in SEED_PAGES.values()}
    first = SEED_PAGES["001"]
    routes.update(
        {
            "/moved": (301, {"Location": f"/{first.slug}"}, b""),
            "/loop": (302, {"Location": "/loop"}, b""),
            "/to-private": (302, {"Location": "http://10.1.2.3/secret"}, b""),
            "/big": (200, html, b"<html><body>" + b"<p>word</p>" * 20000 + b"</body></html>"),
            "/big-undeclared": (
                200,
                {**html, "X-No-Length": "1", "Connection": "close"},
                b"<html><body>" + b"<p>word</p>" * 20000 + b"</body></html>",
            ),
            "/picture": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n\x00\x00"),
            "/no-article": (200, html, NO_ARTICLE_HTML.encode()),
            "/unlabelled": (200, html, UNLABELLED_HTML.encode()),
            "/gone": (410, html, b"gone"),
            "/slow": (200, html, first.html.encode()),
        }
    )
    return routes


@contextmanager
def serve_pages() -> Iterator[str]:
    """Serve the fixture pages on 127.0.0.1; yields the base URL (ending in /)."""
    _Handler.routes = _routes()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
