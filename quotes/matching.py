"""Quote families: decide whether a new occurrence is a quote we already hold.

Pure Python, no Django: text in, dataclasses out, so the rules can be tested
and measured without a database (``evaluation.matching``). The
DB-facing code in ``pipeline.py`` stores ``fingerprint`` and ``shingle_keys``
and hands the retrieved families to ``place_occurrence``.

Layers, cheapest first:

1. ``normalize`` / ``fingerprint`` — the same words after Unicode, quote
   marks, case, punctuation, contractions and British spelling are folded.
2. ``shingle_keys`` — a few stable integer keys per text that a near-duplicate
   or a contained fragment shares with its family (an inverted index).
3. ``place_occurrence`` — compares the new text with each candidate family's
   canonical text only (never with other members, so A~B~C cannot chain A to
   C), within one speaker and a time window, and names the relation;
   ``choose_family`` does it for a statement told in several versions, and
   ``join`` says what a family becomes with a new version.

The stores — ``quotes.families`` (the database) and the in-memory one of
``evaluation.matching`` — retrieve candidates and keep the result;
both decide with these functions.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from .extraction.types import Relation

__all__ = [
    "COMMON_KEY_FAMILIES",
    "DEFAULT_WINDOW_DAYS",
    "MAX_KEYS",
    "NEGATIONS",
    "VARIANT_THRESHOLD",
    "FamilyCandidate",
    "Placement",
    "canonical_word",
    "choose_family",
    "fingerprint",
    "is_content_word",
    "join",
    "normalize",
    "place_occurrence",
    "relation_to_canonical",
    "shingle_keys",
    "should_become_canonical",
]

# Outlets carry a statement for days to a few weeks; beyond that a similar
# sentence by the same person is more likely a new occasion (speakers repeat
# their lines: "we don't want a new Cold War" in 2018 and again in 2022).
DEFAULT_WINDOW_DAYS = 30

# Upper bound on index keys per family: keeps the (family_id, key) table at
# about 32 rows per quote, i.e. ~32 million rows for a million quotes.
MAX_KEYS = 32
MAX_WORD_KEYS = 8
MAX_PAIR_KEYS = MAX_KEYS - MAX_WORD_KEYS

# A key held by more families than this is too common to tell them apart (in
# an archive of election coverage, "clinton" is a word key of one family in
# ten): retrieval ranks by the other keys, reading at most this many + 1
# postings of a key to count it and as many again to rank, so a lookup reads
# at most 2 * MAX_KEYS * 1,001 index rows however large the archive grows.
# Corpus-dependent, so decided at query time from the index itself rather
# than by a fixed list of common words.
COMMON_KEY_FAMILIES = 1_000

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
    """A stored family as retrieval hands it to ``place_occurrence``."""

    family_id: int
    canonical_text: str
    speaker_key: str | None
    first_seen: date | None


@dataclass
class Placement:
    """Where a new occurrence goes. ``family_id`` None: start a new family."""

    family_id: int | None
    relation: str
    score: float


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

_APOSTROPHES = dict.fromkeys(map(ord, "\u2019\u2018\u02bc\u02bb`\u00b4\u2032\u201b\uff07"), "'")
# Quote marks of every style and dashes become spaces: they never carry words.
_SPACED = dict.fromkeys(
    map(
        ord,
        '"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u301d\u301e\u301f\uff02'
        "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b-_/",
    ),
    " ",
)

_CONTRACTION_WORDS = {
    "won't": "will not",
    "can't": "can not",
    "cannot": "can not",
    "shan't": "shall not",
    "ain't": "is not",
    "let's": "let us",
    "'em": "them",
    "'cause": "because",
    "y'all": "you all",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "o'clock": "oclock",
}
_SUFFIX_CONTRACTIONS = (("n't", " not"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"), ("'m", " am"))


def _words(text: str) -> frozenset[str]:
    """A word list written as text, a word per blank-separated item."""
    return frozenset(text.split())


# 's after these is "is"/"has"; after any other word it is a possessive.
_S_IS_HOSTS = _words(
    """
    it he she that there here what who where how when why this everything nothing something everyone
    someone everybody somebody nobody
    """
)
_HAS_NEXT = frozenset(["been", "got", "gotten", "had"])
_HAD_NEXT = frozenset(["been", "better"])

_BRITISH_WORDS = {
    "centre": "center",
    "centres": "centers",
    "theatre": "theater",
    "metre": "meter",
    "metres": "meters",
    "litre": "liter",
    "litres": "liters",
    "fibre": "fiber",
    "calibre": "caliber",
    "sombre": "somber",
    "spectre": "specter",
    "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers",
    "defence": "defense",
    "defences": "defenses",
    "offence": "offense",
    "offences": "offenses",
    "licence": "license",
    "pretence": "pretense",
    "programme": "program",
    "programmes": "programs",
    "grey": "gray",
    "sceptic": "skeptic",
    "sceptical": "skeptical",
    "scepticism": "skepticism",
    "aluminium": "aluminum",
    "mould": "mold",
    "plough": "plow",
    "jewellery": "jewelry",
    "tyre": "tire",
    "tyres": "tires",
    "practise": "practice",
    "practised": "practiced",
    "practising": "practicing",
    "whilst": "while",
    "amongst": "among",
    "towards": "toward",
    "catalogue": "catalog",
    "cheque": "check",
    "enrol": "enroll",
    "fulfil": "fulfill",
    "judgement": "judgment",
    "ageing": "aging",
}
_OUR_RE = re.compile(
    r"^(colo|favo|hono|labo|behavio|neighbo|rumo|harbo|vigo|humo|flavo|savo|endeavo|armo|odo|valo"
    r"|parlo|splendo|cando|fervo|tumo|vapo|clamo|rigo|demeano|savio|ardo|dishono)u(r.*)$"
)
_LL_RE = re.compile(
    r"^(travel|cancel|label|model|fuel|signal|total|counsel|channel|level|marvel|quarrel|equal|dial"
    r"|jewel|tunnel|rival|panel|pedal|shovel|spiral|unravel|grovel|initial)l(ed|ing|er|ers|ist|ists)$"
)
_ISE_RE = re.compile(r"^([a-z]{3,})is(e|es|ed|ing|ation|ations|er|ers)$")
_YSE_RE = re.compile(r"^([a-z]+)ys(e|es|ed|ing|er|ers)$")
# Real -ise words that must not turn into -ize (they have no -ize spelling).
_ISE_KEEP = _words(
    """
    advertise advise apprise arise chastise circumcise comprise compromise concise demise despise devise
    disguise enterprise excise exercise expertise franchise improvise incise likewise merchandise
    otherwise paradise praise precise premise promise raise reprise revise supervise surmise surprise
    televise treatise cruise bruise poise noise guise wise rise sunrise clockwise porpoise tortoise
    turquoise
    """
)

_NUMBER_GROUPS_RE = re.compile(r"(?<=\d)[,\u202f\u2009](?=\d{3}\b)")
_DECIMAL_RE = re.compile(r"(?<=\d)\.(?=\d)")
_PER_CENT_RE = re.compile(r"\bper cent\b")
_WORD_APOSTROPHE_RE = re.compile(r"[\w'\x00]+")


def normalize(text: str) -> str:
    """The words of ``text`` with everything outlets vary typographically folded.

    NFKC; every quote-mark style removed and dashes turned into spaces;
    case-folded; contractions expanded ("won't" → "will not"; "'s" is "is"
    after a pronoun, "has" before "been"/"got", and a dropped possessive after
    a noun, since "Russia's side" and "Russia side" should compare equal);
    common British spellings turned American; punctuation removed (a decimal
    point between digits is kept); whitespace collapsed.
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_APOSTROPHES).translate(_SPACED)
    text = _NUMBER_GROUPS_RE.sub("", text)
    text = text.casefold().replace("%", " percent ").replace("&", " and ")
    text = _DECIMAL_RE.sub("\x00", text)  # protect 3.5 from punctuation removal
    text = _expand_contractions(text)
    text = "".join(ch if ch.isalnum() or ch in " \x00" else " " for ch in text)
    text = text.replace("\x00", ".")
    text = _PER_CENT_RE.sub("percent", " ".join(text.split()))
    return " ".join(_american(word) for word in text.split())


