"""Uploading a report to a running server: time to 202, time until it answers, and /ask latency
while the background build runs.

    .venv/bin/python bench/upload.py [--pdf tests/data/reports/usdol-2019-niger.pdf] [--extra N]

Copies the corpus (and the index, when built) into a temporary folder, optionally adds the first
N other PDFs of tests/data/reports/ and builds, then starts ``qa serve`` with uploads on, asks
one question ten times (idle latency), uploads ``--pdf``, keeps asking while it is indexed
(latency during the build; every answer must still be the idle one's), asks about the new report,
deletes it and times until it is gone. A benchmark: prints figures and exits 0 whatever they are.
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

import httpx

ROOT = Path(__file__).resolve().parent.parent
QA = str(Path(sys.executable).parent / "qa")
QUESTION = {"question": "How many labor inspectors did Mali have in 2019?"}


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([QA, "serve", "--port", str(port), "--log-level", "warning"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit("qa serve exited")
        time.sleep(0.2)


def _timed_ask(base: str) -> tuple[float, str]:
    started = time.perf_counter()
    answer = httpx.post(base + "/ask", json=QUESTION, timeout=120).json()["answer"]
    return time.perf_counter() - started, answer


def run(work: Path, pdf: Path, port: int) -> None:
    env = {**os.environ, "QA_CORPUS_DIR": str(work / "corpus"), "QA_INDEX_DIR": str(work / "index"),
           "QA_ALLOW_UPLOADS": "true", "QA_API_KEY": ""}
    started = time.perf_counter()
    subprocess.run([QA, "index", "build"], env=env, check=True, capture_output=True)
    print(f"index build before serving: {time.perf_counter() - started:.1f} s")
    base = f"http://127.0.0.1:{port}"
    proc = _serve(env, port)
    try:
        idle = [_timed_ask(base) for _ in range(10)]
        doc_id = pdf.stem
        started = time.perf_counter()
        r = httpx.post(base + "/documents", files={"file": (pdf.name, pdf.read_bytes())}, timeout=300)
        accepted = time.perf_counter() - started
        during, state = [], r.json().get("state")
        while state not in ("ready", "failed"):
            seconds, answer = _timed_ask(base)
            during.append(seconds)
            assert answer == idle[0][1], "the answer changed while indexing"
            state = httpx.get(f"{base}/documents/{doc_id}", timeout=60).json()["state"]
        ready = time.perf_counter() - started
        print(f"upload {pdf.name}: 202 after {accepted:.1f} s (content checks), {state} after {ready:.1f} s")
        ms = [s * 1000 for s, _ in idle]
        print(f"/ask idle p50 {statistics.median(ms):.0f} ms; while indexing p50 "
              f"{statistics.median(during) * 1000:.0f} ms, max {max(during) * 1000:.0f} ms ({len(during)} asks)")
        started = time.perf_counter()
        httpx.delete(f"{base}/documents/{doc_id}", timeout=60)
        while httpx.get(f"{base}/documents/{doc_id}", timeout=60).status_code != 404:
            time.sleep(0.2)
        print(f"delete: gone after {time.perf_counter() - started:.1f} s")
    finally:
        proc.terminate()
        proc.wait(60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pdf", type=Path, default=ROOT / "tests/data/reports/usdol-2019-niger.pdf")
    parser.add_argument("--extra", type=int, default=0, help="other PDFs in the corpus before the upload")
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "corpus", work / "corpus")
        if (ROOT / "index" / "default").is_dir():
            shutil.copytree(ROOT / "index" / "default", work / "index" / "default")
        others = sorted(p for p in (ROOT / "tests/data/reports").glob("*.pdf") if p.name != args.pdf.name)
        for extra in others[: args.extra]:
            shutil.copy(extra, work / "corpus" / extra.name)
        print(f"corpus: {len(list((work / 'corpus').glob('*.*'))) - 1} documents")
        run(work, args.pdf, args.port)


if __name__ == "__main__":
    main()
