"""Editors' corrections: recorded as ``Correction`` rows and applied at once.

The pipeline re-applies the recorded rows each time it extracts an article
again, so a correction survives re-extraction. A correction takes the locks
the pipeline's write takes, in the same order, so the two never interleave.
"""

from __future__ import annotations

from django.db import transaction

from .extraction.invisible import without_control_characters
from .families.store import (
    COMPARED_FIELDS,
    compare_versions,
    join_same_statements,
    lock_placement,
    relation_to,
)
from .models import (
    Article,
    Correction,
    Family,
    MergedSpeaker,
    RetiredFamily,
    Speaker,
    SpeakerAlias,
    SpeakerRemoval,
    SpeakerRole,
    Version,
    normalize_name,
    unique_slug,
)
from .speakers import lock_speakers, taught_by_correction, untaught


def _record(version: Version, action: str, user=None, whole_family: bool = False, **values) -> Correction:
    """Record a decision about a version's span; one made for every version of its
    quote is about the statement too (``Correction.fingerprint``)."""
    statement = Correction.statement_print(version.text) if whole_family else ""
    correction, _ = Correction.objects.update_or_create(
        article_id=version.article_id,
        in_title=version.in_title,
        start=version.start,
        end=version.end,
        action=action,
        defaults={**values, "created_by": user, "fingerprint": statement},
    )
    return correction


def _versions_locked(version: Version, whole_family: bool) -> list[Version]:
    """Take the locks the pipeline's write takes, in its order (the rows of the
    articles concerned, then the placement lock), and read the versions a
    correction is about as they are now: a write that ran meanwhile may have
    replaced the one the editor saw (found again by its span), or added to its
    family. Under these locks no write changes them until the correction commits,
    and an emptied family is deleted with no write about to add to it."""
    articles = {version.article_id}
    if whole_family:
        articles |= set(
            Version.objects.filter(family_id=version.family_id).values_list("article_id", flat=True)
        )
    _lock_as_the_pipeline(articles)
    span = {"in_title": version.in_title, "start": version.start, "end": version.end}
    current = Version.objects.select_related("family", "speaker").filter(
        article_id=version.article_id, **span
    )
    found = current.first()
    if found is None or not whole_family:
        return [found] if found else []
    # Versions in articles not locked here (added since they were read) are left as they are.
    others = Version.objects.filter(family_id=found.family_id, article_id__in=articles).exclude(pk=found.pk)
    return [found, *others.select_related("family", "speaker")]


@transaction.atomic
def correct_speaker(chosen: Version, speaker: Speaker, user=None, *, whole_family: bool = False) -> int:
    """Give a quote to ``speaker``: every version of its family (the same
    statement, whichever outlet printed it) with ``whole_family``, else this
    version only (an override of one). Each version's decision is recorded for
    its span. The family is the speaker's once every version is. Returns how
    many versions were corrected."""
    versions = _versions_locked(chosen, whole_family)
    for version in versions:
        _record(version, Correction.Action.SPEAKER, user, whole_family, speaker=speaker)
        if version.speaker != speaker:
            taught_by_correction(version, speaker)  # "the union", beside Unison, is Unison
        if version.speaker is not None and version.speaker != speaker:
            untaught(version, version.speaker)  # a wrong attribution's lesson goes with it
    Version.objects.filter(pk__in=[version.pk for version in versions]).update(
        speaker=speaker, speaker_corrected=True
    )
    chosen.speaker, chosen.speaker_corrected = speaker, True
    for family_id in {version.family_id for version in versions}:
        # A family whose every version is now this speaker's is theirs.
        if not Version.objects.filter(family_id=family_id).exclude(speaker=speaker).exists():
            Family.objects.filter(pk=family_id).update(speaker=speaker, speaker_description="")
    return len(versions)


def _lock_as_the_pipeline(article_ids, merging_speakers: bool = False) -> None:
    """The locks a pipeline write takes, in its order: the articles' rows (no key: rows that
    point at them stay free), then the placement lock. A speaker merge also takes the
    speakers' lock alone (``lock_speakers``), after the writes that may have looked up one
    of the speakers merged away."""
    list(
        Article.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk__in=article_ids)
        .order_by("pk")
        .only("pk")
    )
    if merging_speakers:
        lock_speakers(merging=True)
    lock_placement()