def _expand_contractions(text: str) -> str:
    words = _WORD_APOSTROPHE_RE.findall(text)
    out: list[str] = []
    for index, word in enumerate(words):
        following = words[index + 1].strip("'") if index + 1 < len(words) else ""
        out.append(_expand_word(word.strip("'") if word not in _CONTRACTION_WORDS else word, following))
    return " ".join(out)


def _expand_word(word: str, following: str) -> str:
    if word in _CONTRACTION_WORDS:
        return _CONTRACTION_WORDS[word]
    if "'" not in word:
        return word
    for suffix, expansion in _SUFFIX_CONTRACTIONS:
        if word.endswith(suffix):
            return word[: -len(suffix)] + expansion
    if word.endswith("'d"):
        return word[:-2] + (" had" if following in _HAD_NEXT else " would")
    if word.endswith("'s"):
        host = word[:-2]
        if host in _S_IS_HOSTS:
            return host + (" has" if following in _HAS_NEXT else " is")
        return host
    return word.replace("'", "")


def _american(word: str) -> str:
    if word in _BRITISH_WORDS:
        return _BRITISH_WORDS[word]
    if "our" in word and (match := _OUR_RE.match(word)):
        return match.group(1) + match.group(2)
    if "ll" in word and (match := _LL_RE.match(word)):
        return match.group(1) + match.group(2)
    if "is" in word and (match := _ISE_RE.match(word)):
        if match.group(1) + "ise" not in _ISE_KEEP:
            return match.group(1) + "iz" + match.group(2)
    elif "ys" in word and (match := _YSE_RE.match(word)):
        return match.group(1) + "yz" + match.group(2)
    return word


