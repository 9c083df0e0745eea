"""Watching sources end to end: feeds, sitemaps and pages served on 127.0.0.1 by the test."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from quotes import polling
from quotes.models import Article, Outlet, Source, SourceItem
from tests.conftest import wait_until
from tests.served_pages import Site, article_page, rss, serve, two_article_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings) -> Iterator[Site]:
    settings.ALLOW_PRIVATE_URLS = True
    settings.SOURCE_HOST_DELAY = 0
    settings.URL_FETCH_TIMEOUT = 2
    polling._robots.clear()
    with serve() as served:
        yield served
    polling._robots.clear()


def test_a_feed_is_polled_imported_and_a_second_poll_gets_304_and_imports_nothing(
    site, no_enqueue, django_capture_on_commit_callbacks
):
    two_article_feed(site)
    source = polling.add_source(site.url("/feed.xml"), "Lakeside Herald")

    with django_capture_on_commit_callbacks(execute=True):
        result = polling.poll_source(source.pk)

    assert result.error == "" and len(result.imported) == 2
    assert sorted(no_enqueue) == sorted(result.imported)
    bridge = Article.objects.get(url=site.url("/a/bridge"))
    assert (bridge.title, bridge.author, bridge.published) == (
        "Bridge to open in spring",
        "Page Author",
        date(2024, 5, 2),
    )
    harbour = Article.objects.get(url=site.url("/a/harbour"))
    assert harbour.title == "Harbour traffic to hit a record"
    assert harbour.author == "Feed Author"
    assert harbour.published == date(2024, 5, 3)
    assert harbour.outlet.name == "Lakeside Herald"
    source.refresh_from_db()
    assert (source.kind, source.title, source.etag) == (Source.Kind.FEED, "Lakeside Herald", '"v1"')
    assert (source.items_seen, source.articles_imported, source.failures, source.last_error) == (2, 2, 0, "")
    assert source.next_poll_at > timezone.now() + timedelta(minutes=14)

    again = polling.poll_source(source.pk)

    assert again.not_modified and again.imported == []
    feed_requests = [headers for path, headers in site.requests if path == "/feed.xml"]
    assert feed_requests[-1].get("If-None-Match") == '"v1"'
    assert Article.objects.count() == 2
    assert site.fetched("/a/bridge") == 1


def test_an_updated_feed_imports_only_its_new_item(site, no_enqueue):
    two_article_feed(site)
    source = polling.add_source(site.url("/feed.xml"), "Lakeside Herald")
    polling.poll_source(source.pk)
    site.set(
        "/a/ferry",
        article_page("Ferry fares to fall", "Transport chief Lee Wong", "Fares will fall by a third"),
    )
    feed = rss(
        site,
        [
            ("/a/ferry", "Ferry fares to fall", "Sat, 04 May 2024 08:00:00 GMT"),
            ("/a/bridge", "Bridge", "Thu, 02 May 2024 10:00:00 GMT"),
            ("/a/harbour", "Harbour", "Fri, 03 May 2024 09:00:00 GMT"),
        ],
    )
    site.set("/feed.xml", feed, "application/rss+xml", ETag='"v2"')

    result = polling.poll_source(source.pk)

    assert result.new_items == 1
    assert [Article.objects.get(pk=pk).url for pk in result.imported] == [site.url("/a/ferry")]
    assert site.fetched("/a/bridge") == 1 and Article.objects.count() == 3


def test_the_same_text_at_two_addresses_is_imported_once(site, no_enqueue):
    page = article_page("One story", "Senator Jo Hale", "We will vote against the bill")
    site.set("/story", page)
    site.set("/story-amp", page)
    site.set(
        "/feed.xml",
        rss(
            site,
            [
                ("/story", "One", "Thu, 02 May 2024 10:00:00 GMT"),
                ("/story-amp", "One", "Thu, 02 May 2024 09:00:00 GMT"),
            ],
        ),
        "text/xml",
    )
    source = polling.add_source(site.url("/feed.xml"), "Capitol Wire")

    result = polling.poll_source(source.pk)

    assert (len(result.imported), result.duplicates) == (1, 1)
    assert Article.objects.count() == 1
    assert set(source.items.values_list("status", flat=True)) == {
        SourceItem.Status.IMPORTED,
        SourceItem.Status.DUPLICATE,
    }


def test_a_page_naming_its_canonical_address_is_not_imported_twice(site, no_enqueue):
    canonical = site.url("/news/story")
    site.set("/news/story", article_page("Story", "Chief Ola Obi", "The plan is sound", canonical=canonical))
    site.set(
        "/m/story",
        article_page("Story", "Chief Ola Obi", "The plan is sound, and we will fund it", canonical=canonical),
    )
    site.set("/feed.xml", rss(site, [("/news/story", "Story", "Thu, 02 May 2024 10:00:00 GMT")]), "text/xml")
    site.set("/mobile.xml", rss(site, [("/m/story", "Story", "Thu, 02 May 2024 10:00:00 GMT")]), "text/xml")
    first = polling.add_source(site.url("/feed.xml"), "Metro Daily")
    second = polling.add_source(site.url("/mobile.xml"), "Metro Daily")

    polling.poll_source(first.pk)
    result = polling.poll_source(second.pk)

    assert result.duplicates == 1 and Article.objects.count() == 1


def test_a_sitemap_index_with_a_news_sitemap_is_imported(site, no_enqueue):
    site.set("/a/vote", article_page("", "Speaker Maya Lind", "The vote is a day for the history books"))
    site.set(
        "/sitemap.xml",
        f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{site.url("/news.xml")}</loc><lastmod>2024-03-10T06:00:00Z</lastmod></sitemap>
</sitemapindex>""",
        "application/xml",
    )
    site.set(
        "/news.xml",
        f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>{site.url("/a/vote")}</loc><news:news>
    <news:publication><news:name>Northstar</news:name><news:language>en</news:language></news:publication>
    <news:publication_date>2024-03-09T22:40:00Z</news:publication_date>
    <news:title>Budget vote passes</news:title>
  </news:news></url>
</urlset>""",
        "application/xml",
    )
    source = polling.add_source(site.url("/sitemap.xml"), "Northstar")

    result = polling.poll_source(source.pk)

    assert result.error == "" and len(result.imported) == 1
    article = Article.objects.get()
    assert (article.title, article.published) == ("Budget vote passes", date(2024, 3, 9))
    source.refresh_from_db()
    assert source.kind == Source.Kind.SITEMAP


def test_a_home_page_leads_to_the_feed_it_announces(site, no_enqueue):
    two_article_feed(site)
    link = '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
    site.set("/", f"<html><head>{link}</head><body>Home</body></html>")
    source = polling.add_source(site.url("/"), "Lakeside Herald")

    result = polling.poll_source(source.pk)

    assert len(result.imported) == 2
    source.refresh_from_db()
    assert source.url == site.url("/feed.xml")


def test_backfill_takes_the_newest_items_up_to_the_cap(site, no_enqueue, settings):
    settings.SOURCE_BACKFILL = 2
    items = []
    for day in (1, 2, 3):
        site.set(
            f"/a/{day}", article_page(f"Day {day}", "Coach Sam Diaz", f"Day {day} was our best training day")
        )
        items.append((f"/a/{day}", f"Day {day}", f"0{day} May 2024 10:00:00 GMT"))
    site.set("/feed.xml", rss(site, items), "application/rss+xml")
    source = polling.add_source(site.url("/feed.xml"), "Sports Desk")

    polling.poll_source(source.pk)
    polling.poll_source(source.pk)  # the oldest one is not imported later either

    assert sorted(Article.objects.values_list("title", flat=True)) == ["Day 2", "Day 3"]
    assert source.items.get(url=site.url("/a/1")).status == SourceItem.Status.SKIPPED


def test_a_poll_takes_at_most_its_cap_of_items_the_newest(site, no_enqueue, settings):
    settings.SOURCE_BACKFILL = 2
    settings.SOURCE_ITEMS_PER_POLL = 10
    entries = "".join(
        f"<url><loc>{site.url(f'/a/{n}')}</loc><lastmod>2024-01-{1 + n // 10:02}</lastmod></url>"
        for n in range(300)
    )
    sitemap = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    site.set("/sitemap.xml.gz", gzip.compress(sitemap.encode()), "application/x-gzip")
    source = polling.add_source(site.url("/sitemap.xml.gz"), "Archive Times")

    result = polling.poll_source(source.pk)

    assert result.error == "" and result.new_items == 2
    kept = set(source.items.values_list("url", flat=True))
    assert kept == {site.url(f"/a/{n}") for n in range(290, 300)}
    source.refresh_from_db()
    assert source.items_seen == 10


def test_a_failing_article_is_retried_with_backoff_while_the_others_are_imported(site, no_enqueue):
    two_article_feed(site)
    harbour = site.routes["/a/harbour"]
    site.set("/a/harbour", "Oops", status=500)
    source = polling.add_source(site.url("/feed.xml"), "Lakeside Herald")

    result = polling.poll_source(source.pk)

    assert (len(result.imported), result.failed) == (1, 1)
    failed = source.items.get(url=site.url("/a/harbour"))
    assert failed.status == SourceItem.Status.FAILED and failed.attempts == 1
    assert "500" in failed.error and failed.next_attempt_at > timezone.now()
    # Not yet due: the next poll leaves it alone.
    polling.poll_source(source.pk)
    assert site.fetched("/a/harbour") == 1

    site.routes["/a/harbour"] = harbour
    SourceItem.objects.filter(pk=failed.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    retried = polling.poll_source(source.pk)

    assert retried.not_modified and len(retried.imported) == 1
    failed.refresh_from_db()
    assert (
        failed.status == SourceItem.Status.IMPORTED
        and failed.article.title == "Harbour traffic to hit a record"
    )


def test_an_article_that_keeps_failing_is_given_up(site, no_enqueue, settings):
    settings.SOURCE_ITEM_ATTEMPTS = 2
    site.set("/feed.xml", rss(site, [("/gone", "Gone", "Thu, 02 May 2024 10:00:00 GMT")]), "text/xml")
    source = polling.add_source(site.url("/feed.xml"), "Lost Times")
    for _ in range(2):
        polling.poll_source(source.pk)
        SourceItem.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    item = source.items.get()
    assert (item.status, item.attempts) == (SourceItem.Status.GAVE_UP, 2)
    assert "404" in item.error


def test_robots_txt_is_respected(site, no_enqueue):
    two_article_feed(site)
    site.set("/robots.txt", "User-agent: *\nDisallow: /a/harbour\n", "text/plain")
    source = polling.add_source(site.url("/feed.xml"), "Lakeside Herald")

    result = polling.poll_source(source.pk)

    assert (len(result.imported), result.failed) == (1, 1)
    assert site.fetched("/a/harbour") == 0
    assert "robots.txt" in source.items.get(url=site.url("/a/harbour")).error


def _slow(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(4)


def _endless(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.end_headers()
    chunk = b"<!-- " + b"x" * (1024 * 1024) + b" -->"
    try:
        for _ in range(50):  # 50 MB, without a Content-Length to refuse it by
            handler.wfile.write(chunk)
    except OSError:
        pass  # the client stopped reading, as it should


ENTITY_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
    + ']><rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
)


@pytest.mark.parametrize(
    "route, message",
    [
        (
            (
                200,
                {"Content-Type": "application/rss+xml"},
                b"<rss version='2.0'><channel><item><link>http://x",
            ),
            "not well-formed",
        ),
        ((500, {"Content-Type": "text/html"}, b"down"), "500"),
        (_slow, "did not answer"),
        (_endless, "larger than"),
        ((200, {"Content-Type": "application/xml"}, ENTITY_BOMB.encode()), "entities"),
        ((200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"), "not a web page"),
    ],
    ids=["malformed", "server-error", "timeout", "50-mb", "entity-bomb", "pdf"],
)
def test_a_broken_source_records_why_and_backs_off_with_nothing_imported(site, no_enqueue, route, message):
    site.routes["/feed.xml"] = route
    source = polling.add_source(site.url("/feed.xml"), "Broken News")

    result = polling.poll_source(source.pk)

    assert message in result.error
    source.refresh_from_db()
    assert message in source.last_error and source.failures == 1
    assert source.next_poll_at > timezone.now()
    assert not SourceItem.objects.exists() and not Article.objects.exists()
    polling.poll_source(source.pk)
    source.refresh_from_db()
    assert source.failures == 2
    assert source.next_poll_at > timezone.now() + timedelta(minutes=25)  # doubled


def test_a_feed_that_turns_into_a_web_page_is_an_error(site, no_enqueue):
    two_article_feed(site)
    source = polling.add_source(site.url("/feed.xml"), "Lakeside Herald")
    polling.poll_source(source.pk)
    site.set("/feed.xml", "<!DOCTYPE html><html><body>We moved!</body></html>")

    result = polling.poll_source(source.pk)

    assert "web page" in result.error


def test_a_paused_source_is_neither_queued_nor_polled(site, no_enqueue, monkeypatch):
    from quotes import queue

    sent: list[int] = []
    monkeypatch.setattr(queue, "poll_source", sent.append)
    two_article_feed(site)
    paused = polling.add_source(site.url("/feed.xml"), "Lakeside Herald")
    Source.objects.filter(pk=paused.pk).update(paused=True)
    watched = polling.add_source(site.url("/other.xml"), "Lakeside Herald")

    with_commit = polling.queue_due_sources()
    result = polling.poll_source(paused.pk)

    assert with_commit == [watched.pk]
    assert result.error == "paused" and site.requests == [] and not Article.objects.exists()
    # Claimed: a second tick does not queue it again.
    assert polling.queue_due_sources() == []


def test_commands_add_a_source_and_poll_it(site, no_enqueue, capsys):
    two_article_feed(site)
    call_command("add_source", site.url("/feed.xml"), "--outlet", "Lakeside Herald")
    with pytest.raises(CommandError, match="already watched"):
        call_command("add_source", site.url("/feed.xml"), "--outlet", "Lakeside Herald")
    with pytest.raises(CommandError, match="No outlet"):
        call_command("poll_sources", "--sync", "--outlet", "Nobody")

    call_command("poll_sources", "--sync", "--outlet", "lakeside herald")

    assert "imported 2" in capsys.readouterr().out
    assert Article.objects.filter(status=Article.Status.DONE).count() == 2
    assert no_enqueue == []


def test_editors_add_and_pause_sources_in_their_page(
    site, editor_client, no_enqueue, monkeypatch, django_capture_on_commit_callbacks
):
    from quotes import queue

    sent: list[int] = []
    monkeypatch.setattr(queue, "poll_source", sent.append)
    page = reverse("quotes:source-list")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(page, {"url": site.url("/feed.xml"), "outlet": "Lakeside Herald"})

    assert response.status_code == 302
    source = Source.objects.get()
    assert sent == [source.pk] and source.outlet == Outlet.objects.get(name="Lakeside Herald")
    duplicate = editor_client.post(page, {"url": site.url("/feed.xml"), "outlet": "Lakeside Herald"})
    assert "already watched" in duplicate.content.decode()
    Source.objects.filter(pk=source.pk).update(
        last_error="The site answered 500 Internal Server Error.", failures=3
    )
    listing = editor_client.get(page).content.decode()
    assert "Failing" in listing and "500 Internal Server Error" in listing

    editor_client.post(reverse("quotes:source-pause", args=[source.pk]))

    source.refresh_from_db()
    assert source.paused and "Paused" in editor_client.get(page).content.decode()


def test_the_sources_page_is_for_editors(client):
    response = client.get(reverse("quotes:source-list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_beat_polls_for_due_sources_with_a_task_the_worker_knows():
    from django.conf import settings

    from newsapp.celery import app

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE["poll-due-sources"]
    assert schedule["task"] in app.tasks and schedule["schedule"] <= 60


@pytest.mark.services
@pytest.mark.slow  # beat and a real worker
@pytest.mark.django_db(transaction=True)
def test_beats_tick_sends_a_due_source_to_the_worker_which_fills_the_outlet(site, celery_worker):
    from quotes import tasks

    two_article_feed(site)
    source = polling.add_source(site.url("/feed.xml"), "Lakeside Herald")

    assert tasks.poll_due_sources() == 1  # what beat runs every minute

    def imported():
        return Article.objects.filter(outlet=source.outlet, status=Article.Status.DONE).count() == 2

    wait_until(imported, 120, message="the worker to import and extract the feed's articles")
    source.refresh_from_db()
    assert source.articles_imported == 2 and source.last_polled_at is not None
    harbour = Article.objects.get(url=site.url("/a/harbour"))
    assert harbour.versions.filter(text__contains="record traffic").exists()


def test_pausing_a_source_while_it_is_polled_keeps_it_paused(site, no_enqueue, monkeypatch):
    two_article_feed(site)
    source = polling.add_source(site.url("/feed.xml"), "Lakeside Herald")
    import_items = polling._import_items

    def paused_meanwhile(*args):
        Source.objects.filter(pk=source.pk).update(paused=True)  # an editor, during the poll
        return import_items(*args)

    monkeypatch.setattr(polling, "_import_items", paused_meanwhile)
    polling.poll_source(source.pk)

    source.refresh_from_db()
    assert source.paused and source.articles_imported == 2


def test_a_home_page_without_a_feed_leads_to_the_sitemap_robots_txt_names(site, no_enqueue):
    site.set("/a/vote", article_page("Budget vote passes", "Speaker Maya Lind", "The vote is historic"))
    site.set("/", "<html><head><title>Home</title></head><body>Home</body></html>")
    site.set("/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {site.url('/news.xml')}\n", "text/plain")
    site.set(
        "/news.xml",
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{site.url('/a/vote')}</loc><lastmod>2024-03-09</lastmod></url></urlset>",
        "application/xml",
    )
    source = polling.add_source(site.url("/"), "Northstar")

    result = polling.poll_source(source.pk)

    assert len(result.imported) == 1
    source.refresh_from_db()
    assert (source.url, source.kind) == (site.url("/news.xml"), Source.Kind.SITEMAP)


def test_a_home_page_that_leads_nowhere_says_so(site, no_enqueue):
    site.set("/", "<html><head><title>Home</title></head><body>Home</body></html>")
    source = polling.add_source(site.url("/"), "Nowhere News")

    result = polling.poll_source(source.pk)

    assert "announces no feed" in result.error


def test_a_private_address_is_refused_when_the_source_is_added_saying_why(site, editor_client, settings):
    settings.ALLOW_PRIVATE_URLS = False
    two_article_feed(site)

    response = editor_client.post(
        reverse("quotes:source-list"), {"url": site.url("/feed.xml"), "outlet": "Lakeside Herald"}
    )

    assert response.status_code == 200
    assert "127.0.0.1 is a private or local address" in response.content.decode()
    assert not Source.objects.exists()
    with pytest.raises(polling.SourceError, match="private or local address"):
        polling.add_source(site.url("/feed.xml"), "Lakeside Herald")


def test_a_poll_of_a_private_address_reports_the_address_and_never_blames_robots_txt(
    site, no_enqueue, settings
):
    two_article_feed(site)
    source = polling.add_source(site.url("/feed.xml"), "Lakeside Herald")
    settings.ALLOW_PRIVATE_URLS = False  # the address is refused after it was added

    result = polling.poll_source(source.pk)

    source.refresh_from_db()
    assert "private or local address" in source.last_error and "robots.txt" not in source.last_error
    assert result.error == source.last_error and site.requests == []


def test_a_robots_txt_that_cannot_be_read_is_reported_as_unreadable_not_as_a_refusal(site, no_enqueue):
    two_article_feed(site)
    site.set("/robots.txt", "down for maintenance", "text/plain", status=503)
    source = polling.add_source(site.url("/feed.xml"), "Lakeside Herald")

    polling.poll_source(source.pk)

    source.refresh_from_db()
    assert "robots.txt of 127.0.0.1 could not be read" in source.last_error
    assert "503" in source.last_error and "does not allow" not in source.last_error
    assert site.fetched("/feed.xml") == 0


def test_the_sources_page_lists_each_failed_article_with_its_address_reason_and_next_try(
    site, editor_client, no_enqueue
):
    two_article_feed(site)
    feed = rss(site, [("/a/gone", "A story that was taken down", "Sat, 04 May 2024 09:00:00 GMT")])
    site.set("/feed.xml", feed, "application/rss+xml")
    source = polling.add_source(site.url("/feed.xml"), "Lakeside Herald")

    polling.poll_source(source.pk)

    listing = editor_client.get(reverse("quotes:source-list")).content.decode()
    item = SourceItem.objects.get(source=source)
    assert item.status == SourceItem.Status.FAILED
    assert site.url("/a/gone") in listing and "404 Not Found" in listing
    assert "Next try in" in listing


def test_poll_now_queues_a_poll_of_the_source_and_says_so(
    site, editor_client, client, monkeypatch, django_capture_on_commit_callbacks
):
    from quotes import queue

    sent: list[int] = []
    monkeypatch.setattr(queue, "poll_source", sent.append)
    source = polling.add_source(site.url("/feed.xml"), "Lakeside Herald")
    Source.objects.filter(pk=source.pk).update(next_poll_at=timezone.now() + timedelta(hours=1))
    poll_now = reverse("quotes:source-poll", args=[source.pk])

    assert editor_client.get(poll_now).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(poll_now, follow=True)

    assert sent == [source.pk]
    assert "is queued" in response.content.decode()
    assert 'action="' + poll_now + '"' in response.content.decode()  # the button, beside Pause
    client.logout()
    assert client.post(poll_now).status_code == 302 and sent == [source.pk]  # editors only


def test_control_characters_are_taken_out_of_a_watched_sources_title_and_its_items(site, no_enqueue):
    # XML 1.0 allows DEL: a feed may well carry one.
    feed = rss(site, [("/a/gone", "Taken\x7f down story", "Sat, 04 May 2024 09:00:00 GMT")])
    site.set("/feed.xml", feed.replace("Lakeside Herald", "Lakeside\x7f Her\x7fald"), "application/rss+xml")
    source = polling.add_source(site.url("/feed.xml"), "Lakeside Herald")

    polling.poll_source(source.pk)

    source.refresh_from_db()
    assert source.title == "Lakeside Herald"
    assert SourceItem.objects.get(source=source).title == "Taken down story"


def _sources_with_items(count: int, failing: int, first: int = 0) -> list[Source]:
    sources = []
    for n in range(first, first + count):
        source = Source.objects.create(
            outlet=Outlet.for_name(f"Outlet {n}"), url=f"https://o{n}.example/feed"
        )
        for m in range(failing):
            status = SourceItem.Status.FAILED if m % 2 else SourceItem.Status.GAVE_UP
            source.items.create(url=f"https://o{n}.example/gone/{m}", status=status, error="404")
        source.items.create(url=f"https://o{n}.example/fine", status=SourceItem.Status.IMPORTED)
        sources.append(source)
    return sources


def test_the_sources_page_asks_as_many_queries_whatever_the_sources_and_items(
    editor_client, django_assert_max_num_queries
):
    page = reverse("quotes:source-list")
    _sources_with_items(1, failing=2)
    editor_client.get(page)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        editor_client.get(page)
    _sources_with_items(12, failing=14, first=1)

    with django_assert_max_num_queries(len(few)):
        listing = editor_client.get(page).content.decode()

    assert "14 articles could not be imported" in listing
    assert "The latest 10 of 14 are shown." in listing


@pytest.mark.services
def test_the_sources_page_reads_the_failing_items_only_not_every_item(services, editor_client):
    """A source that listed a whole archive has a row per address: the page's counts
    and lists read the few failing ones through their index, never every row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    (source,) = _sources_with_items(1, failing=3)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO quotes_sourceitem (source_id, url, title, author, status, attempts, error,"
            " created_at, updated_at) SELECT %s, 'https://o0.example/archive/' || n, '', '', 'skipped', 0,"
            " '', now(), now() FROM generate_series(1, 200000) AS n",
            [source.pk],
        )
        cursor.execute("ANALYZE quotes_sourceitem")
    with CaptureQueriesContext(connection) as queries:
        listing = editor_client.get(reverse("quotes:source-list")).content.decode()
    assert "3 articles could not be imported" in listing

    read = 0
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if "quotes_sourceitem" not in query["sql"]:
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            read += _rows_read(cursor.fetchone()[0][0]["Plan"], "quotes_sourceitem")
    assert read < 1000, f"the page read {read} rows of quotes_sourceitem"


def _rows_read(plan: dict, table: str) -> int:
    """Rows a plan's scans of ``table`` read: those they gave and those their filter removed."""
    read = 0
    if plan.get("Relation Name") == table:
        read += (plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)) * plan.get(
            "Actual Loops", 1
        )
    return read + sum(_rows_read(child, table) for child in plan.get("Plans", []))
