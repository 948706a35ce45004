"""Deterministic synthetic corpus for the speed benchmark: many articles plus large tables.

It exists to show how build, update and ask costs grow with corpus size, so it only has to look
like the real corpus (prose about clusters, tables of cluster figures), not be true. Same seed,
same files, byte for byte. Nothing here is committed; ``bench.py`` writes it to a temp dir.

    python benchmarks/gen_corpus.py /tmp/big --chunks 10000
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

SEED = 20240827

_SYLLABLES = [
    "var",
    "nol",
    "tes",
    "qua",
    "ri",
    "mon",
    "del",
    "ash",
    "bor",
    "ken",
    "lu",
    "sa",
    "tor",
    "vin",
    "ela",
    "dor",
    "fen",
    "gri",
    "hal",
    "ith",
    "jor",
    "kel",
    "mar",
    "nes",
    "ost",
    "pra",
    "ral",
    "sel",
    "tam",
    "ulm",
    "ves",
    "wen",
    "yar",
    "zel",
    "bri",
    "cas",
    "dun",
    "ern",
]
_ECONOMIES = [
    "Aldoria",
    "Brevania",
    "Castrel",
    "Dunmore Republic",
    "Eskaria",
    "Fennland",
    "Galvoria",
    "Hestria",
    "Iskandar Union",
    "Jorvik Federation",
    "Kaldora",
    "Lunestra",
    "Morvania",
    "Norrel",
    "Ostravia",
    "Pellucia",
]
_FIELDS = [
    "photonics",
    "battery chemistry",
    "genomics",
    "semiconductor packaging",
    "robotics",
    "quantum sensing",
    "medical imaging",
    "precision agriculture",
    "wind turbines",
    "machine translation",
    "biocatalysis",
    "satellite communications",
    "advanced ceramics",
    "vaccine platforms",
    "power electronics",
    "materials informatics",
    "microfluidics",
    "hydrogen electrolysis",
    "computer vision",
    "marine engineering",
]
_ORG_KINDS = ["University", "Institute of Technology", "Research Centre", "Polytechnic"]
_FIRM_SUFFIXES = ["Dynamics", "Systems", "Industries", "Labs", "Electric", "Holdings", "Works"]
_SECTIONS = [
    "Origins",
    "Research base",
    "Industry",
    "Funding and capital",
    "Talent",
    "Policy",
    "Outlook",
    "Collaboration",
    "Patents and publications",
]
_TEMPLATES = [
    "{cluster} ranked {rank} among synthetic clusters in {year}, up from {rank2} a year earlier.",
    "The cluster filed {pct} PCT applications in {year}, most of them in {field}.",
    "{org} published {pubs} scientific articles in {year}, a {growth}% change on the year before.",
    "Local firms such as {firm} lead patenting in {field}, followed by {firm2}.",
    "Venture investment in {cluster} reached {money} million in {year}, mostly for {field}.",
    "Researchers at {org} and engineers at {firm} share a testbed for {field}.",
    "Since {year2}, the regional government of {economy} has funded {count} new laboratories.",
    "About {count} doctoral students graduate each year, many of them in {field} or {field2}.",
    "Analysts note that {cluster} depends on {field}, which makes it exposed to {field2} prices.",
    "The share of {cluster} in all synthetic PCT filings was {share}% in {year}.",
    "Co-inventors from {economy} and {economy2} appear on {growth}% of its patent families.",
    "A new campus for {field} opened in {year}, hosted by {org} with support from {firm}.",
    "Critics say {cluster} owes more to {firm} than to public research, e.g. in {field}.",
    "In {year} the cluster counted {count} start-ups, No. {rank} among peers in {economy}.",
]


@dataclass(frozen=True)
class Cluster:
    name: str
    economy: str
    fields: tuple[str, ...]
    orgs: tuple[str, ...]
    firms: tuple[str, ...]


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def _clusters(rng: random.Random, n: int) -> list[Cluster]:
    seen: set[str] = set()
    out: list[Cluster] = []
    while len(out) < n:
        name = f"{_word(rng, 2)}–{_word(rng, 3)}"
        if name in seen:
            continue
        seen.add(name)
        city = name.split("–")[0]
        out.append(
            Cluster(
                name=name,
                economy=rng.choice(_ECONOMIES),
                fields=tuple(rng.sample(_FIELDS, 4)),
                orgs=tuple(f"{city} {rng.choice(_ORG_KINDS)}" for _ in range(2))
                + (f"{_word(rng, 2)} {rng.choice(_ORG_KINDS)}",),
                firms=tuple(f"{_word(rng, 2)} {rng.choice(_FIRM_SUFFIXES)}" for _ in range(3)),
            )
        )
    return out


def _sentence(rng: random.Random, c: Cluster) -> str:
    year = rng.randint(2015, 2024)
    return rng.choice(_TEMPLATES).format(
        cluster=c.name,
        rank=rng.randint(1, 100),
        rank2=rng.randint(1, 100),
        year=year,
        year2=year - rng.randint(3, 15),
        pct=rng.randint(200, 90000),
        pubs=rng.randint(500, 150000),
        growth=round(rng.uniform(-15, 40), 1),
        share=round(rng.uniform(0.1, 9.9), 1),
        money=rng.randint(5, 4000),
        count=rng.randint(3, 900),
        field=rng.choice(c.fields),
        field2=rng.choice(_FIELDS),
        org=rng.choice(c.orgs),
        firm=rng.choice(c.firms),
        firm2=rng.choice(c.firms),
        economy=c.economy,
        economy2=rng.choice(_ECONOMIES),
    )


def _article(rng: random.Random, c: Cluster, sentences: int) -> str:
    lines = [f"# The {c.name} innovation cluster", ""]
    left, part = sentences, 0
    while left > 0:
        part += 1
        for section in rng.sample(_SECTIONS, len(_SECTIONS)):
            if left <= 0:
                break
            lines += [f"## {section}" + (f" ({part})" if part > 1 else ""), ""]
            for _ in range(rng.randint(1, 3)):
                k = min(left, rng.randint(3, 7))
                if k <= 0:
                    break
                lines += [" ".join(_sentence(rng, c) for _ in range(k)), ""]
                left -= k
    return "\n".join(lines)


def _write_tables(rng: random.Random, out: Path, clusters: list[Cluster], rows: int) -> None:
    """Two tables, ~2/3 and ~1/3 of the rows; some cells left empty like the real tables."""
    metric_rows = rows * 2 // 3
    with (out / "synthetic_cluster_metrics.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "year",
                "rank",
                "cluster",
                "economy",
                "pct_applications",
                "scientific_publications",
                "share_of_total_pct",
                "top_patent_applicant",
                "top_science_organization",
                "source_url",
            ]
        )
        for i in range(metric_rows):
            c = clusters[i % len(clusters)]
            w.writerow(
                [
                    2010 + (i // len(clusters)) % 15,
                    i % 100 + 1,
                    c.name,
                    c.economy,
                    rng.randint(200, 90000),
                    "" if rng.random() < 0.1 else rng.randint(500, 150000),
                    round(rng.uniform(0.1, 9.9), 2),
                    rng.choice(c.firms),
                    "" if rng.random() < 0.2 else rng.choice(c.orgs),
                    f"https://example.org/synthetic/{i}",
                ]
            )
    with (out / "synthetic_cluster_fields.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "cluster",
                "field",
                "year",
                "patent_families",
                "publications",
                "growth_pct",
                "source_url",
            ]
        )
        for i in range(rows - metric_rows):
            c = clusters[(i * 7) % len(clusters)]
            w.writerow(
                [
                    c.name,
                    rng.choice(_FIELDS),
                    rng.randint(2015, 2024),
                    rng.randint(10, 20000),
                    rng.randint(10, 50000),
                    round(rng.uniform(-15, 40), 1),
                    f"https://example.org/synthetic/fields/{i}",
                ]
            )


def generate(
    out: Path, chunks: int = 10_000, seed: int = SEED, row_share: float = 0.8
) -> dict[str, int]:
    """Write ~``chunks`` chunks' worth of files into ``out``: ``row_share`` table rows, the
    rest prose. Mostly rows, like the shipped corpus (187 of its 197 chunks are rows); each
    prose chunk also brings ~5 sentences to embed, so prose sets most of the build time.

    Prose is sized at ~5.25 sentences per chunk (measured with 700-char chunks, one sentence
    of overlap, chunks not crossing headings); the bench reports the real chunk count from
    the build, so this only needs to be close.
    """
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    rows = round(chunks * row_share)
    prose_chunks = chunks - rows
    clusters = _clusters(rng, 120)
    articles = max(1, prose_chunks // 40)
    per_article = prose_chunks * 21 // 4 // articles
    for i in range(articles):
        c = clusters[i % len(clusters)]
        text = _article(rng, c, per_article)
        (out / f"article_{i:03d}.md").write_text(text + "\n", encoding="utf-8")
    _write_tables(rng, out, clusters, rows)
    return {"articles": articles, "sentences_per_article": per_article, "table_rows": rows}


def small_note(i: int, seed: int = SEED) -> str:
    """A short new .md source (a few sentences), different for each ``i``: the update case."""
    rng = random.Random(seed * 1000 + i)
    c = _clusters(rng, 1)[0]
    body = " ".join(_sentence(rng, c) for _ in range(5))
    return f"# Note {i}: {c.name}\n\n{body}\n"


_QUESTIONS = [
    "What rank did {cluster} have in {year}?",
    "How many PCT applications did {cluster} file in {year}?",
    "Which firm leads patenting in {field} in {cluster}?",
    "How much venture investment did {cluster} attract?",
    "Which university publishes the most in {cluster}?",
    "What is {cluster} known for?",
    "How many start-ups does {cluster} have?",
    "Which clusters in {economy} work on {field}?",
    "What share of synthetic PCT filings came from {cluster}?",
    "Who wrote War and Peace?",
]


def questions(n: int, seed: int = SEED) -> list[str]:
    """``n`` different questions about the generated clusters (and a few off-topic ones)."""
    clusters = _clusters(random.Random(seed), 120)
    rng = random.Random(seed + 1)
    out: list[str] = []
    while len(out) < n:
        c = rng.choice(clusters)
        q = rng.choice(_QUESTIONS).format(
            cluster=c.name,
            year=rng.randint(2015, 2024),
            field=rng.choice(c.fields),
            economy=c.economy,
        )
        if q not in out:
            out.append(q)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--chunks", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=SEED)
    a = p.parse_args()
    print(generate(a.out, a.chunks, a.seed))


if __name__ == "__main__":
    main()
