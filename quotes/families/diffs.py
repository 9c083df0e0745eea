"""What an outlet changed in a quote's words, for the quote page: a word-level diff
of its text against the family's canonical text."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from .folding import normalize


def _diff_key(word: str) -> str:
    return normalize(word) or word


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Word-level edits turning ``a`` (canonical) into ``b`` (an outlet's text).

    Returns ``(op, text)`` with op "equal", "delete" (in ``a`` only) or
    "insert" (in ``b`` only); consecutive words with the same op are joined.
    Words compare after normalisation, so curly vs straight apostrophes,
    case and trailing punctuation are not reported as changes; "equal" runs
    show the words as ``b`` printed them.
    """
    words_a, words_b = a.split(), b.split()
    matcher = difflib.SequenceMatcher(
        None, [_diff_key(w) for w in words_a], [_diff_key(w) for w in words_b], autojunk=False
    )
    ops: list[tuple[str, str]] = []

    def emit(op: str, words: Sequence[str]) -> None:
        if not words:
            return
        if ops and ops[-1][0] == op:
            ops[-1] = (op, ops[-1][1] + " " + " ".join(words))
        else:
            ops.append((op, " ".join(words)))

    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            emit("equal", words_b[b_start:b_end])
        else:
            emit("delete", words_a[a_start:a_end])
            emit("insert", words_b[b_start:b_end])
    return ops


def excerpt_diff(passage: str, text: str) -> list[tuple[str, str]] | None:
    """The word diff of a version against its passage of a source, the words
    of the passage around the excerpt left out (an excerpt is no edit); None
    when the version prints the passage's words as they are."""
    ops = word_diff(passage, text)
    while ops and ops[0][0] == "delete":
        ops.pop(0)
    while ops and ops[-1][0] == "delete":
        ops.pop()
    return ops if any(op != "equal" for op, _ in ops) else None
