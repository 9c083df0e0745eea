"""The frame classifier's place in the engine (quotes/extraction/frame_model.py), on short
made-up sentences: what it sees of a reported clause's frame, and that it can only veto
a reported clause the rules found, never a quote in marks."""

from __future__ import annotations

import json

import pytest

from quotes.extraction import load_model
from quotes.extraction.engine import attribute, frame_candidates
from quotes.extraction.frame_model import WEIGHTS_PATH, FrameClassifier, committed_classifier
from quotes.words import Kind

TEXT = (
    "Transit minister Dana Okafor visited the depot on Thursday.\n\n"
    "Okafor said that the night ferry would stop running in May. "
    '"We will keep the buses on the road," she told reporters.'
)


@pytest.fixture(scope="module")
def doc():
    return load_model()(TEXT)


def test_a_reported_clause_is_described_by_its_cue_and_complement(doc):
    ((start, end, features),) = frame_candidates(doc)
    assert TEXT[start:end] == "the night ferry would stop running in May"
    assert features["lemma=say"] == features["complement=that"] == 1.0
    assert features["lemma+complement=say+that"] == 1.0
    assert features["subject=ent:PERSON"] == 1.0 or features.get("subject=speaker") == 1.0


def test_a_classifier_that_marks_no_frame_vetoes_reported_clauses_only(doc):
    nobody = FrameClassifier({}, -5.0, 0.5)
    kinds = {f.kind for f in attribute(doc, nobody)}
    assert Kind.INDIRECT not in kinds and Kind.DIRECT in kinds
    assert Kind.INDIRECT in {f.kind for f in attribute(doc, None)}


def test_a_frame_is_kept_when_its_weights_say_annotators_mark_it(doc):
    says = FrameClassifier({"lemma+complement=say+that": 10.0}, -5.0, 0.5)
    found = attribute(doc, says)
    assert [f.text for f in found if f.kind == Kind.INDIRECT] == ["the night ferry would stop running in May"]


def test_the_committed_weights_are_make_trains_and_run_only_where_it_put_them():
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert {"fitted_on", "chosen_on", "seeds", "in_engine", "threshold", "intercept", "weights"} <= set(data)
    weights = data["weights"]
    # What the annotations taught, in the direction a reader expects: a that-clause is an
    # attribution more often than a noun object, a person speaks more often than a thing.
    assert weights["complement=that"] > weights["complement=object"]
    assert weights["subject=ent:PERSON"] > weights["subject=thing"]
    assert (committed_classifier() is not None) == data["in_engine"]
