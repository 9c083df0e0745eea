"""Each filter of the search page and the JSON API keeps exactly the families it
names: a family that differs from a kept one only in what the filter looks at is
left out, so a filter that stopped filtering fails here."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_family, make_speaker

pytestmark = pytest.mark.django_db

DROPPED_NOT = [{"type": "negation", "before": "will not", "after": "will"}]


@pytest.fixture
def families(db):
    """Five families, each a step away from the others in one thing a filter reads."""
    jens, putin = make_speaker("Jens Stoltenberg"), make_speaker("Vladimir Putin")
    return {
        "defend": make_family(jens, "We will defend every inch of it", "Reuters", date(2024, 3, 1)),
        "sanctions": make_family(putin, "Sanctions will never break our economy", "TASS", date(2024, 5, 1)),
        "united": make_family(jens, "the alliance stays united", "TASS", date(2024, 7, 1), kind="partial"),
        # Said by Stoltenberg, his name found with little confidence.
        "unsure": make_family(
            jens, "Talks with Moscow remain possible next year", "Reuters", date(2024, 7, 2), confidence=0.3
        ),
        "changed": make_family(
            jens, "We will return to a friendly relationship with Russia", "Daily Spin", date(2024, 9, 1),
            meaning_flags=DROPPED_NOT,
        ),
    }  # fmt: skip


def _on_the_search_page(client, params) -> set[int]:
    return {family.pk for family in client.get(reverse("quotes:search"), params).context["page"]}


def _in_the_api(client, params) -> set[int]:
    return {family["id"] for family in client.get(reverse("quotes:api-quotes"), params).json()["results"]}


def _in_the_json_export(client, params) -> set[int]:
    data = client.get(reverse("quotes:search"), {**params, "format": "json"}).json()
    return {family["id"] for family in data["results"]}


SURFACES = pytest.mark.parametrize(
    "found", [_on_the_search_page, _in_the_api, _in_the_json_export], ids=["page", "api", "export"]
)


@SURFACES
@pytest.mark.parametrize(
    "params, expected",
    [
        ({"speaker": "Putin"}, {"sanctions"}),
        ({"speaker": "Stoltenberg"}, {"defend", "united", "unsure", "changed"}),
        ({"outlet": "tass"}, {"sanctions", "united"}),
        ({"outlet": "no-such-outlet"}, set()),
        ({"from": "2024-05-01"}, {"sanctions", "united", "unsure", "changed"}),
        ({"to": "2024-05-01"}, {"defend", "sanctions"}),
        ({"from": "2024-04-01", "to": "2024-07-01"}, {"sanctions", "united"}),
        ({"kind": "partial"}, {"united"}),
        ({"changed": "on"}, {"changed"}),
        ({"confident": "on"}, {"defend", "sanctions", "united", "changed"}),
        ({"q": "defend every inch"}, {"defend"}),
        ({"speaker": "Stoltenberg", "outlet": "reuters", "confident": "on"}, {"defend"}),
    ],
    ids=[
        "speaker", "speaker-surname", "outlet", "unknown-outlet", "from", "to", "between", "kind",
        "changes-the-meaning", "confident", "words", "combined",
    ],
)  # fmt: skip
def test_a_filter_keeps_exactly_the_families_it_names(client, families, found, params, expected):
    assert found(client, {**params}) == {families[name].pk for name in expected}


@SURFACES
def test_no_filter_keeps_every_family(client, families, found):
    # What each filter above leaves out is there without it.
    params = {"from": "2000-01-01"}  # a bound form with no filter that leaves anything out
    assert found(client, params) == {family.pk for family in families.values()}
