"""Template filters for showing quotes."""

from __future__ import annotations

from django import template

register = template.Library()

# Punctuation that closes a quote inside its marks only because the sentence
# goes on after it ("… destroyed," he said): shown alone, it dangles.
_DANGLING = ",;:"


@register.filter
def quoted(text: str) -> str:
    """A quote's text as shown between quote marks, without a dangling comma, semicolon or colon."""
    return text.rstrip().rstrip(_DANGLING).rstrip()
