"""Serving many users (issue 11): throughput and latency by client count, cold start, build time, memory.

    .venv/bin/python bench/serve.py [--workers 2] [--clients 1,8,32] [--duration 15] [--no-build]

One run measures, on this machine and at the same moment (so the ratios compare like with like):

* ``qa serve --workers N`` on a free loopback port: for each client count, that many closed-loop
  clients for ``--duration`` seconds over the request mix of bench/load.py (/ask, a /chat
  follow-up, a streamed /v1/chat/completions, /search; a distinct question per request, so no
  cache answers from memory): requests/s, p50/p95 latency, errors (any non-2xx, a stream without
  ``[DONE]``, a transport error), and the throughput ratio to the 1-client figure. The clients
  speak HTTP/1.1 over asyncio streams with keep-alive: httpx's own CPU (~1 ms a request) would
  otherwise take a share of the same two cores from the server it measures.
* peak RSS of each server process, sampled during the load;
* a cold ``qa ask --local`` (wall time of the whole command) against ``python -c "import torch"``,
  alternated, median of ``--repeats`` each;
* ``qa index build`` of the seed corpus into an empty folder, encoding with torch (as before this
  issue) and with ONNX Runtime (the export memoised in .build/encoders by earlier builds).

Acceptance (issue 11): 32-client throughput >= 3x 1-client, p95 at 32 <= 200 ms, 0 errors; cold
ask <= 1.5x import torch. Prints the figures, saves them to bench/results/serve-<time>.json, and
exits 0 whatever they are (a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from load import FOLLOW_UPS, QUESTIONS, free_port, percentile, wait_ready  # noqa: E402
from offline import OFFLINE  # noqa: E402

QA = str(Path(sys.executable).with_name("qa"))
RESULTS = ROOT / "bench" / "results"
ENV = {**os.environ, **OFFLINE}
MIX = ["ask"] * 10 + ["chat"] * 4 + ["stream"] * 3 + ["search"] * 3  # as bench/load.py


class Connection:
    """One keep-alive HTTP/1.1 connection; ``request`` -> (status, body)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, payload: Any = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        body = b"" if payload is None else json.dumps(payload).encode()
        head = (f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        self.writer.write(head + body)
        assert self.reader is not None
        lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if headers.get("transfer-encoding") == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                parts.append((await self.reader.readexactly(size + 2))[:-2])
            data = b"".join(parts)
        else:
            data = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection") == "close":
            self.writer.close()
            self.writer = None
        return status, data


def _question(n: int) -> str:
    return f"{QUESTIONS[n % len(QUESTIONS)]} (request {n})"  # distinct: no cache answers it


async def one_request(conn: Connection, kind: str, n: int) -> int:
    question = _question(n)
    if kind == "ask":
        return (await conn.request("POST", "/ask", {"question": question}))[0]
    if kind == "chat":
        messages = [{"role": "user", "content": question}, {"role": "assistant", "content": "(earlier answer)"},
                    {"role": "user", "content": FOLLOW_UPS[n % len(FOLLOW_UPS)]}]
        return (await conn.request("POST", "/chat", {"messages": messages}))[0]
    if kind == "stream":
        body = {"model": "qa", "stream": True, "messages": [{"role": "user", "content": question}]}
        status, data = await conn.request("POST", "/v1/chat/completions", body)
        return status if status != 200 or data.rstrip().endswith(b"data: [DONE]") else 599
    from urllib.parse import quote

    return (await conn.request("GET", f"/search?q={quote(question)}&k=10"))[0]


async def run_clients(port: int, clients: int, duration: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(10**9))

    async def client(worker: int, deadline: float) -> None:
        conn = Connection("127.0.0.1", port)
        i = worker * 7
        while time.monotonic() < deadline:
            kind = MIX[i % len(MIX)]
            start = time.perf_counter()
            try:
                status = await one_request(conn, kind, next(counter))
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                status, conn = 0, Connection("127.0.0.1", port)
                errors.append(f"{kind} {type(exc).__name__}")
            latencies.append(time.perf_counter() - start)
            if status and not 200 <= status < 300:
                errors.append(f"{kind} {status}")
            i += 1
        if conn.writer is not None:
            conn.writer.close()

    start = time.monotonic()
    await asyncio.gather(*(client(w, start + duration) for w in range(clients)))
    elapsed = time.monotonic() - start
    return {"clients": clients, "requests": len(latencies), "seconds": round(elapsed, 2),
            "rps": round(len(latencies) / elapsed, 1), "p50_ms": round(percentile(latencies, 50) * 1000, 1),
            "p95_ms": round(percentile(latencies, 95) * 1000, 1), "errors": len(errors),
            "error_kinds": sorted(set(errors))[:5]}


def wait_all_workers(port: int, checks: int = 20, timeout: float = 600) -> None:
    """/healthz answered by one worker says nothing of the others: wait for ``checks`` 200s in a row
    (each a new connection, so the kernel hands them to the workers in turn)."""
    import urllib.error
    import urllib.request

    deadline, streak = time.monotonic() + timeout, 0
    while streak < checks and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                streak = streak + 1 if response.status == 200 else 0
        except (urllib.error.URLError, OSError):
            streak = 0
            time.sleep(0.2)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the server process and its workers so far."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


class RssSampler:
    """Peak RSS of the server process and its children (the workers), sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.peak: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                for proc in [self.root, *self.root.children(recursive=True)]:
                    self.peak[proc.pid] = max(self.peak.get(proc.pid, 0), proc.memory_info().rss)
            except psutil.Error:
                pass
            self._stop.wait(0.2)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# The serving set-up before issue 11, through today's settings: questions encoded one at a time with
# torch, anyio's 40 request threads, one process.
BEFORE = {"QA_QUERY_ENCODER": "torch", "QA_SERVER_THREADS": "40", "QA_ENCODE_BATCH_MAX": "1"}


def bench_serving(workers: int, client_counts: list[int], duration: float,
                  env: dict[str, str] | None = None) -> dict[str, Any]:
    port = free_port()
    server = subprocess.Popen([QA, "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                               "--workers", str(workers)], env={**ENV, **(env or {})}, start_new_session=True)
    try:
        ready = wait_ready(f"http://127.0.0.1:{port}", 600, server)
        wait_all_workers(port)
        with RssSampler(server.pid) as rss:
            asyncio.run(run_clients(port, 4, 2.0))  # warm-up (every worker, every route), not counted
            phases = []
            for n in client_counts:
                cpu = cpu_seconds(server.pid)
                phases.append(asyncio.run(run_clients(port, n, duration)))
                # CPU per request does not depend on what else the shared machine is running
                phases[-1]["server_cpu_ms_per_request"] = round(
                    (cpu_seconds(server.pid) - cpu) * 1000 / max(1, phases[-1]["requests"]), 1)
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the session started for it, nothing else
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    base = phases[0]["rps"] or float("nan")
    for phase in phases:
        phase["ratio_to_first"] = round(phase["rps"] / base, 2)
    processes = sorted(rss.peak.values(), reverse=True)
    return {"workers": workers, "ready_s": round(ready, 1), "phases": phases,
            "peak_rss_mb": [round(b / 2**20) for b in processes]}


def _wall(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env or ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def bench_cold(repeats: int) -> dict[str, Any]:
    torch_s, ask_s = [], []
    for _ in range(repeats):  # alternated, so both see the same machine load
        torch_s.append(_wall([sys.executable, "-c", "import torch"]))
        ask_s.append(_wall([QA, "ask", "--local", QUESTIONS[0]]))
    t, a = statistics.median(torch_s), statistics.median(ask_s)
    return {"import_torch_s": round(t, 2), "cold_ask_local_s": round(a, 2), "ratio": round(a / t, 2),
            "runs": repeats}


def bench_build() -> dict[str, Any]:
    """A first build of the seed corpus into an empty folder, encoding with torch (as before issue 11)
    and with ONNX Runtime (the export memoised by earlier builds; made now if there is none)."""
    out = {}
    for name, extra in (("torch", {"QA_QUERY_ENCODER": "torch"}), ("onnx", {})):
        with tempfile.TemporaryDirectory(prefix="qa-bench-build-") as tmp:
            out[f"build_{name}_s"] = round(_wall([QA, "index", "build"], {**ENV, "QA_INDEX_DIR": tmp, **extra}), 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--repeats", type=int, default=3, help="cold-start runs of each command")
    parser.add_argument("--no-build", action="store_true", help="skip the index build timings")
    parser.add_argument("--before", action="store_true",
                        help="also serve with the set-up before issue 11 (torch, 40 threads, no batching, 1 process)")
    args = parser.parse_args()
    out: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "load_avg_before": os.getloadavg()}}
    clients = [int(c) for c in args.clients.split(",")]
    if args.before:
        out["serving_before"] = bench_serving(1, clients, args.duration, BEFORE)
    out["serving"] = bench_serving(args.workers, clients, args.duration)
    out["cold_start"] = bench_cold(args.repeats)
    if not args.no_build:
        out["build"] = bench_build()
    out["machine"]["load_avg_after"] = os.getloadavg()
    print_report(out)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"serve-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(out, indent=1))
    print(f"saved {path.relative_to(ROOT)}")
    return 0


def print_serving(title: str, serving: dict[str, Any]) -> None:
    print(f"{title}: ready after {serving['ready_s']} s")
    print(f"{'clients':>7} {'requests':>8} {'req/s':>7} {'x 1-client':>10} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}"
          f" {'server CPU ms/req':>17}")
    for p in serving["phases"]:
        print(f"{p['clients']:>7} {p['requests']:>8} {p['rps']:>7} {p['ratio_to_first']:>10} {p['p50_ms']:>7} "
              f"{p['p95_ms']:>7} {p['errors']:>6} {p['server_cpu_ms_per_request']:>17}"
              + (f"  {p['error_kinds']}" if p["errors"] else ""))
    print(f"peak RSS per server process (MB): {serving['peak_rss_mb']}")


def print_report(out: dict[str, Any]) -> None:
    load = out["machine"]
    print(f"load average {load['load_avg_before'][0]:.1f} before the run, {load['load_avg_after'][0]:.1f} after "
          f"({load['cpus']} cores, shared with other jobs)")
    if "serving_before" in out:
        print_serving("before issue 11 (torch encoder, 40 threads, no batching, 1 process)", out["serving_before"])
    print_serving(f"qa serve --workers {out['serving']['workers']}", out["serving"])
    cold = out["cold_start"]
    print(f"cold qa ask --local {cold['cold_ask_local_s']} s vs import torch {cold['import_torch_s']} s "
          f"(ratio {cold['ratio']}, median of {cold['runs']})")
    if "build" in out:
        b = out["build"]
        print(f"index build of the seed corpus into an empty folder: {b['build_torch_s']} s encoding with torch "
              f"(before), {b['build_onnx_s']} s with ONNX Runtime")


if __name__ == "__main__":
    sys.exit(main())
