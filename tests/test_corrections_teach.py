"""Corrections teach and scale: one correction fixes a statement in every outlet's
version, and what an editor decided is applied again wherever the statement comes back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from quotes.models import Correction, Occurrence, Quote, Speaker

pytestmark = pytest.mark.django_db


def _correct(client, occ: Occurrence, **data):
    return client.post(reverse("quotes:occurrence-correct", args=[occ.pk]), {"next": "/", **data})


def test_one_speaker_correction_fixes_every_version_and_the_family_header(editor_client, story):
    rutte = Speaker.objects.create(name="Mark Rutte", slug="mark-rutte")
    family = story["direct"]
    first = family.occurrences.get(article=story["first"])
    _correct(editor_client, first, action="speaker", speaker="Mark Rutte", scope="family")
    assert set(family.occurrences.values_list("speaker", flat=True)) == {rutte.pk}
    assert Correction.objects.filter(action="speaker", speaker=rutte).count() == 2
    header = editor_client.get(family.get_absolute_url()).content.decode().split("</figcaption>")[0]
    assert "Mark Rutte" in header and "Stoltenberg" not in header


def test_a_version_can_be_given_to_someone_else_alone(editor_client, story):
    Speaker.objects.create(name="Mark Rutte", slug="mark-rutte")
    family = story["direct"]
    first = family.occurrences.get(article=story["first"])
    _correct(editor_client, first, action="speaker", speaker="Mark Rutte", scope="version")
    assert Occurrence.objects.get(pk=first.pk).speaker.name == "Mark Rutte"
    assert family.occurrences.exclude(pk=first.pk).get().speaker == story["speaker"]
    assert Quote.objects.get(pk=family.pk).speaker == story["speaker"]


def test_not_a_quote_for_every_version_withdraws_the_family(editor_client, story):
    family = story["direct"]
    _correct(editor_client, family.occurrences.first(), action="not_a_quote", scope="family")
    assert not Occurrence.objects.filter(quote_id=family.pk).exists()
    assert editor_client.get(reverse("quotes:quote-detail", args=[family.pk])).status_code == 410


def test_the_correction_form_offers_every_version_first(editor_client, story):
    page = editor_client.get(story["direct"].get_absolute_url()).content.decode()
    assert '<input type="radio" name="scope" value="family" checked>' in page
    assert '<input type="radio" name="scope" value="version">' in page
