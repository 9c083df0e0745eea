"""Finding the candidate families of a new quote in the key index (families.sharing_most_keys)."""

from datetime import date

import pytest

from quotes import families, matching
from quotes.models import Quote

pytestmark = pytest.mark.django_db

TOWNS = ("Concord", "Nashua", "Keene", "Dover", "Salem")


def store_family(text: str) -> Quote:
    quote = Quote.objects.create(
        text=text, fingerprint=matching.fingerprint(text), first_seen=date(2016, 2, 1)
    )
    families.index_family(quote)
    return quote


@pytest.fixture
def campaign_families(monkeypatch) -> list[Quote]:
    """Five families whose keys "clinton", "campaign" … are common (held by more than three)."""
    monkeypatch.setattr(matching, "COMMON_KEY_FAMILIES", 3)
    return [store_family(f"Clinton campaign officials met voters in {town}") for town in TOWNS]


def test_families_sharing_only_common_keys_do_not_crowd_out_a_telling_match(campaign_families, monkeypatch):
    monkeypatch.setattr(families, "CANDIDATES_PER_OCCURRENCE", 2)
    childcare = store_family("We will make childcare affordable for families")
    keys = matching.shingle_keys("Clinton campaign officials promise affordable childcare")
    # Counted on every key, each campaign family would share five keys and
    # the childcare family two, leaving it out of the two candidates.
    assert families.sharing_most_keys(keys, None) == [childcare.pk]


def test_a_text_of_common_words_only_still_finds_the_newest_families(campaign_families):
    found = families.sharing_most_keys(matching.shingle_keys("Clinton campaign officials"), None)
    assert found
    assert set(found) <= {family.pk for family in campaign_families}
    assert found[0] == campaign_families[-1].pk
