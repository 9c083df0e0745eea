"""The result type of extraction: one quote found in a text. Plain Python, no Django;
the words its fields take (a kind, a speaker's type, how the speaker was found) are
the ones every layer shares, in ``quotes.words``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..words import FoundBy


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
    kind: str  # a Kind
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
