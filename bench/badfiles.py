"""Index build time with and without the six bad files of issue 16.

    .venv/bin/python bench/badfiles.py [--rounds 2] [--embedder sentence-transformers|fake]

Two corpus folders in a temporary directory: the seed documents alone, and the seeds plus the
bad files of tests/badfiles.py (a scan without a text layer, an empty file, 3 MB of random bytes,
a truncated PDF, the same document as .txt and .md, a Latin-1 note). Each round runs
``qa index build`` in a new process on a fresh index folder (everything embedded) for each corpus,
alternating, and prints wall times and exit codes. Target: the bad files add about nothing (they
are refused before parsing; the Latin-1 note adds one chunk). Before issue 16, the random bytes
alone were indexed as ~45,000 chunks (16+ minutes), and any of the others stopped the build.

A benchmark: prints figures and exits 0 whatever they are.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from offline import OFFLINE

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def build(corpus: Path, index: Path, embedder: str) -> tuple[float, int, str]:
    shutil.rmtree(index, ignore_errors=True)
    env = {**os.environ, "QA_CORPUS_DIR": str(corpus), "QA_INDEX_DIR": str(index), "QA_EMBEDDER": embedder,
           **OFFLINE}
    started = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "qa"), "index", "build"], env=env, capture_output=True,
                          text=True)
    seconds = time.perf_counter() - started
    return seconds, done.returncode, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--embedder", default="sentence-transformers", choices=["sentence-transformers", "fake"])
    args = parser.parse_args()
    from badfiles import SEEDS, seeds_with_bad_files

    with tempfile.TemporaryDirectory() as tmp:
        seeds, bad = Path(tmp) / "seeds", Path(tmp) / "bad"
        shutil.copytree(SEEDS, seeds)
        seeds_with_bad_files(bad)
        times: dict[str, list[float]] = {"seeds": [], "seeds + bad files": []}
        for round_ in range(1, args.rounds + 1):
            for name, corpus in (("seeds", seeds), ("seeds + bad files", bad)):
                seconds, code, summary = build(corpus, Path(tmp) / "index", args.embedder)
                times[name].append(seconds)
                print(f"round {round_}  {name:<18} exit {code}  {seconds:6.1f} s  {summary}")
        for name, values in times.items():
            print(f"{name:<18} median {statistics.median(values):6.1f} s over {len(values)} builds")


if __name__ == "__main__":
    main()
