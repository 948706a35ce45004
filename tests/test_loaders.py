"""Loaders, seen through a real index: every supported kind of file is indexed and cited at the
right place with its metadata, and every bad file is reported by name while the rest is indexed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers_core import csv_row, indexed_text, lines_text, make_pdf, squash

from clusterqa import BuildReport, ClusterQA

HARBOUR = """\
Harbour Report

The Quillon harbour handled nine million containers in 2019.
Its cranes were built by Ostrava Heavy Works.

The harbour master, Dr. Elna Voss, retired in 2021 after thirty years.
"""

CATALOG = """\
["harbour.txt"]
title = "Quillon Harbour Annual Report"
publisher = "Quillon Port Authority"
year = 2020
url = "https://example.org/quillon"
"""

PORTS = """\
port,country,containers_2019,cranes,notes_url,link
Quillon,Freedonia,9000000,42,https://example.org/q,https://ports.example/q
Brask,Sylvania,,17,,https://ports.example/b
Ondo,Ruritania,120000,0,https://example.org/o,https://ports.example/o
"""

MUSEUM = """\
<!doctype html>
<html><head><title>Museum of Lanterns</title>
<style>.x { color: red } body { font-family: stylefontzzz }</style>
<script>var secretToken = "xyzzyscript"; document.write("scriptwritten");</script>
</head>
<body><h1>Lantern hall</h1>
<p>The Museum of Lanterns in Kaunas holds 3,000 paper lanterns.</p>
<script>console.log("bodyscriptqqq")</script>
<noscript>noscriptzzz</noscript>
<p>Entry to the lantern hall is free on Sundays.</p>
</body></html>
"""

SURVEY_PAGES = [
    ["Widget output in Ghent rose sharply in 2021.", "The Ghent plant makes brass gizmos."],
    ["The zorblax yield at the Ghent plant was 42 tonnes in 2022."],
]

BAD_FILES: dict[str, tuple[bytes, str]] = {
    # name: (content, a word the reason must contain)
    "empty.txt": (b"", "empty"),
    "blank.md": (b"   \n\t\n  \n", "empty"),
    "binary.txt": (b"abc\x00\x01\x02\x03def" * 10, "binary"),
    "latin1.txt": ("Caf\u00e9 prices in Z\u00fcrich rose.".encode("latin-1"), "UTF-8"),
    "ragged.csv": (b"a,b,c\n1,2,3\n4,5\n", "row 2"),
    "unterminated.csv": (b'a,b\n1,"two\n3,4\n', "malformed"),
    "header_only.csv": (b"a,b,c\n", "no rows"),
    "photo.png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "unsupported"),
    "broken.pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog", "PDF"),
    "scripts_only.html": (b"<html><script>alert('hi')</script></html>", "no readable text"),
    "dupe_header.csv": (b"a,a\n1,2\n", "repeated"),
}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[ClusterQA, BuildReport, Path]:
    """One index over every kind of good file and every kind of bad one."""
    root = tmp_path_factory.mktemp("mixed")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (corpus / "sources.toml").write_text(CATALOG, encoding="utf-8")
    (corpus / "notes.md").write_text(
        "# Falcon Engine Notes\n\nThe Falcon engine burns kerosene at 900 degrees.\n",
        encoding="utf-8")
    (corpus / "plain_field_notes.md").write_text(
        "The marsh orchids bloom in late May near Tartu.\n", encoding="utf-8")
    (corpus / "ports.csv").write_text(PORTS, encoding="utf-8")
    (corpus / "museum.html").write_text(MUSEUM, encoding="utf-8")
    (corpus / "survey.pdf").write_bytes(make_pdf(SURVEY_PAGES, title="Widget Survey"))
    (corpus / "archive").mkdir()
    (corpus / "archive" / "ledger.txt").write_text(
        "The Brask ledger of 1902 lists eleven copper barges.\n", encoding="utf-8")
    (corpus / ".draft.txt").write_text("A hidden draft about copper barges.\n",
                                       encoding="utf-8")
    for name, (content, _) in BAD_FILES.items():
        (corpus / name).write_bytes(content)
    qa = ClusterQA(corpus_dir=corpus, index_dir=root / "index")
    return qa, qa.build_index(), corpus


def cited(qa: ClusterQA, question: str, source: str):  # type: ignore[no-untyped-def]
    ans = qa.ask(question)
    assert not ans.abstained, (question, ans.text)
    found = [c for c in ans.citations if c.source == source]
    assert found, (question, [c.source for c in ans.citations])
    return ans, found[0]


# --- every good file indexed, every bad one reported --------------------------------------

def test_bad_files_are_reported_by_name_with_the_reason(mixed) -> None:
    _, report, _ = mixed
    reasons = {s.path: s.reason for s in report.skipped}
    for name, (_, word) in BAD_FILES.items():
        assert name in reasons, f"{name} not reported: {reasons}"
        assert word.lower() in reasons[name].lower(), (name, reasons[name])


def test_the_rest_of_the_corpus_is_indexed(mixed) -> None:
    qa, report, _ = mixed
    good = {"harbour.txt", "notes.md", "plain_field_notes.md", "ports.csv", "museum.html",
            "survey.pdf", "archive/ledger.txt"}
    assert set(report.added) == good
    assert {s.path for s in qa.sources()} == good
    assert "Skipped empty.txt" in report.summary()
    assert ".draft.txt" not in report.summary()  # hidden files are not sources


def test_a_file_in_a_subfolder_is_cited_by_its_relative_path(mixed) -> None:
    qa, _, corpus = mixed
    _, c = cited(qa, "How many copper barges does the Brask ledger of 1902 list?",
                 "archive/ledger.txt")
    assert c.location == "line 1"
    assert c.quote in lines_text(corpus / c.source, 1, 1)
    assert "hidden draft" not in indexed_text(qa.settings.index_dir)


# --- text and Markdown ---------------------------------------------------------------------

def test_text_citation_names_the_right_line_and_catalog_metadata(mixed) -> None:
    qa, _, corpus = mixed
    _, c = cited(qa, "Who built the cranes of the Quillon harbour?", "harbour.txt")
    assert c.quote == "Its cranes were built by Ostrava Heavy Works."
    assert c.location == "line 4"
    assert c.locator.kind == "lines" and c.locator.start == c.locator.end == 4
    assert c.quote in lines_text(corpus / "harbour.txt", 4, 4)
    assert (c.title, c.publisher, c.year, c.url) == (
        "Quillon Harbour Annual Report", "Quillon Port Authority", 2020,
        "https://example.org/quillon")
    assert c.kind == "text"


def test_abbreviations_stay_inside_the_quoted_sentence(mixed) -> None:
    qa, _, _ = mixed
    _, c = cited(qa, "When did the harbour master Elna Voss retire?", "harbour.txt")
    assert c.quote == "The harbour master, Dr. Elna Voss, retired in 2021 after thirty years."
    assert c.location == "line 6"


def test_markdown_title_is_its_first_heading(mixed) -> None:
    qa, _, _ = mixed
    titles = {s.path: s.title for s in qa.sources()}
    assert titles["notes.md"] == "Falcon Engine Notes"
    _, c = cited(qa, "At what temperature does the Falcon engine burn kerosene?", "notes.md")
    assert c.title == "Falcon Engine Notes"
    assert c.location == "line 3"
    assert (c.url, c.publisher, c.year) == (None, None, None)


def test_a_file_with_no_heading_is_titled_from_its_name(mixed) -> None:
    qa, _, _ = mixed
    titles = {s.path: s.title for s in qa.sources()}
    assert titles["plain_field_notes.md"] == "Plain field notes"


# --- CSV -----------------------------------------------------------------------------------

def test_csv_row_is_one_cited_sentence_naming_table_and_columns(mixed) -> None:
    qa, _, corpus = mixed
    _, c = cited(qa, "How many cranes does the port of Brask have?", "ports.csv")
    assert c.kind == "table"
    assert c.location == "row 2" and c.locator.kind == "row" and c.locator.start == 2
    assert c.quote.startswith("Ports, row 2:")
    assert "port: Brask" in c.quote and "country: Sylvania" in c.quote and "cranes: 17" in c.quote
    row = csv_row(corpus / "ports.csv", 2)
    assert c.table is not None
    assert dict(zip(c.table.header, c.table.values, strict=True)) == row


def test_csv_empty_cells_are_left_out_not_shown_as_zero(mixed) -> None:
    qa, _, _ = mixed
    _, c = cited(qa, "How many cranes does the port of Brask have?", "ports.csv")
    assert "containers" not in c.quote  # the empty containers_2019 cell of Brask
    assert ": 0" not in c.quote and ";;" not in c.quote


def test_csv_real_zero_is_kept(mixed) -> None:
    qa, _, _ = mixed
    text = indexed_text(qa.settings.index_dir)
    assert "Ports, row 3: port: Ondo; country: Ruritania; containers 2019: 120000; cranes: 0." \
        in text


def test_csv_url_columns_are_metadata_not_text(mixed) -> None:
    qa, _, _ = mixed
    _, c = cited(qa, "How many cranes does the port of Brask have?", "ports.csv")
    assert c.url == "https://ports.example/b"  # the empty notes_url cell adds nothing
    assert "http" not in c.quote and "link" not in c.quote and "notes url" not in c.quote
    assert "http" not in indexed_text(qa.settings.index_dir)
    _, ondo = cited(qa, "In which country is the port of Ondo?", "ports.csv")
    assert ondo.location == "row 3"
    assert "https://example.org/o" in (ondo.url or "")  # both URL columns of the row
    assert "https://ports.example/o" in (ondo.url or "")


# --- PDF -----------------------------------------------------------------------------------

def test_hand_written_pdf_is_valid() -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(make_pdf(SURVEY_PAGES, title="Widget Survey")))
    assert len(reader.pages) == 2
    assert "zorblax yield" in reader.pages[1].extract_text()
    assert "zorblax" not in reader.pages[0].extract_text()


def test_pdf_citation_names_the_page(mixed) -> None:
    qa, _, _ = mixed
    _, c = cited(qa, "What was the zorblax yield at the Ghent plant?", "survey.pdf")
    assert c.kind == "pdf"
    assert c.location == "page 2" and c.locator.kind == "page" and c.locator.start == 2
    assert c.quote == "The zorblax yield at the Ghent plant was 42 tonnes in 2022."
    assert c.title == "Widget Survey"
    _, c1 = cited(qa, "What does the Ghent plant make?", "survey.pdf")
    assert c1.location == "page 1"


CORPORA = Path(__file__).parent / "data" / "corpora"


def _pdf_rows(rel: str) -> list:
    from clusterqa.loaders import load

    path = CORPORA / rel
    return [b for b in load(path, path.name).blocks if b.role == "row"]


def test_pdf_table_rows_keep_their_columns() -> None:
    """Plain PDF text runs a table's header into one line; its rows come back cell by cell,
    each header over its column, the caption naming the table."""
    rows = _pdf_rows("atlas/atlas_phase_one_evaluation_2025.pdf")
    assert len(rows) == 6 and rows[0].locator.start == 2
    row = dict(zip(rows[3].table.header, rows[3].table.values, strict=True))
    assert row["Year"] == "2023" and row["Participating firms"] == "517"
    assert row["Grants committed (EUR m)"] == "8.5" and row["Jobs created"] == "331"
    assert rows[3].text.startswith("Table 1: Atlas Clusters Programme outputs by year")


def test_pdf_table_given_a_cell_to_a_line_and_headers_run_together() -> None:
    rows = _pdf_rows("dossier/district_investment_memo_2025.pdf")
    assert [r.table.values[0] for r in rows] == ["Lindmark District",
                                                 "Oskarbrook Innovation District", "Pelliser Gate"]
    assert rows[1].table.header == ["District", "Lab space (m²)", "Lab occupancy",
                                    "Proposed commitment (€ m)", "Target yield"]
    assert rows[1].table.values[2] == "88%" and rows[1].table.values[4] == "6.8%"


# --- HTML ----------------------------------------------------------------------------------

def test_html_visible_text_is_indexed_with_its_title(mixed) -> None:
    qa, _, _ = mixed
    _, c = cited(qa, "How many paper lanterns does the museum in Kaunas hold?", "museum.html")
    assert c.kind == "html"
    assert c.title == "Museum of Lanterns"
    assert c.quote == "The Museum of Lanterns in Kaunas holds 3,000 paper lanterns."


def test_html_script_and_style_are_never_indexed(mixed) -> None:
    qa, _, _ = mixed
    text = indexed_text(qa.settings.index_dir)
    assert "paper lanterns" in text
    for hidden in ("xyzzyscript", "scriptwritten", "bodyscriptqqq", "secretToken",
                   "stylefontzzz", "color: red", "noscriptzzz"):
        assert hidden not in text, hidden
    for p in qa.retrieve("xyzzyscript secretToken bodyscriptqqq", mode="keyword", top_k=10):
        assert "xyzzy" not in p.text


# --- metadata file problems and size limits -------------------------------------------------

def test_broken_catalog_is_reported_and_the_build_goes_on(workspace) -> None:
    corpus, _, make = workspace
    (corpus / "sources.toml").write_text('["kiln_notes.txt"]\ntitle = "unterminated\n',
                                         encoding="utf-8")
    (corpus / "kiln_notes.txt").write_text("The Varno kiln fires porcelain at 1300 degrees.\n",
                                           encoding="utf-8")
    qa = make()
    report = qa.build_index()
    reasons = {s.path: s.reason for s in report.skipped}
    assert "sources.toml" in reasons
    assert "fix the file" in reasons["sources.toml"]
    assert report.added == ["kiln_notes.txt"]
    assert [(s.path, s.title) for s in qa.sources()] == [("kiln_notes.txt", "Kiln notes")]


def test_catalog_with_an_unknown_key_is_reported(workspace) -> None:
    corpus, _, make = workspace
    (corpus / "sources.toml").write_text('["a.txt"]\nauthor = "Someone"\n', encoding="utf-8")
    (corpus / "a.txt").write_text("The Varno kiln fires porcelain at 1300 degrees.\n",
                                  encoding="utf-8")
    report = make().build_index()
    assert [s.path for s in report.skipped] == ["sources.toml"]
    assert "author" in report.skipped[0].reason
    assert report.added == ["a.txt"]


def test_file_over_the_size_limit_is_reported_and_the_rest_indexed(workspace) -> None:
    corpus, _, make = workspace
    (corpus / "big.txt").write_text("The Orsk apiary keeps mountain bees. " * 100,
                                    encoding="utf-8")
    (corpus / "small.txt").write_text("The Varno kiln fires porcelain at 1300 degrees.\n",
                                      encoding="utf-8")
    qa = make(max_file_mb=0.001)
    report = qa.build_index()
    reasons = {s.path: s.reason for s in report.skipped}
    assert set(reasons) == {"big.txt"}
    assert "limit" in reasons["big.txt"] and "MAX_FILE_MB" in reasons["big.txt"]
    assert report.added == ["small.txt"]
    assert "apiary" not in indexed_text(qa.settings.index_dir)


def test_size_limit_message_names_the_configured_limit(workspace) -> None:
    corpus, _, make = workspace
    (corpus / "big.txt").write_text("The Orsk apiary keeps mountain bees. " * 100,
                                    encoding="utf-8")
    (corpus / "small.txt").write_text("The Varno kiln fires porcelain.\n", encoding="utf-8")
    report = make(max_file_mb=0.001).build_index()
    assert "0.001 MiB" in report.skipped[0].reason


def test_quotes_are_text_of_their_file(mixed) -> None:
    """Whatever the answer, a text quote is a sentence of the cited lines of the file."""
    qa, _, corpus = mixed
    for question in ("Who built the cranes of the Quillon harbour?",
                     "How many containers did the Quillon harbour handle?"):
        for c in qa.ask(question).citations:
            if c.kind == "text":
                assert squash(c.quote) in lines_text(corpus / c.source, c.locator.start,
                                                     c.locator.end)
