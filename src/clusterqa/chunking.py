"""Chunking: documents into sentences and bounded, overlapping chunks that keep their location.

Sentences come from syntok, a rule-based splitter that keeps "U.S.", "e.g.", "No. 3" and
"Mr. Tang" inside their sentence and reports exact offsets (pysbd splits as well but is about
twenty times slower, and far slower still on some inputs). Chunks never cross a heading, so
each one reads as part of one section; a table row is always a chunk and a sentence of its own.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .loaders import _BULLET, Block, Document, TablePlace
from .models import Locator, TableRow


@dataclass
class Sentence:
    text: str
    locator: Locator
    role: str  # "prose", "item" or "row"
    heading: str = ""
    list_id: int | None = None  # items of one list share an id within their document
    list_pos: int | None = None  # 1-based position of the item in its list
    table: TableRow | None = None
    url: str | None = None
    in_table: TablePlace | None = None


@dataclass
class Chunk:
    heading: str
    sentence_ids: list[int]  # indices into the document's sentence list
    text: str
    locator: Locator


# syntok holds every token of the text it is given, so a paragraph of megabytes (a file with no
# line breaks) would cost gigabytes: long text is split in windows ending at a sentence end.
WINDOW_CHARS = 32_768
_SENTENCE_END = re.compile(r"[.!?][\"')\]\u201d\u2019]*\s+")


def _windows(text: str) -> Iterator[tuple[int, str]]:
    """``text`` in pieces of at most about WINDOW_CHARS, each with its start offset, cut after
    a sentence end where there is one (else at a space, else anywhere)."""
    start = 0
    while len(text) - start > WINDOW_CHARS:
        limit = start + WINDOW_CHARS
        cut = None
        for m in _SENTENCE_END.finditer(text, limit - WINDOW_CHARS // 4, limit):
            cut = m.end()
        if cut is None:
            space = text.rfind(" ", start + 1, limit)
            cut = space + 1 if space > start else limit
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Sentences of ``text`` with their start offsets, cut exactly from ``text``."""
    from syntok import segmenter

    out: list[tuple[int, str]] = []
    for base, window in _windows(text):
        for paragraph in segmenter.analyze(window):
            for sentence in paragraph:
                tokens = list(sentence)
                if tokens:
                    start = tokens[0].offset
                    end = tokens[-1].offset + len(tokens[-1].value)
                    out.append((base + start, window[start:end]))
    return out


def _line_of(block: Block, offset: int) -> int:
    return block.locator.start + max(bisect.bisect_right(block.line_offsets, offset) - 1, 0)


def _sentences_of(doc: Document) -> list[Sentence]:
    sentences: list[Sentence] = []
    heading, list_id, list_pos, prev_item = "", 0, 0, False
    for block in doc.blocks:
        if block.role == "heading":
            heading, prev_item = block.text, False
            continue
        if block.role == "row":
            sentences.append(Sentence(block.text, block.locator, "row", table=block.table,
                                      url=block.url, in_table=block.in_table))
            continue
        if block.role == "item":
            if not prev_item:
                list_id, list_pos = list_id + 1, 0
            list_pos += 1
            prev_item = True
        else:
            prev_item = False
        body = _BULLET.sub("", block.text, count=1) if block.role == "item" else block.text
        for k, (offset, text) in enumerate(split_sentences(body)):
            if block.locator.kind == "lines" and block.line_offsets:
                loc = Locator(kind="lines", start=_line_of(block, offset),
                              end=_line_of(block, offset + len(text) - 1))
            else:
                loc = block.locator
            is_item = block.role == "item"
            sentences.append(Sentence(
                text, loc, "item" if is_item else "prose", heading,
                list_id=list_id if is_item else None,
                list_pos=list_pos if is_item and k == 0 else None,
            ))
    return sentences


def chunk_document(doc: Document, max_chars: int, overlap: int) -> tuple[list[Sentence],
                                                                          list[Chunk]]:
    """Split a document into sentences and chunks of at most ``max_chars`` (one long sentence
    may exceed it), repeating ``overlap`` sentences between neighbouring chunks."""
    sentences = _sentences_of(doc)
    chunks: list[Chunk] = []
    current: list[int] = []

    def emit() -> None:
        if current:
            first, last = sentences[current[0]], sentences[current[-1]]
            if first.locator.kind == last.locator.kind:
                loc = Locator(kind=first.locator.kind, start=first.locator.start,
                              end=max(last.locator.end, first.locator.start))
            else:
                loc = first.locator
            chunks.append(Chunk(first.heading, list(current),
                                " ".join(sentences[i].text for i in current), loc))

    for i, s in enumerate(sentences):
        if s.role == "row":
            emit()
            current = [i]
            emit()
            current = []
            continue
        size = sum(len(sentences[j].text) + 1 for j in current)
        new_section = bool(current) and sentences[current[-1]].heading != s.heading
        if current and (new_section or size + len(s.text) > max_chars):
            emit()
            keep = [] if new_section or overlap == 0 else current[-overlap:]
            # Overlap must leave room for progress; drop it when it would fill the chunk.
            if sum(len(sentences[j].text) + 1 for j in keep) + len(s.text) > max_chars:
                keep = []
            current = keep
        current.append(i)
    emit()
    return sentences, chunks


def embed_text(chunk: Chunk) -> str:
    """What the embedder sees for a chunk: its section heading gives the sentences context."""
    return f"{chunk.heading}: {chunk.text}" if chunk.heading else chunk.text


_NUMBERING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+")


def sentence_embed_text(sentence: Sentence, title: str) -> str:
    """What the embedder sees for a sentence: the document's title and section heading before
    it, so "It is headed by Jane Roe" under "Aldervik Science Park" is about Aldervik when
    matched by meaning. A table row already names its table and thing."""
    if sentence.role == "row":
        return sentence.text
    heading = _NUMBERING.sub("", sentence.heading).strip()
    context = [c for c in (title.strip(), heading) if c]
    if len(context) == 2 and (context[1].lower() in context[0].lower()
                              or context[0].lower() in context[1].lower()):
        context = [max(context, key=len)]
    prefix = " \u2014 ".join(context)[:120]
    return f"{prefix}: {sentence.text}" if prefix else sentence.text


def clean_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
