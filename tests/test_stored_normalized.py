"""A family's canonical text is stored normalized beside it (migrations 0038, 0039), and
matching prepares a candidate from it without normalizing it again: the same tokens as a
fresh preparation, never from a stored text that is not the family's own."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import replace
from datetime import date
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection

from quotes.families import folding, placement, store
from quotes.families.folding import fingerprint, normalize, tokens, tokens_of_normalized
from quotes.families.placement import FamilyCandidate, canonical_tokens, place_version
from quotes.models import Family, Speaker

SEEDS = Path(__file__).resolve().parents[1] / "quotes" / "seeds"
MONDAY = date(2024, 3, 4)


def _texts() -> list[str]:
    """The seeds' sentences and paragraphs, and as many again with what folding treats
    apart put in at random: ellipses of every spelling, marks, digits, contractions."""
    paragraphs = [
        " ".join(p.split())
        for path in sorted(SEEDS.glob("*.txt"))
        for p in re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))
        if p.strip()
    ]
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.!?])\s+", p) if s]
    inserts = ["...", "…", ". . .", "[...]", "(…)", "..", "U.S.", "3.5", "1,000", "won't", "it's",
               "per cent", "\u2009", "_", "“", "—", "colour", "Mr.", "’s"]  # fmt: skip
    rng = random.Random(5)
    mutated = []
    for sentence in sentences * 8:
        words = sentence.split()
        for _ in range(rng.randint(1, 3)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(inserts))
        mutated.append(" ".join(words))
    return paragraphs + sentences + mutated


def test_a_text_prepared_from_its_normalized_form_is_the_text_prepared_afresh():
    texts = _texts()
    assert len(texts) > 1_000 and sum("…" in t or "..." in t for t in texts) > 100
    for text in texts:
        assert tokens_of_normalized(text, normalize(text)) == tokens(text), text
        # (The cheaper search for an ellipsis finds one exactly where ``ELLIPSIS`` does.)
        folded = unicodedata.normalize("NFKC", text)
        assert (folding._DOTS.search(folded) is None) == (folding.ELLIPSIS.search(folded) is None), text


def _candidate(family_id: int, text: str, normalized: str | None) -> FamilyCandidate:
    return FamilyCandidate(family_id, text, "stoltenberg", MONDAY, fingerprint(text), normalized)


def test_a_stored_normalized_text_is_read_only_when_it_is_the_fingerprints():
    text = "The alliance will keep its door open to new members, whatever Moscow says"
    other = "The alliance will close its door to new members, whatever Moscow says"
    folding.tokens_of_normalized.cache_clear()
    assert canonical_tokens(_candidate(1, text, normalize(text))) == tokens(text)
    assert folding.tokens_of_normalized.cache_info().misses == 1
    # Stale: another text's (its text changed, or ``normalize`` did, and it was not written
    # again), or none at all: the text is prepared afresh.
    for stale in (normalize(other), normalize(text) + " ", "", None):
        assert canonical_tokens(_candidate(1, text, stale)) == tokens(text)
    assert folding.tokens_of_normalized.cache_info().misses == 1
    # And placement decides the same with a stale one as with the right one.
    new = "The alliance will keep its door open to new members whatever Moscow says today"
    fresh = place_version(new, "stoltenberg", MONDAY, [_candidate(1, text, normalize(text))])
    assert fresh.family_id == 1
    assert place_version(new, "stoltenberg", MONDAY, [_candidate(1, text, normalize(other))]) == fresh
    assert place_version(new, "stoltenberg", MONDAY, [_candidate(1, text, None)]) == fresh


def _stored_right() -> list[tuple[str, str | None]]:
    """The families whose stored normalized text is not their text's (should be none)."""
    return [(text, stored) for text, stored in Family.objects.values_list("text", "normalized")
            if stored != normalize(text)]  # fmt: skip


