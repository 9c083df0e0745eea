"""Measure the meaning-changing edit flags (``quotes.families.meaning``) on a labelled set.

The set is built at run time, with a fixed seed, from two sources:

1. The seeds' real variants (``quotes/seeds/seeds.gold.json``): each gold
   cluster's other versions against its fullest direct quote. Outlets
   re-translated and shortened these, but none changed what was said: each
   is labelled "no flag".
2. Real direct quotes of ``../shared/eval/polnear-train.jsonl`` (read in
   place, never copied) and the seed texts, each given controlled edits: one
   of each meaning-changing type that applies (a number changed or dropped, a
   negation dropped or added, a name swapped, words added, an "if"/"unless"
   clause cut), half of them on top of a rewording; and one rewording that
   keeps the meaning (the generators of ``evaluation.matching``:
   synonyms, contractions, spelling, re-translation, excerpts, ellipses),
   labelled "no flag".

Precision and recall are per flag type, over all versions; a rewording that
gets any flag counts as a false positive of that flag's type.

Against a primary source (``evaluate_against_source``): the "source" is a
seed article's full text or a PolNeAR article's text (read in place), and
its versions are its own direct quotes — as printed, reworded, or with one
controlled edit — each of which must be found at its place in the source
(``quotes.families.passages``) and flagged against the passage found; and direct
quotes of *other* articles, which must be reported "not in the source".
Printed: passage-finding accuracy, "not in source" precision and recall,
flag precision and recall against the source beside the same versions
compared with the quote itself, and the time on a 20,000-word source.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quotes.families.folding import normalize
from quotes.families.meaning import FLAG_TYPES, NOT_IN_SOURCE, meaning_flags, source_flags_to_store
from quotes.families.passages import PreparedSource

from .matching import POLNEAR_PATH, SEEDS_DIR, _distinct_quotes, _load_polnear, _variant

SEED = 20221214

# Written apart from quotes.families.meaning's tables.
_NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twenty", "hundred"]
_LOADED_WORDS = [
    "illegal",
    "secret",
    "deliberately",
    "so-called",
    "brutal",
    "corrupt",
    "radical",
    "reckless",
    "failed",
    "totally illegal",
    "rigged",
    "dangerous",
]
_AUXILIARIES = re.compile(r"\b(is|are|was|were|will|would|can|could|should|must|has|have|do|does|did)\b ")
_NEGATED = re.compile(r"\b(not|never)\b ?|n[’']t\b")
_QUALIFIER = re.compile(r"(?:^|,\s*|\s)(?:even )?(?:if|unless)\b", re.IGNORECASE)
# Rewordings that cannot change what was said, to lay under an edit.
_SAFE_REWORDINGS = ("contraction", "synonyms", "spelling")
_REWORDINGS = ("contraction", "synonyms", "spelling", "retranslation", "ellipsis", "fragment", "truncation")


@dataclass
class Labelled:
    canonical: str
    version: str
    gold: frozenset[str]  # the flag types the edit made; empty for a rewording
    source: str  # "seeds" or "polnear"
    kind: str  # the edit or rewording made, or "real" for a seed variant
    quoted: bool = True


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    examples: list[str] = field(default_factory=list)

    def line(self) -> str:
        precision = 100 * self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = 100 * self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return (
            f"precision {precision:5.1f}%  recall {recall:5.1f}%  (tp {self.tp}, fp {self.fp}, fn {self.fn})"
        )


# --------------------------------------------------------------------------
# Building the set
# --------------------------------------------------------------------------


def seed_variants(seeds_dir: Path = SEEDS_DIR) -> tuple[list[Labelled], list[str]]:
    """Every seed cluster's versions against its fullest direct quote (all
    "no flag"), and the clusters' fullest texts, to be edited."""
    gold = json.loads((seeds_dir / "seeds.gold.json").read_text(encoding="utf-8"))
    clusters: dict[str, list[dict]] = {}
    for quote in gold["quotes"]:
        clusters.setdefault(quote["cluster"], []).append(quote)
    labelled, texts = [], []
    for members in clusters.values():
        direct = [q for q in members if q["kind"] == "direct"] or members
        canonical = max(direct, key=lambda q: len(q["text"]))["text"]
        texts.append(canonical)
        for quote in members:
            if quote["text"] != canonical:
                quoted = quote["kind"] in ("direct", "partial")
                labelled.append(Labelled(canonical, quote["text"], frozenset(), "seeds", "real", quoted))
    return labelled, texts


