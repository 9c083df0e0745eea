"""Measure quote-family matching (``quotes.families.placement``) without a database.

Two measurements, both replaying versions one at a time through an
in-memory stand-in for the pipeline (fingerprint lookup + inverted index of
``shingle_keys`` + ``place_version`` + canonical swap), so what is measured
is the incremental behaviour the app has, not a batch clustering:

1. The seed gold (``quotes/seeds/seeds.gold.json``): pairwise precision and
   recall of "same family" against the gold ``cluster`` ids.
2. A larger set built from real quotes of ``../shared/eval/polnear-train.jsonl``
   (read in place, never copied): each quote plus the variants outlets make,
   alongside every other real quote of the same speaker as hard negatives.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

from quotes.families.folding import fingerprint, normalize
from quotes.families.keys import COMMON_KEY_FAMILIES, shingle_keys
from quotes.families.placement import FamilyCandidate, choose_family, join, within_window

SEEDS_DIR = Path(__file__).resolve().parents[1] / "quotes" / "seeds"
POLNEAR_PATH = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear-train.jsonl"
CROSS_OUTLET_CLUSTERS = ("trust_destroyed", "lasting_consequences", "choose_peace", "putin_long_process")
CANDIDATES_PER_VERSION = 40  # as in quotes/families/store.py
SEED = 20221212

# Only for deciding which gold pairs text could possibly link (reported
# separately); independent of the matcher's own stopwords and synonyms.
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "that",
        "this",
        "it",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "them",
        "their",
        "his",
        "her",
        "our",
        "my",
        "so",
        "not",
    ]
)


# --------------------------------------------------------------------------
# In-memory pipeline
# --------------------------------------------------------------------------


_Family = FamilyCandidate  # a stored family is what retrieval hands over


class MemoryStore:
    """Families, their fingerprints and index keys, as the database holds them."""

    def __init__(self) -> None:
        self.families: dict[int, _Family] = {}
        self.by_key: dict[int, set[int]] = defaultdict(set)
        self.by_fingerprint: dict[str, set[int]] = defaultdict(set)
        self.relations: Counter[str] = Counter()

    def _compatible(self, family: _Family, speaker_key: str | None) -> bool:
        return speaker_key is None or family.speaker_key in (None, speaker_key)

    def candidates(
        self, text: str, speaker_key: str | None, when: date | None = None
    ) -> list[FamilyCandidate]:
        ids = {
            fid
            for fid in self.by_fingerprint.get(fingerprint(text), ())
            if self._compatible(self.families[fid], speaker_key)
        }
        # As the database reads them: a key's newest families within the time
        # window of a dated text, one past the common-key limit, and only
        # telling keys when the text has any.
        postings = {
            key: sorted(
                (
                    fid
                    for fid in self.by_key.get(key, ())
                    if within_window(when, self.families[fid].first_seen)
                ),
                reverse=True,
            )[: COMMON_KEY_FAMILIES + 1]
            for key in shingle_keys(text)
        }
        telling = [key for key, held in postings.items() if len(held) <= COMMON_KEY_FAMILIES]
        shared: Counter[int] = Counter()
        for key in telling or postings:
            for fid in postings[key]:
                if self._compatible(self.families[fid], speaker_key):
                    shared[fid] += 1
        ranked = sorted(shared.items(), key=lambda item: (-item[1], -item[0]))
        ids.update(fid for fid, _ in ranked[:CANDIDATES_PER_VERSION])
        return [
            FamilyCandidate(f.family_id, f.canonical_text, f.speaker_key, f.first_seen)
            for f in (self.families[fid] for fid in sorted(ids))
        ]

    def _index(self, family: _Family) -> None:
        self.by_fingerprint[fingerprint(family.canonical_text)].add(family.family_id)
        for key in shingle_keys(family.canonical_text):
            self.by_key[key].add(family.family_id)

    def _unindex(self, family: _Family) -> None:
        self.by_fingerprint[fingerprint(family.canonical_text)].discard(family.family_id)
        for key in shingle_keys(family.canonical_text):
            self.by_key[key].discard(family.family_id)

    def place(self, text: str, speaker_key: str | None, when: date | None) -> int:
        """Place one version with the app's rules (``choose_family``
        and ``join``, as ``quotes.families`` does); returns its family id."""
        found = choose_family([text], speaker_key, when, lambda t: self.candidates(t, speaker_key, when))
        if found is None:
            self.relations["new family"] += 1
            family = _Family(len(self.families) + 1, text, speaker_key, when)
            self.families[family.family_id] = family
            self._index(family)
            return family.family_id
        _, placement = found
        self.relations[placement.relation] += 1
        family = self.families[placement.family_id]
        joined, _ = join(family, placement.relation, text, speaker_key, when)
        if joined.canonical_text != family.canonical_text:
            self._unindex(family)
            family.canonical_text = joined.canonical_text
            self._index(family)
        family.speaker_key, family.first_seen = joined.speaker_key, joined.first_seen
        return family.family_id


# --------------------------------------------------------------------------
# Pairwise scoring
# --------------------------------------------------------------------------


@dataclass
class PairScore:
    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positive + self.false_negative
        return self.true_positive / gold if gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        return (
            f"P {100 * self.precision:.1f}%  R {100 * self.recall:.1f}%  F1 {100 * self.f1:.1f}%  "
            f"(pairs: {self.true_positive} right, {self.false_positive} wrong, {self.false_negative} missed)"
        )


def _pair_score(
    gold: Sequence[object], predicted: Sequence[int], pairs: Iterable[tuple[int, int]]
) -> PairScore:
    tp = fp = fn = 0
    for i, j in pairs:
        same_gold, same_predicted = gold[i] == gold[j], predicted[i] == predicted[j]
        tp += same_gold and same_predicted
        fp += same_predicted and not same_gold
        fn += same_gold and not same_predicted
    return PairScore(tp, fp, fn)


def _all_pairs(size: int) -> Iterable[tuple[int, int]]:
    return combinations(range(size), 2)


def _linked_pairs(labels: Sequence[object]) -> Iterable[tuple[int, int]]:
    """Only pairs that share a label in ``labels``: enough for P (predicted) or R (gold)."""
    groups: dict[object, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        groups[label].append(index)
    for members in groups.values():
        yield from combinations(members, 2)


def _content_words(text: str) -> set[str]:
    return {w for w in normalize(text).split() if w not in _FUNCTION_WORDS}


def _text_reachable(a: str, b: str) -> bool:
    """Whether words alone could link two texts: half the shorter's content words shared."""
    words_a, words_b = _content_words(a), _content_words(b)
    shared = len(words_a & words_b)
    return shared >= 1 and shared >= 0.5 * min(len(words_a), len(words_b))


