"""Web pages in, article text and metadata out.

Pure Python (no Django): ``fetch_page`` downloads a page safely and
``read_page`` turns its HTML into the text, title, date, author and outlet a
person would read there. trafilatura finds the main text, htmldate the
publication date; the outlet comes from ``og:site_name`` or the JSON-LD
publisher, else from the domain.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit, urlunsplit

import htmldate
import trafilatura

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
USER_AGENT = "Quotewise/1.0 (+article import; a person asked for this page)"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_REDIRECT_CODES = {301, 302, 303, 307, 308}
# Below this many characters trafilatura has found a caption or a cookie
# banner, not an article.
MIN_ARTICLE_CHARS = 80


class PageError(Exception):
    """A page that cannot be used; the message is meant for the person who asked."""


class PageStatusError(PageError):
    """The site answered, with a status other than 200 (a 404, a 500…)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    content: bytes
    content_type: str
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False  # a 304 answer to a conditional request: content is empty


@dataclass(frozen=True)
class PageArticle:
    text: str
    title: str
    author: str
    outlet: str  # empty when the page does not say and there is no URL
    published: date | None
    url: str
    published_inferred: bool = False  # found in the text, not stated in the page's metadata or address


def fetch_page(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    allow_private: bool = False,
    headers: dict[str, str] | None = None,
    accept: tuple[str, ...] = _HTML_TYPES,
) -> FetchedPage:
    """Download an HTML page (or another of the ``accept`` types), following
    redirects by hand so each hop is checked. ``headers`` are sent as well:
    with ``If-None-Match`` or ``If-Modified-Since`` a 304 answer comes back
    as a page with ``not_modified`` set.

    Every hop's host is resolved and every address checked before connecting,
    and the connection goes to the address that was checked: a DNS answer that
    changes between the check and the connection cannot reach an internal host.
    """
    deadline = time.monotonic() + timeout
    current = url.strip()
    request_headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml;q=0.9",
        **(headers or {}),
    }
    for _hop in range(max_redirects + 1):
        scheme, host, port, target = _split_url(current)
        address = _checked_address(host, port, allow_private)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise PageError(f"The site did not answer within {timeout:g} seconds.")
        connection = _connection(scheme, host, port, address, remaining)
        cutter = None
        try:
            connection.connect()  # within the remaining time: the socket timeout
            # A socket timeout bounds each read, not the whole: a server sending
            # a byte a second would never trip it. At the deadline the socket is
            # shut, whatever the fetch is waiting for (headers or body).
            cutter = threading.Timer(deadline - time.monotonic(), _cut, args=(connection.sock,))
            cutter.daemon = True
            cutter.start()
            connection.request(
                "GET",
                target,
                headers=request_headers,
            )
            response = connection.getresponse()
            if response.status in _REDIRECT_CODES:
                location = response.getheader("Location")
                if not location:
                    raise PageError(f"The site answered with a redirect to nowhere ({response.status}).")
                current = urljoin(current, location)
                continue
            if response.status == 304 and headers:
                return FetchedPage(url=current, content=b"", content_type="", not_modified=True)
            if response.status != 200:
                raise PageStatusError(
                    f"The site answered {response.status} {response.reason}.", response.status
                )
            content_type = (response.getheader("Content-Type") or accept[0]).lower()
            if not content_type.startswith(accept):
                raise PageError(f"This link is not a web page (it is {content_type.split(';')[0]}).")
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise PageError(f"The page is larger than the {_megabytes(max_bytes)} limit.")
            content = _read_limited(response, max_bytes)
            if time.monotonic() >= deadline:  # cut off: what was read may be only part of it
                raise PageError(f"The site did not answer within {timeout:g} seconds.")
            return FetchedPage(
                url=current,
                content=content,
                content_type=content_type,
                etag=response.getheader("ETag") or "",
                last_modified=response.getheader("Last-Modified") or "",
            )
        except TimeoutError as exc:
            raise PageError(f"The site did not answer within {timeout:g} seconds.") from exc
        except (OSError, http.client.HTTPException) as exc:
            if time.monotonic() >= deadline:
                raise PageError(f"The site did not answer within {timeout:g} seconds.") from exc
            raise PageError(f"The site could not be reached ({_reason(exc)}).") from exc
        finally:
            if cutter is not None:
                cutter.cancel()
            connection.close()
    raise PageError(f"The link redirects more than {max_redirects} times (a redirect loop?).")


def read_page(content: bytes | str, url: str = "") -> PageArticle:
    """The article a page carries, or PageError when it carries none."""
    # The whole page, not its start: a zero byte anywhere means it is not a page of text.
    if (b"\x00" if isinstance(content, bytes) else "\x00") in content:
        raise PageError("This file is not a web page (it looks like a binary file).")
    # load_html guesses the encoding from the bytes and the page's own charset.
    tree = trafilatura.load_html(content)
    if tree is None:
        raise PageError("This file could not be read as a web page.")
    # Metadata first: trafilatura prunes the tree it is given.
    meta = _page_metadata(tree)
    published, inferred = _publication_date(tree, url)
    document = trafilatura.bare_extraction(
        tree,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_recall=True,
    )
    text = _tidy_text(getattr(document, "text", "") or "")
    if len(text) < MIN_ARTICLE_CHARS:
        raise PageError("No article text was found on this page.")
    # A saved page knows its own address (canonical link / og:url) even when we do not.
    url = url or getattr(document, "url", "") or ""
    url = url if is_web_url(url) else ""
    title = meta.get("title") or getattr(document, "title", "") or ""
    author = meta.get("author") or getattr(document, "author", "") or ""
    outlet = meta.get("outlet") or _site_name(getattr(document, "sitename", "") or "") or domain_of(url)
    return PageArticle(
        text=text,
        title=" ".join(title.split()),
        author=" ".join(author.split()),
        outlet=" ".join(outlet.split()),
        published=published or _parse_date(getattr(document, "date", None)),
        url=url,
        published_inferred=inferred or (published is None and getattr(document, "date", None) is not None),
    )


