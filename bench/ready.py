"""Time to ready: ``qa serve`` until /healthz is 200, and a cold ``qa ask --local``, by corpus size.

    .venv/bin/python bench/ready.py [--sizes 1,12,50] [--embedder sentence-transformers|fake] [--keep DIR]

For each size N, a corpus of N reports is written into a temporary folder, ``qa index build``
builds it (timed), then, each in a new process with the model from the package:
  * ``qa serve`` on a free loopback port: seconds from start until ``GET /healthz`` answers 200;
    one ``POST /ask`` follows, and the index folder is hashed before serving and after answering
    (it must be byte-for-byte unchanged);
  * ``qa ask --local QUESTION``: wall time of the whole command.
Also printed: index size on disk, chunk count, and, in one more process, the time to import and
load the embedding model (the part of both figures that does not depend on the corpus) and then
the time ``Assistant.load`` takes with the model in memory (the part that could grow with it).

Reports: N-1 copies of the seed Mali report under new ids with the country renamed (and the
seed ILO article), because the many-reports generator (eval/synth/) has not landed on this
branch; the output says so. Copies share most sentences, and a build embeds a repeated text once,
so build times here are lower than for N distinct reports; index size and ready time are not
affected (every chunk, sentence and unit has its own row).

A benchmark: prints figures and exits 0 whatever they are.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from offline import OFFLINE
from qa.index.verify import folder_digest

ROOT = Path(__file__).resolve().parent.parent
QA = str(Path(sys.executable).with_name("qa"))
QUESTION = "How many labor inspectors did Mali have in 2019?"
SEED = ROOT / "corpus" / "usdol-2019-mali.txt"
ARTICLE = ROOT / "corpus" / "ilo-2021-aejt-kayes-sikasso.txt"
COUNTRIES = ("Niger", "Chad", "Senegal", "Guinea", "Benin", "Togo", "Ghana", "Liberia", "Gambia", "Mauritania",
             "Cameroon", "Gabon", "Nigeria", "Kenya", "Uganda", "Rwanda", "Burundi", "Tanzania", "Zambia", "Malawi",
             "Angola", "Namibia", "Botswana", "Lesotho", "Eswatini", "Mozambique", "Madagascar", "Comoros",
             "Djibouti", "Eritrea", "Ethiopia", "Somalia", "Sudan", "Egypt", "Libya", "Tunisia", "Algeria",
             "Morocco", "Haiti", "Jamaica", "Honduras", "Guatemala", "Nicaragua", "Panama", "Colombia", "Ecuador",
             "Peru", "Bolivia", "Paraguay", "Uruguay", "Nepal", "Bhutan", "Laos", "Cambodia", "Vietnam")
READY_TIMEOUT = 600.0


def make_corpus(folder: Path, reports: int) -> str:
    source = "copies of the seed Mali report, country renamed (eval/synth/ not on this branch)"
    if folder.exists():  # --keep: a rerun measures the same corpus (and finds its index up to date)
        return source
    folder.mkdir(parents=True)
    shutil.copy(SEED, folder / SEED.name)
    shutil.copy(ARTICLE, folder / ARTICLE.name)
    text = SEED.read_text(encoding="utf-8")
    for i in range(reports - 1):
        country = COUNTRIES[i % len(COUNTRIES)]
        slug = f"usdol-2019-{country.lower()}-{i + 1:02d}"
        (folder / f"{slug}.txt").write_text(text.replace("Mali", country), encoding="utf-8")
    return source


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, {}


def time_serve(env: dict[str, str], index: Path) -> tuple[float, float, bool, str]:
    """Seconds to /healthz 200, seconds for one /ask, folder unchanged?, the answer's first line."""
    port = free_port()
    before = folder_digest(index)
    started = time.perf_counter()
    server = subprocess.Popen([QA, "serve", "--port", str(port), "--log-level", "warning"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ready = float("nan")
        while time.perf_counter() - started < READY_TIMEOUT and server.poll() is None:
            status, _ = get(f"http://127.0.0.1:{port}/healthz")
            if status == 200:
                ready = time.perf_counter() - started
                break
            time.sleep(0.05)
        asked = time.perf_counter()
        status, answer = get(f"http://127.0.0.1:{port}/ask", {"question": QUESTION})
        ask_s = time.perf_counter() - asked
        time.sleep(1.0)  # let the background hash check finish reading too
    finally:
        server.terminate()
        server.wait(30)
    first = (answer.get("answer") or f"HTTP {status}").splitlines()[0][:70]
    return ready, ask_s, folder_digest(index) == before, first


def time_cold_ask(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([QA, "ask", "--local", QUESTION], env=env, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def time_model_load(env: dict[str, str]) -> float:
    code = ("import time; t=time.perf_counter(); from qa.config import Settings; from qa.index.embed import "
            "make_embedder; make_embedder(Settings()).load(); print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    return float(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else float("nan")


def time_split(env: dict[str, str]) -> tuple[float, float]:
    """In one new process: seconds to import and load the model, then seconds for ``Assistant.load``
    (index, documents, answer units; the model is then already in memory)."""
    code = ("import time; t=time.perf_counter(); from qa.config import Settings; from qa.index.embed import "
            "make_embedder; make_embedder(Settings()).load(); m=time.perf_counter()-t; t=time.perf_counter(); "
            "from qa.assistant import Assistant; Assistant(Settings()).load(); print(m, time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return float("nan"), float("nan")
    model, rest = out.stdout.split()[-2:]
    return float(model), float(rest)


def run_size(reports: int, workdir: Path, base_env: dict[str, str]) -> dict[str, object]:
    corpus, index_dir = workdir / f"corpus-{reports}", workdir / f"index-{reports}"
    source = make_corpus(corpus, reports)
    env = {**base_env, "QA_CORPUS_DIR": str(corpus), "QA_INDEX_DIR": str(index_dir)}
    started = time.perf_counter()
    build = subprocess.run([QA, "index", "build"], env=env, capture_output=True, text=True, check=False)
    build_s = time.perf_counter() - started
    if build.returncode != 0:
        return {"reports": reports, "error": build.stderr.strip().splitlines()[-1:]}
    index = index_dir / "default"
    manifest = json.loads((index / "manifest.json").read_text())
    size = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
    ready, ask_s, unchanged, first = time_serve(env, index)
    cold = time_cold_ask(env)
    model_s, load_s = time_split(env)
    return {"reports": reports, "documents": len(manifest["documents"]), "chunks": manifest["chunks"],
            "units": (manifest.get("answer_units") or {}).get("count", 0), "index_mb": round(size / 1e6, 1),
            "build_s": round(build_s, 1), "serve_ready_s": round(ready, 2), "first_ask_s": round(ask_s, 2),
            "cold_ask_local_s": round(cold, 2), "model_load_s": round(model_s, 2),
            "assistant_load_after_model_s": round(load_s, 2), "folder_unchanged": unchanged, "answer": first, "reports_from": source}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,12,50")
    parser.add_argument("--embedder", default="sentence-transformers", choices=["sentence-transformers", "fake"])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    base_env = {**os.environ, **OFFLINE,
                "QA_EMBEDDER": args.embedder, "QA_SERVER_URL": f"http://127.0.0.1:{free_port()}"}
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="qa-ready-"))
    try:
        print(f"embedder {args.embedder}; model load alone: {time_model_load(base_env):.2f} s", flush=True)
        rows = []
        for size in (int(s) for s in args.sizes.split(",")):
            row = run_size(size, workdir, base_env)
            rows.append(row)
            print(json.dumps(row), flush=True)
        print("\n| reports | chunks | index on disk | build | `qa serve` ready | cold `qa ask --local` "
              "| of which model load | index load after the model | folder unchanged |")
        print("|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            if "error" in r:
                print(f"| {r['reports']} | build failed: {r['error']} |")
                continue
            print(f"| {r['reports']} | {r['chunks']} | {r['index_mb']} MB | {r['build_s']} s | {r['serve_ready_s']} s "
                  f"| {r['cold_ask_local_s']} s | {r['model_load_s']} s | {r['assistant_load_after_model_s']} s "
                  f"| {'yes' if r['folder_unchanged'] else 'NO'} |")
        print(f"\nreports: {rows[0].get('reports_from', '?')}")
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
