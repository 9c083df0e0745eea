"""Where an outlet's version of a statement lies in its primary source.

Pure Python, no Django. A primary source (a transcript, a press release, a
video's captions) is long and a quote is a piece of it, so a version is
compared with the passage of the source it corresponds to, not with the
whole text:

    source = PreparedSource(transcript)          # prepared once: words, offsets, an index
    found = source.passage(version)          # a Passage, or None: not in the source
    source = prepared(transcript)            # the same, kept for the next request with this text

The words compared are ``folding.normalize``d and folded by
``folding.canonical_word`` (inflections, the synonyms outlets swap). The
passage is the run of the source that holds most of the version's content
words, weighted so that a word the source repeats everywhere ("Russia" in a
speech about Russia) counts for less than a rare one. Word order is not
required: an excerpt, an ellipsis, a reordered or re-translated version all
find their passage. A version whose content words mostly do not occur
together anywhere in the source is *not in the source*.

The passage is widened to the sentences it lies in (within a bound), so
that what an excerpt leaves out around it ("if …", a number) is there for
``meaning.meaning_flags`` to see; ``core`` is the aligned span itself.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .folding import NEGATIONS, canonical_word, is_content_word, normalize

__all__ = ["MIN_COVERAGE", "Passage", "PreparedSource", "caption_text", "find_passage", "prepared"]

# The weighted share of a version's content words that must lie together in
# the source for the version to be found there (measured in ``make eval``).
MIN_COVERAGE = 0.5
# A passage may be this many words longer than the version, and half as long again
# (a reworded or re-translated version, words the version leaves out).
_SLACK = 8
# A version with fewer content words than this must have all of them found.
_FEW_WORDS = 3
# How far a passage is widened on each side to reach its sentence's edges, in words.
_MAX_CONTEXT = 40
# An edge word further than this from the next aligned word, carrying
# little of the version, is a stray match and not part of the passage.
_STRAY_GAP = 6
_STRAY_SHARE = 0.15
# An edge word across a sentence end that comes this many words out of the version's order.
_OUT_OF_ORDER = 1

_WORD_RE = re.compile(r"\S+")
_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass(frozen=True)
class Passage:
    """The passage of the source a version corresponds to: ``start``/``end``
    are character offsets into the source (the widened passage), ``core_start``
    / ``core_end`` those of the aligned words; ``coverage`` is the weighted
    share of the version's content words found in it."""

    start: int
    end: int
    core_start: int
    core_end: int
    coverage: float
    text: str


@lru_cache(maxsize=65536)
def _keys_of(word: str) -> tuple[tuple[str, bool], ...]:
    """Each compared word of one printed word, and whether it locates a passage:
    a content word, not a negation (a version's added "not" must not draw its
    passage to the "not" of another sentence)."""
    return tuple(
        (key, is_content_word(key) and key not in NEGATIONS)
        for key in (canonical_word(word) for word in normalize(word).split())
    )