@lru_cache(maxsize=16384)  # a write asks for a text's fingerprint several times
def fingerprint(text: str) -> str:
    """Hex SHA-256 of ``normalize(text)`` (64 characters): equal for verbatim copies.

    Changing ``normalize`` changes fingerprints; stored ones must then be
    recomputed (and ``shingle_keys`` re-indexed) in a data migration.
    """
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------
# Tokens for comparison: stemming-lite and synonym groups
# --------------------------------------------------------------------------

# Function words: kept in word sequences (containment, order) but not counted
# as content. Negations are deliberately absent: "will not return" and
# "will return" must differ.
_STOPWORDS = _words(
    """
    a an the and or but if then so of to in on at by for with from as into onto about over under than
    that this these those there here it its is are was were be been being am do does did doing has have
    had having will would shall should can could may might must i me my mine myself we us our ours
    ourselves you your yours he him his she her hers they them their theirs itself himself herself
    themselves what which who whom whose when where why how all any both each some such own same too
    very just also only even really quite rather truly extremely well now s t up out off again once
    because while until through during before after above below between against
    """
)


def is_content_word(word: str) -> bool:
    """Whether a normalized word counts as content (not a function word) in comparisons."""
    return word not in _STOPWORDS


_IRREGULAR = {
    "said": "say",
    "says": "say",
    "told": "tell",
    "made": "make",
    "went": "go",
    "gone": "go",
    "goes": "go",
    "took": "take",
    "taken": "take",
    "thought": "think",
    "brought": "bring",
    "began": "begin",
    "begun": "begin",
    "known": "know",
    "knew": "know",
    "saw": "see",
    "seen": "see",
    "got": "get",
    "gotten": "get",
    "gave": "give",
    "given": "give",
    "came": "come",
    "felt": "feel",
    "kept": "keep",
    "held": "hold",
    "meant": "mean",
    "paid": "pay",
    "spoke": "speak",
    "spoken": "speak",
    "stood": "stand",
    "lost": "lose",
    "built": "build",
    "sent": "send",
    "spent": "spend",
    "won": "win",
    "chose": "choose",
    "chosen": "choose",
    "wrote": "write",
    "written": "write",
    "fought": "fight",
    "led": "lead",
    "ran": "run",
    "became": "become",
    "found": "find",
    "sought": "seek",
    "understood": "understand",
    "children": "child",
    "men": "man",
    "women": "woman",
    "people": "people",
    "better": "good",
    "best": "good",
    "worse": "bad",
    "worst": "bad",
}

