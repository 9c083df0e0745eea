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

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

_KEY = "quotewise.parsed"


@dataclass(frozen=True)
class _Parsed:
    text: str
    tokens: list[Token]
    sentences: list[Span]


def _parsed(doc: Doc) -> _Parsed:
    parsed = doc.user_data.get(_KEY)
    if parsed is None:
        parsed = doc.user_data[_KEY] = _Parsed(doc.text, list(doc), list(doc.sents))
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
