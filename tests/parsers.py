"""Parse functions for the parse processes tests start (``quotes.extraction.parse_process``),
named ``tests.parsers:function``: each runs in that process. No Django, no spaCy: each
text's findings are one made-up quote that names the process it was parsed in."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator

from quotes.extraction.types import QuoteFinding


def _by_this_process(text: str) -> list[QuoteFinding]:
    said = text[-10:]
    return [QuoteFinding(len(text) - 10, len(text), said, "direct", speaker=f"Process {os.getpid()}")]


def in_this_process(texts: Iterable[str]) -> Iterator[list[QuoteFinding]]:
    for text in texts:
        yield _by_this_process(text)


def stuck_on_forever(texts: Iterable[str]) -> Iterator[list[QuoteFinding]]:
    """A text with "forever" in it never finishes (as a pathological article)."""
    for text in texts:
        while "forever" in text:
            time.sleep(0.01)
        yield _by_this_process(text)


def dies_on_crash(texts: Iterable[str]) -> Iterator[list[QuoteFinding]]:
    """The process dies on a text with "crash" in it (as killed for its memory)."""
    for text in texts:
        if "crash" in text:
            os._exit(3)
        yield _by_this_process(text)


def fails_on_bug(texts: Iterable[str]) -> Iterator[list[QuoteFinding]]:
    for text in texts:
        if "bug" in text:
            raise ValueError("a bug in the parser")
        yield _by_this_process(text)