def edit(text: str, kind: str, rng: random.Random, names: Sequence[str]) -> str | None:
    """``text`` with one meaning-changing edit of ``kind``, or None when it does not apply."""
    words = text.split()
    if kind == "number":
        spots = [i for i, w in enumerate(words) if re.fullmatch(r"\d[\d,.]*%?[,.]?", w)]
        spots += [i for i, w in enumerate(words) if w.lower().strip(",.") in _NUMBER_WORDS]
        if not spots:
            return None
        i = rng.choice(spots)
        bare = words[i].rstrip(",.")
        tail = words[i][len(bare) :]
        if rng.random() < 0.3 and i + 1 < len(words):
            del words[i]  # "44 percent" -> "percent"
        elif bare[:1].isdigit():
            digits = bare.replace(",", "").rstrip("%")
            value = float(digits)
            new = value + rng.choice([-1, 1]) * max(1, round(abs(value) * rng.uniform(0.05, 0.3)))
            shown = str(int(new)) if new == int(new) else str(new)
            words[i] = shown + ("%" if bare.endswith("%") else "") + tail
        else:
            others = [w for w in _NUMBER_WORDS if w != bare.lower()]
            words[i] = rng.choice(others) + tail
        return " ".join(words)
    if kind == "negation":
        if _NEGATED.search(text):
            return _NEGATED.sub("", text, count=1).replace("ca ", "can ").replace("wo ", "will ")
        spots = list(_AUXILIARIES.finditer(text))
        if not spots:
            return None
        spot = rng.choice(spots)
        return text[: spot.end()] + "not " + text[spot.end() :]
    if kind == "entity":
        spots = [
            i
            for i in range(1, len(words))
            if words[i][:1].isupper()
            and words[i].isalpha()
            and words[i] != "I"
            and words[i - 1][-1:] not in ".!?:"
        ]
        if not spots:
            return None
        i = rng.choice(spots)
        choices = [name for name in names if name.lower() != words[i].lower() and name not in words]
        words[i] = rng.choice(choices)
        return " ".join(words)
    if kind == "added":
        if len(words) < 4:
            return None
        i = rng.randrange(1, len(words))
        words.insert(i, rng.choice(_LOADED_WORDS))
        return " ".join(words)
    if kind == "qualifier":
        match = _QUALIFIER.search(text)
        if match is None:
            return None
        before, after = text[: match.start()], text[match.end() :]
        if not before.strip(" ,"):
            # "If we win, we will ..." -> "we will ...": the clause ends at its comma.
            comma = after.find(",")
            if comma < 0:
                return None
            kept = after[comma + 1 :].strip()
        else:
            # "... unless they attack." -> "...": up to the end of the sentence.
            rest = re.search(r"[.!?;]\s", after)
            kept = before.rstrip(" ,") + ("" if rest is None else after[rest.start() :])
        return kept if len(kept.split()) >= 4 else None
    raise ValueError(kind)


def _reworded(text: str, kinds: Sequence[str], rng: random.Random) -> tuple[str, str] | None:
    order = list(kinds)
    rng.shuffle(order)
    for kind in order:
        if kind in ("fragment", "truncation") and (_QUALIFIER.search(text) or re.search(r"\d", text)):
            continue  # an excerpt could cut a qualifier or a number off: not plain rewording
        variant = _variant(text, kind, rng)
        if variant and variant != text:
            return kind, variant
    return None


def _names(texts: Sequence[str]) -> list[str]:
    found: Counter[str] = Counter()
    for text in texts:
        words = text.split()
        for previous, word in zip(words, words[1:], strict=False):
            if word[:1].isupper() and word.isalpha() and len(word) > 2 and previous[-1:] not in ".!?:":
                found[word] += 1
    return sorted(name for name, count in found.items() if count >= 2)


