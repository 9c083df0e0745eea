"""Template filters for showing quotes."""

from __future__ import annotations

from django import template

register = template.Library()

# Punctuation that closes a quote inside its marks only because the sentence
# goes on after it ("… destroyed," he said): shown alone, it dangles.
_DANGLING = ",;:"
_DOUBLE_MARKS = '"“”«»„'


@register.filter
def quoted(text: str) -> str:
    """A quote's text as shown between our quote marks: marks wrapping the
    whole text dropped, marks inside it made single (‘…’) so that they never
    double ours, and no dangling comma, semicolon or colon at the end."""
    shown = text.strip().rstrip(_DANGLING).rstrip()
    inner = shown[1:-1]
    wrapped = len(shown) > 2 and shown[0] in _DOUBLE_MARKS and shown[-1] in _DOUBLE_MARKS
    if wrapped and not any(mark in inner for mark in _DOUBLE_MARKS):
        shown = inner.strip().rstrip(_DANGLING).rstrip()
    return _single_inner_marks(shown)


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
