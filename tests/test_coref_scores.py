"""The standard coreference scores on the textbook examples they were published with."""

from __future__ import annotations

import pytest

from evaluation.coref_scores import average_f1, b_cubed, ceaf_e, conll, entities, muc


def _e(*mentions):
    return frozenset(mentions)


def test_muc_counts_the_links_a_response_misses_or_adds():
    # Vilain et al.: key {A B C D}, response {A B} {C D}: one link of three is missing.
    key, response = [_e("A", "B", "C", "D")], [_e("A", "B"), _e("C", "D")]
    score = muc(key, response)
    assert score.recall == pytest.approx(2 / 3) and score.precision == 1.0


def test_b_cubed_scores_each_mention_by_its_entities_overlap():
    # Bagga & Baldwin's figure: key {1..5} {6 7} {8..12}, response {1..5} {6..12}.
    key = [_e(1, 2, 3, 4, 5), _e(6, 7), _e(8, 9, 10, 11, 12)]
    response = [_e(1, 2, 3, 4, 5), _e(6, 7, 8, 9, 10, 11, 12)]
    score = b_cubed(key, response)
    assert score.recall == 1.0
    assert score.precision == pytest.approx((5 + 2 * 2 / 7 + 5 * 5 / 7) / 12)


def test_ceaf_e_aligns_entities_one_to_one():
    key = [_e(1, 2, 3), _e(4, 5)]
    response = [_e(1, 2), _e(3, 4, 5)]
    score = ceaf_e(key, response)
    # Best alignment: {1,2,3}–{1,2} (0.8) and {4,5}–{3,4,5} (0.8).
    assert score.precision == pytest.approx(0.8) and score.recall == pytest.approx(0.8)


def test_a_perfect_response_scores_one_everywhere_and_documents_pool():
    key = entities({"a": 1, "b": 1, "c": 2})
    scores = conll([(key, key), (key, key)])
    assert all(s.f1 == pytest.approx(1.0) for s in scores.values())
    assert average_f1(scores) == pytest.approx(1.0)
    # Everything alone: MUC finds no link at all, B³ and CEAF-e still credit the singletons.
    alone = entities({"a": "x", "b": "y", "c": "z"})
    scores = conll([(key, alone)])
    assert scores["MUC"].f1 == 0.0 and 0 < scores["B3"].f1 < 1
