"""Placement: decide whether a new version is a quote we already hold.

Pure Python, no Django: text in, dataclasses out, so the rules can be tested
and measured without a database (``evaluation.matching``).

``place_version`` compares the new text with each candidate family's
canonical text only (never with other members, so A~B~C cannot chain A to
C), within one speaker and a time window, and names the relation;
``choose_family`` does it for a statement told in several versions, and
``join`` says what a family becomes with a new version.

The stores — ``families.store`` (the database) and the in-memory one of
``evaluation.matching`` — retrieve candidates (``keys``) and keep the result;
both decide with these functions.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ..words import Relation
from .folding import (
    ELLIPSIS,
    NEGATIONS,
    Tokens,
    canonical_word,
    fingerprint,
    fingerprint_of_normalized,
    normalize,
    tokens,
    tokens_of_normalized,
)

# Outlets carry a statement for days to a few weeks; beyond that a similar
# sentence by the same person is more likely a new occasion (speakers repeat
# their lines: "we don't want a new Cold War" in 2018 and again in 2022).
DEFAULT_WINDOW_DAYS = 30

# Blend score above which two texts are the same quote reworded, and its
# parts (see _variant_score). Chosen by a grid over threshold 0.55-0.70,
# weights, MIN_SHARED_WORDS 3-4 and penalty 0.1-0.2, run through
# evaluation/matching.py: this setting kept the seeds' only wrong pair
# at one and PolNeAR precision highest (99.85%) for 95% recall; 0.55 or a
# containment weight of 0.3 joined the Berlin lede with its headline, and
# MIN_SHARED_WORDS 3 let "I never said that" join "I never said no".
VARIANT_THRESHOLD = 0.60
WEIGHT_JACCARD = 0.4
WEIGHT_CONTAINMENT = 0.2
WEIGHT_ORDER = 0.4
MIN_SHARED_WORDS = 4
SMALL_OVERLAP_PENALTY = 0.1
LOCAL_DISCOUNT = 0.9


@dataclass
class FamilyCandidate:
    """A stored family as retrieval hands it to ``place_version``."""

    family_id: int
    canonical_text: str
    speaker_key: str | None
    first_seen: date | None
    # ``folding.fingerprint(canonical_text)`` when the store keeps it: a verbatim copy is then
    # known without preparing the text (see ``place_version``).
    fingerprint: str | None = None
    # ``folding.normalize(canonical_text)`` as the store keeps it with the text: the text is
    # then prepared without normalizing it again, if this is the fingerprint's (``canonical_tokens``).
    normalized: str | None = None


def canonical_tokens(candidate: FamilyCandidate) -> Tokens:
    """The candidate's canonical text prepared for comparison (``folding.tokens``): from its
    stored normalized text when that is the one its fingerprint was made of, so a stale one
    (left by a change of text, or of ``normalize``, that did not write it again) is never read."""
    stored = candidate.normalized
    if stored is not None and candidate.fingerprint == fingerprint_of_normalized(stored):
        return tokens_of_normalized(candidate.canonical_text, stored)
    return tokens(candidate.canonical_text)


@dataclass
class Match:
    """The candidate family a new version matches best, and how it relates to
    the family's canonical text. ``family_id`` None: none does, start a new family."""

    family_id: int | None
    relation: str
    score: float


# --------------------------------------------------------------------------
# Comparing two texts
# --------------------------------------------------------------------------


def _contains_run(container: Sequence[str], run: Sequence[str], start: int = 0) -> int:
    """Index just past the first version of ``run`` in ``container[start:]``, or -1."""
    size = len(run)
    first = run[0]
    for index in range(start, len(container) - size + 1):
        if container[index] == first and tuple(container[index : index + size]) == tuple(run):
            return index + size
    return -1


