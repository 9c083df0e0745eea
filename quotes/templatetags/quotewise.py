"""Template filters for showing quotes."""

from __future__ import annotations

from django import template

from ..families.folding import as_said

register = template.Library()


@register.filter
def quoted(text: str) -> str:
    """A quote's text as shown between our quote marks: its words as said
    (``as_said``: no dangling comma, no marks wrapping the whole text), and
    marks inside it made single (‘…’) so that they never double ours."""
    return _single_inner_marks(as_said(text))


def _single_inner_marks(text: str) -> str:
    pieces, opening = [], True
    for char in text:
        if char in "“„«":
            pieces.append("‘")
            opening = False
        elif char in "”»":
            pieces.append("’")
            opening = True
        elif char == '"':
            pieces.append("‘" if opening else "’")
            opening = not opening
        else:
            pieces.append(char)
    return "".join(pieces)


@register.filter
def domain_shown(outlet, url: str | None) -> str:
    """``Outlet.domain_shown`` for a template: its domain, or that of ``url``."""
    return outlet.domain_shown(url or "")
