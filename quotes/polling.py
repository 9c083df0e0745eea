"""Polling sources: fetch a feed or sitemap, record the addresses it lists,
and import each new article through the usual ingest path.

One poll of one source runs in one process (``queue_due_sources`` claims a
source before sending it to a worker). Every address a source lists is kept
as a SourceItem, so it is fetched once; an article that fails is tried again
later with backoff, the others go on.
"""

from __future__ import annotations

import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import queue, watching, webpages
from .ingest import extraction_in_chunks, fetch_options, ingest_article
from .models import Article, Outlet, Source, SourceItem

log = logging.getLogger(__name__)

USER_AGENT = "Quotewise/1.0 (+watching this outlet's feed)"
ROBOTS_AGENT = "Quotewise"
_FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
# Anything a feed or sitemap is served as; an HTML page is a home page to discover feeds in.
_LISTING_TYPES = (
    *watching.XML_TYPES,
    "text/html",
    "application/xhtml+xml",
    "application/octet-stream",
    "application/gzip",
    "application/x-gzip",
)
# A sitemap index lists sitemaps by date: the newest few hold the new articles.
SITEMAPS_PER_INDEX = 3
ROBOTS_TTL = 3600.0
# Per origin: when to read robots.txt again, its rules, and why it could not be read ("" when it was).
_robots: dict[str, tuple[float, RobotFileParser, str]] = {}
_politeness = watching.HostPoliteness(0.0)


class SourceError(Exception):
    """Why a source cannot be polled, in words for the editor."""


@dataclass
class PollResult:
    source_id: int
    not_modified: bool = False
    new_items: int = 0
    imported: list[int] = field(default_factory=list)  # ids of the articles created
    duplicates: int = 0
    failed: int = 0
    error: str = ""


def add_source(url: str, outlet: str | Outlet, *, interval: int | None = None) -> Source:
    """Watch ``url`` (a feed, a sitemap or a home page announcing a feed) for ``outlet``.

    Nothing is fetched here: the first poll, due at once, finds out what the
    address is and imports its current items (the backfill).
    """
    url = url.strip()
    if not webpages.is_web_url(url):
        raise SourceError("Give an http:// or https:// address.")
    try:
        webpages.check_fetchable(url, allow_private=settings.ALLOW_PRIVATE_URLS)
    except webpages.PageError as exc:
        raise SourceError(str(exc)) from exc
    if isinstance(outlet, str):
        if not outlet.strip():
            raise SourceError("Give the outlet's name.")
        outlet = Outlet.for_name(outlet, domain=webpages.domain_of(url))
    if Source.objects.filter(url=url).exists():
        raise SourceError("This address is already watched.")
    return Source.objects.create(
        outlet=outlet,
        url=url,
        interval=interval or settings.SOURCE_POLL_INTERVAL,
        next_poll_at=timezone.now(),
    )


def queue_due_sources(now=None) -> list[int]:
    """Send each due source to a worker, once: a source is claimed (its next
    poll moved forward) before it is queued, so a second beat tick or a
    second scheduler does not queue it again."""
    now = now or timezone.now()
    queued = []
    for source_id, interval in Source.objects.due(now).values_list("pk", "interval")[:500]:
        claimed = Source.objects.filter(pk=source_id, next_poll_at__lte=now).update(
            next_poll_at=now + timedelta(seconds=interval)
        )
        if claimed:
            transaction.on_commit(lambda source_id=source_id: queue.poll_source(source_id))
            queued.append(source_id)
    return queued


def poll_now(source: Source) -> None:
    """Send ``source`` to a worker at once (an editor asked), claimed like a due
    source so that beat does not queue it a second time; its regular polls
    follow from there. Raises when the job cannot be sent."""
    claimed_until = timezone.now() + timedelta(seconds=source.interval)
    Source.objects.filter(pk=source.pk).update(next_poll_at=claimed_until)
    queue.poll_source(source.pk)


def poll_source(source_id: int, *, enqueue: bool = True) -> PollResult:
    """Poll one source now: read what it lists, record the new addresses,
    import the new articles (and retry the failed ones that are due)."""
    source = Source.objects.select_related("outlet").get(pk=source_id)
    result = PollResult(source_id)
    if source.paused:
        result.error = "paused"
        return result
    started = time.monotonic()
    now = timezone.now()
    try:
        listing, page = _read_listing(source)
    except (SourceError, watching.FeedError, webpages.PageError) as exc:
        result.error = str(exc)
        _record_failure(source, result.error, now)
        return result
    if listing is None:
        result.not_modified = True
    else:
        result.new_items = _record_items(source, listing.items, first=source.last_polled_at is None)
        source.kind = listing.kind
        source.title = source.title or listing.title[:300]
    with extraction_in_chunks() if enqueue else nullcontext():
        finished = _import_items(source, result, started)
    source.etag = page.etag if page and not page.not_modified else source.etag
    source.last_modified = page.last_modified if page and not page.not_modified else source.last_modified
    source.last_polled_at = now
    source.failures = 0
    source.last_error = ""
    # Articles still waiting (the time budget ran out) are fetched by the next poll, soon.
    wait = source.interval if finished else min(source.interval, 60)
    source.next_poll_at = timezone.now() + timedelta(seconds=wait)
    # Only what a poll changes: an editor may pause the source meanwhile.
    source.save(
        update_fields=[
            *_POLLED_FIELDS,
            "etag",
            "last_modified",
            "last_polled_at",
            "items_seen",
            "articles_imported",
            "kind",
            "title",
        ]
    )
    return result


