"""Editors' corrections are stored and survive re-running extraction."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quotes import corrections, pipeline
from quotes.models import Family, Outlet, Speaker, Version
from tests.factories import import_seed, make_article, make_version

pytestmark = pytest.mark.django_db


def trust_version(article) -> Version:
    return article.versions.get(text__contains="Trust has been destroyed")


def test_speaker_correction_survives_re_extraction():
    article = import_seed("001")
    other = Speaker.objects.create(name="Someone Else", slug="someone-else")
    corrections.correct_speaker(trust_version(article), other)
    pipeline.process_article(article.pk)
    assert trust_version(article).speaker == other


def test_not_a_quote_survives_re_extraction():
    article = import_seed("001")
    version = trust_version(article)
    span = (version.start, version.end)
    corrections.mark_not_a_quote(version)
    pipeline.process_article(article.pk)
    assert not article.versions.filter(start=span[0], end=span[1]).exists()
    assert article.versions.exists()


def test_family_correction_survives_re_extraction():
    article = import_seed("001")
    target = Family.objects.create(text="Some other utterance", fingerprint="x")
    corrections.correct_family(trust_version(article), target)
    pipeline.process_article(article.pk)
    assert trust_version(article).family == target
    assert trust_version(article).relation == Version.Relation.VARIANT


def test_merging_speakers_keeps_every_name_as_an_alias():
    article = import_seed("001")
    stoltenberg = trust_version(article).speaker
    duplicate = Speaker.objects.create(name="J. Stoltenberg", slug="j-stoltenberg")
    duplicate.aliases.create(name="J. Stoltenberg", normalized="j stoltenberg")
    corrections.merge_speakers(stoltenberg, [duplicate])
    assert not Speaker.objects.filter(pk=duplicate.pk).exists()
    assert stoltenberg.aliases.filter(normalized="j stoltenberg").exists()


def test_admin_edit_of_a_version_records_a_correction(client):
    article = import_seed("001")
    version = trust_version(article)
    other = Speaker.objects.create(name="Someone Else", slug="someone-else")
    client.force_login(User.objects.create_superuser("admin", "a@example.org", "pw"))
    url = reverse("admin:quotes_version_change", args=[version.pk])
    response = client.post(url, {"speaker": other.pk, "family": version.family_id})
    assert response.status_code == 302
    assert article.corrections.get().speaker == other
    pipeline.process_article(article.pk)
    assert trust_version(article).speaker == other


def _article_of(families: int, speaker: Speaker):
    """An extracted article of ``quotes`` quotes by ``speaker``, each its own family."""
    outlet = Outlet.objects.create(name=f"Wire {families}", slug=f"wire-{families}")
    said = [f"Ward {n} will get its {n + 2} buses" for n in range(families)]
    article = make_article(outlet, " ".join(f"“{words},” she said." for words in said), None)
    for words in said:
        family = Family.objects.create(text=words, fingerprint=words, speaker=speaker)
        make_version(article, family, words, "direct")
    return article


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_an_editors_article_page_asks_the_same_queries_for_3_quotes_as_for_30(editor_client):
    # A 2,100-quote article once made 2,116 queries for an editor (the "Belongs with"
    # list of every quote) and took 41.8 s.
    speaker = Speaker.objects.create(name="Ann Lee", slug="ann-lee")
    small, large = _article_of(3, speaker), _article_of(30, speaker)
    assert _queries_for(editor_client, large.get_absolute_url()) == _queries_for(
        editor_client, small.get_absolute_url()
    )


def test_belongs_with_offers_the_articles_other_quotes_when_the_form_is_opened(editor_client):
    speaker = Speaker.objects.create(name="Ann Lee", slug="ann-lee")
    article = _article_of(3, speaker)
    first, *others = article.versions.order_by("start")
    page = editor_client.get(article.get_absolute_url()).content.decode()
    url = reverse("quotes:occurrence-families", args=[first.pk])
    assert f'hx-get="{url}"' in page
    options = editor_client.get(url).content.decode()
    assert all(f'value="{o.family_id}"' in options for o in others)
    assert f'value="{first.family_id}"' not in options
    assert Client().get(url).status_code in (302, 403)  # readers do not correct


def test_a_familys_derived_fields_cannot_be_edited_in_the_admin(client):
    # Its text, fingerprint and speaker are kept with the index keys matching reads: an edit
    # there would leave them stale. Editors correct a version instead.
    article = import_seed("001")
    family = Version.objects.filter(article=article).select_related("family").first().family
    before = (family.text, family.fingerprint, family.speaker_id)
    client.force_login(User.objects.create_superuser("admin", password="a-long-admin-password"))
    page = client.get(f"/admin/quotes/family/{family.pk}/change/")
    assert page.status_code == 200
    assert b'name="text"' not in page.content
    client.post(
        f"/admin/quotes/family/{family.pk}/change/",
        {"text": "The pier is open", "fingerprint": "x", "speaker": "", "first_seen": "2020-01-01"},
    )
    family.refresh_from_db()
    assert (family.text, family.fingerprint, family.speaker_id) == before
