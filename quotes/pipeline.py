"""The one place that writes extraction results.

``process_article`` reads an article, runs extraction (outside any
transaction: it is the slow part), then in one transaction resolves speakers,
places each quote in its family and replaces the article's occurrences.
Running it twice leaves the same rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from . import matching
from .extraction import QuoteFinding, extract_many
from .extraction.types import SpeakerType
from .models import (
    Article,
    Correction,
    Occurrence,
    Quote,
    QuoteKey,
    Speaker,
    SpeakerAlias,
    SpeakerRole,
    normalize_name,
    unique_slug,
)

log = logging.getLogger(__name__)

# How many families sharing keys with a new quote are compared in full.
CANDIDATES_PER_OCCURRENCE = 40
# An arbitrary constant naming the lock that serialises family placement.
_PLACEMENT_LOCK = 0x51756F7465


@dataclass(frozen=True)
class _Located:
    """A finding with its offsets moved into the article text or title."""

    finding: QuoteFinding
    start: int
    end: int
    in_title: bool


def process_article(article_id: int) -> Article:
    """Extract, attribute and store the quotes of one article."""
    for _, findings, body_offset in extract_batch([article_id]):
        return save_findings(article_id, findings, body_offset)
    raise Article.DoesNotExist(f"article {article_id} does not exist")


def extract_batch(article_ids: Sequence[int]) -> Iterator[tuple[int, list[QuoteFinding], int]]:
    """Extract several articles with one batched parse: (article id, findings, body offset)
    for each article that still exists, in the order given, ready for ``save_findings``."""
    articles = Article.objects.in_bulk(article_ids)
    present = [articles[pk] for pk in article_ids if pk in articles]
    # An article whose earlier extractions never finished (its worker was
    # killed at the hard time limit, or died) is not tried again without end.
    spent = [a for a in present if a.attempts >= settings.EXTRACTION_MAX_ATTEMPTS]
    for article in spent:
        record_failure(article.pk, _gave_up(article.attempts))
    present = [a for a in present if a not in spent]
    if not present:
        return
    Article.objects.filter(pk__in=[a.pk for a in present]).update(
        status=Article.Status.RUNNING, error="", attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    documents = [article.analysis_text() for article in present]
    parsed = extract_many(document for document, _ in documents)
    for article, (_, body_offset), findings in zip(present, documents, parsed, strict=True):
        yield article.pk, findings, body_offset


def save_findings(article_id: int, findings: Sequence[QuoteFinding], body_offset: int) -> Article:
    with transaction.atomic():
        article = Article.objects.select_for_update().select_related("outlet").get(pk=article_id)
        _lock_placement()
        located = _locate(article, findings, body_offset)
        _delete_occurrences(article)
        corrections = _corrections_by_span(article)
        when = article.published or timezone.localdate(article.created_at)
        speakers = _ArticleSpeakers((item.finding for item in located), when)
        occurrences: list[Occurrence] = []
        placed: set[int] = set()  # families of this article's statements so far
        for statement in _statements(located):
            corrected = [corrections.get((item.in_title, item.start, item.end), {}) for item in statement]
            # An editor's "not a quote" takes a version out of the statement,
            # and a version moved to another family no longer speaks for it.
            kept = [
                (item, c)
                for item, c in zip(statement, corrected, strict=True)
                if Correction.Action.NOT_A_QUOTE not in c
            ]
            versions = [item for item, c in kept if not _moved(c)]
            family: tuple[Quote, str] | None = None
            for item, correction in kept:
                if Correction.Action.SPEAKER in correction:
                    speaker = correction[Correction.Action.SPEAKER].speaker
                else:
                    speaker = speakers.resolve(item.finding)
                if _moved(correction):
                    quote = correction[Correction.Action.FAMILY].quote
                    relation = _relation_to(quote, item.finding.text)
                else:
                    family = family or _family_of_statement(
                        versions, speaker, when, placed, article.published
                    )
                    quote = family[0]
                    placed.add(quote.pk)
                    same_text = quote.text == item.finding.text
                    relation = family[1] if same_text else _relation_to(quote, item.finding.text)
                occurrences.append(_occurrence(article, item, speaker, quote, relation))
        speakers.save()
        Occurrence.objects.bulk_create(occurrences)
        article.status = Article.Status.DONE
        article.error = ""
        article.attempts = 0
        article.extracted_at = timezone.now()
        article.save(update_fields=["status", "error", "attempts", "extracted_at", "updated_at"])
    return article


def _moved(correction: dict[str, Correction]) -> bool:
    chosen = correction.get(Correction.Action.FAMILY)
    return chosen is not None and chosen.quote_id is not None


def _occurrence(
    article: Article, item: _Located, speaker: Speaker | None, quote: Quote, relation: str
) -> Occurrence:
    finding = item.finding
    return Occurrence(
        article=article,
        quote=quote,
        speaker=speaker,
        text=finding.text,
        start=item.start,
        end=item.end,
        in_title=item.in_title,
        kind=finding.kind,
        cue=(finding.cue or "")[:200],
        speaker_mention=(finding.speaker_mention or "")[:300],
        confidence=finding.confidence,
        relation=relation,
    )


def _statements(located: list[_Located]) -> list[list[_Located]]:
    """The article's findings grouped by the statement they report (see
    ``extraction.statements``), each group with its fullest version first."""
    by_anchor: dict[tuple[int, int], list[_Located]] = {}
    for item in located:
        finding = item.finding
        by_anchor.setdefault(finding.statement or (finding.start, finding.end), []).append(item)
    groups = []
    for anchor, members in by_anchor.items():
        members.sort(
            key=lambda item: ((item.finding.start, item.finding.end) != anchor, item.in_title, item.start)
        )
        groups.append(members)
    return groups


def _family_of_statement(
    versions: list[_Located], speaker: Speaker | None, when: date, placed: set[int], said_on: date | None
) -> tuple[Quote, str]:
    """The family of one statement, told in ``versions`` (its best version
    first): the stored family that one of them matches, else a new family of
    the best version.

    The best version is tried first and may join any family, a repeat of an
    earlier statement of the same article included. Then the others but the
    headlines (which only compress them; wire copy repeats paraphrases too),
    only against other articles' families: the article itself has already
    said which of its statements they report.

    Families are matched within a time window of ``said_on``, the article's
    publication date. An undated article says nothing of when its words were
    said, so it is matched with no time limit: its upload date (``when``, the
    first sighting a new family records) would keep a copy of an older
    article out of every family that article started.
    """
    best, *others = versions
    tried: list[_Located] = []
    for item in [best] + [item for item in others if item.finding.kind != "headline"]:
        if any(_inside(item, other) for other in tried):
            continue
        found = _matching_family(item.finding.text, speaker, said_on)
        if found is not None and (not tried or found[0].pk not in placed):
            return _join_family(*found, item.finding.text, speaker, when)
        tried.append(item)
    return _new_family(best.finding.text, speaker, when), Occurrence.Relation.VERBATIM


def _inside(item: _Located, other: _Located) -> bool:
    return other.in_title == item.in_title and other.start <= item.start and item.end <= other.end


def _gave_up(attempts: int) -> str:
    return (
        f"Extraction was started {attempts} times and never finished: the worker was stopped each time "
        "(the article may be too long or too unusual to extract in time). Retry it, or shorten it."
    )


def record_failure(article_id: int, reason: str) -> None:
    Article.objects.filter(pk=article_id).update(
        status=Article.Status.FAILED, error=reason[:2000], updated_at=timezone.now()
    )


def _lock_placement() -> None:
    # Two workers placing the same new quote at once would each start a
    # family. PostgreSQL: a transaction-scoped advisory lock; SQLite already
    # runs one write transaction at a time.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PLACEMENT_LOCK])


def _locate(article: Article, findings: Iterable[QuoteFinding], body_offset: int) -> list[_Located]:
    located, seen = [], set()
    for finding in findings:
        if finding.end <= body_offset:
            item = _Located(finding, finding.start, finding.end, in_title=True)
        elif finding.start >= body_offset:
            item = _Located(finding, finding.start - body_offset, finding.end - body_offset, False)
        else:
            continue  # straddles the title and the text: not a real span
        key = (item.in_title, item.start, item.end)
        if item.end > item.start and key not in seen:
            seen.add(key)
            located.append(item)

    # Body before headlines: a statement's family is named after the body's version.
    return sorted(
        located, key=lambda item: (item.finding.kind == "headline", item.in_title, item.start, -item.end)
    )


def _delete_occurrences(article: Article) -> None:
    family_ids = set(article.occurrences.values_list("quote_id", flat=True))
    article.occurrences.all().delete()
    # Families that only this article carried go with it and a re-run makes
    # them anew, unless an editor's correction points at them.
    kept = Correction.objects.filter(quote_id__in=family_ids).values("quote_id")
    orphans = Quote.objects.filter(pk__in=family_ids).exclude(pk__in=kept)
    orphans.annotate(n=Count("occurrences")).filter(n=0).delete()


def _corrections_by_span(article: Article) -> dict[tuple[bool, int, int], dict[str, Correction]]:
    by_span: dict[tuple[bool, int, int], dict[str, Correction]] = {}
    for correction in article.corrections.select_related("speaker", "quote"):
        by_span.setdefault((correction.in_title, correction.start, correction.end), {})[correction.action] = (
            correction
        )
    return by_span


def _relation_to(quote: Quote, text: str) -> str:
    """How a text placed in a family by a rule (not by matching) relates to its canonical text."""
    found = matching.relation_to_canonical(text, quote.text)
    return found[0] if found else Occurrence.Relation.VARIANT


_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "him", "her", "them", "us", "you"})
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their", "our"})


class _ArticleSpeakers:
    """Speakers of one article's write: each name is looked up once, and the
    aliases and roles its mentions teach are written in bulk at the end."""

    def __init__(self, findings: Iterable[QuoteFinding], when: date) -> None:
        self.when = when
        keys = {normalize_name(f.speaker) for f in findings if f.speaker} - {""}
        self.by_name: dict[str, Speaker] = {}
        for alias in (
            SpeakerAlias.objects.filter(normalized__in=keys).select_related("speaker").order_by("pk")
        ):
            self.by_name.setdefault(alias.normalized, alias.speaker)
        self.mentions: set[tuple[int, str]] = set()
        self.aliases: dict[tuple[int, str], SpeakerAlias] = {}
        self.roles: dict[tuple[int, str], SpeakerRole] = {}

    def resolve(self, finding: QuoteFinding) -> Speaker | None:
        if finding.speaker_type not in SpeakerType.NAMED:
            # "a senior aide", "the report": a description is no one's name, so it never
            # becomes a speaker shared with other articles; the mention stays on the occurrence.
            return None
        key = normalize_name(finding.speaker or "")
        if not key:
            return None
        if key not in self.by_name:
            self.by_name[key] = _speaker_for_name(finding.speaker, key, finding.speaker_type, self)
        speaker = self.by_name[key]
        mention = finding.speaker_mention
        if mention and (speaker.pk, mention) not in self.mentions:
            self.mentions.add((speaker.pk, mention))
            self.note_mention(speaker, mention, with_role=finding.kind != "headline")
        return speaker

    def note_mention(self, speaker: Speaker, mention: str, with_role: bool) -> None:
        """Keep how the article named the speaker: a name form becomes an alias
        ("Stoltenberg"), the words around it a role ("NATO Secretary-General");
        a mention without the name ("the NATO chief") is a role only, because a
        role passes from one person to the next. A headline names by label
        ("NATO: …"), not by title, so it gives no role."""
        words = mention.replace(",", " ").split()
        if not words or normalize_name(mention) in _PRONOUNS:
            return
        name_words = set(normalize_name(speaker.name).split())
        is_name = [normalize_name(word) in name_words for word in words]
        if any(is_name):
            first, last = is_name.index(True), len(is_name) - is_name[::-1].index(True)
            self.add_alias(speaker, " ".join(words[first:last]))
            role_words = words[:first]
        else:
            role_words = words
        while role_words and role_words[0].lower() in _DETERMINERS:
            role_words = role_words[1:]
        if with_role and speaker.type == Speaker.Type.PERSON and 0 < len(role_words) <= 6:
            title = " ".join(role_words)[:200]
            normalized = normalize_name(title)
            self.roles.setdefault(
                (speaker.pk, normalized), SpeakerRole(speaker=speaker, normalized=normalized, title=title)
            )

    def add_alias(self, speaker: Speaker, name: str) -> None:
        alias = _alias(speaker, name)
        if alias is not None:
            self.aliases.setdefault((speaker.pk, alias.normalized), alias)

    def save(self) -> None:
        """Write the aliases and roles learnt; a role keeps the first and last dates it was seen."""
        SpeakerAlias.objects.bulk_create(self.aliases.values(), ignore_conflicts=True)
        if not self.roles:
            return
        stored = SpeakerRole.objects.filter(
            speaker_id__in={speaker_id for speaker_id, _ in self.roles},
            normalized__in={normalized for _, normalized in self.roles},
        )
        changed = []
        for role in stored:
            if self.roles.pop((role.speaker_id, role.normalized), None) is None:
                continue
            first = min(filter(None, [role.first_seen, self.when]))
            last = max(filter(None, [role.last_seen, self.when]))
            if (first, last) != (role.first_seen, role.last_seen):
                role.first_seen, role.last_seen = first, last
                changed.append(role)
        SpeakerRole.objects.bulk_update(changed, ["first_seen", "last_seen"])
        for role in self.roles.values():
            role.first_seen = role.last_seen = self.when
        SpeakerRole.objects.bulk_create(self.roles.values(), ignore_conflicts=True)


def _speaker_for_name(name: str, key: str, speaker_type: str | None, speakers: _ArticleSpeakers) -> Speaker:
    """The speaker a name not yet known as an alias stands for, created if need be."""
    is_person = speaker_type != "organisation"
    if is_person and " " not in key:
        # A bare surname joins a known person only when exactly one known
        # person carries it: two people who share a surname are never merged.
        known = Speaker.objects.filter(
            Q(aliases__normalized__endswith=" " + key), type=Speaker.Type.PERSON
        ).distinct()[:2]
        if len(known) == 1:
            speakers.add_alias(known[0], name)
            return known[0]
    if is_person and " " in key:
        # Likewise a full name takes over a speaker so far known only by the
        # surname, when exactly one such speaker exists.
        surname_only = Speaker.objects.filter(
            type=Speaker.Type.PERSON, aliases__normalized=key.split()[-1]
        ).exclude(aliases__normalized__contains=" ")[:2]
        if len(surname_only) == 1:
            speaker = surname_only[0]
            speaker.name = name
            speaker.save(update_fields=["name"])
            _add_alias_now(speaker, name)
            return speaker
    speaker = Speaker.objects.create(
        name=name,
        slug=unique_slug(Speaker, name),
        type=Speaker.Type.PERSON if is_person else Speaker.Type.ORGANISATION,
    )
    _add_alias_now(speaker, name)
    return speaker


def _add_alias_now(speaker: Speaker, name: str) -> None:
    # At once, not with the article's other aliases: later names of the same
    # article look for full names among the stored aliases.
    alias = _alias(speaker, name)
    if alias is not None:
        SpeakerAlias.objects.get_or_create(
            speaker=speaker, normalized=alias.normalized, defaults={"name": alias.name}
        )


def _alias(speaker: Speaker, name: str) -> SpeakerAlias | None:
    """The alias a name form gives, unsaved; None for an empty name or a pronoun."""
    name = " ".join(name.split())[:300]
    normalized = normalize_name(name)
    if not normalized or normalized in _PRONOUNS:
        return None
    return SpeakerAlias(speaker=speaker, normalized=normalized, name=name)


def _place_in_family(text: str, speaker: Speaker | None, when: date) -> tuple[Quote, str]:
    """The family that ``text`` belongs to, updated with it, or a new one."""
    found = _matching_family(text, speaker, when)
    if found is None:
        return _new_family(text, speaker, when), Occurrence.Relation.VERBATIM
    return _join_family(*found, text, speaker, when)


def _matching_family(text: str, speaker: Speaker | None, when: date | None) -> tuple[Quote, str] | None:
    """The stored family ``text`` matches and how it relates to it, or None; writes nothing."""
    families = _candidate_families(text, speaker)
    candidates = [
        matching.FamilyCandidate(
            family_id=family.pk,
            canonical_text=family.text,
            speaker_key=str(family.speaker_id) if family.speaker_id else None,
            first_seen=family.first_seen,
        )
        for family in families.values()
    ]
    speaker_key = str(speaker.pk) if speaker else None
    placement = matching.place_occurrence(text, speaker_key, when, candidates)
    if placement.family_id is None:
        return None
    return families[placement.family_id], placement.relation


def _new_family(text: str, speaker: Speaker | None, when: date) -> Quote:
    quote = Quote.objects.create(
        text=text, speaker=speaker, fingerprint=matching.fingerprint(text), first_seen=when
    )
    _index_family(quote)
    return quote


def _join_family(
    quote: Quote, relation: str, text: str, speaker: Speaker | None, when: date
) -> tuple[Quote, str]:
    """Add a version to a family: it may name the speaker, date the family
    earlier, or, fuller and faithful, become its canonical text."""
    changed = []
    if quote.speaker_id is None and speaker is not None:
        quote.speaker = speaker
        changed.append("speaker")
    if quote.first_seen is None or when < quote.first_seen:
        quote.first_seen = when
        changed.append("first_seen")
    if matching.should_become_canonical(text, quote.text):
        quote.text = text
        quote.fingerprint = matching.fingerprint(text)
        changed += ["text", "fingerprint"]
        quote.keys.all().delete()
        _index_family(quote)
        _relabel_occurrences(quote)
    if changed:
        quote.save(update_fields=changed)
    if quote.text == text:
        return quote, Occurrence.Relation.VERBATIM  # it has just become the canonical text
    return quote, relation


def _relabel_occurrences(quote: Quote) -> None:
    """After a canonical swap, say again how each stored version relates to the new text."""
    stale = []
    for occurrence in quote.occurrences.only("pk", "text", "relation"):
        relation = _relation_to(quote, occurrence.text)
        if relation != occurrence.relation:
            occurrence.relation = relation
            stale.append(occurrence)
    Occurrence.objects.bulk_update(stale, ["relation"])


def _index_family(quote: Quote) -> None:
    QuoteKey.objects.bulk_create(
        [QuoteKey(quote=quote, key=key) for key in set(matching.shingle_keys(quote.text))],
        ignore_conflicts=True,
    )


def _sharing_most_keys(keys: list[int], speaker: Speaker | None) -> list[int]:
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


def _candidate_families(text: str, speaker: Speaker | None) -> dict[int, Quote]:
    """The families a new quote is compared with, by id: those sharing its
    fingerprint and those sharing the most index keys, in one query."""
    same_speaker = Q(speaker__isnull=True) | Q(speaker=speaker) if speaker else Q()
    shared = _sharing_most_keys(matching.shingle_keys(text), speaker)
    # One condition each, OR-ed, so PostgreSQL combines two index scans (a
    # subquery on either side would make it scan the whole table).
    exact = same_speaker & Q(fingerprint=matching.fingerprint(text))
    found = Quote.objects.filter(Q(pk__in=shared) | exact).order_by()  # (no sort: compared in full anyway)
    return {quote.pk: quote for quote in found}