def _is_telling(part: Tokens) -> bool:
    """Whether an excerpt says enough to be placed: two content words, or a
    bare telling word ("Destroyed"). "She's going to have to" (one content
    word among function words) occurs in too many statements to mean one."""
    if len(part.content) >= 2:
        return True
    return len(part.words) <= 2 and any(len(word) >= 5 for word in part.content_surface)


def _is_fragment_of(part: Tokens, whole: Tokens) -> bool:
    """Every ellipsis-separated piece of ``part`` appears, in order, in ``whole``."""
    if len(part.words) >= len(whole.words) or not _is_telling(part):
        return False
    position = 0
    for piece in part.pieces:
        position = _contains_run(whole.words, piece, position)
        if position < 0:
            return False
    return True


def _is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    remaining = iter(long)
    return all(word in remaining for word in short)


def _similarity(
    words_a: Sequence[str],
    content_a: frozenset[str],
    words_b: Sequence[str],
    content_b: frozenset[str],
    at_least: float = -math.inf,
) -> float:
    """The blend score of two texts; below ``at_least``, only some value below it.

    The word order's part (difflib's ratio, the costly one) is at most
    2·min(len a, len b)/(len a + len b): when even that cannot lift the score to
    ``at_least``, it is not computed."""
    shared = len(content_a & content_b)
    if not shared:
        return 0.0
    jaccard = shared / len(content_a | content_b)
    containment = shared / min(len(content_a), len(content_b))
    # Two shared words agree by accident too easily ("I never said that" / "I never
    # said no"): demand more of everything else.
    penalty = SMALL_OVERLAP_PENALTY if shared < MIN_SHARED_WORDS else 0.0
    longest_ratio = 2 * min(len(words_a), len(words_b)) / (len(words_a) + len(words_b))
    highest = WEIGHT_JACCARD * jaccard + WEIGHT_CONTAINMENT * containment + WEIGHT_ORDER * longest_ratio
    if highest - penalty < at_least - 1e-9:  # (the margin: rounding never decides)
        return highest - penalty
    ratio = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).ratio()
    score = WEIGHT_JACCARD * jaccard + WEIGHT_CONTAINMENT * containment + WEIGHT_ORDER * ratio
    if penalty:
        score -= penalty
    return score


def _variant_score(new: Tokens, canonical: Tokens, at_least: float = -math.inf) -> float:
    """How alike a new text is to a canonical text, in [0, 1], on canonical word forms.

    A blend of Jaccard of the content words (rewording keeps most of them),
    containment of the smaller content set (shortened versions), and the
    difflib ratio over all words in order (two different sentences that reuse
    the same words rarely keep their order); sharing fewer than
    ``MIN_SHARED_WORDS`` content words costs ``SMALL_OVERLAP_PENALTY``.

    When the new text is much shorter, it is also compared with the best
    window of the canonical text (a reworded excerpt: "the alliance strives
    for a better relationship with Russia" inside a 150-word statement),
    discounted by ``LOCAL_DISCOUNT`` because the window is chosen to fit. Not
    the other way round: a long new text that contains a reworded version of
    a short canonical text is typically a summary combining statements
    ("The world when Russia took part in NATO summits no longer exists but
    the alliance needs minimum contact"), which is a quote of its own.
    """
    score = _similarity(new.words, new.content, canonical.words, canonical.content, at_least)
    if len(canonical.words) >= 2 * len(new.words) and len(new.content) >= MIN_SHARED_WORDS:
        window = _best_window(new, canonical)
        if window is not None:
            words, content = window
            # A hair lower than at_least / LOCAL_DISCOUNT: a score the product would
            # lift to at_least is always computed in full.
            local_at_least = at_least / LOCAL_DISCOUNT - 1e-9
            local = _similarity(new.words, new.content, words, content, local_at_least) * LOCAL_DISCOUNT
            score = max(score, local)
    return score


