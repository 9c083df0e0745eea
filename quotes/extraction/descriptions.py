"""Who "the company", "the minister" and "the senator" are: a definite description linked to
an entity the article named before it, or to no one, by a model fitted to coreference data.

A definite description that speaks ("the company said", "the Vermont senator added") most
often refers back to someone the article introduced, but not always: "the doctor" in a
story that never named a doctor is someone new, and "the mayor" is not the councillor
named last. The speaker layer (speakers.py) hands this layer the description and every
entity the narrator named before it, people and organisations, each with what the
article says of it; this layer scores each candidate and links the description to the
best one only when the model is sure enough:

    description ("the company", head, words, kind) ──┐
                                                     ├──► DescriptionLinker.choose
    candidates (people and organisations named       │      1. features of each pair: kind,
      before it, their roles, mentions, gender) ─────┘         shared words, distance,
                                                               salience, gender, the rule's pick
                                                            2. the fitted model's probability
                                                            3. the best candidate when its
                                                               probability reaches the
                                                               threshold, else no one

The weights and the threshold come from `make train` (evaluation/training.py): a logistic
regression fitted on GUM's train split, its regularisation and threshold chosen on the dev
split; `make eval` measures it on the test split beside the hand rules it stacks on (their
pick is one of the features). Pure Python: reading the weights is the only I/O.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .entities import weighted_sum

WEIGHTS_PATH = Path(__file__).with_name("data") / "description_linker.json"

# What a description or a candidate is.
PERSON, ORGANISATION, OUTLET = "person", "organisation", "outlet"


@dataclass(frozen=True)
class Description:
    """A definite description as the speaker layer reads it."""

    head: str  # the head noun's lemma, lower case ("company", "senator")
    kind: str  # PERSON (a role or person noun) or ORGANISATION (or OUTLET, a news outlet's noun)
    words: frozenset[str]  # its nouns, proper nouns and adjectives, lower case
    gender: str | None  # the gender its noun tells ("actress"), else None
    sentence: int  # the index of its sentence in the text
    modified: bool  # words of its own before the head ("the Vermont senator", "the former chief")
    possessed: bool  # "Trump's spokesman", "the Clinton campaign": belongs to someone else
    # Read in a news article, where a description that speaks mostly refers back to someone
    # named; the other genres the linker is also fitted on (GUM's) introduce more people so.
    in_news: bool = True


@dataclass(frozen=True)
class Candidate:
    """An entity the narrator named before the description."""

    name: str  # the name a speaker line would print
    kind: str  # PERSON or ORGANISATION
    words: frozenset[str]  # the words of its names and, for a person, of its titles
    mentions: int  # how many times it was named before the description
    last_sentence: int  # the sentence of its last mention before the description
    last_subject: bool  # that last mention was a clause's subject
    gender: str | None
    press: bool  # an organisation whose name is a news outlet's
    chars: tuple[int, ...] = ()  # where it was named before the description


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def features(
    description: Description, candidates: Sequence[Candidate], rule_pick: str | None
) -> list[dict[str, float]]:
    """The features of each (description, candidate) pair, in the candidates' order.

    ``rule_pick`` is the name the hand rules would give the description (None: no one);
    the model learns how far to trust it."""
    newest: dict[str, list[Candidate]] = {}
    for c in sorted(candidates, key=lambda c: -c.last_sentence):
        newest.setdefault(c.kind, []).append(c)
    most_named = {kind: max(group, key=lambda c: c.mentions) for kind, group in newest.items()}
    overlaps = [len(description.words & c.words) for c in candidates]
    rows = []
    for c, overlap in zip(candidates, overlaps, strict=True):
        shared = description.words & c.words
        distance = description.sentence - c.last_sentence
        row: dict[str, float] = {
            f"pair={description.kind}>{c.kind}": 1.0,
            f"distance={_bucket(distance, (0, 1, 2, 4, 8))}": 1.0,
            f"recency={_bucket(newest[c.kind].index(c), (0, 1, 2))}": 1.0,
            f"mentions={_bucket(c.mentions, (1, 2, 4))}": 1.0,
        }
        if shared:
            row["shares_words"] = 1.0
            row[f"shared={_bucket(len(shared), (1, 2))}"] = 1.0
        if overlap and overlaps.count(max(overlaps)) == 1 and overlap == max(overlaps):
            row["shares_most"] = 1.0  # more of the description's words than any other candidate
        if shared == description.words:
            row["shares_all"] = 1.0  # "the vice president" for "Vice President Joe Biden"
        if description.head in c.words:
            row[f"head_shared>{c.kind}"] = 1.0
        if most_named[c.kind] is c:
            row[f"most_named>{c.kind}"] = 1.0
        if c.last_subject:
            row["last_subject"] = 1.0
        if description.gender and c.gender:
            row["gender_agrees" if description.gender == c.gender else "gender_clashes"] = 1.0
        if description.kind == OUTLET and c.press:
            row["outlet>press"] = 1.0
        if description.modified:
            row["modified"] = 1.0
            if not shared:
                row["modified_unshared"] = 1.0
        if description.possessed:
            row["possessed"] = 1.0
        if description.in_news:
            row["in_news"] = 1.0
        if rule_pick is not None and rule_pick == c.name:
            row["rule_pick"] = 1.0
        rows.append(row)
    return rows


class DescriptionLinker:
    """A logistic regression over ``features``, with the probability a link needs."""

    def __init__(self, weights: dict[str, float], intercept: float, threshold: float) -> None:
        self.weights = weights
        self.intercept = intercept
        self.threshold = threshold

    @classmethod
    def from_file(cls, path: Path = WEIGHTS_PATH) -> DescriptionLinker:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["weights"], data["intercept"], data["threshold"])

    def row_probabilities(self, rows: Sequence[dict[str, float]]) -> list[float]:
        """The probability of each row of features (one per candidate)."""
        scores = [weighted_sum(self.weights, self.intercept, row) for row in rows]
        return [1 / (1 + math.exp(-max(-30.0, min(30.0, score)))) for score in scores]

    def choose(
        self, description: Description, candidates: Sequence[Candidate], rule_pick: str | None
    ) -> tuple[Candidate, float] | None:
        """The candidate the description refers to, with the model's probability; None when
        no candidate reaches the threshold (someone the article did not name before)."""
        chosen = self.chosen_row(features(description, candidates, rule_pick))
        if chosen is None:
            return None
        index, probability = chosen
        return candidates[index], probability

    def chosen_row(self, rows: Sequence[dict[str, float]]) -> tuple[int, float] | None:
        """Which row of features (one per candidate) the linker takes, with its probability:
        the likeliest, the first of equals; None when none reaches the threshold."""
        if not rows:
            return None
        probabilities = self.row_probabilities(rows)
        best = max(range(len(rows)), key=lambda i: (probabilities[i], -i))
        if probabilities[best] < self.threshold:
            return None
        return best, probabilities[best]


@lru_cache(maxsize=1)
def description_linker() -> DescriptionLinker:
    return DescriptionLinker.from_file()
