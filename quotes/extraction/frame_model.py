"""A learned second opinion on the frames of reported speech.

The rules of :mod:`.frames` decide which frames report speech; each reported clause they
keep is then described here by its frame — the cue's lemma, the complement the clause
is (a that-clause, a bare clause, an infinitive, a noun object, an inserted cue's sides,
"according to", a speech noun), the cue's place in the parse, its tense, modal and
subject — and a logistic regression fitted by ``make train`` (evaluation/training.py)
on PolNeAR and GUM gives the probability that annotators marked such a frame as an
attribution. A clause whose frame falls below the chosen threshold is dropped: the
model only vetoes, it never adds a frame the rules reject, so speech stays apart from
beliefs and findings, which PolNeAR and GUM mark too.

Nothing is learned at run time: the weights are read from ``data/frame_classifier.json``.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from .entities import weighted_sum
from .name_spans import is_speaker_like
from .speaker_nouns import DOCUMENT_NOUNS

WEIGHTS_PATH = Path(__file__).with_name("data") / "frame_classifier.json"
# What the engine's ``frames`` argument takes to mean the committed classifier, if any.
COMMITTED = "committed"

_PRONOUNS = frozenset(["i", "we", "you", "he", "she", "they", "it", "who", "this", "that"])
_MODALS = frozenset(["will", "would", "could", "can", "may", "might", "should", "must"])
# Clause lengths (tokens) that split the short from the long.
_LENGTHS = (6, 15, 30)


def _subject(cue: Token) -> str:
    subject = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return "none"
    lower = subject.lower_
    if lower in _PRONOUNS:
        return f"pron:{lower}"
    if subject.lemma_.lower() in DOCUMENT_NOUNS or lower in DOCUMENT_NOUNS:
        return "document"
    if subject.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return f"ent:{subject.ent_type_}"
    return "speaker" if is_speaker_like(subject) else "thing"


def frame_features(cue: Token, complement: str, start: int, end: int) -> dict[str, float]:
    """The frame of a reported clause: its cue token, how the clause hangs on it, and the
    clause's characters."""
    lemma = cue.lemma_.lower()
    tokens = [t for t in cue.doc.char_span(start, end, alignment_mode="expand") or () if not t.is_punct]
    length = sum(len(tokens) > bound for bound in _LENGTHS)
    features = {
        f"lemma={lemma}": 1.0,
        f"complement={complement}": 1.0,
        f"lemma+complement={lemma}+{complement}": 1.0,
        f"dep={cue.dep_}": 1.0,
        f"tag={cue.tag_}": 1.0,
        f"subject={_subject(cue)}": 1.0,
        f"length={length}": 1.0,
        "cue_before_clause": 1.0 if cue.idx < start else 0.0,
    }
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in cue.children):
        features["modal"] = 1.0
    if any(c.dep_ in ("dobj", "dative") and c.i < cue.i + 4 and c.idx < start for c in cue.children):
        features["addressee"] = 1.0
    if cue.sent.text.rstrip().endswith("?"):
        features["question"] = 1.0
    return features


class FrameClassifier:
    """The fitted regression and the probability below which a frame is dropped."""

    def __init__(self, weights: dict[str, float], intercept: float, threshold: float) -> None:
        self.weights = weights
        self.intercept = intercept
        self.threshold = threshold

    @classmethod
    def from_file(cls, path: Path = WEIGHTS_PATH) -> FrameClassifier:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["weights"], data["intercept"], data["threshold"])

    def probability(self, features: dict[str, float]) -> float:
        return 1.0 / (1.0 + math.exp(-weighted_sum(self.weights, self.intercept, features)))

    def keeps(self, features: dict[str, float]) -> bool:
        return self.probability(features) >= self.threshold


@lru_cache(maxsize=1)
def committed_classifier() -> FrameClassifier | None:
    """The committed weights, or None when ``make train`` chose to leave the frames to the rules."""
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8")) if WEIGHTS_PATH.exists() else None
    if not data or not data.get("in_engine"):
        return None
    return FrameClassifier(data["weights"], data["intercept"], data["threshold"])
