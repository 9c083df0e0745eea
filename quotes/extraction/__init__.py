"""Quote extraction: text in, :class:`QuoteFinding` dataclasses out. Pure Python, no Django.

    findings = extract(title + "\\n\\n" + body)

The result type imports without spaCy, so the web process can use it; the
functions that parse (:mod:`.extractor`) load spaCy on first use. The words a
finding's fields take (its kind, its speaker's type, how the speaker was found)
are the ones every layer shares: :mod:`quotes.words`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .types import QuoteFinding

if TYPE_CHECKING:
    from .extractor import extract, extract_doc, extract_many, load_model

__all__ = [
    "QuoteFinding",
    "extract",
    "extract_doc",
    "extract_many",
    "load_model",
]

_PARSING = frozenset({"extract", "extract_doc", "extract_many", "load_model"})


def __getattr__(name: str) -> Any:
    """The parsing functions, imported (with spaCy) only when first asked for."""
    if name in _PARSING:
        return getattr(import_module(".extractor", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
