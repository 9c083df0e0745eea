"""Watching outlets: what a feed or a sitemap lists, and when to ask again.

Pure Python (no Django), like ``webpages``: RSS and Atom are read by
feedparser, sitemaps by defusedxml as a stream (no entity expansion, no external
entities), home pages are searched for the feeds they announce, and the
small rules of polling (when a source is due, how long to back off, how long
to wait between two requests to one host, what robots.txt allows) live here.
"""

from __future__ import annotations

import calendar
import heapq
import re
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from defusedxml.ElementTree import iterparse as iterparse_xml

from .extraction.invisible import without_control_characters

FEED = "feed"
SITEMAP = "sitemap"
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+xml")
# What a feed or a sitemap may be served as (many servers say text/xml or text/plain).
XML_TYPES = (*FEED_TYPES, "application/rdf+xml", "application/xml", "text/xml", "text/plain")
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
# Query parameters that track a click and never change the article.
_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "cmpid", "ocid")
# Items one listing gives at most, the newest (quotes/polling.py passes SOURCE_ITEMS_PER_POLL).
ITEMS_PER_LISTING = 1000
# What a feed may unpack to: feedparser holds the whole document (a sitemap is streamed).
MAX_FEED_BYTES = 10 * 1024 * 1024
# feedparser's complaints that do not mean the feed is broken.
_HARMLESS_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


class FeedError(Exception):
    """A feed or sitemap that cannot be read; the message is meant for an editor."""


@dataclass(frozen=True)
class FeedItem:
    """One article a source lists, with what the source says about it."""

    url: str
    title: str = ""
    published_at: datetime | None = None  # UTC
    author: str = ""

    @property
    def published(self) -> date | None:
        return self.published_at.date() if self.published_at else None


@dataclass(frozen=True)
class Listing:
    """What one fetch of a source found: its items, newest first, and for a
    sitemap index the sitemaps it points to (newest first)."""

    kind: str
    title: str
    items: list[FeedItem]
    sitemaps: list[str]


def read_source(content: bytes, url: str, *, limit: int = ITEMS_PER_LISTING) -> Listing:
    """The newest ``limit`` items of a feed or a sitemap, or FeedError saying why there are none.

    A sitemap is read as a stream, unpacked as it is parsed (it may list an
    outlet's whole archive); a feed, which feedparser reads whole, may unpack
    to ``MAX_FEED_BYTES`` at most."""
    head = _Unpacking(content, _MAX_UNZIPPED).read(2048).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise FeedError("This address is a web page, not a feed or a sitemap.")
    if _root_name(content) in {f"{SITEMAP_NS}urlset", f"{SITEMAP_NS}sitemapindex"}:
        return read_sitemap(content, url, limit=limit)
    return read_feed(_gunzip(content, MAX_FEED_BYTES), url, limit=limit)


def read_feed(content: bytes, url: str, *, limit: int = ITEMS_PER_LISTING) -> Listing:
    """An RSS (0.9x, 1.0, 2.0) or Atom feed's newest ``limit`` entries, newest first."""
    _refuse_entities(content)
    # Bytes, never a str: given a string that looks like an address, feedparser fetches it.
    parsed = feedparser.parse(content, response_headers={"content-location": url})
    if parsed.bozo and not isinstance(parsed.bozo_exception, _HARMLESS_BOZO):
        raise FeedError(f"The feed is not well-formed XML ({parsed.bozo_exception}).")
    if not parsed.version:
        raise FeedError("This is not an RSS or Atom feed.")
    items = []
    for entry in parsed.entries:
        link = _entry_link(entry, url)
        if not link:
            continue
        items.append(
            FeedItem(
                url=canonical_url(link),
                title=_one_line(entry.get("title") or ""),
                published_at=_entry_moment(entry),
                author=_one_line(entry.get("author") or ""),
            )
        )
    title = _one_line(parsed.feed.get("title") or "")
    return Listing(kind=FEED, title=title, items=newest_first(items)[:limit], sitemaps=[])


