"""Quote extraction: text in, :class:`QuoteFinding` dataclasses out. Pure Python, no Django.

    findings = extract(title + "\\n\\n" + body)

The words every layer shares (:class:`Kind`, :class:`SpeakerType`,
:class:`Relation`, the pronoun sets of :mod:`.pronouns`) import without spaCy,
so the web process can use them; the functions that parse
(:mod:`.extractor`) load spaCy on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .types import FoundBy, Kind, QuoteFinding, Relation, SpeakerType

if TYPE_CHECKING:
    from .extractor import extract, extract_doc, extract_many, load_model

__all__ = [
    "FoundBy",
    "Kind",
    "QuoteFinding",
    "Relation",
    "SpeakerType",
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
