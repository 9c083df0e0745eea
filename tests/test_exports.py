"""Exports and the API as a newsroom's tools read them: a CSV a spreadsheet opens
with its £ and curly quotes intact, quote texts without the punctuation their
sentence left behind, and errors in JSON."""

import csv
import io

import pytest
from django.urls import reverse

from quotes.families.folding import as_said
from quotes.models import Family

pytestmark = pytest.mark.django_db

SEARCH = reverse("quotes:search")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("I have the numbers,", "I have the numbers"),
        ("We will pay £40m;", "We will pay £40m"),
        ("The plan is simple:", "The plan is simple"),
        ("Trust has been destroyed,”", "Trust has been destroyed"),  # the quotation's own closing mark
        ("Is this over?", "Is this over?"),
        ("Never again!", "Never again!"),
        ("We will see...", "We will see..."),
        ("We will see…", "We will see…"),
        ("It is over.", "It is over."),
        ("They called it “a disgrace”,", "They called it “a disgrace”"),  # a mark that belongs to the text
        ('They called it "a disgrace",', 'They called it "a disgrace"'),
        ("“a Russia that ends the war,”", "a Russia that ends the war"),
    ],
)
def test_a_quote_as_said_loses_only_the_punctuation_its_sentence_left(text, said):
    assert as_said(text) == said


def test_the_csv_export_starts_with_a_byte_order_mark_and_keeps_pound_signs_and_curly_quotes(client, story):
    Family.objects.filter(text="Trust has been destroyed,").update(text="It cost £40m, “a scandal”,")

    response = client.get(SEARCH, {"speaker": "Stoltenberg", "format": "csv"})

    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "quote_id" in rows[0]
    assert {row["quote"] for row in rows} == {"It cost £40m, “a scandal”", "the alliance would stay united"}


def test_the_api_and_json_export_give_quote_texts_without_a_dangling_comma(client, story):
    family = Family.objects.get(text="Trust has been destroyed,")

    listed = client.get(reverse("quotes:api-quotes"), {"speaker": "Stoltenberg"}).json()["results"]
    exported = client.get(SEARCH, {"speaker": "Stoltenberg", "format": "json"}).json()["results"]

    for results in (listed, exported):
        assert {r["text"] for r in results} == {"Trust has been destroyed", "the alliance would stay united"}
        version = next(r for r in results if r["id"] == family.pk)["occurrences"][0]
        assert version["text"] == "Trust has been destroyed,"  # as printed, matching its offsets


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/articles/999/", 404),
        ("get", "/api/nothing-here/", 404),
        ("post", "/api/quotes/", 405),
        ("get", "/api/quotes/?from=yesterday", 400),
    ],
)
def test_every_api_error_answers_in_json(client, method, path, status):
    response = getattr(client, method)(path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert {"error", "errors"} & set(response.json())  # a sentence, or the form's errors by field