def build_set(path: Path = POLNEAR_PATH, seed: int = SEED) -> list[Labelled]:
    rng = random.Random(seed)
    labelled, seed_texts = seed_variants()
    bases = [(text, "seeds") for text in seed_texts]
    if path.exists():
        bases += [(text, "polnear") for text, _ in _distinct_quotes(_load_polnear(path))]
    names = _names([text for text, _ in bases])
    for text, source in bases:
        found = _reworded(text, _REWORDINGS, rng)
        if found is not None:
            labelled.append(Labelled(text, found[1], frozenset(), source, found[0]))
        for kind in FLAG_TYPES:
            edited = edit(text, kind, rng, names)
            if edited is None or normalize(edited) == normalize(text):
                continue
            layered = "edit"
            if rng.random() < 0.5 and (reworded := _reworded(edited, _SAFE_REWORDINGS, rng)) is not None:
                layered, edited = f"edit+{reworded[0]}", reworded[1]
            labelled.append(Labelled(text, edited, frozenset([kind]), source, layered))
    return labelled


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


def evaluate(path: Path = POLNEAR_PATH, seed: int = SEED) -> None:
    print("== Meaning-changing edits: seeds' real variants, controlled edits of seed and PolNeAR quotes ==")
    if not path.exists():
        print(f"{path} is missing: the seeds alone are measured.")
    items = build_set(path, seed)
    started = time.perf_counter()
    predicted = [
        frozenset(flag.type for flag in meaning_flags(i.canonical, i.version, quoted=i.quoted)) for i in items
    ]
    elapsed = time.perf_counter() - started
    edits = Counter(next(iter(i.gold)) for i in items if i.gold)
    rewordings = [n for n, i in enumerate(items) if not i.gold]
    real = [n for n in rewordings if items[n].kind == "real"]
    print(
        f"{len(items)} versions: {len(rewordings)} keep the meaning ({len(real)} real seed variants), "
        f"{sum(edits.values())} edited ({', '.join(f'{k} {edits[k]}' for k in FLAG_TYPES)}); "
        f"{1000 * elapsed / len(items):.2f} ms per version"
    )
    scores = {kind: Score() for kind in FLAG_TYPES}
    for item, flags in zip(items, predicted, strict=True):
        for kind in FLAG_TYPES:
            score = scores[kind]
            if kind in flags and kind in item.gold:
                score.tp += 1
            elif kind in flags:
                score.fp += 1
                score.examples.append(f"fp {item.kind}: {item.canonical[:60]!r} -> {item.version[:60]!r}")
            elif kind in item.gold:
                score.fn += 1
                score.examples.append(f"fn {item.kind}: {item.canonical[:60]!r} -> {item.version[:60]!r}")
    for kind in FLAG_TYPES:
        print(f"  {kind:>9}: {scores[kind].line()}")
    total = Score(
        sum(s.tp for s in scores.values()),
        sum(s.fp for s in scores.values()),
        sum(s.fn for s in scores.values()),
    )
    print(f"  {'all':>9}: {total.line()}")
    flagged = sum(1 for n in rewordings if predicted[n])
    real_flagged = sum(1 for n in real if predicted[n])
    print(
        f"rewordings flagged as changes: {flagged}/{len(rewordings)} "
        f"({100 * flagged / max(1, len(rewordings)):.1f}%); real seed variants: {real_flagged}/{len(real)}"
    )
    by_kind: Counter[str] = Counter()
    for n in rewordings:
        if predicted[n]:
            by_kind[items[n].kind] += 1
    if by_kind:
        print(f"  flagged rewordings by kind: {dict(sorted(by_kind.items()))}")
    for kind in FLAG_TYPES:
        for example in scores[kind].examples[:2]:
            print(f"    {kind}: {example}")


# --------------------------------------------------------------------------
# Against a primary source
# --------------------------------------------------------------------------

# PolNeAR articles sampled as sources, and other articles' quotes tried against each.
SOURCE_ARTICLES = 150
OUTSIDERS_PER_SOURCE = 3


