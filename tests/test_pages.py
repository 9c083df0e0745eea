"""Search, speaker and outlet pages, exports, feeds and the JSON API, on the seeds."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quotes.models import Article, Outlet
from tests.factories import DESCRIBED, import_article

pytestmark = pytest.mark.django_db

SEARCH = reverse("quotes:search")


def result_texts(response) -> list[str]:
    return [family.text for family in response.context["page"]]


def result_speakers(response) -> set[str | None]:
    return {family.speaker.name if family.speaker else None for family in response.context["page"]}


def test_search_by_speaker_name(client, seeded):
    response = client.get(SEARCH, {"speaker": "Jens Stoltenberg"})
    assert any("Trust has been destroyed" in text for text in result_texts(response))
    assert result_speakers(response) == {"Jens Stoltenberg"}  # the seeds quote Putin and Scholz too


def test_search_by_alias_surname(client, seeded):
    response = client.get(SEARCH, {"speaker": "stoltenberg"})
    assert any("Trust has been destroyed" in text for text in result_texts(response))
    assert result_speakers(response) == {"Jens Stoltenberg"}


def test_search_by_words_marks_the_matches(client, seeded):
    response = client.get(SEARCH, {"q": "trust destroyed"})
    assert any("Trust has been destroyed" in text for text in result_texts(response))
    assert "<mark>Trust</mark>" in response.content.decode()


def test_search_filters_combine(client, seeded):
    zerohedge = Outlet.objects.get(name="ZeroHedge")
    response = client.get(SEARCH, {"speaker": "Stoltenberg", "outlet": zerohedge.slug, "kind": "direct"})
    assert result_texts(response) and result_speakers(response) == {"Jens Stoltenberg"}
    other = result_texts(
        client.get(SEARCH, {"speaker": "Stoltenberg", "outlet": zerohedge.slug, "to": "2020-01-01"})
    )
    assert other == []


def test_search_by_kind_keeps_only_the_families_an_outlet_printed_that_way(client, seeded):
    everything = client.get(SEARCH, {"speaker": "Stoltenberg"})
    headlines = client.get(SEARCH, {"speaker": "Stoltenberg", "kind": "headline"})
    assert result_texts(headlines)
    assert len(result_texts(headlines)) < len(result_texts(everything))
    for family in headlines.context["page"]:
        assert "headline" in {version.kind for version in family.versions.all()}


def test_search_for_an_unknown_speaker_finds_nothing(client, seeded):
    assert result_texts(client.get(SEARCH, {"speaker": "Nobody Atall"})) == []


def test_misspelled_speaker_is_found(client, seeded):
    response = client.get(SEARCH, {"speaker": "Jens Stoltenburg"})
    assert any("Trust has been destroyed" in text for text in result_texts(response))
    assert result_speakers(response) == {"Jens Stoltenberg"}


def test_speaker_suggestions_list_matching_speakers(client, seeded):
    html = client.get(reverse("quotes:speaker-suggestions"), {"speaker": "stolt"}).content.decode()
    assert "Jens Stoltenberg" in html


def test_csv_export_has_a_row_per_outlet_printing(client, seeded):
    response = client.get(SEARCH, {"q": "trust destroyed", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {"ZeroHedge", "USAWorld News"} <= {row["outlet"] for row in rows}


def test_json_export(client, seeded):
    data = client.get(SEARCH, {"speaker": "Stoltenberg", "format": "json"}).json()
    assert data["results"] and all(r["speaker"]["name"] == "Jens Stoltenberg" for r in data["results"])


def test_api_quotes_are_paginated_and_filtered(client, seeded):
    data = client.get(reverse("quotes:api-quotes"), {"speaker": "Stoltenberg"}).json()
    assert set(data) == {"results", "next"}
    assert {r["speaker"]["name"] if r["speaker"] else None for r in data["results"]} == {"Jens Stoltenberg"}
    first = data["results"][0]
    assert {"id", "text", "speaker", "first_seen", "occurrences"} <= set(first)
    assert {"outlet", "article_id", "article_title", "published", "text", "start", "end", "relation"} <= set(
        first["occurrences"][0]
    )


def test_api_pages_follow_next_links_without_counting(client, seeded, monkeypatch):
    from quotes import api

    monkeypatch.setattr(api, "API_PAGE_SIZE", 4)
    url, seen = reverse("quotes:api-quotes") + "?speaker=Stoltenberg", []
    with CaptureQueriesContext(connection) as queries:
        while url:
            data = client.get(url).json()
            seen += [family["id"] for family in data["results"]]
            assert len(data["results"]) <= 4
            url = data["next"]
    assert len(seen) == len(set(seen)) > 4  # every family once, over several pages
    assert not any("COUNT(" in query["sql"] for query in queries)


def test_api_rejects_a_bad_filter(client, seeded):
    response = client.get(reverse("quotes:api-quotes"), {"from": "yesterday"})
    assert response.status_code == 400


def test_api_article_offsets_point_into_its_text(client, seeded):
    article = Article.objects.get(outlet__name="ZeroHedge")
    data = client.get(reverse("quotes:api-article", args=[article.pk])).json()
    assert data["status"] == "done"
    for version in data["occurrences"]:
        source = data["title"] if version["in_title"] else data["text"]
        assert source[version["start"] : version["end"]] == version["text"]
        assert {"speaker", "kind", "cue", "quote_id"} <= set(version)


def test_feeds_are_atom(client, seeded):
    outlet = Outlet.objects.get(name="ZeroHedge")
    for url in (
        reverse("quotes:speaker-feed", args=[seeded.slug]),
        reverse("quotes:outlet-feed", args=[outlet.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert b"<feed" in response.content and b"Trust has been destroyed" in response.content


def test_speaker_page_has_a_monthly_chart(client, seeded):
    html = client.get(seeded.get_absolute_url()).content.decode()
    assert "<svg" in html and "Dec 2022" in html


def test_outlet_page_says_who_carried_a_quote_first(client, seeded):
    outlet = Outlet.objects.get(name="ZeroHedge")
    html = client.get(outlet.get_absolute_url()).content.decode()
    assert "after the first" in html or "first" in html
    assert "<svg" in html


@pytest.mark.parametrize(
    "url_name",
    ["quotes:home", "quotes:search", "quotes:speaker-list", "quotes:outlet-list", "quotes:article-list"],
)
def test_list_pages_run_a_bounded_number_of_queries(client, seeded, url_name):
    params = {"speaker": "Stoltenberg"} if url_name == "quotes:search" else {}
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(url_name), params).status_code == 200
    assert len(queries) <= 12, [q["sql"][:120] for q in queries.captured_queries]


def test_detail_pages_run_a_bounded_number_of_queries(client, seeded):
    outlet = Outlet.objects.get(name="ZeroHedge")
    article = Article.objects.get(outlet=outlet)
    family = article.versions.first().family
    for url in (
        seeded.get_absolute_url(),
        outlet.get_absolute_url(),
        article.get_absolute_url(),
        family.get_absolute_url(),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) <= 12, (url, len(queries))


def test_quote_page_shows_provenance_diff_and_same_event_quotes(client, seeded):
    article = Article.objects.get(outlet__name="ZeroHedge")
    family = article.versions.get(text__contains="Trust has been destroyed").family
    html = client.get(family.get_absolute_url()).content.decode()
    assert "<svg" in html and "USAWorld News · 13 Dec" in html and "ZeroHedge · 14 Dec" in html
    assert "1 day later" in html
    assert "<ins>" in html and "<del>" in html
    assert "Also in these articles" in html


def test_the_quote_pages_caption_puts_no_space_before_its_comma(client, seeded):
    article = Article.objects.get(outlet__name="ZeroHedge")
    family = article.versions.get(text__contains="Trust has been destroyed").family
    html = client.get(family.get_absolute_url()).content.decode()
    caption = re.search(r"<figcaption>(.*?)</figcaption>", html, re.S).group(1)
    assert "</a>, first carried" in caption


def test_quote_page_lists_each_article_once_with_all_its_versions(client, seeded):
    article = Article.objects.get(outlet__name="ZeroHedge")
    family = article.versions.get(text__contains="Trust has been destroyed").family
    response = client.get(family.get_absolute_url())
    carried = response.context["carried"]
    assert [c.article.outlet.name for c in carried] == ["USAWorld News", "ZeroHedge"]
    zerohedge = carried[1].versions
    assert zerohedge[0].compared.version.kind == "direct"  # the speaker's words first
    paraphrase = next(v.compared for v in zerohedge if "beyond repair" in v.compared.version.text)
    assert paraphrase.diff is None  # a paraphrase is shown as printed, not diffed
    html = response.content.decode()
    assert "Carried by 2 articles" in html and 'class="paraphrase"' in html


def test_home_ranks_speakers_by_publication_date_and_names_the_period(client, seeded):
    # The seeds were added today but published in 2024: not "this month".
    html = client.get(reverse("quotes:home")).content.decode()
    assert "Most-quoted speakers of all time" in html and "Jens Stoltenberg" in html
    Article.objects.filter(outlet__name="ZeroHedge").update(published=timezone.localdate())
    html = client.get(reverse("quotes:home")).content.decode()
    assert "Most-quoted speakers this month" in html and "Jens Stoltenberg" in html


def test_a_described_source_is_shown_as_described_on_the_article_and_quote_pages(client):
    article = import_article(DESCRIBED, "Outlet A")
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'class="speaker described"' in page
    assert "a senior official" in page
    family = article.versions.get(text__startswith="We will not sign").family
    assert "a senior official" in client.get(family.get_absolute_url()).content.decode()


def test_a_speaker_named_only_through_a_pronoun_is_marked_for_checking(client):
    article = import_article(
        "Harbour director Eva Lind opened the new terminal on Monday.\n\n"
        "“The first ships will arrive within weeks,” she said.",
        "Outlet A",
    )
    version = article.versions.get(text__startswith="The first ships")
    assert version.speaker.name == "Eva Lind"
    assert version.attribution_note.startswith("attributed from “she”")
    assert "attributed from “she”" in client.get(article.get_absolute_url()).content.decode()


def _article_text_loaded(queries) -> list[str]:
    column = f"{connection.ops.quote_name(Article._meta.db_table)}.{connection.ops.quote_name('text')}"
    # A window of the text around a quote (SUBSTR, for the quote page's sentences) is not the text.
    window = re.compile(rf"SUBSTR(?:ING)?\(\s*{re.escape(column)}", re.IGNORECASE)
    return [q["sql"] for q in queries if column in window.sub("", q["sql"])]


def test_lists_never_load_the_text_of_articles(client, seeded):
    # One long article with many quotes by one speaker made a speaker page
    # read its text once per quote (2.35 s for 1,128 quotes of a 300 KB article).
    outlet = Outlet.objects.get(name="ZeroHedge")
    family = seeded.families.first()
    pages = [
        reverse("quotes:speaker-detail", args=[seeded.slug]),
        reverse("quotes:outlet-detail", args=[outlet.slug]),
        reverse("quotes:quote-detail", args=[family.pk]),
        reverse("quotes:home"),
        reverse("quotes:article-list"),
        reverse("quotes:speaker-feed", args=[seeded.slug]),
        reverse("quotes:outlet-feed", args=[outlet.slug]),
        f"{SEARCH}?speaker=Stoltenberg",
        f"{SEARCH}?speaker=Stoltenberg&format=csv",
        f"{SEARCH}?speaker=Stoltenberg&format=json",
        reverse("quotes:api-quotes") + "?speaker=Stoltenberg",
    ]
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200, page
        assert _article_text_loaded(queries.captured_queries) == [], page
    # (The article's own page does read it, of course.)
    with CaptureQueriesContext(connection) as queries:
        client.get(Article.objects.first().get_absolute_url())
    assert _article_text_loaded(queries.captured_queries)


def test_a_quote_page_carries_its_statement_as_schema_org_linked_data(client, seeded):
    import json
    import re

    from quotes.models import Family

    family = Family.objects.filter(speaker=seeded, text__icontains="Trust has been destroyed").first()
    page = client.get(family.get_absolute_url()).content.decode()
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["@type"] == "Quotation"
    assert data["spokenByCharacter"]["name"] == "Jens Stoltenberg"
    assert data["isBasedOn"]["@type"] == "NewsArticle"
    assert len(data["citation"]) >= 2
    assert data["citation"][0] == data["isBasedOn"]


def test_linked_data_cannot_close_its_script_element(client):
    article = import_article("“Watch this </script><b>now</b> & later,” said Mayor Lena Holm.", "Outlet A")
    family = article.versions.first().family
    page = client.get(family.get_absolute_url()).content.decode()
    head = page.split("</head>")[0]
    assert "</script><b>" not in head
    assert "\\u003c/script\\u003e" in head
