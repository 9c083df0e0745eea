"""Meaning-changing edits stored with each version at write time, shown on the quote page,
in the API, and as a search filter."""

from datetime import date

import pytest
from django.urls import reverse

from quotes.corrections import correct_family
from quotes.models import Family, Version
from tests.factories import FAITHFUL, NOT_DROPPED, direct_version, nato_story

pytestmark = pytest.mark.django_db


def test_a_version_that_drops_not_is_stored_with_its_flag(carried):
    first, changed, reworded = carried
    family = direct_version(first).family
    assert direct_version(changed).family == family
    assert direct_version(changed).meaning_flags == [
        {"type": "negation", "before": "will not return", "after": "will return"}
    ]
    assert direct_version(first).meaning_flags == []
    assert direct_version(reworded).family == family and direct_version(reworded).meaning_flags == []


def test_quote_page_shows_changed_and_reworded_versions_differently(client, carried):
    first, _, _ = carried
    html = client.get(direct_version(first).family.get_absolute_url()).content.decode()
    assert "Changes the meaning" in html and "dropped &#x27;not&#x27;" in html
    assert "Reworded, same meaning" in html


def test_api_gives_each_version_its_flags(client, carried):
    first, _, _ = carried
    data = client.get(reverse("quotes:api-quotes"), {"speaker": "Stoltenberg"}).json()
    [family] = [q for q in data["results"] if q["id"] == direct_version(first).family_id]
    flags = {o["outlet"]: o["meaning_flags"] for o in family["occurrences"]}
    assert flags["Wire Copy"] == [] and flags["Reuters"] == []
    assert flags["Daily Spin"] == [
        {"type": "negation", "before": "will not return", "after": "will return", "label": "dropped 'not'"}
    ]
    changed = client.get(reverse("quotes:api-quotes"), {"changed": "on"}).json()["results"]
    assert [q["id"] for q in changed] == [family["id"]]


def test_search_filters_to_quotes_with_versions_that_change_the_meaning(client, carried):
    first, _, _ = carried
    nato_story(
        "Other Times",
        "“Our budget for the air defence of the Baltic states will grow,” Ursula Berg said.",
        date(2022, 12, 15),
    )
    search = reverse("quotes:search")
    everything = {q.pk for q in client.get(search, {"kind": "direct"}).context["page"]}
    assert len(everything) >= 2
    changed = [q.pk for q in client.get(search, {"kind": "direct", "changed": "on"}).context["page"]]
    assert changed == [direct_version(first).family_id]
    html = client.get(search, {"changed": "on"}).content.decode()
    assert 'name="changed"' in html and "checked" in html


def test_a_canonical_swap_flags_the_stored_versions_again():
    short = nato_story("Reuters", FAITHFUL, date(2022, 12, 12))
    assert direct_version(short).meaning_flags == []  # alone, it is the canonical text
    fuller = (
        "“Even if the fighting ends, we will not return to a normal, friendly relationship with Russia after "
        "this war,” Jens Stoltenberg said."
    )
    nato_story("NRK", fuller, date(2022, 12, 13))
    family = Family.objects.get(pk=direct_version(short).family_id)
    assert family.text.startswith("Even if the fighting ends")
    assert {flag["type"] for flag in direct_version(short).meaning_flags} == {"qualifier"}


def test_a_fuller_version_that_adds_not_does_not_take_over_the_family():
    first = nato_story("Reuters", NOT_DROPPED, date(2022, 12, 12))
    fuller = (
        "“Even if the fighting ends, we will not return to a normal, friendly relationship with Russia after "
        "this war,” Jens Stoltenberg said."
    )
    contradicting = nato_story("NRK", fuller, date(2022, 12, 13))
    family = Family.objects.get(pk=direct_version(first).family_id)
    # It holds every word of the first report, but says the opposite: the first reading stands
    # and the later one is the version flagged.
    assert direct_version(contradicting).family == family
    assert family.text.startswith("We will return")
    assert direct_version(first).meaning_flags == []
    assert "negation" in {flag["type"] for flag in direct_version(contradicting).meaning_flags}


def test_moving_a_version_to_another_family_flags_it_against_that_family(carried):
    first, changed, _ = carried
    other = Family.objects.create(
        text="We will return to a normal, friendly relationship with Ukraine after this war", fingerprint=""
    )
    correct_family(direct_version(changed), other)
    assert direct_version(changed).meaning_flags == [
        {"type": "entity", "before": "Ukraine", "after": "Russia"}
    ]


@pytest.mark.django_db(transaction=True)
def test_the_migration_flags_versions_stored_before_it(migration_step):
    step = migration_step("0011_sources", "0012_occurrence_meaning_flags")
    apps = step.apps
    outlet = apps.get_model("quotes", "Outlet").objects.create(name="Daily Spin", slug="daily-spin")
    article = apps.get_model("quotes", "Article").objects.create(
        outlet=outlet, title="t", text="x" * 200, content_hash="h"
    )
    family = apps.get_model("quotes", "Quote").objects.create(
        text="We will not return to a normal, friendly relationship with Russia", fingerprint=""
    )
    apps.get_model("quotes", "Occurrence").objects.create(
        article=article,
        quote=family,  # the field as this migration knows it
        text="We will return to a normal, friendly relationship with Russia",
        start=0,
        end=10,
        kind="direct",
        relation="variant",
    )
    step.forward()
    # Only the column this migration knows: later ones add others.
    assert Version.objects.values_list("meaning_flags", flat=True).get() == [
        {"type": "negation", "before": "will not return", "after": "will return"}
    ]