# --------------------------------------------------------------------------
# 1. Seeds
# --------------------------------------------------------------------------


def evaluate_seeds(seeds_dir: Path = SEEDS_DIR) -> None:
    gold = json.loads((seeds_dir / "seeds.gold.json").read_text(encoding="utf-8"))
    manifest = json.loads((seeds_dir / "manifest.json").read_text(encoding="utf-8"))
    published = {a["file"]: date.fromisoformat(a["published"]) for a in manifest["articles"]}
    outlets = {a["file"]: a["outlet"] for a in manifest["articles"]}
    quotes = sorted(gold["quotes"], key=lambda q: (published[q["file"]], q["file"], q["start"]))

    store = MemoryStore()
    started = time.perf_counter()
    families = [store.place(q["text"], q["speaker"], published[q["file"]]) for q in quotes]
    elapsed = time.perf_counter() - started
    clusters = [q["cluster"] for q in quotes]

    print("== Seeds gold: incremental placement, articles in date order, gold speakers ==")
    print(
        f"{len(quotes)} quotes, {len(set(clusters))} gold clusters -> {len(set(families))} families; "
        f"{1000 * elapsed / len(quotes):.2f} ms per occurrence"
    )
    print("all gold pairs:        ", _pair_score(clusters, families, _all_pairs(len(quotes))).line())
    reachable = [
        (i, j)
        for i, j in _all_pairs(len(quotes))
        if clusters[i] != clusters[j] or _text_reachable(quotes[i]["text"], quotes[j]["text"])
    ]
    print("text-reachable pairs:  ", _pair_score(clusters, families, reachable).line())
    print(
        "  (text-reachable = same-cluster pairs sharing at least half of the shorter text's content "
        "words; every different-cluster pair is kept for precision)"
    )
    print(f"relations: {dict(sorted(store.relations.items()))}")

    for cluster in CROSS_OUTLET_CLUSTERS:
        members = [i for i, c in enumerate(clusters) if c == cluster]
        by_family: dict[int, list[int]] = defaultdict(list)
        for i in members:
            by_family[families[i]].append(i)
        main_family, main_members = max(by_family.items(), key=lambda item: len(item[1]))
        spans = sorted({outlets[quotes[i]["file"]] for i in main_members})
        foreign = [i for i, f in enumerate(families) if f == main_family and clusters[i] != cluster]
        print(
            f"{cluster}: {len(members)} gold quotes in {len(by_family)} families; the main family holds "
            f"{len(main_members)} ({', '.join(q['id'] for q in (quotes[i] for i in main_members))}) "
            f"spanning {' + '.join(spans)}; foreign members: {len(foreign)}"
        )
        for family, held in by_family.items():
            if family != main_family:
                print(f"    apart: {', '.join(_brief(quotes[i]) for i in held)}")

    missed = [
        (i, j)
        for i, j in _all_pairs(len(quotes))
        if clusters[i] == clusters[j] and families[i] != families[j]
    ]
    wrong = [
        (i, j)
        for i, j in _all_pairs(len(quotes))
        if clusters[i] != clusters[j] and families[i] == families[j]
    ]
    print(f"missed pairs ({len(missed)}), by cluster:")
    by_cluster: Counter[str] = Counter(clusters[i] for i, _ in missed)
    for cluster, count in by_cluster.most_common():
        reachable_count = sum(
            1
            for i, j in missed
            if clusters[i] == cluster and _text_reachable(quotes[i]["text"], quotes[j]["text"])
        )
        print(f"    {cluster}: {count} missed, {reachable_count} of them text-reachable")
    for i, j in missed:
        if _text_reachable(quotes[i]["text"], quotes[j]["text"]):
            print(f"    reachable but missed: {_brief(quotes[i])}  ~  {_brief(quotes[j])}")
    for i, j in wrong:
        print(f"    WRONGLY JOINED: {_brief(quotes[i])}  ~  {_brief(quotes[j])}")


