"""A quote split by its cue is one statement end to end (issue #28): one family whose
canonical text is joined from the pieces, each outlet's version compared as a whole, and
the pages, the API, the CSV and the check showing the statement whole with its pieces."""

import csv
import io

import pytest
from django.urls import reverse

from quotes import corrections, pipeline
from quotes.extraction import extract
from quotes.models import Family, Version
from quotes.pipeline import join_pieces
from tests.factories import import_article

pytestmark = pytest.mark.django_db

INTRO = "Ines Alvarez is the mayor of Eastport.\n\n"
WHOLE = "We are not closing libraries, we are changing when they open."
SPLIT = INTRO + "“We are not closing libraries,” Alvarez said, “we are changing when they open.”"
UNSPLIT = INTRO + "“We are not closing libraries, we are changing when they open,” Alvarez said."
SECOND_HALF = INTRO + "“We are changing when they open,” Alvarez said on Tuesday."


def _family(article) -> Family:
    (family,) = {version.family for version in article.versions.filter(kind="direct")}
    return family


@pytest.mark.parametrize("order", [(SPLIT, UNSPLIT, SECOND_HALF), (SECOND_HALF, UNSPLIT, SPLIT)])
def test_a_split_quote_an_unsplit_copy_and_one_half_are_one_family(order):
    articles = {text: import_article(text, f"Outlet {n}") for n, text in enumerate(order)}

    families = {_family(article).pk for article in articles.values()}
    assert len(families) == 1
    family = Family.objects.get(pk=families.pop())
    assert family.text.rstrip(",.") == WHOLE.rstrip(".")
    pieces = list(articles[SPLIT].versions.order_by("start"))
    assert [p.text for p in pieces] == ["We are not closing libraries,", "we are changing when they open."]
    assert {p.statement_text for p in pieces} == {WHOLE}
    # Each outlet's version compared as a whole: the split one and the unsplit one say it all.
    assert {p.relation for p in pieces} == {Version.Relation.VERBATIM}
    assert articles[UNSPLIT].versions.get().relation == Version.Relation.VERBATIM
    assert articles[SECOND_HALF].versions.get().relation == Version.Relation.FRAGMENT
    assert all(p.meaning_flags == [] for p in pieces)


def test_the_quote_page_api_and_csv_show_the_split_statement_whole_with_its_pieces(client):
    split = import_article(SPLIT, "Outlet A")
    import_article(UNSPLIT, "Outlet B")
    family = _family(split)
    first, second = split.versions.order_by("start")

    page = client.get(reverse("quotes:quote-detail", args=[family.pk])).content.decode()
    assert page.count(WHOLE) >= 2  # the canonical text, and the split version shown whole
    assert "Reworded, same meaning" not in page
    assert first.get_absolute_url() in page and second.get_absolute_url() in page

    (result,) = client.get(reverse("quotes:api-quotes"), {"speaker": "Alvarez"}).json()["results"]
    versions = {v["outlet"]: v for v in result["occurrences"]}
    assert len(result["occurrences"]) == 2
    assert versions["Outlet A"]["statement_text"] == WHOLE
    assert versions["Outlet A"]["pieces"] == [
        {"text": first.text, "start": first.start, "end": first.end},
        {"text": second.text, "start": second.start, "end": second.end},
    ]
    assert versions["Outlet B"]["statement_text"] is None

    response = client.get(reverse("quotes:search"), {"speaker": "Alvarez", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_outlet = {row["outlet"]: row for row in rows}
    assert len(rows) == 2
    assert by_outlet["Outlet A"]["text_as_printed"] == WHOLE
    assert by_outlet["Outlet A"]["pieces"] == f"{first.start}-{first.end}; {second.start}-{second.end}"


def test_checking_the_whole_of_a_split_quote_finds_it_word_for_word(client):
    family = _family(import_article(SPLIT, "Outlet A"))
    data = client.get(reverse("quotes:api-check"), {"text": WHOLE}).json()
    assert data["results"][0]["id"] == family.pk
    assert data["results"][0]["closeness"] == "verbatim"


def test_a_reported_sentence_split_by_its_cue_joins_its_unsplit_copy():
    split = import_article(
        INTRO + "The rink is too small, Alvarez says, and will close next year.", "Outlet A"
    )
    unsplit = import_article(
        INTRO + "Alvarez says the rink is too small and will close next year.", "Outlet B"
    )
    (family,) = {version.family_id for version in split.versions.all()} | {
        version.family_id for version in unsplit.versions.all()
    }
    assert {version.statement_text for version in split.versions.all()} == {
        "The rink is too small and will close next year"
    }
    assert family


def test_the_pieces_are_joined_in_order_without_the_cue():
    assert join_pieces(["We are not closing libraries,", " we are changing when they open."]) == WHOLE
    assert join_pieces(["The rink", "is too small"]) == "The rink is too small"


def test_a_subject_before_according_to_is_a_piece_of_the_statement():
    found = extract(INTRO + "The rink, according to Alvarez, is too small.")
    subject = next(f for f in found if f.text == "The rink")
    predicate = next(f for f in found if f.text == "is too small")
    assert (
        subject.pieces == predicate.pieces == ((subject.start, subject.end), (predicate.start, predicate.end))
    )
    assert subject.statement == predicate.statement
    assert subject.speaker == predicate.speaker == "Ines Alvarez"


def test_the_article_api_gives_each_piece_with_the_whole_statement(client):
    split = import_article(SPLIT, "Outlet A")
    data = client.get(reverse("quotes:api-article", args=[split.pk])).json()
    pieces = [
        (o["text"], data["text"][o["start"] : o["end"]], o["statement_text"]) for o in data["occurrences"]
    ]
    assert pieces == [
        ("We are not closing libraries,", "We are not closing libraries,", WHOLE),
        ("we are changing when they open.", "we are changing when they open.", WHOLE),
    ]


def test_a_piece_marked_not_a_quote_leaves_the_other_piece_whole_on_its_own():
    split = import_article(SPLIT, "Outlet A")
    corrections.mark_not_a_quote(split.versions.get(text__startswith="we are changing"))
    pipeline.process_article(split.pk)
    (left,) = split.versions.all()
    assert (left.text, left.statement_text) == ("We are not closing libraries,", "")
    # Its family stays (its link was handed out); the piece left is now a fragment of it.
    assert left.relation == Version.Relation.FRAGMENT
