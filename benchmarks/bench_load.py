"""Many users at once: ``/ask`` throughput and latency of a real server on loopback.

Starts ``clusterqa serve`` on a free 127.0.0.1 port over a temp copy of the shipped corpus and
drives its HTTP API (``POST /gradio_api/call/ask``, then the reply's event stream) from N client
threads, for a bounded number of requests and seconds per level. The reference is the
single-process CPU limit: cores ÷ CPU seconds per answer, the CPU cost of one ``ask()`` measured
in this process (all its threads counted) on the same questions.

    .venv/bin/python benchmarks/bench.py --only load
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

LEVELS = (1, 10, 50)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_per_answer(corpus: Path, index: Path, questions: Sequence[str]) -> float:
    """CPU seconds (all threads of this process) per ``ask()``, warm, one at a time."""
    from clusterqa import ClusterQA

    qa = ClusterQA(corpus_dir=corpus, index_dir=index)
    qa.ensure_index()
    for q in questions[:5]:
        qa.ask(q)
    start = time.process_time()
    for q in questions:
        qa.ask(q)
    return (time.process_time() - start) / len(questions)


def _ask(client: Any, url: str, question: str) -> bool:
    posted = client.post(f"{url}gradio_api/call/ask", json={"data": [question, []]})
    event = posted.json()["event_id"]
    reply = client.get(f"{url}gradio_api/call/ask/{event}").text
    return "event: complete" in reply


def drive(url: str, clients: int, questions: Sequence[str], max_requests: int,
          max_seconds: float) -> dict[str, Any]:
    """``clients`` threads asking in a loop until ``max_requests`` or ``max_seconds``."""
    import httpx

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    issued = [0]
    deadline = time.monotonic() + max_seconds

    def worker(k: int) -> None:
        with httpx.Client(timeout=120) as client:
            while time.monotonic() < deadline:
                with lock:
                    if issued[0] >= max_requests:
                        return
                    n = issued[0]
                    issued[0] += 1
                t = time.perf_counter()
                ok = _ask(client, url, questions[(n + k) % len(questions)])
                with lock:
                    latencies.append(time.perf_counter() - t)
                    errors[0] += not ok

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    lat = sorted(latencies)
    return {"clients": clients, "answers": len(lat), "errors": errors[0], "seconds": wall,
            "answers_per_s": len(lat) / wall,
            "p50_s": statistics.median(lat) if lat else float("nan"),
            "p95_s": lat[int(0.95 * (len(lat) - 1))] if lat else float("nan")}


def _process_cpu(pid: int) -> float:
    """CPU seconds a process has used so far (user + system, all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_busy() -> tuple[float, float]:
    """Busy and total CPU time of the whole machine so far (every process, every core)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _wait_for(url: str, proc: subprocess.Popen[bytes], limit: float = 600) -> None:
    import httpx

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}gradio_api/info", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError("the server did not start")


def run(shipped: Path, folder: Path, questions: Sequence[str], max_requests: int,
        max_seconds: float, log: Callable[[str], None]) -> dict[str, Any]:
    corpus, index = folder / "corpus", folder / "index"
    shutil.copytree(shipped, corpus)
    cpu = cpu_per_answer(corpus, index, questions)
    cores = os.cpu_count() or 1
    limit = cores / cpu
    log(f"load: {cpu * 1000:.1f} ms CPU per answer -> limit {limit:.1f} answers/s on {cores} "
        "cores")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "clusterqa.cli", "--corpus", str(corpus), "--index", str(index),
         "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    levels = []
    try:
        _wait_for(url, proc)
        drive(url, 4, questions, 20, 60)  # warm the server
        for clients in LEVELS:
            cpu_before, client_before = _process_cpu(proc.pid), time.process_time()
            busy_before = _machine_busy()
            level = drive(url, clients, questions, max_requests, max_seconds)
            answers = max(level["answers"], 1)
            level["server_cpu_s_per_answer"] = (_process_cpu(proc.pid) - cpu_before) / answers
            level["client_cpu_s_per_answer"] = (time.process_time() - client_before) / answers
            busy, total = (a - b for a, b in zip(_machine_busy(), busy_before, strict=True))
            level["machine_busy"] = busy / total if total else float("nan")
            level["ratio"] = limit / level["answers_per_s"]
            levels.append(level)
            log(f"load: {clients} clients: {level['answers_per_s']:.1f} answers/s, "
                f"p50 {level['p50_s'] * 1000:.0f} ms, p95 {level['p95_s'] * 1000:.0f} ms, "
                f"{level['errors']} errors")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {"cpu_s_per_answer": cpu, "cores": cores, "limit_answers_per_s": limit,
            "levels": levels}


def render(result: dict[str, Any]) -> str:
    out = ["", f"/ask under load (loopback server; limit = {result['cores']} cores / "
           f"{result['cpu_s_per_answer'] * 1000:.1f} ms CPU per answer = "
           f"{result['limit_answers_per_s']:.1f} answers/s)",
           f"{'clients':>7s} {'answers':>7s} {'errors':>6s} {'answers/s':>9s} "
           f"{'limit/got':>9s} {'p50 ms':>7s} {'p95 ms':>7s} {'server ms CPU':>13s} "
           f"{'client ms CPU':>13s} {'machine busy':>12s}"]
    for r in result["levels"]:
        out.append(f"{r['clients']:7d} {r['answers']:7d} {r['errors']:6d} "
                   f"{r['answers_per_s']:9.1f} {r['ratio']:9.2f} {r['p50_s'] * 1000:7.0f} "
                   f"{r['p95_s'] * 1000:7.0f} "
                   f"{r['server_cpu_s_per_answer'] * 1000:13.1f} "
                   f"{r['client_cpu_s_per_answer'] * 1000:13.1f} {r['machine_busy']:12.0%}")
    out.append("server/client ms CPU: per answer, in the server's main process (HTTP and "
               "queue) and in this client; machine busy: all processes, all cores, while the "
               "level ran (other users of the machine included).")
    return "\n".join(out)


if __name__ == "__main__":  # a quick look: python benchmarks/bench_load.py
    import tempfile

    sys.path.insert(0, str(Path(__file__).parent))
    from bench import SHIPPED_QUESTIONS, log

    with tempfile.TemporaryDirectory() as tmp:
        print(render(run(Path(__file__).parents[1] / "corpus", Path(tmp), SHIPPED_QUESTIONS,
                         200, 60, log)))
