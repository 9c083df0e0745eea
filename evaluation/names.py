"""Speakers by resolved name, on two hand-resolved PolNeAR subsets.

- the dev set, ``../shared/eval/polnear-train-names.jsonl`` (84 articles) and
  ``evaluation/data/polnear-dev-names.jsonl`` (80 more): rules are read against it,
  ``--names-errors`` writes its misses for reading, and ``make train`` fits the entity
  layer's models on every other article of the first file and chooses them on the rest;
- the held-out set, ``evaluation/data/polnear-heldout-names.jsonl`` (80 other train
  articles, see ``evaluation/data/README.md``): measured only, never read for errors,
  so that a rule tuned to the dev set shows up as a gap between the two.

PolNeAR's own gold speaker is the mention as written ("he"), so a prediction on
that span counts as right whoever it names. Here each attribution's speaker is
the name the article gives the referent, and a predicted speaker is right when:

- a person or organisation: the gold name's last word is one of the predicted
  name's words ("Trump" in "Donald Trump");
- a group, description, document or generic source: the head noun of the gold
  description is one of the predicted name's words ("aide" in "a senior aide");
- a document, also: the prediction names its issuer, every word of it in the
  document's name ("SITE Intelligence Group" for "a report from the SITE
  Intelligence Group"): the product credits a document to its issuer.

That lenient test cannot tell family members apart ("Trump" is right for Ivanka
Trump), so a **strict** accuracy is printed beside it: a person's predicted name
that passes the lenient test is right only when it names the same person as
the gold, that is

- every word of the gold name (titles aside) is in the prediction, and the
  prediction holds no other person's full name ("Donald Trump Jr." is not
  "Donald Trump"); or
- the prediction's words are all in the gold name, and no other person of the
  article has them all ("Trump" is wrong where Ivanka and Donald Trump both
  appear; "Clinton" where Bill and Hillary do).

The article's people are its gold person speakers and the PERSON entities of
two or more words in its parse. Other speaker types are scored the same way
in both columns (their gold is a description, not a name to tell apart).

Gold speakers with no name (the author, a generic "you") and those the annotator
marked not confident are left out of the accuracy; a quote is "matched" as in
the extraction tables (30% of the gold span, one-to-one). Printed for ours and
textacy: accuracy (lenient and strict) overall, by ``resolved_from`` and by ``speaker_type``, the
share of matched quotes with no predicted speaker, and the same for direct
(quote-marked) attributions alone. ``--names-errors FILE`` writes every wrong
or missing speaker (by the strict test, with the lenient verdict beside it) as
JSON lines, for reading by hand.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from quotes.extraction.extractor import prepared
from quotes.words import SpeakerType

from .extraction import ours, polnear_golds, textacy_quotes
from .scoring import Span, match

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class NameGold:
    name: str | None
    type: str
    resolved_from: str
    confident: bool
    key: str | None  # the word a right prediction must contain

    @property
    def scored(self) -> bool:
        return self.key is not None and self.confident


def _words(text: str | None) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]


def gold_key(name: str | None, speaker_type: str, nlp) -> str | None:
    """The word that identifies the gold speaker: a name's last word, a description's head noun."""
    words = _words(name)
    if not words:
        return None
    if speaker_type in SpeakerType.NAMED:
        return words[-1]
    doc = nlp(name)
    roots = [s.root for s in doc.sents]
    head = roots[0] if roots else doc[-1]
    key = _words(head.text)
    return key[0] if key else words[-1]


def name_correct(predicted: str | None, gold: NameGold) -> bool:
    if gold.key is None:
        return False
    if gold.key in set(_words(predicted)):
        return True
    return gold.type == SpeakerType.DOCUMENT and names_issuer(predicted, gold.name)


def names_issuer(predicted: str | None, document: str | None) -> bool:
    """Whether a prediction names the issuer a gold document's name holds: "SITE
    Intelligence Group" for "a report from the SITE Intelligence Group", "Donald Trump"
    for "Donald Trump's statement". The product credits a document to its issuer, as a
    reader would: every word of the prediction is the document's, and one is a name."""
    words = set(_words(predicted)) - {"the", "s"}
    named = any(w[:1].isupper() for w in _WORD.findall(predicted or "") if not w.isdigit())
    return named and bool(words) and words <= set(_words(document))


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that stand before or after a name without telling who it is ("Sen.", "Mr.").
_TITLES = _word_set(
    """mr mrs ms miss dr sir dame sen senator rep gov governor president pres vice former gen general
    secretary rev reverend judge justice prof professor lord lady the"""
)
# Words after a name that make it another person's: "Donald Trump Jr." is not "Donald Trump".
_GENERATIONS = _word_set("jr sr ii iii iv")


def name_words(name: str | None) -> frozenset[str]:
    """A person's name as a set of words, titles aside: "Sen. Ted Cruz" -> {"ted", "cruz"}."""
    return frozenset(w for w in _words(name) if w not in _TITLES and w not in ("s",))


