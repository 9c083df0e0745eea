"""End to end in headless Chromium: upload a seed article through the form."""

import shutil
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, require, seed_text

pytestmark = [
    pytest.mark.services,
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def page():
    require(Path(CHROMIUM).exists(), "needs Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page()
        browser.close()


def test_upload_seed_through_the_form_and_see_its_quotes(page, live_server, celery_worker):
    text, entry = seed_text("001")
    page.goto(f"{live_server.url}/articles/new/")
    page.get_by_label("Outlet").fill(entry["outlet"])
    page.get_by_label("Title").fill(entry["title"])
    page.get_by_label("Published on").fill(entry["published"])
    page.get_by_label("Article text").fill(text)
    page.get_by_role("button", name="Save and find quotes").click()

    page.wait_for_url(f"{live_server.url}/articles/*/")
    quote = page.locator("mark.q", has_text="Trust has been destroyed")
    quote.wait_for(timeout=120_000)  # the page refreshes itself until the worker is done
    assert quote.get_attribute("data-speaker") == "Jens Stoltenberg"
    assert page.locator(".quote-list .speaker", has_text="Jens Stoltenberg").count() > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "article-page.png"), full_page=True)
