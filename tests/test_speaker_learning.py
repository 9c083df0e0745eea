"""What a speaker's record learns from attributions: only what a sure attribution that
names the speaker teaches; an editor's correction or removal takes a wrong lesson back."""

from datetime import date

import pytest
from django.urls import reverse

from quotes import corrections
from quotes.extraction import QuoteFinding, extract, load_model
from quotes.models import Family, Outlet, Speaker, SpeakerRemoval, normalize_name
from quotes.speakers import ArticleSpeakers
from quotes.words import FoundBy
from tests.factories import import_article, make_article, make_version

# The mayor speaks first; the councillor named before it is the one "the mayor" points at.
MAYOR_AND_COUNCILLOR = (
    "Leeds council will vote on the budget next week. Liberal Democrat finance spokesman Tom Hardy "
    "criticised the plan on Tuesday.\n\n"
    "“We will not raise council tax by more than 3 per cent this year,” the mayor said.\n\n"
    "“This is a budget of broken promises,” Hardy said. “The city deserves better.”"
)


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _finding(findings: list[QuoteFinding], fragment: str) -> QuoteFinding:
    return next(f for f in findings if fragment in f.text)


# --- how a speaker was found -----------------------------------------------------------------------
def test_each_finding_says_how_its_speaker_was_found(nlp):
    findings = extract(MAYOR_AND_COUNCILLOR + "\n\nHe added that the vote was rushed.", nlp)
    assert _finding(findings, "broken promises").speaker_found_by == FoundBy.NAME
    assert _finding(findings, "raise council tax").speaker_found_by == FoundBy.DESCRIPTION
    assert _finding(findings, "deserves better").speaker_found_by == FoundBy.INHERITED
    assert _finding(findings, "vote was rushed").speaker_found_by == FoundBy.PRONOUN


# --- what an article teaches -----------------------------------------------------------------------
def test_a_description_pointing_at_the_wrong_person_teaches_no_role(db):
    import_article(MAYOR_AND_COUNCILLOR, "Leeds Post")
    hardy = Speaker.objects.get(name="Tom Hardy")
    assert hardy.versions.filter(speaker_mention="the mayor").exists()  # the wrong attribution
    assert "mayor" not in set(hardy.roles.values_list("normalized", flat=True))


def test_searching_the_role_does_not_find_the_person_a_description_pointed_at(client, db):
    import_article(MAYOR_AND_COUNCILLOR, "Leeds Post")
    found = client.get(reverse("quotes:search"), {"speaker": "mayor"}).context["page"]
    assert not [family for family in found if family.speaker and family.speaker.name == "Tom Hardy"]


def _named(mention: str, confidence: float, found_by: str = FoundBy.NAME) -> QuoteFinding:
    return QuoteFinding(
        start=0,
        end=5,
        text="Hello",
        kind="direct",
        speaker="Tom Hardy",
        speaker_mention=mention,
        speaker_type="person",
        speaker_found_by=found_by,
        confidence=confidence,
    )


@pytest.mark.parametrize(
    ("confidence", "found_by"), [(0.6, FoundBy.NAME), (0.9, FoundBy.INHERITED), (0.9, FoundBy.PRONOUN)]
)
def test_an_unsure_or_unnamed_attribution_teaches_nothing(db, confidence, found_by):
    finding = _named("Mayor Tom Hardy", confidence, found_by)
    speakers = ArticleSpeakers([finding], date(2026, 1, 5))
    hardy = speakers.resolve(finding)
    speakers.save()
    assert not hardy.roles.exists()


def test_a_sure_named_attribution_teaches_its_role(db):
    finding = _named("Councillor Tom Hardy", 0.9)
    speakers = ArticleSpeakers([finding], date(2026, 1, 5))
    hardy = speakers.resolve(finding)
    speakers.save()
    assert list(hardy.roles.values_list("title", flat=True)) == ["Councillor"]


