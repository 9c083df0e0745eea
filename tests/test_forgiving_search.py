"""Search forgives: misspelled speakers with a "did you mean", phrases, roles, and a
confidence filter, on PostgreSQL and on the SQLite code path (``_on_postgres`` off)."""

import pytest
from django.urls import reverse

from quotes import models

pytestmark = pytest.mark.django_db

SEARCH = reverse("quotes:search")


@pytest.fixture(params=["database", "sqlite-path"])
def engine(request, monkeypatch):
    """Each test runs with the database's own search and with the one SQLite uses."""
    if request.param == "sqlite-path":
        monkeypatch.setattr(models, "_on_postgres", lambda: False)
    return request.param


def texts(response) -> list[str]:
    return [family.text for family in response.context["page"]]


def test_a_misspelled_speaker_is_found_and_the_page_says_whom_it_means(client, story, engine):
    response = client.get(SEARCH, {"speaker": "Jens Stoltenburg"})
    assert "Trust has been destroyed," in texts(response)
    html = response.content.decode()
    assert 'Did you mean <a href="?speaker=Jens+Stoltenberg">Jens Stoltenberg</a>?' in html


def test_a_name_as_written_gets_no_did_you_mean(client, story, engine):
    assert "Did you mean" not in client.get(SEARCH, {"speaker": "Stoltenberg"}).content.decode()


def test_a_name_like_nobody_finds_nothing(client, story, engine):
    response = client.get(SEARCH, {"speaker": "Angela Merkel"})
    assert texts(response) == [] and "Did you mean" not in response.content.decode()


def test_a_quoted_phrase_must_appear_as_written(client, story, engine):
    assert texts(client.get(SEARCH, {"q": '"has been destroyed"'})) == ["Trust has been destroyed,"]
    assert texts(client.get(SEARCH, {"q": '"destroyed trust"'})) == []


def test_a_role_finds_the_people_who_held_it(client, story, engine):
    story["speaker"].roles.create(title="NATO chief", normalized="nato chief")
    assert "Trust has been destroyed," in texts(client.get(SEARCH, {"speaker": "NATO chief"}))


def test_search_can_keep_only_confident_attributions(client, story, engine):
    everything = texts(client.get(SEARCH, {"speaker": "Stoltenberg"}))
    confident = texts(client.get(SEARCH, {"speaker": "Stoltenberg", "confident": "on"}))
    assert "the alliance would stay united" in everything
    assert confident == ["Trust has been destroyed,"]
