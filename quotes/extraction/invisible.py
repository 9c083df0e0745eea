"""Invisible characters, made harmless before parsing, with every offset kept.

Web text carries characters that print as nothing: zero-width spaces and joiners,
byte-order marks, soft hyphens, bidirectional marks. spaCy keeps them inside
tokens, so "Stoltenberg\\u200b" is a word the tagger has never seen (it is no
longer tagged a person) and a cluster key no other mention of Stoltenberg shares.

``clean_invisible`` returns a text of the same length, like :mod:`.bounds`, so
every offset found in it points to the same place in the original. Each
invisible character becomes:

* a space where it stands beside a space, a mark or an end of the text
  ("Stoltenberg\\u200b said", "\\ufeffAlso"): the word around it is the word as
  printed, and a space beside a space is only a whitespace token;
* a letter where it stands inside a word ("Stolten\\u00adberg", "news\\u00adpaper"):
  a space there would split the word in two. The letter is the saltillo (small
  or capital, as the letters around it), a letter of the Latin script, so the word
  keeps its shape and case for the tagger (``is_title``, ``is_upper``) and stays one
  token. Names drop it again (:func:`without_invisible`).

Chosen by measure, on about 500 words of PolNeAR entities given one such character
each (in the sentence alone, 95% and 98% of the words keep their entity tag): left
as it is, the character keeps 38% of them at a word's end and 45% inside one; a
space at the end keeps 84% (a letter there 73%), a letter inside 77% (every letter
tried did about as well: the word is new to the tagger whichever it is).
"""

from __future__ import annotations

import re

# Characters that print as nothing: the soft hyphen, the combining grapheme joiner, the
# Arabic letter mark, Hangul and Khmer fillers, Mongolian variation selectors and vowel
# separator, zero-width spaces, joiners and direction marks, bidirectional embeddings and
# isolates, invisible operators, variation selectors, the byte-order mark, interlinear
# annotation marks and language tags.
_INVISIBLE_CHARS = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f"
)
_INVISIBLE_RUN = re.compile(f"[{_INVISIBLE_CHARS}]+")
# The letters that stand in for an invisible character inside a word.
SMALL_FILLER = "\ua78c"  # LATIN SMALL LETTER SALTILLO
CAPITAL_FILLER = "\ua78b"  # LATIN CAPITAL LETTER SALTILLO
_NOT_IN_NAMES = re.compile(f"[{_INVISIBLE_CHARS}{SMALL_FILLER}{CAPITAL_FILLER}]")


def clean_invisible(text: str) -> str:
    """``text`` with each invisible character a space or, inside a word, a letter; same length."""
    if not _INVISIBLE_RUN.search(text):
        return text
    return _INVISIBLE_RUN.sub(lambda match: _replacement(text, match), text)


def _replacement(text: str, match: re.Match[str]) -> str:
    before = text[match.start() - 1] if match.start() > 0 else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if not (before.isalnum() and after.isalnum()):
        return " " * len(match.group())
    filler = CAPITAL_FILLER if before.isupper() and after.isupper() else SMALL_FILLER
    return filler * len(match.group())


def without_invisible(word: str) -> str:
    """A word of a name as it prints: no invisible characters, nor the letters put in their place."""
    return _NOT_IN_NAMES.sub("", word)


# C0 controls but tab and line ends, DEL, C1 controls but NEL, lone surrogates (JSON can
# carry them, UTF-8 cannot) and the two non-characters XML refuses.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# Vertical tab, form feed and next line: line breaks in older text files.
_OLD_LINE_BREAKS = re.compile(r"[\x0b\x0c\x85]")


def without_control_characters(text: str) -> str:
    """``text`` with its control characters taken out, and its old line breaks newlines."""
    text = _CONTROL_CHARACTERS.sub("", text)
    return _OLD_LINE_BREAKS.sub("\n", text)
