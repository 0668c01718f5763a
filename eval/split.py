"""Assign each golden question to the dev split (fitting) or the test split (the gate), once.

Stratified by question family (the id without its running number: "mali-t09", "none", "fu"), so
both splits hold tables, prose, look-ups, follow-ups and unanswerable questions; within a family the
order is a hash of the id, so the split does not depend on file order and a new question does not
move old ones. Run: python eval/split.py eval/golden.jsonl  (rewrites the file with a "split" field).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path


def family(qid: str) -> str:
    head, _, tail = qid.rpartition("-")
    return head if tail.isdigit() and head else qid


def assign(records: list[dict]) -> None:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        groups[family(r["id"])].append(r)
    for g, name in enumerate(sorted(groups)):
        members = sorted(groups[name], key=lambda r: hashlib.blake2b(r["id"].encode(), digest_size=8).hexdigest())
        for i, r in enumerate(members):
            # odd-sized families start on alternating sides so the two splits come out near equal
            r.setdefault("split", "dev" if (i + g) % 2 == 0 else "test")  # an existing assignment is kept


def main(path: str) -> None:
    file = Path(path)
    records = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
    assign(records)
    file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    counts = defaultdict(int)
    for r in records:
        counts[r["split"]] += 1
    print(f"{file}: {dict(counts)}")


if __name__ == "__main__":
    main(sys.argv[1])
