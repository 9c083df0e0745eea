"""Reading web pages: safe fetching and text/metadata extraction, no database.

Pages are served from 127.0.0.1 by a server started in the test process; each
seed article is dressed as a realistic news page (evaluation.ingest).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest

from evaluation.ingest import SeedPage, score_page
from quotes import webpages
from tests.served_pages import SEED_PAGES, UNLABELLED_HTML


def fetch(url: str, **options) -> webpages.PageArticle:
    return webpages.fetch_article(url, allow_private=True, **options)


@pytest.mark.parametrize("prefix", sorted(SEED_PAGES))
def test_seed_page_text_title_date_and_outlet_come_out_right(page_server, prefix):
    page: SeedPage = SEED_PAGES[prefix]
    found = fetch(page_server + page.slug)
    score = score_page(page, found)
    assert score.recall >= 0.98, score
    assert score.precision >= 0.95, score
    assert score.leaked == []
    assert found.title == page.title
    assert found.published == date.fromisoformat(page.published)
    assert found.outlet == page.outlet
    assert found.url == page_server + page.slug


def test_author_comes_from_the_byline_metadata(page_server):
    found = fetch(page_server + SEED_PAGES["001"].slug)
    assert found.author == "Tyler Durden"


def test_quotes_survive_extraction_intact(page_server):
    found = fetch(page_server + SEED_PAGES["001"].slug)
    assert "Trust has been destroyed" in found.text
    assert "Share on Facebook" not in found.text


def test_outlet_falls_back_to_the_domain(page_server):
    found = fetch(page_server + "unlabelled")
    assert found.outlet == "127.0.0.1"
    assert found.title == "Plain page"


def test_redirects_are_followed_to_the_final_address(page_server):
    page = SEED_PAGES["001"]
    found = fetch(page_server + "moved")
    assert found.url == page_server + page.slug
    assert found.title == page.title


def test_a_redirect_loop_is_refused(page_server):
    with pytest.raises(webpages.PageError, match="redirects more than 5 times"):
        fetch(page_server + "loop")


def test_an_unreachable_site_is_reported():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    with pytest.raises(webpages.PageError, match="could not be reached"):
        fetch(f"http://127.0.0.1:{port}/")


def test_an_unknown_host_is_reported():
    with pytest.raises(webpages.PageError, match="could not be found"):
        fetch("http://no-such-host.invalid/")


def test_a_slow_site_times_out(page_server):
    with pytest.raises(webpages.PageError, match="did not answer within"):
        fetch(page_server + "slow", timeout=0.5)


@contextmanager
def trickling_server(head: bytes, body: bytes) -> Iterator[str]:
    """A server that sends ``head`` at once, then ``body`` one byte every 0.2 s."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        with contextlib.suppress(OSError):
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(head)
                for byte in body:
                    if stop.wait(0.2):
                        break
                    connection.sendall(bytes([byte]))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        stop.set()
        listener.close()


_PAGE = SEED_PAGES["001"].html.encode()


@pytest.mark.timeout(30)  # each byte arrives well within the socket timeout: before, this ran for hours
@pytest.mark.parametrize(
    "head, body",
    [
        (b"", b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + b"X-Padding: " + b"x" * 1000 + b"\r\n\r\n"),
        (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(_PAGE), _PAGE),
        (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n", _PAGE),
    ],
    ids=["headers", "body", "body-without-length"],
)
def test_a_site_that_trickles_its_answer_is_cut_off_at_the_deadline(head, body):
    with trickling_server(head, body) as url:
        started = time.monotonic()
        with pytest.raises(webpages.PageError, match="did not answer within 2 seconds"):
            fetch(url, timeout=2)
        assert time.monotonic() - started < 10


def test_the_fetch_deadline_is_well_under_the_web_servers_timeout(settings):
    # gunicorn stops a request after 30 s; a form that fetches must answer first.
    assert settings.URL_FETCH_TIMEOUT <= 15


@pytest.mark.parametrize("route", ["big", "big-undeclared"])
def test_a_page_over_the_size_limit_is_refused(page_server, route):
    with pytest.raises(webpages.PageError, match="larger than"):
        fetch(page_server + route, max_bytes=10_000)


def test_an_http_error_is_reported(page_server):
    with pytest.raises(webpages.PageError, match="410"):
        fetch(page_server + "gone")


def test_something_that_is_not_a_web_page_is_refused(page_server):
    with pytest.raises(webpages.PageError, match="not a web page"):
        fetch(page_server + "picture")


def test_a_page_with_no_article_text_is_refused(page_server):
    with pytest.raises(webpages.PageError, match="No article text"):
        fetch(page_server + "no-article")


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/a.html", "gopher://example.org/", "javascript:alert(1)"]
)
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(webpages.PageError, match="Only http"):
        webpages.fetch_page(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://10.0.0.8/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
        "http://[64:ff9b::a00:8]/",  # NAT64 of 10.0.0.8
        "http://[64:ff9b:1::a00:8]/",  # local-use NAT64
        "http://[2002:a9fe:a9fe::1]/",  # 6to4 of 169.254.169.254
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[::a00:8]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
    ],
)
def test_private_and_local_addresses_are_refused(url):
    with pytest.raises(webpages.PageError, match="private or local"):
        webpages.fetch_page(url)


@pytest.mark.parametrize(
    "address", ["64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8", "93.184.215.14"]
)
def test_an_ipv6_address_carrying_a_public_ipv4_address_is_public(address):
    assert webpages._is_public(address)


def test_every_address_of_a_host_is_checked(monkeypatch):
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 80)),
    ]
    monkeypatch.setattr(webpages.socket, "getaddrinfo", lambda *args, **kwargs: answers)
    with pytest.raises(webpages.PageError, match="private or local"):
        webpages.fetch_page("http://mixed.example/")


def test_a_redirect_to_a_private_address_is_refused(page_server, monkeypatch):
    # Pretend the test server is a public site: only the redirect's target is private.
    monkeypatch.setattr(webpages, "_is_public", lambda address: address == "127.0.0.1")
    with pytest.raises(webpages.PageError, match="private or local"):
        webpages.fetch_page(page_server + "to-private")


def test_private_addresses_are_allowed_when_asked(page_server):
    assert webpages.fetch_page(page_server + "unlabelled", allow_private=True).content


def test_a_binary_file_is_not_read_as_a_page():
    with pytest.raises(webpages.PageError, match="binary"):
        webpages.read_page(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)


def test_a_saved_page_knows_its_canonical_address():
    html = UNLABELLED_HTML.replace(
        "<title>", '<link rel="canonical" href="https://news.example.org/plain"><title>'
    )
    found = webpages.read_page(html.encode())
    assert found.url == "https://news.example.org/plain"
    assert found.outlet == "news.example.org"


def test_the_page_charset_is_honoured():
    html = UNLABELLED_HTML.replace("<head>", '<head><meta charset="windows-1252">')
    found = webpages.read_page(html.replace("Brussels", "Bruxelles – café").encode("cp1252"))
    assert "Bruxelles – café" in found.text


def test_a_date_found_only_in_the_text_is_marked_as_inferred():
    in_text = UNLABELLED_HTML.replace("<p>He added", "<p>Posted on 12 March 2024.</p><p>He added")
    found = webpages.read_page(in_text.encode())
    assert found.published == date(2024, 3, 12) and found.published_inferred
    stated = in_text.replace(
        "<title>", '<meta property="article:published_time" content="2024-03-11T09:00:00Z"><title>'
    )
    found = webpages.read_page(stated.encode())
    assert found.published == date(2024, 3, 11) and not found.published_inferred
