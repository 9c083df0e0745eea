"""Editors correct a quote on the page where they read it; readers see that it was corrected."""

import pytest
from django.urls import reverse

from quotes.models import Correction, Family, Speaker, Version

pytestmark = pytest.mark.django_db


def _correct(client, version: Version, next_url: str, **data):
    return client.post(reverse("quotes:occurrence-correct", args=[version.pk]), {"next": next_url, **data})


def _paraphrase(story) -> Version:
    return story["paraphrase"].versions.get()


def test_an_editor_sees_a_correction_form_on_the_article_and_quote_pages(editor_client, client, story):
    version = _paraphrase(story)
    for url in (story["first"].get_absolute_url(), story["paraphrase"].get_absolute_url()):
        html = editor_client.get(url).content.decode()
        assert reverse("quotes:occurrence-correct", args=[version.pk]) in html, url
        assert f'list="speakers-{version.pk}"' in html
        # Families to move it to are offered by their words, not by numbers to type, once
        # the form is opened.
        families = reverse("quotes:occurrence-families", args=[version.pk])
        assert f'hx-get="{families}"' in html
        assert "Jens Stoltenberg: Trust has been destroyed," in editor_client.get(families).content.decode()
    client.logout()
    assert "Save the correction" not in client.get(story["first"].get_absolute_url()).content.decode()


def test_an_editor_picks_a_speaker_by_name_and_the_quote_is_marked_corrected(editor_client, client, story):
    other = Speaker.objects.create(name="Mark Rutte", slug="mark-rutte")
    version = _paraphrase(story)
    back = story["paraphrase"].get_absolute_url()
    response = _correct(editor_client, version, back, action="speaker", speaker="mark rutte")
    assert response.status_code == 302 and response["Location"] == back
    version.refresh_from_db()
    assert version.speaker == other
    assert Family.objects.get(pk=version.family_id).speaker == other  # its only version
    correction = Correction.objects.get(action="speaker")
    assert correction.created_by.username == "editor"
    html = client.get(back).content.decode()
    assert f"corrected {correction.created_at:%-d %b %Y}" in html


def test_an_editor_creates_a_missing_speaker_only_when_asked(editor_client, story):
    version = _paraphrase(story)
    name = "Rotterdam Terminal Operators' Association"
    _correct(editor_client, version, "/", action="speaker", speaker=name)
    assert not Speaker.objects.filter(name=name).exists()
    assert Version.objects.get(pk=version.pk).speaker == story["speaker"]
    _correct(
        editor_client, version, "/", action="speaker", speaker=name, create="on", speaker_type="organisation"
    )
    created = Speaker.objects.get(name=name)
    assert created.type == "organisation" and Version.objects.get(pk=version.pk).speaker == created


def test_an_editor_moves_a_quote_to_another_family(editor_client, story):
    version = _paraphrase(story)
    back = story["paraphrase"].get_absolute_url()
    response = _correct(editor_client, version, back, action="family", family=story["direct"].pk)
    assert Version.objects.get(pk=version.pk).family == story["direct"]
    assert response["Location"] == story["direct"].get_absolute_url()  # the old family is gone


def test_an_editor_marks_not_a_quote(editor_client, story):
    version = _paraphrase(story)
    _correct(editor_client, version, story["first"].get_absolute_url(), action="not_a_quote")
    assert not Version.objects.filter(pk=version.pk).exists()
    assert Correction.objects.filter(action="not_a_quote").exists()


def test_a_reader_cannot_correct(client, story):
    version = _paraphrase(story)
    response = _correct(client, version, "/", action="not_a_quote")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert Version.objects.filter(pk=version.pk).exists()


def test_a_correction_never_sends_the_editor_to_another_site(editor_client, story):
    version = _paraphrase(story)
    response = _correct(
        editor_client, version, "https://evil.example/", action="speaker", speaker="Jens Stoltenberg"
    )
    assert response["Location"] == version.get_absolute_url()


def test_editors_see_the_list_of_corrections(editor_client, client, story):
    version = _paraphrase(story)
    _correct(editor_client, version, "/", action="speaker", speaker="Jens Stoltenberg")
    html = editor_client.get(reverse("quotes:correction-list")).content.decode()
    assert "the alliance would stay united" in html and "Said by another speaker" in html and "editor" in html
    client.logout()
    assert client.get(reverse("quotes:correction-list")).status_code == 302


def test_speaker_suggestions_fill_a_pick_list(client, story):
    html = client.get(
        reverse("quotes:speaker-suggestions"), {"speaker": "stolt", "as": "options"}
    ).content.decode()
    assert '<option value="Jens Stoltenberg">' in html


def test_control_characters_are_taken_out_of_a_speaker_name_an_editor_types(editor_client, story):
    version = _paraphrase(story)
    typed = "Helen\x01 Oka\x7ffor\x9f"
    _correct(editor_client, version, "/", action="speaker", speaker=typed, create="on", speaker_type="person")
    speaker = Version.objects.get(pk=version.pk).speaker
    assert speaker.name == "Helen Okafor"
    assert list(speaker.aliases.values_list("name", flat=True)) == ["Helen Okafor"]
    # Typed again with other control characters, the name finds the same speaker.
    _correct(editor_client, version, "/", action="speaker", speaker="Helen \x02Okafor")
    assert Speaker.objects.filter(name__startswith="Helen").count() == 1