def fetch_article(url: str, **fetch_options) -> PageArticle:
    """``fetch_page`` then ``read_page``: the article at a URL."""
    page = fetch_page(url, **fetch_options)
    return read_page(page.content, page.url)


def check_fetchable(url: str, *, allow_private: bool = False) -> None:
    """Raise PageError saying why ``url`` cannot be fetched (not a web address, a
    host that does not resolve, a private or local address) before anything is
    asked of it: the same check ``fetch_page`` makes at every hop."""
    _scheme, host, port, _target = _split_url(url.strip())
    _checked_address(host, port, allow_private)


def is_web_url(value: str) -> bool:
    return urlsplit(value.strip()).scheme.lower() in {"http", "https"}


def _split_url(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise PageError("This is not a valid web address.") from exc
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise PageError("Only http:// and https:// links can be fetched.")
    if not parts.hostname:
        raise PageError("This web address has no host name.")
    target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), target


def _checked_address(host: str, port: int, allow_private: bool) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise PageError(f"The site could not be found ({host} does not resolve).") from exc
    addresses = [info[4][0] for info in infos]
    if not allow_private:
        for address in addresses:
            if not _is_public(address):
                raise PageError(f"{host} is a private or local address; only public sites can be fetched.")
    return addresses[0]


# IPv6 prefixes that carry an IPv4 address in their last 32 bits: NAT64's well-known
# prefix (RFC 6052) and the deprecated IPv4-compatible addresses (RFC 4291).
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
# Local-use NAT64 (RFC 8215): translated inside one network, never a public site.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _LOCAL_NAT64:
            return False
        # An address that reaches an IPv4 one is as public as that one is.
        if embedded := ip.ipv4_mapped or ip.sixtofour:
            ip = embedded
        elif ip in _NAT64 or ip in _IPV4_COMPATIBLE:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.is_global and not ip.is_multicast


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connection(scheme: str, host: str, port: int, address: str, timeout: float):
    cls = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    return cls(host, port, address, timeout)


def _cut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _read_limited(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise PageError(f"The page is larger than the {_megabytes(max_bytes)} limit.")
        chunks.append(chunk)
    return b"".join(chunks)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ssl.SSLError):
        return "its secure connection failed"
    return str(exc) or type(exc).__name__


def _tidy_text(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    return "\n\n".join(line for line in lines if line)


def _page_metadata(tree) -> dict[str, str]:
    """What the page says about itself in og: tags and JSON-LD."""
    found: dict[str, str] = {}
    for item in _json_ld_items(tree):
        kind = item.get("@type", "")
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(str(k).endswith(("Article", "BlogPosting", "Report")) for k in kinds):
            continue
        found.setdefault("title", _as_text(item.get("headline")))
        found.setdefault("outlet", _name_of(item.get("publisher")))
        found.setdefault("author", _name_of(item.get("author")))
    for key, prop in (("outlet", "og:site_name"), ("title", "og:title")):
        values = tree.xpath("//meta[@property=$p or @name=$p]/@content", p=prop)
        if values and values[0].strip():
            # og: tags are written for sharing and are the page's own claim:
            # they win over JSON-LD, which templates often fill generically.
            found[key] = values[0].strip()
    if not found.get("author"):
        values = tree.xpath("//meta[@name='author' or @property='article:author']/@content")
        found["author"] = values[0].strip() if values else ""
    return {k: v for k, v in found.items() if v}


def _json_ld_items(tree) -> list[dict]:
    items: list[dict] = []
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        for entry in stack:
            if isinstance(entry, dict):
                graph = entry.get("@graph")
                items += [g for g in graph if isinstance(g, dict)] if isinstance(graph, list) else [entry]
    return items


def _name_of(value) -> str:
    if isinstance(value, list):
        return ", ".join(filter(None, (_name_of(v) for v in value)))
    if isinstance(value, dict):
        return _as_text(value.get("name"))
    return _as_text(value)


def _as_text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _publication_date(tree, url: str) -> tuple[date | None, bool]:
    """The page's publication date, and whether it was only inferred from the text
    (no metadata or address states it)."""
    # original_date: the first publication, not the last update, is what dates a quote.
    stated = _parse_date(
        htmldate.find_date(tree, url=url or None, original_date=True, extensive_search=False)
    )
    if stated:
        return stated, False
    found = _parse_date(htmldate.find_date(tree, url=url or None, original_date=True))
    return found, found is not None


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _site_name(name: str) -> str:
    # trafilatura falls back to the host (with its port); domain_of does that better.
    return "" if "." in name and " " not in name.strip() else name


def domain_of(url: str) -> str:
    """The site's name as its address says it: "www.example.org/x" -> "example.org"."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")
