"""The held-out resolved-name set (evaluation/data/polnear-heldout-names.jsonl) and its checks.

The file's own format is tested here, without the corpus; whether every label joins a
PolNeAR quote is checked by ``make eval``, which reads the corpus from ../shared/eval.
"""

import json
import re

import pytest

from evaluation.extraction import FITTING_NAMES, HELDOUT_NAMES, MORE_NAMES
from evaluation.names import _load, read_names


def _write(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _row(**changes):
    row = {
        "id": "polnear/train/a",
        "ann_id": "E1",
        "speaker_name": "Paul Ryan",
        "speaker_type": "person",
        "resolved_from": "name",
        "confident": True,
    }
    row.update(changes)
    return row


def test_heldout_file_has_two_hundred_and_forty_articles_in_six_batches_with_every_field_and_no_text():
    rows = read_names(HELDOUT_NAMES)
    assert len(rows) == 5260
    bounds = [0, 874, 1751, 2643, 3500, 4405, 5260]
    batches = [{row["id"] for row in rows[a:b]} for a, b in zip(bounds, bounds[1:], strict=False)]
    assert [len(batch) for batch in batches] == [40] * 6
    assert len(set().union(*batches)) == 240
    assert all(row["id"].startswith("polnear/train/") for row in rows)
    assert all(re.fullmatch(r"E\d+", row["ann_id"]) for row in rows)
    # Labels only: a name or a short description, never a passage of the article.
    assert max(len(row["speaker_name"] or "") for row in rows) < 120
    assert {row["speaker_type"] for row in rows} >= {"person", "organisation", "group", "document"}


def test_heldout_file_names_every_speaker_but_authors_and_generic_ones():
    for row in read_names(HELDOUT_NAMES):
        assert (row["speaker_name"] is None) <= (row["speaker_type"] in ("author", "generic")), row


@pytest.mark.parametrize(
    "row, problem",
    [
        ({k: v for k, v in _row().items() if k != "confident"}, "fields"),
        (_row(speaker_type="politician"), "unknown"),
        (_row(resolved_from="guess"), "unknown"),
        (_row(speaker_name=None), "no name"),
        (_row(confident="yes"), "true or false"),
    ],
)
def test_a_malformed_label_is_refused(tmp_path, row, problem):
    with pytest.raises(ValueError, match=problem):
        read_names(_write(tmp_path / "names.jsonl", [row]))


def test_a_pair_labelled_twice_is_refused(tmp_path):
    with pytest.raises(ValueError, match="twice"):
        read_names(_write(tmp_path / "names.jsonl", [_row(), _row(speaker_name="Mitt Romney")]))


def test_a_label_that_joins_no_quote_of_the_corpus_is_an_error(tmp_path):
    corpus = _write(
        tmp_path / "polnear.jsonl", [{"id": "polnear/train/a", "text": "", "quotes": [{"ann_id": "E1"}]}]
    )
    names = _write(tmp_path / "names.jsonl", [_row(), _row(ann_id="E7")])
    with pytest.raises(ValueError, match="1 labels join no quote.*E7"):
        _load(names, corpus, nlp=None)
    joined = _write(tmp_path / "joined.jsonl", [_row()])
    [(record, labels)] = _load(joined, corpus, nlp=None)
    assert record["id"] == "polnear/train/a" and labels["E1"].key == "ryan"


def test_the_dev_sets_second_file_has_eighty_articles_apart_from_the_held_out_set():
    rows = read_names(MORE_NAMES)
    assert len(rows) == 1744
    assert len({row["id"] for row in rows}) == 80
    assert not {row["id"] for row in rows} & {row["id"] for row in read_names(HELDOUT_NAMES)}
    assert max(len(row["speaker_name"] or "") for row in rows) < 120
    for row in rows:
        assert (row["speaker_name"] is None) <= (row["speaker_type"] in ("author", "generic")), row


def test_labels_are_read_from_several_files_as_one_set(tmp_path):
    corpus = _write(
        tmp_path / "polnear.jsonl",
        [{"id": "polnear/train/a", "text": "x", "quotes": [{"ann_id": "E1"}, {"ann_id": "E2"}]}],
    )
    one = _write(tmp_path / "one.jsonl", [_row()])
    two = _write(tmp_path / "two.jsonl", [_row(ann_id="E2", speaker_name="Nancy Pelosi")])
    [(record, labels)] = _load([one, two], corpus, nlp=None)
    assert {a: g.name for a, g in labels.items()} == {"E1": "Paul Ryan", "E2": "Nancy Pelosi"}


def test_the_fitting_file_has_a_hundred_and_twenty_articles_in_no_other_set():
    rows = read_names(FITTING_NAMES)
    assert len(rows) == 2603
    ids = {row["id"] for row in rows}
    assert len(ids) == 120
    assert not ids & {row["id"] for row in read_names(HELDOUT_NAMES)}
    assert not ids & {row["id"] for row in read_names(MORE_NAMES)}
    assert max(len(row["speaker_name"] or "") for row in rows) < 120
    for row in rows:
        assert (row["speaker_name"] is None) <= (row["speaker_type"] in ("author", "generic")), row
