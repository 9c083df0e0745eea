"""Quote scoring as in the Gender Gap Tracker evaluation (../shared/eval/README.md).

A prediction matches a gold quote when their overlap covers at least ``threshold``
of the gold span; matching is one-to-one, largest overlap first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    kind: str | None = None
    tags: frozenset = frozenset()  # subsets this item belongs to ("direct", "speech", "optional", ...)
    # The pieces of a discontinuous gold span ("A," he said. "B."); empty when it is one piece.
    parts: tuple[tuple[int, int], ...] = ()


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _gold_overlap(pred: Span, gold: Span) -> tuple[int, int]:
    """Characters of the gold quote that the prediction covers, and the gold quote's length.

    A discontinuous gold quote is measured on its pieces: the attribution and any other
    text between them ("said Sara Walker, 44, a home-care aide …") are not quoted words.
    """
    if not gold.parts:
        return _overlap(pred, gold), max(1, gold.end - gold.start)
    shared = sum(max(0, min(pred.end, e) - max(pred.start, s)) for s, e in gold.parts)
    return shared, max(1, sum(e - s for s, e in gold.parts))


def match(preds: list[Span], golds: list[Span], threshold: float) -> dict[int, int]:
    """gold index -> pred index, one-to-one, largest overlap first."""
    pairs = []
    for gi, gold in enumerate(golds):
        for pi, pred in enumerate(preds):
            shared, length = _gold_overlap(pred, gold)
            if shared and shared / length >= threshold:
                pairs.append((shared, gi, pi))
    pairs.sort(reverse=True)
    used_g, used_p, out = set(), set(), {}
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out[gi] = pi
    return out


_WORD = re.compile(r"[\w]+", re.UNICODE)


def speaker_correct(pred: Span, gold: Span) -> bool:
    """Same mention (spans overlap) or the gold surname is one of the predicted name's words."""
    if (
        pred.speaker_start is not None
        and gold.speaker_start is not None
        and min(pred.speaker_end, gold.speaker_end) > max(pred.speaker_start, gold.speaker_start)
    ):
        return True
    if not pred.speaker or not gold.speaker:
        return False
    gold_words = [w.lower() for w in _WORD.findall(gold.speaker)]
    pred_words = {w.lower() for w in _WORD.findall(pred.speaker)}
    return bool(gold_words) and gold_words[-1] in pred_words


@dataclass
class Score:
    tp_gold: int = 0  # matched gold items of the subset
    gold: int = 0
    tp_pred: int = 0  # matched predictions of the prediction subset
    pred: int = 0
    speaker_ok: int = 0
    speaker_n: int = 0
    fragments: int = 0  # predictions inside an already matched gold quote, counted by neither

    @property
    def strict_precision(self) -> float:
        """Precision with every fragment counted as a false positive."""
        pred = self.pred + self.fragments
        return 100.0 * self.tp_pred / pred if pred else 0.0

    @property
    def strict_f1(self) -> float:
        p, r = self.strict_precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def precision(self) -> float:
        return 100.0 * self.tp_pred / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return 100.0 * self.tp_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return 100.0 * self.speaker_ok / self.speaker_n if self.speaker_n else 0.0


def score(
    preds: list[Span], golds: list[Span], threshold: float, gold_tag: str | None, pred_tag: str | None
) -> Score:
    """Match everything against everything, then count the subsets.

    Recall counts gold items tagged ``gold_tag``; precision counts predictions tagged
    ``pred_tag`` that matched any gold item (a prediction matching a gold item outside
    the subset is not a false positive). Gold items tagged "optional" (borderline)
    count when found and are not missed when not.
    """
    pairs = match(preds, golds, threshold)
    result = Score()
    matched_preds = set(pairs.values())
    for gi, gold in enumerate(golds):
        if gold_tag is not None and gold_tag not in gold.tags:
            continue
        if gi in pairs:
            result.tp_gold += 1
            result.gold += 1
            if gold.speaker is not None or gold.speaker_start is not None:
                result.speaker_n += 1
                result.speaker_ok += speaker_correct(preds[pairs[gi]], gold)
        elif "optional" not in gold.tags:
            result.gold += 1
    fragments = fragments_in(preds, golds, pairs)
    for pi, pred in enumerate(preds):
        if pred_tag is not None and pred_tag not in pred.tags:
            continue
        if pi in fragments:
            result.fragments += 1
        else:
            result.pred += 1
            result.tp_pred += pi in matched_preds
    return result


def fragments_in(preds: list[Span], golds: list[Span], pairs: dict[int, int]) -> set[int]:
    """Unmatched predictions lying (80%+) inside an already matched gold span.

    Gold attributions can be discontinuous ("A," he said. "B.") or span several quote
    paragraphs; a system that reports the pieces separately has not made an error on
    the second piece, so it is neither a hit nor a false positive.
    """
    matched = set(pairs.values())
    out = set()
    for pi, pred in enumerate(preds):
        if pi in matched:
            continue
        length = max(1, pred.end - pred.start)
        if any(_overlap(pred, golds[gi]) >= 0.8 * length for gi in pairs):
            out.add(pi)
    return out
