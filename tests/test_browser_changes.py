"""In headless Chromium: a version that drops a "not" shows its change on the article
page (beside the highlighted words and in the list of quotes) and in search."""

import pytest

from tests.conftest import ARTIFACTS

pytestmark = [
    pytest.mark.services,
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


def test_a_dropped_not_is_visible_on_the_article_page_and_in_search(page, live_server, services, carried):
    _, changed, _ = carried
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{live_server.url}{changed.get_absolute_url()}")
    beside = page.locator(".article-text .meaning-badge")
    listed = page.locator(".quote-list .meaning-badge")
    assert beside.inner_text() == "dropped 'not'" and beside.is_visible()
    assert listed.inner_text() == "dropped 'not'" and listed.is_visible()
    page.screenshot(path=str(ARTIFACTS / "article-meaning-badge.png"), full_page=True)

    page.goto(f"{live_server.url}/search/")
    page.get_by_label("Versions that change the meaning").check()
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?*changed=on*")
    result = page.locator(".results .changed-version").first
    assert "We will return to a normal" in result.inner_text()
    assert "Daily Spin" in result.inner_text()
    assert result.locator(".meaning-badge").inner_text() == "dropped 'not'"
    page.screenshot(path=str(ARTIFACTS / "search-changed-versions.png"), full_page=True)
