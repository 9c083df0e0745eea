"""Evaluate quote extraction against textacy's ``direct_quotations``, on the same parses.

    python -m evaluation [--limit N] [--polnear PATH]

Prints, side by side for both systems: precision, recall and F1 at 30% and 80%
overlap and speaker accuracy — on the seeds' gold (by kind, plus whether any
``not_quotes`` were reported) and on PolNeAR (all attributions, direct quotes,
speech-verb attributions) — and articles per second; ours alone on made-up sentences,
precision and recall per class of false or missed quote (:mod:`.constructed`).

Conventions beyond ../shared/eval/README.md, so the two systems are compared fairly:
- Fragments: an unmatched prediction lying inside an already matched gold span (the
  second half of "A," he said. "B.", which PolNeAR annotates as one attribution)
  is neither a hit nor a false positive, for both systems; "strict" precision and F1
  count every such fragment as a false positive.
- One global one-to-one matching; a subset's recall counts its gold items, its
  precision the predictions of the matching kind that hit any gold item.
- Our partial quotes nested inside our own reported clause are folded into it
  for PolNeAR, which annotates such a clause with its quoted words as one
  "mixed" attribution. textacy's spans lose their quote marks, like ours.
- textacy bails out (ValueError) on texts with unbalanced marks; those count as
  no quotes found, as they would in production.
- Seeds: borderline gold records are optional (no miss when not found).
- A discontinuous PolNeAR quote ("A," he said. "B.") is measured on its fragments, not on
  the hull that also holds the attribution and any text between the pieces.
"""

from __future__ import annotations

import argparse
import json
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from quotes.extraction import extract_doc, load_model
from quotes.extraction.engine import frame_candidates
from quotes.extraction.extractor import prepared
from quotes.extraction.frame_model import COMMITTED, FrameClassifier
from quotes.words import FoundBy, Kind

from . import constructed
from .scoring import Score, Span, fragments_in, match, score, speaker_correct

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "quotes" / "seeds"
POLNEAR = REPO.parent / "shared" / "eval" / "polnear-train.jsonl"
NAMES = REPO.parent / "shared" / "eval" / "polnear-train-names.jsonl"  # dev: rules are read against it
MORE_NAMES = REPO / "evaluation" / "data" / "polnear-dev-names.jsonl"  # dev too: 80 more articles
HELDOUT_NAMES = REPO / "evaluation" / "data" / "polnear-heldout-names.jsonl"  # held out: measured only
FITTING_NAMES = REPO / "evaluation" / "data" / "polnear-fitting-names.jsonl"  # make train fits on it only
THRESHOLDS = (0.3, 0.8)
_MARKS = "\"'“”„«»‹›‘’‚"

# Communication verbs that define PolNeAR's "speech attribution" subset (a fixed, documented list).
_SPEECH_VERBS = [
    "say",
    "tell",
    "add",
    "write",
    "ask",
    "state",
    "note",
    "explain",
    "announce",
    "argue",
    "claim",
    "declare",
    "insist",
    "warn",
    "respond",
    "reply",
    "tweet",
    "acknowledge",
    "admit",
    "recall",
    "urge",
    "stress",
    "emphasize",
    "confirm",
    "deny",
    "report",
    "suggest",
    "predict",
    "promise",
    "comment",
    "testify",
    "concede",
    "contend",
    "assert",
    "complain",
    "describe",
    "remark",
    "reiterate",
    "repeat",
    "point",
    "conclude",
]
_IRREGULAR = {"said", "told", "wrote", "written", "spoke", "spoken"}


def _verb_forms(verbs: Iterable[str]) -> set[str]:
    forms = set(_IRREGULAR)
    for verb in verbs:
        forms |= {verb, verb + "s", verb + "ed", verb + "d", verb + "ing", verb + "es"}
        if verb.endswith("e"):
            forms.add(verb[:-1] + "ing")
        if verb.endswith("y"):
            forms |= {verb[:-1] + "ied", verb[:-1] + "ies"}
    return forms


_SPEECH_FORMS = _verb_forms(_SPEECH_VERBS)


def _is_speech_cue(cue: str | None) -> bool:
    if not cue:
        return False
    lowered = cue.lower()
    return "according to" in lowered or any(w.strip(":,") in _SPEECH_FORMS for w in lowered.split())


