"""What counts as a quote (issue #28), on short made-up sentences: a reporting verb in a
frame that states nothing, lines that are not news text, and quotes split by their cue.

No database, no Django: the model loads once per session through the cached load_model().
"""

from __future__ import annotations

import pytest

from quotes.extraction import Kind, QuoteFinding, extract, load_model

INTRO = "Mayor Ines Alvarez spoke at city hall on Monday.\n\n"


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _quotes(text: str, nlp) -> list[QuoteFinding]:
    found = extract(text, nlp)
    for f in found:
        assert text[f.start : f.end] == f.text
    return found


def _containing(found: list[QuoteFinding], fragment: str) -> list[QuoteFinding]:
    return [f for f in found if fragment in f.text or f.text.strip(" .,") in fragment]


# --- 1. the frame decides, not the lemma ----------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ("Councillor Ramos pledged to cut taxes in the next budget.", "cut taxes"),
        ("Alvarez vowed to fight the ruling in court.", "fight the ruling"),
        ("Alvarez has promised to rebuild the bridge by spring.", "rebuild the bridge"),
        ("The firm disclosed a new contract with the city on Tuesday.", "a new contract"),
        ("Alvarez denied the charges against her office.", "the charges"),
        ("Alvarez confirmed the closure of the pool last week.", "closure of the pool"),
        ("Reporters asked whether the pool would reopen next year.", "the pool would reopen"),
        ("Alvarez declined to say why the pool had closed so suddenly.", "the pool had closed"),
        ("Alvarez did not say whether the pool would reopen.", "the pool would reopen"),
        ("Alvarez refused to say when the pool would reopen.", "the pool would reopen"),
        ("The data show that crime fell sharply in the city last year.", "crime fell sharply"),
        ("Polls show that Alvarez leads the race by ten points.", "leads the race"),
        ("Her sudden attack on the council indicates that she will run again.", "she will run again"),
    ],
)
def test_a_speech_verb_in_a_frame_that_states_nothing_is_no_quote(nlp, sentence, fragment):
    assert not _containing(_quotes(INTRO + sentence, nlp), fragment)


@pytest.mark.parametrize(
    ("sentence", "fragment", "cue"),
    [
        ("Alvarez denied that she knew about the contract before the vote.", "she knew about", "denied"),
        ("Alvarez confirmed that the plant would close in the spring.", "the plant would close", "confirmed"),
        ("Alvarez urged residents to conserve water during the drought.", "conserve water", "urged"),
        ("Alvarez reminded residents to conserve water during the drought.", "conserve water", "reminded"),
        ("Alvarez advised residents to stay indoors during the storm.", "stay indoors", "advised"),
        ("Alvarez confessed that she had never read the report.", "never read the report", "confessed"),
        ("Alvarez indicated that the city would appeal the ruling.", "appeal the ruling", "indicated"),
        ("Alvarez said when she took office the budget was in ruins.", "the budget was in ruins", "said"),
    ],
)
def test_the_same_verbs_report_speech_with_a_clause_or_an_addressee(nlp, sentence, fragment, cue):
    found = _containing(_quotes(INTRO + sentence, nlp), fragment)
    assert len(found) == 1
    assert found[0].kind == Kind.INDIRECT
    assert found[0].cue == cue
    assert found[0].speaker == "Ines Alvarez"


def test_a_reason_explained_is_reported_speech_a_question_asked_is_not(nlp):
    found = _quotes(INTRO + "Alvarez explained why she had closed the pool so suddenly.", nlp)
    assert _containing(found, "she had closed the pool")
    found = _quotes(INTRO + "Reporters asked Alvarez why she had closed the pool so suddenly.", nlp)
    assert not _containing(found, "she had closed the pool")
