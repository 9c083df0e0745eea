"""Extraction never crashes and its offsets always point into the input, whatever the input."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.extraction import extract, load_model
from quotes.extraction.marks import find_quote_spans

_PIECES = st.sampled_from(
    [
        '"',
        "“",
        "”",
        "«",
        "»",
        "„",
        "‘",
        "’",
        "'",
        "‹",
        "›",
        "\n",
        "\n\n",
        " ",
        ": ",
        ", ",
        ". ",
        "—",
        "he said",
        "said Stoltenberg",
        "According to Reuters",
        "Trump",
        "the",
        "Еще",
        "share",
        "x" * 50,
    ]
)
_KNOWN_QUOTE = "“We will defend every inch of allied territory,” Stoltenberg said."
_TEXTS = st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=60).map("".join))


@pytest.mark.slow  # spaCy parses 60 generated texts
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_extraction_never_crashes_and_offsets_hold(text):
    # A well-formed quote first: whatever follows it, it is still found.
    text = _KNOWN_QUOTE + "\n\n" + text
    found = extract(text, load_model())
    for finding in found:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text
    assert any(f.start == _KNOWN_QUOTE.index("We") and f.speaker for f in found)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_quote_spans_lie_inside_the_text(text):
    for span in find_quote_spans(text):
        assert 0 <= span.open_pos < span.start < span.end <= len(text)


@pytest.mark.slow  # parses 240,000 characters: half a minute
def test_a_huge_article_is_processed_in_pieces():
    paragraph = "“We need minimal contact with Russia,” Stoltenberg concluded. " * 40 + "\n\n"
    text = paragraph * 60  # about 240,000 characters
    found = extract(text, load_model())
    assert len(found) > 1000
    assert all(text[f.start : f.end] == f.text for f in found)
