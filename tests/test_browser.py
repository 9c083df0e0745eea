"""End to end in headless Chromium: upload a seed article through the form."""

import pytest

from tests.conftest import ARTIFACTS, seed_text, wait_until
from tests.layout import LAYOUT_PROBLEMS

pytestmark = [
    pytest.mark.services,
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


def test_upload_seed_through_the_form_and_see_its_quotes(page, live_server, celery_worker, editor):
    text, entry = seed_text("001")
    page.goto(f"{live_server.url}/articles/new/")  # uploading is for editors: sign in first
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill("a-long-editor-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/articles/new/")
    page.get_by_label("Outlet").fill(entry["outlet"])
    page.get_by_label("Title").fill(entry["title"])
    page.get_by_label("Published on").fill(entry["published"])
    page.get_by_label("Article text").fill(text)
    page.get_by_role("button", name="Save and find quotes").click()

    page.wait_for_url(f"{live_server.url}/articles/*/")
    family = page.locator("mark.q", has_text="Trust has been destroyed")
    family.wait_for(timeout=120_000)  # the page refreshes itself until the worker is done
    assert family.get_attribute("data-speaker") == "Jens Stoltenberg"
    assert page.locator(".quote-list .speaker", has_text="Jens Stoltenberg").count() > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "article-page.png"), full_page=True)


def test_browse_the_seeded_quotes(page, live_server, services):
    from tests.factories import import_seed

    for prefix in ("000", "001", "002", "003", "004"):
        import_seed(prefix)
    ARTIFACTS.mkdir(exist_ok=True)

    # Search by speaker with autocomplete.
    page.goto(f"{live_server.url}/search/")
    page.get_by_label("Speaker").press_sequentially("Stolt", delay=50)
    suggestion = page.locator("#speaker-suggestions a", has_text="Jens Stoltenberg")
    suggestion.wait_for(timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "search-autocomplete.png"), full_page=True)
    suggestion.click()
    page.locator(".results li").first.wait_for()
    assert "Trust has been destroyed" in page.locator(".results").inner_text()
    page.screenshot(path=str(ARTIFACTS / "search-results.png"), full_page=True)

    # The speaker page, with its chart.
    page.locator(".results .meta a", has_text="Jens Stoltenberg").first.click()
    page.wait_for_url("**/speakers/*/")
    assert page.locator("h1").inner_text() == "Jens Stoltenberg"
    assert page.locator(".chart svg rect").count() > 0
    page.screenshot(path=str(ARTIFACTS / "speaker-page.png"), full_page=True)

    # A quote family carried by two outlets, with word-level differences.
    page.locator(".cards .quote-link", has_text="Trust has been destroyed").first.click()
    page.wait_for_url("**/quotes/*/")
    carried = page.locator(".carried").inner_text()
    assert "ZeroHedge" in carried and "USAWorld News" in carried
    assert page.locator(".carried ins, .carried del").count() > 0
    page.screenshot(path=str(ARTIFACTS / "quote-family.png"), full_page=True)

    # An outlet's timeline.
    page.locator(".carried a", has_text="ZeroHedge").first.click()
    page.wait_for_url("**/outlets/*/")
    assert page.locator(".timeline").inner_text().count("Trust has been destroyed") >= 1
    page.screenshot(path=str(ARTIFACTS / "outlet-timeline.png"), full_page=True)


def test_add_a_source_see_it_polled_and_open_an_imported_article(
    page, live_server, celery_worker, editor, settings
):
    from tests.served_pages import serve, two_article_feed

    settings.ALLOW_PRIVATE_URLS = True  # the worker's environment allows them too (conftest)
    with serve() as site:
        two_article_feed(site)
        page.goto(f"{live_server.url}/sources/")  # for editors: sign in first
        page.get_by_label("Username").fill(editor.username)
        page.get_by_label("Password").fill("a-long-editor-password")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/sources/")
        page.get_by_label("Feed, sitemap or home page").fill(site.url("/feed.xml"))
        page.get_by_label("Outlet").fill("Lakeside Herald")
        page.get_by_role("button", name="Watch").click()
        page.locator(".messages", has_text="Watching").wait_for()

        def polled():
            page.reload()
            row = page.locator("tr", has_text="Lakeside Herald").inner_text()
            return "ago" in row and "Watching" in row

        wait_until(polled, 120, interval=1, message="the worker to poll the source")
        row = page.locator("tr", has_text="Lakeside Herald")
        assert row.locator("td").nth(4).inner_text() == "2"  # articles imported
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "sources-page.png"), full_page=True)

        row.locator('a[href^="/outlets/"]').click()
        page.wait_for_url("**/outlets/*/")
        page.get_by_role("link", name="Harbour traffic to hit a record").first.click()
        page.wait_for_url("**/articles/*/")
        family = page.locator("mark.q", has_text="We expect record traffic this year")
        family.wait_for(timeout=120_000)
        assert family.get_attribute("data-speaker") == "Tom Reid"