@pytest.mark.django_db
def test_every_family_the_store_writes_stores_its_text_normalized():
    ann = Speaker.objects.create(name="Ann Lee", slug="ann-lee")
    text = "We will make childcare affordable for every family in the county"
    # A new family, one given a fuller canonical text, one an editor's merge joins.
    made = store.place(store.Statement((text[:50],), ann, date(2016, 2, 2))).family
    fuller = store.place(store.Statement((text,), ann, date(2016, 2, 3))).family
    assert fuller.pk == made.pk and Family.objects.get(pk=made.pk).text == text
    assert _stored_right() == []
    bo = Speaker.objects.create(name="Bo Chen", slug="bo-chen")
    longer = text + " from next year on"
    other = store.place(store.Statement((longer,), bo, date(2016, 2, 4))).family
    assert other.pk != made.pk
    assert _stored_right() == []
    Family.objects.filter(pk=other.pk).update(speaker=ann)
    assert store.join_same_statements(ann, [other.pk]) == {other.pk: made.pk}
    assert Family.objects.get(pk=made.pk).text == longer
    assert Family.objects.count() == 1
    assert _stored_right() == []


@pytest.mark.django_db
def test_a_candidate_read_from_the_database_is_prepared_from_its_stored_normalized_text():
    ann = Speaker.objects.create(name="Ann Lee", slug="ann-lee")
    text = "We will make childcare affordable for every family in the county"
    family = store.place(store.Statement((text,), ann, date(2016, 2, 2))).family
    variant = "We will make childcare affordable for each family in the county"

    def placed() -> tuple[int, str, bool]:
        folding.tokens.cache_clear()
        folding.tokens_of_normalized.cache_clear()
        with connection.cursor():
            found = store.FamilyStore([store.Statement((variant,), ann, date(2016, 2, 3))])
            return found.place(store.Statement((variant,), ann, date(2016, 2, 3))), found

    first, found = placed()
    assert (first.family.pk, first.relation) == (family.pk, "variant")
    assert found._candidate(family.pk).normalized == normalize(text)
    assert folding.tokens_of_normalized.cache_info().misses == 1  # the family's text
    # Stale or missing, it is not read: the text is normalized, and the decision is the same.
    for stale in (normalize("We will make childcare free for every family"), None):
        Family.objects.filter(pk=family.pk).update(normalized=stale)
        again, _ = placed()
        assert (again.family.pk, again.relation, again.family.text) == (family.pk, "variant", text)
        assert folding.tokens_of_normalized.cache_info().misses == 0


@pytest.mark.django_db
def test_the_migrations_fill_writes_every_stored_familys_normalized_text(monkeypatch):
    fill = import_module("quotes.migrations.0039_fill_quote_normalized")
    texts = [
        f"Number {n}: we won't raise the tax… on fuel, whatever the colour of the rules" for n in range(7)
    ]
    Family.objects.bulk_create(Family(text=text, fingerprint=fingerprint(text)) for text in texts)
    monkeypatch.setattr(fill, "BATCH", 3)  # (in several batches)

    def indexes() -> list:
        if connection.vendor != "postgresql":
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'quotes_quote' ORDER BY 1"
            )
            return cursor.fetchall()

    before = indexes()
    if connection.vendor == "postgresql":  # (the rows' deferred checks, before the indexes are built)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert set(Family.objects.values_list("normalized", flat=True)) == {None}
    fill.fill(None, SimpleNamespace(connection=connection))
    assert _stored_right() == []
    assert indexes() == before  # (PostgreSQL: dropped for the fill, built again)


def test_a_family_candidates_fields_are_the_ones_the_store_fills():
    # The in-memory store of ``evaluation.matching`` gives none: the text is normalized.
    plain = FamilyCandidate(1, "We will win", None, None)
    assert plain.normalized is None and canonical_tokens(plain) == tokens("We will win")
    assert canonical_tokens(replace(plain, fingerprint=fingerprint("We will win"))) == tokens("We will win")
    assert placement.canonical_tokens is canonical_tokens
