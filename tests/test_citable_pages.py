"""Pages a journalist can cite from: kinds, provenance, exports and feeds, on rows made here."""

import csv
import io
import json
from datetime import date
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from quotes.models import Article, Family
from quotes.templatetags.quotewise import quoted
from tests.factories import make_article, make_version

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_quoted_text_never_doubles_marks_nor_keeps_a_trailing_comma():
    assert quoted("Trust has been destroyed,") == "Trust has been destroyed"
    assert quoted("“a Russia that ends the war”") == "a Russia that ends the war"
    assert (
        quoted('"a Russia that ends the war" must come first')
        == "‘a Russia that ends the war’ must come first"
    )
    assert "“" not in quoted("“a Russia” … ") and '"' not in quoted('"a Russia" …')


def test_a_paraphrase_is_never_shown_in_quote_marks(client, story):
    paraphrase = story["paraphrase"]
    for url in (
        story["speaker"].get_absolute_url(),
        reverse("quotes:search") + "?speaker=Stoltenberg",
        paraphrase.get_absolute_url(),
        story["first"].get_absolute_url(),
        story["wire"].get_absolute_url(),
    ):
        html = client.get(url).content.decode()
        assert 'reported:</span> <em class="paraphrase">the alliance would stay united' in html, url
        assert "“the alliance would stay united" not in html, url
        assert "“Trust has been destroyed”" in html or url == paraphrase.get_absolute_url(), url


def test_a_family_knows_its_kind_from_its_versions(story):
    assert story["direct"].kind == "direct" and story["paraphrase"].kind == "indirect"
    kinds = dict(Family.objects.with_kind().values_list("pk", "family_kind"))
    assert kinds == {story["direct"].pk: "direct", story["paraphrase"].pk: "indirect"}


def test_the_home_page_features_no_one_or_two_word_fragments_and_no_case_duplicates(client, story):
    wire = story["wire"]
    article = make_article(
        wire, "It was “Destroyed” and later “destroyed” again, she said.", date(2024, 5, 2)
    )
    for words in ("Destroyed", "destroyed"):
        family = Family.objects.create(text=words, speaker=story["speaker"])
        make_version(article, family, words, "partial")
    home = client.get(reverse("quotes:home"))
    assert [q.text for q in home.context["widespread"]][0] == "Trust has been destroyed,"
    assert all(len(q.text.split()) > 2 for q in home.context["widespread"])
    listed = client.get(article.get_absolute_url()).context["versions"]
    assert [line.version.text for line in listed] == ["Destroyed"]


def test_the_quote_page_links_each_passage_and_the_original_and_shows_its_sentence(client, story):
    html = client.get(story["paraphrase"].get_absolute_url()).content.decode()
    version = story["paraphrase"].versions.get()
    assert f'href="{story["first"].get_absolute_url()}#occ-{version.pk}"' in html
    assert 'href="https://www.wire.example/story"' in html
    assert "In its sentence:</span> He said <strong>the alliance would stay united</strong>.</p>" in html
    article_html = client.get(story["first"].get_absolute_url()).content.decode()
    assert f'id="occ-{version.pk}"' in article_html


def test_outlets_carrying_a_quote_the_same_day_are_first_together(client, story):
    response = client.get(story["direct"].get_absolute_url())
    html = response.content.decode()
    assert response.context["first_tied"] is True
    assert html.count("first, tied") == 2


def test_the_cite_box_names_speaker_words_outlet_date_url_and_page(client, story):
    response = client.get(story["direct"].get_absolute_url())
    citation = response.context["citation"]
    assert citation.splitlines() == [
        "Jens Stoltenberg: “Trust has been destroyed”",
        "Wire, “NATO chief warns”, 1 May 2024",
        "https://www.wire.example/story",
        f"Quotewise: http://testserver{story['direct'].get_absolute_url()}",
    ]
    html = response.content.decode()
    assert 'data-copy="citation"' in html and "quotes/cite.js" in html and "<script>" not in html
    paraphrase = client.get(story["paraphrase"].get_absolute_url()).context["citation"]
    assert paraphrase.startswith("Jens Stoltenberg, as reported: the alliance would stay united")