@dataclass
class SourceItem:
    """A version tried against a source: ``span`` is where the quote it was made
    from lies in the source (None: it comes from another article)."""

    source: int  # index into the sources
    quote: str  # the quote as the source prints it
    version: str
    span: tuple[int, int] | None
    gold: frozenset[str]
    kind: str
    origin: str  # "seeds" or "polnear"


def _seed_sources(seeds_dir: Path = SEEDS_DIR) -> list[tuple[str, list[tuple[str, int, int]]]]:
    gold = json.loads((seeds_dir / "seeds.gold.json").read_text(encoding="utf-8"))
    by_file: dict[str, list[tuple[str, int, int]]] = {}
    for quote in gold["quotes"]:
        by_file.setdefault(quote["file"], [])
        if quote["kind"] == "direct" and len(quote["text"].split()) >= 6:
            by_file[quote["file"]].append((quote["text"], quote["start"], quote["end"]))
    sources = []
    for name, quotes in sorted(by_file.items()):
        text = (seeds_dir / name).read_text(encoding="utf-8")
        kept = [(q, start, end) for q, start, end in quotes if text[start:end] == q]
        if kept:
            sources.append((text, kept))
    return sources


def _polnear_sources(path: Path, rng: random.Random) -> list[tuple[str, list[tuple[str, int, int]]]]:
    sources = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            quotes = []
            for quote in record["quotes"]:
                text = quote["text"]
                if (
                    quote["kind"] != "direct"
                    or len(text.split()) < 6
                    or record["text"][quote["start"] : quote["end"]] != text
                ):
                    continue
                quotes.append((text, quote["start"], quote["end"]))
            if quotes:
                sources.append((record["text"], quotes))
    rng.shuffle(sources)
    return sources[:SOURCE_ARTICLES]


def build_source_set(path: Path = POLNEAR_PATH, seed: int = SEED) -> tuple[list[str], list[SourceItem]]:
    rng = random.Random(seed)
    found = [(text, quotes, "seeds") for text, quotes in _seed_sources()]
    if path.exists():
        found += [(text, quotes, "polnear") for text, quotes in _polnear_sources(path, rng)]
    texts = [text for text, _, _ in found]
    names = _names([q for _, quotes, _ in found for q, _, _ in quotes])
    items: list[SourceItem] = []
    for number, (text, quotes, origin) in enumerate(found):
        for quote, start, end in quotes:
            span = (start, end)
            items.append(SourceItem(number, quote, quote, span, frozenset(), "as printed", origin))
            reworded = _reworded(quote, _REWORDINGS, rng)
            if reworded is not None:
                items.append(SourceItem(number, quote, reworded[1], span, frozenset(), reworded[0], origin))
            for kind in FLAG_TYPES:
                edited = edit(quote, kind, rng, names)
                if edited is None or normalize(edited) == normalize(quote):
                    continue
                items.append(SourceItem(number, quote, edited, span, frozenset([kind]), "edit", origin))
        # Quotes of other articles (never one sharing a run of words with this source).
        others = [n for n in range(len(found)) if n != number]
        for other in rng.sample(others, min(OUTSIDERS_PER_SOURCE, len(others))):
            quote = rng.choice(found[other][1])[0]
            if normalize(" ".join(quote.split()[:6])) in normalize(text):
                continue
            items.append(SourceItem(number, quote, quote, None, frozenset(), "other article", origin))
    return texts, items


def _overlaps(found: tuple[int, int], gold: tuple[int, int]) -> bool:
    """The passage found and the quote's place in the source share at least half of the
    shorter of the two (an excerpt's passage is a part of its quote's place)."""
    shared = min(found[1], gold[1]) - max(found[0], gold[0])
    return shared >= 0.5 * min(found[1] - found[0], gold[1] - gold[0])


