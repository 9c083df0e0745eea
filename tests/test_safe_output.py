"""What leaves the site is safe: CSV cells are never formulas, feed summaries
are escaped HTML, and pages forbid scripts from anywhere else."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from quotes import pipeline
from quotes.ingest import ingest_article
from quotes.views.search import csv_safe

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
    occurrence = hostile.occurrences.get()
    assert occurrence.text.startswith("=1+1")
    response = client.get(reverse("quotes:search"), {"q": "what we want", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    cells = rows[1]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert f"'{occurrence.text}" in cells and "'@Evil <b>Outlet</b>" in cells


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
