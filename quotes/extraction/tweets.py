"""Tweet signatures: an embedded tweet is signed after its text, and the signature says who
wrote it.

    “The library stays open.” — Ines Alvarez (@InesAlvarez) May 4, 2019
    “The library stays open.” — @InesAlvarez
    “The library stays open.” (@InesAlvarez) May 4, 2019

The signature follows the closing mark on the same line or opens one of the next two,
and ends its line; a line that is nothing but a signature is no news text. A handle
with no name shown is the person the article names whose surname the handle spells
("@tberg" is the Tom Berg named before), if only one does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

# A month, a day and a year: "May 4, 2019", "Sept. 1, 2016".
_DATE = r"[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2},[ \t]+\d{4}"
_SIGNATURE = re.compile(
    r"[ \t]*(?:\n[ \t]*){0,2}"  # on the quote's line, or opening one of the next two
    r"(?:(?P<dash>[—–]|--?)[ \t]*)?"
    r"(?:(?P<name>[^\s@()—–][^\n@()—–]{0,60}?)[ \t]*)?"
    r"(?P<open>\()?(?P<handle>@[A-Za-z0-9_]{1,15})(?(open)\))"
    rf"(?:[ \t]+(?P<date>{_DATE}))?"
    r"[ \t.]*(?=\n|$)"
)
# A name shown in a signature is a few words ("Donald J. Trump", "The Associated Press").
_MAX_NAME_WORDS = 5
# A surname this short is spelt inside too many handles by chance.
_MIN_SURNAME_CHARS = 4


@dataclass(frozen=True)
class TweetSignature:
    start: int  # where the signature starts (its dash, or its name)
    end: int
    name: tuple[int, int] | None  # the name shown before the handle, if any
    handle: tuple[int, int]  # "@InesAlvarez", its "@" included


def tweet_signature(text: str, after: int) -> TweetSignature | None:
    """The signature of a tweet whose text ends at ``after`` (the closing mark), if one
    follows: after a dash, or a handle in brackets with the date after it."""
    match = _SIGNATURE.match(text, after)
    if match is None:
        return None
    if match.group("dash") is None and not (match.group("open") and match.group("date")):
        return None  # "“…” (@handle)" alone could be a bracket of the reporter's
    name = None
    if match.group("name") is not None:
        if match.group("dash") is None or len(match.group("name").split()) > _MAX_NAME_WORDS:
            return None
        name = match.span("name")
    start = match.start("dash") if match.group("dash") is not None else match.start("handle")
    if name is not None:
        start = min(start, name[0])
    return TweetSignature(start, match.end(), name, match.span("handle"))


def signer(doc: Doc, signature: TweetSignature) -> Token | None:
    """The token that names who signed: the last word of the name shown, else a person the
    article names whose surname the handle spells, else the handle itself."""
    if signature.name is not None:
        span = doc.char_span(*signature.name, alignment_mode="expand")
        words = [t for t in span or () if not t.is_punct and not t.is_space]
        if words and all(t.pos_ == "PROPN" or t.text[:1].isupper() for t in words):
            return words[-1]
        return None
    handle = doc.char_span(*signature.handle, alignment_mode="expand")
    if handle is None:
        return None
    return _person_of_handle(doc, handle[0], signature.start) or handle[0]


def _person_of_handle(doc: Doc, handle: Token, before: int) -> Token | None:
    spelt = re.sub(r"[^a-z]", "", handle.text.lower())
    people: dict[str, list[Token]] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON" or ent[-1].text.startswith("@"):
            continue
        surname = ent[-1].text.lower()
        if len(surname) >= _MIN_SURNAME_CHARS and surname.isalpha() and surname in spelt:
            people.setdefault(surname, []).append(ent[-1])
    if len(people) != 1:
        return None
    (mentions,) = people.values()
    earlier = [t for t in mentions if t.idx < before]
    return earlier[-1] if earlier else mentions[0]


def signature_lines(text: str, paragraphs: list[tuple[int, int]]) -> tuple[set[int], set[int]]:
    """The lines that end with a quote's signature after its closing mark (a tweet's text,
    not a headline however it ends), and the lines that are nothing but a signature."""
    signed, signatures = set(), set()
    for i, (start, end) in enumerate(paragraphs):
        line = text[start:end]
        if "@" not in line:
            continue
        for closing in (m.end() for m in _CLOSING_MARK.finditer(line)):
            found = tweet_signature(text, start + closing)
            if found is not None and text[found.end : end].strip() == "":
                signed.add(i)
                break
        if _SIGNATURE.fullmatch(line.strip()) and tweet_signature(" " + line.strip(), 0) is not None:
            signatures.add(i)
    return signed, signatures


_CLOSING_MARK = re.compile(r"[\"”’»']")
