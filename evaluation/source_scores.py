"""Which mention is a quote's source, scored on PolNeAR: the engine's rules against the
source chooser (quotes/extraction/sources.py), at the mentions PolNeAR's annotators marked.

A recorder put in the engine's place of the chooser notes each quote's candidates, their
features and the rules' pick, and leaves the rules' pick in place, so the rest of the
engine runs as without a chooser. For every quote matched to an annotated attribution
(as the evaluation's tables match them), it then tells which candidate heads the
annotated source span and which ones lie inside it. ``make train`` fits the chooser on these
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
from .scoring import Span, match


@dataclass
class SourceGroup:
    """One quote's candidates: their features, which one heads the annotated source, which
    ones lie inside it, and where the rules' pick is among them (None: no pick)."""

    rows: list[dict[str, float]]
    labels: list[int]
    inside: list[bool]
    rule: int | None


class SourceRecorder:
    """Stands in for the chooser: notes each quote's candidates and keeps the rules' pick;
    ``groups`` then labels those of the quotes matched to an annotated attribution."""

    def __init__(self, golds: list[Span]) -> None:
        self.golds = golds
        # Each quote the chooser was asked about: its span, candidates, their features, the rules' pick.
        self._asked: list[tuple[Span, list[Token], list[dict[str, float]], int | None]] = []

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
        found = candidates(doc, in_quote, start, end, cue, rule, same_cue)
        rows = features(doc, start, end, kind, cue, rule, found)
        self._asked.append((Span(start, end), found, rows, found.index(rule) if rule is not None else None))
        return None

    def groups(self) -> list[SourceGroup]:
        """The quotes matched to an annotated attribution with a source, as the evaluation's
        tables match them (``scoring.match``: 30% of the gold's quoted words, one to one)."""
        matched = match([asked[0] for asked in self._asked], self.golds, 0.3)
        groups = []
        for gold_index, asked_index in sorted(matched.items(), key=lambda pair: pair[1]):
            gold = self.golds[gold_index]
            if gold.speaker_start is None:
                continue
            _span, found, rows, rule = self._asked[asked_index]
            source_start, source_end = gold.speaker_start, gold.speaker_end or gold.speaker_start + 1
            inside = [source_start <= t.idx < source_end for t in found]
            # The source span's own head: the candidate inside it whose head is outside it.
            heads = [
                t
                for t, i in zip(found, inside, strict=True)
                if i and not source_start <= t.head.idx < source_end
            ]
            head = (heads or [t for t, i in zip(found, inside, strict=True) if i] or [None])[0]
            groups.append(SourceGroup(rows, [int(t == head) for t in found], inside, rule))
        return groups


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
        groups.extend(recorder.groups())
    return groups


def read_right(groups: list[SourceGroup], chooser: SourceChooser | None) -> float:
    """The share of quotes whose source mention (None: the rules' pick) lies in the annotated source."""
    right = 0
    for group in groups:
        pick = group.rule if chooser is None else chooser.chosen(group.rows, group.rule)
        right += pick is not None and group.inside[pick]
    return 100 * right / max(1, len(groups))
