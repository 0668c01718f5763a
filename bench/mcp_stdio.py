"""``qa mcp`` as an agent client sees it: start-up, first answer, warm answers; and the stale check's cost.

    .venv/bin/python bench/mcp_stdio.py [--runs 3] [--questions 5]

(a) For each run: spawn ``qa mcp`` on stdio with the SDK's client, time ``initialize`` (process
    start to handshake done), ``tools/list``, the first ``ask`` (it waits for the model and index,
    loaded in the background since start-up) and then warm ``ask`` calls over the first golden
    questions. Uses the configured index (``make index`` first).
(b) The stale-index warning's check (``qa.cli.stale.stale_warning``) on the configured corpus:
    when every file's size and mtime match the manifest (no file read), and when none has a
    recorded stat (every file hashed, as after a touch).

A benchmark: prints figures and exits 0 whatever they are.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from offline import ROOT  # noqa: E402 - puts the repository on sys.path, sets the offline environment


def golden_questions(limit: int) -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "eval" / "golden.jsonl").read_text().splitlines() if line.strip()]
    single = [r["question"] for r in rows if not r.get("history")]
    return list(dict.fromkeys(single))[:limit]


async def one_run(questions: list[str]) -> dict[str, float]:
    from mcp import Client, StdioServerParameters
    from mcp.client.stdio import stdio_client

    env = {k: v for k, v in os.environ.items() if k.startswith(("QA_", "HF_", "TRANSFORMERS_", "TOKENIZERS_"))}
    params = StdioServerParameters(command=str(Path(sys.executable).with_name("qa")), args=["mcp"], env=env)
    out: dict[str, float] = {}
    with open(os.devnull, "w") as errlog:
        t0 = time.perf_counter()
        async with Client(stdio_client(params, errlog=errlog), mode="legacy", read_timeout_seconds=600) as client:
            out["initialize"] = time.perf_counter() - t0
            t = time.perf_counter()
            await client.list_tools()
            out["list_tools"] = time.perf_counter() - t
            t = time.perf_counter()
            first = await client.call_tool("ask", {"question": questions[0]})
            out["first_ask"] = time.perf_counter() - t
            out["first_ask_error"] = float(bool(first.is_error))
            warm = []
            for q in questions[1:]:
                t = time.perf_counter()
                await client.call_tool("ask", {"question": q})
                warm.append(time.perf_counter() - t)
            out["warm_ask_p50"] = statistics.median(warm) if warm else float("nan")
    return out


def stale_check_cost(repeats: int = 20) -> tuple[float, float, int]:
    """Seconds per check with every stat recorded, then with none; and the corpus file count."""
    import qa.index.changes as changes
    from qa.cli.stale import stale_warning
    from qa.config import Settings
    from qa.ingest.listing import corpus_files

    settings = Settings()
    timings = []
    for _ in range(2):
        t = time.perf_counter()
        for _ in range(repeats):
            stale_warning(settings)
        timings.append((time.perf_counter() - t) / repeats)
        # second pass: as if no stat were recorded, every file is hashed
        original = changes._differs
        changes._differs = lambda path, entry, _f=original: _f(path, {**entry, "stat": None})
    changes._differs = original
    return timings[0], timings[1], len(corpus_files(settings))


def main() -> None:
    import anyio

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--questions", type=int, default=5)
    args = parser.parse_args()
    questions = golden_questions(args.questions)
    runs = [anyio.run(one_run, questions) for _ in range(args.runs)]
    print(f"qa mcp over stdio, {args.runs} runs, {len(questions)} questions each (seconds):")
    for key in ("initialize", "list_tools", "first_ask", "warm_ask_p50"):
        values = [r[key] for r in runs]
        print(f"  {key:13s} median {statistics.median(values):6.2f}   min {min(values):6.2f}   max {max(values):6.2f}")
    if any(r["first_ask_error"] for r in runs):
        print("  (a first ask returned a tool error: is the index built?)")
    cheap, hashed, files = stale_check_cost()
    print(f"stale check on {files} corpus files: {cheap * 1000:.2f} ms when size+mtime match, "
          f"{hashed * 1000:.2f} ms hashing every file")


if __name__ == "__main__":
    main()