def read_sitemap(content: bytes, url: str, *, limit: int = ITEMS_PER_LISTING) -> Listing:
    """A sitemap's newest ``limit`` pages (with their ``<news:news>`` title and date)
    or a sitemap index's newest ``limit`` sitemaps.

    Read as a stream, unpacked and parsed a piece at a time: no tree is built,
    only the few fields of each entry are kept while it is read, and only the
    newest ``limit`` entries after it, so a sitemap of a million addresses
    costs the time to parse it and the memory of ``limit`` items."""
    reader = _SitemapReader(url, limit)
    parser = DefusedXMLParser(target=reader, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    unpacking = _Unpacking(content, _MAX_UNZIPPED)
    try:
        while chunk := unpacking.read(64 * 1024):
            parser.feed(chunk)
        parser.close()
    except DefusedXmlException as exc:
        raise FeedError("The document declares XML entities, which are refused.") from exc
    except ParseError as exc:
        raise FeedError(f"The document is not well-formed XML ({exc}).") from exc
    if reader.root == f"{SITEMAP_NS}sitemapindex":
        sitemaps = [urljoin(url, loc) for loc in reader.newest.kept()]
        return Listing(kind=SITEMAP, title="", items=[], sitemaps=sitemaps)
    return Listing(kind=SITEMAP, title="", items=newest_first(reader.newest.kept()), sitemaps=[])


class _SitemapReader:
    """The parser's target for a sitemap: each entry's address, title and date,
    gathered as they stream past (nothing else is kept, not even the text
    between entries), and the newest entries."""

    _ENTRIES = (f"{SITEMAP_NS}url", f"{SITEMAP_NS}sitemap")
    _FIELDS = (
        f"{SITEMAP_NS}loc",
        f"{SITEMAP_NS}lastmod",
        f"{NEWS_NS}title",
        f"{NEWS_NS}publication_date",
    )
    _MAX_FIELD = 4000  # characters of one field kept: an address is at most 2,000

    def __init__(self, url: str, limit: int) -> None:
        self.url, self.newest, self.root = url, _Newest(limit), ""
        self._entry: dict[str, str] = {}
        self._field = ""
        self._text: list[str] = []
        self._size = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if not self.root:
            self.root = tag
            if tag not in {f"{SITEMAP_NS}urlset", f"{SITEMAP_NS}sitemapindex"}:
                raise FeedError("This XML is neither a sitemap nor a feed.")
        elif tag in self._ENTRIES:
            self._entry = {}
        elif tag == f"{NEWS_NS}news":
            self._entry["news"] = "yes"
        elif tag in self._FIELDS:
            self._field, self._text, self._size = tag, [], 0

    def data(self, text: str) -> None:
        if self._field and self._size < self._MAX_FIELD:
            self._text.append(text)
            self._size += len(text)

    def end(self, tag: str) -> None:
        if tag == self._field:
            self._entry[tag] = _one_line("".join(self._text)[: self._MAX_FIELD])
            self._field = ""
        elif tag == f"{SITEMAP_NS}url" and self.root == f"{SITEMAP_NS}urlset":
            self._keep_page(self._entry)
        elif tag == f"{SITEMAP_NS}sitemap" and self.root == f"{SITEMAP_NS}sitemapindex":
            self._keep_sitemap(self._entry)

    def close(self) -> None:
        return None

    def _keep_sitemap(self, entry: dict[str, str]) -> None:
        if loc := entry.get(f"{SITEMAP_NS}loc"):
            self.newest.add(_parse_moment(entry.get(f"{SITEMAP_NS}lastmod", "")), lambda: loc)

    def _keep_page(self, entry: dict[str, str]) -> None:
        loc = entry.get(f"{SITEMAP_NS}loc")
        if not loc:
            return
        if entry.get("news"):
            title = entry.get(f"{NEWS_NS}title", "")
            published = _parse_moment(entry.get(f"{NEWS_NS}publication_date", ""))
        else:
            title, published = "", _parse_moment(entry.get(f"{SITEMAP_NS}lastmod", ""))
        # The address is made canonical only for an item that is kept.
        page = self.url
        self.newest.add(
            published,
            lambda: FeedItem(url=canonical_url(urljoin(page, loc)), title=title, published_at=published),
        )


class _Newest:
    """The ``limit`` newest of a stream of dated things, in one pass: the undated
    come after the dated, and among equals the stream's own order is kept."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._heap: list[tuple[datetime, int, Callable[[], Any]]] = []
        self._count = 0

    def add(self, moment: datetime | None, make: Callable[[], Any]) -> None:
        self._count += 1
        key = (moment or _EARLIEST, -self._count)
        if len(self._heap) < self.limit:
            heapq.heappush(self._heap, (*key, make))
        elif key > self._heap[0][:2]:
            heapq.heapreplace(self._heap, (*key, make))

    def kept(self) -> list:
        """What was kept, newest first."""
        return [make() for _, _, make in sorted(self._heap, key=lambda entry: entry[:2], reverse=True)]


def canonical_url(url: str) -> str:
    """The address an article is known by: lower-case scheme and host, no
    default port, no fragment, no click-tracking parameters."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    default_port = {"http": 80, "https": 443}.get(scheme)
    try:
        port = parts.port
    except ValueError:
        port = None
    if ":" in host:  # an IPv6 address: urlsplit gives it without the brackets the address needs
        host = f"[{host}]"
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def _is_tracking(name: str) -> bool:
    return name.lower().startswith(_TRACKING_PARAMS)


class _LinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link":
            self.links.append({name.lower(): (value or "").strip() for name, value in attrs})


def _links(html: bytes | str) -> list[dict[str, str]]:
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    finder = _LinkFinder()
    # The <head> is enough, and a huge page costs no more than its first part.
    finder.feed(text[:500_000])
    return finder.links


def discover_feeds(html: bytes | str, page_url: str) -> list[str]:
    """The feeds a page announces with ``<link rel="alternate" type="application/rss+xml">`` (or Atom)."""
    found: list[str] = []
    for link in _links(html):
        rels = link.get("rel", "").lower().split()
        if "alternate" in rels and link.get("type", "").lower() in FEED_TYPES and link.get("href"):
            url = urljoin(page_url, link["href"])
            if url not in found:
                found.append(url)
    return found


def canonical_link(html: bytes | str, page_url: str) -> str:
    """The page's ``<link rel="canonical">``, made canonical, or "" when it has none."""
    for link in _links(html):
        if "canonical" in link.get("rel", "").lower().split() and link.get("href"):
            return canonical_url(urljoin(page_url, link["href"]))
    return ""


# Scheduling and backoff -------------------------------------------------------

DEFAULT_INTERVAL = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=24)
ITEM_RETRY_BASE = timedelta(minutes=10)


