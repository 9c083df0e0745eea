"""The five seed articles: the key quotes found and attributed, the not_quotes left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotes.extraction import extract_many, load_model
from quotes.words import Kind

SEEDS = Path(__file__).resolve().parent.parent / "quotes" / "seeds"


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[str, list]]:
    gold = json.loads((SEEDS / "seeds.gold.json").read_text(encoding="utf-8"))
    names = sorted({q["file"] for q in gold["quotes"]})
    texts = [(SEEDS / name).read_text(encoding="utf-8") for name in names]
    results = extract_many(texts, nlp=load_model())
    return {name[:3]: (text, found) for name, text, found in zip(names, texts, results, strict=True)}


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads((SEEDS / "seeds.gold.json").read_text(encoding="utf-8"))


def _speaker_of(found, fragment):
    matches = [f for f in found if fragment in f.text]
    assert matches, f"{fragment!r} not found"
    return matches[0].speaker


def test_trust_has_been_destroyed_is_stoltenbergs(seeds):
    for key in ("000", "001"):
        assert _speaker_of(seeds[key][1], "Trust has been destroyed") == "Jens Stoltenberg"


def test_pronoun_quotes_after_a_photo_credit_stay_with_stoltenberg(seeds):
    found = seeds["000"][1]
    assert _speaker_of(found, "lasting consequences") == "Jens Stoltenberg"
    assert _speaker_of(found, "After the end of the cold war") == "Jens Stoltenberg"


def test_scholz_quote_relayed_by_reuters_is_scholz(seeds):
    assert _speaker_of(seeds["001"][1], "reduced, reduced") == "Olaf Scholz"


def test_unattributed_quoted_headline_goes_to_the_article_speaker(seeds):
    text, found = seeds["002"]
    headlines = [f for f in found if f.kind == Kind.HEADLINE]
    assert [f.text for f in headlines] == ["Relations with Russia have hit rock bottom"] * 2
    assert {f.speaker for f in headlines} == {"Jens Stoltenberg"}


def test_headline_forms_are_found(seeds):
    assert any(f.kind == Kind.HEADLINE and f.text == "Destroyed" for f in seeds["001"][1])
    assert any(f.kind == Kind.HEADLINE and f.text.startswith("The world where") for f in seeds["003"][1])
    assert any(f.kind == Kind.HEADLINE and f.text.startswith("strive for") for f in seeds["004"][1])


def test_peskov_and_the_foreign_ministry_are_speakers(seeds):
    found = seeds["003"][1]
    assert _speaker_of(found, "further expansion of the bloc") == "Dmitry Peskov"
    assert _speaker_of(found, "Moscow remained open") == "Russian Foreign Ministry"


def test_every_direct_partial_and_headline_quote_is_found(seeds, gold):
    for q in gold["quotes"]:
        if q["kind"] == Kind.INDIRECT or q.get("borderline"):
            continue
        found = seeds[q["file"][:3]][1]
        assert any(f.start < q["end"] and q["start"] < f.end for f in found), q["text"]


def test_no_not_quote_is_reported(seeds, gold):
    for nq in gold["not_quotes"]:
        found = seeds[nq["file"][:3]][1]
        assert found, nq["file"]  # the article's real quotes are reported
        assert not [f for f in found if f.start == nq["start"] and f.end == nq["end"]], nq["text"]


def test_offsets_point_into_the_file_text(seeds):
    for text, found in seeds.values():
        assert found
        for f in found:
            assert text[f.start : f.end] == f.text
