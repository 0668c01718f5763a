"""How often the web page's highlight marks the fact an answer gives.

    .venv/bin/python bench/highlights.py [--golden eval/golden.jsonl]

For each answerable golden question the assistant answers (not declined) and whose answer holds
every expected fact (``answer_contains``), the sources' highlighted segments (qa.api.passages)
are checked: a question counts as marked when every fact appears in a highlighted segment, and
also reported is the share of highlighted text among all source text (marking everything would
trivially "contain" every fact). A benchmark: prints figures and exits 0 whatever they are.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from qa.api.passages import answer_json
from qa.assistant import Assistant
from qa.config import Settings
from qa.text.textmatch import matches

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--golden", type=Path, default=ROOT / "eval" / "golden.jsonl")
    args = parser.parse_args()
    assistant = Assistant(Settings()).load()
    counted = marked = 0
    marked_chars = total_chars = 0
    misses: list[str] = []
    for line in args.golden.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if not item.get("answerable") or item.get("history"):
            continue
        body = answer_json(assistant.ask(item["question"]))
        facts = item.get("answer_contains") or []
        if body["abstained"] or not facts or not all(matches(body["answer"], f) for f in facts):
            continue
        counted += 1
        segments = [s["text"][a:b] for s in body["sources"] for a, b in s["highlights"]]
        marked_chars += sum(len(t) for t in segments)
        total_chars += sum(len(s["text"]) for s in body["sources"])
        if all(any(matches(t, f) for t in segments) for f in facts):
            marked += 1
        else:
            misses.append(item["id"])
    print(f"{args.golden.name}: {counted} correct answers; every fact inside a highlight in {marked} "
          f"({marked / max(counted, 1):.1%}); highlighted share of source text {marked_chars / max(total_chars, 1):.1%}")
    if misses:
        print("not marked:", " ".join(misses))


if __name__ == "__main__":
    main()
