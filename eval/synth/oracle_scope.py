"""Control for the multi-report golden set: ask each single-document item with its golden ``doc``
as a filter (a perfect scope), to separate scoping errors from answering errors.

    QA_CORPUS_DIR=eval/synth/corpus QA_INDEX_NAME=synth .venv/bin/python -m eval.synth.oracle_scope

Prints answer accuracy and reference precision/recall/F1 over those items, per kind too.
"""

from __future__ import annotations

import logging

from qa.assistant import Assistant
from qa.config import PROJECT_ROOT, Settings
from qa.evaluation.evaluate import cited_refs, load_golden
from qa.evaluation.metrics import micro_prf
from qa.text.textmatch import matches


def main() -> int:
    logging.getLogger("qa.ingest.corpus").setLevel(logging.ERROR)  # `synthetic = true` is unknown here
    items = [i for i in load_golden(PROJECT_ROOT / "eval" / "golden-multi.jsonl") if i.answerable and i.doc]
    assistant = Assistant(Settings()).load()
    kinds: dict[str, list[int]] = {}
    pairs = []
    for item in items:
        answer = assistant.ask(item.question, history=list(item.history), doc=item.doc)
        good = not answer.abstained and all(matches(answer.answer, f) for f in item.answer_contains)
        tally = kinds.setdefault(item.id.rsplit("-", 1)[0], [0, 0])
        tally[0], tally[1] = tally[0] + 1, tally[1] + good
        if item.citations:
            pairs.append((item.expected_refs, cited_refs(answer)))
        if not good:
            print(f"- {item.id}: {item.question} | expected {list(item.answer_contains)} | got {answer.answer[:120]!r}")
    refs = micro_prf(pairs)
    right = sum(t[1] for t in kinds.values())
    print(f"\noracle doc filter: {len(items)} items, accuracy {right / len(items):.3f}, reference precision "
          f"{refs.precision:.3f} recall {refs.recall:.3f} F1 {refs.f1:.3f}")
    for kind, (n, ok) in kinds.items():
        print(f"  {kind}: {ok}/{n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
