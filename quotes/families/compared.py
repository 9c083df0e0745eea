"""A version of a family against what its versions are compared with.

That is the family's canonical text, or, once an editor attaches a primary
source, the passage of the source the version corresponds to (none: it is not
in the source). The quote page, the primary-source page, the API, the CSV
export and the check all show a version this way, from one ``ComparedVersion``:

    [version, ...] = compared_versions(versions, family.text, source)
    version.relation, version.diff, version.in_source, version.flags

The stored fields it reads (the relation matching placed the version by, its
flags and its passage's offsets) are written by ``store.compare_versions``;
what it works out from them (the relation against the passage, the word diff)
is worked out when first asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.urls import reverse

from ..words import Kind, Relation
from .diffs import excerpt_diff, word_diff
from .meaning import Flag, source_relation
from .primary import passages_of

if TYPE_CHECKING:
    from ..models import PrimarySource, Version

# What a version is compared with (the API's ``compared_with``).
CANONICAL_TEXT = "canonical_text"
PRIMARY_SOURCE = "primary_source"


@dataclass(frozen=True)
class ComparedVersion:
    """One version (``text``, printed as ``kind``) of a family whose canonical
    text is ``canonical``, compared with it, or with its ``passage`` of the
    family's primary ``source`` when it has one (``passage`` None: no passage
    of the source says it). ``version``: the stored version (None for a
    wording pasted to check)."""

    text: str
    kind: str
    canonical: str
    # How matching placed the version in its family: against the canonical text, whatever it is compared with.
    relation_to_canonical: str
    flags: tuple[Flag, ...]
    source: PrimarySource | None = None
    passage: str | None = None
    version: Version | None = None
    # A quote split by its cue is one version: ``text`` is the whole statement and these
    # are its pieces as the article printed them, each where it is (``version`` the first).
    pieces: tuple[Version, ...] = ()

    @property
    def compared_with(self) -> str:
        return CANONICAL_TEXT if self.source is None else PRIMARY_SOURCE

    @property
    def in_source(self) -> bool | None:
        """Whether a passage of the primary source says it (None: no source)."""
        return None if self.source is None else self.passage is not None

    @cached_property
    def relation(self) -> str | None:
        """Verbatim, fragment or variant, against what it is compared with (None: not in the source)."""
        if self.source is None:
            return self.relation_to_canonical
        return source_relation(self.passage, self.text) if self.passage is not None else None

    @cached_property
    def diff(self) -> list[tuple[str, str]] | None:
        """The word diff against what it is compared with, for words in quote
        marks only (a headline or a paraphrase is shown as printed: its relation
        says the rest); against the canonical text, only a reworded version (a
        variant) has one, an excerpt being shown as printed too."""
        if self.kind not in Kind.QUOTED:
            return None
        if self.source is None:
            return word_diff(self.canonical, self.text) if self.relation == Relation.VARIANT else None
        return excerpt_diff(self.passage, self.text) if self.passage is not None else None

    @property
    def anchor(self) -> str:
        """The id of its passage on the primary-source page."""
        assert self.version is not None
        return f"passage-{self.version.pk}"

    @property
    def passage_url(self) -> str:
        """Its passage, highlighted in the whole of the primary source."""
        assert self.version is not None
        return f"{reverse('quotes:primary-source', args=[self.version.family_id])}#{self.anchor}"

    def as_dict(self) -> dict:
        """What it is compared with, and how it relates to that, as the API gives it."""
        return {
            "relation": self.relation,
            "relation_to_canonical": self.relation_to_canonical,
            "compared_with": self.compared_with,
            "in_source": self.in_source,
            "source_passage": self.passage,
            # A quote split by its cue: the whole statement, and each piece where the article has it.
            "statement_text": self.text if self.pieces else None,
            "pieces": [{"text": p.text, "start": p.start, "end": p.end} for p in self.pieces],
        }


def compared_versions(
    versions: Iterable[Version], canonical: str, source: PrimarySource | None
) -> list[ComparedVersion]:
    """These stored versions of the family whose canonical text is
    ``canonical``, compared with it, or with their passages of ``source``, the
    family's current primary source (read in one query without the rest of its
    text, unless ``source.text`` is loaded: ``primary.passages_of``)."""
    versions = list(versions)
    passages: dict[tuple[int, int], str] = {}
    if source is not None:
        spans = ((o.passage_start, o.passage_end) for o in versions if o.passage_start is not None)
        passages = passages_of(source, spans)
    # The pieces of one split quote (one article, one statement) are shown as one version.
    pieces: dict[tuple[int, bool, str], list[Version]] = {}
    for version in versions:
        if version.statement_text:
            key = (version.article_id, version.in_title, version.statement_text)
            pieces.setdefault(key, []).append(version)
    compared = []
    for version in versions:
        split = ()
        if version.statement_text:
            split = tuple(
                sorted(pieces[version.article_id, version.in_title, version.statement_text],
                       key=lambda piece: piece.start)
            )  # fmt: skip
            if len(split) < 2:
                split = ()
            elif version is not split[0]:
                continue
        compared.append(
            ComparedVersion(
                text=version.said if split else version.text,
                kind=version.kind,
                canonical=canonical,
                relation_to_canonical=version.relation,
                flags=tuple(version.flags),
                source=source,
                passage=passages.get((version.passage_start, version.passage_end)),
                version=version,
                pieces=split,
            )
        )
    return compared
