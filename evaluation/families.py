"""Quote families and speakers on the seeds, through the app's real write path.

Imports the five seed articles with their manifest into a throwaway SQLite
database (``import_articles --sync``: extraction, speakers, matching, storage
exactly as a worker does), then compares the stored families with the gold
``cluster`` ids: pairwise precision and recall of "same family" over the gold
quotes that were found, whether each cross-outlet cluster is one family
spanning both outlets, and how many speakers each seed person became.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from .scoring import Span, match

SEEDS = Path(__file__).resolve().parents[1] / "quotes" / "seeds"
CROSS_OUTLET_CLUSTERS = ["trust_destroyed", "lasting_consequences", "choose_peace", "putin_long_process"]
PEOPLE = ["Stoltenberg", "Putin", "Scholz"]


def _setup_django(data_dir: str) -> None:
    os.environ["QUOTEWISE_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsapp.settings")
    import django

    django.setup()


def _pairs(labels: dict[str, object]) -> set[tuple[str, str]]:
    return {(a, b) for a, b in combinations(sorted(labels), 2) if labels[a] == labels[b]}


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        _setup_django(data_dir)
        from django.core.management import call_command

        from quotes.models import Article, Speaker

        call_command("migrate", verbosity=0)
        with open(os.devnull, "w") as quiet:
            call_command("import_articles", str(SEEDS), sync=True, stdout=quiet, stderr=quiet)
        gold = json.loads((SEEDS / "seeds.gold.json").read_text())
        manifest = {a["file"]: a for a in json.loads((SEEDS / "manifest.json").read_text())["articles"]}

        family_of: dict[str, int] = {}  # gold quote id -> stored family id
        outlet_of: dict[str, str] = {}
        for name, entry in manifest.items():
            article = Article.objects.get(outlet__name=entry["outlet"], title=entry["title"])
            assert article.analysis_text()[1] == 0, "seed texts open with their title"
            versions = [o for o in article.versions.all() if not o.in_title] + [
                o for o in article.versions.all() if o.in_title
            ]
            golds = [q for q in gold["quotes"] if q["file"] == name]
            matched = match(
                [Span(o.start, o.end) for o in versions], [Span(q["start"], q["end"]) for q in golds], 0.3
            )
            for gi, pi in matched.items():
                family_of[golds[gi]["id"]] = versions[pi].family_id
                outlet_of[golds[gi]["id"]] = entry["outlet"]

        clusters = {q["id"]: q["cluster"] for q in gold["quotes"] if q["id"] in family_of}
        gold_pairs, our_pairs = _pairs(clusters), _pairs(family_of)
        right = len(gold_pairs & our_pairs)
        precision = 100.0 * right / len(our_pairs) if our_pairs else 100.0
        recall = 100.0 * right / len(gold_pairs) if gold_pairs else 100.0
        print("Quote families on the seeds (import_articles --sync, the app's own write path)")
        print(f"  gold quotes found and placed: {len(family_of)}/{len(gold['quotes'])}")
        print(f"  same-family pairs: P {precision:5.1f}  R {recall:5.1f}  ({right} right, "
              f"{len(our_pairs - gold_pairs)} wrong, {len(gold_pairs - our_pairs)} missed)")  # fmt: skip
        texts = {q["id"]: q["text"][:60].replace("\n", " ") for q in gold["quotes"]}
        for a, b in sorted(our_pairs - gold_pairs):
            print(f"    wrongly joined: {a} {clusters[a]} “{texts[a]}” ~ {b} {clusters[b]} “{texts[b]}”")
        if os.environ.get("SHOW_MISSED"):
            for qid in sorted(family_of, key=lambda q: (clusters[q], q)):
                print(f"    {clusters[qid]:24s} {qid:4s} family {family_of[qid]}")
            for a, b in sorted(gold_pairs - our_pairs):
                print(f"    missed: {a} “{texts[a]}” ~ {b} “{texts[b]}”")
        for cluster in CROSS_OUTLET_CLUSTERS:
            members = [qid for qid, c in clusters.items() if c == cluster]
            families = defaultdict(set)
            for qid in members:
                families[family_of[qid]].add(outlet_of[qid])
            spanning = [f for f, outlets in families.items() if len(outlets) > 1]
            verdict = "one family across outlets" if spanning else "NOT joined across outlets"
            print(f"  {cluster:22s} {len(members)} quotes in {len(families)} families; {verdict}")
        for person in PEOPLE:
            speakers = Speaker.objects.filter(aliases__normalized__contains=person.lower()).distinct()
            names = ", ".join(sorted(s.name for s in speakers)) or "none"
            print(f"  speakers for {person}: {speakers.count()} ({names})")


if __name__ == "__main__":
    main()
