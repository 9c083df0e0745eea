"""Apostrophes inside words are given to the parser as it learned them, and back as written."""

import pytest

from quotes.extraction import extract, load_model
from quotes.extraction.apostrophes import straight_apostrophes
from quotes.extraction.extractor import prepared


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def test_only_an_apostrophe_between_two_letters_is_straightened():
    text = "“It’s D’Souza’s,” she said of ‘the plan’ and O\u02bcBrien’s."
    assert straight_apostrophes(text) == "“It's D'Souza's,” she said of ‘the plan’ and O'Brien's."
    assert len(prepared(text)) == len(text)


def test_a_name_with_a_typographic_apostrophe_is_a_speaker_given_back_as_written(nlp):
    text = (
        "Dinesh D’Souza appeared on the show with Glenn Beck. “I respect their ruthlessness,” D’Souza said."
    )
    [finding] = extract(text, nlp)
    assert finding.speaker is not None and finding.speaker.endswith("D’Souza")
    assert finding.speaker_mention == "D’Souza"
    assert text[finding.start : finding.end] == finding.text == "I respect their ruthlessness,"