# --- corrections take the lesson back ---------------------------------------------------------------
@pytest.fixture
def wrongly_taught(db):
    """Tom Hardy, taught "mayor" and "Hardy" by a quote that was the mayor's, and "Hardy"
    again by a quote that was his."""
    hardy = Speaker.objects.create(name="Tom Hardy", slug="tom-hardy")
    for name in ("Tom Hardy", "Hardy"):
        hardy.aliases.create(name=name, normalized=normalize_name(name))
    for title in ("mayor", "councillor"):
        hardy.roles.create(title=title, normalized=title, first_seen=date(2026, 1, 5))
    outlet = Outlet.objects.create(name="Leeds Post", slug="leeds-post")
    article = make_article(
        outlet,
        "“Taxes stay,” Mayor Hardy said. “Broken promises,” Councillor Hardy said. “Shame,” Hardy said.",
        date(2026, 1, 5),
    )
    mayors = Family.objects.create(text="Taxes stay", speaker=hardy, first_seen=date(2026, 1, 5))
    his = Family.objects.create(text="Broken promises", speaker=hardy, first_seen=date(2026, 1, 5))
    wrong = make_version(
        article, mayors, "Taxes stay", "direct", speaker_mention="Mayor Hardy", confidence=0.9
    )
    make_version(
        article, his, "Broken promises", "direct", speaker_mention="Councillor Hardy", confidence=0.9
    )
    return hardy, wrong


def test_correcting_the_speaker_removes_what_the_wrong_attribution_taught(wrongly_taught):
    hardy, wrong = wrongly_taught
    mayor = Speaker.objects.create(name="Judith Blake", slug="judith-blake")
    corrections.correct_speaker(wrong, mayor)
    assert set(hardy.roles.values_list("normalized", flat=True)) == {"councillor"}
    # "Hardy" is still taught by his own quote, and his name is how he is found.
    assert set(hardy.aliases.values_list("normalized", flat=True)) == {"tom hardy", "hardy"}


def test_an_editor_removes_a_role_and_it_is_recorded(editor_client, wrongly_taught, editor):
    hardy, _ = wrongly_taught
    page = editor_client.get(hardy.get_absolute_url()).content.decode()
    assert 'aria-label="Remove role mayor"' in page
    response = editor_client.post(
        reverse("quotes:speaker-remove", args=[hardy.slug]), {"kind": "role", "normalized": "mayor"}
    )
    assert response.status_code == 302
    assert set(hardy.roles.values_list("normalized", flat=True)) == {"councillor"}
    removal = SpeakerRemoval.objects.get()
    assert (removal.kind, removal.name, removal.created_by) == ("role", "mayor", editor)
    assert (
        'aria-label="Remove role mayor"' not in editor_client.get(hardy.get_absolute_url()).content.decode()
    )


def test_an_editor_removes_an_alias_but_never_the_name(editor_client, wrongly_taught):
    hardy, _ = wrongly_taught
    remove = reverse("quotes:speaker-remove", args=[hardy.slug])
    editor_client.post(remove, {"kind": "alias", "normalized": "hardy"})
    editor_client.post(remove, {"kind": "alias", "normalized": "tom hardy"})
    assert list(hardy.aliases.values_list("normalized", flat=True)) == ["tom hardy"]


def test_a_reader_cannot_remove_a_role(client, wrongly_taught, django_user_model):
    hardy, _ = wrongly_taught
    remove = reverse("quotes:speaker-remove", args=[hardy.slug])
    assert 'aria-label="Remove role mayor"' not in client.get(hardy.get_absolute_url()).content.decode()
    client.post(remove, {"kind": "role", "normalized": "mayor"})
    client.force_login(django_user_model.objects.create_user("reader", password="a-long-reader-password"))
    assert client.post(remove, {"kind": "role", "normalized": "mayor"}).status_code == 403
    assert hardy.roles.filter(normalized="mayor").exists()
    assert not SpeakerRemoval.objects.exists()


def test_a_removed_role_is_not_taught_again(editor_client, wrongly_taught):
    hardy, _ = wrongly_taught
    remove = reverse("quotes:speaker-remove", args=[hardy.slug])
    editor_client.post(remove, {"kind": "role", "normalized": "councillor"})
    finding = _named("Councillor Tom Hardy", 0.9)
    speakers = ArticleSpeakers([finding], date(2026, 2, 1))
    speakers.resolve(finding)
    speakers.save()
    assert not hardy.roles.filter(normalized="councillor").exists()
