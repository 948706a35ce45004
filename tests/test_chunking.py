"""Chunking: a real sentence splitter, bounded chunks with overlap, and locations that point at
the right line. Property tests generate documents and check that no sentence is lost."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from clusterqa.chunking import chunk_document, split_sentences
from clusterqa.loaders import load

PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Plain words only: no abbreviations, numbers or bullets, so the generated sentence boundaries
# are the true ones and any difference is the chunker's doing.
WORDS = ("river harbour engine copper market valley signal garden bridge tower planet forest "
         "silver museum lantern orchard granite meadow falcon beacon cinder walnut glacier "
         "pepper violet thunder marble canyon ribbon saddle quarry tunnel").split()

sentence = st.builds(
    lambda first, rest: " ".join([first.capitalize(), *rest]) + ".",
    st.sampled_from(WORDS),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=70),
)
paragraph = st.lists(sentence, min_size=1, max_size=6)
section = st.tuples(st.booleans(), st.lists(paragraph, min_size=1, max_size=4))
document = st.lists(section, min_size=1, max_size=3)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("chunking")


def render(doc: list[tuple[bool, list[list[str]]]], wrap: int | None = None) -> str:
    """Markdown text of generated sections: an optional heading, then paragraphs, one per line
    (or hard-wrapped at ``wrap`` columns, as many plain-text files are)."""
    out: list[str] = []
    for n, (has_heading, paras) in enumerate(doc, start=1):
        if has_heading:
            out += [f"## Section {n}", ""]
        for para in paras:
            body = " ".join(para)
            out += (textwrap.wrap(body, wrap) if wrap else [body]) + [""]
    return "\n".join(out)


def chunked(scratch: Path, text: str, max_chars: int = 700, overlap: int = 1):
    path = scratch / "doc.md"
    path.write_text(text, encoding="utf-8")
    return chunk_document(load(path, "doc.md"), max_chars, overlap)


def all_sentences(doc: list[tuple[bool, list[list[str]]]]) -> list[str]:
    return [s for _, paras in doc for para in paras for s in para]


# --- the splitter ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("The U.S. economy grew fast, e.g. in software, and Dr. Smith agreed. Exports fell.",
     ["The U.S. economy grew fast, e.g. in software, and Dr. Smith agreed.", "Exports fell."]),
    ("See item No. 3 on the list. It is short.", ["See item No. 3 on the list.", "It is short."]),
    ("Dr. Ito met Mr. Lee at 5 p.m. on Friday. They talked.",
     ["Dr. Ito met Mr. Lee at 5 p.m. on Friday.", "They talked."]),
    ("Growth was 3.5 percent in the U.S. and Japan. Then it fell.",
     ["Growth was 3.5 percent in the U.S. and Japan.", "Then it fell."]),
])
def test_abbreviations_do_not_end_sentences(text: str, expected: list[str]) -> None:
    assert [s for _, s in split_sentences(text)] == expected


def test_split_offsets_point_at_each_sentence() -> None:
    text = "First one here.  Second, e.g. this one.\nThird!"
    for start, s in split_sentences(text):
        assert text[start:start + len(s)] == s


def test_chunks_of_a_file_keep_abbreviations_whole(scratch: Path) -> None:
    sents, chunks = chunked(scratch, "The U.S. leads, e.g. in patents. Seoul is No. 3 in Asia.\n")
    assert [s.text for s in sents] == ["The U.S. leads, e.g. in patents.",
                                       "Seoul is No. 3 in Asia."]
    assert chunks[0].text == "The U.S. leads, e.g. in patents. Seoul is No. 3 in Asia."


# --- properties over generated documents ----------------------------------------------------

@PROPERTY
@given(doc=document, max_chars=st.integers(100, 400), overlap=st.integers(0, 3))
def test_no_sentence_is_lost_and_order_is_kept(scratch: Path, doc, max_chars: int,
                                               overlap: int) -> None:
    sents, chunks = chunked(scratch, render(doc), max_chars, overlap)
    assert [s.text for s in sents] == all_sentences(doc)
    first_seen: list[int] = []
    for c in chunks:
        assert c.sentence_ids == sorted(c.sentence_ids)
        assert c.text == " ".join(sents[i].text for i in c.sentence_ids)
        first_seen += [i for i in c.sentence_ids if i not in first_seen]
    assert first_seen == list(range(len(sents)))


@PROPERTY
@given(doc=document, max_chars=st.integers(100, 400), overlap=st.integers(0, 3))
def test_chunks_respect_the_size_limit(scratch: Path, doc, max_chars: int, overlap: int) -> None:
    _, chunks = chunked(scratch, render(doc), max_chars, overlap)
    for c in chunks:
        assert len(c.text) <= max_chars or len(c.sentence_ids) == 1, c.text


@PROPERTY
@given(doc=document, max_chars=st.integers(100, 400), overlap=st.integers(0, 3))
def test_overlap_repeats_the_configured_number_of_sentences(scratch: Path, doc, max_chars: int,
                                                            overlap: int) -> None:
    sents, chunks = chunked(scratch, render(doc), max_chars, overlap)
    for a, b in zip(chunks, chunks[1:], strict=False):
        shared = [i for i in b.sentence_ids if i in a.sentence_ids]
        if a.heading != b.heading:
            assert shared == []  # a chunk never carries sentences over a heading
            continue
        assert len(shared) <= overlap
        assert shared == a.sentence_ids[len(a.sentence_ids) - len(shared):]
        assert b.sentence_ids[:len(shared)] == shared
        assert len(b.sentence_ids) > len(shared)  # every chunk brings something new
        wanted = a.sentence_ids[-overlap:] if overlap else []
        fits = sum(len(sents[i].text) + 1 for i in wanted) \
            + len(sents[b.sentence_ids[len(shared)]].text) <= max_chars
        if len(a.sentence_ids) >= overlap and fits:
            assert len(shared) == overlap


@PROPERTY
@given(doc=document)
def test_each_sentence_points_at_the_line_that_holds_it(scratch: Path, doc) -> None:
    text = render(doc)
    lines = text.splitlines()
    sents, chunks = chunked(scratch, text)
    for s in sents:
        assert s.locator.kind == "lines"
        assert s.text in lines[s.locator.start - 1]
    for c in chunks:
        span = " ".join(lines[c.locator.start - 1:c.locator.end])
        assert all(sents[i].text in span for i in c.sentence_ids)


# Wrapped at 50 columns, the first line reads "Planet lantern river silver lantern. Glacier":
# a whole sentence and the start of the next, which must not be taken for a heading.
WRAPPED_EXAMPLE = [(False, [["Planet lantern river silver lantern.",
                             "Glacier glacier saddle meadow river violet bridge museum canyon."]])]


@PROPERTY
@example(doc=WRAPPED_EXAMPLE)
@given(doc=document)
def test_hard_wrapped_paragraphs_lose_no_text(scratch: Path, doc) -> None:
    sents, _ = chunked(scratch, render(doc, wrap=50))
    assert [s.text for s in sents] == all_sentences(doc)


@PROPERTY
@example(doc=[(True, [["River harbour engine copper market valley signal garden bridge tower "
                       "planet forest silver museum lantern orchard granite meadow."]])])
@given(doc=document)
def test_a_sentence_over_several_lines_is_located_on_all_of_them(scratch: Path, doc) -> None:
    text = render(doc, wrap=50)
    lines = text.splitlines()
    sents, _ = chunked(scratch, text)
    for s in sents:
        assert s.text in " ".join(lines[s.locator.start - 1:s.locator.end])