def test_check_a_quote_then_see_its_flagged_versions(page, live_server, services, editor):
    from datetime import date

    from tests.factories import FAITHFUL, NOT_DROPPED, SENTENCE, TRANSCRIPT, nato_story

    nato_story("Reuters", FAITHFUL, date(2022, 12, 12))
    nato_story("Daily Spin", NOT_DROPPED, date(2022, 12, 13))
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Check a quote").click()
    page.get_by_label("The quote, in any wording").fill(
        "We will go back to a normal, friendly relationship with Russia after this war"
    )
    page.get_by_role("button", name="Check").click()
    result = page.locator(".check-results li").first
    result.wait_for()
    assert "Jens Stoltenberg" in result.inner_text() and "first carried by Reuters" in result.inner_text()
    assert "dropped 'not'" in result.locator(".flags").inner_text()
    page.screenshot(path=str(ARTIFACTS / "check-quote.png"), full_page=True)

    result.locator("a.quote-link").click()
    page.wait_for_url("**/quotes/*/")
    changed = page.locator(".version", has=page.locator(".meaning-changed"))
    assert changed.count() == 1
    assert "dropped 'not'" in changed.inner_text()
    page.screenshot(path=str(ARTIFACTS / "quote-flags.png"), full_page=True)

    # An editor attaches the press conference's transcript: every version is compared with it.
    family_url = page.url
    page.goto(f"{live_server.url}/accounts/login/?next={family_url.removeprefix(live_server.url)}")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill("a-long-editor-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(family_url)
    # Opening "Correct" on a version asks for the quotes it might belong with instead.
    spin_correct = page.locator(".carried > li", has_text="Daily Spin").locator("details.correct")
    with page.expect_response(lambda response: "/families/" in response.url) as asked:
        spin_correct.locator("summary").click()
    assert asked.value.status == 200
    belongs_with = spin_correct.locator("select[name=family]")
    page.wait_for_function(
        "s => s.options.length > 1 || s.options[0].text !== 'Choose a quote'",
        arg=belongs_with.element_handle(),
    )
    spin_correct.locator("summary").click()
    page.locator(".source-form summary").click()
    page.get_by_label("What it is").select_option("transcript")
    page.get_by_label("Paste its text").fill(TRANSCRIPT)
    page.get_by_label("Where it is published").fill("https://www.nato.int/cps/en/natohq/opinions.htm")
    page.get_by_label("Date").fill("2022-12-12")
    page.get_by_role("button", name="Attach").click()
    page.wait_for_url("**/quotes/*/#primary-source")
    assert "Transcript" in page.locator("#primary-source").inner_text()
    passages = page.locator(".source-passage")
    assert passages.count() == 2 and SENTENCE in passages.first.inner_text()
    # Reuters' version, faithful to the quote's text, left out the "unless …" the speaker said.
    reuters = page.locator(".carried > li", has_text="Reuters").locator(".version")
    assert "cut a qualifier" in reuters.locator(".flags").inner_text()
    spin = page.locator(".carried > li", has_text="Daily Spin").locator(".version")
    assert "dropped 'not'" in spin.inner_text() and "cut a qualifier" in spin.inner_text()
    assert "Fragment against its passage of the primary source" in reuters.inner_text()
    page.screenshot(path=str(ARTIFACTS / "quote-primary-source.png"), full_page=True)
    # The whole transcript is a page of its own, with the passage highlighted.
    spin.get_by_role("link", name="in the whole source").click()
    page.wait_for_url("**/quotes/*/source/#passage-*")
    assert page.locator("mark.source-passage-mark").inner_text() == SENTENCE
    assert "And now I am ready to take questions." in page.locator(".source-text").inner_text()
    page.screenshot(path=str(ARTIFACTS / "primary-source-page.png"), full_page=True)


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_journalist_on_a_phone_reads_cites_and_follows_a_quote(page, live_server, services):
    """At 375 px: the menu, the timeline's names and the quote page fit; the cite box
    copies; a passage link highlights the quote in its article."""
    from quotes.models import Family
    from tests.factories import import_seed

    for prefix in ("000", "001", "002", "003", "004"):
        import_seed(prefix)
    ARTIFACTS.mkdir(exist_ok=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto(f"{live_server.url}/")
    assert _no_sideways_scroll(page)
    for name in ("Search", "Articles", "Speakers", "Outlets"):
        assert page.get_by_role("navigation").get_by_role("link", name=name).is_visible()
    page.screenshot(path=str(ARTIFACTS / "home-375.png"), full_page=True)

    family = max(Family.objects.with_outlet_counts(), key=lambda q: q.outlet_count)
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    assert _no_sideways_scroll(page)
    names = page.locator(".timeline-chart svg:visible text")
    assert names.count() >= 2 and names.first.is_visible()
    size = names.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize) * e.getScreenCTM().a")
    assert size >= 12
    page.get_by_role("button", name="Copy").click()
    page.get_by_role("button", name="Copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Quotewise: " in copied and family.get_absolute_url() in copied
    page.screenshot(path=str(ARTIFACTS / "quote-page-375.png"), full_page=True)

    page.locator("a.passage").first.click()
    page.wait_for_url("**/articles/*/#occ-*")
    target = page.locator("mark.q:target")
    assert target.count() == 1
    assert target.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    assert _no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "article-passage-375.png"), full_page=False)


