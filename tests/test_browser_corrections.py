"""In headless Chromium, as an editor meets it: a quote is cited, its article run
again, its speaker corrected once for the two outlets that carried it (and still
corrected when the article is uploaded again), and two speakers merged. Every
address handed out on the way still leads to the quote, or says where it went."""

from datetime import date

import pytest

from tests.conftest import ARTIFACTS

pytestmark = [
    pytest.mark.services,
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

SAID = "We will ballot every member on the offer before Christmas"
# Wire copy two outlets carry: "she" is read as Helen Okafor; the statement is the union's.
WIRE = (
    "Unison officials met Helen Okafor, who chairs the council's pay committee, on Monday. "
    f"“{SAID},” she said."
)


def _sign_in(tab, base: str, editor) -> None:
    tab.goto(f"{base}/articles/new/")
    tab.get_by_label("Username").fill(editor.username)
    tab.get_by_label("Password").fill("a-long-editor-password")
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{base}/articles/new/")


def _extracted(tab) -> None:
    """Wait for the article page to say its extraction is done (it refreshes itself)."""
    tab.locator("#article-body .state", has_text="found.").wait_for(timeout=180_000)


def _leads_to_the_quote(tab, url: str) -> str:
    response = tab.goto(url)
    assert response.status == 200, url
    assert SAID in tab.locator("main").inner_text(), url
    return tab.url


def test_cite_rerun_correct_reupload_and_merge_every_link_still_leads_on(
    page,
    live_server,
    celery_worker,
    editor,
):
    from quotes.models import Speaker, normalize_name
    from tests.factories import import_article

    base = live_server.url
    first = import_article(WIRE, "Leeds Echo", date(2026, 3, 2), title="Pay offer")
    second = import_article(WIRE, "Yorkshire Post", date(2026, 3, 2), title="Pay offer")
    unison = Speaker.objects.create(name="Unison", slug="unison", type="organisation")
    unison.aliases.create(name="Unison", normalized=normalize_name("Unison"))
    ARTIFACTS.mkdir(exist_ok=True)
    _sign_in(page, base, editor)

    # Cite the quote: the address the "Cite this" box hands out.
    page.goto(f"{base}{first.get_absolute_url()}")
    page.locator(".quote-list .quote-link", has_text="We will ballot").click()
    page.wait_for_url("**/quotes/*/")
    cited = page.locator("#citation").input_value().splitlines()[-1].removeprefix("Quotewise: ")
    assert cited == page.url and "Helen Okafor" in page.locator("figure.family figcaption").inner_text()
    handed_out = [cited, f"{base}{first.get_absolute_url()}", f"{base}{second.get_absolute_url()}"]
    handed_out.append(
        page.locator("figure.family figcaption a").first.evaluate("a => a.href")
    )  # Helen Okafor's page

    # Run the article again: the cited address still shows the quote.
    page.goto(f"{base}{first.get_absolute_url()}")
    page.get_by_role("button", name="Re-run extraction").click()
    _extracted(page)
    assert _leads_to_the_quote(page, cited) == cited

    # One correction for both outlets' versions: said by the union (a new speaker, by mistake
    # under a second name for Unison).
    correct = page.locator(".version details.correct").first
    correct.locator("summary").click()
    correct.get_by_label("Said by").fill("Unison union")
    correct.locator("input[name=create]").check()
    correct.locator("select[name=speaker_type]").select_option("organisation")
    assert correct.locator("input[name=scope][value=family]").is_checked()
    correct.get_by_role("button", name="Save the correction").click()
    page.locator(".messages", has_text="said by Unison union (2 versions)").wait_for()
    assert "Unison union" in page.locator("figure.family figcaption").inner_text()
    assert page.locator(".carried .corrected").count() == 2
    handed_out.append(
        page.locator("figure.family figcaption a").first.evaluate("a => a.href")
    )  # /speakers/unison-union/
    page.screenshot(path=str(ARTIFACTS / "corrected-family.png"), full_page=True)

    # The same story uploaded again, updated: its version is the union's at once.
    page.goto(f"{base}/articles/new/")
    page.get_by_label("Outlet").fill("Leeds Echo")
    page.get_by_label("Title").fill("Pay offer (updated)")
    page.get_by_label("Published on").fill("2026-03-02")
    page.get_by_label("Article text").fill("Updated at 6pm.\n\n" + WIRE)
    page.get_by_role("button", name="Save and find quotes").click()
    page.wait_for_url(f"{base}/articles/*/")
    _extracted(page)
    assert page.locator("mark.q", has_text="We will ballot").get_attribute("data-speaker") == "Unison union"
    handed_out.append(page.url)

    # The two names of the union merged on its speaker page.
    page.goto(f"{base}/speakers/unison/")
    page.locator("details.merge summary").click()
    page.locator("details.merge").get_by_label("The same organisation, listed as").fill("Unison union")
    page.get_by_role("button", name="Merge").click()
    page.locator(".messages", has_text="Merged").wait_for()
    # The merged name is one of Unison's, with its remove button beside it (in its pill).
    assert page.locator(".alias", has_text="Unison union").locator("button").count() == 1
    page.screenshot(path=str(ARTIFACTS / "speaker-merged.png"), full_page=True)

    for url in handed_out:
        response = page.goto(url)
        assert response.status == 200, url
        if "/speakers/" not in url:
            assert SAID in page.locator("main").inner_text(), url
    assert page.goto(handed_out[-2]) and page.url == f"{base}/speakers/unison/"  # merged: 301 here
    _leads_to_the_quote(page, cited)
    assert "Unison" in page.locator("figure.family figcaption").inner_text()
    assert page.locator(".carried > li").count() == 3
    page.screenshot(path=str(ARTIFACTS / "cited-quote-after-all.png"), full_page=True)
