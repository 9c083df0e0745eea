"""Web sites served on 127.0.0.1 by the test process: the seed articles dressed as
news pages (evaluation.ingest) and other pages a site might answer with (the
``page_server`` fixture); and a small site whose pages and feeds a test sets as it
goes (``serve``)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
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


Route = tuple[int, dict[str, str], bytes] | Callable[[BaseHTTPRequestHandler], None]


class Site:
    """A small web site whose pages a test changes as it goes."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []

    def url(self, path: str) -> str:
        return self.base + path

    def set(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        **headers: str,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = (status, {"Content-Type": content_type, **headers}, data)

    def fetched(self, path: str) -> int:
        return sum(1 for requested, _ in self.requests if requested == path)


@contextmanager
def serve() -> Iterator[Site]:
    site: Site

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            site.requests.append((self.path, dict(self.headers)))
            route = site.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if callable(route):
                route(self)
                return
            status, headers, body = route
            etag = headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site = Site(f"http://127.0.0.1:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def article_page(
    title: str, speaker: str, words: str, *, published: str = "", author: str = "", canonical: str = ""
) -> str:
    head = f"<title>{title}</title>" if title else ""
    head += f'<meta property="article:published_time" content="{published}">' if published else ""
    head += f'<meta name="author" content="{author}">' if author else ""
    head += f'<link rel="canonical" href="{canonical}">' if canonical else ""
    heading = f"<h1>{title}</h1>" if title else ""
    return (
        f"<!DOCTYPE html><html><head>{head}</head><body><article>{heading}"
        f"<p>{speaker} spoke to reporters on Tuesday afternoon in the capital.</p>"
        f"<p>\u201c{words},\u201d {speaker} said. The remarks drew applause from the crowd outside.</p>"
        "<p>Officials said further talks were planned for next month, and that a statement would follow.</p>"
        "</article></body></html>"
    )


def rss(site: Site, items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed of (path, title, RFC 822 date) items."""
    entries = "".join(
        f"<item><title>{title}</title><link>{site.url(path)}</link><pubDate>{when}</pubDate>"
        f"<dc:creator>Feed Author</dc:creator></item>"
        for path, title, when in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>Lakeside Herald</title><link>{site.base}/</link>{entries}</channel></rss>"
    )


def two_article_feed(site: Site) -> None:
    """Two articles and the RSS feed that lists them (ETag "v1") on ``site``."""
    site.set(
        "/a/bridge",
        article_page(
            "Bridge to open in spring",
            "Mayor Ana Ruiz",
            "The bridge will open in April",
            published="2024-05-02",
            author="Page Author",
        ),
    )
    # This page says nothing about itself: the feed's title, date and author are kept.
    site.set("/a/harbour", article_page("", "Harbour master Tom Reid", "We expect record traffic this year"))
    feed = rss(
        site,
        [
            ("/a/bridge", "Bridge (feed title)", "Thu, 02 May 2024 10:00:00 GMT"),
            ("/a/harbour", "Harbour traffic to hit a record", "Fri, 03 May 2024 09:00:00 GMT"),
        ],
    )
    site.set("/feed.xml", feed, "application/rss+xml", ETag='"v1"')
