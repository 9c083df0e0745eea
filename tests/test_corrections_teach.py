"""Corrections teach and scale: one correction fixes a statement in every outlet's
version, and what an editor decided is applied again wherever the statement comes back."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from quotes import pipeline
from quotes.extraction.types import QuoteFinding
from quotes.families.store import index_family
from quotes.ingest import ingest_article
from quotes.models import Correction, Family, Speaker, Version
from tests.factories import make_article, make_version

pytestmark = pytest.mark.django_db


def _correct(client, version: Version, **data):
    return client.post(reverse("quotes:occurrence-correct", args=[version.pk]), {"next": "/", **data})


def test_one_speaker_correction_fixes_every_version_and_the_family_header(editor_client, story):
    rutte = Speaker.objects.create(name="Mark Rutte", slug="mark-rutte")
    family = story["direct"]
    first = family.versions.get(article=story["first"])
    _correct(editor_client, first, action="speaker", speaker="Mark Rutte", scope="family")
    assert set(family.versions.values_list("speaker", flat=True)) == {rutte.pk}
    assert Correction.objects.filter(action="speaker", speaker=rutte).count() == 2
    header = editor_client.get(family.get_absolute_url()).content.decode().split("</figcaption>")[0]
    assert "Mark Rutte" in header and "Stoltenberg" not in header


def test_a_version_can_be_given_to_someone_else_alone(editor_client, story):
    Speaker.objects.create(name="Mark Rutte", slug="mark-rutte")
    family = story["direct"]
    first = family.versions.get(article=story["first"])
    _correct(editor_client, first, action="speaker", speaker="Mark Rutte", scope="version")
    assert Version.objects.get(pk=first.pk).speaker.name == "Mark Rutte"
    assert family.versions.exclude(pk=first.pk).get().speaker == story["speaker"]
    assert Family.objects.get(pk=family.pk).speaker == story["speaker"]


def test_not_a_quote_for_every_version_withdraws_the_family(editor_client, story):
    family = story["direct"]
    _correct(editor_client, family.versions.first(), action="not_a_quote", scope="family")
    assert not Version.objects.filter(family_id=family.pk).exists()
    assert editor_client.get(reverse("quotes:quote-detail", args=[family.pk])).status_code == 410


def test_the_correction_form_offers_every_version_first(editor_client, story):
    page = editor_client.get(story["direct"].get_absolute_url()).content.decode()
    assert '<input type="radio" name="scope" value="family" checked>' in page
    assert '<input type="radio" name="scope" value="version">' in page


# The same wire story, as two outlets print it: the quote wrongly given to the person named
# before it, and a photo caption read as a quote.
SAID = "We will ballot every member on the offer before Christmas"
CAPTION = "Helen Okafor speaking to members at the rally in Leeds"
WIRE = f"{CAPTION}.\n\nHelen Okafor chairs the council's pay committee. “{SAID},” the union said."


def _wire_finding(text: str, words: str, speaker: str = "Helen Okafor") -> QuoteFinding:
    start = text.index(words)
    return QuoteFinding(start=start, end=start + len(words), text=words, kind="direct", speaker=speaker,
                        speaker_type="person", speaker_found_by="description", speaker_mention="the union",
                        confidence=0.55)  # fmt: skip


def _wire_story(outlet: str, text: str = WIRE):
    article = ingest_article(outlet=outlet, title="Pay offer", text=text, enqueue=False).article
    findings = [_wire_finding(text, SAID), _wire_finding(text, CAPTION)]
    return pipeline.save_findings(article.pk, findings, 0)


def test_a_decision_about_a_statement_holds_for_every_outlet_and_every_upload(editor_client):
    first = _wire_story("Leeds Echo")
    unison = Speaker.objects.create(name="Unison", slug="unison", type="organisation")
    said, caption = first.versions.get(text=SAID), first.versions.get(text=CAPTION)
    _correct(editor_client, said, action="speaker", speaker="Unison", scope="family")
    _correct(editor_client, caption, action="not_a_quote", scope="family")

    second = _wire_story("Yorkshire Post")  # the same story from a second outlet
    reuploaded = _wire_story("Leeds Echo", "Updated at 6pm.\n\n" + WIRE)  # spans moved
    for article in (second, reuploaded):
        assert list(article.versions.values_list("text", "speaker")) == [(SAID, unison.pk)]
    assert Version.objects.filter(text=SAID).values("family").distinct().count() == 1
    assert Family.objects.get(versions__text=SAID, versions__article=second).speaker == unison


def test_a_decision_about_one_version_stays_with_it(editor_client):
    first = _wire_story("Leeds Echo")
    Speaker.objects.create(name="Unison", slug="unison", type="organisation")
    _correct(editor_client, first.versions.get(text=SAID), action="speaker", speaker="Unison",
             scope="version")  # fmt: skip
    _correct(editor_client, first.versions.get(text=CAPTION), action="not_a_quote", scope="version")
    second = _wire_story("Yorkshire Post")
    assert set(second.versions.values_list("text", "speaker__name")) == {
        (SAID, "Helen Okafor"),
        (CAPTION, "Helen Okafor"),
    }


def test_a_decision_about_a_few_words_stays_in_its_article(editor_client):
    text = "“Destroyed,” Helen Okafor said of the talks."
    article = ingest_article(outlet="Leeds Echo", title="Talks", text=text, enqueue=False).article
    pipeline.save_findings(article.pk, [_wire_finding(text, "Destroyed")], 0)
    _correct(editor_client, article.versions.get(), action="not_a_quote", scope="family")
    again = ingest_article(outlet="Yorkshire Post", title="Talks", text=text, enqueue=False).article
    pipeline.save_findings(again.pk, [_wire_finding(text, "Destroyed")], 0)
    assert again.versions.count() == 1


def test_a_version_moved_to_another_family_is_compared_with_it_at_once(editor_client, story):
    said = "We will not go back to a normal relationship with Russia"
    reworded = "We won't return to a normal relationship with Moscow"
    family = Family.objects.create(text=said, speaker=story["speaker"], first_seen=story["first"].published)
    make_version(
        make_article(story["wire"], f"“{said},” he said.", None, title="One"), family, said, "direct"
    )
    alone = Family.objects.create(text=reworded, speaker=story["speaker"], first_seen=family.first_seen)
    moved = make_version(
        make_article(story["wire"], f"“{reworded},” he said.", None, title="Two"), alone, reworded, "direct"
    )
    _correct(editor_client, moved, action="family", family=family.pk)
    assert Version.objects.get(pk=moved.pk).relation == Version.Relation.VARIANT
    page = editor_client.get(family.get_absolute_url()).content.decode()
    assert "<del>Russia</del>" in page and "<ins>Moscow</ins>" in page


def test_an_editor_merges_speakers_on_the_speaker_page_and_old_links_lead_on(editor_client, story):
    client = Client()  # a reader
    stoltenberg = story["speaker"]
    twin = Speaker.objects.create(name="J. Stoltenberg", slug="j-stoltenberg")
    twin.aliases.create(name="J. Stoltenberg", normalized="j stoltenberg")
    page = editor_client.get(stoltenberg.get_absolute_url()).content.decode()
    merge = reverse("quotes:speaker-merge", args=[stoltenberg.slug])
    assert f'action="{merge}"' in page
    assert f'action="{merge}"' not in client.get(stoltenberg.get_absolute_url()).content.decode()

    response = editor_client.post(merge, {"speaker": "J. Stoltenberg"})
    assert response.status_code == 302 and response["Location"] == stoltenberg.get_absolute_url()
    assert not Speaker.objects.filter(pk=twin.pk).exists()
    assert stoltenberg.aliases.filter(normalized="j stoltenberg").exists()
    for old, new in (
        (reverse("quotes:speaker-detail", args=["j-stoltenberg"]), stoltenberg.get_absolute_url()),
        (
            reverse("quotes:speaker-feed", args=["j-stoltenberg"]),
            reverse("quotes:speaker-feed", args=[stoltenberg.slug]),
        ),
    ):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == new

    # Merged again, into a third: the first address leads to the last.
    nato = Speaker.objects.create(name="NATO", slug="nato", type="organisation")
    editor_client.post(reverse("quotes:speaker-merge", args=["nato"]), {"speaker": "Jens Stoltenberg"})
    response = client.get(reverse("quotes:speaker-detail", args=["j-stoltenberg"]))
    assert response.status_code == 301 and response["Location"] == nato.get_absolute_url()
    assert client.get(story["first"].get_absolute_url()).status_code == 200  # articles stay where they were
    assert client.get(reverse("quotes:speaker-detail", args=["nobody"])).status_code == 404


def test_a_speaker_is_not_merged_into_itself_or_a_name_nobody_has(editor_client, story):
    merge = reverse("quotes:speaker-merge", args=[story["speaker"].slug])
    for name in ("Jens Stoltenberg", "Nobody At All"):
        editor_client.post(merge, {"speaker": name})
    assert Speaker.objects.filter(pk=story["speaker"].pk).exists()


def _union_story(outlet: str, text: str, words: str):
    article = ingest_article(outlet=outlet, title="Pay", text=text, enqueue=False).article
    return pipeline.save_findings(article.pk, [_wire_finding(text, words)], 0)


def test_what_the_union_stands_for_once_corrected_is_used_next_time(editor_client):
    first = _union_story("Leeds Echo", WIRE, SAID)
    unison = Speaker.objects.create(name="Unison", slug="unison", type="organisation")
    _correct(
        editor_client, first.versions.get(text=SAID), action="speaker", speaker="Unison", scope="version"
    )
    assert unison.aliases.filter(normalized="the union").exists()

    later = "Unison met Helen Okafor on Friday. “The offer is still not good enough,” the union said."
    beside_unison = _union_story("Yorkshire Post", later, "The offer is still not good enough")
    assert beside_unison.versions.get().speaker == unison
    elsewhere = "Helen Okafor met the GMB. “The offer is still far too low for us,” the union said."
    without_unison = _union_story("Hull Daily", elsewhere, "The offer is still far too low for us")
    assert without_unison.versions.get().speaker.name == "Helen Okafor"


def test_a_correction_of_a_pronoun_or_a_name_teaches_no_alias(story):
    from quotes import corrections

    rutte = Speaker.objects.create(name="Mark Rutte", slug="mark-rutte")
    paraphrase = story["paraphrase"].versions.get()  # "He said …"
    corrections.correct_speaker(paraphrase, rutte)
    direct = story["direct"].versions.first()
    direct.speaker_mention = "Stoltenberg"
    direct.save()
    corrections.correct_speaker(direct, rutte)
    assert set(rutte.aliases.values_list("normalized", flat=True)) == set()


def test_belongs_with_offers_similar_words_by_any_speaker_first(editor_client, story):
    rutte = Speaker.objects.create(name="Mark Rutte", slug="mark-rutte")
    words = "The alliance will stay united whatever Moscow tries next"
    elsewhere = make_article(story["wire"], f"“{words},” Rutte said.", None, title="Elsewhere")
    similar = Family.objects.create(text=words, speaker=rutte, first_seen=story["first"].published)
    make_version(elsewhere, similar, words, "direct")
    index_family(similar)  # as the pipeline's write indexes a family
    paraphrase = story["paraphrase"].versions.get()  # "the alliance would stay united", Stoltenberg's
    options = editor_client.get(reverse("quotes:occurrence-families", args=[paraphrase.pk])).content.decode()
    assert f'<option value="{similar.pk}">Mark Rutte: {words}</option>' in options
    assert options.index(f'value="{similar.pk}"') < options.index(f'value="{story["direct"].pk}"')
    _correct(editor_client, paraphrase, action="family", family=similar.pk)
    assert Version.objects.get(pk=paraphrase.pk).family == similar


def test_a_corrected_attribution_is_noted_as_an_editors_not_as_the_machines_reading(editor_client):
    first = _wire_story("Leeds Echo")
    said = first.versions.get(text=SAID)
    assert said.attribution_note == "attributed from “the union”, low confidence"
    Speaker.objects.create(name="Unison", slug="unison", type="organisation")
    _correct(editor_client, said, action="speaker", speaker="Unison", scope="family")
    # The same statement read again, in an upload of the article and from another outlet.
    reread = _wire_story("Leeds Echo", "Updated at 6pm.\n\n" + WIRE)
    second = _wire_story("Yorkshire Post")
    for article in (first, reread, second):
        version = Version.objects.get(article=article, text=SAID)
        assert version.attribution_note == "attributed by an editor"
    page = editor_client.get(first.get_absolute_url()).content.decode()
    assert "(attributed by an editor)" in page


def test_two_speakers_merged_make_their_families_of_one_statement_one(editor_client, story):
    from quotes.families.store import index_family

    stoltenberg, family = story["speaker"], story["direct"]  # "Trust has been destroyed,": two outlets
    index_family(family)
    twin = Speaker.objects.create(name="J. Stoltenberg", slug="j-stoltenberg")
    twin.aliases.create(name="J. Stoltenberg", normalized="j stoltenberg")
    fuller = "Trust has been destroyed, and it will take years to rebuild it"
    other = "The alliance will meet again in Vilnius next summer"
    article = make_article(story["wire"], f"“{fuller},” he said. “{other},” he added.", None, title="Later")
    twins = [Family.objects.create(text=words, speaker=twin, first_seen=story["first"].published)
             for words in (fuller, other)]  # fmt: skip
    for made in twins:
        make_version(article, made, made.text, "direct")
        index_family(made)

    editor_client.post(
        reverse("quotes:speaker-merge", args=[stoltenberg.slug]), {"speaker": "J. Stoltenberg"}
    )
    assert set(Family.objects.filter(speaker=stoltenberg).values_list("pk", flat=True)) == {
        family.pk,
        story["paraphrase"].pk,
        twins[1].pk,
    }
    family.refresh_from_db()
    assert family.text == fuller and family.versions.count() == 3  # the fuller words are its text
    assert set(family.versions.values_list("relation", flat=True)) == {"verbatim", "fragment"}
    response = Client().get(twins[0].get_absolute_url())
    assert response.status_code == 301 and response["Location"] == family.get_absolute_url()


def test_a_speaker_an_editor_decided_counts_as_a_confident_attribution(editor_client):
    said = _wire_story("Leeds Echo").versions.get(text=SAID)  # read with low confidence
    search, shown = {"q": "ballot", "confident": "on"}, "every member on the offer before Christmas"
    assert shown not in editor_client.get(reverse("quotes:search"), search).content.decode()
    Speaker.objects.create(name="Unison", slug="unison", type="organisation")
    _correct(editor_client, said, action="speaker", speaker="Unison", scope="family")
    assert shown in editor_client.get(reverse("quotes:search"), search).content.decode()
