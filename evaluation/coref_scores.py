"""The standard coreference scores: MUC, B³ and CEAF-e, and their average (the CoNLL score).

Key and response are partitions of the same mentions (the gold mentions: a mention the
system leaves alone is a singleton of the response). Each entity is a set of mention ids.

- MUC (Vilain et al. 1995) counts the links a response must add to rebuild each key entity.
- B³ (Bagga & Baldwin 1998) scores each mention by the overlap of its key and response
  entities, averaged over mentions.
- CEAF-e (Luo 2005) aligns key and response entities one to one (the alignment with the
  greatest total similarity, φ4 = 2|K∩R| / (|K|+|R|)) and divides by the entity counts.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

Entity = frozenset[Hashable]


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def entities(assignment: Mapping[Hashable, Hashable]) -> list[Entity]:
    """Mention → entity label, read as a partition (one entity per label)."""
    groups: dict[Hashable, set[Hashable]] = {}
    for mention, label in assignment.items():
        groups.setdefault(label, set()).add(mention)
    return [frozenset(group) for group in groups.values()]


def _muc_recall(key: Iterable[Entity], response: Iterable[Entity]) -> float:
    owner = {m: i for i, entity in enumerate(response) for m in entity}
    found = needed = 0
    for entity in key:
        parts = {owner.get(m, ("alone", m)) for m in entity}
        found += len(entity) - len(parts)
        needed += len(entity) - 1
    return found / needed if needed else 0.0


def muc(key: list[Entity], response: list[Entity]) -> Score:
    return Score(_muc_recall(response, key), _muc_recall(key, response))


def _b_cubed_recall(key: list[Entity], response: list[Entity]) -> float:
    owner = {m: entity for entity in response for m in entity}
    total = count = 0.0
    for entity in key:
        for m in entity:
            total += len(entity & owner.get(m, frozenset({m}))) / len(entity)
            count += 1
    return total / count if count else 0.0


def b_cubed(key: list[Entity], response: list[Entity]) -> Score:
    return Score(_b_cubed_recall(response, key), _b_cubed_recall(key, response))


def _ceaf_total(key: list[Entity], response: list[Entity]) -> float:
    from scipy.optimize import linear_sum_assignment

    if not key or not response:
        return 0.0
    similarity = [[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key]
    rows, columns = linear_sum_assignment(similarity, maximize=True)
    return float(sum(similarity[i][j] for i, j in zip(rows, columns, strict=True)))


def ceaf_e(key: list[Entity], response: list[Entity]) -> Score:
    total = _ceaf_total(key, response)
    return Score(total / len(response) if response else 0.0, total / len(key) if key else 0.0)


def conll(documents: list[tuple[list[Entity], list[Entity]]]) -> dict[str, Score]:
    """MUC, B³ and CEAF-e over several documents (key and response of each), pooled as the
    CoNLL scorer pools them: mentions of different documents never share an entity."""
    key = [e for k, _ in documents for e in k]
    response = [e for _, r in documents for e in r]
    total = sum(_ceaf_total(k, r) for k, r in documents)
    ceaf = Score(total / len(response) if response else 0.0, total / len(key) if key else 0.0)
    return {"MUC": muc(key, response), "B3": b_cubed(key, response), "CEAF-e": ceaf}


def average_f1(scores: dict[str, Score]) -> float:
    """The CoNLL score: the mean of the three F1s."""
    return sum(score.f1 for score in scores.values()) / len(scores)
