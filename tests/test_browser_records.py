"""In headless Chromium, as readers and editors meet them, at a desktop's width and a
phone's: a low-confidence wrong attribution teaches its speaker nothing, and once
corrected leaves nothing wrong behind; a dropped "not" and a changed number are shown
wherever the changed versions appear, with the outlet that changed them; and /check/
says who said a quote pasted with the wrong speaker."""

from datetime import date

import pytest

from tests.conftest import ARTIFACTS
from tests.layout import LAYOUT_PROBLEMS

pytestmark = [
    pytest.mark.services,
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

WIDTHS = (1280, 375)


def _sign_in(tab, base: str, editor) -> None:
    tab.goto(f"{base}/accounts/login/")
    tab.get_by_label("Username").fill(editor.username)
    tab.get_by_label("Password").fill("a-long-editor-password")
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{base}/")


def _shoot(tab, base: str, path: str, name: str) -> list[str]:
    """Screenshots of ``path`` at each width (``artifacts/<name>-<width>.png``); what does not fit."""
    problems = []
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        tab.goto(f"{base}{path}")
        tab.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        problems += [f"{name} at {width} px: {problem}" for problem in tab.evaluate(LAYOUT_PROBLEMS)]
    tab.set_viewport_size({"width": WIDTHS[0], "height": 900})
    return problems


# The mayor is never named; the councillor named last before the quote gets it, from a
# description ("the mayor") and with low confidence.
SAID = "We will not raise council tax this year"
COUNCIL = (
    "The council met on Tuesday to set the budget. Liberal Democrat finance spokesman Tom Hardy "
    f"called it reckless and walked out. “{SAID},” the mayor said."
)


def test_a_low_confidence_wrong_attribution_teaches_nothing_and_a_correction_leaves_nothing_wrong(
    page,
    live_server,
    services,
    editor,
):
    from quotes.speakers import TEACHING_CONFIDENCE
    from tests.factories import import_article

    base = live_server.url
    article = import_article(COUNCIL, "Leeds Echo", date(2026, 3, 3), title="Budget set")
    ARTIFACTS.mkdir(exist_ok=True)
    _sign_in(page, base, editor)

    page.goto(f"{base}{article.get_absolute_url()}")
    said = page.locator("mark.q", has_text="We will not raise")
    assert said.get_attribute("data-speaker") == "Tom Hardy"
    assert page.locator(".quote-list .attribution-note").inner_text() == "(attributed from “the mayor”)"
    assert article.versions.get().confidence < TEACHING_CONFIDENCE  # too unsure to teach anything
    problems = _shoot(page, base, article.get_absolute_url(), "wrong-attribution-article")

    # Tom Hardy's page: the quote, but nothing it would have taught him.
    page.goto(f"{base}{article.get_absolute_url()}")
    page.locator(".quote-list a.speaker", has_text="Tom Hardy").click()
    page.wait_for_url("**/speakers/*/")
    hardy = page.url.removeprefix(base)
    assert SAID in page.locator(".cards").inner_text()
    header = page.locator("main .meta").first.inner_text()
    assert "mayor" not in header.lower() and "Described as" not in header
    problems += _shoot(page, base, hardy, "wrong-attribution-speaker")
    page.goto(f"{base}/search/?speaker=mayor")
    assert SAID not in page.locator("main").inner_text()

    # The editor gives the quote to the mayor, a new speaker.
    page.goto(f"{base}{article.get_absolute_url()}")
    correct = page.locator(".quote-list details.correct").first
    correct.locator("summary").click()
    correct.get_by_label("Said by").fill("Sarah Blake")
    correct.locator("input[name=create]").check()
    correct.get_by_role("button", name="Save the correction").click()
    page.locator(".messages", has_text="Sarah Blake").wait_for()
    assert page.locator("mark.q", has_text="We will not raise").get_attribute("data-speaker") == "Sarah Blake"
    meta = page.locator(".quote-list .occ .meta").first.inner_text()
    assert "corrected" in meta and "attributed by an editor" in meta
    assert "low confidence" not in meta and "the mayor" not in meta
    problems += _shoot(page, base, article.get_absolute_url(), "corrected-attribution-article")

    # Nothing wrong remains on Tom Hardy's page, or under "mayor" in search.
    page.goto(f"{base}{hardy}")
    assert SAID not in page.locator("main").inner_text()
    assert "mayor" not in page.locator("main .meta").first.inner_text().lower()
    problems += _shoot(page, base, hardy, "corrected-attribution-speaker")
    page.goto(f"{base}/search/?speaker=mayor")
    results = page.locator(".results").inner_text()
    assert SAID in results and "Sarah Blake" in results and "Tom Hardy" not in results
    assert not problems, "\n".join(problems)


# One outlet drops the "not" of one statement and changes the number of another.
SHIPS = "We will send 20 more ships to the Baltic this spring"
NUMBERS_CHANGED = SHIPS.replace("20", "30")


def test_a_dropped_not_and_a_changed_number_show_wherever_the_versions_appear(
    page,
    live_server,
    services,
):
    from quotes.models import Outlet, Speaker
    from tests.factories import FAITHFUL, NOT_DROPPED, nato_story

    base = live_server.url
    nato_story("Reuters", f"{FAITHFUL}\n\n“{SHIPS},” Jens Stoltenberg told reporters.", date(2022, 12, 12))
    spin = nato_story(
        "Daily Spin",
        f"{NOT_DROPPED}\n\n“{NUMBERS_CHANGED},” Jens Stoltenberg told reporters.",
        date(2022, 12, 13),
    )
    ARTIFACTS.mkdir(exist_ok=True)
    changes = {"dropped 'not'", "changed 20 → 30"}

    # The article page: beside the highlighted words and in the list of quotes.
    page.goto(f"{base}{spin.get_absolute_url()}")
    assert set(page.locator(".article-text .meaning-badge").all_inner_texts()) == changes
    assert set(page.locator(".quote-list .meaning-badge").all_inner_texts()) == changes
    problems = _shoot(page, base, spin.get_absolute_url(), "changed-article")

    # The outlet's timeline.
    outlet = Outlet.objects.get(name="Daily Spin").get_absolute_url()
    page.goto(f"{base}{outlet}")
    assert set(page.locator(".timeline .meaning-badge").all_inner_texts()) == changes
    problems += _shoot(page, base, outlet, "changed-outlet-timeline")

    # The speaker's page: under each quote, the outlet that changed it and how.
    speaker = Speaker.objects.get(name="Jens Stoltenberg").get_absolute_url()
    page.goto(f"{base}{speaker}")
    changed = page.locator(".cards .changed-versions li")
    assert sorted(changed.all_inner_texts()) == ["Daily Spin changed 20 → 30", "Daily Spin dropped 'not'"]
    problems += _shoot(page, base, speaker, "changed-speaker")
    page.set_viewport_size({"width": 375, "height": 900})
    for card in page.locator(".cards > li").all():  # the outlets line wraps: nothing covers it
        carried_by, listed = card.locator(".meta").bounding_box(), card.locator(".changed-versions li").first
        assert listed.bounding_box()["y"] >= carried_by["y"] + carried_by["height"] - 1
        assert listed.evaluate("e => getComputedStyle(e).borderTopWidth") == "0px"
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    # Search's "versions that change the meaning": the changed versions, with their outlet and change.
    page.goto(f"{base}/search/")
    page.get_by_label("Versions that change the meaning").check()
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?*changed=on*")
    versions = page.locator(".results .changed-version")
    assert versions.count() == 2
    for version in versions.all():
        assert "Daily Spin" in version.inner_text() and "Reuters" not in version.inner_text()
    assert set(page.locator(".results .changed-version .meaning-badge").all_inner_texts()) == changes
    problems += _shoot(page, base, page.url.removeprefix(base), "changed-search")
    assert not problems, "\n".join(problems)


def test_check_says_who_said_a_quote_pasted_with_the_wrong_speaker(page, live_server, services):
    from tests.factories import FAITHFUL, nato_story

    base = live_server.url
    nato_story("Reuters", FAITHFUL, date(2022, 12, 12))
    ARTIFACTS.mkdir(exist_ok=True)
    words = "We will not go back to a normal friendly relationship with Russia after this war"

    page.goto(f"{base}/")
    page.get_by_role("link", name="Check a quote").click()
    page.get_by_label("The quote, in any wording").fill(words)
    page.get_by_label("Said by").fill("Vladimir Putin")
    page.get_by_role("button", name="Check").click()
    found = page.locator(".misattributed")
    found.wait_for()
    assert "Found — said by Jens Stoltenberg, not Vladimir Putin." in found.inner_text()
    match = page.locator(".check-results li").first
    assert "Jens Stoltenberg" in match.inner_text() and "first carried by Reuters" in match.inner_text()
    problems = _shoot(page, base, page.url.removeprefix(base), "check-misattributed")

    match.locator("a.quote-link").click()
    page.wait_for_url("**/quotes/*/")
    assert "Jens Stoltenberg" in page.locator("figure.family figcaption").inner_text()

    answer = page.request.get(f"{base}/api/check/", params={"text": words, "speaker": "Vladimir Putin"})
    assert answer.json()["message"] == "Found — said by Jens Stoltenberg, not Vladimir Putin."
    assert not problems, "\n".join(problems)