def _brief(quote: dict) -> str:
    text = " ".join(quote["text"].split())
    return f'{quote["id"]} "{text[:60]}{"…" if len(text) > 60 else ""}"'


# --------------------------------------------------------------------------
# 2. Variants of real quotes (PolNeAR)
# --------------------------------------------------------------------------

_PRONOUNS = frozenset(
    ["he", "she", "they", "it", "we", "i", "you", "his", "her", "their", "this", "that", "the"]
)
_MARKS = "\"'“”‘’«»„ "

# Rewordings outlets and translators make. Deliberately written apart from the
# matcher's synonym table: about half of these pairs are unknown to it, so the
# measurement does not just replay the matcher's own knowledge.
_GENERATOR_SYNONYMS = {
    "said": "stated",
    "says": "states",
    "told": "informed",
    "think": "believe",
    "big": "large",
    "very": "extremely",
    "people": "citizens",
    "start": "begin",
    "stop": "end",
    "help": "assist",
    "problem": "issue",
    "country": "nation",
    "need": "require",
    "want": "wish",
    "important": "significant",
    "job": "work",
    "kind": "sort",
    "fight": "battle",
    "really": "truly",
    "maybe": "perhaps",
    "get": "obtain",
    "many": "numerous",
    "bad": "poor",
    "angry": "furious",
    "happy": "pleased",
    "know": "understand",
    "believe": "think",
    "talk": "speak",
    "change": "alter",
    "show": "demonstrate",
    "quickly": "rapidly",
    "hard": "difficult",
    "try": "attempt",
    "buy": "purchase",
    "terrible": "awful",
    "whole": "entire",
    "children": "kids",
    "large": "big",
    "strong": "powerful",
    "give": "provide",
    "great": "wonderful",
    "wrong": "mistaken",
    "chance": "opportunity",
    "afraid": "scared",
    "begin": "start",
    "end": "finish",
    "huge": "enormous",
    "smart": "clever",
}
_FILLERS = frozenset(
    ["very", "really", "just", "actually", "so", "frankly", "basically", "totally", "absolutely", "literally"]
)
_CONTRACT = {
    "will not": "won't",
    "do not": "don't",
    "does not": "doesn't",
    "did not": "didn't",
    "is not": "isn't",
    "are not": "aren't",
    "can not": "can't",
    "cannot": "can't",
    "we are": "we're",
    "i am": "I'm",
    "it is": "it's",
    "they are": "they're",
    "you are": "you're",
    "we have": "we've",
    "would not": "wouldn't",
    "i will": "I'll",
    "we will": "we'll",
    "that is": "that's",
    "have not": "haven't",
    "was not": "wasn't",
}
_US_TO_UK = {
    "center": "centre",
    "defense": "defence",
    "program": "programme",
    "color": "colour",
    "honor": "honour",
    "labor": "labour",
    "favor": "favour",
    "behavior": "behaviour",
    "neighbor": "neighbour",
    "organize": "organise",
    "organization": "organisation",
    "realize": "realise",
    "recognize": "recognise",
    "apologize": "apologise",
    "criticize": "criticise",
    "analyze": "analyse",
    "traveled": "travelled",
    "theater": "theatre",
    "offense": "offence",
    "license": "licence",
    "favorite": "favourite",
    "gray": "grey",
    "percent": "per cent",
    "toward": "towards",
    "skeptical": "sceptical",
}


