"""What every layer reads of a parsed text, worked out once per text.

spaCy builds a new ``Token`` on every access to a token, the text anew from its
tokens on every ``doc.text``, and the sentences anew on every ``doc.sents``:
each a walk over the whole text. The engine, the speaker layer, the entity
layer and the statement links each read all three, so they are kept in the
``Doc``'s own ``user_data`` and go with it. (Kept anywhere else, the tokens,
which hold their ``Doc``, would keep it alive.) A ``Doc`` read here is not
meant to be serialised afterwards: nothing in the product does.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

_KEY = "quotewise.parsed"


@dataclass(frozen=True)
class _Parsed:
    text: str
    tokens: list[Token]
    sentences: list[Span]
    sentence_starts: list[int]


def _parsed(doc: Doc) -> _Parsed:
    parsed = doc.user_data.get(_KEY)
    if parsed is None:
        sents = list(doc.sents)
        parsed = _Parsed(doc.text, list(doc), sents, [sent.start_char for sent in sents])
        doc.user_data[_KEY] = parsed
    return parsed


def text(doc: Doc) -> str:
    """The parsed text (``doc.text``)."""
    return _parsed(doc).text


def tokens(doc: Doc) -> list[Token]:
    """The text's tokens, in order (``list(doc)``)."""
    return _parsed(doc).tokens


def sentences(doc: Doc) -> list[Span]:
    """The text's sentences, in order (``list(doc.sents)``)."""
    return _parsed(doc).sentences


def sentence_index(doc: Doc, char: int) -> int:
    """The index of the sentence holding the character at ``char`` (-1 before the first)."""
    return bisect.bisect_right(_parsed(doc).sentence_starts, char) - 1


def sentence_start(doc: Doc, char: int) -> int:
    """Where the sentence holding ``char`` starts (``Token.sent`` walks the whole document)."""
    return _parsed(doc).sentence_starts[max(0, sentence_index(doc, char))]
