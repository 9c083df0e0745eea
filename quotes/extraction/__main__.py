"""python -m quotes.extraction --jsonl IN --out OUT

Reads JSON lines {"id", "text"} and writes {"id", "quotes": [...]} with character
offsets into ``text``. Needs no database and no Django settings.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

from . import extract_many

_FIELDS = ("start", "end", "text", "speaker", "speaker_start", "speaker_end", "cue", "kind", "confidence")


def _records(path: str) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") if path != "-" else sys.stdin as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m quotes.extraction", description=__doc__.splitlines()[2])
    parser.add_argument("--jsonl", required=True, help="input JSON lines with id and text ('-' for stdin)")
    parser.add_argument("--out", required=True, help="output JSON lines ('-' for stdout)")
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args(argv)

    records = list(_records(args.jsonl))
    texts = (str(r.get("text") or "") for r in records)
    out = open(args.out, "w", encoding="utf-8") if args.out != "-" else sys.stdout  # noqa: SIM115
    try:
        for record, findings in zip(records, extract_many(texts, batch_size=args.batch_size), strict=True):
            quotes = [{k: getattr(f, k) for k in _FIELDS} for f in findings]
            out.write(json.dumps({"id": record.get("id"), "quotes": quotes}, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
