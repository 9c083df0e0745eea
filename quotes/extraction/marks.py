"""Find quote-mark spans in raw text, tolerating every mark style and stray marks.

A span is the text between an opening and a closing mark (marks excluded).
Scanning is per paragraph: a paragraph that opens a quote without closing it
yields a span to its end, flagged ``open_ended`` so the caller can treat the
next paragraph as the same speaker's continuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Opening mark -> marks that may close it. „ closes with “ (German) or ” (English);
# a mark may also close itself (straight quotes, and “…“ typed the wrong way).
_CLOSERS = {
    "“": '”“"',  # a straight mark may close a curly one in hand-edited copy
    "„": "“”",
    "«": "»",
    "»": "«",  # Danish/German style »…«
    "‹": "›",
    "‘": "’",
    '"': '"”',
    "'": "'’",
    "‚": "‘’",
    "”": "”",  # Swedish/Finnish style ”…”
}
_DOUBLE_OPENERS = set('“„«"”')
_SINGLE_OPENERS = set("‘'‹‚")
_ALL_MARKS = set("“”„«»‹›‘’'\"‚")
_APOSTROPHE_PAIR = "''"
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")
# A quote longer than this inside one paragraph is almost surely a stray mark.
_MAX_SPAN = 4000


@dataclass(frozen=True)
class MarkedSpan:
    start: int  # first character inside the marks
    end: int  # one past the last character inside the marks
    open_pos: int  # position of the opening mark
    close_pos: int | None  # position of the closing mark, None when open-ended
    mark: str
    open_ended: bool = False

    @property
    def outer_start(self) -> int:
        return self.open_pos

    @property
    def outer_end(self) -> int:
        return self.close_pos + 1 if self.close_pos is not None else self.end


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def _can_open(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace():
        return False
    # An apostrophe inside a word (don't, Russia's) never opens a quote.
    return not _is_word_char(before)


def _can_close(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace():
        # "… 'Okay, now I move to the center,' " she said: a spaced closer after a nested one.
        return i > 1 and text[i - 2] in "'’›" and (after.isspace() or after in ".,;:!?")
    # A single mark between two letters is an apostrophe, not a closing mark.
    return not (_is_word_char(before) and _is_word_char(after))


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if e > s]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _scan_paragraph(text: str, p_start: int, p_end: int) -> list[MarkedSpan]:
    spans: list[MarkedSpan] = []
    opener: str | None = None
    open_pos = -1
    i = p_start
    while i < p_end:
        ch = text[i]
        if ch not in _ALL_MARKS:
            i += 1
            continue
        # Two apostrophes stand for a double quote mark (''…'' in NYT copy and in wiki text).
        pair = ch == "'" and i + 1 < p_end and text[i + 1] == "'"
        if opener == _APOSTROPHE_PAIR:
            if pair and not text[i - 1].isspace():
                start, end = _strip(text, open_pos + 2, i)
                if end > start and i - open_pos <= _MAX_SPAN:
                    spans.append(MarkedSpan(start, end, open_pos, i + 1, opener))
                opener = None
                i += 2
            else:
                i += 1
            continue
        if pair and opener is None and _can_open(text, i + 1) and not (i > 0 and _is_word_char(text[i - 1])):
            opener, open_pos = _APOSTROPHE_PAIR, i
            i += 2
            continue
        if opener is not None:
            closers = _CLOSERS[opener]
            if ch in closers and _can_close(text, i):
                start, end = _strip(text, open_pos + 1, i)
                if end > start and i - open_pos <= _MAX_SPAN:
                    spans.append(MarkedSpan(start, end, open_pos, i, opener))
                opener = None
            elif (
                opener in _SINGLE_OPENERS
                and ch in _DOUBLE_OPENERS
                and _can_open(text, i)
                and i - open_pos > 1
            ):
                # A single mark left open before a double one was an apostrophe
                # (the Jones' house): restart from the double mark.
                opener, open_pos = ch, i
            elif ch == opener and ch in "“«„" and _can_open(text, i):
                # A second opener of the same kind: the first one was stray.
                open_pos = i
            i += 1
            continue
        if ch in _CLOSERS and _can_open(text, i):
            opener, open_pos = ch, i
        i += 1
    if opener is not None and opener in _DOUBLE_OPENERS | {"‹", _APOSTROPHE_PAIR}:
        start, end = _strip(text, open_pos + len(opener), p_end)
        if end > start and p_end - open_pos <= _MAX_SPAN:
            spans.append(MarkedSpan(start, end, open_pos, None, opener, open_ended=True))
    return spans


def find_quote_spans(text: str) -> list[MarkedSpan]:
    """Every quote-mark span in ``text``, in order; nested marks stay inside their outer span."""
    spans: list[MarkedSpan] = []
    for p_start, p_end in _paragraph_bounds(text):
        spans.extend(_scan_paragraph(text, p_start, p_end))
    return spans


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line-delimited paragraph."""
    return _paragraph_bounds(text)
