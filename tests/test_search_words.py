"""Search finds a word in any of its forms, and a speaker by a role with its place.

The same searches expect the same families on either database: ``make test-fast``
runs them on SQLite (the default install) and ``make test`` on PostgreSQL.
"""

from datetime import date

import pytest
from django.urls import reverse

from quotes.models import Family, Outlet, Speaker, normalize_name
from tests.factories import make_article, make_version

pytestmark = pytest.mark.django_db

SEARCH = reverse("quotes:search")

LIBRARIES = "We need more libraries in every district"
NEW_LIBRARY = "The council is building a new library in Headingley"
BUSES = "Buses will run later at weekends"
CLOSED = "Libraries closed early all winter"


def _speaker(name: str, *roles: str) -> Speaker:
    speaker = Speaker.objects.create(name=name, slug=normalize_name(name).replace(" ", "-"))
    for alias in (name, name.split()[-1]):
        speaker.aliases.create(name=alias, normalized=normalize_name(alias))
    for role in roles:
        speaker.roles.create(title=role, normalized=normalize_name(role))
    return speaker


@pytest.fixture
def leeds(db):
    """The mayor of Leeds (her role stored as "mayor") and a librarian elsewhere."""
    okafor = _speaker("Grace Okafor", "mayor")
    reid = _speaker("Tom Reid", "librarian")
    _speaker("Ann Hale", "mayor")  # another town's mayor, whose articles never say Leeds
    echo = Outlet.objects.create(name="Leeds Echo", slug="leeds-echo")
    article = make_article(
        echo,
        f"The mayor of Leeds, Grace Okafor, spoke on Monday. “{LIBRARIES},” she said. "
        f"“{NEW_LIBRARY},” Okafor added. “{BUSES},” she said.",
        date(2026, 11, 18),
    )
    other = make_article(echo, f"“{CLOSED},” said Tom Reid, a librarian in Bradford.", date(2026, 11, 19))
    for text, speaker, source in (
        (LIBRARIES, okafor, article),
        (NEW_LIBRARY, okafor, article),
        (BUSES, okafor, article),
        (CLOSED, reid, other),
    ):
        family = Family.objects.create(text=text, speaker=speaker, first_seen=source.published)
        make_version(source, family, text, "direct", cue="said", confidence=0.9)


SEARCHES = [
    ({"speaker": "okafor", "q": "library"}, {LIBRARIES, NEW_LIBRARY}),
    ({"q": "libraries"}, {LIBRARIES, NEW_LIBRARY, CLOSED}),
    ({"q": "builds"}, {NEW_LIBRARY}),
    ({"q": "running weekend"}, {BUSES}),
    ({"q": "closing"}, {CLOSED}),
    ({"q": '"new libraries"'}, {NEW_LIBRARY}),
    ({"q": "library buses"}, set()),
    ({"speaker": "the mayor of Leeds"}, {LIBRARIES, NEW_LIBRARY, BUSES}),
    ({"speaker": "The Mayor of Leeds", "q": "libraries"}, {LIBRARIES, NEW_LIBRARY}),
    ({"speaker": "the librarian"}, {CLOSED}),
    ({"speaker": "mayor of York"}, set()),
]


@pytest.mark.parametrize(("query", "expected"), SEARCHES, ids=[str(query) for query, _ in SEARCHES])
def test_a_search_finds_the_same_families_on_either_database(client, leeds, query, expected):
    response = client.get(SEARCH, query)
    assert {family.text for family in response.context["page"]} == expected


def test_a_quote_whose_text_is_corrected_is_found_by_its_new_words(client, leeds):
    family = Family.objects.get(text=BUSES)
    Family.objects.filter(pk=family.pk).update(text="Trams will run later at weekends")

    assert [q.pk for q in client.get(SEARCH, {"q": "tram"}).context["page"]] == [family.pk]
    assert list(client.get(SEARCH, {"q": "buses"}).context["page"]) == []
    family.delete()
    assert list(client.get(SEARCH, {"q": "tram"}).context["page"]) == []
