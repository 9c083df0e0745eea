"""Checking a quote: /check/ and /api/check/ find families through the pipeline's matcher."""

from datetime import date

import pytest
from django.urls import reverse

from quotes.families import store
from quotes.models import Article, Family, Outlet, Speaker, Version, normalize_name
from tests.factories import import_seed

pytestmark = pytest.mark.django_db

CHECK = reverse("quotes:check")
API = reverse("quotes:api-check")
DONE_WHEN = "Even if the fighting ends, we won't go back to a normal, friendly relationship with Russia"


def _family(text: str, speaker: Speaker | None, carriers: list[tuple[str, date]]) -> Family:
    family = Family.objects.create(
        text=text, speaker=speaker, fingerprint="", first_seen=min(d for _, d in carriers)
    )
    store.index_family(family)
    for number, (outlet, published) in enumerate(carriers):
        article = Article.objects.create(
            outlet=Outlet.for_name(outlet),
            title=f"Story {number}",
            text=f"“{text}”, {speaker.name if speaker else 'someone'} said.",
            published=published,
            content_hash=f"{family.pk}-{number}",
        )
        Version.objects.create(
            article=article,
            family=family,
            speaker=speaker,
            text=text,
            start=1,
            end=1 + len(text),
            kind="direct",
        )
    return family


@pytest.fixture
def held():
    scholz = Speaker.objects.create(name="Olaf Scholz", slug="olaf-scholz")
    putin = Speaker.objects.create(name="Vladimir Putin", slug="vladimir-putin")
    for speaker in (scholz, putin):
        speaker.aliases.create(name=speaker.name, normalized=normalize_name(speaker.name))
    sanctions = _family(
        "We will lift the sanctions on Russian banks once the troops have left all of the occupied regions",
        scholz,
        [("Reuters", date(2022, 12, 2)), ("Der Spiegel", date(2022, 12, 1)), ("Reuters", date(2022, 12, 5))],
    )
    process = _family(
        "The special military operation could be a long process that takes many years to finish",
        putin,
        [("TASS", date(2022, 12, 7))],
    )
    return sanctions, process


def test_a_reworded_quote_finds_its_family_with_first_outlet_and_outlet_count(client, held):
    sanctions, _ = held
    text = "We will lift sanctions on the Russian banks once troops have left all the occupied regions"
    response = client.get(API, {"text": text})
    assert response.status_code == 200
    data = response.json()
    assert data["matched"] is True and data["message"] is None
    [best] = data["results"]
    assert best["id"] == sanctions.pk
    assert best["speaker"] == {"name": "Olaf Scholz", "slug": "olaf-scholz"}
    assert best["first_carried_by"]["outlet"] == "Der Spiegel"
    assert best["first_carried_by"]["published"] == "2022-12-01"
    assert best["outlet_count"] == 2
    assert best["closeness"] == "variant"
    assert best["diff"][0] == ["equal", "We will lift"]
    assert best["flags"] == []


def test_verbatim_and_fragment_closeness(client, held):
    sanctions, _ = held
    verbatim = client.get(API, {"text": sanctions.text.upper()}).json()["results"][0]
    assert (verbatim["closeness"], verbatim["diff"]) == ("verbatim", None)
    fragment = client.get(API, {"text": "lift the sanctions on Russian banks"}).json()["results"][0]
    assert (fragment["id"], fragment["closeness"]) == (sanctions.pk, "fragment")


def test_a_version_that_drops_not_or_changes_a_number_is_flagged(client):
    stoltenberg = Speaker.objects.create(name="Jens Stoltenberg", slug="jens-stoltenberg")
    _family(
        "We will not send more than 300 soldiers to the eastern flank before the summit in Vilnius",
        stoltenberg,
        [("NRK", date(2023, 5, 2))],
    )
    text = "We will send more than 3000 soldiers to the eastern flank before the summit in Vilnius"
    [result] = client.get(API, {"text": text}).json()["results"]
    assert {flag["label"] for flag in result["flags"]} == {"dropped 'not'", "changed a number"}
    html = client.get(CHECK, {"text": text}).content.decode()
    assert "Changes the meaning" in html and "dropped &#x27;not&#x27;" in html and "changed a number" in html


def test_no_match_is_said_plainly(client, held):
    data = client.get(API, {"text": "The weather in Brussels was cold and wet on Monday"}).json()
    assert data == {
        "text": "The weather in Brussels was cold and wet on Monday",
        "speaker": None,
        "matched": False,
        "message": "No match: no quote we hold says this, in these or other words.",
        "results": [],
        "said_by_someone_else": [],
    }
    html = client.get(CHECK, {"text": "The weather in Brussels was cold and wet on Monday"}).content.decode()
    assert "<strong>No match.</strong>" in html


def test_speaker_narrows_the_matches(client, held):
    sanctions, _ = held
    text = "lift the sanctions on Russian banks once the troops have left"
    assert [r["id"] for r in client.get(API, {"text": text, "speaker": "Scholz"}).json()["results"]] == [
        sanctions.pk
    ]
    assert client.get(API, {"text": text, "speaker": "Putin"}).json()["results"] == []


def test_missing_text_is_a_bad_request(client):
    response = client.get(API)
    assert response.status_code == 400
    assert "text" in response.json()["errors"]


def test_check_page_is_linked_from_every_page_and_shows_the_form(client):
    home = client.get(reverse("quotes:home")).content.decode()
    assert f'href="{CHECK}"' in home
    page = client.get(CHECK)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="text"' in html and "No match" not in html


def test_done_when_quote_finds_stoltenberg_on_the_seeds(client):
    for prefix in ("000", "001"):
        import_seed(prefix)
    html = client.get(CHECK, {"text": DONE_WHEN}).content.decode()
    assert "Jens Stoltenberg" in html
    [best, *_] = client.get(API, {"text": DONE_WHEN}).json()["results"]
    assert best["speaker"]["name"] == "Jens Stoltenberg"
    assert "Trust has been destroyed" in best["text"]
    assert best["first_carried_by"]["outlet"] == "USAWorld News"
    assert best["outlet_count"] == 2
    assert best["closeness"] == "variant"
    assert best["flags"] == []  # reworded, not changed


def test_a_real_quote_with_the_wrong_speaker_is_found_as_said_by_someone_else(client, held):
    sanctions, _ = held
    text = "lift the sanctions on Russian banks once the troops have left"
    data = client.get(API, {"text": text, "speaker": "Vladimir Putin"}).json()
    assert data["matched"] is False and data["results"] == []
    assert data["message"] == "Found — said by Olaf Scholz, not Vladimir Putin."
    assert [r["id"] for r in data["said_by_someone_else"]] == [sanctions.pk]
    assert data["said_by_someone_else"][0]["speaker"]["name"] == "Olaf Scholz"
    html = client.get(CHECK, {"text": text, "speaker": "Vladimir Putin"}).content.decode()
    assert "Found — said by Olaf Scholz, not Vladimir Putin." in html
    assert sanctions.get_absolute_url() in html and "No match" not in html


def test_the_right_speaker_finds_no_one_else(client, held):
    text = "lift the sanctions on Russian banks once the troops have left"
    data = client.get(API, {"text": text, "speaker": "Scholz"}).json()
    assert data["matched"] is True and data["said_by_someone_else"] == [] and data["message"] is None
