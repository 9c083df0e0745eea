"""Precision and recall per class of false or missed quote (issue #28) on made-up sentences.

    python -m evaluation.constructed

``evaluation/data/constructed-sentences.json`` holds short texts written for this
table (never corpus text), grouped by the class of error they probe: frames in which
a speech verb states nothing, link lines and sub-heads, scare quotes, titles and
signs, captions with a credit, datelines, quotes split around an inserted cue, cue
constructions, partial quotes with a speaker, subjects the parser misses,
signatures on a line of their own, tweet signatures, reported clauses the parser
mangles around their cue, and short quotes followed by their cue. Each text lists the
quotes it holds (none for a text that holds only look-alikes), with the speaker's surname
where one is named.

A finding matches a gold quote when the two spans, trimmed of quote marks,
punctuation and spaces, each lie at least ``OVERLAP`` inside the other: a dateline
leaking into a quote or half of a split quote is a miss and a false quote, not a hit.
Matching is one-to-one within a text, each parsed as the product prepares it. Speaker:
the gold surname among the finding's speaker's words, over the matched quotes that name
one. A text of several quotes by one speaker is one statement in pieces: "one statement"
counts those whose pieces were all found and given one statement.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from quotes.extraction import extract_doc, load_model
from quotes.extraction.extractor import prepared
from quotes.extraction.frame_model import COMMITTED, FrameClassifier

DATA = Path(__file__).resolve().parent / "data" / "constructed-sentences.json"
OVERLAP = 0.9
_TRIM = " \t\n.,;:!?\"'“”‘’«»„—–-"
_WORD = re.compile(r"\w+")


@dataclass
class ClassScore:
    texts: int = 0
    gold: int = 0
    found: int = 0
    hits: int = 0
    speakers_named: int = 0
    speakers_right: int = 0
    split: int = 0  # texts of a statement in pieces (two gold quotes or more), every piece found
    joined: int = 0  # of those, the ones whose pieces came out as one statement

    @property
    def precision(self) -> float:
        return 100.0 * self.hits / self.found if self.found else 100.0

    @property
    def recall(self) -> float:
        return 100.0 * self.hits / self.gold if self.gold else 100.0


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _same(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shared = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return shared >= OVERLAP * max(1, a[1] - a[0]) and shared >= OVERLAP * max(1, b[1] - b[0])


def score_text(text: str, golds: list[dict], findings: list, total: ClassScore) -> list[str]:
    """Adds one text's counts to ``total``; returns its errors, a line each."""
    spans = []
    for gold in golds:
        start = text.index(gold["text"])
        spans.append(_trimmed(text, start, start + len(gold["text"])))
    found = [_trimmed(text, f.start, f.end) for f in findings]
    matched: dict[int, int] = {}
    for gi, gold_span in enumerate(spans):
        for fi, span in enumerate(found):
            if fi not in matched.values() and _same(gold_span, span):
                matched[gi] = fi
                break
    total.texts += 1
    total.gold += len(golds)
    total.found += len(findings)
    total.hits += len(matched)
    errors = []
    for gi, fi in matched.items():
        surname = golds[gi].get("speaker")
        if surname:
            total.speakers_named += 1
            words = {w.lower() for w in _WORD.findall(findings[fi].speaker or "")}
            if surname.lower() in words:
                total.speakers_right += 1
            else:
                errors.append(f"speaker {findings[fi].speaker!r}, not {surname}: “{golds[gi]['text']}”")
    if len(golds) > 1 and len(matched) == len(golds) and len({g.get("speaker") for g in golds}) == 1:
        total.split += 1
        if len({findings[fi].statement for fi in matched.values()}) == 1:
            total.joined += 1
        else:
            errors.append(f"pieces of one statement apart: “{text[spans[0][0] : spans[-1][1]]}”")
    errors += [f"missed: “{g['text']}”" for gi, g in enumerate(golds) if gi not in matched]
    errors += [f"false: “{text[s:e]}”" for fi, (s, e) in enumerate(found) if fi not in matched.values()]
    return errors


def evaluate(
    nlp, path: Path = DATA, show_errors: bool = False, frames: FrameClassifier | None | str = COMMITTED
) -> dict[str, ClassScore]:
    """Each class's counts; ``frames`` as ``extract_doc`` takes it (training compares the rules
    alone with a fitted frame classifier)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    scores: dict[str, ClassScore] = {}
    for group in data["classes"]:
        total = scores.setdefault(group["name"], ClassScore())
        texts = [item["text"] for item in group["items"]]
        for item, doc in zip(group["items"], nlp.pipe(prepared(t) for t in texts), strict=True):
            errors = score_text(item["text"], item["quotes"], extract_doc(doc, frames), total)
            if show_errors:
                for error in errors:
                    print(f"    {group['name']}: {error}")
    return scores


def report(nlp) -> None:
    """Prints the table, each text's errors above it."""
    print(
        "Made-up sentences by class of false or missed quote (evaluation/data/constructed-sentences.json);"
        f" a hit: each span {100 * OVERLAP:.0f}% inside the other"
    )
    scores = evaluate(nlp, show_errors=True)
    overall = ClassScore()
    for name, s in scores.items():
        spk = f"{100 * s.speakers_right / s.speakers_named:5.1f}%" if s.speakers_named else "    -"
        joined = f", one statement {s.joined}/{s.split}" if s.split else ""
        print(
            f"  {name:<32} P {s.precision:5.1f} R {s.recall:5.1f}  spk {spk}"
            f"  ({s.texts} texts, {s.gold} quotes, {s.found} found{joined})"
        )
        for field in ("texts", "gold", "found", "hits", "speakers_named", "speakers_right"):
            setattr(overall, field, getattr(overall, field) + getattr(s, field))
    print(f"  {'all':<32} P {overall.precision:5.1f} R {overall.recall:5.1f}")


def main() -> None:
    report(load_model())


if __name__ == "__main__":
    main()