# Words outlets and translators swap for one another. Each group folds to its
# first member, so the comparison (and the index keys) ignore the swap.
_SYNONYM_GROUPS = (
    "stop end cease halt",
    "kind sort type",
    "big large huge",
    "long lengthy prolonged protracted",
    "say state tell declare",
    "begin start commence",
    "relation relationship tie",
    "minimal minimum",
    "destroy ruin wreck shatter",
    "country nation",
    "war conflict",
    "help assist aid",
    "think believe",
    "want wish desire",
    "need require",
    "try attempt",
    "important significant",
    "fast quick rapid swift",
    "show demonstrate",
    "enough sufficient",
    "get obtain receive",
    "buy purchase",
    "child kid",
    "friendly amicable",
    "normal usual ordinary",
    "consequence effect repercussion",
    "threat danger menace",
    "allow permit",
    "nearly almost",
    "maybe perhaps",
    "many numerous",
    "entire whole",
    "strong powerful",
    "terrible awful horrible dreadful",
    "difficult hard tough",
    "talk speak",
    "answer response reply",
    "mistake error",
    "problem issue",
    "goal aim objective",
)


def _stem(word: str) -> str:
    """A deliberately crude suffix stripper: consistent, not linguistic.

    Both sides of every comparison go through it, so it only has to map
    inflections of one word to one form ("fighting", "fights" → "fight").
    """
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ingly", "edly", "ing", "ed", "ly"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and any(v in stem for v in "aeiouy"):
            word = stem
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouylsz":
                word = word[:-1]  # stopped → stop
            break
    if word.endswith("ied"):
        word = word[:-3] + "y"
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # make/making → mak
    if len(word) > 3 and word.endswith("y"):
        word = word[:-1] + "i"  # try/tried/tries → tri
    return word


def _build_synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for group in _SYNONYM_GROUPS:
        members = [_stem(normalize(word).replace(" ", "")) for word in group.split()]
        for member in members[1:]:
            table[member] = members[0]
        table.setdefault(members[0], members[0])
    return table


_SYNONYMS = _build_synonyms()


@lru_cache(maxsize=65536)
def _canon_word(word: str) -> str:
    stem = _stem(word)
    return _SYNONYMS.get(stem, stem)


def canonical_word(word: str) -> str:
    """The form a normalized word is compared in: inflections and the
    synonyms outlets swap folded ("ends", "stopped" → "stop")."""
    return _canon_word(word)


@dataclass(frozen=True)
class _Tokens:
    """A text prepared for comparison (computed once per text, cached)."""

    normalized: str
    words: tuple[str, ...]  # canonical word forms, stopwords included, in order
    is_content: tuple[bool, ...]  # per word: not a stopword
    content: frozenset[str]  # canonical forms of the non-stopwords
    content_seq: tuple[str, ...]  # content words in order (for shingles)
    pieces: tuple[tuple[str, ...], ...]  # word runs between ellipses
    content_surface: tuple[str, ...]  # the normalized spelling of each content word


_ELLIPSIS_RE = re.compile(r"[\[(]?\s*(?:\.\s*){3,}\s*[\])]?|\u2026")


@lru_cache(maxsize=16384)
def _tokens(text: str) -> _Tokens:
    normalized = normalize(text)
    words: list[str] = []
    is_content: list[bool] = []
    content_seq: list[str] = []
    surface: list[str] = []
    for word in normalized.split():
        canon = _canon_word(word)
        words.append(canon)
        is_content.append(word not in _STOPWORDS)
        if is_content[-1]:
            content_seq.append(canon)
            surface.append(word)
    pieces = tuple(
        piece
        for piece in (
            tuple(_canon_word(w) for w in normalize(part).split())
            for part in _ELLIPSIS_RE.split(unicodedata.normalize("NFKC", text))
        )
        if piece
    )
    return _Tokens(
        normalized,
        tuple(words),
        tuple(is_content),
        frozenset(content_seq),
        tuple(content_seq),
        pieces,
        tuple(surface),
    )


# --------------------------------------------------------------------------
# Index keys
# --------------------------------------------------------------------------