def _same_person(one: frozenset[str], other: frozenset[str]) -> bool:
    """Whether two name forms may name one person: one holds the other ("Trump", "Donald J.
    Trump"), unless the longer adds a generation ("Donald Trump Jr.")."""
    if one <= other:
        return not (other - one) & _GENERATIONS
    if other <= one:
        return not (one - other) & _GENERATIONS
    return False


def person_correct(predicted: str | None, gold_name: str | None, people: Iterable[frozenset[str]]) -> bool:
    """The strict test: the prediction names the gold person and no other person of the article."""
    pred, gold = name_words(predicted), name_words(gold_name)
    if not pred or not gold:
        return False
    others = [p for p in people if p and not _same_person(p, gold)]
    if gold <= pred:
        return not any(o <= pred and not o <= gold for o in others)
    if pred <= gold:
        return not any(pred <= o for o in others)
    return False


def article_people(doc, golds: Iterable[NameGold]) -> set[frozenset[str]]:
    """The people an article names in full: its gold person speakers and its PERSON entities."""
    people = {name_words(g.name) for g in golds if g.type == SpeakerType.PERSON}
    people |= {name_words(e.text) for e in doc.ents if e.label_ == "PERSON"}
    return {p for p in people if len(p) >= 2}


FIELDS = ("id", "ann_id", "speaker_name", "speaker_type", "resolved_from", "confident")
RESOLVED_FROM = ("name", "pronoun", "description", "none")
_UNNAMED = ("author", "generic")  # the only gold speakers with no name: the article's author, a generic "you"
SPEAKER_TYPES = (*SpeakerType.ALL, *_UNNAMED)


def read_names(names_path: Path) -> list[dict]:
    """The label rows of a names file, checked: the fields and values its README defines, no pair twice."""
    rows, seen = [], set()
    with names_path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            where = f"{names_path.name} line {number}"
            if set(row) != set(FIELDS):
                raise ValueError(f"{where}: fields {sorted(row)}, expected {list(FIELDS)}")
            if row["speaker_type"] not in SPEAKER_TYPES or row["resolved_from"] not in RESOLVED_FROM:
                raise ValueError(f"{where}: unknown speaker_type or resolved_from")
            if row["speaker_name"] is None and row["speaker_type"] not in _UNNAMED:
                raise ValueError(f"{where}: only an author or a generic speaker has no name")
            if not isinstance(row["confident"], bool):
                raise ValueError(f"{where}: confident is true or false")
            if (row["id"], row["ann_id"]) in seen:
                raise ValueError(f"{where}: {row['id']} {row['ann_id']} labelled twice")
            seen.add((row["id"], row["ann_id"]))
            rows.append(row)
    return rows


def _load(
    names_path: Path | Sequence[Path], polnear_path: Path, nlp
) -> list[tuple[dict, dict[str, NameGold]]]:
    """Each labelled article with its labels by ann_id, from one names file or several; a
    label that joins no PolNeAR quote is an error."""
    paths = [names_path] if isinstance(names_path, Path) else list(names_path)
    by_article: dict[str, dict[str, NameGold]] = defaultdict(dict)
    for row in (row for path in paths for row in read_names(path)):
        by_article[row["id"]][row["ann_id"]] = NameGold(
            row["speaker_name"],
            row["speaker_type"],
            row["resolved_from"],
            row["confident"],
            gold_key(row["speaker_name"], row["speaker_type"], nlp),
        )
    out = []
    with polnear_path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in by_article:
                out.append((record, by_article[record["id"]]))
    joined = {(record["id"], quote.get("ann_id")) for record, _ in out for quote in record["quotes"]}
    unjoined = sorted((i, a) for i, names in by_article.items() for a in names if (i, a) not in joined)
    if unjoined:
        shown = ", ".join(f"{i} {a}" for i, a in unjoined[:5])
        files = " + ".join(path.name for path in paths)
        raise ValueError(f"{files}: {len(unjoined)} labels join no quote of {polnear_path.name}: {shown}")
    return out


@dataclass
class _Tally:
    ok: int = 0
    strict: int = 0
    n: int = 0
    none: int = 0

    def add(self, right: bool, strictly_right: bool, missing: bool) -> None:
        self.n += 1
        self.ok += right
        self.strict += strictly_right
        self.none += missing

    def cell(self) -> str:
        if not self.n:
            return "   —                                 "
        return (
            f"{100 * self.ok / self.n:5.1f}% strict {100 * self.strict / self.n:5.1f}%"
            f" (n={self.n:4d}, none {100 * self.none / self.n:4.1f}%)"
        )


def _golds(record: dict, names: dict[str, NameGold]) -> tuple[list[Span], list[NameGold]]:
    spans, resolved = [], []
    for span, quote in zip(polnear_golds(record), record["quotes"], strict=True):
        gold = names.get(quote.get("ann_id"))
        if gold is not None:
            spans.append(span)
            resolved.append(gold)
    return spans, resolved


