"""Load test: N concurrent clients against a live ``qa serve`` on loopback for a bounded time.

    python bench/load.py [--clients 32] [--duration 20] [--url http://127.0.0.1:8000]

Without --url it starts ``qa serve`` on a free loopback port, waits for /healthz, runs, and
stops it. Each client loops over a mix of requests (/ask, a /chat follow-up, a streamed
/v1/chat/completions, /search). Prints requests/s, p50/p95 latency and the error count
(target: 0 errors). Any non-2xx status or transport error counts as an error.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from offline import OFFLINE

QUESTIONS = [
    "How many labor inspectors did Mali have in 2019?",
    "What is the minimum age for work in Mali?",
    "In which sectors do children work in Mali?",
    "Which agency enforces child labor laws in Mali?",
    "What did the AEJT project do in Kayes and Sikasso?",
    "Are children recruited by armed groups in Mali?",
    "Is education free and compulsory in Mali?",
    "What social programs address child labor in Mali?",
]
FOLLOW_UPS = ["And in 2018?", "What about girls?", "Where does that happen?"]
_counter = itertools.count()
REPEAT = False  # --repeat: reuse the same few questions (embedding caches then flatter the figures)


def question(i: int) -> str:
    base = QUESTIONS[i % len(QUESTIONS)]
    # A distinct string per request, so no cache anywhere can answer from memory.
    return base if REPEAT else f"{base} (request {next(_counter)})"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen[bytes]:
    qa = Path(sys.executable).with_name("qa")
    command = [str(qa)] if qa.exists() else [sys.executable, "-c", "from qa.cli import main; main()"]
    env = {**os.environ, **OFFLINE}
    return subprocess.Popen(command + ["serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            env=env, start_new_session=True)


def wait_ready(base: str, timeout: float, server: subprocess.Popen[bytes] | None) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if server is not None and server.poll() is not None:
            raise SystemExit(f"qa serve exited with code {server.returncode}")
        try:
            response = httpx.get(f"{base}/healthz", timeout=5)
            if response.status_code == 200:
                return time.monotonic() - start
            if response.json().get("status") == "error":
                raise SystemExit(f"the server failed to load: {response.text}")
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server was not ready after {timeout:.0f} s")


# -- one request of each kind; each returns the HTTP status ---------------------------------------
async def do_ask(client: httpx.AsyncClient, i: int) -> int:
    return (await client.post("/ask", json={"question": question(i)})).status_code


async def do_chat(client: httpx.AsyncClient, i: int) -> int:
    messages = [{"role": "user", "content": question(i)},
                {"role": "assistant", "content": "(earlier answer)"},
                {"role": "user", "content": FOLLOW_UPS[i % len(FOLLOW_UPS)]}]
    return (await client.post("/chat", json={"messages": messages})).status_code


async def do_stream(client: httpx.AsyncClient, i: int) -> int:
    body = {"model": "qa", "stream": True, "messages": [{"role": "user", "content": question(i)}]}
    async with client.stream("POST", "/v1/chat/completions", json=body) as response:
        tail = b""
        async for part in response.aiter_bytes():
            tail = (tail + part)[-64:]
        if response.status_code == 200 and not tail.rstrip().endswith(b"data: [DONE]"):
            return 599  # a stream that did not finish properly
        return response.status_code


async def do_search(client: httpx.AsyncClient, i: int) -> int:
    return (await client.get("/search", params={"q": question(i), "k": 10})).status_code


MIX: list[tuple[str, Callable[[httpx.AsyncClient, int], Any]]] = (
    [("ask", do_ask)] * 10 + [("chat", do_chat)] * 4 + [("stream", do_stream)] * 3 + [("search", do_search)] * 3
)


async def client_loop(client: httpx.AsyncClient, worker: int, deadline: float,
                      results: list[tuple[str, float, int | str]]) -> None:
    i = worker * 7  # spread the clients over the mix
    while time.monotonic() < deadline:
        name, call = MIX[i % len(MIX)]
        start = time.perf_counter()
        try:
            outcome: int | str = await call(client, i)
        except httpx.HTTPError as exc:
            outcome = type(exc).__name__
        results.append((name, time.perf_counter() - start, outcome))
        i += 1


async def run_load(base: str, clients: int, duration: float) -> tuple[list[tuple[str, float, int | str]], float]:
    results: list[tuple[str, float, int | str]] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        start = time.monotonic()
        deadline = start + duration
        await asyncio.gather(*(client_loop(client, w, deadline, results) for w in range(clients)))
        elapsed = time.monotonic() - start
    return results, elapsed


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(results: list[tuple[str, float, int | str]], elapsed: float, clients: int) -> int:
    errors = Counter(f"{name} {o}" for name, _, o in results if not (isinstance(o, int) and 200 <= o < 300))
    latencies = [lat for _, lat, _ in results]
    by_kind: dict[str, list[float]] = defaultdict(list)
    for name, lat, _ in results:
        by_kind[name].append(lat)
    print(f"clients: {clients}   duration: {elapsed:.1f} s   requests: {len(results)}"
          f"   questions: {'8 repeated' if REPEAT else 'distinct per request'}")
    print(f"requests/s: {len(results) / elapsed:.1f}")
    print(f"latency p50: {percentile(latencies, 50) * 1000:.0f} ms   p95: {percentile(latencies, 95) * 1000:.0f} ms"
          f"   max: {max(latencies, default=0) * 1000:.0f} ms")
    for name, values in sorted(by_kind.items()):
        print(f"  {name:<7} n={len(values):<5} p50 {percentile(values, 50) * 1000:7.0f} ms"
              f"   p95 {percentile(values, 95) * 1000:7.0f} ms")
    total = sum(errors.values())
    print(f"errors: {total}" + (f"  {dict(errors)}" if total else ""))
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="an already running server (default: start qa serve on a free port)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    parser.add_argument("--ready-timeout", type=float, default=600.0)
    parser.add_argument("--repeat", action="store_true", help="reuse the same 8 questions (cache-friendly)")
    args = parser.parse_args()
    global REPEAT
    REPEAT = args.repeat

    server = None
    base = args.url.rstrip("/") if args.url else None
    if base is None:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(port)
    try:
        waited = wait_ready(base, args.ready_timeout, server)
        print(f"server ready at {base} after {waited:.1f} s")
        httpx.post(f"{base}/ask", json={"question": QUESTIONS[0]}, timeout=120)  # warm-up, not counted
        results, elapsed = asyncio.run(run_load(base, args.clients, args.duration))
        errors = report(results, elapsed, args.clients)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)  # the session we started for it, nothing else
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
