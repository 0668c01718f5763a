"""Answer latency: warm in-process answers beside the embedding floor, and cold ``qa ask``.

    .venv/bin/python bench/latency.py [--golden eval/golden.jsonl] [--limit N] [--cold-runs 3]
                                      [--skip-warm] [--skip-cold]

(a) Warm: one loaded Assistant answers every distinct single-turn golden question once
    (``Assistant.ask``); beside each answer, the floor: the same question embedded alone by a
    separate, uncached instance of the same model. Both are timed question by question,
    interleaved, so background load hits both alike. Target: answer p50 <= 1.5 x floor p50.
    The assistant caches query embeddings (qa/index/embedcache.py); every question here is asked
    once, so the cache never answers from memory.
(b) Cold: wall time of ``qa ask`` in a new process: in-process (``--local``), with no server
    (the fallback, health check included), and against a running ``qa serve`` on a free
    loopback port (started here, stopped at the end). Target: <= 3 s. Each run asks a
    question the server has not seen. The outputs of the server and in-process runs for the
    same question are compared.

A benchmark: prints figures and exits 0 whatever they are.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from offline import ROOT  # noqa: E402 - puts the repository on sys.path, sets the offline environment

WARM_TARGET_RATIO = 1.5
COLD_TARGET_S = 3.0
WARM_UP = ["What does the report say about education?", "Which ministries coordinate child labor policy?",
           "What is the AEJT?"]  # not in the golden set; loads lazy paths before timing starts
COLD_QUESTIONS = [
    "How many labor inspectors did Mali have in 2019?",
    "What is the minimum age for hazardous work in Mali?",
    "Which armed groups recruited children in Mali?",
    "Where did the AEJT workshop take place?",
]


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile, ``q`` in [0, 100]."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def golden_questions(path: Path, limit: int | None) -> tuple[list[str], int]:
    """Distinct single-turn questions; follow-ups are left out (their history would be
    embedded a second time and served from the cache). Returns (questions, follow-ups skipped)."""
    seen: dict[str, None] = {}
    follow_ups = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if item.get("history"):
            follow_ups += 1
            continue
        seen.setdefault(item["question"].strip(), None)
    questions = [q for q in seen if q not in WARM_UP]
    return (questions[:limit] if limit else questions), follow_ups


# -- (a) warm ---------------------------------------------------------------------------------------
def warm(questions: list[str]) -> dict[str, list[float]]:
    from qa.assistant import Assistant
    from qa.config import Settings
    from qa.index.embed import make_embedder

    settings = Settings()
    started = time.perf_counter()
    assistant = Assistant(settings).load()
    print(f"  assistant loaded in {time.perf_counter() - started:.1f} s", flush=True)
    floor_model = make_embedder(settings)  # its own instance: no query cache in front of it
    floor_model.load()
    for q in WARM_UP:
        assistant.ask(q)
        floor_model.encode([q])
    answers, floors = [], []
    for i, q in enumerate(questions, 1):
        t0 = time.perf_counter()
        floor_model.encode([q])
        t1 = time.perf_counter()
        assistant.ask(q)
        t2 = time.perf_counter()
        floors.append((t1 - t0) * 1000)
        answers.append((t2 - t1) * 1000)
        if i % 25 == 0:
            print(f"  {i}/{len(questions)} questions", flush=True)
    return {"answer": answers, "floor": floors}


def print_warm(times: dict[str, list[float]], n: int, follow_ups: int) -> None:
    print(f"\n(a) Warm in-process answers: {n} distinct single-turn golden questions, each asked once\n"
          f"    ({follow_ups} follow-ups left out), so the query-embedding cache (qa/index/embedcache.py)\n"
          f"    never serves a stored vector. Floor = the same question embedded alone, uncached.")
    print(f"    {'':24}{'p50':>10}{'p95':>10}{'mean':>10}")
    for name, label in (("answer", "answer (Assistant.ask)"), ("floor", "floor (embed question)")):
        values = times[name]
        print(f"    {label:24}{statistics.median(values):8.1f}ms{percentile(values, 95):8.1f}ms"
              f"{statistics.fmean(values):8.1f}ms")
    ratio = statistics.median(times["answer"]) / statistics.median(times["floor"])
    verdict = "met" if ratio <= WARM_TARGET_RATIO else "NOT met"
    print(f"    ratio answer p50 / floor p50: {ratio:.2f}x   (target <= {WARM_TARGET_RATIO}x: {verdict})")


# -- (b) cold ---------------------------------------------------------------------------------------
def qa_command() -> list[str]:
    qa = Path(sys.executable).with_name("qa")
    return [str(qa)] if qa.exists() else [sys.executable, "-c", "from qa.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_ask(args: list[str], env: dict[str, str]) -> tuple[float, str, int]:
    """Wall seconds, stdout, exit code of one ``qa ask`` in a new process."""
    start = time.perf_counter()
    done = subprocess.run(qa_command() + ["ask", *args], env=env, capture_output=True, text=True, timeout=300)
    return time.perf_counter() - start, done.stdout, done.returncode


def start_server(port: int, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], float]:
    import httpx

    server = subprocess.Popen(qa_command() + ["serve", "--host", "127.0.0.1", "--port", str(port),
                                              "--log-level", "warning"],
                              env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    start = time.monotonic()
    while time.monotonic() - start < 300:
        if server.poll() is not None:
            raise RuntimeError(f"qa serve exited with code {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2, trust_env=False).status_code == 200:
                return server, time.monotonic() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    stop_server(server)
    raise RuntimeError("qa serve was not ready after 300 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)  # its own session: the uvicorn process and nothing else
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(5)


def cold(runs: int) -> tuple[list[tuple[str, list[float], list[int]]], str]:
    env = {**os.environ}
    env.pop("QA_API_KEY", None)
    questions = (COLD_QUESTIONS * runs)[:runs]
    rows: list[tuple[str, list[float], list[int]]] = []
    local_out: dict[str, str] = {}

    times, codes = [], []
    for q in questions:
        seconds, out, code = run_ask(["--local", q], env)
        times.append(seconds)
        codes.append(code)
        local_out[q] = out
    rows.append(("in-process (--local)", times, codes))

    nobody = {**env, "QA_SERVER_URL": f"http://127.0.0.1:{free_port()}"}  # nothing listens there
    seconds, _, code = run_ask([COLD_QUESTIONS[-1]], nobody)
    rows.append(("no server (health check, fallback)", [seconds], [code]))

    port = free_port()
    note = ""
    try:
        server, ready = start_server(port, env)
    except RuntimeError as exc:
        return rows, f"    the server could not be started: {exc}"
    try:
        served = {**env, "QA_SERVER_URL": f"http://127.0.0.1:{port}"}
        times, codes, same = [], [], 0
        for q in questions:
            seconds, out, code = run_ask([q], served)
            times.append(seconds)
            codes.append(code)
            same += out == local_out[q]
        rows.append(("with a running qa serve", times, codes))
        note = (f"    qa serve was ready {ready:.1f} s after start; its output matched the in-process "
                f"output for {same}/{len(questions)} questions.")
    finally:
        stop_server(server)
    return rows, note


def print_cold(rows: list[tuple[str, list[float], list[int]]], note: str) -> None:
    print(f"\n(b) Cold `qa ask` from a new process (wall time; target <= {COLD_TARGET_S:.0f} s)")
    print(f"    {'mode':38}{'runs':>5}{'min':>8}{'median':>8}{'max':>8}  exit codes")
    for name, times, codes in rows:
        print(f"    {name:38}{len(times):5d}{min(times):7.2f}s{statistics.median(times):7.2f}s{max(times):7.2f}s"
              f"  {','.join(map(str, codes))}")
    if note:
        print(note)
    served = [times for name, times, _ in rows if name.startswith("with a running")]
    if served:
        verdict = "met" if statistics.median(served[0]) <= COLD_TARGET_S else "NOT met"
        print(f"    target <= {COLD_TARGET_S:.0f} s with a running server: {verdict}. In-process cold start is"
              f" dominated by importing torch/sentence-transformers and loading the model and index.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--golden", type=Path, default=ROOT / "eval" / "golden.jsonl")
    parser.add_argument("--limit", type=int, default=None, help="at most this many warm questions")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--skip-warm", action="store_true")
    parser.add_argument("--skip-cold", action="store_true")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    warm_result = cold_result = None
    if not args.skip_warm:
        questions, follow_ups = golden_questions(args.golden, args.limit)
        print(f"warm: {len(questions)} questions …", flush=True)
        warm_result = (warm(questions), len(questions), follow_ups)
    if not args.skip_cold:
        print("cold: new processes …", flush=True)
        cold_result = cold(max(1, args.cold_runs))
    # Other work on this machine inflates every figure; say how busy it was.
    print(f"\n{os.cpu_count()} CPUs; 1-minute load average {load_before:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at end.")
    if warm_result:
        print_warm(*warm_result)
    if cold_result:
        print_cold(*cold_result)
    return 0


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # noqa: BLE001 - a benchmark reports and exits 0
        print(f"benchmark failed: {exc}", file=sys.stderr)
    sys.exit(0)