# Every page a reader meets, at a phone's width and a desktop's: nothing runs off
# the side, no text is too small to read, no chart's names print over each other.
WIDTHS = (375, 1280)


def _every_page(live_server, editor) -> dict[str, str]:
    """Data for every page (a quote carried by outlets a day apart, a failing source,
    a correction, a failed article) and the address of each page."""
    from datetime import date, timedelta

    from django.utils import timezone

    from quotes.models import Article, Correction, Family, Outlet, Source
    from tests.factories import FAITHFUL, NOT_DROPPED, REWORDED, import_seed, nato_story

    for prefix in ("000", "001", "002", "003", "004"):
        import_seed(prefix)
    widest = max(Family.objects.with_outlet_counts(), key=lambda q: q.outlet_count)
    nato_story("Leeds Echo", FAITHFUL, date(2026, 11, 18))
    nato_story("Reuters", FAITHFUL, date(2026, 11, 19))
    nato_story("Daily Spin", NOT_DROPPED, date(2026, 11, 20))
    nato_story("Wire Copy of the Northern Counties", REWORDED, date(2026, 12, 2))
    close = Family.objects.filter(versions__article__outlet__name="Leeds Echo").first()
    article = Article.objects.filter(outlet__name="ZeroHedge").first()
    failed = Article.objects.create(
        outlet=Outlet.objects.get(name="Reuters"),
        title="A story whose text could not be read at all, with a long headline that wraps",
        text="",
        status=Article.Status.FAILED,
    )
    outlet = Outlet.objects.get(name="Leeds Echo")
    Source.objects.create(
        outlet=outlet,
        url="https://www.leeds-echo.example/news/politics/feed/rss-with-a-long-address.xml",
        title="Leeds Echo politics: the whole feed of the politics desk",
        last_polled_at=timezone.now() - timedelta(minutes=5),
        next_poll_at=timezone.now() + timedelta(minutes=30),
        failures=3,
        last_error="the feed answered 503 Service Unavailable three times in a row",
    )
    version = close.versions.select_related("article").first()
    Correction.objects.create(
        article=version.article,
        start=version.start,
        end=version.end,
        action=Correction.Action.FAMILY,
        family=widest,
        created_by=editor,
    )
    speaker = widest.versions.exclude(speaker=None).first().speaker
    return {
        "home": "/",
        "search": "/search/",
        "search-results": "/search/?q=trust",
        "check": "/check/?text=We+will+not+return+to+a+normal+friendly+relationship+with+Russia",
        "articles": "/articles/",
        "article": article.get_absolute_url(),
        "article-failed": failed.get_absolute_url(),
        "article-new": "/articles/new/",
        "quote-family": widest.get_absolute_url(),
        "quote-days-apart": close.get_absolute_url(),
        "speakers": "/speakers/",
        "speaker": speaker.get_absolute_url(),
        "outlets": "/outlets/",
        "outlet-timeline": article.outlet.get_absolute_url(),
        "sources": "/sources/",
        "corrections": "/corrections/",
        "not-found": "/quotes/999999/",
    }


def test_every_page_fits_a_phone_and_a_desktop_with_readable_text(page, live_server, services, editor):
    pages = _every_page(live_server, editor)
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill("a-long-editor-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            page.screenshot(path=str(ARTIFACTS / f"layout-{name}-{width}.png"), full_page=True)
            problems += [f"{name} at {width} px: {problem}" for problem in page.evaluate(LAYOUT_PROBLEMS)]
    assert not problems, "\n".join(problems)
