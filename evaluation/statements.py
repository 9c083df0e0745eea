"""Statement links within an article, on a hand-judged PolNeAR sample:
``python -m evaluation.statements``.

``statement_judgements.json`` holds pairs of quotes of one article that an
earlier version of ``quotes/extraction/statements.py`` linked, each judged by
reading the article: do they report the same statement? (185 pairs from 70
articles, judged once; the texts stay in ``../shared/eval/``.) For the linker
as it is now, this prints how many judged-same pairs it still links (recall
on the sample) and how many of the judged pairs it links are right
(precision on the sample). Links it makes that were never judged are counted
but not scored, so a change that adds links needs a new judged sample.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from quotes.extraction import extract_many

from .extraction import POLNEAR

JUDGEMENTS = Path(__file__).with_name("statement_judgements.json")


def main(path: Path = POLNEAR) -> None:
    print("Statement links within an article (hand-judged PolNeAR sample)")
    if not path.exists():
        print(f"  PolNeAR: {path} not found — skipped (it lives outside the repository, in ../shared/eval/).")
        return
    pairs = json.loads(JUDGEMENTS.read_text())["pairs"]
    wanted = {pair["article"] for pair in pairs}
    texts = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["id"] in wanted:
                texts[record["id"]] = record["text"]
    ids = sorted(texts)
    statement_of = {}
    links = 0
    for article, findings in zip(ids, extract_many(texts[i] for i in ids), strict=True):
        for finding in findings:
            statement_of[(article, finding.start, finding.end)] = finding.statement
        sizes = Counter(finding.statement for finding in findings)
        links += sum(size - 1 for size in sizes.values())
    judged, linked = Counter(), Counter()
    for pair in pairs:
        a = statement_of.get((pair["article"], *pair["a"]))
        b = statement_of.get((pair["article"], *pair["b"]))
        if a is None or b is None:
            continue  # one of the quotes is no longer found
        judged[pair["same_statement"]] += 1
        linked[pair["same_statement"]] += a == b
    right, wrong = linked["yes"], linked["no"]
    print(f"  articles {len(ids)}, judged pairs still found {sum(judged.values())} of {len(pairs)}")
    print(
        f"  judged pairs linked now: {right} of {judged['yes']} same, {wrong} of {judged['no']} different, "
        f"{linked['unsure']} of {judged['unsure']} unsure"
    )
    precision = 100 * right / (right + wrong) if right + wrong else 0.0
    recall = 100 * right / judged["yes"] if judged["yes"] else 0.0
    print(f"  precision on the sample {precision:5.1f}   recall of judged-same pairs {recall:5.1f}")
    print(f"  links made in these articles: {links} (judged or not)")


if __name__ == "__main__":
    main()
