"""Who "the company", "the minister" and "the senator" are: a definite description linked to
an entity the article named before it, or to no one, by a model fitted to coreference data.

A definite description that speaks ("the company said", "the Vermont senator added") most
often refers back to someone the article introduced, but not always: "the doctor" in a
story that never named a doctor is someone new, and "the mayor" is not the councillor
named last. The speaker layer (speakers.py) hands this layer the description and every
entity the narrator named before it, people and organisations, each with what the
article says of it; this layer scores each candidate, and the null candidate "someone
new" beside them, and links the description to the likeliest:

    description ("the company", head, words, kind) ──┐
                                                     ├──► DescriptionLinker.choose
    candidates (people and organisations named       │      1. features of each pair: kind,
      before it, their roles, mentions, gender) ─────┘         shared words, distance,
                                                               salience, gender, role held,
                                                               the rule's pick
                                                            2. the null candidate's features
                                                               (null_row): what the description
                                                               is, whether anyone fits
                                                            3. a softmax over the candidates
                                                               and the null one: the likeliest
                                                               wins; the null one: no one

The weights come from `make train` (evaluation/training.py): a conditional logit (mention
ranking, as Denis and Baldridge 2008 fit coreference) fitted on GUM's train split and the
fitting names set's news, its regularisation and the null candidate's shift chosen on GUM's
dev split and the dev names set. The file also holds the earlier model, a logistic
regression scoring each pair alone with a probability threshold for "someone new";
`make eval` measures both on GUM's test split and the held-out names set beside the hand
rules they stack on (their pick is one of the features), and the file says which the
engine uses. Pure Python: reading the weights is the only I/O.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .entities import logistic, softmax, weighted_sum
from .speaker_nouns import ROLE_NOUNS

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
    # A person's titles and roles ("coach", "mayor"), as the article gave them; empty: none known.
    roles: frozenset[str] = frozenset()


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


# The pair features that say something of the description alone; the null candidate
# ("someone new") carries them, so that they weigh for or against a link at all.
_DESCRIPTION_ONLY = ("modified", "possessed", "in_news")


def null_row(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    """The features of the null candidate, "someone the article did not name before", read
    off the pair rows (what they say of the description alone, and whether any candidate
    fits): the conditional logit weighs it against the candidates inside one softmax."""
    row: dict[str, float] = {"null": 1.0}
    if not rows:
        return row
    first = rows[0]
    for name in _DESCRIPTION_ONLY:
        if first.get(name):
            row[f"null&{name}"] = 1.0
    kind = next((name.split("=")[1].split(">")[0] for name in first if name.startswith("pair=")), "")
    row[f"null&kind={kind}"] = 1.0
    if first.get("in_news"):
        row[f"null&news&kind={kind}"] = 1.0
    if not any(r.get("rule_pick") for r in rows):
        row["null&no_rule_pick"] = 1.0
    if not any(r.get("shares_words") for r in rows):
        row["null&none_shares"] = 1.0
    if not any(r.get("distance=0") or r.get("distance=1") for r in rows):
        row["null&none_near"] = 1.0
    if any(r.get("role_other") for r in rows) and not any(r.get("role_named") for r in rows):
        row["null&other_roles_only"] = 1.0
    row[f"null&candidates={_bucket(len(rows), (1, 2, 4, 8))}"] = 1.0
    return row


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
            if distance == 1:
                row["subject_just_before"] = 1.0  # the subject of the sentence just before
        if description.kind == PERSON and c.kind == PERSON:
            # "The coach" is the person the article called a coach, not the mayor, and not
            # (as sure) someone it gave no role at all.
            if description.head in c.roles:
                row["role_named"] = 1.0
            elif c.roles & ROLE_NOUNS:  # another role ("the coach" against "Mayor Ines Alvarez")
                row["role_other"] = 1.0
            elif c.roles:
                row["role_titled"] = 1.0  # a title only ("Sen.", "Dr.")
            else:
                row["role_unknown"] = 1.0
                if description.head in ROLE_NOUNS:
                    row["role_noun_unknown"] = 1.0  # "the coach": a role the article gave no one
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
    """The linker over ``features``, of one of two models ``make train`` fits:

    - ``ranking`` (a conditional logit, as mention-ranking coreference models are fitted):
      each candidate and the null candidate (``null_row``: someone new) scored, the softmax
      over them; the description goes to the likeliest, no one when that is the null
      candidate. ``threshold`` is then 0.
    - the logistic regression (``ranking`` False) scores each pair alone; the best candidate
      is taken when its probability reaches ``threshold``.
    """

    def __init__(
        self, weights: dict[str, float], intercept: float, threshold: float, ranking: bool = False
    ) -> None:
        self.weights = weights
        self.intercept = intercept
        self.threshold = threshold
        self.ranking = ranking

    @classmethod
    def from_file(cls, path: Path = WEIGHTS_PATH, model: str | None = None) -> DescriptionLinker:
        """The model the file says is in use (``model``: "ranking" or "logistic", that one)."""
        data = json.loads(path.read_text(encoding="utf-8"))
        model = model or data["use"]
        part = data[model]
        return cls(part["weights"], part.get("intercept", 0.0), part["threshold"], ranking=model == "ranking")

    def row_probabilities(self, rows: Sequence[dict[str, float]]) -> list[float]:
        """The probability of each row of features (one per candidate); for the ranking, the
        softmax over the rows and the null candidate's, which comes last."""
        scores = [weighted_sum(self.weights, self.intercept, row) for row in rows]
        if self.ranking:
            scores.append(weighted_sum(self.weights, self.intercept, null_row(rows)))
            return softmax(scores)
        return [logistic(score) for score in scores]

    def choose(
        self, description: Description, candidates: Sequence[Candidate], rule_pick: str | None
    ) -> tuple[Candidate, float] | None:
        """The candidate the description refers to, with the model's probability; None when
        the model reads it as someone the article did not name before."""
        chosen = self.chosen_row(features(description, candidates, rule_pick))
        if chosen is None:
            return None
        index, probability = chosen
        return candidates[index], probability

    def chosen_row(self, rows: Sequence[dict[str, float]]) -> tuple[int, float] | None:
        """Which row of features (one per candidate) the linker takes, with its probability:
        the likeliest, the first of equals; None when that is the null candidate (ranking)
        or below the threshold."""
        if not rows:
            return None
        probabilities = self.row_probabilities(rows)
        best = max(range(len(probabilities)), key=lambda i: (probabilities[i], -i))
        if best == len(rows) or probabilities[best] < self.threshold:
            return None
        return best, probabilities[best]

    def new_probability(self, rows: Sequence[dict[str, float]]) -> float | None:
        """How likely the ranking reads the description as someone new (None: the logistic)."""
        if not self.ranking:
            return None
        return self.row_probabilities(rows)[-1] if rows else 1.0


@lru_cache(maxsize=1)
def description_linker() -> DescriptionLinker:
    return DescriptionLinker.from_file()