class PreparedSource:
    """A primary source prepared for finding passages: its compared words
    with their offsets and sentence numbers, and where each word occurs."""

    def __init__(self, text: str) -> None:
        self.text = text
        keys: list[str] = []
        spans: list[tuple[int, int]] = []
        sentences: list[int] = []
        sentence = 0
        previous_end = 0
        for match in _WORD_RE.finditer(text):
            if "\n\n" in text[previous_end : match.start()]:
                sentence += 1  # a paragraph (or a caption block) ends a sentence
            previous_end = match.end()
            for key, _ in _keys_of(match.group()):
                keys.append(key)
                spans.append(match.span())
                sentences.append(sentence)
            if _SENTENCE_END_RE.search(match.group()):
                sentence += 1
        self.keys = keys
        self.spans = spans
        self.sentences = sentences
        self.positions: dict[str, list[int]] = {}
        for index, key in enumerate(keys):
            self.positions.setdefault(key, []).append(index)

    def weight(self, key: str) -> float:
        """How much finding ``key`` tells: less for a word the source repeats."""
        return 1.0 / (1.0 + math.log1p(len(self.positions.get(key, ())) / 8))

    def passage(self, version: str) -> Passage | None:
        """The passage of the source ``version`` corresponds to, or None when
        too little of it lies together anywhere in the source."""
        keys = [(key, content) for word in version.split() for key, content in _keys_of(word)]
        wanted = Counter(key for key, content in keys if content)
        order: dict[str, tuple[int, int]] = {}  # each word's first and last place in the version
        for index, (key, _) in enumerate(keys):
            order[key] = (order[key][0] if key in order else index, index)
        if not wanted:
            return None
        weights = {key: self.weight(key) for key in wanted}
        total = sum(count * weights[key] for key, count in wanted.items())
        length = len(keys)
        found = self._best_window(wanted, weights, width=length + length // 2 + _SLACK)
        if found is None:
            return None
        score, hits = found
        coverage = score / total
        needed = 1.0 if len(wanted) < _FEW_WORDS else MIN_COVERAGE
        if coverage < needed - 1e-9:
            return None
        weight_of = {hit: weights[self.keys[hit]] for hit in hits}
        hits = _without_strays(self._without_out_of_order(hits, order), weight_of, total)
        # As far as the version's own words reach past its first and last locating words.
        content_at = [index for index, (_, content) in enumerate(keys) if content]
        before, after = content_at[0], len(keys) - 1 - content_at[-1]
        core_first, core_last = max(0, hits[0] - before), min(len(self.keys) - 1, hits[-1] + after)
        first, last = self._widen(hits[0], hits[-1])
        first, last = min(first, core_first), max(last, core_last)
        start, end = self.spans[first][0], self.spans[last][1]
        return Passage(
            start=start,
            end=end,
            core_start=self.spans[core_first][0],
            core_end=self.spans[core_last][1],
            coverage=round(coverage, 3),
            text=self.text[start:end],
        )

    def _best_window(
        self, wanted: Counter[str], weights: dict[str, float], width: int
    ) -> tuple[float, list[int]] | None:
        """The run of at most ``width`` source words holding the most weight of
        the wanted words (each counted as often as the version has it), and
        the positions of the words it holds."""
        events = sorted((position, key) for key in wanted for position in self.positions.get(key, ()))
        if not events:
            return None
        held: Counter[str] = Counter()
        score, best, best_span = 0.0, 0.0, (0, 0)
        left = 0
        for right, (position, key) in enumerate(events):
            if held[key] < wanted[key]:
                score += weights[key]
            held[key] += 1
            # Too wide, or starting with a word held more often than wanted: move the start on.
            while position - events[left][0] >= width or held[events[left][1]] > wanted[events[left][1]]:
                gone = events[left][1]
                held[gone] -= 1
                if held[gone] < wanted[gone]:
                    score -= weights[gone]
                left += 1
            narrower = position - events[left][0] < events[best_span[1]][0] - events[best_span[0]][0]
            if score > best + 1e-9 or (score > best - 1e-9 and narrower):
                best, best_span = score, (left, right)
        # The positions that count: each wanted word as often as wanted, nearest the middle first.
        window = events[best_span[0] : best_span[1] + 1]
        middle = (window[0][0] + window[-1][0]) / 2
        left_over = Counter(wanted)
        hits = []
        for position, key in sorted(window, key=lambda event: abs(event[0] - middle)):
            if left_over[key] > 0:
                left_over[key] -= 1
                hits.append(position)
        return best, sorted(hits)

    def _without_out_of_order(self, hits: list[int], order: dict[str, tuple[int, int]]) -> list[int]:
        """The aligned positions with a word at either edge left out when it lies
        across a sentence end from the rest and out of the version's order: the
        "not" of the sentence before is no part of a version that adds one."""
        kept = list(hits)
        while len(kept) > 2:
            first, second = kept[0], kept[1]
            apart = self.sentences[first] != self.sentences[second]
            if apart and order[self.keys[first]][0] > order[self.keys[second]][1] + _OUT_OF_ORDER:
                kept.pop(0)
                continue
            last, before = kept[-1], kept[-2]
            apart = self.sentences[last] != self.sentences[before]
            if apart and order[self.keys[last]][1] + _OUT_OF_ORDER < order[self.keys[before]][0]:
                kept.pop()
                continue
            return kept
        return kept

    def _widen(self, first: int, last: int) -> tuple[int, int]:
        """The aligned words widened to the edges of their sentences, within bounds."""
        start, end = first, last
        while (
            start > 0 and first - start < _MAX_CONTEXT and self.sentences[start - 1] == self.sentences[first]
        ):
            start -= 1
        limit = len(self.keys) - 1
        while end < limit and end - last < _MAX_CONTEXT and self.sentences[end + 1] == self.sentences[last]:
            end += 1
        return start, end


def _without_strays(hits: list[int], weight_of: dict[int, float], total: float) -> list[int]:
    """The aligned positions with a lone, light match at either edge left out."""
    kept = list(hits)
    while len(kept) > 2 and kept[1] - kept[0] > _STRAY_GAP and weight_of[kept[0]] <= _STRAY_SHARE * total:
        kept.pop(0)
    while len(kept) > 2 and kept[-1] - kept[-2] > _STRAY_GAP and weight_of[kept[-1]] <= _STRAY_SHARE * total:
        kept.pop()
    return kept


def find_passage(source: str, version: str) -> Passage | None:
    """``PreparedSource(source).passage(version)``, for a single version."""
    return PreparedSource(source).passage(version)


# Prepared sources kept in each process, up to this many words in all (a
# prepared word takes a couple of hundred bytes); the one prepared last is
# always kept, however long.
CACHE_WORDS = 400_000
_cache: OrderedDict[bytes, PreparedSource] = OrderedDict()
_cache_lock = threading.Lock()


def prepared(text: str) -> PreparedSource:
    """``PreparedSource(text)``, prepared once per process for the same text: kept
    by a digest of the text itself, so a source replaced or edited is a new
    key and can never be answered from the old one's preparation."""
    key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    source = PreparedSource(text)  # outside the lock: another text need not wait for this one
    with _cache_lock:
        _cache[key] = source
        _cache.move_to_end(key)
        words = sum(len(kept.keys) for kept in _cache.values())
        while len(_cache) > 1 and words > CACHE_WORDS:
            _, gone = _cache.popitem(last=False)
            words -= len(gone.keys)
    return source


# --------------------------------------------------------------------------
# Caption files
# --------------------------------------------------------------------------

_TIMING_RE = re.compile(r"-->")
_CUE_NUMBER_RE = re.compile(r"^\d+$")
# A tag holds no "<": a run of "<" with no ">" is then read in linear time (each "<"
# fails at the next one), not rescanned to the end of the line from each of them;
# and a stray "<" before a tag ("5 < 6 <i>") keeps the words between them.
_TAG_RE = re.compile(r"<[^<>]*>")


def caption_text(captions: str) -> str:
    """The words of a WebVTT or SubRip caption file as plain text: the header,
    notes and style blocks, cue numbers, timings and tags (``<v Name>``,
    ``<i>``, inline timestamps) stripped; a line that repeats the one before
    (rolling captions) kept once; cues run together, a blank line where the
    file leaves a gap between blocks of speech."""
    lines: list[str] = []
    block: list[str] = []
    blocks: list[list[str]] = []
    for raw in [*captions.replace("\r\n", "\n").replace("\r", "\n").split("\n"), ""]:
        line = raw.strip().lstrip("\ufeff")
        if line:
            block.append(line)
            continue
        if block:
            blocks.append(block)
            block = []
    for block in blocks:
        head = block[0]
        if head.startswith(("WEBVTT", "NOTE", "STYLE", "REGION")) and not any(
            _TIMING_RE.search(line) for line in block
        ):
            continue
        for line in block:
            if _TIMING_RE.search(line) or _CUE_NUMBER_RE.match(line) or line.startswith("WEBVTT"):
                continue
            text = " ".join(html.unescape(_TAG_RE.sub("", line)).split())
            if text and (not lines or text != lines[-1]):
                lines.append(text)
    return _paragraphs(lines)


def _paragraphs(lines: Sequence[str]) -> str:
    """Caption lines joined into sentences and paragraphs: a line ending a
    sentence that is followed by a speaker change ("- ", ">> ") starts a new paragraph."""
    out: list[str] = []
    for line in lines:
        if out and line.startswith((">>", "- ")):
            out.append("\n\n")
            line = line.lstrip(">- ").strip()
        elif out:
            out.append(" ")
        out.append(line)
    return "".join(out)
