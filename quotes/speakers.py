"""Speaker records: who a name in an article stands for, and what its
mentions teach (aliases, roles with the dates they were seen).

``ArticleSpeakers`` serves one article's write: each name is looked up once,
a new name becomes a speaker at once (later names of the same article look
for full names among the stored aliases), and the aliases and roles learnt
are written in bulk by ``save``.

Only an attribution that names its speaker teaches, and only a sure one: a
role read from "the mayor said" or "she said" belongs to whoever the words
were taken to point at, and a wrong guess would follow that person to every
page and search. ``untaught`` takes back what an attribution an editor
corrected had taught; ``SpeakerRemoval`` keeps what an editor removed from
being taught again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from django.db import connection
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from .extraction.types import QuoteFinding
from .models import (
    DETERMINERS,
    Speaker,
    SpeakerAlias,
    SpeakerRemoval,
    SpeakerRole,
    Version,
    normalize_name,
    slug_of,
    unique_slug,
)
from .words import PERSONAL_PRONOUNS, FoundBy, Kind, SpeakerType

# An attribution teaches its speaker's aliases and roles only when at least this sure.
# The pages flag an attribution below 0.6 (Version.LOW_CONFIDENCE); teaching asks
# more, because what it teaches outlives the quote and shows on every page and search
# that reads the speaker. 0.7 is a cue or a colon with the name beside the quote
# (extraction's _CONFIDENCE_ONE_OF_CUE_OR_SPEAKER); a quote inheriting the speaker
# before it (0.6) and a pronoun the entity layer disputes (0.55) stay under it.
TEACHING_CONFIDENCE = 0.7
# A role is at most this many words: a longer lead-in is a phrase, not a title.
_MAX_ROLE_WORDS = 6


def teaches(finding: QuoteFinding) -> bool:
    """Whether a finding may teach its speaker aliases and roles: its attribution
    names the speaker ("Councillor Tom Hardy said"), and surely."""
    return finding.speaker_found_by == FoundBy.NAME and finding.confidence >= TEACHING_CONFIDENCE


def mention_teaches(speaker: Speaker, mention: str, with_role: bool) -> tuple[str | None, str | None]:
    """The alias and the role a mention of ``speaker`` gives, as written: the name
    form ("Stoltenberg") and the words before it ("NATO Secretary-General"). A
    mention without the speaker's name teaches nothing ("the NATO chief", "he"):
    it only points at someone, and may point wrong. A headline names by label
    ("NATO: …"), not by title, so it gives no role."""
    words = mention.replace(",", " ").split()
    if not words or normalize_name(mention) in PERSONAL_PRONOUNS:
        return None, None
    name_words = set(normalize_name(speaker.name).split())
    is_name = [normalize_name(word) in name_words for word in words]
    if not any(is_name):
        return None, None
    first, last = is_name.index(True), len(is_name) - is_name[::-1].index(True)
    role_words = words[:first]
    while role_words and role_words[0].lower() in DETERMINERS:
        role_words = role_words[1:]
    gives_role = with_role and speaker.type == Speaker.Type.PERSON and 0 < len(role_words) <= _MAX_ROLE_WORDS
    return " ".join(words[first:last]), " ".join(role_words)[:200] if gives_role else None


class ArticleSpeakers:
    """Speakers of one article's write: each name is looked up once, and the
    aliases and roles its mentions teach are written in bulk at the end."""

    def __init__(self, findings: Iterable[QuoteFinding], when: date, text: str = "") -> None:
        self.when = when
        findings = list(findings)
        keys = {
            normalize_name(f.speaker) for f in findings if f.speaker and f.speaker_type in SpeakerType.NAMED
        } - {""}
        # The mentions that name no one ("the union"), looked up with the names.
        mentions = (
            {
                normalize_name(f.speaker_mention)
                for f in findings
                if f.speaker_mention and f.speaker_found_by != FoundBy.NAME
            }
            - {""}
            - PERSONAL_PRONOUNS
        )
        self.by_name: dict[str, Speaker] = {}
        found = self._look_up(keys, mentions if text else set())
        self.in_context = _named_in_context([a for a in found if a.normalized in mentions], text)
        if unknown := keys - set(self.by_name):
            # A name not known yet may become a new speaker: two writes
            # meeting it at once take turns, and the second finds the first's.
            _lock_names(unknown)
            self._look_up(unknown)
        self.mentions: set[tuple[int, str]] = set()
        self.aliases: dict[tuple[int, str], SpeakerAlias] = {}
        self.roles: dict[tuple[int, str], SpeakerRole] = {}

    def _look_up(self, keys: set[str], mentions: Collection[str] = ()) -> list[SpeakerAlias]:
        """The speakers of these names; the aliases matching ``keys`` or ``mentions``."""
        found = list(
            SpeakerAlias.objects.filter(normalized__in=keys | set(mentions))
            .select_related("speaker")
            .order_by("pk")
        )
        for alias in found:
            if alias.normalized in keys:
                self.by_name.setdefault(alias.normalized, alias.speaker)
        return found

    def resolve(self, finding: QuoteFinding) -> Speaker | None:
        if finding.speaker_found_by != FoundBy.NAME and finding.speaker_mention:
            # "the union said", where an editor once taught that "the union" beside Unison is Unison.
            taught = self.in_context.get(normalize_name(finding.speaker_mention))
            if taught is not None:
                return taught
        if finding.speaker_type not in SpeakerType.NAMED:
            # "a senior aide", "the report": a description is no one's name, so it never
            # becomes a speaker shared with other articles; the mention stays on the version.
            return None
        key = normalize_name(finding.speaker or "")
        if not key:
            return None
        if key not in self.by_name:
            self.by_name[key] = _speaker_for_name(finding.speaker, key, finding.speaker_type, self)
        speaker = self.by_name[key]
        mention = finding.speaker_mention
        if mention and teaches(finding) and (speaker.pk, mention) not in self.mentions:
            self.mentions.add((speaker.pk, mention))
            alias, role = mention_teaches(speaker, mention, with_role=finding.kind != Kind.HEADLINE)
            if alias:
                self.add_alias(speaker, alias)
            if role:
                normalized = normalize_name(role)
                self.roles.setdefault(
                    (speaker.pk, normalized), SpeakerRole(speaker=speaker, normalized=normalized, title=role)
                )
        return speaker

    def add_alias(self, speaker: Speaker, name: str) -> None:
        alias = _alias(speaker, name)
        if alias is not None:
            self.aliases.setdefault((speaker.pk, alias.normalized), alias)

    def save(self) -> None:
        """Write the aliases and roles learnt; a role keeps the first and last
        dates it was seen (widened in one statement, so that two writes
        meeting the same role at once both count)."""
        self._drop_removed()
        SpeakerAlias.objects.bulk_create(self.aliases.values(), ignore_conflicts=True)
        if not self.roles:
            return
        for role in self.roles.values():
            role.first_seen = role.last_seen = self.when
        SpeakerRole.objects.bulk_create(self.roles.values(), ignore_conflicts=True)
        seen = Q()
        for speaker_id, normalized in self.roles:
            seen |= Q(speaker_id=speaker_id, normalized=normalized)
        when = Value(self.when)
        outside = Q(first_seen__isnull=True) | Q(last_seen__isnull=True)
        outside |= Q(first_seen__gt=self.when) | Q(last_seen__lt=self.when)
        SpeakerRole.objects.filter(seen, outside).update(
            first_seen=Least(Coalesce("first_seen", when), when),
            last_seen=Greatest(Coalesce("last_seen", when), when),
        )

    def _drop_removed(self) -> None:
        """Leave out what an editor removed from these speakers."""
        speaker_ids = {speaker_id for speaker_id, _ in [*self.aliases, *self.roles]}
        if not speaker_ids:
            return
        removed = SpeakerRemoval.objects.filter(speaker_id__in=speaker_ids).values_list(
            "kind", "speaker_id", "normalized"
        )
        learnt = {SpeakerRemoval.Kind.ALIAS: self.aliases, SpeakerRemoval.Kind.ROLE: self.roles}
        for kind, speaker_id, normalized in removed:
            learnt[kind].pop((speaker_id, normalized), None)


def untaught(version: Version, speaker: Speaker) -> None:
    """Take back what ``version``'s attribution taught ``speaker``, now that an
    editor gave the quote to someone else: the alias and role its mention gives,
    unless another sure attribution of the speaker gives them too. The speaker's
    own name stays: it is how they are found."""
    if not version.speaker_mention:
        return
    with_role = version.kind != Kind.HEADLINE
    alias, role = mention_teaches(speaker, version.speaker_mention, with_role)
    aliases = {normalize_name(alias)} - {normalize_name(speaker.name), ""} if alias else set()
    roles = {normalize_name(role)} if role else set()
    if not aliases and not roles:
        return
    others = (
        Version.objects.filter(speaker=speaker, confidence__gte=TEACHING_CONFIDENCE)
        .exclude(pk=version.pk)
        .exclude(speaker_mention="")
        .values_list("speaker_mention", "kind")
        .order_by()
        .distinct()
    )
    for mention, kind in others.iterator():
        other_alias, other_role = mention_teaches(speaker, mention, kind != Kind.HEADLINE)
        aliases.discard(normalize_name(other_alias or ""))
        roles.discard(normalize_name(other_role or ""))
    SpeakerAlias.objects.filter(speaker=speaker, normalized__in=aliases).delete()
    SpeakerRole.objects.filter(speaker=speaker, normalized__in=roles).delete()


def taught_by_correction(version: Version, speaker: Speaker) -> SpeakerAlias | None:
    """What an editor's giving ``version`` to ``speaker`` teaches: that the words
    which pointed at its speaker ("the union") stand for ``speaker`` in an article that
    names them (see ``_named_in_context``). A pronoun teaches nothing, nor a mention that
    names a speaker (the attribution was by name, and the name was another's), nor
    anything an editor removed from the speaker."""
    mention = " ".join(version.speaker_mention.split())
    normalized = normalize_name(mention)
    if not normalized or normalized in PERSONAL_PRONOUNS or len(normalized.split()) > _MAX_ROLE_WORDS:
        return None
    names = {normalize_name(speaker.name)}
    if version.speaker is not None:
        names.add(normalize_name(version.speaker.name))
    if any(set(name.split()) & set(normalized.split()) for name in names):
        return None
    removed = SpeakerRemoval.objects.filter(
        speaker=speaker, kind=SpeakerRemoval.Kind.ALIAS, normalized=normalized
    )
    if removed.exists():
        return None
    alias, _ = SpeakerAlias.objects.get_or_create(
        speaker=speaker, normalized=normalized, defaults={"name": mention}
    )
    return alias


def _named_in_context(aliases: list[SpeakerAlias], text: str) -> dict[str, Speaker]:
    """What the mentions which name no one stand for in this article (``text``), from the
    aliases that match them (an editor taught "the union" for Unison): a speaker the article
    names too ("Unison" somewhere in it), when only one of those it could be does."""
    if not aliases:
        return {}
    candidates: dict[str, list[Speaker]] = {}
    for alias in aliases:
        candidates.setdefault(alias.normalized, []).append(alias.speaker)
    words = f" {normalize_name(text)} "
    found = {}
    for mention, speakers in candidates.items():
        named = [speaker for speaker in speakers if f" {normalize_name(speaker.name)} " in words]
        if len(named) == 1:
            found[mention] = named[0]
    return found


def _lock_names(keys: Iterable[str]) -> None:
    """Wait for other writes meeting these names (PostgreSQL; SQLite runs one
    write at a time). By surname: "Stoltenberg" and "Jens Stoltenberg" may be
    one speaker."""
    if connection.vendor != "postgresql":
        return
    surnames = sorted({key.split()[-1] for key in keys})
    with connection.cursor() as cursor:  # in one order, so two writes never wait for each other
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(name)) FROM unnest(%s::text[]) AS name",
            [_NAME_LOCKS, surnames],
        )


# An arbitrary constant naming the advisory locks on speakers' names.
_NAME_LOCKS = 0x5370
# An arbitrary constant naming the lock between writes and speaker merges.
_SPEAKERS_LOCK = 0x53706B72


def lock_speakers(merging: bool = False) -> None:
    """Keep speaker merges and writes apart until the transaction ends (PostgreSQL;
    SQLite runs one write at a time). A write takes it shared, before it looks up its
    speakers, so writes never wait for each other here; a merge takes it alone, so it
    waits for the writes that may have looked up a speaker it deletes, and writes that
    start meanwhile wait for it and then find the speaker it kept. Both take it after
    their article rows and before the placement lock, in the order every write takes them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        lock = "pg_advisory_xact_lock" if merging else "pg_advisory_xact_lock_shared"
        cursor.execute(f"SELECT {lock}(%s)", [_SPEAKERS_LOCK])


def _speaker_for_name(name: str, key: str, speaker_type: str | None, speakers: ArticleSpeakers) -> Speaker:
    """The speaker a name not yet known as an alias stands for, created if need be."""
    is_person = speaker_type != SpeakerType.ORGANISATION
    if is_person and " " not in key:
        # A bare surname joins a known person only when exactly one known
        # person carries it: two people who share a surname are never merged.
        known = people_with_surname(key)[:2]
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
    return _new_speaker(name, Speaker.Type.PERSON if is_person else Speaker.Type.ORGANISATION)


def _new_speaker(name: str, speaker_type: str) -> Speaker:
    """A new speaker and the alias its name gives, stored at once (later names of the same
    article look for full names among the stored aliases).

    PostgreSQL: one statement while the name's slug is free, as it mostly is (the check,
    the speaker and its alias were three round trips, the most frequent queries of an
    article's write). Otherwise, and elsewhere, the first free slug, then the speaker and
    its alias."""
    speaker = Speaker(name=name, slug=slug_of(name), type=speaker_type, created_at=timezone.now())
    alias = _alias(speaker, name)
    if connection.vendor == "postgresql" and alias is not None:
        speakers, aliases = Speaker._meta.db_table, SpeakerAlias._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH speaker AS (INSERT INTO {speakers} (name, slug, type, created_at) "
                f"SELECT %s, %s, %s, %s WHERE NOT EXISTS (SELECT 1 FROM {speakers} WHERE slug = %s) "
                f"RETURNING id), alias AS (INSERT INTO {aliases} (speaker_id, name, normalized) "
                "SELECT id, %s, %s FROM speaker) SELECT id FROM speaker",
                [name, speaker.slug, speaker_type, speaker.created_at, speaker.slug]
                + [alias.name, alias.normalized],
            )
            row = cursor.fetchone()
        if row is not None:
            speaker.pk = row[0]
            speaker._state.adding, speaker._state.db = False, connection.alias
            return speaker
    speaker.slug = unique_slug(Speaker, name)
    speaker.save()
    if alias is not None:
        alias.save()
    return speaker


def people_with_surname(surname: str):
    """Known people with an alias ending in ``surname`` (normalized). On
    PostgreSQL the trigram index speakeralias_normalized_trgm finds them."""
    return Speaker.objects.filter(
        Q(aliases__normalized__endswith=" " + surname), type=Speaker.Type.PERSON
    ).distinct()


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
    if not normalized or normalized in PERSONAL_PRONOUNS:
        return None
    return SpeakerAlias(speaker=speaker, normalized=normalized, name=name)