_POLLED_FIELDS = ["url", "failures", "last_error", "next_poll_at"]


def _read_listing(source: Source) -> tuple[watching.Listing | None, webpages.FetchedPage]:
    """The source's listing (None when the server says nothing changed) and the page it came from."""
    page = _fetch(source.url, watching.conditional_headers(source.etag, source.last_modified))
    if page.not_modified:
        return None, page
    if page.content_type.startswith(("text/html", "application/xhtml+xml")) or _looks_like_html(page.content):
        if source.last_polled_at is not None:
            raise watching.FeedError("This address now answers with a web page, not a feed or a sitemap.")
        page = _follow_discovered(source, page)
    limit = settings.SOURCE_ITEMS_PER_POLL
    listing = watching.read_source(page.content, page.url, limit=limit)
    if listing.sitemaps:
        items: list[watching.FeedItem] = []
        for sitemap_url in listing.sitemaps[:SITEMAPS_PER_INDEX]:
            child = watching.read_sitemap(_fetch(sitemap_url).content, sitemap_url, limit=limit)
            items += child.items
        listing = watching.Listing(watching.SITEMAP, "", watching.newest_first(items)[:limit], [])
    return listing, page


def _follow_discovered(source: Source, home: webpages.FetchedPage) -> webpages.FetchedPage:
    """A home page was given: watch the feed it announces, or the sitemap its robots.txt names."""
    found = watching.discover_feeds(home.content, home.url) or _robots_for(home.url)[0].site_maps() or []
    if not found:
        raise watching.FeedError(
            'This web page announces no feed (no <link rel="alternate" type="application/rss+xml">) '
            "and its robots.txt names no sitemap: paste the feed's or the sitemap's address."
        )
    url = found[0]
    if Source.objects.filter(url=url).exclude(pk=source.pk).exists():
        raise SourceError(f"This page's feed, {url}, is already watched.")
    source.url = url
    return _fetch(url)


def _fetch(url: str, headers: dict[str, str] | None = None) -> webpages.FetchedPage:
    _check_allowed(url, refused=f"robots.txt of {urlsplit(url).hostname} does not allow fetching {url}.")
    _wait_for_host(url)
    return webpages.fetch_page(
        url,
        **fetch_options(),
        headers={"User-Agent": USER_AGENT, "Accept": _FEED_ACCEPT, **(headers or {})},
        accept=_LISTING_TYPES,
    )