def _best_window(short: Tokens, long: Tokens) -> tuple[Sequence[str], frozenset[str]] | None:
    """The run of ``long`` of the short text's length sharing most of its content words."""
    size = len(short.words) + 2  # room for a couple of inserted words
    best_start, best_shared = -1, 0
    for start in range(max(1, len(long.words) - size + 1)):
        window = long.words[start : start + size]
        shared = len(short.content.intersection(window))
        if shared > best_shared:
            best_start, best_shared = start, shared
    if best_start < 0:
        return None
    words = long.words[best_start : best_start + size]
    flags = long.is_content[best_start : best_start + size]
    return words, frozenset(w for w, is_content in zip(words, flags, strict=True) if is_content)


def relation_to_canonical(text: str, canonical_text: str) -> tuple[str, float] | None:
    """How ``text`` relates to a family's canonical text, or None if unrelated.

    A fragment is an excerpt of the canonical text; a text that contains the
    canonical text and says more (a clause around a partial quote) is a
    variant. Also useful after a canonical swap, to recompute the relations
    of a family's stored versions.
    """
    return _relation(tokens(text), tokens(canonical_text))


def _relation(new: Tokens, canonical: Tokens) -> tuple[str, float] | None:
    """``relation_to_canonical`` of two texts prepared."""
    if not new.words or not canonical.words:
        return None
    if new.normalized == canonical.normalized:
        return Relation.VERBATIM, 1.0
    if new.words == canonical.words:
        return Relation.VARIANT, 1.0  # only inflections or known synonyms differ
    if _is_fragment_of(new, canonical):
        return Relation.FRAGMENT, 1.0
    if _is_fragment_of(canonical, new):
        return Relation.VARIANT, 1.0
    score = _variant_score(new, canonical, at_least=VARIANT_THRESHOLD)
    if score >= VARIANT_THRESHOLD:
        return Relation.VARIANT, round(score, 4)
    return None


def within_window(when: date | None, first_seen: date | None, window_days: int = DEFAULT_WINDOW_DAYS) -> bool:
    """Whether a family first seen on ``first_seen`` may take a statement of ``when``
    (no date on either side: no time limit)."""
    return when is None or first_seen is None or abs((when - first_seen).days) <= window_days


def window_bounds(
    when: date | None, window_days: int = DEFAULT_WINDOW_DAYS
) -> tuple[date | None, date | None]:
    """The first sightings a family of a statement of ``when`` may have (None: any)."""
    if when is None:
        return None, None
    return when - timedelta(days=window_days), when + timedelta(days=window_days)