def _strip_marks(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start] in _MARKS or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _MARKS or text[end - 1].isspace()):
        end -= 1
    return start, end


def _is_marked(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return bool(before) and before[-1] in _MARKS


# The confidence below which the pages flag an attribution for an editor (Version.LOW_CONFIDENCE).
FLAGGED_BELOW = 0.6


# --- the two systems ---------------------------------------------------------------------------------
def ours(
    doc, fold_nested: bool, frames: FrameClassifier | None | str = COMMITTED, sources: str | None = COMMITTED
) -> list[Span]:
    """Our findings as scored spans; ``frames`` None: the rules alone decide every frame;
    ``sources`` None: the rules alone pick every quote's source."""
    return spans_of(doc.text, extract_doc(doc, frames, sources), fold_nested)


def spans_of(text: str, findings: list, fold_nested: bool) -> list[Span]:
    spans = [
        Span(
            f.start,
            f.end,
            f.speaker,
            f.speaker_start,
            f.speaker_end,
            f.kind,
            frozenset(
                ({"marked"} if _is_marked(text, f.start) else set())
                | ({"flagged"} if f.confidence < FLAGGED_BELOW else set())
                | {_speaker_class(f)}
            ),
        )
        for f in findings
    ]
    if fold_nested:
        spans = [
            s
            for s in spans
            if not any(
                o is not s and o.start <= s.start and s.end <= o.end and (o.start, o.end) != (s.start, s.end)
                for o in spans
            )
        ]
    return spans


def _speaker_class(finding) -> str:
    """How a finding got its speaker: from its own attribution, from the quote before it, or none."""
    if finding.speaker is None:
        return "speakerless"
    if finding.speaker_found_by == FoundBy.INHERITED:
        return "inherited"
    return "attributed"


def textacy_quotes(doc) -> list[Span]:
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        return []
    spans = []
    for triple in triples:
        start, end = _strip_marks(doc.text, triple.content.start_char, triple.content.end_char)
        speaker = triple.speaker
        name = " ".join(t.text for t in speaker) if speaker else None
        s_start = min(t.idx for t in speaker) if speaker else None
        s_end = max(t.idx + len(t) for t in speaker) if speaker else None
        spans.append(Span(start, end, name, s_start, s_end, "direct", frozenset({"marked"})))
    return spans


# --- printing ----------------------------------------------------------------------------------------
def _row(label: str, scores: dict[str, dict[float, Score]]) -> str:
    cells = []
    for system in ("ours", "textacy"):
        by_t = scores[system]
        s30, s80 = by_t[0.3], by_t[0.8]
        cells.append(
            f"P {s30.precision:5.1f} R {s30.recall:5.1f} F1 {s30.f1:5.1f} | F1@80 {s80.f1:5.1f}"
            f" | strict P {s30.strict_precision:5.1f} F1 {s30.strict_f1:5.1f}"
            f" | spk {s30.speaker_accuracy:5.1f}% (n={s30.speaker_n})"
        )
    return f"  {label:<22} ours: {cells[0]}\n  {'':<22} txcy: {cells[1]}"


def _accumulate(total: Score, part: Score) -> None:
    for field in ("tp_gold", "gold", "tp_pred", "pred", "speaker_ok", "speaker_n", "fragments"):
        setattr(total, field, getattr(total, field) + getattr(part, field))


def _evaluate(
    items: list[tuple[list[Span], list[Span], list[Span]]], subsets: list[tuple[str, str | None, str | None]]
) -> None:
    for label, gold_tag, pred_tag in subsets:
        scores: dict[str, dict[float, Score]] = {}
        for index, system in enumerate(("ours", "textacy")):
            scores[system] = {}
            for threshold in THRESHOLDS:
                total = Score()
                for golds, *preds in items:
                    _accumulate(total, score(preds[index], golds, threshold, gold_tag, pred_tag))
                scores[system][threshold] = total
        print(_row(label, scores))


# --- our quotes by how their speaker was found ----------------------------------------------------------
def held_out(article_id: str) -> bool:
    """A third of PolNeAR train, by a checksum of the article's id, that is measured but never
    read for errors (the rest is the dev set the rules are read against)."""
    return zlib.crc32(article_id.encode("utf-8")) % 3 == 0


_SPEAKER_CLASSES = [
    (Kind.PARTIAL, "attributed", "partial, own speaker"),
    (Kind.PARTIAL, "inherited", "partial, no cue, inherited"),
    (Kind.DIRECT, "attributed", "direct, own speaker"),
    (Kind.DIRECT, "inherited", "direct, no cue, inherited"),
    (Kind.DIRECT, "speakerless", "direct, no speaker"),
]


@dataclass
class _Reported:
    n: int = 0  # predictions of the class, fragments of an already matched gold quote left out
    hits: int = 0  # of those, matched to a gold quote
    right: int = 0  # of the hits, with the gold speaker
    wrong_speaker: int = 0  # of the hits, given a speaker who is not the gold one (none is not wrong)

    def cells(self) -> str:
        wrong = self.n - self.hits + self.wrong_speaker
        p = 100.0 * self.hits / self.n if self.n else 0.0
        spk = 100.0 * self.right / self.hits if self.hits else 0.0
        share = 100.0 * wrong / self.n if self.n else 0.0
        return f"n {self.n:4} P {p:5.1f} spk {spk:5.1f}% wrong {wrong:3} ({share:4.1f}%)"


def print_speaker_classes(articles: list[tuple[str, list[Span], list[Span]]]) -> None:
    """Our PolNeAR quotes by kind and by how their speaker was found, on the dev part and the
    held-out part: P, the speaker right among the hits, and wrong = not a quote or the wrong speaker."""
    print(
        "\nOur PolNeAR quotes by how the speaker was found (dev / held-out third, by checksum of the id):"
        " P = matched a gold quote; spk = the gold speaker, of those;"
        " wrong = no quote, or a speaker who is not the gold one"
    )
    counts = {(kind, cls, part): _Reported() for kind, cls, _ in _SPEAKER_CLASSES for part in (False, True)}
    for article_id, golds, preds in articles:
        pairs = match(preds, golds, 0.3)
        by_pred = {pi: gi for gi, pi in pairs.items()}
        fragments = fragments_in(preds, golds, pairs)
        for pi, pred in enumerate(preds):
            cls = next((c for c in ("attributed", "inherited", "speakerless") if c in pred.tags), None)
            counted = counts.get((pred.kind, cls, held_out(article_id)))
            if counted is None or pi in fragments:
                continue
            counted.n += 1
            if pi in by_pred:
                counted.hits += 1
                right = speaker_correct(pred, golds[by_pred[pi]])
                counted.right += right
                counted.wrong_speaker += not right and pred.speaker is not None
    for kind, cls, label in _SPEAKER_CLASSES:
        dev, held = counts[kind, cls, False], counts[kind, cls, True]
        print(f"  {label:<28} dev {dev.cells()} | held-out {held.cells()}")


def _complement(features: dict[str, float]) -> str:
    return next(name.split("=", 1)[1] for name in features if name.startswith("complement="))


def print_frame_classes(articles: list[tuple[str, object, list[Span], list[Span]]]) -> None:
    """Our PolNeAR reported clauses by the frame their cue stands in (the complement the
    clause is: a that-clause, a bare clause, an infinitive, a noun object, …), on the dev
    part and the held-out part: P = matched a gold attribution."""
    print(
        "\nOur PolNeAR reported clauses by frame (dev / held-out third): P = matched a gold attribution;"
        " fp = matched none (fragments of a matched one left out)"
    )
    counts: dict[tuple[str, bool], list[int]] = {}
    for article_id, doc, golds, preds in articles:
        frames = {(start, end): _complement(features) for start, end, features in frame_candidates(doc)}
        pairs = match(preds, golds, 0.3)
        hits = set(pairs.values())
        fragments = fragments_in(preds, golds, pairs)
        for pi, pred in enumerate(preds):
            frame = frames.get((pred.start, pred.end))
            if pred.kind != Kind.INDIRECT or frame is None or pi in fragments:
                continue
            counted = counts.setdefault((frame, held_out(article_id)), [0, 0])
            counted[0] += 1
            counted[1] += pi in hits
    for frame in sorted({f for f, _ in counts}, key=lambda f: -counts.get((f, False), [0])[0]):
        cells = []
        for part in (False, True):
            n, hit = counts.get((frame, part), [0, 0])
            cells.append(f"n {n:4} P {100.0 * hit / n if n else 0.0:5.1f} fp {n - hit:3}")
        print(f"  {frame:<28} dev {cells[0]} | held-out {cells[1]}")


# --- seeds -------------------------------------------------------------------------------------------
def evaluate_seeds(nlp) -> None:
    gold_path = SEEDS / "seeds.gold.json"
    if not gold_path.exists():
        print(f"Seeds: {gold_path} not found — skipped.")
        return
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    files = sorted({q["file"] for q in gold["quotes"]})
    texts = [(SEEDS / name).read_text(encoding="utf-8") for name in files]
    items, not_quotes_hit = [], {"ours": [], "textacy": []}
    for name, doc in zip(files, nlp.pipe(prepared(t) for t in texts), strict=True):
        golds = [
            Span(
                q["start"],
                q["end"],
                q["speaker"],
                None,
                None,
                q["kind"],
                frozenset({q["kind"]} | ({"optional"} if q.get("borderline") else set())),
            )
            for q in gold["quotes"]
            if q["file"] == name
        ]
        preds = {"ours": ours(doc, fold_nested=False), "textacy": textacy_quotes(doc)}
        for system, spans in preds.items():
            for nq in (n for n in gold["not_quotes"] if n["file"] == name):
                for p in spans:
                    shared = max(0, min(p.end, nq["end"]) - max(p.start, nq["start"]))
                    if shared >= 0.5 * (p.end - p.start) and shared >= 0.3 * (nq["end"] - nq["start"]):
                        not_quotes_hit[system].append(f"{name[:3]}:{nq['text']}")
        items.append((golds, preds["ours"], preds["textacy"]))
    total = len(gold["quotes"])
    borderline = sum(q.get("borderline", False) for q in gold["quotes"])
    print(
        f"Seeds gold: {len(files)} articles, {total} quotes ({borderline}"
        " borderline = optional), speaker = gold surname among the predicted name's words"
    )
    _evaluate(
        items,
        [
            ("all", None, None),
            ("direct", "direct", None),
            ("partial", "partial", None),
            ("indirect", "indirect", None),
            ("headline", "headline", None),
        ],
    )
    print("  (per-kind rows: recall and speaker accuracy are per kind; precision is over all predictions)")
    for system, hits in not_quotes_hit.items():
        print(
            f"  not_quotes reported by {system}: {len(hits)}/{len(gold['not_quotes'])} {hits if hits else ''}"
        )


# --- PolNeAR -----------------------------------------------------------------------------------------
def polnear_golds(record: dict) -> list[Span]:
    golds = []
    for q in record["quotes"]:
        tags = {q["kind"]}
        if _is_speech_cue(q.get("cue")):
            tags.add("speech")
        golds.append(
            Span(
                q["start"],
                q["end"],
                q.get("speaker"),
                q.get("speaker_start"),
                q.get("speaker_end"),
                q["kind"],
                frozenset(tags),
                tuple((f["start"], f["end"]) for f in q.get("fragments") or ()),
            )
        )
    return golds


def _timed(function: Callable, docs: list) -> tuple[list, float]:
    """The results and the CPU seconds this process spent on them: other work on the
    machine does not count, so runs on a busy machine compare with quiet ones."""
    start = time.process_time()
    out = [function(doc) for doc in docs]
    return out, time.process_time() - start


def evaluate_polnear(nlp, path: Path, limit: int | None) -> list[tuple[dict, object]]:
    """Prints the PolNeAR tables; returns the records with their parses."""
    if not path.exists():
        print(f"PolNeAR: {path} not found — skipped (it lives outside the repository, in ../shared/eval/).")
        return []
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    if limit:
        records = records[:limit]
    started = time.process_time()
    docs = list(nlp.pipe((prepared(r["text"]) for r in records), batch_size=16))
    parse_seconds = time.process_time() - started
    ours_spans, ours_seconds = _timed(lambda d: ours(d, fold_nested=True), docs)
    textacy_spans, textacy_seconds = _timed(textacy_quotes, docs)
    items = [(polnear_golds(r), o, t) for r, o, t in zip(records, ours_spans, textacy_spans, strict=True)]
    n_gold = sum(len(g) for g, _, _ in items)
    n_direct = sum("direct" in s.tags for g, _, _ in items for s in g)
    n_speech = sum("speech" in s.tags for g, _, _ in items for s in g)
    print(
        f"\nPolNeAR train: {len(records)} articles, {n_gold} attributions"
        f" ({n_direct} direct, {n_speech} speech-verb);"
        " speaker = mention spans overlap, or gold mention's last word in the predicted name"
    )
    _evaluate(
        items,
        [
            ("all attributions", None, None),
            ("direct (marked)", "direct", "marked"),
            ("speech-verb cues", "speech", None),
        ],
    )
    for part, label in ((False, "dev"), (True, "held-out")):
        share = "a third" if part else "two thirds"
        print(f"  the {label} part ({share} of the articles, by checksum of the id):")
        _evaluate(
            [item for r, item in zip(records, items, strict=True) if held_out(r["id"]) == part],
            [(f"all, {label}", None, None), (f"direct, {label}", "direct", "marked")],
        )
    print_speaker_classes([(r["id"], g, o) for r, (g, o, _) in zip(records, items, strict=True)])
    print_frame_classes(
        [(r["id"], doc, g, o) for r, doc, (g, o, _) in zip(records, docs, items, strict=True)]
    )
    n = len(docs)
    print(
        f"\nSpeed on {n} PolNeAR articles ({sum(len(r['text']) for r in records) / max(1, n):.0f} chars avg),"
        f" 1 process, CPU time:"
    )
    print(f"  bare nlp.pipe parse:          {n / parse_seconds:7.1f} articles/s")
    print(
        f"  parse + our extraction:       {n / (parse_seconds + ours_seconds):7.1f} articles/s"
        f"  (extraction alone {1000 * ours_seconds / max(1, n):.1f} ms/article,"
        f" {100 * ours_seconds / parse_seconds:.1f}% of the parse)"
    )
    print(
        f"  parse + textacy quotations:   {n / (parse_seconds + textacy_seconds):7.1f} articles/s"
        f"  (textacy alone {1000 * textacy_seconds / max(1, n):.1f} ms/article)"
    )
    return list(zip(records, docs, strict=True))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m evaluation", description="Quote extraction evaluation")
    parser.add_argument(
        "--limit", type=int, default=None, help="only the first N PolNeAR articles (default: all 840)"
    )
    parser.add_argument(
        "--polnear", type=Path, default=POLNEAR, help="PolNeAR JSON lines (default ../shared/eval/)"
    )
    parser.add_argument(
        "--names", type=Path, default=NAMES, help="resolved speaker names, dev set (default ../shared/eval/)"
    )
    parser.add_argument(
        "--heldout-names",
        type=Path,
        default=HELDOUT_NAMES,
        help="resolved speaker names, held-out set (default evaluation/data/)",
    )
    parser.add_argument(
        "--names-errors",
        type=Path,
        default=None,
        help="write the dev set's wrong or missing speakers here (JSON lines; never the held-out set's)",
    )
    args, _unknown = parser.parse_known_args(argv)
    from . import frame_scores  # both build on this module's two systems
    from .names import evaluate_names

    nlp = load_model()
    print("Quote extraction — ours vs textacy direct_quotations, same texts, same spaCy model\n")
    evaluate_seeds(nlp)
    print()
    constructed.report(nlp)
    parsed = evaluate_polnear(nlp, args.polnear, args.limit)
    if parsed:
        print()
        frame_scores.report(nlp, [frame_scores.Article(r["id"], doc, polnear_golds(r)) for r, doc in parsed])
    evaluate_names(
        nlp,
        [args.names, MORE_NAMES],
        args.polnear,
        args.names_errors,
        label="DEV set (polnear-train-names + polnear-dev-names)",
    )
    evaluate_names(
        nlp, args.heldout_names, args.polnear, label="HELD-OUT set (polnear-heldout-names, not tuned on)"
    )


if __name__ == "__main__":
    main()
