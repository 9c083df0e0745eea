"""Text folding: the form in which two versions of a quote are compared.

Pure Python, no Django. ``normalize`` / ``fingerprint``: the same words after
Unicode, quote marks, case, punctuation, contractions and British spelling
are folded; ``canonical_word``: inflections and the synonyms outlets swap
folded too; ``tokens``: a text prepared once for comparison (``keys``,
``placement``, ``meaning`` and ``passages`` all read it this way);
``as_said``: a quote's words without the punctuation its sentence left.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

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
# The two translations above as character classes: one scan each, where ``str.translate``
# looks every character of a text up in a dict.
_APOSTROPHE_RE = re.compile("[" + "".join(map(chr, _APOSTROPHES)) + "]")
_SPACED_RE = re.compile("[" + re.escape("".join(map(chr, _SPACED))) + "]")
_DIGIT_RE = re.compile(r"\d")
# The contractions written without an apostrophe.
_RUN_TOGETHER = tuple(word for word in _CONTRACTION_WORDS if "'" not in word)
_WORD_APOSTROPHE_RE = re.compile(r"[\w'\x00]+")
# What is neither a letter nor a digit (nor the decimal point's stand-in, nor a space):
# ``\w`` is ``str.isalnum`` and the underscore, which ``_SPACED`` has already made a space.
_NOT_WORD_RE = re.compile(r"[^\w\x00 ]|_")


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
    text = _SPACED_RE.sub(" ", _APOSTROPHE_RE.sub("'", text))
    digits = _DIGIT_RE.search(text) is not None  # (numbers' groups and decimal points need one)
    if digits:
        text = _NUMBER_GROUPS_RE.sub("", text)
    text = text.casefold().replace("%", " percent ").replace("&", " and ")
    if digits:
        text = _DECIMAL_RE.sub("\x00", text)  # protect 3.5 from punctuation removal
    if "'" in text:
        text = _NOT_WORD_RE.sub(" ", _expand_contractions(text))
    else:  # most texts: the words as they are, but "cannot", "gonna"… (and no "_": it is spaced)
        words = _WORD_APOSTROPHE_RE.findall(text)
        if any(word in text for word in _RUN_TOGETHER):
            words = [_CONTRACTION_WORDS.get(word, word) for word in words]
        text = " ".join(words)
    text = " ".join(text.replace("\x00", ".").split())
    if "per cent" in text:
        text = _PER_CENT_RE.sub("percent", text)
    return " ".join([_AMERICAN.get(word) or _american(word) for word in text.split()])


def _expand_contractions(text: str) -> str:
    words = _WORD_APOSTROPHE_RE.findall(text)
    return " ".join(
        [
            # Most words: nothing to expand but "cannot", "gonna"…
            _CONTRACTION_WORDS.get(word, word)
            if "'" not in word
            else _expand_word(word if word in _CONTRACTION_WORDS else word.strip("'"), following.strip("'"))
            for word, following in zip(words, [*words[1:], ""], strict=True)
        ]
    )


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


# Each word's American spelling, as ``_american`` found it: the same few thousand words, text
# after text (a dict read in line, cheaper than a cached function's call).
_AMERICAN: dict[str, str] = {}


def _american(word: str) -> str:
    if len(_AMERICAN) >= 100_000:
        _AMERICAN.clear()
    _AMERICAN[word] = american = _americanized(word)
    return american


def _americanized(word: str) -> str:
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
    return fingerprint_of_normalized(normalize(text))


def fingerprint_of_normalized(normalized: str) -> str:
    """The fingerprint of a text whose ``normalize`` is ``normalized``: a normalized text
    stored with a family is the family's own when this is the family's fingerprint."""
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


# Punctuation that closes a quote inside its marks only because the sentence
# goes on after it ("… destroyed," he said): out of the sentence, it dangles.
# "?", "!", "." and "…" belong to what was said and stay.
_DANGLING = ",;:"
# An opening mark and the closing marks that answer it.
_CLOSING = {"”": "“„", "»": "«", '"': '"'}
_DOUBLE_MARKS = '"“”«»„'


def as_said(text: str) -> str:
    """A quote's words as they were said, without what the sentence around
    them left: a dangling comma, semicolon or colon, a closing quote mark that
    no mark in the text opens (the quotation's own), and marks wrapping the
    whole text. A quotation inside it keeps its marks ("it was “a disgrace”")."""
    said = text.strip()
    while said:
        trimmed = said.rstrip(_DANGLING).rstrip()
        last = trimmed[-1:]
        if last in _CLOSING and not _opened(trimmed[:-1], last):
            trimmed = trimmed[:-1].rstrip()
        if trimmed == said:
            break
        said = trimmed
    inner = said[1:-1]
    wrapped = len(said) > 2 and said[0] in _DOUBLE_MARKS and said[-1] in _DOUBLE_MARKS
    if wrapped and not any(mark in inner for mark in _DOUBLE_MARKS):
        said = inner.strip().rstrip(_DANGLING).rstrip()
    return said


def _opened(text: str, closing: str) -> bool:
    """Whether ``text`` opens a quotation that ``closing`` ends."""
    if closing == '"':
        return text.count('"') % 2 == 1
    return any(mark in text for mark in _CLOSING[closing])


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


# Each word's canonical form, as ``_canon_word`` found it (read in line, as ``_AMERICAN``).
_CANONICAL: dict[str, str] = {}


def _canon_word(word: str) -> str:
    canonical = _CANONICAL.get(word)
    if canonical is None:
        if len(_CANONICAL) >= 100_000:
            _CANONICAL.clear()
        stem = _stem(word)
        _CANONICAL[word] = canonical = _SYNONYMS.get(stem, stem)
    return canonical


def canonical_word(word: str) -> str:
    """The form a normalized word is compared in: inflections and the
    synonyms outlets swap folded ("ends", "stopped" → "stop")."""
    return _canon_word(word)


@dataclass(frozen=True)
class Tokens:
    """A text prepared for comparison (computed once per text, cached)."""

    normalized: str
    words: tuple[str, ...]  # canonical word forms, stopwords included, in order
    is_content: tuple[bool, ...]  # per word: not a stopword
    content: frozenset[str]  # canonical forms of the non-stopwords
    content_seq: tuple[str, ...]  # content words in order (for shingles)
    pieces: tuple[tuple[str, ...], ...]  # word runs between ellipses
    content_surface: tuple[str, ...]  # the normalized spelling of each content word


ELLIPSIS = re.compile(r"[\[(]?\s*(?:\.\s*){3,}\s*[\])]?|\u2026")


@lru_cache(maxsize=16384)
def tokens(text: str) -> Tokens:
    return _prepared(text, normalize(text))


@lru_cache(maxsize=16384)
def tokens_of_normalized(text: str, normalized: str) -> Tokens:
    """``tokens(text)``, given ``normalized``, which must be ``normalize(text)`` (a family's,
    stored with its text: ``placement.canonical_tokens`` checks it against the family's
    fingerprint first). The words are looked up as ``tokens`` looks them up; the text is
    not normalized again (about three fifths of the cost)."""
    return _prepared(text, normalized)


# Three dots, spaced or not, or "…": what ``ELLIPSIS`` finds, looked for without its optional
# brackets and spaces around (tried at every position of a text, they cost more than the rest).
_DOTS = re.compile(r"\.\s*\.\s*\.|\u2026")


def _prepared(text: str, normalized: str) -> Tokens:
    """A text prepared for comparison, from its words as ``normalize`` gives them."""
    split = normalized.split()
    words = [_CANONICAL.get(word) or _canon_word(word) for word in split]
    is_content = [word not in _STOPWORDS for word in split]
    content_seq = [canon for canon, content in zip(words, is_content, strict=True) if content]
    surface = [word for word, content in zip(split, is_content, strict=True) if content]
    folded = unicodedata.normalize("NFKC", text)
    # One piece, the words themselves (``normalize`` starts with NFKC). An ellipsis is "…" or
    # three dots at least: most texts have neither, and need no search.
    if ("\u2026" not in folded and folded.count(".") < 3) or _DOTS.search(folded) is None:
        pieces: tuple[tuple[str, ...], ...] = (tuple(words),) if words else ()
    else:
        pieces = tuple(
            piece
            for piece in (
                tuple(_canon_word(w) for w in normalize(part).split()) for part in ELLIPSIS.split(folded)
            )
            if piece
        )
    return Tokens(
        normalized,
        tuple(words),
        tuple(is_content),
        frozenset(content_seq),
        tuple(content_seq),
        pieces,
        tuple(surface),
    )


# The words that deny what a sentence says, in ``canonical_word`` form.
NEGATIONS = frozenset(
    map(canonical_word, ["not", "no", "never", "nothing", "none", "nobody", "neither", "nor", "nowhere"])
)
