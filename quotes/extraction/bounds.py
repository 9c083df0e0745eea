"""Bounds on the text handed to the parser, so parse time stays linear in its length.

Two shapes of text cost time in the square of their size, and no article has
either:

* a long run of marks with no space (thousands of quote marks or brackets): spaCy's
  tokenizer strips such marks one at a time, scanning the rest of the run
  again each time;
* a "sentence" of thousands of characters, or crowded with quote marks:
  attribution compares the quotes and cues of a sentence with one another.

``bound_text`` returns a text of the same length, so every offset found in it
points to the same place in the original: the marks of a run past
``MAX_MARK_RUN`` become spaces, and a stretch longer than
``MAX_SENTENCE_CHARS``, or holding more than ``MAX_QUOTES_PER_SENTENCE``
quote marks, with no sentence end or line break gets a line break (which the
paragraph step makes a sentence break) in place of a space. Real articles
come through unchanged.
"""

from __future__ import annotations

import re

# Longer runs than ". . ." or ?!”) of marks in a row do not occur in prose.
MAX_MARK_RUN = 8
# News sentences run to a few hundred characters (the longest stretch without
# a full stop in the seeds and the PolNeAR texts: 979, a list of names), and
# hold at most 10 double quote marks.
MAX_SENTENCE_CHARS = 2000
MAX_QUOTES_PER_SENTENCE = 24

_MARK_RUN = re.compile(rf"[^\w\s]{{{MAX_MARK_RUN + 1},}}")
_SENTENCE_END = re.compile(r"[.!?\n]")
_QUOTE_OR_END = re.compile('[.!?\n"“”«»„‟‹›「」]')
_SPACE = re.compile(r"[ \t\f\v\u00a0]")


def bound_text(text: str) -> str:
    """``text`` with absurd mark runs and sentences cut; same length, same offsets."""
    text = _MARK_RUN.sub(_cap_run, text)
    return _break_long_stretches(_break_quote_crowds(text))


def _cap_run(match: re.Match[str]) -> str:
    run: str = match.group()
    return run[:MAX_MARK_RUN] + " " * (len(run) - MAX_MARK_RUN)


def _break_quote_crowds(text: str) -> str:
    chars: list[str] | None = None
    start, marks = 0, 0
    for match in _QUOTE_OR_END.finditer(text):
        if match.group() in ".!?\n":
            start, marks = match.end(), 0
            continue
        marks += 1
        if marks > MAX_QUOTES_PER_SENTENCE:
            cut = _last_space(text, start, match.start())
            chars = chars or list(text)
            chars[cut] = "\n"
            start, marks = cut + 1, 1 if cut < match.start() else 0
    return "".join(chars) if chars else text


def _break_long_stretches(text: str) -> str:
    chars: list[str] | None = None
    start = 0
    for end in [m.start() for m in _SENTENCE_END.finditer(text)] + [len(text)]:
        while end - start > MAX_SENTENCE_CHARS:
            cut = _last_space(text, start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
            chars = chars or list(text)
            chars[cut] = "\n"
            start = cut + 1
        start = end + 1
    return "".join(chars) if chars else text


def _last_space(text: str, low: int, high: int) -> int:
    """The last space in ``text[low:high]``, else ``high`` (a word that long is no word)."""
    spaces = [match.start() for match in _SPACE.finditer(text, low, high)]
    return spaces[-1] if spaces else high
