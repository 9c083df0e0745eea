"""What leaves the site is safe: CSV cells are never formulas, feed summaries
are escaped HTML, and pages forbid scripts from anywhere else."""

from __future__ import annotations

import csv
import io
from datetime import date
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from quotes import pipeline
from quotes.ingest import ingest_article
from quotes.models import Family, Outlet, Speaker
from quotes.views.search import csv_safe
from tests.factories import make_article, make_version

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def hostile():
    """An article whose outlet, title and quote are written to attack what reads them."""
    text = "“=1+1 is what we want,” said Ann Lee on Monday."
    article = ingest_article(
        outlet="@Evil <b>Outlet</b>", title="<script>alert(1)</script> Breaking", text=text, enqueue=False
    ).article
    return pipeline.process_article(article.pk)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_is_prefixed_with_a_quote_mark(start):
    assert csv_safe(f"{start}1+1", "plain", 7, None) == [f"'{start}1+1", "plain", 7, None]


def test_the_csv_export_has_no_cell_a_spreadsheet_would_run(client, hostile):
    version = hostile.versions.get()
    assert version.text.startswith("=1+1")
    response = client.get(reverse("quotes:search"), {"q": "what we want", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    cells = rows[1]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert f"'{version.text}" in cells and "'@Evil <b>Outlet</b>" in cells


def test_feed_summaries_carry_escaped_html(client, hostile):
    outlet = hostile.outlet
    response = client.get(reverse("quotes:outlet-feed", args=[outlet.slug]))
    summary = ElementTree.fromstring(response.content).find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    # What a feed reader renders as HTML: the title's markup is text in it.
    assert "<script>" not in summary.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Breaking" in summary.text
    assert "&lt;b&gt;Outlet&lt;/b&gt;" in summary.text


def test_pages_forbid_inline_and_foreign_scripts(client, hostile):
    for url in (reverse("quotes:home"), hostile.get_absolute_url(), reverse("admin:login")):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy


def test_templates_have_no_inline_script_or_style():
    from tests.conftest import REPO

    for template in (REPO / "templates").rglob("*.html"):
        source = template.read_text()
        assert "<script>" not in source and " style=" not in source and "<style" not in source, template
        assert " onclick=" not in source and " onload=" not in source, template


def test_control_characters_are_taken_out_where_text_comes_in():
    article = ingest_article(
        outlet="Wire\x01 Daily",
        title="Breaking\x01 news\x7f",
        author="Ann\x02 Lee",
        text="“We stay\x01,” said Ann\x00 Lee.\tOn Monday\x0b\n\nMore\x1b words\x9b here.\ud800",
        enqueue=False,
    ).article
    assert article.title == "Breaking news" and article.author == "Ann Lee"
    assert article.outlet.name == "Wire Daily"
    assert article.text == "“We stay,” said Ann Lee.\tOn Monday\n\n\nMore words here."


def test_feeds_answer_whatever_control_characters_stored_rows_hold(client):
    """Rows stored before intake took control characters out, or written some other way."""
    outlet = Outlet.objects.create(name="Wire\x01", slug="wire")
    speaker = Speaker.objects.create(name="Ann\x01 Lee", slug="ann-lee")
    article = make_article(outlet, "“We\x01 stay,” said Ann Lee.", date(2024, 5, 1), title="Title\x01")
    make_version(article, Family.objects.create(text="We\x01 stay", speaker=speaker), "We\x01 stay", "direct")
    for url in (
        reverse("quotes:outlet-feed", args=[outlet.slug]),
        reverse("quotes:speaker-feed", args=[speaker.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        entry = ElementTree.fromstring(response.content).find(f"{ATOM}entry")
        assert "Ann Lee: “We stay”" in entry.find(f"{ATOM}title").text
        assert "Title" in entry.find(f"{ATOM}summary").text
