"""The frame classifier (quotes/extraction/frame_model.py) beside the rules alone.

Its data: PolNeAR's train split (../shared/eval/polnear-train.jsonl), halved by article
id — one half fits the regression, the other chooses among the fitted ones — and
GUM's attributions (../shared/eval/gum-train.jsonl) by GUM's own split: train fits,
dev chooses, test is only measured; each text is parsed as the product prepares it
(``extractor.prepared``). A candidate is a reported clause the rules find;
it is a positive when an annotator marked an attribution there (the clause covers 30%
of the attribution, or lies 80% inside one: a piece of a split one), else a negative.

``make eval`` prints, for the rules alone and with the classifier, PolNeAR (all
attributions, direct, speech-verb cues) on the half it was fitted on, the half it was
chosen on, and GUM's test split.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from quotes.extraction.engine import frame_candidates
from quotes.extraction.extractor import prepared
from quotes.extraction.frame_model import WEIGHTS_PATH, FrameClassifier

from .extraction import ours, polnear_golds
from .scoring import Score, Span, score

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
POLNEAR, GUM_PATH = SHARED / "polnear-train.jsonl", SHARED / "gum-train.jsonl"
# Of a gold attribution, the share a candidate must cover to be marked there; or of the
# candidate, the share that must lie inside an attribution (a piece of a split one).
_COVERS, _INSIDE = 0.3, 0.8


def fitted_on(article_id: str) -> bool:
    """The PolNeAR articles the classifier is fitted on: half of them, by a checksum of
    their id; the others choose among the fitted ones."""
    return zlib.crc32(article_id.encode("utf-8")) % 2 == 0


@dataclass
class Article:
    id: str
    doc: object
    golds: list[Span]
    candidates: list[tuple[int, int, dict[str, float]]] = field(default_factory=list)
    findings: list = field(default_factory=list)  # the rules' alone, where training needs them

    def labels(self) -> list[int]:
        return [int(_marked(start, end, self.golds)) for start, end, _ in self.candidates]


def _marked(start: int, end: int, golds: list[Span]) -> bool:
    for gold in golds:
        shared = max(0, min(end, gold.end) - max(start, gold.start))
        if shared >= _COVERS * max(1, gold.end - gold.start) or shared >= _INSIDE * max(1, end - start):
            return True
    return False


def read_polnear(nlp) -> list[Article]:
    with POLNEAR.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    docs = nlp.pipe((prepared(r["text"]) for r in records), batch_size=16)
    return [Article(r["id"], doc, polnear_golds(r)) for r, doc in zip(records, docs, strict=True)]


def read_gum(nlp, split: str) -> list[Article]:
    with GUM_PATH.open(encoding="utf-8") as handle:
        records = [r for r in (json.loads(line) for line in handle) if r["split"] == split]
    docs = nlp.pipe((prepared(r["text"]) for r in records), batch_size=8)
    articles = []
    for record, doc in zip(records, docs, strict=True):
        golds = [
            Span(
                q["start"],
                q["end"],
                q.get("speaker"),
                q.get("speaker_start"),
                q.get("speaker_end"),
                q["kind"],
            )
            for q in record["quotes"]
        ]
        articles.append(Article(record["id"], doc, golds))
    return articles


def with_candidates(articles: list[Article]) -> list[Article]:
    for article in articles:
        article.candidates = frame_candidates(article.doc)
    return articles


def groups(articles: list[Article]) -> list[tuple[list[dict[str, float]], list[int]]]:
    """The candidates of each article and their labels, as training.py's regression takes them."""
    return [([f for _, _, f in a.candidates], a.labels()) for a in articles if a.candidates]


def total(parts: list[Score]) -> Score:
    total = Score()
    for part in parts:
        for name in ("tp_gold", "gold", "tp_pred", "pred", "speaker_ok", "speaker_n", "fragments"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
    return total


def system_scores(
    articles: list[Article], frames: FrameClassifier | None, subsets=((None, None),)
) -> list[Score]:
    """The whole extraction's scores at 30% overlap, with the classifier or the rules alone
    (``frames`` None), per (gold tag, prediction tag) subset."""
    spans = [ours(a.doc, fold_nested=True, frames=frames) for a in articles]
    return [
        total([score(s, a.golds, 0.3, gold_tag, pred_tag) for s, a in zip(spans, articles, strict=True)])
        for gold_tag, pred_tag in subsets
    ]


_POLNEAR_SUBSETS = (("all", None, None), ("direct", "direct", "marked"), ("speech-verb", "speech", None))


def _cells(s: Score) -> str:
    return f"P {s.precision:5.1f} R {s.recall:5.1f} F1 {s.f1:5.1f}"


def report(nlp, polnear: list[Article] | None = None) -> None:
    """Prints the rules alone beside the committed classifier."""
    if not WEIGHTS_PATH.exists() or not POLNEAR.exists() or not GUM_PATH.exists():
        print("Frame classifier: weights or ../shared/eval data missing — skipped.")
        return
    payload = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    learned = FrameClassifier.from_file()
    in_engine = "in the engine" if payload.get("in_engine") else "NOT in the engine (the rules alone run)"
    print(
        f"Frame classifier (data/frame_classifier.json, threshold {learned.threshold}; {in_engine});"
        " PolNeAR train is the dev set, and the classifier was fitted on its first half"
    )
    polnear = polnear if polnear is not None else read_polnear(nlp)
    halves = (
        ("PolNeAR half fitted on", [a for a in polnear if fitted_on(a.id)]),
        ("PolNeAR half chosen on", [a for a in polnear if not fitted_on(a.id)]),
    )
    subsets = [(g, p) for _, g, p in _POLNEAR_SUBSETS]
    for label, articles in halves:
        rules = system_scores(articles, None, subsets)
        model = system_scores(articles, learned, subsets)
        for (name, _, _), r, m in zip(_POLNEAR_SUBSETS, rules, model, strict=True):
            row = f"{label} ({len(articles)}), {name}"
            print(f"  {row:<40} rules: {_cells(r)} | classifier: {_cells(m)}")
    test = read_gum(nlp, "test")
    (rules,), (model,) = system_scores(test, None), system_scores(test, learned)
    row = f"GUM test ({len(test)} documents), all"
    print(f"  {row:<40} rules: {_cells(rules)} | classifier: {_cells(model)}")
