"""The per-class table of made-up sentences (evaluation/constructed.py): its data file
is well formed, and its scorer counts a leaked dateline or half a split quote as a miss
and a false quote."""

from __future__ import annotations

import json

from evaluation.constructed import DATA, ClassScore, evaluate, score_text
from quotes.extraction import QuoteFinding, load_model
from quotes.extraction.frame_model import FrameClassifier

TEXT = "OSLO — The ferry will stop in May, Okafor said."


def _finding(fragment: str, speaker: str | None = "Dana Okafor") -> QuoteFinding:
    start = TEXT.index(fragment)
    return QuoteFinding(start, start + len(fragment), fragment, "indirect", speaker=speaker)


def test_every_gold_quote_is_a_substring_of_its_text_and_every_class_has_texts():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert len(data["classes"]) == 14
    for group in data["classes"]:
        assert group["items"], group["name"]
        for item in group["items"]:
            for quote in item["quotes"]:
                assert quote["text"] in item["text"]
                assert set(quote) == {"text", "speaker"}


def test_a_quote_found_with_its_bounds_and_speaker_is_a_hit():
    score = ClassScore()
    gold = [{"text": "The ferry will stop in May", "speaker": "Okafor"}]
    assert score_text(TEXT, gold, [_finding("The ferry will stop in May,")], score) == []
    assert (score.hits, score.found, score.gold, score.speakers_right) == (1, 1, 1, 1)
    assert score.precision == score.recall == 100.0


def test_a_dateline_leaking_into_a_quote_is_a_miss_and_a_false_quote():
    score = ClassScore()
    gold = [{"text": "The ferry will stop in May", "speaker": "Okafor"}]
    errors = score_text(TEXT, gold, [_finding("OSLO — The ferry will stop in May")], score)
    assert score.hits == 0 and score.precision == 0.0 and score.recall == 0.0
    assert len(errors) == 2


def test_a_wrong_speaker_is_counted_apart_from_the_hit():
    score = ClassScore()
    gold = [{"text": "The ferry will stop in May", "speaker": "Okafor"}]
    score_text(TEXT, gold, [_finding("The ferry will stop in May", speaker=None)], score)
    assert (score.hits, score.speakers_named, score.speakers_right) == (1, 1, 0)


def test_a_text_of_look_alikes_only_has_full_precision_when_nothing_is_found():
    score = ClassScore()
    score_text(TEXT, [], [], score)
    assert score.precision == score.recall == 100.0
    score_text(TEXT, [], [_finding("The ferry will stop in May")], score)
    assert score.precision == 0.0


def test_pieces_found_apart_are_counted_as_not_one_statement():
    text = "The ferry, Okafor said, will stop in May."
    gold = [{"text": "The ferry", "speaker": "Okafor"}, {"text": "will stop in May", "speaker": "Okafor"}]
    pieces = [(0, 9), (24, 40)]
    apart = [QuoteFinding(s, e, text[s:e], "indirect", speaker="Okafor", statement=(s, e)) for s, e in pieces]
    score = ClassScore()
    errors = score_text(text, gold, apart, score)
    assert (score.split, score.joined) == (1, 0) and len(errors) == 1
    joined = [
        QuoteFinding(s, e, text[s:e], "indirect", speaker="Okafor", statement=(24, 40)) for s, e in pieces
    ]
    score = ClassScore()
    assert score_text(text, gold, joined, score) == []
    assert (score.split, score.joined) == (1, 1)


def test_quotes_of_two_speakers_in_one_text_are_no_statement_in_pieces():
    text = "“The ferry will stop,” Okafor said. Quist called it “a mistake.”"
    gold = [{"text": "The ferry will stop", "speaker": "Okafor"}, {"text": "a mistake", "speaker": "Quist"}]
    found = [
        QuoteFinding(s, s + len(t), t, "direct", speaker=who, statement=(s, s + len(t)))
        for t, who in (("The ferry will stop", "Dana Okafor"), ("a mistake", "Marta Quist"))
        for s in [text.index(t)]
    ]
    score = ClassScore()
    assert score_text(text, gold, found, score) == []
    assert (score.hits, score.split) == (2, 0)


def test_the_table_is_counted_with_the_frame_classifier_it_is_given(tmp_path):
    """``make train`` keeps a frame classifier out of the engine when it loses a made-up
    sentence's quote that the rules find: the table is counted with the classifier given."""
    text = (
        "Transit minister Dana Okafor visited the depot on Thursday.\n\nOkafor said the ferry stops in May."
    )
    data = {
        "classes": [
            {
                "name": "reported",
                "items": [
                    {"text": text, "quotes": [{"text": "the ferry stops in May", "speaker": "Okafor"}]}
                ],
            }
        ]
    }
    path = tmp_path / "made-up.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    vetoes_every_frame = FrameClassifier({}, -20.0, 0.5)
    nlp = load_model()
    assert evaluate(nlp, path, frames=None)["reported"].hits == 1
    assert evaluate(nlp, path, frames=vetoes_every_frame)["reported"].hits == 0
