"""`make train`: rebuild the entity layer's two data files from sources outside the repository.

1. ``quotes/extraction/data/first_names.tsv``: first names and the gender they carry,
   from nomquamgender's name data (Van Buskirk et al. 2022, MIT licence; a development
   dependency). A name is kept when it is common (``MIN_COUNT`` uses in at least
   ``MIN_SOURCES`` of the dataset's sources) and gendered in at least nine uses of ten.
   Words the corpora in ``../shared/eval`` print in lower case more often than
   capitalised ("said", "will", "may") are left out: in a sentence they are not names;
   those printed in lower case at least ``WORD_SHARE`` as often as capitalised ("Bill",
   "Mark", "West") are marked ``word``: they tell a name's gender, but do not make a
   capitalised phrase a person's name ("West Virginia").
2. ``quotes/extraction/data/entity_ranker.json``: the pronoun ranker, a logistic
   regression (scikit-learn) over the features of ``Entities.features``, fitted on GUM's
   train split; the regularisation is chosen on GUM's dev split. GUM's test split is
   left for ``make eval``.

Deterministic: the same inputs give the same files, byte for byte.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from quotes.extraction.entities import FIRST_NAMES_PATH, WEIGHTS_PATH, LearnedRanker

from .coreference import (
    GAP_DIR,
    GUM_PATH,
    PronounScore,
    gap_training_groups,
    read_gum,
    score_gap,
    score_pronouns,
    shared_missing,
    training_groups,
)

MIN_COUNT = 100
MIN_SOURCES = 8
GENDERED_SHARE = 0.9
WORD_SHARE = 0.1
# The regularisation strengths and windows (sentences back; None: all) tried on GUM's dev split.
C_GRID = (0.01, 0.1, 1.0)
WINDOWS = (4, 8, None)
_WORD = re.compile(r"[A-Za-z]+")


def _corpus_texts() -> list[str]:
    texts = []
    for path in (GUM_PATH, GUM_PATH.with_name("polnear-train.jsonl")):
        with path.open(encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle)
    return texts


def build_first_names() -> int:
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("nomquamgender is not installed: run `make install` first")
    data_file = Path(next(iter(spec.submodule_search_locations))) / "name_data.json"
    data = json.loads(data_file.read_text(encoding="utf-8"))
    lower, capital = Counter(), Counter()
    for text in _corpus_texts():
        for word in _WORD.findall(text):
            (capital if word[0].isupper() else lower)[word.lower()] += 1
    rows = []
    for name, (sources, count, female_share, *_rest) in data.items():
        if not (name.isascii() and name.isalpha() and len(name) > 1):
            continue
        if sources < MIN_SOURCES or count < MIN_COUNT:
            continue
        if lower[name] > capital[name]:
            continue
        word = "\tword" if lower[name] >= WORD_SHARE * capital[name] and lower[name] else ""
        if female_share >= GENDERED_SHARE:
            rows.append(f"{name}\tf{word}")
        elif female_share <= 1 - GENDERED_SHARE:
            rows.append(f"{name}\tm{word}")
    header = (
        "# First names and the gender they carry in nine uses of ten or more; built by `make train`\n"
        "# from nomquamgender's name data (Van Buskirk et al. 2022, MIT licence). Do not edit by hand.\n"
        '# A third column \'word\': also an ordinary word ("Bill", "West"), never a name by itself.\n'
    )
    FIRST_NAMES_PATH.parent.mkdir(parents=True, exist_ok=True)
    FIRST_NAMES_PATH.write_text(header + "\n".join(sorted(rows)) + "\n", encoding="utf-8")
    return len(rows)


def fit(
    groups: list[tuple[list[dict[str, float]], list[int]]], c: float, window: int | None
) -> LearnedRanker:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [feats for candidates, _ in groups for feats in candidates]
    labels = [label for _, group_labels in groups for label in group_labels]
    vectorizer = DictVectorizer(sort=True)
    x = vectorizer.fit_transform(rows)
    model = LogisticRegression(C=c, max_iter=2000, solver="lbfgs")
    model.fit(x, labels)
    names = vectorizer.get_feature_names_out()
    weights = {str(name): round(float(w), 5) for name, w in zip(names, model.coef_[0], strict=True)}
    return LearnedRanker(weights, round(float(model.intercept_[0]), 5), window)


def _figures(score: PronounScore) -> str:
    antecedent = 100 * score.antecedent_right / max(1, score.pronouns)
    person = 100 * score.person_right / max(1, score.resolvable)
    return f"antecedent {antecedent:.1f}%, person {person:.1f}%"


def fit_ranker() -> None:
    from quotes.extraction.extractor import load_model

    started = time.perf_counter()
    nlp = load_model()
    train = read_gum(nlp, ["train"])
    dev = read_gum(nlp, ["dev"])
    best: tuple[float, float, LearnedRanker, int] | None = None
    for window in WINDOWS:
        groups = training_groups(train, window) + gap_training_groups(
            nlp, GAP_DIR / "gap-development.tsv", window
        )
        for c in C_GRID:
            ranker = fit(groups, c, window)
            on_train = score_pronouns(train, ranker)
            on_dev = score_pronouns(dev, ranker)
            gap = score_gap(nlp, GAP_DIR / "gap-validation.tsv", {"learned": ranker})["learned"].f1("all")
            print(
                f"window={window} C={c:<5} GUM train: {_figures(on_train)} ({len(groups)} fitted)"
                f"  GUM dev: {_figures(on_dev)}  GAP validation F1 {gap:.1f}"
            )
            # Chosen by the figures a reader judges: the pronoun's person found by its name on
            # GUM, and the right name of two on GAP.
            dev_accuracy = (on_dev.person_right / max(1, on_dev.resolvable) + gap / 100) / 2
            if best is None or dev_accuracy > best[0]:
                best = (dev_accuracy, c, ranker, len(groups))
    assert best is not None
    accuracy, c, ranker, fitted = best
    payload = {
        "about": "Pronoun antecedent ranker of quotes/extraction/entities.py; built by `make train`.",
        "fitted_on": f"GUM's train split ({len(train)} documents) and GAP's development rows:"
        f" {fitted} pronouns",
        "chosen_on": f"GUM's dev split and GAP's validation rows: C={c}, window={ranker.window},"
        f" mean of person accuracy and F1 {100 * accuracy:.1f}",
        "window": ranker.window,
        "intercept": ranker.intercept,
        "weights": dict(sorted(ranker.weights.items())),
    }
    WEIGHTS_PATH.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"chose C={c}; wrote {WEIGHTS_PATH} in {time.perf_counter() - started:.0f} s")


def main() -> None:
    problem = shared_missing()
    if problem:
        raise SystemExit(f"make train: {problem}.")
    print(f"first names: {build_first_names()} written to {FIRST_NAMES_PATH}")
    fit_ranker()


if __name__ == "__main__":
    main()
    sys.exit(0)