def evaluate_names(
    nlp,
    names_path: Path | Sequence[Path],
    polnear_path: Path,
    errors_path: Path | None = None,
    label: str | None = None,
) -> None:
    paths = [names_path] if isinstance(names_path, Path) else list(names_path)
    label = label or " + ".join(path.stem for path in paths)
    missing = [path for path in [*paths, polnear_path] if not path.exists()]
    if missing:
        print(f"Speakers by resolved name ({label}): {missing[0]} not found — skipped.")
        return
    items = _load(paths, polnear_path, nlp)
    docs = list(nlp.pipe((prepared(record["text"]) for record, _ in items), batch_size=16))
    tallies: dict[str, dict[str, _Tally]] = {
        "ours": defaultdict(_Tally),
        "textacy": defaultdict(_Tally),
        "rules": defaultdict(_Tally),
    }
    errors = []
    n_gold = n_scored = 0
    for (record, names), doc in zip(items, docs, strict=True):
        golds, resolved = _golds(record, names)
        people = article_people(doc, names.values())
        n_gold += len(golds)
        n_scored += sum(g.scored for g in resolved)
        for system, preds in (
            ("ours", ours(doc, fold_nested=True)),
            ("textacy", textacy_quotes(doc)),
            ("rules", ours(doc, fold_nested=True, sources=None)),
        ):
            for gi, pi in match(preds, golds, 0.3).items():
                gold, pred = resolved[gi], preds[pi]
                if not gold.scored:
                    continue
                right = name_correct(pred.speaker, gold)
                strictly = right
                if gold.type == SpeakerType.PERSON:
                    strictly = right and person_correct(pred.speaker, gold.name, people)
                missing = not pred.speaker
                flag = "flagged" if "flagged" in pred.tags else "sure"
                for key in (
                    "all",
                    f"from:{gold.resolved_from}",
                    f"type:{gold.type}",
                    f"{flag}:{gold.resolved_from}",
                    f"mention:{_mention_taken(pred, golds[gi])}",
                ):
                    tallies[system][key].add(right, strictly, missing)
                if "direct" in golds[gi].tags:
                    tallies[system]["direct"].add(right, strictly, missing)
                if system == "ours" and not strictly:
                    errors.append({**_error(record, golds[gi], gold, pred), "lenient_right": right})
    print(
        f"\nSpeakers by resolved name, {label}: {len(items)} articles, {n_gold} attributions,"
        f" {n_scored} with a confident named or described speaker;"
        " right = gold surname (or a description's head noun) among the predicted name's words;"
        " strict = a person's prediction names that person and no other of the article"
    )
    rows = ["all", "direct"]
    rows += sorted(k for k in tallies["ours"] if k.startswith("from:"))
    rows += sorted(k for k in tallies["ours"] if k.startswith("type:"))
    # How far the flag on a doubtful attribution (confidence below 0.6) can be trusted.
    rows += [f"{flag}:{given}" for given in ("pronoun", "description") for flag in ("sure", "flagged")]
    # Whether a wrong speaker was resolved from the annotator's mention (the entity layer's
    # part) or from another mention or none (the cue and its subject found wrong).
    rows += [f"mention:{taken}" for taken in ("gold", "other", "none")]
    for row in rows:
        print(f"  {row:<22} ours: {tallies['ours'][row].cell()}   txcy: {tallies['textacy'][row].cell()}")
    # The source chooser (quotes/extraction/sources.py) against the rules' picks alone, side by side.
    print("  the same without the source chooser (each quote's source as the rules pick it):")
    for row in ("all", "from:name", "from:pronoun", "from:description", "mention:other"):
        print(f"  {row:<22} ours: {tallies['rules'][row].cell()}")
    if errors_path is not None:
        with errors_path.open("w", encoding="utf-8") as handle:
            for error in errors:
                handle.write(json.dumps(error, ensure_ascii=False) + "\n")
        kinds = Counter(e["gold_type"] for e in errors)
        print(
            f"  {len(errors)} wrong or missing speakers (strict) written to {errors_path} ({dict(kinds)};"
            f" {sum(e['lenient_right'] for e in errors)} right by the lenient test)"
        )


def _mention_taken(pred: Span, gold: Span) -> str:
    """Which mention the prediction's speaker was resolved from: the annotator's ("gold"),
    another ("other"), or none ("none")."""
    if pred.speaker_start is None:
        return "none"
    if gold.speaker_start is None:
        return "other"
    end = max(pred.speaker_end or pred.speaker_start, pred.speaker_start + 1)
    gold_end = max(gold.speaker_end or gold.speaker_start, gold.speaker_start + 1)
    return "gold" if pred.speaker_start < gold_end and gold.speaker_start < end else "other"


def _error(record: dict, gold_span: Span, gold: NameGold, pred: Span) -> dict:
    text = record["text"]
    return {
        "id": record["id"],
        "quote": text[gold_span.start : gold_span.end][:200],
        "context": text[max(0, gold_span.start - 250) : gold_span.end + 150],
        "gold_name": gold.name,
        "gold_type": gold.type,
        "resolved_from": gold.resolved_from,
        "gold_mention": gold_span.speaker,
        "predicted": pred.speaker,
        "predicted_mention": None
        if pred.speaker_start is None
        else text[pred.speaker_start : pred.speaker_end],
        "mention_taken": _mention_taken(pred, gold_span),
        "predicted_kind": pred.kind,
    }
