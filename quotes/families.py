"""Quote families in the database: the candidates a statement is compared
with, and the family it joins or starts.

The rules are ``quotes.matching``'s (pure, no Django); this module retrieves
candidates from the key index, keeps each family's keys in step with its
canonical text, and relabels a family's versions when that text changes.

    placement = families.place(Statement(("We will not go back",), speaker, date(2022, 12, 14)))
    placement.family, placement.relation, placement.created
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count, Q

from . import matching
from .models import Occurrence, Quote, QuoteKey, Speaker

# How many families sharing keys with a new quote are compared in full.
CANDIDATES_PER_OCCURRENCE = 40


@dataclass(frozen=True)
class Statement:
    """One statement of an article, told in ``versions`` (its best version
    first), said by ``speaker`` on ``when``. ``placed``: the families the
    article has already placed its other statements in (see
    ``matching.choose_family``)."""

    versions: tuple[str, ...]
    speaker: Speaker | None
    when: date
    placed: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Placement:
    """The family a statement went to, how its best version relates to the
    family's canonical text, and whether the family is new."""

    family: Quote
    relation: str
    created: bool = False


def place(statement: Statement) -> Placement:
    """Put a statement in the stored family one of its versions matches, updated with
    that version, or in a new family of its best version."""
    speaker_key = _speaker_key(statement.speaker)
    retrieved: dict[int, Quote] = {}

    def candidates_for(text: str) -> list[matching.FamilyCandidate]:
        families = candidate_families(text, statement.speaker)
        retrieved.update(families)
        return [_candidate(family) for family in families.values()]

    found = matching.choose_family(
        statement.versions, speaker_key, statement.when, candidates_for, statement.placed
    )
    if found is None:
        return Placement(new_family(statement.versions[0], statement.speaker, statement.when),
                         Occurrence.Relation.VERBATIM, created=True)  # fmt: skip
    text, placement = found
    return join(retrieved[placement.family_id], placement.relation, text, statement.speaker, statement.when)


def join(quote: Quote, relation: str, text: str, speaker: Speaker | None, when: date) -> Placement:
    """Add a version to a family (``matching.join``): it may name the
    speaker, date the family earlier, or become its canonical text, and then
    the family's keys and the relations of its stored versions follow."""
    joined, relation = matching.join(_candidate(quote), relation, text, _speaker_key(speaker), when)
    changed = []
    if joined.speaker_key != _speaker_key(quote.speaker):
        quote.speaker = speaker
        changed.append("speaker")
    if joined.first_seen != quote.first_seen:
        quote.first_seen = joined.first_seen
        changed.append("first_seen")
    if joined.canonical_text != quote.text:
        quote.text = joined.canonical_text
        quote.fingerprint = matching.fingerprint(quote.text)
        changed += ["text", "fingerprint"]
        quote.keys.all().delete()
        index_family(quote)
        _relabel_occurrences(quote)
    if changed:
        quote.save(update_fields=changed)
    return Placement(quote, relation)


def new_family(text: str, speaker: Speaker | None, when: date) -> Quote:
    quote = Quote.objects.create(
        text=text, speaker=speaker, fingerprint=matching.fingerprint(text), first_seen=when
    )
    index_family(quote)
    return quote


def relation_to(quote: Quote, text: str) -> str:
    """How a text placed in a family by a rule (not by matching) relates to its canonical text."""
    found = matching.relation_to_canonical(text, quote.text)
    return found[0] if found else Occurrence.Relation.VARIANT


def index_family(quote: Quote) -> None:
    QuoteKey.objects.bulk_create(
        [QuoteKey(quote=quote, key=key) for key in set(matching.shingle_keys(quote.text))],
        ignore_conflicts=True,
    )


