"""Quotes split around an inserted cue: "The rink is too small, she says, and will close
next year." and "“We are not closing libraries,” she said, “we are changing when they
open.”" Both sides are the speaker's words: each side is a quote of its own (the cue is
no part of either), and :mod:`.statements` puts them in one statement.
"""

from __future__ import annotations

from spacy.tokens import Token

from .marks import MarkedSpan

# What may stand between a cue and the comma that closes it: "she said on Monday,",
# "says Alvarez, the mayor,", "she added quickly,".
_CUE_PHRASE_DEPS = frozenset(
    ["nsubj", "aux", "neg", "advmod", "npadvmod", "prep", "appos", "dobj", "dative", "punct"]
)
_MAX_CUE_PHRASE_TOKENS = 12
_CONTINUING_CHARS = ",;:—–-"
_MAX_CUE_BETWEEN_CHARS = 80
_MIN_SIDE_WORDS = 3
_FINITE = frozenset(["VBZ", "VBD", "VBP", "MD"])


def _closing_comma(cue: Token) -> Token | None:
    """The comma that ends an inserted cue phrase ("…, she said on Monday, …")."""
    doc = cue.doc
    for tok in doc[cue.i + 1 : min(len(doc), cue.i + _MAX_CUE_PHRASE_TOKENS)]:
        if tok.text == ",":
            return tok
        # A word that belongs neither to the cue phrase nor under the cue ends the search.
        anchor = tok
        while anchor.head.i != cue.i and anchor.head.i != anchor.i and anchor.head.i > cue.i:
            anchor = anchor.head
        if anchor.head.i != cue.i or anchor.dep_ not in _CUE_PHRASE_DEPS:
            return None
    return None


def inserted_cue_sides(cue: Token) -> tuple[list[Token], list[Token]] | None:
    """The two sides of a sentence that a cue set off by commas splits, when both are
    clauses: "The rink is too small, she says, and will close next year." Anything else
    (no commas, or a side that is only a subject: "The plan, she said, would cost …") is None."""
    head = cue.head
    if cue.dep_ != "parataxis" or head.pos_ not in ("VERB", "AUX") or cue.i <= head.left_edge.i:
        return None
    doc = cue.doc
    opening = cue.left_edge.i if cue.left_edge.text == "," else cue.left_edge.i - 1
    closing = _closing_comma(cue)
    if opening < 0 or doc[opening].text != "," or closing is None:
        return None
    words = sorted({t.i for t in head.subtree} | {t.i for t in cue.subtree})
    left = [doc[i] for i in words if i < opening]
    right = [doc[i] for i in words if i > closing.i]
    if not _is_clause(left, head) or not _is_clause(right, head):
        return None
    return left, right


def according_to_head(according: Token) -> Token:
    """The word "according to X" reports: the one it hangs on, or the verb of the clause
    whose subject it hangs on ("The new rink on the harbour, according to Alvarez, will …")."""
    head = according.head
    if head.dep_ in ("nsubj", "nsubjpass") and head.i < according.i and head.head.pos_ in ("VERB", "AUX"):
        return head.head
    return head


def hangs_on_its_source(according: Token, head: Token) -> bool:
    """ "…, according to an email previously kept secret", "…, according to sources who spoke
    to reporters but were not authorized to": the parser hung the phrase on a verb that goes on
    describing its own source (nothing sets the two apart), not on what the source said, which
    is the clause before the phrase."""
    end = according.right_edge.i
    root = according.sent.root
    return root.i < according.i < end < head.i and not any(t.is_punct for t in according.doc[end : head.i])


def according_to_sides(according: Token, tokens: list[Token]) -> tuple[list[Token], list[Token]] | None:
    """ "The rink is too small, according to the coach, and will close next year": both sides,
    when "according to X" sits between two clauses."""
    head = according.head
    left = [t for t in tokens if t.i < according.i]
    right = [t for t in tokens if t.i > according.right_edge.i and not t.is_punct]
    # "…, according to a tally, but his path is narrowing": a contrast is the reporter's.
    if right and right[0].lower_ == "and" and _is_clause(left, head) and _is_clause(right, head):
        return left, right
    return None


def according_to_subject_sides(
    according: Token, tokens: list[Token]
) -> tuple[list[Token], list[Token]] | None:
    """ "The rink, according to the coach, is too small": the subject on the left is part of
    what was said, so both sides are pieces of the statement (the left one no clause)."""
    head = according_to_head(according)
    left = [t for t in tokens if t.i < according.i and not (t.is_punct and t.i == according.i - 1)]
    right = [
        t
        for t in tokens
        if t.i > according.right_edge.i and not (t.is_punct and t.i == according.right_edge.i + 1)
    ]
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < according.i]
    if not left or not right or len(subjects) != 1:
        return None
    # The phrase may hang on the subject itself ("The new rink on the harbour, according to
    # Alvarez, will …"): then the subject is the words before it.
    phrase = {t.i for t in according.subtree}
    subject = [t for t in subjects[0].subtree if t.i not in phrase]
    if {t.i for t in left} != {t.i for t in subject if t.i < according.i and t.i != according.i - 1}:
        return None
    if any(not t.is_punct for t in subject if t.i > according.i):
        return None
    if not any(t.i == head.i for t in right):
        return None
    return left, right


def _is_clause(tokens: list[Token], head: Token) -> bool:
    """A side that says something of its own: a finite verb at the top of the sentence or
    joined to it ("is too small", "and will close next year"), not a relative clause or a
    participle ("the woman who escorted her", "in another shot aimed at him")."""
    if sum(t.is_alpha for t in tokens) < _MIN_SIDE_WORDS:
        return False
    return any(
        t.pos_ in ("VERB", "AUX")
        and (t.i == head.i or t.dep_ in ("ROOT", "conj"))
        and (t.tag_ in _FINITE or any(c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE for c in t.children))
        for t in tokens
    )


def continues_a_quote(text: str, previous: MarkedSpan, mark: MarkedSpan) -> bool:
    """ "“We are not closing libraries,” she said, “we are changing …”": the second piece
    continues the first across its cue (the first ends on a comma, a short cue between)."""
    if previous.close_pos is None:
        return False
    inside_end = text[previous.start : previous.end].rstrip()[-1:]
    between = text[previous.outer_end : mark.open_pos]
    return (
        inside_end in _CONTINUING_CHARS
        and 0 < len(between.strip()) <= _MAX_CUE_BETWEEN_CHARS
        and between.rstrip().endswith((",", ":"))
        and "\n" not in between
        and not any(ch in ".!?" for ch in between)
    )
