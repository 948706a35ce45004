"""Shared helpers for the core tests: a hand-written PDF, a located index reader, file lookups.

No mocks: these build real inputs (a valid PDF, files in a corpus folder) and read real outputs
(the generation on disk that a build wrote)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A minimal valid PDF: one Helvetica text stream per page, one ``Tj`` line per string.

    Lines of a page are 16 points apart; an empty string leaves a blank line (which text
    extraction shows as a paragraph break)."""
    objects: list[bytes] = []
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, lines in enumerate(pages):
        page_id, content_id = 3 + 2 * i, 4 + 2 * i
        ops = ["BT", "/F1 12 Tf", "16 TL", "72 720 Td"]
        for line in lines:
            ops.append(f"{_pdf_string(line)} Tj T*" if line else "T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        assert page_id + 1 == content_id
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    info_id = None
    if title is not None:
        objects.append(f"<< /Title {_pdf_string(title)} >>".encode("latin-1"))
        info_id = len(objects)

    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R"
    if info_id:
        trailer += f" /Info {info_id} 0 R"
    out += f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def generation_dir(index_dir: Path) -> Path:
    """The live generation folder the CURRENT pointer names."""
    return index_dir / (index_dir / "CURRENT").read_text(encoding="utf-8").strip()


def manifest(index_dir: Path) -> dict:
    return json.loads((generation_dir(index_dir) / "manifest.json").read_text(encoding="utf-8"))


def indexed_text(index_dir: Path) -> str:
    """Every stored chunk and sentence of the live generation, as one string."""
    gen = generation_dir(index_dir)
    parts = []
    for name in ("chunks.jsonl", "sentences.jsonl"):
        for line in (gen / name).read_text(encoding="utf-8").splitlines():
            parts.append(json.loads(line)["text"])
    return "\n".join(parts)


def partial_dirs(index_dir: Path) -> list[Path]:
    return sorted(index_dir.glob(".gen-*.partial"))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def lines_text(path: Path, start: int, end: int) -> str:
    """Lines ``start``..``end`` (1-based, inclusive) of a text file, joined by spaces."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return squash(" ".join(lines[start - 1:end]))


def csv_row(path: Path, number: int) -> dict[str, str]:
    """Data row ``number`` (1-based, header not counted) of a CSV file, as the file has it."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.reader(f) if any(c.strip() for c in r)]
    return dict(zip(rows[0], rows[number], strict=True))


def uncited_tail(text: str) -> str:
    """What follows the last [n] marker of an answer (a claim there carries no citation)."""
    return re.split(r"\[\d+\]", text)[-1]


MARKER = re.compile(r"\[(\d+)\]")
