"""Edits that change what a quote says, beyond rewording.

Pure Python, no Django. ``meaning_flags(canonical, version)`` compares an
outlet's version of a statement with its family's canonical text and names
the edits a fact-checker cares about, each as a ``Flag`` (type, before,
after):

* ``number`` — a number changed, dropped or added ("5 years" → "5 1/2 years", "44" → "40");
* ``negation`` — a "not", "never", "no" … dropped or added;
* ``entity`` — a name swapped for another ("Russia" → "Ukraine");
* ``added`` — words put inside the quote marks that the speaker did not say;
* ``qualifier`` — the version is cut so that an "if …" / "unless …" clause
  governing what it keeps is lost.

Everything else — synonyms, re-translation, contractions, spelling,
reordered clauses, excerpts, an ellipsis, a bracketed editorial insertion —
is rewording and raises no flag. The comparison runs on the words as
``folding.normalize`` folds them, aligned with difflib; only the part of the
canonical text the version covers is compared word for word, so an excerpt
is not said to have "dropped" what lies outside it.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..words import Kind, Relation
from .folding import NEGATIONS, canonical_word, normalize
from .passages import Passage, PreparedSource
from .placement import relation_to_canonical

__all__ = [
    "FLAG_TYPES",
    "NOT_IN_SOURCE",
    "QUOTED_KINDS",
    "Flag",
    "flags_to_store",
    "meaning_flags",
    "source_flags",
    "source_flags_to_store",
    "source_relation",
]

NUMBER = "number"
NEGATION = "negation"
ENTITY = "entity"
ADDED = "added"
QUALIFIER = "qualifier"
FLAG_TYPES = (NUMBER, NEGATION, ENTITY, ADDED, QUALIFIER)
# Against a primary source: too little of the version is found anywhere in it.
NOT_IN_SOURCE = "not_in_source"
# The kinds of version printed inside quote marks: the words are the speaker's.
QUOTED_KINDS = Kind.QUOTED


@dataclass(frozen=True)
class Flag:
    """One meaning-changing edit: its type, and the words before and after it
    (either may be empty: a dropped or an added word)."""

    type: str
    before: str
    after: str

    @property
    def label(self) -> str:
        """What a reader is told: "changed a number", "dropped 'not'"."""
        if self.type == NUMBER:
            before, after = _numbers_in(self.before), _numbers_in(self.after)
            if not after:
                return "dropped a number"
            return "changed a number" if before else "added a number"
        if self.type == NEGATION:
            denied, denies = _negations_in(self.before), _negations_in(self.after)
            if denied.total() > denies.total():
                return f"dropped '{(denied - denies or denied).most_common(1)[0][0]}'"
            return f"added '{(denies - denied or denies).most_common(1)[0][0]}'"
        if self.type == ENTITY:
            return "swapped a name"
        if self.type == ADDED:
            return "added words"
        if self.type == NOT_IN_SOURCE:
            return "not in the primary source"
        return "cut a qualifier"

    @property
    def badge(self) -> str:
        """The change itself, short enough for a badge beside the version:
        "changed 20 → 30", "dropped 'not'", "changed Russia → Ukraine"."""
        if self.type == NUMBER:
            before, after = " ".join(_numbers_in(self.before)), " ".join(_numbers_in(self.after))
            if before and after:
                return f"changed {before} → {after}"
            if before or after:
                return f"dropped {before}" if before else f"added {after}"
        if self.type == ENTITY and self.before and self.after:
            return f"changed {self.before} → {self.after}"
        return self.label

    def as_dict(self) -> dict[str, str]:
        return {"type": self.type, "before": self.before, "after": self.after, "label": self.label}


# --------------------------------------------------------------------------
# Word classes
# --------------------------------------------------------------------------


def _keys(words: str) -> frozenset[str]:
    """Words in the form tokens are compared in (``folding.canonical_word``)."""
    return frozenset(canonical_word(word) for word in words.split())


_NEGATIONS = NEGATIONS
_QUALIFIERS = _keys("if unless except provided providing")

_NUMBER_WORDS = {
    # "one" is left out: "one of", "no one" and "a day" for "one day" are rewordings.
    "zero": "0",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
    "hundred": "100",
    "thousand": "1000",
    "million": "1000000",
    "billion": "1000000000",
    "trillion": "1000000000000",
    "dozen": "12",
    "half": "0.5",
    "quarter": "0.25",
    "third": "0.333",
    "twice": "x2",
    "double": "x2",
    "triple": "x3",
}
_FRACTIONS = {"½": "0.5", "¼": "0.25", "¾": "0.75", "⅓": "0.333", "⅔": "0.667", "1/2": "0.5", "1/4": "0.25"}

# Words that carry no claim of their own: an added "the" or "very" is
# rewording, an added "Ukraine" or "illegal" is not.
_FUNCTION_WORDS = _keys(
    """a an the and or but so of to in on at by for with from as into onto about over under than
    that this these those there here it its is are was were be been being am do does did has have had
    will would shall should can could may might must i me my we us our you your he him his she her
    they them their what which who whom whose when where why how all any some such very just also
    really quite rather truly extremely well now then s t up out off even indeed actually simply
    basically frankly certainly course of clearly obviously"""
)

# Names that stand for one another: a re-translation or a capital for its
# country is not a swap.
_SAME_ENTITY = {
    "kiev": "kyiv",
    "moscow": "russia",
    "kremlin": "russia",
    "russian": "russia",
    "ukrainian": "ukraine",
    "america": "us",
    "american": "us",
    "usa": "us",
    "beijing": "china",
    "chinese": "china",
    "britain": "uk",
    "british": "uk",
    "european": "europe",
    "eu": "europe",
    "allies": "nato",
    "alliance": "nato",
}


# --------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"\[[^\]]*\]"  # an editor's bracketed insertion: [Russia]
    r"|\.\s?\.\s?\.|…"  # an ellipsis
    r"|\d+(?:[.,/]\d+)*%?"  # 44, 1,000, 3.5, 1/2, 10%
    r"|[½¼¾⅓⅔]"
    r"|[^\W\d_]+(?:['’\-][^\W\d_]+)*"  # words, with their apostrophes and hyphens
)
_SENTENCE_END = re.compile(r"[.!?:;]")
_ELLIPSIS = "…"
_BRACKETED = "[]"


@dataclass(frozen=True)
class _Token:
    surface: str
    key: str  # the normalized word compared (a contraction gives two tokens: will, not)
    source: int  # index of the printed word it comes from
    sentence: int
    clause: int  # clauses are cut at commas and sentence ends
    capital: bool  # printed with a capital where a sentence does not start
    number: str | None  # the value of a number word or figure


def _tokens(text: str) -> list[_Token]:
    matches = list(_TOKEN_RE.finditer(text))
    words = [m.group() for m in matches if m.group()[:1].isalpha()]
    title_case = len(words) >= 4 and sum(w[:1].isupper() for w in words) >= 0.6 * len(words)
    tokens: list[_Token] = []
    sentence = clause = 0
    previous_end = 0
    for source, match in enumerate(matches):
        between = text[previous_end : match.start()]
        previous_end = match.end()
        starts_sentence = source == 0
        if _SENTENCE_END.search(between):
            sentence += 1
            clause += 1
            starts_sentence = True
        elif "," in between or "\u2014" in between or " - " in between:
            clause += 1
        surface = match.group()
        if surface.startswith("["):
            tokens.append(_Token(surface, _BRACKETED, source, sentence, clause, False, None))
            continue
        if surface == "…" or surface.startswith("."):
            tokens.append(_Token(surface, _ELLIPSIS, source, sentence, clause, False, None))
            continue
        capital = surface[:1].isupper() and surface != "I"
        # A capital means a name mid-sentence; at a sentence start or in a
        # title-cased headline only an acronym does ("NATO").
        if capital and (starts_sentence or title_case):
            capital = len(surface) > 1 and surface.isupper()
        number = _number_value(surface)
        if number is not None:
            tokens.append(_Token(surface, number, source, sentence, clause, False, number))
            if surface.endswith("%"):  # 10% ~ 10 percent
                tokens.append(_Token(surface, "percent", source, sentence, clause, False, None))
            continue
        for compared, value in _compared_as(surface):
            tokens.append(_Token(surface, compared, source, sentence, clause, capital, value))
    return _merge_fractions(tokens)


@lru_cache(maxsize=65536)  # the same words, version after version
def _compared_as(surface: str) -> tuple[tuple[str, str | None], ...]:
    """The words a printed word is compared as (a contraction gives two), each with
    its value when it is a number word."""
    keys = normalize(surface).split() or [surface.lower()]
    if "-" in surface and len(keys) > 1:
        keys = ["".join(keys)]  # long-lasting ~ one word, not "long" added
    return tuple((_NUMBER_WORDS.get(key) or canonical_word(key), _NUMBER_WORDS.get(key)) for key in keys)


def _number_value(surface: str) -> str | None:
    """The value of a figure ("1,000", "10%", "½") or a compound number word
    ("forty-four"); None for anything else (single number words are looked up
    per word)."""
    if surface in _FRACTIONS:
        return _FRACTIONS[surface]
    if surface[:1].isdigit():
        return surface.replace(",", "").rstrip("%")
    parts = surface.lower().split("-")
    if len(parts) > 1 and all(part in _NUMBER_WORDS for part in parts):
        return str(sum(float(_NUMBER_WORDS[part]) for part in parts)).removesuffix(".0")
    return None


def _merge_fractions(tokens: list[_Token]) -> list[_Token]:
    """ "5 1/2" and "5½" are one number, 5.5."""
    merged: list[_Token] = []
    for token in tokens:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.number is not None
            and token.number is not None
            and token.number.startswith("0.")
            and last.number.isdigit()
        ):
            value = str(int(last.number) + float(token.number))  # 5 1/2 -> 5.5
            merged[-1] = _Token(
                f"{last.surface} {token.surface}",
                value,
                last.source,
                last.sentence,
                last.clause,
                False,
                value,
            )
            continue
        merged.append(token)
    return merged


_SAME_ENTITY_KEYS = {canonical_word(a): canonical_word(b) for a, b in _SAME_ENTITY.items()}


def _entity_key(token: _Token) -> str:
    return _SAME_ENTITY_KEYS.get(token.key, token.key)


def _is_content(token: _Token) -> bool:
    return token.key not in _FUNCTION_WORDS and token.key not in (_ELLIPSIS, _BRACKETED)


def _numbers_in(text: str) -> list[str]:
    return [t.number for t in _tokens(text) if t.number]


def _negations_in(text: str) -> Counter[str]:
    return Counter(word for word in normalize(text).split() if canonical_word(word) in _NEGATIONS)


def _phrase(tokens: Sequence[_Token]) -> str:
    """The printed words of some tokens (a contraction once)."""
    words: list[str] = []
    last_source = -1
    for token in tokens:
        if token.source != last_source:
            words.append(token.surface)
            last_source = token.source
    return " ".join(words)


# --------------------------------------------------------------------------
# Comparing
# --------------------------------------------------------------------------


@dataclass
class _Edit:
    """What lies between two anchors of the alignment: canonical tokens that
    became other tokens of the version (either side may be empty)."""

    deleted: list[_Token]
    inserted: list[_Token]
    context: tuple[list[_Token], list[_Token]]  # the canonical words just before and after
    version_context: tuple[list[_Token], list[_Token]]  # the version's
    cut: bool  # the canonical words lie outside what the version covers, or behind an ellipsis


def meaning_flags(canonical: str, version: str, quoted: bool = True) -> list[Flag]:
    """The meaning-changing edits from ``canonical`` to ``version``, grouped by
    type (numbers, negations, names, added words, qualifiers); none for a
    version too unlike the canonical text to be its rewording.

    ``quoted``: the version is printed inside quote marks (a direct or partial
    quote), so words it adds are put in the speaker's mouth; a paraphrase or a
    headline is the outlet's own wording and is checked for the rest only.
    """
    a, b = _tokens(canonical), _tokens(version)
    if not a or not b:
        return []
    if relation_to_canonical(version, canonical) is None:
        return []  # not the same statement in words that can be compared one by one
    blocks = _anchors(a, b)
    if not blocks:
        return []
    covered_start, covered_end = blocks[0].a, blocks[-1].a + blocks[-1].size
    edits: list[_Edit] = []
    ends = [(0, 0), *((block.a + block.size, block.b + block.size) for block in blocks)]
    for (i1, j1), block in zip(ends, [*blocks, difflib.Match(len(a), len(b), 0)], strict=True):
        i2, j2 = block.a, block.b
        if i1 == i2 and j1 == j2:
            continue
        deleted = a[i1:i2]
        inserted = [t for t in b[j1:j2] if t.key != _BRACKETED]
        elided = any(t.key == _ELLIPSIS for t in inserted)
        inserted = [t for t in inserted if t.key != _ELLIPSIS]
        leading, trailing = i2 <= covered_start, i1 >= covered_end
        if (leading or trailing) and inserted:
            # Replaced at an edge: the canonical words next to the kept ones
            # were changed, those further out cut.
            deleted = deleted[-len(inserted) :] if leading else deleted[: len(inserted)]
            if not quoted:
                inserted = []  # an outlet's own words around a paraphrase
        # A long passage left out (or summed up in a few words) is a cut, not an edit word by word.
        abridged = len(deleted) > _LONGEST_EDIT and len(inserted) <= len(deleted) // 2
        cut = elided or abridged or (not inserted and (leading or trailing))
        if (
            cut
            and leading
            and deleted
            and deleted[-1].number is not None
            and deleted[-1].clause == a[i2].clause
        ):
            # "44 percent of voters" cut to "percent of voters": the number
            # went, not the part of the quote before it.
            edits.append(_Edit(deleted[-1:], [], ([], a[i2 : i2 + 1]), ([], b[j2 : j2 + 1]), cut=False))
        context = (a[max(0, i1 - 1) : i1], a[i2 : i2 + 1])
        version_context = (b[max(0, j1 - 1) : j1], b[j2 : j2 + 1])
        edits.append(_Edit(deleted, inserted, context, version_context, cut=cut))
    _cancel_moves(edits, a, b)
    flags = _number_flags(edits) + _negation_flags(edits) + _entity_flags(edits)
    if quoted:
        flags += _added_flags(edits)
    flags += _qualifier_flags(edits, a, blocks)
    return flags


# Longer replacements are abridgements (see meaning_flags).
_LONGEST_EDIT = 8


def flags_to_store(canonical: str, version: str, kind: str) -> list[dict[str, str]]:
    """``meaning_flags`` of a version of the given kind, as a version stores them."""
    if version == canonical:
        return []
    flags = meaning_flags(canonical, version, quoted=kind in QUOTED_KINDS)
    return [{"type": flag.type, "before": flag.before, "after": flag.after} for flag in flags]


def source_flags(
    source: PreparedSource, version: str, quoted: bool = True
) -> tuple[list[Flag], Passage | None]:
    """A version compared with the passage of its family's primary source it
    corresponds to (``passages``): its meaning-changing edits against that
    passage, and the passage; a version not found in the source has the one
    flag that says so, and no passage."""
    passage = source.passage(version)
    if passage is None:
        return [Flag(NOT_IN_SOURCE, "", version)], None
    # The passage's sentences show what an excerpt cut ("if …"); a short version in a
    # long sentence is compared with the words it aligns with when it is no excerpt of them.
    reference = passage.text
    if relation_to_canonical(version, reference) is None:
        reference = source.text[passage.core_start : passage.core_end]
    if version == reference:
        return [], passage
    return meaning_flags(reference, version, quoted=quoted), passage


def source_relation(passage: str, version: str) -> str:
    """How a version relates to its passage of a primary source: verbatim
    (the passage word for word), a fragment (an excerpt of it) or a variant
    (reworded, or too changed for matching to say more)."""
    found = relation_to_canonical(version, passage)
    return found[0] if found else Relation.VARIANT


def source_flags_to_store(
    source: PreparedSource, version: str, kind: str
) -> tuple[list[dict[str, str]], Passage | None]:
    """``source_flags`` of a version of the given kind, as a version stores them."""
    flags, passage = source_flags(source, version, quoted=kind in QUOTED_KINDS)
    return [{"type": flag.type, "before": flag.before, "after": flag.after} for flag in flags], passage


def _anchors(a: list[_Token], b: list[_Token]) -> list[difflib.Match]:
    """The runs both texts share, in order, that can anchor an alignment: a
    lone function word ("the", "with") matched far from its place is not one."""
    matcher = difflib.SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False)
    return [
        block
        for block in matcher.get_matching_blocks()
        if block.size >= 2 or (block.size == 1 and _is_content(a[block.a]))
    ]


def _cancel_moves(edits: list[_Edit], canonical: list[_Token], version: list[_Token]) -> None:
    """A word deleted in one place and inserted in another was moved (a
    re-translation reorders clauses): it is not an edit. A clause most of
    whose words were moved was put elsewhere, reworded on the way.

    A negation is moved only together with what it denies (``_move_key``): a
    "not" dropped before one verb and a "not" added before another are two
    edits, however many negations the rest of the text holds."""
    movable = [edit for edit in edits if not (edit.deleted and edit.inserted)]  # not "40" for "44"
    keys = {id(t): _move_key(t, n, canonical) for n, t in enumerate(canonical)}
    keys.update({id(t): _move_key(t, n, version) for n, t in enumerate(version)})
    moved = Counter(keys[id(t)] for e in movable for t in e.deleted) & Counter(
        keys[id(t)] for e in movable for t in e.inserted
    )
    for side in ("deleted", "inserted"):
        left = Counter(moved)
        for edit in movable:
            tokens: list[_Token] = getattr(edit, side)
            kept = []
            for token in tokens:
                if left[keys[id(token)]] > 0:
                    left[keys[id(token)]] -= 1
                else:
                    kept.append(token)
            content = sum(map(_is_content, tokens))
            if content and sum(map(_is_content, kept)) <= content // 2:
                kept = []
            setattr(edit, side, kept)


def _move_key(token: _Token, index: int, tokens: list[_Token]) -> str:
    """What a token is matched on when it is deleted in one place and inserted
    in another: its word; a negation, with the word it denies (the next of its
    clause; none for a "No," standing alone)."""
    if token.key not in _NEGATIONS:
        return token.key
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    denied = following.key if following is not None and following.clause == token.clause else ""
    return f"{token.key} {denied}"


def _with_context(edit: _Edit) -> tuple[str, str]:
    """Before and after of an edit; an insertion or a deletion shows the
    neighbouring words on both sides ("5 years" → "5 1/2 years")."""
    deleted = [] if edit.cut else edit.deleted
    if deleted and edit.inserted:
        return _phrase(deleted), _phrase(edit.inserted)
    (a_before, a_after), (b_before, b_after) = edit.context, edit.version_context
    return _phrase([*a_before, *deleted, *a_after]), _phrase([*b_before, *edit.inserted, *b_after])


def _number_flags(edits: list[_Edit]) -> list[Flag]:
    flags = []
    for edit in edits:
        gone = Counter(t.number for t in edit.deleted if t.number and not edit.cut)
        new = Counter(t.number for t in edit.inserted if t.number)
        if gone != new:  # "five" for "5" is no change
            flags.append(Flag(NUMBER, *_with_context(edit)))
    return flags


def _negation_flags(edits: list[_Edit]) -> list[Flag]:
    flags = []
    for edit in edits:
        gone = 0 if edit.cut else sum(t.key in _NEGATIONS for t in edit.deleted)
        new = sum(t.key in _NEGATIONS for t in edit.inserted)
        if gone != new:  # "never" for "not": both deny
            flags.append(Flag(NEGATION, *_with_context(edit)))
    return flags


def _entity_flags(edits: list[_Edit]) -> list[Flag]:
    """Names swapped: a name of the canonical text gone where another appears."""
    gone = [(e, [t for t in e.deleted if t.capital]) for e in edits if not e.cut]
    new = [(e, [t for t in e.inserted if t.capital]) for e in edits]
    gone_keys = Counter(_entity_key(t) for _, ts in gone for t in ts)
    new_keys = Counter(_entity_key(t) for _, ts in new for t in ts)
    if not (gone_keys - new_keys) or not (new_keys - gone_keys):
        return []
    lost = [t for _, ts in gone for t in ts if (gone_keys - new_keys)[_entity_key(t)]]
    found = [t for _, ts in new for t in ts if (new_keys - gone_keys)[_entity_key(t)]]
    return [Flag(ENTITY, _phrase(lost), _phrase(found))]


def _added_flags(edits: list[_Edit]) -> list[Flag]:
    """Words in the speaker's mouth: a pure insertion carrying a content word
    (numbers and negations have flags of their own)."""
    flags = []
    for edit in edits:
        if edit.deleted:
            continue  # a replacement is rewording unless another flag says otherwise
        words = [t for t in edit.inserted if _is_content(t) and t.number is None and t.key not in _NEGATIONS]
        if words:
            flags.append(Flag(ADDED, "", _phrase(edit.inserted)))
    return flags


def _qualifier_flags(
    edits: list[_Edit], canonical: list[_Token], blocks: Sequence[difflib.Match]
) -> list[Flag]:
    """An "if …" / "unless …" clause dropped from a sentence the version keeps."""
    kept_sentences = {canonical[i].sentence for block in blocks for i in range(block.a, block.a + block.size)}
    flags = []
    for edit in edits:
        for index, token in enumerate(edit.deleted):
            if token.key not in _QUALIFIERS or token.sentence not in kept_sentences:
                continue
            clause = [t for t in edit.deleted[index:] if t.clause == token.clause]
            lead = edit.deleted[index - 1 : index] if index and edit.deleted[index - 1].key == "even" else []
            flags.append(Flag(QUALIFIER, _phrase(lead + clause), ""))
            break
    return flags