def _stable_key(kind: str, words: Sequence[str]) -> int:
    digest = hashlib.blake2b(f"{kind}:{' '.join(words)}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)  # fits a PostgreSQL bigint


def shingle_keys(text: str) -> list[int]:
    """At most ``MAX_KEYS`` signed 64-bit keys that find this text's family.

    Two kinds of key, both on content words (stopwords skipped; words stemmed
    and synonym-folded first, so "the fighting stops" and "fighting ended"
    give the same keys):

    * pairs of adjacent content words, up to ``MAX_PAIR_KEYS``. Pairs rather
      than longer shingles because a fragment of three content words has only
      two pairs to offer, and a reworded quote keeps few longer runs intact.
      Selection is winnowing (Schleimer et al. 2003) with a window sized to
      the text: a text with at most ``MAX_PAIR_KEYS`` pairs keeps all of them;
      a longer one keeps the minimum-hash pair of every window of ``w``
      consecutive pairs, with ``w`` the smallest that fits the bound. The
      choice depends only on the pairs inside a window, so a fragment (which
      keeps all its pairs) shares a key with its container whenever it spans
      a full window: always for containers of up to ~25 content words (most
      quotes), and for fragments of at least ``w`` + 1 content words inside
      longer ones. The trade-off: a 3-word fragment of a 150-word quote is
      found only with probability ~2/(w+1); raising the bound buys certainty
      with index rows.
    * single content words, up to ``MAX_WORD_KEYS``: all of them for short
      texts, else the longest (length is a cheap, corpus-free proxy for a
      rare, telling word). They let a one- or two-word fragment ("destroyed")
      or a heavily cut quote find its family, at the price of more families
      sharing each key (the candidate query ranks by the number of shared
      keys, so pairs still dominate, and skips a key held by more than
      ``COMMON_KEY_FAMILIES`` families when the text has rarer ones).

    Keys come from BLAKE2b, not ``hash()``, so they agree across processes.
    """
    return list(_shingle_keys(text))


@lru_cache(maxsize=16384)  # likewise its keys
def _shingle_keys(text: str) -> tuple[int, ...]:
    tokens = _tokens(text)
    content = tokens.content_seq
    if not content:
        return ()
    by_length = sorted(
        set(zip(tokens.content_surface, content, strict=True)), key=lambda sc: (-len(sc[0]), sc[1])
    )
    word_keys = {_stable_key("w", [canon]) for _, canon in by_length[:MAX_WORD_KEYS]}
    pair_hashes = [_stable_key("p", content[i : i + 2]) for i in range(len(content) - 1)]
    pair_keys = set(pair_hashes)
    if len(pair_keys) > MAX_PAIR_KEYS:
        # Fewer than n/window keys is impossible, so start the search there.
        window = max(2, len(pair_hashes) // MAX_PAIR_KEYS)
        while len(pair_keys := _winnow(pair_hashes, window)) > MAX_PAIR_KEYS:
            window += 1
    return tuple(sorted(word_keys | pair_keys))


def _winnow(hashes: Sequence[int], window: int) -> set[int]:
    selected: set[int] = set()
    for start in range(max(1, len(hashes) - window + 1)):
        selected.add(min(hashes[start : start + window]))
    return selected


# --------------------------------------------------------------------------
# Comparing two texts
# --------------------------------------------------------------------------


def _contains_run(container: Sequence[str], run: Sequence[str], start: int = 0) -> int:
    """Index just past the first occurrence of ``run`` in ``container[start:]``, or -1."""
    size = len(run)
    first = run[0]
    for index in range(start, len(container) - size + 1):
        if container[index] == first and tuple(container[index : index + size]) == tuple(run):
            return index + size
    return -1


def _is_telling(part: _Tokens) -> bool:
    """Whether an excerpt says enough to be placed: two content words, or a
    bare telling word ("Destroyed"). "She's going to have to" (one content
    word among function words) occurs in too many statements to mean one."""
    if len(part.content) >= 2:
        return True
    return len(part.words) <= 2 and any(len(word) >= 5 for word in part.content_surface)


def _is_fragment_of(part: _Tokens, whole: _Tokens) -> bool:
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
    words_a: Sequence[str], content_a: frozenset[str], words_b: Sequence[str], content_b: frozenset[str]
) -> float:
    shared = len(content_a & content_b)
    if not shared:
        return 0.0
    jaccard = shared / len(content_a | content_b)
    containment = shared / min(len(content_a), len(content_b))
    ratio = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).ratio()
    score = WEIGHT_JACCARD * jaccard + WEIGHT_CONTAINMENT * containment + WEIGHT_ORDER * ratio
    if shared < MIN_SHARED_WORDS:
        # Two shared words agree by accident too easily ("I never said
        # that" / "I never said no"): demand more of everything else.
        score -= SMALL_OVERLAP_PENALTY
    return score


