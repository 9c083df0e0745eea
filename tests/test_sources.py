"""The source chooser's place in the engine (quotes/extraction/sources.py), on short made-up
sentences: which mentions it weighs, that it replaces the rules' pick only when sure enough,
that a quote the rules gave no source keeps none unless the model finds one likely, and
that its pick is read as the rules read a subject (a relative pronoun as its noun)."""

from __future__ import annotations

import json

import pytest

from quotes.extraction import load_model
from quotes.extraction.engine import attribute
from quotes.extraction.sources import WEIGHTS_PATH, SourceChooser, candidates, committed_chooser

TEXT = (
    "Transit minister Dana Okafor visited the depot with the union's leader, Tomas Berg, on Thursday.\n\n"
    '"We will keep the buses on the road," Okafor told reporters at the depot.'
)
QUOTE = "We will keep the buses on the road,"


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _speaker(findings, fragment):
    return next(f for f in findings if fragment in f.text).speaker


def test_the_candidates_are_the_noun_phrases_around_the_quote_outside_its_marks(nlp):
    doc = nlp(TEXT)
    start = TEXT.index(QUOTE)
    found = candidates(
        doc, lambda char: start <= char < start + len(QUOTE), start, start + len(QUOTE), None, None
    )
    words = {t.text for t in found}
    assert {"Okafor", "reporters", "depot", "Berg"} <= words
    assert not words & {"We", "buses", "road"}  # the quote's own words


def test_without_a_chooser_or_with_an_unsure_one_the_rules_pick_stays(nlp):
    doc = nlp(TEXT)
    unsure = SourceChooser({"dep=pobj": 1.0}, -5.0, 0.5)
    assert _speaker(attribute(doc, sources=None), QUOTE) == "Dana Okafor"
    assert _speaker(attribute(doc, sources=unsure), QUOTE) == "Dana Okafor"


def test_a_sure_chooser_replaces_the_rules_pick_and_the_quote_is_no_surer_than_it(nlp):
    doc = nlp(TEXT)
    # Weights no annotator would teach: an object of a preposition after the quote is the source.
    odd = SourceChooser({"dep=pobj": 8.0, "after_quote": 2.0, "nearest=0": 1.0}, -6.0, 0.5)
    finding = next(f for f in attribute(doc, sources=odd) if QUOTE in f.text)
    assert finding.speaker_mention == "the depot"
    assert finding.confidence < 1.0


def test_the_ranking_weighs_a_quotes_candidates_against_each_other():
    # Two candidates the logistic reads as equally likely sources (each 0.88 alone): the
    # ranking reads them as one chance in two each, so neither replaces the rules' pick at 0.6;
    # where one stands out, it does.
    rows = [{"dep=nsubj": 1.0}, {"dep=nsubj": 1.0}, {"dep=dobj": 1.0}]
    weights = {"dep=nsubj": 2.0, "dep=dobj": -6.0}
    logistic = SourceChooser(weights, 0.0, 0.6)
    ranking = SourceChooser(weights, 0.0, 0.6, ranking=True)
    assert logistic.chosen(rows, rule=2) == 0
    assert ranking.chosen(rows, rule=2) == 2
    assert abs(sum(ranking.probabilities(rows)) - 1.0) < 1e-9
    clear = [{"dep=nsubj": 1.0}, {"dep=dobj": 1.0}]
    assert ranking.chosen(clear, rule=1) == 0


def test_a_quote_the_rules_gave_no_source_gets_one_only_when_more_likely_than_not(nlp):
    text = 'The depot was quiet on Thursday. Reporters waited. "Nothing will change."'
    doc = nlp(text)
    quote = "Nothing will change."
    assert _speaker(attribute(doc, sources=None), quote) is None
    likely_enough = {"dep=nsubj": 0.2}
    assert _speaker(attribute(doc, sources=SourceChooser(likely_enough, -0.5, 0.0)), quote) is None
    sure = SourceChooser({"dep=nsubj": 8.0, "pos=NOUN": 1.0}, -4.0, 0.0)
    assert _speaker(attribute(doc, sources=sure), quote) is not None


def test_a_relative_pronoun_it_picks_is_read_as_the_noun_it_stands_for(nlp):
    text = (
        "Rubio answered his critics on Monday, including Gov. Ines Alvarez, who says the senator"
        " lacks the experience needed to be president."
    )
    doc = nlp(text)
    relative = SourceChooser({"pronoun=who": 10.0}, -5.0, 0.5)
    found = attribute(doc, sources=relative)
    assert _speaker(found, "lacks the experience") == "Ines Alvarez"


def test_the_committed_weights_are_make_trains_and_run_only_where_it_put_them():
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert {"fitted_on", "chosen_on", "in_engine", "threshold", "intercept", "weights"} <= set(data)
    weights = data["weights"]
    # What the annotations taught, in the direction a reader expects: the cue's subject is
    # the source more often than its object, a mention that can speak more often than one that cannot.
    assert weights["child_of_cue=nsubj"] > weights["child_of_cue=dobj"]
    assert weights["can_speak"] > 0
    assert (committed_chooser() is not None) == data["in_engine"]