def sharing_most_keys(keys: list[int], speaker: Speaker | None) -> list[int]:
    """Families of a compatible speaker that share the most telling keys, best first.

    Telling keys are those held by at most ``matching.COMMON_KEY_FAMILIES``
    families. A text with none (only common words) is ranked on all its keys,
    among the newest families holding each on PostgreSQL (SQLite, for small
    archives, counts them all). Ties go to the newest family.
    """
    if not keys:
        return []
    if connection.vendor != "postgresql":
        held = dict(
            QuoteKey.objects.filter(key__in=keys)
            .values("key")
            .annotate(families=Count("id"))
            .values_list("key", "families")
        )
        telling = [key for key, families in held.items() if families <= matching.COMMON_KEY_FAMILIES]
        return list(
            QuoteKey.objects.filter(key__in=telling or keys)
            .filter(Q(quote__speaker__isnull=True) | Q(quote__speaker=speaker) if speaker else Q())
            .values("quote_id")
            .annotate(shared=Count("id"))
            .order_by("-shared", "-quote_id")
            .values_list("quote_id", flat=True)[:CANDIDATES_PER_OCCURRENCE]
        )
    # The same ranking, planned for a million families. A key's families are
    # counted in the (key, quote) index only up to one past the limit, so a
    # common key ("clinton", held by 100k families) costs 1,001 index entries
    # instead of being grouped whole: match_ms_p50_1m ~15 ms against ~50 ms
    # (quotes/evaluation/bench.py). Speakers are checked down the ranked list
    # only until enough qualify; joined first, PostgreSQL would hash every
    # unattributed family for each new quote.
    params = {
        "keys": list(keys),
        "limit": matching.COMMON_KEY_FAMILIES,
        "speaker": speaker.pk if speaker else None,
        "candidates": CANDIDATES_PER_OCCURRENCE,
    }
    compatible = ""
    if speaker is not None:  # unattributed families, or this speaker's
        speaker_of = f"(SELECT speaker_id FROM {Quote._meta.db_table} WHERE id = ranked.quote_id)"
        compatible = f"WHERE COALESCE({speaker_of}, %(speaker)s) = %(speaker)s"
    index = QuoteKey._meta.db_table
    sql = f"""
        WITH sizes AS (
            SELECT wanted.key, (
                SELECT COUNT(*) FROM (SELECT FROM {index} WHERE key = wanted.key LIMIT %(limit)s + 1) AS held
            ) AS families
            FROM unnest(%(keys)s::bigint[]) AS wanted(key)
        )
        SELECT quote_id FROM (
            SELECT quote_id, COUNT(*) AS shared
            FROM sizes CROSS JOIN LATERAL (
                SELECT quote_id FROM {index} WHERE key = sizes.key ORDER BY quote_id DESC LIMIT %(limit)s + 1
            ) AS held
            WHERE families <= %(limit)s OR NOT EXISTS (SELECT FROM sizes WHERE families <= %(limit)s)
            GROUP BY quote_id ORDER BY shared DESC, quote_id DESC OFFSET 0
        ) AS ranked {compatible} LIMIT %(candidates)s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def candidate_families(text: str, speaker: Speaker | None) -> dict[int, Quote]:
    """The families a new quote is compared with, by id: those sharing its
    fingerprint and those sharing the most index keys, in one query."""
    same_speaker = Q(speaker__isnull=True) | Q(speaker=speaker) if speaker else Q()
    shared = sharing_most_keys(matching.shingle_keys(text), speaker)
    # One condition each, OR-ed, so PostgreSQL combines two index scans (a
    # subquery on either side would make it scan the whole table).
    exact = same_speaker & Q(fingerprint=matching.fingerprint(text))
    found = Quote.objects.filter(Q(pk__in=shared) | exact).order_by()  # (no sort: compared in full anyway)
    return {quote.pk: quote for quote in found}


def _speaker_key(speaker: Speaker | None) -> str | None:
    return str(speaker.pk) if speaker is not None else None


def _candidate(quote: Quote) -> matching.FamilyCandidate:
    return matching.FamilyCandidate(
        family_id=quote.pk,
        canonical_text=quote.text,
        speaker_key=str(quote.speaker_id) if quote.speaker_id else None,
        first_seen=quote.first_seen,
    )


def _relabel_occurrences(quote: Quote) -> None:
    """After a canonical swap, say again how each stored version relates to the new text."""
    stale = []
    for occurrence in quote.occurrences.only("pk", "text", "relation"):
        relation = relation_to(quote, occurrence.text)
        if relation != occurrence.relation:
            occurrence.relation = relation
            stale.append(occurrence)
    Occurrence.objects.bulk_update(stale, ["relation"])
