"""The words every layer shares, defined once: a quote's kind, a speaker's type, an
occurrence's relation to its family's text; and the result type of extraction. Plain
Python, no Django: the models' choices take their values from here."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


class Kind:
    """How an article gives a quote: in marks, partly in marks, reported, or as its headline."""

    DIRECT = "direct"
    PARTIAL = "partial"
    INDIRECT = "indirect"
    HEADLINE = "headline"
    ALL = (DIRECT, PARTIAL, INDIRECT, HEADLINE)
    QUOTED = (DIRECT, PARTIAL)  # printed inside quote marks: the words are the speaker's


class SpeakerType:
    """What kind of source a speaker is. Only people and organisations have names
    that identify them across articles; the rest are described, as the article
    wrote them ("a senior aide", "two local councillors", "the report")."""

    PERSON = "person"
    ORGANISATION = "organisation"
    GROUP = "group"  # people described in the plural: "residents who were evacuated"
    DESCRIPTION = "description"  # one person described, never named: "a spokeswoman for the ministry"
    DOCUMENT = "document"  # a text that says something: "the complaint", "a new poll"
    ALL = (PERSON, ORGANISATION, GROUP, DESCRIPTION, DOCUMENT)
    NAMED = (PERSON, ORGANISATION)


class FoundBy:
    """How a quote's speaker was found. Only a name in the attribution itself says who
    spoke; the others point at someone the article named elsewhere, and may point wrong."""

    NAME = "name"  # the attribution names the speaker: "Jens Stoltenberg said"
    PRONOUN = "pronoun"  # "she said": the person the pronoun refers back to
    DESCRIPTION = "description"  # "the mayor said", a headline's label: whoever the words fit
    INHERITED = "inherited"  # a quote with no cue takes the speaker of the quote before it
    NONE = "none"  # no speaker found
    ALL = (NAME, PRONOUN, DESCRIPTION, INHERITED, NONE)


class Relation:
    """How an occurrence's words stand to its family's canonical text (quotes/matching.py)."""

    VERBATIM = "verbatim"  # the same words
    FRAGMENT = "fragment"  # a part of them
    VARIANT = "variant"  # the same statement reworded
    ALL = (VERBATIM, FRAGMENT, VARIANT)


@dataclass(frozen=True)
class QuoteFinding:
    """One quote found in a text.

    ``text[start:end]`` of the analysed text is the quoted words, marks
    excluded. ``speaker`` is the speaker's fullest name as the article knows
    it ("Jens Stoltenberg"), or None when no speaker could be found;
    ``speaker_start``/``speaker_end`` locate the mention that attributes the
    quote ("he", "the NATO chief"), or are None.
    """

    start: int
    end: int
    text: str
    kind: str
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_mention: str | None = None
    speaker_type: str | None = None  # a SpeakerType, or None when there is no speaker
    speaker_found_by: str = FoundBy.NONE  # a FoundBy: how the mention led to the speaker
    cue: str | None = None
    confidence: float = 0.5
    # The span of the finding that best states the statement this one reports
    # (its own span when it stands alone): see statements.py.
    statement: tuple[int, int] | None = None
    # A quote split by its cue ("“…,” she said, “…”"): the spans of all its pieces, in
    # order, this one among them (empty when the finding is whole): see statements.py.
    pieces: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
