"""Which words of the text are a quote's source: the engine's rules, checked by a model
fitted on where news annotators marked sources.

The engine's rules find each quote's cue and the mention that speaks ("…," **the senator**
said; **Kofman**, an expert, said …; according to **Reuters**). In news, most of the wrong
speakers come from the wrong mention, not from who the mention is: a subject inside the
cue's clause taken for the speaker, an object beside the cue, a mention in the sentence
before. This layer reads every noun phrase near the quote as a candidate and scores each:

    quote (span, kind, cue) ─┐
                             ├──► SourceChooser.choose
    the rules' pick ─────────┤      1. candidates: the heads of the noun phrases outside quote
                             │         marks in the quote's and the cue's sentences and one
    the parse ───────────────┘         sentence either side, with the rules' pick
                                    2. features of each: its relation to the cue, which side
                                       of the quote and the cue it stands, how far, whether
                                       it is the rules' pick, a person, a pronoun, a subject
                                    3. a fitted model's probability of each (the
                                       softmax of the candidates' scores, or each
                                       alone)
                                    4. the likeliest candidate replaces the rules' pick when
                                       it is at least ``threshold`` sure (more likely than
                                       not where the rules found no source); the quote's
                                       confidence is then at most that probability

The weights, the threshold and which of two models (a conditional logit over a quote's
candidates, or a logistic regression over each alone) come from `make train`
(evaluation/training.py): fitted on the sources PolNeAR's annotators marked in the train
articles outside every names set (resolved names are not needed to say which words are
the source), the model, its regularisation and threshold chosen on the names dev set's
articles by the share of quotes whose source mention lies in the annotated source, among
those that give the seed quotes as many right speakers as the rules alone (the threshold
never below 0.4: below it the model overrides constructions the rules read right and news
seldom prints). A relative pronoun
it picks is read as its noun, a role beside a name as the name, as the rules read a
cue's subject (engine.py). Nothing is learned at run time: the weights are read from
``data/source_chooser.json``. Pure Python: reading them is the only I/O.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from spacy.tokens import Doc, Token

from . import parsed
from .cues import SPEECH_VERBS
from .entities import logistic, softmax, weighted_sum
from .name_spans import is_speaker_like

WEIGHTS_PATH = Path(__file__).with_name("data") / "source_chooser.json"

# Words that stand for someone already named, as a source's head.
_PRONOUNS = frozenset(["he", "she", "they", "it", "i", "we", "you", "who", "him", "her", "them"])
# Dependencies that never head a noun phrase of their own.
_INSIDE_A_PHRASE = frozenset(
    ["compound", "flat", "det", "case", "nummod", "amod", "poss", "punct", "quantmod", "nmod"]
)
# Sentences read on either side of the quote's and the cue's.
_SENTENCES_AROUND = 1
# How far up the parse a clause's subject is still read as the cue's.
_MAX_STEPS = 6
# How sure a candidate must be to give a source to a quote the rules gave none.
_SURE_WITHOUT_A_PICK = 0.5


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _steps_down(top: Token, below: Token) -> int | None:
    """How many heads up from ``below`` ``top`` is (0: the same token); None when it is not above it."""
    token, steps = below, 0
    while token != top:
        if token.head == token or steps > _MAX_STEPS:
            return None
        token, steps = token.head, steps + 1
    return steps


def candidates(
    doc: Doc,
    in_quote: Callable[[int], bool],
    start: int,
    end: int,
    cue: Token | None,
    rule: Token | None,
    same_cue: Sequence[tuple[int, int]] = (),
) -> list[Token]:
    """The heads of the noun phrases that may be the source of the quote at ``start:end``: in
    the sentences of the quote and its cue and one either side, outside quote marks and
    outside the other quotes of its cue (``same_cue``: the other piece of "Any reading of
    it, said Kofman, would see a retreat" is the speaker's words, not a source); the rules'
    pick among them, wherever it is."""
    sentences = {parsed.sentence_index(doc, start), parsed.sentence_index(doc, max(start, end - 1))}
    if cue is not None:
        sentences.add(parsed.sentence_index(doc, cue.idx))
    first, last = min(sentences) - _SENTENCES_AROUND, max(sentences) + _SENTENCES_AROUND
    sentences_read = parsed.sentences(doc)[max(0, first) : last + 1]
    if not sentences_read:
        return [rule] if rule is not None else []
    tokens = parsed.tokens(doc)[sentences_read[0].start : sentences_read[-1].end]
    found = []
    for token in tokens:
        if start <= token.idx < end or in_quote(token.idx) or any(a <= token.idx < b for a, b in same_cue):
            continue
        if token.pos_ in ("PROPN", "NOUN", "PRON") and token.dep_ not in _INSIDE_A_PHRASE:
            found.append(token)
    if rule is not None and rule not in found:
        found.append(rule)
    return found


def features(
    doc: Doc, start: int, end: int, kind: str, cue: Token | None, rule: Token | None, found: Sequence[Token]
) -> list[dict[str, float]]:
    """The features of each candidate, in their order."""
    quote_sentence = parsed.sentence_index(doc, start)
    cue_sentence = parsed.sentence_index(doc, cue.idx) if cue is not None else None

    def distance(token: Token) -> int:
        if cue is not None:
            return abs(token.i - cue.i)
        return min(abs(token.idx - start), abs(token.idx - end))

    nearest = {token.i: rank for rank, token in enumerate(sorted(found, key=distance))}
    rows = []
    for token in found:
        sentence = parsed.sentence_index(doc, token.idx)
        row = {
            f"dep={token.dep_}": 1.0,
            f"pos={token.pos_}": 1.0,
            f"entity={token.ent_type_ or 'none'}": 1.0,
            f"kind={kind}&dep={token.dep_}": 1.0,
            "before_quote" if token.idx < start else "after_quote": 1.0,
            f"sentences_from_quote={_bucket(sentence - quote_sentence + 2, (0, 1, 2, 3, 4))}": 1.0,
            f"nearest={_bucket(nearest[token.i], (0, 1, 2, 4))}": 1.0,
            f"candidates={_bucket(len(found), (2, 4, 8, 16))}": 1.0,
        }
        if token.lower_ in _PRONOUNS:
            row[f"pronoun={token.lower_}"] = 1.0
        if is_speaker_like(token):
            row["can_speak"] = 1.0  # a name, a person or people, an organisation
        if token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ROOT":
            row["main_subject"] = 1.0
        if token.dep_ == "nsubj" and token.head.lemma_.lower() in SPEECH_VERBS:
            row["speaks"] = 1.0  # the subject of a verb of speech, the cue's or another
        if rule is None:
            row["rules_pick_none"] = 1.0
        elif token == rule:
            row["rules_pick"] = 1.0
            row[f"rules_pick&dep={token.dep_}"] = 1.0
            row[f"rules_pick&kind={kind}"] = 1.0
        if cue is None or cue_sentence is None:
            row["no_cue"] = 1.0
        else:
            if token.head == cue:
                row[f"child_of_cue={token.dep_}"] = 1.0
            elif token.head.head == cue:
                row[f"grandchild_of_cue={token.dep_}&{token.head.dep_}"] = 1.0
            elif cue in token.ancestors:
                row["below_cue"] = 1.0
            steps = _steps_down(token.head, cue)
            if token.dep_ in ("nsubj", "nsubjpass") and steps is not None:
                # The subject of a clause the cue hangs in: "who … surprised Trump by declaring".
                row[f"subject_above_cue={_bucket(steps, (0, 1, 2, 4))}"] = 1.0
            if token.head.lower_ == "to" and token.head.head.lower_ == "according":
                row["according_to"] = 1.0
            row[f"cue_distance={_bucket(abs(token.i - cue.i), (1, 2, 4, 8, 16))}"] = 1.0
            row["before_cue" if token.i < cue.i else "after_cue"] = 1.0
            row[f"sentences_from_cue={_bucket(sentence - cue_sentence + 2, (0, 1, 2, 3, 4))}"] = 1.0
        rows.append(row)
    return rows


class ChoosesSources(Protocol):
    """What the engine asks of a source chooser (the evaluation puts a recorder in its place)."""

    def choose(
        self,
        doc: Doc,
        in_quote: Callable[[int], bool],
        span: tuple[int, int],
        kind: str,
        cue: Token | None,
        rule: Token | None,
        same_cue: Sequence[tuple[int, int]] = (),
    ) -> tuple[Token, float] | None: ...


class SourceChooser:
    """A model over ``features``, with how sure it must be to replace the rules' pick; of one
    of two kinds ``make train`` fits:

    - ``ranking`` (a conditional logit, as mention-ranking models are fitted): a quote's
      candidates scored together, a candidate's probability the softmax of the scores over
      them, so each is weighed against the others near the same quote;
    - the logistic regression (``ranking`` False): each candidate's probability alone.
    """

    def __init__(
        self, weights: dict[str, float], intercept: float, threshold: float, ranking: bool = False
    ) -> None:
        self.weights = weights
        self.intercept = intercept
        self.threshold = threshold
        self.ranking = ranking

    def probabilities(self, rows: Sequence[dict[str, float]]) -> list[float]:
        scores = [weighted_sum(self.weights, self.intercept, row) for row in rows]
        if self.ranking and scores:
            return softmax(scores)
        return [logistic(score) for score in scores]

    def choose(
        self,
        doc: Doc,
        in_quote: Callable[[int], bool],
        span: tuple[int, int],
        kind: str,
        cue: Token | None,
        rule: Token | None,
        same_cue: Sequence[tuple[int, int]] = (),
    ) -> tuple[Token, float] | None:
        """The candidate that replaces the rules' pick, with its probability; None when the
        rules' pick stays (the likeliest candidate, or not sure enough)."""
        start, end = span
        found = candidates(doc, in_quote, start, end, cue, rule, same_cue)
        rows = features(doc, start, end, kind, cue, rule, found)
        rule_index = found.index(rule) if rule is not None else None
        chosen = self.chosen(rows, rule_index)
        if chosen is None or chosen == rule_index:
            return None
        return found[chosen], self.probabilities(rows)[chosen]

    def chosen(self, rows: Sequence[dict[str, float]], rule: int | None) -> int | None:
        """Which candidate (by its row) is the source: the likeliest when it is sure enough,
        else the rules' pick (``rule``; None: no source). Where the rules found none, the
        likeliest must be more likely than not: the quotes the threshold was chosen on all
        have an annotated source, and a quote nobody is said to have said keeps no speaker."""
        if not rows:
            return rule
        probabilities = self.probabilities(rows)
        best = max(range(len(rows)), key=lambda i: (probabilities[i], -i))
        needed = self.threshold if rule is not None else max(self.threshold, _SURE_WITHOUT_A_PICK)
        return best if probabilities[best] >= needed else rule


@lru_cache(maxsize=1)
def committed_chooser() -> SourceChooser | None:
    """The chooser ``make train`` committed; None when it left it out of the engine."""
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    if not data.get("in_engine", True):
        return None
    return SourceChooser(
        data["weights"], data["intercept"], data["threshold"], ranking=data.get("model") == "ranking"
    )
