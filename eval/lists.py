"""List and overview answers, measured as the golden evaluator cannot: an item of a list may sit in
any quoted unit (the golden rule wants one unit to hold every fact), and each unit should cite its
own references (a unit of a report with a bibliography that cites nothing is a summary or a pointer).

    python eval/lists.py eval/lists-dev.jsonl            # the index of QA_CORPUS_DIR / QA_INDEX_DIR
    QA_CORPUS_DIR=.build/real-pdf/corpus QA_INDEX_DIR=.build/real-pdf/index python eval/lists.py \\
        eval/lists-dev.jsonl --corpus real

Lines: {"corpus": "seed"|"real", "question": ..., "items": [...]} — dev questions written with their
expected items before the answers were read. Prints one line per question and the totals.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from qa.assistant import Assistant
from qa.config import Settings
from qa.text.textmatch import matches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("golden", type=Path)
    parser.add_argument("--corpus", default="seed", help="which lines to ask: seed or real")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each answer")
    args = parser.parse_args()
    assistant = Assistant(Settings()).load()
    documents = assistant._answerer.documents  # noqa: SLF001 - a measuring script reads the loaded reports
    asked = answered = items = found_items = units = cited_units = 0
    for raw in args.golden.read_text(encoding="utf-8").splitlines():
        row = json.loads(raw) if raw.strip() else None
        if row is None or row["corpus"] != args.corpus:
            continue
        answer = assistant.ask(row["question"])
        quoted = list(answer.units)
        found = [it for it in row["items"] if any(matches(u.text, it) for u in quoted)]
        cited = [u for u in quoted if u.refs or not len(documents[u.doc].bibliography)]
        asked += 1
        answered += len(found) == len(row["items"])
        items, found_items = items + len(row["items"]), found_items + len(found)
        units, cited_units = units + len(quoted), cited_units + len(cited)
        print(f"{len(found)}/{len(row['items'])} items, {len(quoted)} units ({len(cited)} cited) | {row['question']}")
        if args.verbose:
            print("    " + answer.answer.replace("\n", "\n    "))
    print(f"{args.corpus}: {answered}/{asked} questions with every item, items {found_items}/{items}, "
          f"units {units} of which cited {cited_units}")


if __name__ == "__main__":
    main()