def test_exports_carry_kind_cue_confidence_title_url_and_domain(client, story):
    search = reverse("quotes:search")
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(search, {"speaker": "Stoltenberg", "format": "csv"}).content.decode())
        )
    )
    reported = next(row for row in rows if row["kind"] == "indirect")
    assert (
        reported["quote_kind"] == "indirect" and reported["cue"] == "said" and reported["confidence"] == "0.5"
    )
    assert (
        reported["article_title"] == "NATO chief warns"
        and reported["article_url"] == "https://www.wire.example/story"
    )
    assert reported["outlet_domain"] == "wire.example"
    assert reported["attribution_note"] == "attributed from “He”, low confidence"
    data = json.loads(client.get(reverse("quotes:api-quotes"), {"speaker": "Stoltenberg"}).content)
    family = next(r for r in data["results"] if r["id"] == story["paraphrase"].pk)
    assert family["kind"] == "indirect"
    version = family["occurrences"][0]
    assert (version["kind"], version["cue"], version["confidence"], version["outlet_domain"]) == (
        "indirect",
        "said",
        0.5,
        "wire.example",
    )
    assert version["article_url"] == "https://www.wire.example/story"


def test_outlet_pages_show_the_domain_of_its_articles(client, story):
    assert "wire.example" in client.get(reverse("quotes:outlet-list")).content.decode()
    assert "wire.example" in client.get(story["wire"].get_absolute_url()).content.decode()


def test_atom_entries_have_tag_ids_and_publication_dates(client, story):
    feed = client.get(reverse("quotes:speaker-feed", args=[story["speaker"].slug]))
    root = ElementTree.fromstring(feed.content)
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        assert entry.find(f"{ATOM}id").text.startswith("tag:testserver,")
        assert entry.find(f"{ATOM}published").text.startswith("2024-05-01")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert "Jens Stoltenberg, reported: the alliance would stay united" in titles


def test_first_carried_is_the_first_publication_date_not_the_day_of_import(client, story):
    Family.objects.filter(pk=story["direct"].pk).update(first_seen=date(2026, 1, 1))  # as if imported later
    html = client.get(story["direct"].get_absolute_url()).content.decode()
    assert "first carried 1 May 2024" in html and "2026" not in html.split("Carried by")[0]


def test_an_inferred_publication_date_is_marked_as_inferred(client, story):
    Article.objects.filter(pk=story["first"].pk).update(published_inferred=True)
    assert "(date inferred from the text)" in client.get(story["first"].get_absolute_url()).content.decode()
    assert "(inferred)" in client.get(story["direct"].get_absolute_url()).content.decode()
    version = story["paraphrase"].versions.get()
    data = client.get(reverse("quotes:api-article", args=[story["first"].pk])).json()
    assert data["published_inferred"] is True
    assert {o["published_inferred"] for o in data["occurrences"]} == {True} and version


def test_a_date_inferred_from_a_read_page_is_kept_through_the_review(editor_client, no_enqueue):
    form = {"url": "", "author": "", "outlet": "Wire", "title": "T", "text": "“We are ready,” she said."}
    editor_client.post(
        reverse("quotes:article-new"), {**form, "published": "2024-03-12", "inferred_date": "2024-03-12"}
    )
    editor_client.post(
        reverse("quotes:article-new"),
        {**form, "text": "“We are set,” he said.", "published": "2024-03-13", "inferred_date": "2024-03-12"},
    )
    assert dict(Article.objects.values_list("published", "published_inferred")) == {
        date(2024, 3, 12): True,
        date(2024, 3, 13): False,  # the person changed it: it is theirs
    }
