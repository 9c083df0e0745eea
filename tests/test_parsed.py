"""A parsed text's tokens, sentences and text are read once and handed to every layer."""

from __future__ import annotations

import gc
import weakref

from quotes.extraction import load_model, parsed


def test_what_is_kept_is_what_spacy_gives():
    doc = load_model()("Ana Ruiz spoke first. “The rink is too small,” she said.")
    assert parsed.text(doc) == doc.text
    assert [t.i for t in parsed.tokens(doc)] == [t.i for t in doc]
    assert [(s.start, s.end) for s in parsed.sentences(doc)] == [(s.start, s.end) for s in doc.sents]


def test_it_is_worked_out_once_per_text():
    doc = load_model()("Ana Ruiz spoke first. “The rink is too small,” she said.")
    assert parsed.tokens(doc) is parsed.tokens(doc)
    assert parsed.sentences(doc) is parsed.sentences(doc)


def test_nothing_keeps_the_text_alive():
    doc = load_model()("Ana Ruiz spoke first.")
    parsed.tokens(doc)
    alive = weakref.ref(doc)
    del doc
    gc.collect()
    assert alive() is None
