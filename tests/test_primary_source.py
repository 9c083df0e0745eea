"""A family's primary source: attached by an editor, shown to everyone, and what
each version's diff and stored flags are against (its passage of the source)."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from quotes.corrections import correct_family
from quotes.families import passages, primary
from quotes.models import Family, PrimarySource, Version
from tests.factories import FAITHFUL, NOT_DROPPED, SENTENCE, TRANSCRIPT, direct_version, nato_story

pytestmark = pytest.mark.django_db

# The three outlets' versions the stored-flags tests use: faithful, "not" dropped, reworded.

UNRELATED = "The harbour of Tromsø will be dredged next spring, the council's engineers told residents."


def _attach_url(family: Family) -> str:
    return reverse("quotes:primary-source-attach", args=[family.pk])


def _form(**values) -> dict:
    data = {
        "kind": "transcript",
        "text": TRANSCRIPT,
        "url": "https://www.nato.int/transcript",
        "date": "2022-12-12",
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def test_visitors_see_no_form_and_cannot_attach(client, carried):
    family = direct_version(carried[0]).family
    html = client.get(family.get_absolute_url()).content.decode()
    assert "Attach the primary source" not in html and 'id="primary-source"' not in html
    response = client.post(_attach_url(family), _form())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    User.objects.create_user("reader", password="a-long-reader-password")
    client.login(username="reader", password="a-long-reader-password")
    assert client.post(_attach_url(family), _form()).status_code == 403
    assert client.post(reverse("quotes:primary-source-remove", args=[family.pk])).status_code == 403
    assert not PrimarySource.objects.exists()


def test_an_editor_attaches_a_transcript_and_the_versions_are_compared_with_it(editor_client, carried):
    first, changed, reworded = carried
    family = direct_version(first).family
    canonical = family.text
    assert "Attach the primary source" in editor_client.get(family.get_absolute_url()).content.decode()
    response = editor_client.post(_attach_url(family), _form())
    assert response.status_code == 302 and response["Location"].endswith("#primary-source")
    source = PrimarySource.objects.get()
    assert (source.family, source.kind, source.attached_by.username) == (family, "transcript", "editor")
    # Every outlet left out the "unless …" the speaker said: against the source, each cut a qualifier.
    assert direct_version(first).meaning_flags == [
        {"type": "qualifier", "before": "unless Russia changes course", "after": ""}
    ]
    assert {flag["type"] for flag in direct_version(changed).meaning_flags} == {"negation", "qualifier"}
    version = direct_version(first)
    assert TRANSCRIPT[version.passage_start : version.passage_end] == SENTENCE
    assert Family.objects.get(pk=family.pk).text == canonical  # matching's text stays as it is

    html = Client().get(family.get_absolute_url()).content.decode()  # a visitor
    assert (
        'id="primary-source"' in html and "Transcript" in html and "https://www.nato.int/transcript" in html
    )
    assert "attached by editor" in html and "12 December 2022" in html
    assert "compared with <strong>its passage of this source</strong>" in html
    assert html.count("Compared with the primary source:") == 3 and SENTENCE in html
    assert "cut a qualifier" in html and "dropped &#x27;not&#x27;" in html
    assert "Attach the primary source" not in html and "Remove the primary source" not in html


def test_a_version_not_in_the_source_is_said_to_be_so(editor_client, client, carried):
    family = direct_version(carried[0]).family
    editor_client.post(_attach_url(family), _form(text=UNRELATED, kind="press_release"))
    assert direct_version(carried[1]).meaning_flags == [
        {"type": "not_in_source", "before": "", "after": direct_version(carried[1]).text}
    ]
    assert direct_version(carried[1]).passage_start is None
    html = client.get(family.get_absolute_url()).content.decode()
    assert html.count('<strong class="not-in-source">Not in the primary source</strong>') == 3
    assert "3 versions not in the primary source" in html
    api = client.get(reverse("quotes:api-quotes"), {"speaker": "Stoltenberg"}).json()
    [listed] = [q for q in api["results"] if q["id"] == family.pk]
    assert listed["primary_source"]["kind"] == "press_release"
    assert {(o["compared_with"], o["in_source"], o["source_passage"]) for o in listed["occurrences"]} == {
        ("primary_source", False, None)
    }
    assert listed["occurrences"][0]["meaning_flags"][0]["label"] == "not in the primary source"


def test_the_api_gives_the_source_and_each_versions_basis(editor_client, client, carried):
    family = direct_version(carried[0]).family
    before = client.get(reverse("quotes:api-article", args=[carried[0].pk])).json()["occurrences"][0]
    assert (before["compared_with"], before["in_source"], before["source_passage"]) == (
        "canonical_text",
        None,
        None,
    )
    editor_client.post(_attach_url(family), _form())
    data = client.get(reverse("quotes:api-quotes"), {"speaker": "Stoltenberg"}).json()
    [listed] = [q for q in data["results"] if q["id"] == family.pk]
    assert listed["primary_source"] == {
        "kind": "transcript",
        "kind_label": "Transcript",
        "url": "https://www.nato.int/transcript",
        "date": "2022-12-12",
        "attached_by": "editor",
        "attached_at": listed["primary_source"]["attached_at"],
        "file_name": None,
        "words": len(TRANSCRIPT.split()),
    }
    for version in listed["occurrences"]:
        assert (version["compared_with"], version["in_source"]) == ("primary_source", True)
        assert version["source_passage"] == SENTENCE
    article = client.get(reverse("quotes:api-article", args=[carried[1].pk])).json()["occurrences"][0]
    assert article["compared_with"] == "primary_source" and article["source_passage"] == SENTENCE


def test_check_compares_the_pasted_wording_with_the_source(editor_client, client, carried):
    family = direct_version(carried[0]).family
    api = reverse("quotes:api-check")
    pasted = "We will not return to a normal, friendly relationship with Russia after this war"
    [unsourced] = [m for m in client.get(api, {"text": pasted}).json()["results"] if m["id"] == family.pk]
    assert (unsourced["compared_with"], unsourced["primary_source"], unsourced["flags"]) == (
        "canonical_text",
        None,
        [],
    )
    editor_client.post(_attach_url(family), _form())
    [match] = [m for m in client.get(api, {"text": pasted}).json()["results"] if m["id"] == family.pk]
    assert (match["compared_with"], match["in_source"], match["source_passage"]) == (
        "primary_source",
        True,
        SENTENCE,
    )
    assert match["primary_source"]["url"] == "https://www.nato.int/transcript"
    assert [flag["type"] for flag in match["flags"]] == ["qualifier"]
    html = client.get(reverse("quotes:check"), {"text": pasted}).content.decode()
    assert "Compared with the primary source (transcript, 12 Dec 2022):" in html and "cut a qualifier" in html


@pytest.mark.parametrize(
    ("values", "files", "error"),
    [
        ({"text": ""}, {}, "Paste the source&#x27;s text or upload it: it is empty."),
        ({"text": "   "}, {}, "Paste the source&#x27;s text or upload it: it is empty."),
        (
            {},
            {"file": ("notes.pdf", b"%PDF-1.4 words")},
            "Only .txt files and .vtt or .srt captions can be uploaded.",
        ),
        (
            {"text": ""},
            {"file": ("empty.vtt", b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n\n")},
            "The file has no text.",
        ),
        ({}, {"file": ("t.txt", b"words")}, "Paste the text or upload a file, not both."),
        ({"text": ""}, {"file": ("late.txt", b"words " * 2000 + b"\x00")}, "This file is not text"),
        ({"url": "not a web address"}, {}, "Enter a valid URL."),
        ({"url": None}, {}, "This field is required."),
        ({"date": (timezone.localdate() + timedelta(days=2)).isoformat()}, {}, "The date is in the future."),
        ({"kind": "rumour"}, {}, "Select a valid choice."),
    ],
)
def test_the_form_says_what_is_wrong(editor_client, carried, values, files, error):
    family = direct_version(carried[0]).family
    data = _form(**values)
    for name, (file_name, content) in files.items():
        data[name] = SimpleUploadedFile(file_name, content)
    response = editor_client.post(_attach_url(family), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html and '<details class="source-form" open>' in html
    assert not PrimarySource.objects.exists()
    assert direct_version(carried[0]).meaning_flags == []


@override_settings(MAX_UPLOAD_BYTES=1000)
def test_an_oversized_file_or_text_is_refused(editor_client, carried):
    family = direct_version(carried[0]).family
    big = SimpleUploadedFile("long.txt", b"word " * 400)
    response = editor_client.post(_attach_url(family), _form(text="", file=big))
    assert response.status_code == 400 and "The file is larger than the" in response.content.decode()
    response = editor_client.post(_attach_url(family), _form(text="word " * 400))
    assert response.status_code == 400 and "The text is larger than the" in response.content.decode()
    assert not PrimarySource.objects.exists()


def test_control_characters_are_taken_out_of_a_pasted_source(editor_client, carried):
    family = direct_version(carried[0]).family
    response = editor_client.post(_attach_url(family), _form(text=TRANSCRIPT.replace("war", "war\x01")))
    assert response.status_code == 302
    assert PrimarySource.objects.get().text == TRANSCRIPT


def test_caption_files_are_stored_as_plain_text(editor_client, carried):
    family = direct_version(carried[0]).family
    captions = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n"
        "We will not return to a normal, friendly relationship\n\n"
        "2\n00:00:04.000 --> 00:00:08.000\nwith Russia after this war unless Russia changes course.\n"
    )
    upload = SimpleUploadedFile("press-conference.vtt", captions.encode())
    response = editor_client.post(_attach_url(family), _form(text="", kind="captions", file=upload))
    assert response.status_code == 302
    source = PrimarySource.objects.get()
    assert source.text == SENTENCE and source.file_name == "press-conference.vtt"
    assert direct_version(carried[0]).meaning_flags[0]["type"] == "qualifier"


def test_replacing_keeps_the_old_source_on_record_and_compares_again(editor_client, carried):
    family = direct_version(carried[0]).family
    editor_client.post(_attach_url(family), _form(text=UNRELATED))
    assert direct_version(carried[0]).meaning_flags[0]["type"] == "not_in_source"
    assert "Replace the primary source" in editor_client.get(family.get_absolute_url()).content.decode()
    editor_client.post(_attach_url(family), _form())
    old, new = PrimarySource.objects.order_by("pk")
    assert (old.retired_at is not None, old.retired_by.username, old.replaced_by) == (True, "editor", new)
    assert new.is_current and primary.current_source(family) == new
    assert direct_version(carried[0]).meaning_flags[0]["type"] == "qualifier"


def test_removing_the_source_compares_with_the_quote_text_again(editor_client, carried):
    family = direct_version(carried[0]).family
    editor_client.post(_attach_url(family), _form())
    assert "Remove the primary source" in editor_client.get(family.get_absolute_url()).content.decode()
    response = editor_client.post(reverse("quotes:primary-source-remove", args=[family.pk]))
    assert response.status_code == 302
    assert primary.current_source(family) is None and PrimarySource.objects.get().retired_at is not None
    assert direct_version(carried[0]).meaning_flags == [] and direct_version(carried[0]).passage_start is None
    assert direct_version(carried[1]).meaning_flags == [
        {"type": "negation", "before": "will not return", "after": "will return"}
    ]
    assert 'id="primary-source"' not in Client().get(family.get_absolute_url()).content.decode()


def test_a_new_version_joining_a_family_with_a_source_is_compared_with_it():
    first = nato_story("Reuters", FAITHFUL, date(2022, 12, 12))
    family = direct_version(first).family
    primary.attach_source(
        family, kind="transcript", text=TRANSCRIPT, url="https://nato.int/t", when=date(2022, 12, 12)
    )
    changed = nato_story("Daily Spin", NOT_DROPPED, date(2022, 12, 13))
    assert direct_version(changed).family == family
    # Against the canonical text only the "not" would be flagged; the source has the "unless …" too.
    assert {flag["type"] for flag in direct_version(changed).meaning_flags} == {"negation", "qualifier"}
    assert TRANSCRIPT[direct_version(changed).passage_start : direct_version(changed).passage_end] == SENTENCE


def test_a_version_moved_into_a_family_with_a_source_is_compared_with_it(carried):
    family = direct_version(carried[0]).family
    other = nato_story(
        "Other Times",
        "“Allies will spend 3 percent of GDP on defence,” Jens Stoltenberg said.",
        date(2022, 12, 15),
    )
    primary.attach_source(
        family, kind="transcript", text=TRANSCRIPT, url="https://nato.int/t", when=date(2022, 12, 12)
    )
    correct_family(direct_version(other), family)
    moved = Version.objects.get(pk=direct_version(other).pk)
    assert [flag["type"] for flag in moved.meaning_flags] == ["number"]
    assert (
        TRANSCRIPT[moved.passage_start : moved.passage_end]
        == "Allies will spend at least 2 percent of GDP on defence."
    )


def test_search_export_lists_each_versions_flags(client, carried):
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    reverse("quotes:search"), {"speaker": "Stoltenberg", "format": "csv"}
                ).content.decode()
            )
        )
    )
    labels = {row["outlet"]: row["meaning_flags"] for row in rows}
    assert labels["Daily Spin"] == "dropped 'not'" and labels["Reuters"] == "" and labels["Wire Copy"] == ""
    family = direct_version(carried[0]).family
    primary.attach_source(
        family, kind="transcript", text=TRANSCRIPT, url="https://nato.int/t", when=date(2022, 12, 12)
    )
    rows = csv.DictReader(
        io.StringIO(
            client.get(reverse("quotes:search"), {"speaker": "Stoltenberg", "format": "csv"}).content.decode()
        )
    )
    labels = {row["outlet"]: row["meaning_flags"] for row in rows}
    assert labels["Daily Spin"] == "dropped 'not'; cut a qualifier"


@pytest.mark.django_db(transaction=True)
def test_the_migration_lets_an_existing_editors_group_attach_sources(migration_step):
    step = migration_step("0013_article_published_inferred", "0014_primary_source")
    group = step.apps.get_model("auth", "Group").objects.create(name="editors")
    step.forward()
    granted = step.apps.get_model("auth", "Group").objects.get(pk=group.pk).permissions
    codenames = set(granted.values_list("codename", flat=True))
    assert "add_primarysource" in codenames


def test_extracting_the_only_article_again_keeps_the_family_and_its_source():
    first = nato_story("Reuters", FAITHFUL, date(2022, 12, 12))
    family = direct_version(first).family
    primary.attach_source(
        family, kind="transcript", text=TRANSCRIPT, url="https://nato.int/t", when=date(2022, 12, 12)
    )
    from quotes import pipeline

    pipeline.process_article(first.pk)
    again = direct_version(first)
    assert again.family_id == family.pk and primary.current_source(family) is not None
    assert again.meaning_flags == [
        {"type": "qualifier", "before": "unless Russia changes course", "after": ""}
    ]


def test_the_admin_shows_the_record_of_sources_but_changes_none(client, carried):
    family = direct_version(carried[0]).family
    primary.attach_source(
        family, kind="transcript", text=TRANSCRIPT, url="https://nato.int/t", when=date(2022, 12, 12)
    )
    primary.remove_source(family)
    User.objects.create_superuser("admin", password="a-long-admin-password")
    client.login(username="admin", password="a-long-admin-password")
    listing = client.get(reverse("admin:quotes_primarysource_changelist"))
    assert listing.status_code == 200 and "Transcript" in listing.content.decode()
    source = PrimarySource.objects.get()
    assert client.get(reverse("admin:quotes_primarysource_add")).status_code == 403
    client.post(reverse("admin:quotes_primarysource_delete", args=[source.pk]), {"post": "yes"})
    assert PrimarySource.objects.filter(pk=source.pk).exists()


def test_search_for_changed_versions_finds_one_not_in_the_source():
    first = nato_story("Reuters", FAITHFUL, date(2022, 12, 12))
    family = direct_version(first).family
    search = reverse("quotes:search")
    assert list(Client().get(search, {"changed": "on"}).context["page"]) == []
    primary.attach_source(
        family, kind="statement", text=UNRELATED, url="https://nato.int/s", when=date(2022, 12, 12)
    )
    assert [q.pk for q in Client().get(search, {"changed": "on"}).context["page"]] == [family.pk]


def test_check_prepares_the_source_once_and_never_answers_from_a_replaced_one(
    editor_client, client, carried, monkeypatch
):
    family = direct_version(carried[0]).family
    api = reverse("quotes:api-check")
    pasted = "We will not return to a normal, friendly relationship with Russia after this war"
    editor_client.post(_attach_url(family), _form())
    prepared = []

    class Counted(passages.PreparedSource):
        def __init__(self, text: str) -> None:
            prepared.append(text)
            super().__init__(text)

    monkeypatch.setattr(passages, "PreparedSource", Counted)
    monkeypatch.setattr(passages, "_cache", type(passages._cache)())

    def checked() -> dict:
        [match] = [m for m in client.get(api, {"text": pasted}).json()["results"] if m["id"] == family.pk]
        return match

    assert [checked()["source_passage"] for _ in range(3)] == [SENTENCE] * 3
    assert prepared == [TRANSCRIPT]  # once, not once a request
    editor_client.post(_attach_url(family), _form(text=UNRELATED))
    assert (checked()["in_source"], checked()["source_passage"]) == (False, None)
    # Even a source whose text is changed in place is prepared again.
    PrimarySource.objects.filter(retired_at__isnull=True).update(text=f"Good evening. {SENTENCE}")
    assert checked()["source_passage"] == SENTENCE
    assert prepared == [TRANSCRIPT, UNRELATED, f"Good evening. {SENTENCE}"]


def test_a_long_source_is_not_on_the_quote_page_but_on_its_own(client, carried):
    family = direct_version(carried[0]).family
    filler = "".join(
        f"Item {n}: the committee went through the harbour budget line by line.\n\n" for n in range(15000)
    )
    text = f"{TRANSCRIPT}\n\n{filler}The last words of the transcript."
    assert len(text) > 1_000_000
    primary.attach_source(
        family, kind="transcript", text=text, url="https://www.nato.int/t", when=date(2022, 12, 12)
    )
    response = client.get(family.get_absolute_url())
    html = response.content.decode()
    assert len(response.content) < 40_000
    assert "Item 14999" not in html and "The last words of the transcript" not in html
    assert "Thank you all for coming to this press conference." in html  # its opening
    page = reverse("quotes:primary-source", args=[family.pk])
    assert f'href="{page}"' in html and f"{len(text):,} characters" in html
    first, changed, _ = (direct_version(article) for article in carried)
    # Each version's passage is on the quote page, linked to its place in the whole text.
    assert html.count("Compared with the primary source:") == 3 and SENTENCE in html
    assert f'href="{page}#passage-{changed.pk}"' in html

    source_page = client.get(page).content.decode()
    assert "Item 14999" in source_page and "The last words of the transcript." in source_page
    for version in (first, changed):
        assert f'id="passage-{version.pk}"' in source_page
    # One sentence carried by three outlets: one highlight, naming them.
    outlets = "Reuters, Daily Spin, Wire Copy"
    marked = f'<mark class="source-passage-mark" title="The passage of {outlets}">{SENTENCE}</mark>'
    assert source_page.count("<mark") == 1 and marked in source_page


def test_the_source_page_of_a_quote_without_one_is_not_found(client, carried):
    family = direct_version(carried[0]).family
    assert client.get(reverse("quotes:primary-source", args=[family.pk])).status_code == 404
    primary.attach_source(
        family, kind="transcript", text=TRANSCRIPT, url="https://www.nato.int/t", when=date(2022, 12, 12)
    )
    primary.remove_source(family)
    assert client.get(reverse("quotes:primary-source", args=[family.pk])).status_code == 404


def test_each_versions_relation_is_against_its_passage_of_the_source(client, carried):
    first, changed, reworded = carried
    family = direct_version(first).family
    said = f"Good morning. {direct_version(first).text}. Thank you."
    api = reverse("quotes:api-quotes")

    def relations() -> list[tuple[str | None, str]]:
        [listed] = [
            q for q in client.get(api, {"speaker": "Stoltenberg"}).json()["results"] if q["id"] == family.pk
        ]
        by_text = {o["text"]: (o["relation"], o["relation_to_canonical"]) for o in listed["occurrences"]}
        return [by_text[direct_version(article).text] for article in carried]

    assert relations() == [("verbatim", "verbatim"), ("variant", "variant"), ("variant", "variant")]
    # The speaker said more than the outlets printed: each version is an excerpt of what was said.
    primary.attach_source(
        family, kind="transcript", text=TRANSCRIPT, url="https://www.nato.int/t", when=date(2022, 12, 12)
    )
    assert relations() == [("fragment", "verbatim"), ("variant", "variant"), ("variant", "variant")]
    html = client.get(family.get_absolute_url()).content.decode()
    assert html.count("against its passage of the primary source") == 3
    assert '<span class="relation relation-fragment">Fragment</span>' in html
    assert '<span class="relation relation-verbatim">' not in html

    primary.attach_source(
        family, kind="transcript", text=said, url="https://www.nato.int/t", when=date(2022, 12, 12)
    )
    assert relations()[0] == ("verbatim", "verbatim")
    primary.attach_source(
        family, kind="statement", text=UNRELATED, url="https://www.nato.int/t", when=date(2022, 12, 12)
    )
    assert relations() == [(None, "verbatim"), (None, "variant"), (None, "variant")]
    html = client.get(family.get_absolute_url()).content.decode()
    assert 'class="relation ' not in html  # not in the source: no relation to it to speak of

    check = client.get(reverse("quotes:api-check"), {"text": direct_version(first).text}).json()["results"]
    [match] = [m for m in check if m["id"] == family.pk]
    assert (match["closeness"], match["closeness_to_canonical"], match["in_source"]) == (
        None,
        "verbatim",
        False,
    )
    primary.attach_source(
        family, kind="transcript", text=TRANSCRIPT, url="https://www.nato.int/t", when=date(2022, 12, 12)
    )
    check = client.get(reverse("quotes:api-check"), {"text": direct_version(first).text}).json()["results"]
    [match] = [m for m in check if m["id"] == family.pk]
    assert (match["closeness"], match["closeness_to_canonical"]) == ("fragment", "verbatim")
    html = client.get(reverse("quotes:check"), {"text": direct_version(first).text}).content.decode()
    assert "Fragment: your wording is an excerpt of the primary source" in html


def test_a_source_attached_while_a_version_is_written_is_what_the_version_is_compared_with(monkeypatch):
    # The write compares its versions before it takes the placement lock; a source attached
    # between that and the lock is seen under the lock, and the versions compared with it.
    from quotes.families.store import FamilyStore

    first = nato_story("Reuters", FAITHFUL, date(2022, 12, 12))
    family = direct_version(first).family
    is_current = FamilyStore.is_current

    def attached_meanwhile(store):
        if not PrimarySource.objects.exists():
            primary.attach_source(
                family, kind="transcript", text=TRANSCRIPT, url="https://nato.int/t", when=date(2022, 12, 12)
            )
        return is_current(store)

    monkeypatch.setattr(FamilyStore, "is_current", attached_meanwhile)
    changed = nato_story("Daily Spin", NOT_DROPPED, date(2022, 12, 13))
    assert direct_version(changed).family == family
    assert {flag["type"] for flag in direct_version(changed).meaning_flags} == {"negation", "qualifier"}
    assert TRANSCRIPT[direct_version(changed).passage_start : direct_version(changed).passage_end] == SENTENCE
