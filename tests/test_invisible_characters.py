"""Invisible characters in a name: cleaned before parsing, with every offset kept.

Zero-width spaces, byte-order marks, soft hyphens and direction marks print as
nothing, but spaCy keeps them inside words: the surname they touch is no name
the tagger knows, nor the key of the person the article named in full. No
database, no Django.
"""

from __future__ import annotations

import pytest

from quotes.extraction import extract, load_model
from quotes.extraction.invisible import clean_invisible, without_invisible

INTRO = "Harbour commissioner Ingrid Solvang visited the new terminal on Tuesday.\n\n"


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _only(text: str, nlp):
    findings = extract(text, nlp)
    assert len(findings) == 1, findings
    finding = findings[0]
    assert text[finding.start : finding.end] == finding.text
    assert text[finding.speaker_start : finding.speaker_end] == finding.speaker_mention
    return finding


def test_cleaning_keeps_the_length_and_every_other_character():
    text = "\ufeffSolvang\u200b said: “Stolten\u00adberg is \u202aright\u202c.”"
    cleaned = clean_invisible(text)
    assert len(cleaned) == len(text)
    assert [c for c, o in zip(cleaned, text, strict=True) if c != o] == [" ", " ", "\ua78c", " ", " "]
    assert cleaned.startswith(" Solvang  said")


def test_an_invisible_character_inside_a_word_is_no_word_break():
    cleaned = clean_invisible("Stolten\u00adberg and NA\u200bTO and news\u2060paper")
    assert cleaned.split() == ["Stolten\ua78cberg", "and", "NA\ua78bTO", "and", "news\ua78cpaper"]
    assert without_invisible(cleaned.split()[0]) == "Stoltenberg"


def test_a_text_without_invisible_characters_is_left_alone():
    text = "“We are ready,” she said – and left."
    assert clean_invisible(text) is text


def test_a_surname_followed_by_a_zero_width_space_names_the_person(nlp):
    text = INTRO + "“The terminal will open in May,” said Solvang\u200b."
    assert _only(text, nlp).speaker == "Ingrid Solvang"


def test_a_surname_followed_by_a_zero_width_joiner_names_the_person(nlp):
    text = INTRO + "“The terminal will open in May,” Solvang\u200d said."
    found = _only(text, nlp)
    assert (found.speaker, found.speaker_mention) == ("Ingrid Solvang", "Solvang")


def test_a_zero_width_space_after_a_full_name_is_not_part_of_the_name(nlp):
    text = "“The terminal will open in May,” Ingrid Solvang\u200b said."
    assert _only(text, nlp).speaker == "Ingrid Solvang"


def test_a_soft_hyphen_inside_a_surname_is_not_part_of_the_name(nlp):
    text = "“The terminal will open in May,” said Ingrid Sol\u00advang."
    found = _only(text, nlp)
    assert found.speaker == "Ingrid Solvang"
    assert found.speaker_mention == "Ingrid Sol\u00advang"


def test_bidirectional_embedding_marks_around_a_name_are_not_part_of_it(nlp):
    text = "“The terminal will open in May,” said Ingrid \u202aSolvang\u202c."
    assert _only(text, nlp).speaker == "Ingrid Solvang"
