"""Which mention is a quote's source, scored on PolNeAR: the engine's rules against the
source chooser (quotes/extraction/sources.py), at the mentions PolNeAR's annotators marked.

For every quote the engine finds that matches an annotated attribution (30% of the gold
span, the largest overlap), a recorder put in the engine's place of the chooser notes
each candidate's features, which candidate heads the annotated source span, which ones
lie inside it, and the rules' pick; it then leaves the rules' pick in place, so the rest
of the engine runs as without a chooser. ``make train`` fits the chooser on these
records and chooses its threshold by the share of sources read right.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Token

from quotes.extraction.engine import attribute
from quotes.extraction.extractor import prepared
from quotes.extraction.sources import SourceChooser, candidates, features

from .extraction import polnear_golds
from .scoring import Span


@dataclass
class SourceGroup:
    """One quote's candidates: their features, which one heads the annotated source, which
    ones lie inside it, and where the rules' pick is among them (None: no pick)."""

    rows: list[dict[str, float]]
    labels: list[int]
    inside: list[bool]
    rule: int | None


class SourceRecorder:
    """Stands in for the chooser: records each matched quote's candidates, keeps the rules' pick."""

    def __init__(self, golds: list[Span]) -> None:
        self.golds = golds
        self.groups: list[SourceGroup] = []

    def choose(
        self,
        doc: Doc,
        in_quote: Callable[[int], bool],
        span: tuple[int, int],
        kind: str,
        cue: Token | None,
        rule: Token | None,
        same_cue: Sequence[tuple[int, int]] = (),
    ) -> tuple[Token, float] | None:
        start, end = span
        gold = self._gold(start, end)
        if gold is None or gold.speaker_start is None:
            return None
        found = candidates(doc, in_quote, start, end, cue, rule, same_cue)
        source_start, source_end = gold.speaker_start, gold.speaker_end or gold.speaker_start + 1
        inside = [source_start <= t.idx < source_end for t in found]
        # The source span's own head: the candidate inside it whose head is outside it.
        heads = [
            t for t, i in zip(found, inside, strict=True) if i and not source_start <= t.head.idx < source_end
        ]
        head = (heads or [t for t, i in zip(found, inside, strict=True) if i] or [None])[0]
        self.groups.append(
            SourceGroup(
                features(doc, start, end, kind, cue, rule, found),
                [int(t == head) for t in found],
                inside,
                found.index(rule) if rule is not None else None,
            )
        )
        return None

    def _gold(self, start: int, end: int) -> Span | None:
        best, best_shared = None, 0
        for gold in self.golds:
            shared = max(0, min(end, gold.end) - max(start, gold.start))
            if shared and shared / max(1, gold.end - gold.start) >= 0.3 and shared > best_shared:
                best, best_shared = gold, shared
        return best


def read_polnear(path: Path, ids: Iterable[str] | None = None, leave_out: Iterable[str] = ()) -> list[dict]:
    """PolNeAR's articles of ``ids`` (None: all), but those of ``leave_out``."""
    wanted, unwanted = (set(ids) if ids is not None else None), set(leave_out)
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [r for r in records if r["id"] not in unwanted and (wanted is None or r["id"] in wanted)]


def source_groups(nlp, records: list[dict]) -> list[SourceGroup]:
    """The candidates of every matched quote of ``records`` whose attribution has a source."""
    groups: list[SourceGroup] = []
    docs = nlp.pipe((prepared(r["text"]) for r in records), batch_size=16)
    for record, doc in zip(records, docs, strict=True):
        recorder = SourceRecorder(polnear_golds(record))
        attribute(doc, sources=recorder)  # it records; the rules' picks stay
        groups.extend(recorder.groups)
    return groups


def read_right(groups: list[SourceGroup], chooser: SourceChooser | None) -> float:
    """The share of quotes whose source mention (None: the rules' pick) lies in the annotated source."""
    right = 0
    for group in groups:
        pick = group.rule if chooser is None else chooser.chosen(group.rows, group.rule)
        right += pick is not None and group.inside[pick]
    return 100 * right / max(1, len(groups))
