"""Reading feeds and sitemaps, finding feeds on a page, and the rules of polling (no database)."""

from __future__ import annotations

import gzip
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import pytest

from quotes import watching

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def _read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_rss2_items_come_newest_first_with_title_date_author_and_clean_link():
    listing = watching.read_source(_read("rss2.xml"), "https://www.harbourgazette.example/world/rss.xml")
    assert listing.kind == watching.FEED
    assert listing.title == "Harbour Gazette – World"
    assert [item.url for item in listing.items] == [
        "https://www.harbourgazette.example/world/2024/05/14/port-strike-ends",
        # The tracking parameters are not part of the article's address.
        "https://www.harbourgazette.example/world/2024/05/13/fishing-quotas",
    ]
    quotas = listing.items[1]
    assert quotas.title == "Fishing quotas: minister “will not back down”"
    assert quotas.author == "Aoife Brennan"
    # 23:30 in New York is the next day in UTC.
    assert quotas.published == date(2024, 5, 14)


def test_atom_entries_use_the_alternate_link_resolved_against_the_feed():
    listing = watching.read_source(_read("atom.xml"), "https://valleyledger.example/feed.atom")
    assert listing.kind == watching.FEED
    assert listing.title == "The Valley Ledger"
    bridge, heat = listing.items
    assert bridge.url == "https://valleyledger.example/2024/06/01/bridge"
    assert bridge.published == date(2024, 6, 2)  # published, not updated, and in UTC
    assert bridge.author == "Marcus Lee"
    # No link: an id that is an address stands for it; the updated date stands for the published one.
    assert heat.url == "https://valleyledger.example/2024/05/30/heat-wave"
    assert heat.published == date(2024, 5, 30)


def test_news_sitemap_gives_news_titles_and_dates():
    listing = watching.read_source(_read("news-sitemap.xml"), "https://www.northstar.example/news.xml")
    assert listing.kind == watching.SITEMAP
    assert [(item.url, item.title, item.published) for item in listing.items] == [
        ("https://www.northstar.example/sport/final-report", "Final report", date(2024, 3, 10)),
        (
            "https://www.northstar.example/politics/budget-vote",
            'Budget vote: "a day for the history books"',
            date(2024, 3, 9),
        ),
        ("https://www.northstar.example/about", "", date(2023, 1, 1)),
    ]


def test_gzipped_sitemap_is_read():
    listing = watching.read_source(
        gzip.compress(_read("news-sitemap.xml")), "https://www.northstar.example/n.xml.gz"
    )
    assert len(listing.items) == 3


def _sitemap(entries: str, tail: str = "") -> bytes:
    return (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}{tail}</urlset>"
    ).encode()


def _peak_memory(read) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = read()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow  # 100,000 sitemap entries read under tracemalloc: seconds of CPU
def test_a_huge_sitemap_is_read_as_a_stream_keeping_only_its_newest_items():
    # An archive's sitemap, oldest first, 100,000 addresses; and some undated ones, which
    # come last.
    days = [date(2000, 1, 1) + timedelta(days=n // 10) for n in range(100_000)]
    entries = "".join(f"<url><loc>/a/{n}</loc><lastmod>{day}</lastmod></url>" for n, day in enumerate(days))
    content = gzip.compress(_sitemap(entries, "<url><loc>/undated</loc></url>"))

    listing, peak = _peak_memory(
        lambda: watching.read_source(content, "https://big.example/s.xml.gz", limit=25)
    )

    assert [item.url for item in listing.items[:3]] == [
        f"https://big.example/a/{n}" for n in (99990, 99991, 99992)
    ]
    assert len(listing.items) == 25 and listing.items[-1].published == days[-1] - timedelta(days=2)
    # Neither the unpacked file (7 MB) nor a tree of it is ever held.
    assert peak < 4 * 1024 * 1024, f"{peak / 2**20:.0f} MB held"


def test_a_gzip_bomb_under_the_cap_is_read_without_being_held():
    content = gzip.compress(_sitemap("<url><loc>/only</loc></url>", " " * (40 * 1024 * 1024)))
    assert len(content) < 100_000

    listing, peak = _peak_memory(lambda: watching.read_source(content, "https://bomb.example/s.xml.gz"))

    assert [item.url for item in listing.items] == ["https://bomb.example/only"]
    assert peak < 4 * 1024 * 1024, f"{peak / 2**20:.0f} MB held"


def test_a_listing_gives_at_most_its_limit_of_items_newest_first():
    feed = _read("rss2.xml")
    assert len(watching.read_source(feed, "https://www.harbourgazette.example/rss.xml", limit=1).items) == 1
    index = watching.read_source(_read("sitemap-index.xml"), "https://www.northstar.example/s.xml", limit=2)
    assert index.sitemaps == [
        "https://www.northstar.example/sitemaps/news.xml",
        "https://www.northstar.example/sitemaps/2024-02.xml",
    ]


def test_sitemap_index_lists_its_sitemaps_newest_first():
    listing = watching.read_source(_read("sitemap-index.xml"), "https://www.northstar.example/sitemap.xml")
    assert listing.items == []
    assert listing.sitemaps == [
        "https://www.northstar.example/sitemaps/news.xml",
        "https://www.northstar.example/sitemaps/2024-02.xml",
        "https://www.northstar.example/sitemaps/pages.xml",
    ]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"<!DOCTYPE html><html><head><title>Home</title></head><body>Hi</body></html>", "web page"),
        (b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title><item><link>", "not well-formed"),
        (b"just some words", "not well-formed"),
        (b"<?xml version='1.0'?><catalog><book/></catalog>", "not an RSS or Atom feed"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b"<rss version='2.0'><channel><title>&lol2;</title></channel></rss>",
            "entities",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&x;</loc></url></urlset>',
            "entities",
        ),
    ],
)
def test_what_is_not_a_feed_is_refused_with_a_reason(content, message):
    with pytest.raises(watching.FeedError, match=message):
        watching.read_source(content, "https://example.org/feed")


