"""Editors' corrections are stored and survive re-running extraction."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from quotes import corrections, pipeline
from quotes.models import Occurrence, Quote, Speaker
from tests.factories import import_seed

pytestmark = pytest.mark.django_db


def trust_occurrence(article) -> Occurrence:
    return article.occurrences.get(text__contains="Trust has been destroyed")


def test_speaker_correction_survives_re_extraction():
    article = import_seed("001")
    other = Speaker.objects.create(name="Someone Else", slug="someone-else")
    corrections.correct_speaker(trust_occurrence(article), other)
    pipeline.process_article(article.pk)
    assert trust_occurrence(article).speaker == other


def test_not_a_quote_survives_re_extraction():
    article = import_seed("001")
    occ = trust_occurrence(article)
    span = (occ.start, occ.end)
    corrections.mark_not_a_quote(occ)
    pipeline.process_article(article.pk)
    assert not article.occurrences.filter(start=span[0], end=span[1]).exists()
    assert article.occurrences.exists()


def test_family_correction_survives_re_extraction():
    article = import_seed("001")
    target = Quote.objects.create(text="Some other utterance", fingerprint="x")
    corrections.correct_family(trust_occurrence(article), target)
    pipeline.process_article(article.pk)
    assert trust_occurrence(article).quote == target
    assert trust_occurrence(article).relation == Occurrence.Relation.VARIANT


def test_merging_speakers_keeps_every_name_as_an_alias():
    article = import_seed("001")
    stoltenberg = trust_occurrence(article).speaker
    duplicate = Speaker.objects.create(name="J. Stoltenberg", slug="j-stoltenberg")
    duplicate.aliases.create(name="J. Stoltenberg", normalized="j stoltenberg")
    corrections.merge_speakers(stoltenberg, [duplicate])
    assert not Speaker.objects.filter(pk=duplicate.pk).exists()
    assert stoltenberg.aliases.filter(normalized="j stoltenberg").exists()


def test_admin_edit_of_an_occurrence_records_a_correction(client):
    article = import_seed("001")
    occ = trust_occurrence(article)
    other = Speaker.objects.create(name="Someone Else", slug="someone-else")
    client.force_login(User.objects.create_superuser("admin", "a@example.org", "pw"))
    url = reverse("admin:quotes_occurrence_change", args=[occ.pk])
    response = client.post(url, {"speaker": other.pk, "quote": occ.quote_id})
    assert response.status_code == 302
    assert article.corrections.get().speaker == other
    pipeline.process_article(article.pk)
    assert trust_occurrence(article).speaker == other