def evaluate_against_source(path: Path = POLNEAR_PATH, seed: int = SEED) -> None:
    print(
        "== Against a primary source: seed and PolNeAR article texts as sources, their quotes as versions =="
    )
    texts, items = build_source_set(path, seed)
    sources = [PreparedSource(text) for text in texts]
    started = time.perf_counter()
    results = [source_flags_to_store(sources[item.source], item.version, "direct") for item in items]
    elapsed = time.perf_counter() - started
    inside = [n for n, item in enumerate(items) if item.span is not None]
    outside = [n for n, item in enumerate(items) if item.span is None]
    average = sum(len(text.split()) for text in texts) // max(1, len(texts))
    print(
        f"{len(texts)} sources ({average} words on average), "
        f"{len(items)} versions: {len(inside)} made from the source's own quotes, "
        f"{len(outside)} quotes of other articles; {1000 * elapsed / max(1, len(items)):.2f} ms per version"
    )
    placed = 0
    by_kind: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for n in inside:
        item, passage = items[n], results[n][1]
        kind = item.kind if item.kind != "edit" else f"edit {next(iter(item.gold))}"
        by_kind[kind] += 1
        if passage is not None and _overlaps((passage.core_start, passage.core_end), item.span or (0, 0)):
            placed += 1
        else:
            missed[kind] += 1
    share = 100 * placed / max(1, len(inside))
    print(f"  passage found at the quote's place: {placed}/{len(inside)} ({share:.1f}%)")
    print("    missed by kind: " + ", ".join(f"{k} {missed[k]}/{by_kind[k]}" for k in sorted(by_kind)))
    said_outside = {n for n, (_, passage) in enumerate(results) if passage is None}
    not_in = Score(
        tp=len(said_outside & set(outside)),
        fp=len(said_outside - set(outside)),
        fn=len(set(outside) - said_outside),
    )
    print(f"  'not in the source': {not_in.line()}")
    against_source = {kind: Score() for kind in FLAG_TYPES}
    against_quote = {kind: Score() for kind in FLAG_TYPES}
    for n in inside:
        item = items[n]
        got = frozenset(flag["type"] for flag in results[n][0]) - {NOT_IN_SOURCE}
        plain = (
            frozenset(flag.type for flag in meaning_flags(item.quote, item.version))
            if item.version != item.quote
            else frozenset()
        )
        for kind in FLAG_TYPES:
            for score, flags in ((against_source[kind], got), (against_quote[kind], plain)):
                if kind in flags and kind in item.gold:
                    score.tp += 1
                elif kind in flags:
                    score.fp += 1
                elif kind in item.gold:
                    score.fn += 1
    print("  flags against the passage found (beside: the same versions against the quote itself)")
    for kind in [*FLAG_TYPES, "all"]:
        if kind == "all":
            mine = Score(*(sum(getattr(s, f) for s in against_source.values()) for f in ("tp", "fp", "fn")))
            theirs = Score(*(sum(getattr(s, f) for s in against_quote.values()) for f in ("tp", "fp", "fn")))
        else:
            mine, theirs = against_source[kind], against_quote[kind]
        print(f"    {kind:>9}: {mine.line()}   | quote itself: {theirs.line()}")
    _time_long_source(path, seed)


def _time_long_source(path: Path, seed: int) -> None:
    """A 20,000-word source (articles run together) and 50 versions: the time to
    prepare it and to find each version's passage."""
    found = _seed_sources()
    if path.exists():
        found += _polnear_sources(path, random.Random(seed))
    pieces, quotes, words = [], [], 0
    for text, printed in found:
        pieces.append(text)
        quotes += [quote for quote, _, _ in printed]
        words += len(text.split())
        if words >= 20_000:
            break
    long_text = "\n\n".join(pieces)
    # Its own quotes, and as many of other articles (not in it).
    others = [quote for _, printed in found[len(pieces) :] for quote, _, _ in printed]
    versions = quotes[:25] + others[:25]
    started = time.perf_counter()
    source = PreparedSource(long_text)
    prepared = time.perf_counter() - started
    started = time.perf_counter()
    found = sum(source.passage(version) is not None for version in versions)
    per_version = (time.perf_counter() - started) / len(versions)
    print(
        f"  a {len(long_text.split()):,}-word source x {len(versions)} versions (half its own quotes): "
        f"prepared in {1000 * prepared:.0f} ms, {1000 * per_version:.2f} ms per version ({found} found)"
    )


def main() -> None:
    evaluate()
    print()
    evaluate_against_source()


if __name__ == "__main__":
    main()