def test_home_page_announces_its_feeds():
    html = b"""<html><head>
      <link rel="stylesheet" href="/s.css">
      <link rel="alternate" type="application/rss+xml" title="All" href="/rss.xml">
      <link rel="alternate" type="application/atom+xml" href="https://cdn.example.org/atom">
      <link rel="alternate" hreflang="fr" href="/fr/">
      <link rel="canonical" href="https://Example.org/?utm_source=x#top">
    </head><body></body></html>"""
    assert watching.discover_feeds(html, "https://example.org/") == [
        "https://example.org/rss.xml",
        "https://cdn.example.org/atom",
    ]
    assert watching.canonical_link(html, "https://example.org/") == "https://example.org/"


def test_canonical_url_drops_what_does_not_name_the_article():
    assert (
        watching.canonical_url("HTTPS://News.Example.org:443/a/b?id=3&utm_campaign=x&fbclid=y#comments")
        == "https://news.example.org/a/b?id=3"
    )
    assert watching.canonical_url("http://example.org:8080") == "http://example.org:8080/"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("http://[::1]:8221/x", "http://[::1]:8221/x"),
        ("https://[2001:DB8::1]:443/a#b", "https://[2001:db8::1]/a"),
        ("http://[fe80::1%25eth0]/x", "http://[fe80::1%25eth0]/x"),
    ],
)
def test_canonical_url_keeps_the_brackets_of_an_ipv6_host(url, canonical):
    assert watching.canonical_url(url) == canonical


def test_a_failing_source_backs_off_doubling_up_to_a_day():
    interval = timedelta(minutes=15)
    assert watching.source_backoff(interval, 1) == interval
    assert watching.source_backoff(interval, 3) == timedelta(hours=1)
    assert watching.source_backoff(interval, 40) == timedelta(hours=24)
    assert watching.item_retry_delay(1) < watching.item_retry_delay(2) < watching.item_retry_delay(3)
    assert watching.item_retry_delay(99) == timedelta(hours=24)


def test_conditional_headers_carry_what_the_server_sent():
    assert watching.conditional_headers("", "") == {}
    assert watching.conditional_headers('"abc"', "Tue, 14 May 2024 08:00:00 GMT") == {
        "If-None-Match": '"abc"',
        "If-Modified-Since": "Tue, 14 May 2024 08:00:00 GMT",
    }


def test_politeness_spaces_requests_to_one_host_only():
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    polite = watching.HostPoliteness(2.0, clock=lambda: now[0], sleep=sleep)
    polite.wait("https://a.example/1")
    polite.wait("https://b.example/1")
    polite.wait("https://a.example/2")
    assert slept == [2.0]
    now[0] += 5
    polite.wait("https://a.example/3")
    assert slept == [2.0]


def test_robots_rules_follow_rfc_9309():
    rules = watching.robots_rules(
        200, b"User-agent: *\nDisallow: /private/\n\nSitemap: https://a.example/s.xml\n"
    )
    assert rules.can_fetch("Quotewise", "https://a.example/news/1")
    assert not rules.can_fetch("Quotewise", "https://a.example/private/1")
    assert rules.site_maps() == ["https://a.example/s.xml"]
    assert watching.robots_rules(404, b"").can_fetch("Quotewise", "https://a.example/private/1")
    assert not watching.robots_rules(503, b"").can_fetch("Quotewise", "https://a.example/news/1")