def _looks_like_html(content: bytes) -> bool:
    return content[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html"))


def _check_allowed(url: str, *, refused: str) -> None:
    """Raise, with the true reason, when ``url`` may not be fetched: its address
    is refused (robots.txt is then never asked for), its robots.txt could not be
    read, or robots.txt disallows it (``refused``)."""
    try:
        webpages.check_fetchable(url, allow_private=settings.ALLOW_PRIVATE_URLS)
    except webpages.PageError as exc:
        raise SourceError(str(exc)) from exc
    rules, unread = _robots_for(url)
    if rules.can_fetch(ROBOTS_AGENT, url):
        return
    if unread:
        host = urlsplit(url).hostname
        raise SourceError(
            f"robots.txt of {host} could not be read ({unread.rstrip('.')}), "
            "so nothing is fetched from this site until it can be."
        )
    raise SourceError(refused)


def _robots_for(url: str) -> tuple[RobotFileParser, str]:
    """The host's robots.txt rules, read once an hour per process, and why
    robots.txt could not be read ("" when it was)."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    cached = _robots.get(origin)
    if cached and cached[0] > time.monotonic():
        return cached[1], cached[2]
    _wait_for_host(url)
    unread = ""
    try:
        page = webpages.fetch_page(
            origin + "/robots.txt", **fetch_options(), headers={"User-Agent": USER_AGENT}, accept=("text/",)
        )
        rules = watching.robots_rules(200, page.content)
    except webpages.PageStatusError as exc:
        rules = watching.robots_rules(exc.status, b"")
        unread = str(exc) if exc.status >= 500 else ""
    except webpages.PageError as exc:
        # Not plain text (a site that answers every address with its home page) reads as no rules.
        answered = "not a web page" in str(exc)
        rules = watching.robots_rules(404 if answered else 0, b"")
        unread = "" if answered else str(exc)
    _robots[origin] = (time.monotonic() + ROBOTS_TTL, rules, unread)
    return rules, unread


def _wait_for_host(url: str) -> None:
    _politeness.delay = settings.SOURCE_HOST_DELAY
    _politeness.wait(url)


def _record_items(source: Source, items: list[watching.FeedItem], *, first: bool) -> int:
    """Keep the addresses not seen before. The first poll is the backfill: its
    newest items are imported, up to the cap, and the older ones only noted."""
    known = set(source.items.filter(url__in=[item.url for item in items]).values_list("url", flat=True))
    new = [item for item in items if item.url not in known]
    cap = settings.SOURCE_BACKFILL
    taken, rest = new[:cap], new[cap:]
    rows = [_item_row(source, item, SourceItem.Status.PENDING) for item in taken]
    if first:
        rows += [
            _item_row(source, item, SourceItem.Status.SKIPPED, "Older than the backfill.") for item in rest
        ]
    SourceItem.objects.bulk_create(rows, ignore_conflicts=True)
    source.items_seen += len(rows)
    return len(taken)


def _item_row(source: Source, item: watching.FeedItem, status: str, error: str = "") -> SourceItem:
    return SourceItem(
        source=source,
        url=item.url[:2000],
        title=item.title[:500],
        author=item.author[:300],
        published=item.published,
        status=status,
        error=error,
    )


def _import_items(source: Source, result: PollResult, started: float) -> bool:
    """Import the waiting items, newest first, within the poll's time budget.
    True when none is left waiting."""
    now = timezone.now()
    due = source.items.filter(
        Q(status=SourceItem.Status.PENDING) | Q(status=SourceItem.Status.FAILED, next_attempt_at__lte=now)
    ).order_by(F("published").desc(nulls_last=True), "pk")
    for item in due:
        if time.monotonic() - started > settings.SOURCE_POLL_BUDGET:
            return False
        _import_item(source, item, result)
    return True


def _import_item(source: Source, item: SourceItem, result: PollResult) -> None:
    try:
        article, created = _import_page(source, item)
    except (webpages.PageError, SourceError, ValueError) as exc:
        _item_failed(item, str(exc))
        result.failed += 1
        return
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the others
        log.exception("importing %s failed", item.url)
        _item_failed(item, f"{type(exc).__name__}: {exc}")
        result.failed += 1
        return
    item.article = article
    item.error = ""
    item.next_attempt_at = None
    if created:
        item.status = SourceItem.Status.IMPORTED
        source.articles_imported += 1
        result.imported.append(article.pk)
    else:
        item.status = SourceItem.Status.DUPLICATE
        result.duplicates += 1
    item.save()


def _import_page(source: Source, item: SourceItem) -> tuple[Article, bool]:
    stored = Article.objects.filter(url=item.url).order_by("pk").first()
    if stored is not None:
        return stored, False
    _check_allowed(item.url, refused="robots.txt does not allow fetching this page.")
    _wait_for_host(item.url)
    page = webpages.fetch_page(item.url, **fetch_options(), headers={"User-Agent": USER_AGENT})
    article = webpages.read_page(page.content, page.url)
    # The page's own canonical address, else where the link led.
    url = watching.canonical_link(page.content, page.url) or watching.canonical_url(page.url)
    stored = Article.objects.filter(url=url).order_by("pk").first()
    if stored is not None:
        return stored, False
    ingested = ingest_article(
        outlet=source.outlet,
        title=article.title or item.title or url,
        text=article.text,
        published=article.published or item.published,
        url=url,
        author=article.author or item.author,
    )
    return ingested.article, ingested.created


def _item_failed(item: SourceItem, error: str) -> None:
    item.attempts += 1
    item.error = error[:2000]
    if item.attempts >= settings.SOURCE_ITEM_ATTEMPTS:
        item.status = SourceItem.Status.GAVE_UP
        item.next_attempt_at = None
    else:
        item.status = SourceItem.Status.FAILED
        item.next_attempt_at = timezone.now() + watching.item_retry_delay(item.attempts)
    item.save()


def _record_failure(source: Source, error: str, now) -> None:
    source.failures += 1
    source.last_error = error[:2000]
    wait = watching.source_backoff(timedelta(seconds=source.interval), source.failures)
    source.next_poll_at = now + wait
    try:
        source.save(update_fields=_POLLED_FIELDS)
    except IntegrityError:  # the discovered feed was taken meanwhile
        Source.objects.filter(pk=source.pk).update(
            failures=source.failures, last_error=source.last_error, next_poll_at=source.next_poll_at
        )
