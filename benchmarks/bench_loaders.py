"""Loader and chunker cost per MB, and how much of a build is spent outside the model.

Generates text, Markdown, HTML and CSV files of 1, 5 and 20 MiB (short paragraphs, headings,
lists, one very long line, table rows), then times ``load`` + ``chunk_document`` on each in a
child process of its own (so its peak memory is its own, and a case that runs away is stopped
at ``--loader-timeout``). Embedding is not run on 20 MiB (it would take hours on two cores): its
cost per MB is measured on a sample of the 1 MiB file's texts and scaled by each file's count.

    .venv/bin/python benchmarks/bench.py --only loaders
"""

from __future__ import annotations

import multiprocessing as mp
import random
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MIB = 2**20
SIZES = (1, 5, 20)
FORMATS = ("txt", "md", "longline.txt", "html", "csv")
_WORDS = ("cluster patent filings science output venture capital region innovation hub "
          "university research firms network rank growth share economy talent").split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 16))]
    return " ".join(words).capitalize() + f" in {rng.randint(1990, 2024)}."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))


def _pieces(fmt: str, rng: random.Random) -> Callable[[int], str]:
    """A function giving the n-th piece of a file of this format."""
    if fmt == "txt":
        return lambda n: (f"Section {n} On Innovation Clusters\n\n" if n % 40 == 0 else
                          f"- {_sentence(rng)}\n" if n % 7 == 0 else f"{_paragraph(rng)}\n\n")
    if fmt == "md":
        return lambda n: (f"## Section {n}\n\n" if n % 40 == 0 else
                          f"{n % 9 + 1}. {_sentence(rng)}\n" if n % 7 == 0 else
                          # hard-wrapped paragraphs: many lines per block
                          "\n".join(_sentence(rng) for _ in range(3)) + "\n\n")
    if fmt == "longline.txt":
        return lambda n: _sentence(rng) + " "
    if fmt == "html":
        return lambda n: (f"<h2>Section {n}</h2>\n" if n % 40 == 0 else
                          f"<li>{_sentence(rng)}</li>\n" if n % 7 == 0 else
                          f"<p>{_paragraph(rng)}</p>\n")
    return lambda n: (f"{n},Cluster {n},{rng.choice(_WORDS)},{rng.randint(1, 10**5)},"
                      f"{rng.random():.3f},https://example.org/c/{n}\n")


def make_file(folder: Path, fmt: str, mib: int) -> Path:
    """A deterministic file of about ``mib`` MiB."""
    rng = random.Random(f"{fmt}-{mib}")
    path = folder / f"bench-{mib}mb.{fmt}"
    piece = _pieces(fmt, rng)
    parts = ["<html><head><title>Clusters</title></head><body>\n"] if fmt == "html" else (
        ["id,cluster,field,filings,share,url\n"] if fmt == "csv" else [])
    size, n = sum(map(len, parts)), 0
    while size < mib * MIB:
        parts.append(piece(n))
        size += len(parts[-1])
        n += 1
    if fmt == "html":
        parts.append("</body></html>\n")
    path.write_text("".join(parts), encoding="utf-8")
    return path


def _measure(path: str, queue: Any) -> None:
    from clusterqa.chunking import chunk_document, embed_text
    from clusterqa.loaders import load

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    doc = load(Path(path), Path(path).name, max_mb=0)
    loaded = time.perf_counter()
    sents, chunks = chunk_document(doc, 700, 1)
    done = time.perf_counter()
    texts = len({embed_text(c) for c in chunks} | {s.text for s in sents})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"load": loaded - start, "chunk": done - loaded, "texts": texts,
               "peak_mb": (peak - base) / 1024,
               "sample": [embed_text(c) for c in chunks[:64]] + [s.text for s in sents[:192]]})


def measure(path: Path, timeout: float) -> dict[str, Any] | None:
    """Load + chunk one file in a child process; None when it runs past ``timeout``."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_measure, args=(str(path), queue))
    child.start()
    try:
        result: dict[str, Any] = queue.get(timeout=timeout)
    except Exception:  # queue.Empty: it ran away
        child.kill()
        child.join()
        return None
    child.join()
    return result


def embed_seconds_per_text(sample: list[str]) -> float:
    """Model cost of one text, measured on a sample as a build embeds them (batches of 64)."""
    from clusterqa.embedding import get_embedder

    embedder = get_embedder("")
    embedder.encode(sample[:16])
    start = time.perf_counter()
    embedder.encode(sample, batch_size=64)
    return (time.perf_counter() - start) / len(sample)


def run(folder: Path, timeout: float, log: Callable[[str], None]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    per_text = None
    for fmt in FORMATS:
        for mib in SIZES:
            path = make_file(folder, fmt, mib)
            real_mib = path.stat().st_size / MIB
            got = measure(path, timeout)
            path.unlink()
            if got is None:
                log(f"loaders: {fmt} {mib} MiB: over {timeout:.0f} s, stopped")
                rows.append({"format": fmt, "mib": mib, "timeout": timeout})
                continue
            if per_text is None:
                per_text = embed_seconds_per_text(got["sample"])
            seconds = got["load"] + got["chunk"]
            embed = got["texts"] * per_text
            rows.append({"format": fmt, "mib": mib, "s_per_mb": seconds / real_mib,
                         "load_s": got["load"], "chunk_s": got["chunk"], "texts": got["texts"],
                         "peak_mb": got["peak_mb"], "embed_s_est": embed,
                         "outside_model": seconds / (seconds + embed)})
            log(f"loaders: {fmt} {mib} MiB: {seconds / real_mib:.2f} s/MB, "
                f"peak +{got['peak_mb']:.0f} MB")
    return {"rows": rows, "embed_s_per_text": per_text}


def render(result: dict[str, Any]) -> str:
    out = ["", "Loaders + chunking (seconds per MiB; embedding estimated from a sample)",
           f"{'format':14s} {'MiB':>4s} {'s/MiB':>7s} {'load s':>7s} {'chunk s':>7s} "
           f"{'peak MB':>8s} {'texts':>7s} {'embed s':>8s} {'outside model':>13s}"]
    for r in result["rows"]:
        if "timeout" in r:
            out.append(f"{r['format']:14s} {r['mib']:4d}  over {r['timeout']:.0f} s (stopped)")
            continue
        out.append(f"{r['format']:14s} {r['mib']:4d} {r['s_per_mb']:7.3f} {r['load_s']:7.2f} "
                   f"{r['chunk_s']:7.2f} {r['peak_mb']:8.0f} {r['texts']:7d} "
                   f"{r['embed_s_est']:8.0f} {r['outside_model']:12.1%}")
    return "\n".join(out)