def _speakers_compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def place_version(
    text: str,
    speaker_key: str | None,
    when: date | None,
    candidates: Iterable[FamilyCandidate],
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> Match:
    """Choose the family for a new version among retrieved candidates.

    A candidate qualifies only with a compatible speaker (equal, or unknown on
    either side) and a first sighting within ``window_days`` of ``when`` (no
    date on either side: no time limit). The new text is compared with each
    candidate's canonical text only. Best: verbatim, then the largest amount
    of matched content (a full-text variant beats a short family that merely
    sits inside the new text), then the nearest in time (a one-word fragment
    such as "destroyed" belongs to the statement made closest to it), then
    the oldest family.
    """
    new = tokens(text)

    def days_apart(candidate: FamilyCandidate) -> int | None:
        """None: the candidate cannot take the text (speaker, time window)."""
        if not _speakers_compatible(speaker_key, candidate.speaker_key):
            return None
        if when is None or candidate.first_seen is None:
            return 0
        days = abs((when - candidate.first_seen).days)
        return days if days <= window_days else None

    candidates = list(candidates)
    # A verbatim copy ranks above any other match: when one of the candidates that may take
    # the text is (the same fingerprint), the others need not be compared at all.
    same = fingerprint(text) if new.words else None
    if any(c.fingerprint == same and days_apart(c) is not None for c in candidates if same):
        candidates = [c for c in candidates if c.fingerprint == same]
    best: tuple[bool, float, int, int] | None = None
    chosen: Match | None = None
    for candidate in candidates:
        apart = days_apart(candidate)
        if apart is None:
            continue
        canonical = canonical_tokens(candidate)
        found = _relation(new, canonical)
        if found is None:
            continue
        relation, score = found
        matched = len(new.content & canonical.content) * score
        rank = (relation == Relation.VERBATIM, round(matched, 3), -apart, -candidate.family_id)
        if best is None or rank > best:
            best = rank
            chosen = Match(candidate.family_id, relation, score)
    return chosen or Match(None, Relation.VERBATIM, 1.0)


def choose_family(
    versions: Sequence[str],
    speaker_key: str | None,
    when: date | None,
    candidates_for: Callable[[str], Iterable[FamilyCandidate]],
    placed: Collection[int] = (),
) -> tuple[str, Match] | None:
    """The family of one statement told in ``versions`` (its best version
    first), and the version that found it; None: the statement is new.

    The best version may join any family, one its article has already placed
    another statement in included (a repeat). The other versions join only
    families not in ``placed``: the article has already said which of its
    statements they report.
    """
    for index, text in enumerate(versions):
        match = place_version(text, speaker_key, when, candidates_for(text))
        if match.family_id is not None and (index == 0 or match.family_id not in placed):
            return text, match
    return None


def join(
    family: FamilyCandidate, relation: str, text: str, speaker_key: str | None, when: date | None
) -> tuple[FamilyCandidate, str]:
    """A family with a new version added, and the version's relation to it.

    The version may name the family's speaker, date it earlier, or, fuller
    and faithful (``should_become_canonical``), become its canonical text —
    then it is verbatim.
    """
    joined = replace(family)
    if joined.speaker_key is None and speaker_key is not None:
        joined.speaker_key = speaker_key
    if when is not None and (joined.first_seen is None or when < joined.first_seen):
        joined.first_seen = when
    if should_become_canonical(text, joined.canonical_text):
        joined.canonical_text = text
    return joined, Relation.VERBATIM if joined.canonical_text == text else relation


def should_become_canonical(new_text: str, canonical_text: str) -> bool:
    """True when ``new_text`` is a fuller faithful version of the canonical text.

    Fuller and faithful: every word of the canonical text appears in the new
    text in the same order (after folding), and the new text has more words.
    A truncated, ellipsised or word-dropping version thus yields to the
    complete one, while a reworded variant never replaces the canonical text
    (which would let the family drift towards other statements). Nor does a
    version that puts a "not" or a number among the canonical words: it says
    something else, and the earlier reading stands (unless that reading marked
    a gap with an ellipsis, which the fuller version fills).
    """
    # Normalized words, not synonym-folded ones: "stops" is not faithful to "ends".
    new, canonical = normalize(new_text).split(), normalize(canonical_text).split()
    if len(new) <= len(canonical) or not canonical:
        return False
    if not _is_subsequence(canonical, new):
        return False
    # An ellipsis says words were left out: the fuller version restores them.
    return bool(ELLIPSIS.search(canonical_text)) or not _reverses_inside(canonical, new)


_DIGIT = re.compile(r"\d")


def _reverses_inside(canonical: Sequence[str], new: Sequence[str]) -> bool:
    """True when ``new`` puts a negation or a number *inside* the canonical words
    ("we will withdraw" → "we will not withdraw"): a fuller version that says
    something else, not the utterance told more completely. Words before or
    after the canonical ones only extend it."""
    blocks = difflib.SequenceMatcher(None, canonical, new, autojunk=False).get_matching_blocks()
    matched = [block for block in blocks if block.size]
    if not matched:
        return False
    first, last = matched[0].b, matched[-1].b + matched[-1].size
    inside = (new[i] for i in range(first, last) if not _in_blocks(i, matched))
    return any(canonical_word(word) in NEGATIONS or _DIGIT.search(word) for word in inside)


def _in_blocks(index: int, blocks: Sequence[difflib.Match]) -> bool:
    return any(block.b <= index < block.b + block.size for block in blocks)
