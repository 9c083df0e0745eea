"""A version that changes the meaning says how ("changed 20 → 30", "dropped 'not'")
wherever it appears: the article page, the outlet timeline, the speaker page, search,
the home page, Atom and CSV, in as many queries for many changed versions as for one."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quotes.families.meaning import Flag
from quotes.models import Speaker, Version
from tests.factories import direct_version, nato_story

pytestmark = pytest.mark.django_db

DROPPED_NOT = (
    'class="badge meaning-badge flag-negation" title="This version changes the meaning: '
    'dropped &#x27;not&#x27;">dropped &#x27;not&#x27;</span>'
)
SEARCH = reverse("quotes:search")


def badges(html: str) -> int:
    return html.count('class="badge meaning-badge')


def test_a_badge_names_the_numbers_a_version_changed():
    assert Flag("number", "send 20 systems", "send 30 systems").badge == "changed 20 → 30"
    assert Flag("number", "20 systems", "systems").badge == "dropped 20"
    assert Flag("negation", "will not return", "will return").badge == "dropped 'not'"


def test_a_changed_number_is_stored_and_shown_with_both_numbers(client, db):
    said = "“We will send 20 more air defence systems to Ukraine before the winter,” Jens Stoltenberg said."
    nato_story("Reuters", said, date(2022, 12, 12))
    changed = nato_story("Daily Spin", said.replace("20", "30"), date(2022, 12, 13))
    html = client.get(changed.get_absolute_url()).content.decode()
    assert "changed 20 → 30" in html


def test_the_article_page_shows_the_change_in_the_list_and_beside_the_highlight(client, carried):
    first, changed, _ = carried
    html = client.get(changed.get_absolute_url()).content.decode()
    assert html.count(DROPPED_NOT) == 2  # the sidebar, and after the highlighted words
    assert badges(client.get(first.get_absolute_url()).content.decode()) == 0


def test_the_badge_beside_the_highlight_follows_the_closing_quote_mark(client, carried):
    first, changed, _ = carried
    html = client.get(changed.get_absolute_url()).content.decode()
    # Never between the words and their mark, and with no line break of its own (the
    # text keeps its line breaks): the closing mark stays on the words' line.
    assert 'after this war,</mark>” <span class="badge meaning-badge' in html
    assert "dropped &#x27;not&#x27;</span> Jens Stoltenberg said." in html
    assert (
        "after this war,</mark>” Jens Stoltenberg said."
        in client.get(first.get_absolute_url()).content.decode()
    )


def test_the_outlet_timeline_shows_the_change(client, carried):
    _, changed, _ = carried
    html = client.get(changed.outlet.get_absolute_url()).content.decode()
    assert DROPPED_NOT in html


def test_the_speaker_page_shows_which_outlet_changed_the_meaning(client, carried):
    html = client.get(Speaker.objects.get(name="Jens Stoltenberg").get_absolute_url()).content.decode()
    changed = html.split('class="changed-versions"')[1].split("</ul>")[0]
    assert "Daily Spin" in changed and DROPPED_NOT in changed
    assert "Reuters" not in changed and "Wire Copy" not in changed


def test_search_results_show_the_change(client, carried):
    html = client.get(SEARCH, {"speaker": "Stoltenberg"}).content.decode()
    assert DROPPED_NOT in html


def test_the_changed_filter_lists_the_changed_versions_with_outlet_and_change(client, carried):
    first, changed, _ = carried
    html = client.get(SEARCH, {"changed": "on"}).content.decode()
    result = html.split('<ol class="cards results">')[1].split("</ol>")[0]
    assert "We will return to a normal" in result  # the version as Daily Spin printed it
    assert "We will not return" not in result  # not the family's canonical text
    assert "Daily Spin" in result and DROPPED_NOT in result
    assert direct_version(changed).get_absolute_url() in result


def test_the_home_page_lists_recently_changed_versions(client, carried):
    html = client.get(reverse("quotes:home")).content.decode()
    recent = html.split('class="plain changed-recently"')[1].split("</ul>")[0]
    assert "Daily Spin" in recent and DROPPED_NOT in recent


def test_the_atom_feed_says_what_a_version_changed(client, carried):
    _, changed, _ = carried
    feed = client.get(reverse("quotes:outlet-feed", args=[changed.outlet.slug])).content.decode()
    assert "[dropped &#x27;not&#x27;]" in feed or "[dropped 'not']" in feed
    assert "Changes the meaning: dropped" in feed


def test_the_csv_gives_the_change_of_each_version(client, db):
    said = "“We will send 20 more air defence systems to Ukraine before the winter,” Jens Stoltenberg said."
    nato_story("Reuters", said, date(2022, 12, 12))
    nato_story("Daily Spin", said.replace("20", "30"), date(2022, 12, 13))
    body = client.get(SEARCH, {"speaker": "Stoltenberg", "format": "csv"}).content.decode("utf-8-sig")
    rows = {row["outlet"]: row["meaning_flags"] for row in csv.DictReader(io.StringIO(body))}
    assert rows == {"Reuters": "", "Daily Spin": "changed 20 → 30"}


def _queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_pages_query_as_often_for_many_changed_versions_as_for_one(client, carried):
    stoltenberg = Speaker.objects.get(name="Jens Stoltenberg").get_absolute_url()
    pages = [(stoltenberg, None), (SEARCH, {"speaker": "Stoltenberg"}), (SEARCH, {"changed": "on"})]
    pages += [(reverse("quotes:home"), None)]
    before = [_queries(client, url, params) for url, params in pages]
    for n in range(4):
        nato_story(
            f"Spin {n}",
            f"“Our budget for the air defence of the Baltic states will not grow past {n + 2} billion,” "
            "Jens Stoltenberg said.",
            date(2022, 12, 20 + n),
        )
    assert Version.objects.changing_meaning().count() >= 4
    assert [_queries(client, url, params) for url, params in pages] == before