def _variant_score(new: _Tokens, canonical: _Tokens) -> float:
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
    score = _similarity(new.words, new.content, canonical.words, canonical.content)
    if len(canonical.words) >= 2 * len(new.words) and len(new.content) >= MIN_SHARED_WORDS:
        window = _best_window(new, canonical)
        if window is not None:
            words, content = window
            local = _similarity(new.words, new.content, words, content) * LOCAL_DISCOUNT
            score = max(score, local)
    return score


def _best_window(short: _Tokens, long: _Tokens) -> tuple[Sequence[str], frozenset[str]] | None:
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
    of a family's stored occurrences.
    """
    new, canonical = _tokens(text), _tokens(canonical_text)
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
    score = _variant_score(new, canonical)
    if score >= VARIANT_THRESHOLD:
        return Relation.VARIANT, round(score, 4)
    return None


def _speakers_compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def place_occurrence(
    text: str,
    speaker_key: str | None,
    when: date | None,
    candidates: Iterable[FamilyCandidate],
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> Placement:
    """Choose the family for a new occurrence among retrieved candidates.

    A candidate qualifies only with a compatible speaker (equal, or unknown on
    either side) and a first sighting within ``window_days`` of ``when`` (no
    date on either side: no time limit). The new text is compared with each
    candidate's canonical text only. Best: verbatim, then the largest amount
    of matched content (a full-text variant beats a short family that merely
    sits inside the new text), then the nearest in time (a one-word fragment
    such as "destroyed" belongs to the statement made closest to it), then
    the oldest family.
    """
    new = _tokens(text)
    best: tuple[bool, float, int, int] | None = None
    best_placement: Placement | None = None
    for candidate in candidates:
        if not _speakers_compatible(speaker_key, candidate.speaker_key):
            continue
        days_apart = 0
        if when is not None and candidate.first_seen is not None:
            days_apart = abs((when - candidate.first_seen).days)
            if days_apart > window_days:
                continue
        found = relation_to_canonical(text, candidate.canonical_text)
        if found is None:
            continue
        relation, score = found
        matched = len(new.content & _tokens(candidate.canonical_text).content) * score
        rank = (relation == Relation.VERBATIM, round(matched, 3), -days_apart, -candidate.family_id)
        if best is None or rank > best:
            best = rank
            best_placement = Placement(candidate.family_id, relation, score)
    return best_placement or Placement(None, Relation.VERBATIM, 1.0)


def choose_family(
    versions: Sequence[str],
    speaker_key: str | None,
    when: date | None,
    candidates_for: Callable[[str], Iterable[FamilyCandidate]],
    placed: Collection[int] = (),
) -> tuple[str, Placement] | None:
    """The family of one statement told in ``versions`` (its best version
    first), and the version that found it; None: the statement is new.

    The best version may join any family, one its article has already placed
    another statement in included (a repeat). The other versions join only
    families not in ``placed``: the article has already said which of its
    statements they report.
    """
    for index, text in enumerate(versions):
        placement = place_occurrence(text, speaker_key, when, candidates_for(text))
        if placement.family_id is not None and (index == 0 or placement.family_id not in placed):
            return text, placement
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
    return bool(_ELLIPSIS_RE.search(canonical_text)) or not _reverses_inside(canonical, new)


# The words that deny what a sentence says, in ``canonical_word`` form.
NEGATIONS = frozenset(
    map(canonical_word, ["not", "no", "never", "nothing", "none", "nobody", "neither", "nor", "nowhere"])
)
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
