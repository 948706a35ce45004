"""Tables inside documents join the engine: Markdown pipe tables, HTML tables and infoboxes are
computed over like CSV files, and each cited row opens where it stands in its file (the line
of a Markdown row, the paragraph of an HTML row, the paragraphs of an infobox).

``tests/data/tables_unit/harbour_cranes.md`` was written for these tests (two pipe tables under
their own headings, one with an empty cell, emphasis and a link); the HTML pages are the wiki
set's (``tests/data/corpora/wiki``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from clusterqa.loaders import load

DATA = Path(__file__).parent / "data"
CRANES = DATA / "tables_unit" / "harbour_cranes.md"
WIKI = DATA / "corpora" / "wiki"
OSTREVIK = "ostrevik_science_park.html"
VARNHOLT = "varnholt_science_city.html"


def test_a_pipe_table_gives_rows_located_on_their_lines() -> None:
    doc = load(CRANES, CRANES.name)
    rows = [b for b in doc.blocks if b.role == "row"]
    assert [b.locator.start for b in rows] == [10, 11, 12, 13, 21, 22, 23]
    lines = CRANES.read_text(encoding="utf-8").splitlines()
    assert all(b.table is not None and b.table.values[0] in lines[b.locator.start - 1]
               for b in rows)
    old_dock = rows[2]
    assert old_dock.table is not None and old_dock.table.values[:3] == ["Old Dock", "3", ""]
    assert old_dock.text == ("Crane fleet by terminal, row 3: Terminal: Old Dock; Cranes: 3; "
                             "Opened: 1962; Operator: Velmar Stevedores.")
    assert rows[3].table is not None and rows[3].table.values[4] == "Brightwater Logistics"
    assert rows[4].in_table is not None and rows[4].in_table.no == 1
    assert rows[4].in_table.name == "Tonnage handled" and rows[4].in_table.row == 1
    prose = " ".join(b.text for b in doc.blocks if b.role == "prose")
    assert "too old for their lift rate" in prose and "|" not in prose


def test_a_markdown_table_is_computed_and_its_line_cited(workspace) -> None:  # type: ignore[no-untyped-def]
    corpus, _index, make = workspace
    shutil.copy(CRANES, corpus / CRANES.name)
    qa = make()
    answer = qa.ask("Which terminal has the most cranes?")
    assert "North Quay" in answer.text and not answer.abstained
    cited = answer.citations[0]
    assert cited.source == CRANES.name and cited.location == "line 10"
    assert cited.locator.kind == "lines" and cited.locator.start == 10
    assert cited.table is not None and cited.table.values[:2] == ["North Quay", "12"]
    change = qa.ask("How did the tonnage of Kestrel Pier change from 2023 to 2024?")
    assert "9,800" in change.text and "21,400" in change.text
    assert change.citations[0].location == "line 23"


def test_an_html_table_and_an_infobox_are_computed_and_cited(workspace) -> None:  # type: ignore[no-untyped-def]
    corpus, _index, make = workspace
    for name in (OSTREVIK, VARNHOLT):
        shutil.copy(WIKI / name, corpus / name)
    qa = make()
    answer = qa.ask("Which sector employs the most people?")
    assert answer.text.startswith("Among the sectors") and "Subsea robotics" in answer.text
    cited = answer.citations[0]
    assert cited.source == OSTREVIK and cited.locator.kind == "paragraphs"
    live = qa._load()
    assert live is not None
    at = [s for s in live.data.sentences
          if s.source == OSTREVIK and s.locator == cited.locator]
    assert [s.text for s in at] == [cited.quote] and "Subsea robotics" in cited.quote

    boxes = [t for t in live.tables.engine.tables if t.kind == "subject"]
    assert {t.rows[1][0] for t in boxes} == {"Ostrevik Science Park", "Varnholt Science City"}
    facts = live.tables.engine.facts("key = ? AND measure = 'employees'",
                                     ("Ostrevik Science Park",))
    assert [f.num for f in facts] == [6800.0]
    place = boxes[0].places[1]
    assert place.locator.kind == "paragraphs" and place.locator.end > place.locator.start