def source_backoff(interval: timedelta, failures: int) -> timedelta:
    """How long a source that failed ``failures`` times in a row waits: its
    interval, doubled for each failure after the first, at most a day."""
    if failures <= 1:
        return interval
    return min(interval * 2 ** min(failures - 1, 16), max(MAX_BACKOFF, interval))


def item_retry_delay(attempts: int) -> timedelta:
    """How long an article that failed ``attempts`` times waits before the next try."""
    return min(ITEM_RETRY_BASE * 2 ** min(max(attempts - 1, 0), 16), MAX_BACKOFF)


def conditional_headers(etag: str, last_modified: str) -> dict[str, str]:
    """Headers that let the server answer 304 Not Modified when nothing changed."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


class HostPoliteness:
    """Spaces requests to one host at least ``delay`` seconds apart, within a
    process (one worker polls one source at a time, and a source's pages are
    on one host)."""

    def __init__(
        self,
        delay: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay, self.clock, self.sleep = delay, clock, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            now = self.clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.delay
        if start > now:
            self.sleep(start - now)


def robots_rules(status: int, content: bytes) -> RobotFileParser:
    """robots.txt as RFC 9309 reads it: a missing file (4xx) allows
    everything; a server error or an unreachable site allows nothing for now."""
    rules = RobotFileParser()
    if status == 200:
        rules.parse(content.decode("utf-8", "replace").splitlines())
    elif 400 <= status < 500:
        rules.allow_all = True
    else:
        rules.disallow_all = True
    return rules


# Helpers ----------------------------------------------------------------------

_MAX_UNZIPPED = 50 * 1024 * 1024


class _Unpacking:
    """A document as a file to read, unpacked as it is read when it is gzipped
    (``sitemap.xml.gz``), up to ``limit`` bytes: a small file that unpacks to
    gigabytes is refused before it does."""

    def __init__(self, content: bytes, limit: int) -> None:
        self._content, self._offset = content, 0
        self._gzipped = content.startswith(b"\x1f\x8b")
        self._unpacker = zlib.decompressobj(wbits=47)
        self._limit, self._unpacked = limit, 0

    def read(self, size: int = -1) -> bytes:
        size = size if size and size > 0 else 64 * 1024
        if not self._gzipped:
            chunk = self._content[self._offset : self._offset + size]
            self._offset += len(chunk)
            return chunk
        while not self._unpacker.eof:
            data = self._unpacker.unconsumed_tail
            if not data:
                data = self._content[self._offset : self._offset + 64 * 1024]
                self._offset += len(data)
                if not data:
                    raise FeedError("The compressed file is damaged (it ends too soon).")
            try:
                chunk = self._unpacker.decompress(data, size)
            except zlib.error as exc:
                raise FeedError("The compressed file is damaged.") from exc
            if chunk:
                self._unpacked += len(chunk)
                if self._unpacked > self._limit:
                    raise FeedError(f"The compressed file unpacks to more than {self._limit // 2**20} MB.")
                return chunk
        return b""


def _gunzip(content: bytes, limit: int) -> bytes:
    """A gzipped document unpacked, up to ``limit`` bytes; another one as it is."""
    if not content.startswith(b"\x1f\x8b"):
        if len(content) > limit:
            raise FeedError(f"The feed is larger than {limit // 2**20} MB.")
        return content
    reader, chunks = _Unpacking(content, limit), []
    while chunk := reader.read(1024 * 1024):
        chunks.append(chunk)
    return b"".join(chunks)


def _refuse_entities(content: bytes) -> None:
    # An entity declaration is how an "entity bomb" multiplies a few bytes into
    # gigabytes; feeds and sitemaps have no use for one.
    if re.search(rb"<!ENTITY", content, re.IGNORECASE):
        raise FeedError("The document declares XML entities, which are refused.")


def _root_name(content: bytes) -> str:
    """The name of the document's root element, read from its start only ("" when it is not XML)."""
    events = iterparse_xml(
        _Unpacking(content, _MAX_UNZIPPED),
        events=("start",),
        forbid_dtd=False,
        forbid_entities=True,
        forbid_external=True,
    )
    try:
        for _event, node in events:
            return node.tag
    except DefusedXmlException as exc:
        raise FeedError("The document declares XML entities, which are refused.") from exc
    except ParseError:
        pass  # not XML: feedparser says what it is
    return ""


def _one_line(text: str) -> str:
    """A title or a name as it is stored: one line, single spaces, no control characters."""
    return " ".join(without_control_characters(text).split())


def _entry_link(entry, feed_url: str) -> str:
    link = entry.get("link") or ""
    if not link:
        for candidate in entry.get("links") or []:
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate["href"]
                break
    if not link and str(entry.get("id", "")).startswith(("http://", "https://")):
        link = entry["id"]
    link = urljoin(feed_url, link) if link else ""
    return link if urlsplit(link).scheme in {"http", "https"} else ""


_EARLIEST = datetime.min.replace(tzinfo=UTC)


def _entry_moment(entry) -> datetime | None:
    for key in ("published_parsed", "created_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    return None


def _parse_moment(value: str) -> datetime | None:
    """A W3C datetime (a sitemap's dates), in UTC; a date alone is its midnight."""
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = datetime.fromisoformat(value[:10])
        except ValueError:
            return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def newest_first(items: list[FeedItem]) -> list[FeedItem]:
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.url not in seen:
            seen.add(item.url)
            unique.append(item)
    # Stable: undated items keep the source's own order, after the dated ones.
    return sorted(unique, key=lambda item: item.published_at or _EARLIEST, reverse=True)