@dataclass
class _Version:
    text: str
    speaker_key: str | None
    when: date
    cluster: int
    kind: str  # "original" or the variant type


def _speaker_key(mention: str | None) -> str | None:
    """A named speaker's surname, or None (unknown) for pronouns and descriptions."""
    if not mention:
        return None
    last = mention.split()[-1].strip(",.:;'’s")
    if not last[:1].isupper() or last.lower() in _PRONOUNS:
        return None
    return last


def _load_polnear(path: Path) -> list[tuple[str, str | None]]:
    quotes: list[tuple[str, str | None]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            for quote in record["quotes"]:
                text = " ".join(quote["text"].split()).strip(_MARKS)
                if quote["kind"] != "direct" or len(text.split()) < 6 or '"' in text or "“" in text:
                    continue
                quotes.append((text, _speaker_key(quote.get("speaker"))))
    return quotes


def _distinct_quotes(quotes: Sequence[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Drop a real quote that shares a run of 8 words with one already kept,
    or contains or is contained in one.

    The corpus prints some utterances in several articles; keeping one copy
    makes every kept quote a gold cluster of its own, decided on word runs
    only, independently of the matcher.
    """
    seen: set[tuple[str, ...]] = set()
    kept: list[tuple[str, str | None]] = []
    kept_texts: list[str] = []
    for text, speaker in quotes:
        words = normalize(text).split()
        grams = {tuple(words[k : k + 8]) for k in range(max(1, len(words) - 7))}
        padded = f" {' '.join(words)} "
        if grams & seen or any(padded in other or other in padded for other in kept_texts):
            continue
        seen |= grams
        kept.append((text, speaker))
        kept_texts.append(padded)
    return kept


def _swap_words(words: list[str], table: dict[str, str], rng: random.Random, limit: int) -> int:
    spots = [i for i, w in enumerate(words) if w.lower().strip(",.;:!?") in table]
    rng.shuffle(spots)
    for i in spots[:limit]:
        bare = words[i].lower().strip(",.;:!?")
        replacement = table[bare]
        if words[i][:1].isupper():
            replacement = replacement[:1].upper() + replacement[1:]
        words[i] = replacement + words[i][len(words[i].rstrip(",.;:!?")) :]
    return min(limit, len(spots))


def _replace_phrases(text: str, table: dict[str, str], rng: random.Random, invert: bool = False) -> str:
    pairs = [(b, a) if invert else (a, b) for a, b in table.items()]
    rng.shuffle(pairs)
    for source, target in pairs:
        pattern = re.compile(rf"\b{re.escape(source)}\b", re.IGNORECASE)
        text = pattern.sub(target, text)
    return text


def _variant(text: str, kind: str, rng: random.Random) -> str | None:
    """One realistic outlet variant of ``text``, or None if the kind does not apply."""
    words = text.split()
    if kind == "contraction":
        changed = _replace_phrases(text, _CONTRACT, rng)
        if changed == text:
            changed = _replace_phrases(text.replace("’", "'"), _CONTRACT, rng, invert=True)
        changed = changed.replace("'", "’") if "'" in changed else changed
        return changed if changed != text else None
    if kind == "synonyms":
        return " ".join(words) if _swap_words(words, _GENERATOR_SYNONYMS, rng, 2) else None
    if kind == "truncation":
        keep = max(5, int(len(words) * rng.uniform(0.5, 0.8)))
        if keep >= len(words):
            return None
        truncated = " ".join(words[:keep] if rng.random() < 0.6 else words[-keep:])
        return truncated if len(_content_words(truncated)) >= 3 else None
    if kind == "fragment":
        if len(words) < 10:
            return None
        size = rng.randint(4, min(9, len(words) - 3))
        start = rng.randint(1, len(words) - size)
        fragment = " ".join(words[start : start + size])
        return fragment if len(_content_words(fragment)) >= 3 else None
    if kind == "dropped":
        # Outlets drop fillers and the odd word of a long quote, not half a short one.
        fillers = [i for i in range(1, len(words)) if words[i].lower().strip(",.") in _FILLERS]
        if fillers:
            gone = set(fillers)
        elif len(words) >= 12:
            gone = set(rng.sample(range(1, len(words)), len(words) // 12))
        else:
            return None
        return " ".join(w for i, w in enumerate(words) if i not in gone)
    if kind == "ellipsis":
        if len(words) < 14:
            return None
        start = rng.randint(3, len(words) - 8)
        size = rng.randint(3, min(10, len(words) - start - 4))
        return " ".join(words[:start] + ["…"] + words[start + size :])
    if kind == "spelling":
        changed = _replace_phrases(text, _US_TO_UK, rng)
        return changed if changed != text else None
    if kind == "retranslation":
        swapped = _swap_words(words, _GENERATOR_SYNONYMS, rng, 3)
        changed = " ".join(words)
        # Translators reorder clauses and change function words.
        clauses = re.split(r"(?<=,) ", changed)
        if len(clauses) >= 2 and rng.random() < 0.7:
            i = rng.randrange(len(clauses) - 1)
            clauses[i], clauses[i + 1] = clauses[i + 1].rstrip(",.") + ",", clauses[i].rstrip(",")
            changed = " ".join(clauses)
        changed = _replace_phrases(changed, {"some sort of": "some kind of", "a lot of": "many"}, rng)
        changed = _replace_phrases(changed, _CONTRACT, rng, invert=rng.random() < 0.5)
        return changed if swapped or changed != text else None
    raise ValueError(kind)


VARIANT_KINDS = (
    "contraction",
    "synonyms",
    "truncation",
    "fragment",
    "dropped",
    "ellipsis",
    "spelling",
    "retranslation",
)


def build_polnear_set(path: Path, rng: random.Random, variants_per_quote: int = 2) -> list[_Version]:
    start = date(2016, 3, 1)
    versions: list[_Version] = []
    for cluster, (text, speaker) in enumerate(_distinct_quotes(_load_polnear(path))):
        # All within 20 days: the time window never helps, text must decide.
        versions.append(_Version(text, speaker, start + timedelta(rng.randrange(20)), cluster, "original"))
        kinds = list(VARIANT_KINDS)
        rng.shuffle(kinds)
        made = 0
        for kind in kinds:
            if made == variants_per_quote:
                break
            variant = _variant(text, kind, rng)
            if variant and variant != text:
                when = start + timedelta(rng.randrange(20))
                versions.append(_Version(variant, speaker, when, cluster, kind))
                made += 1
    rng.shuffle(versions)  # outlets print fragments before and after the full quote
    return versions


def evaluate_polnear(path: Path = POLNEAR_PATH, seed: int = SEED) -> None:
    print("== PolNeAR real quotes with generated outlet variants and same-speaker hard negatives ==")
    if not path.exists():
        print(f"{path} is missing: this measurement is skipped.")
        return
    rng = random.Random(seed)
    versions = build_polnear_set(path, rng)
    store = MemoryStore()
    started = time.perf_counter()
    families = [store.place(o.text, o.speaker_key, o.when) for o in versions]
    elapsed = time.perf_counter() - started
    gold = [o.cluster for o in versions]

    originals = sum(o.kind == "original" for o in versions)
    named = sum(o.kind == "original" and o.speaker_key is not None for o in versions)
    print(
        f"{originals} real direct quotes ({named} with a named speaker, the rest unknown speaker and so "
        f"compared with everyone), {len(versions) - originals} variants, {len(set(gold))} gold clusters"
    )
    # Both pair sets are needed: predicted-linked pairs for precision, gold-linked for recall.
    score = _score_linked(gold, families)
    print("overall:               ", score.line())
    print(
        f"placement time: {1000 * elapsed / len(versions):.2f} ms per occurrence "
        f"(retrieval + placement, {len(versions)} occurrences, {len(store.families)} families at the end)"
    )
    original_of = {gold[i]: i for i, o in enumerate(versions) if o.kind == "original"}
    for kind in VARIANT_KINDS:
        of_kind = [i for i, o in enumerate(versions) if o.kind == kind]
        joined = sum(1 for i in of_kind if families[i] == families[original_of[gold[i]]])
        share = 100 * joined / len(of_kind) if of_kind else 0.0
        print(f"    {kind:>14}: {joined}/{len(of_kind)} joined their original ({share:.1f}%)")

    hard = _hard_negatives(versions)
    merged = sum(1 for i, j in hard if families[i] == families[j])
    print(
        f"hard negatives: {len(hard)} pairs of distinct real quotes by the same named speaker sharing "
        f">= 40% of the smaller text's content words; {merged} wrongly joined"
    )
    wrong = [(i, j) for i, j in _linked_pairs(families) if gold[i] != gold[j]]
    for i, j in wrong[:8]:
        print(f"    wrongly joined: [{versions[i].kind}] {versions[i].text[:70]!r}")
        print(f"                 ~ [{versions[j].kind}] {versions[j].text[:70]!r}")
    print(f"relations: {dict(sorted(store.relations.items()))}")


def _score_linked(gold: Sequence[int], predicted: Sequence[int]) -> PairScore:
    predicted_pairs = set(_linked_pairs(predicted))
    gold_pairs = set(_linked_pairs(gold))
    tp = len(predicted_pairs & gold_pairs)
    return PairScore(tp, len(predicted_pairs) - tp, len(gold_pairs) - tp)


def _hard_negatives(versions: Sequence[_Version]) -> list[tuple[int, int]]:
    by_speaker: dict[str, list[int]] = defaultdict(list)
    for i, o in enumerate(versions):
        if o.kind == "original" and o.speaker_key:
            by_speaker[o.speaker_key].append(i)
    pairs = []
    for members in by_speaker.values():
        for i, j in combinations(members, 2):
            if versions[i].cluster == versions[j].cluster:
                continue
            a, b = _content_words(versions[i].text), _content_words(versions[j].text)
            if a and b and len(a & b) >= 0.4 * min(len(a), len(b)) and len(a & b) >= 3:
                pairs.append((i, j))
    return pairs


def main() -> None:
    evaluate_seeds()
    print()
    evaluate_polnear()


if __name__ == "__main__":
    main()
