"""Apostrophes inside a word, given to the parser as it learned them, with every offset kept.

Web text prints the apostrophe inside a word as the right single quotation mark
("D’Souza", "O’Brien", "don’t", "Clinton’s") or the modifier letter apostrophe; the
parser learned its words with the typewriter apostrophe. In the small English
model, "D’Souza said" is a common noun and no person, while "D'Souza said" is a
person: a speaker lost, and the next "he" given to someone else.

``straight_apostrophes`` returns a text of the same length, like :mod:`.invisible`
and :mod:`.bounds`, in which only a mark between two letters changes, so a closing
quotation mark (after a letter, before a space or a stop) stays what it is. The
extractor gives quotes, mentions and names back as the text wrote them.
"""

from __future__ import annotations

import re

# The right single quotation mark and the modifier letter apostrophe, between two letters.
_INSIDE_A_WORD = re.compile(r"(?<=[^\W\d_])[\u2019\u02bc](?=[^\W\d_])")
# A word, with any apostrophes inside it.
_WORD = re.compile(r"[^\W\d_][\w\u2019\u02bc']*")


def straight_apostrophes(text: str) -> str:
    """``text`` with each apostrophe inside a word typed as "'"; same length, same offsets."""
    return _INSIDE_A_WORD.sub("'", text)


def as_written(name: str, words_written: dict[str, str]) -> str:
    """A name built from the parsed text, each word spelt as the text wrote it ("D’Souza")."""
    if "'" not in name:
        return name
    return " ".join(words_written.get(word, word) for word in name.split(" "))


def words_with_apostrophes(text: str) -> dict[str, str]:
    """Each word of ``text`` written with a typographic apostrophe, by its straightened form."""
    written = {}
    for word in _WORD.findall(text):
        if "\u2019" in word or "\u02bc" in word:
            written[straight_apostrophes(word)] = word
    return written