def speaker_named(name: str, create_as: str | None = None) -> Speaker | None:
    """The speaker called ``name`` (by name or by one of their aliases); with
    ``create_as`` (a ``Speaker.Type``), a new speaker of that type when there is none."""
    name = " ".join(without_control_characters(name).split())
    wanted = normalize_name(name)
    if not wanted:
        return None
    found = Speaker.objects.filter(name__iexact=name).first()
    found = found or Speaker.objects.filter(aliases__normalized=wanted).order_by("pk").first()
    if found is not None or create_as is None:
        return found
    speaker = Speaker.objects.create(name=name, slug=unique_slug(Speaker, name), type=create_as)
    speaker.aliases.create(name=name, normalized=wanted)
    return speaker


@transaction.atomic
def correct_family(chosen: Version, family: Family, user=None) -> None:
    for version in _versions_locked(chosen, whole_family=False):
        _record(version, Correction.Action.FAMILY, user, family=family)
        old_family = version.family
        version.family = family
        # How it relates to its new family's text, and what it changes, at once: not at the next run.
        version.relation = relation_to(family, version.text)
        compare_versions([version])
        version.save(update_fields=["family", "relation", *COMPARED_FIELDS])
        if not old_family.versions.exists():
            RetiredFamily.record([old_family], RetiredFamily.Reason.MOVED, {old_family.pk: family.pk})
            old_family.delete()


@transaction.atomic
def mark_not_a_quote(chosen: Version, user=None, *, whole_family: bool = False) -> int:
    """Take a version out as no quote at all (with ``whole_family``, every version of
    its family); a family goes when it has none left. Returns how many were removed."""
    versions = _versions_locked(chosen, whole_family)
    for version in versions:
        _record(version, Correction.Action.NOT_A_QUOTE, user, whole_family)
    Version.objects.filter(pk__in=[version.pk for version in versions]).delete()
    families = {version.family_id: version.family for version in versions}
    emptied = [family for family in families.values() if not family.versions.exists()]
    if emptied:
        RetiredFamily.record(emptied, RetiredFamily.Reason.NOT_A_QUOTE)
        Family.objects.filter(pk__in=[family.pk for family in emptied]).delete()
    return len(versions)


@transaction.atomic
def merge_speakers(target: Speaker, others: list[Speaker]) -> None:
    """Make ``others`` one speaker with ``target``: their names become its aliases,
    their pages' addresses redirect to its page, and their families of a statement the
    target's families hold too join those. Under the pipeline's locks, as a
    correction, and alone on the speakers' lock (``lock_speakers``): a write never
    gives a quote to a speaker being merged away."""
    others = [other for other in others if other.pk != target.pk]
    articles = Version.objects.filter(speaker__in=others).values_list("article_id", flat=True)
    _lock_as_the_pipeline(articles, merging_speakers=True)
    theirs = set(Family.objects.filter(speaker__in=others).values_list("pk", flat=True))
    for other in others:
        for alias in other.aliases.all():
            SpeakerAlias.objects.get_or_create(
                speaker=target, normalized=alias.normalized, defaults={"name": alias.name}
            )
        for role in other.roles.all():
            SpeakerRole.objects.get_or_create(
                speaker=target,
                normalized=role.normalized,
                defaults={"title": role.title, "first_seen": role.first_seen, "last_seen": role.last_seen},
            )
        Family.objects.filter(speaker=other).update(speaker=target)
        Version.objects.filter(speaker=other).update(speaker=target)
        Correction.objects.filter(speaker=other).update(speaker=target)
        MergedSpeaker.objects.filter(merged_into=other).update(merged_into=target)
        MergedSpeaker.objects.update_or_create(
            slug=other.slug, defaults={"name": other.name, "merged_into": target}
        )
        other.delete()
    # Their families of a statement the target's families hold too become one.
    join_same_statements(target, theirs)


@transaction.atomic
def remove_from_speaker(speaker: Speaker, kind: str, normalized: str, user=None) -> SpeakerRemoval | None:
    """An editor's removal of one of a speaker's aliases or roles (a
    ``SpeakerRemoval.Kind``), recorded so that no later article teaches it
    again. The speaker's own name is how they are found, and stays; None when
    there was nothing to remove."""
    rows = {SpeakerRemoval.Kind.ALIAS: speaker.aliases, SpeakerRemoval.Kind.ROLE: speaker.roles}[kind]
    row = rows.filter(normalized=normalized).first()
    if row is None or (kind == SpeakerRemoval.Kind.ALIAS and normalized == normalize_name(speaker.name)):
        return None
    shown = row.name if kind == SpeakerRemoval.Kind.ALIAS else row.title
    row.delete()
    removal, _ = SpeakerRemoval.objects.update_or_create(
        speaker=speaker, kind=kind, normalized=normalized, defaults={"name": shown, "created_by": user}
    )
    return removal
