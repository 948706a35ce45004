"""The table route: typed cells and year layouts in the engine, questions read against a
schema it has never seen, and computed answers with a citation for every row used.

The engine and parser tests use two small CSVs written for them (``tests/data/tables_unit``):
a wide table with years in its headers, money in two currencies and scales, percentages and
empty cells; and a long table with a year column that skips a position."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clusterqa.loaders import load
from clusterqa.tables.compute import Computer, Result
from clusterqa.tables.engine import Engine, load_sqlite, parse_number, read_table
from clusterqa.tables.entities import build_names
from clusterqa.tables.parse import Parser

DATA = Path(__file__).parent / "data" / "tables_unit"
ORCHARDS = "orchard_harvests_2021_2022.csv"
FERRIES = "river_ferry_rankings.csv"


@pytest.fixture(scope="module")
def engine() -> Engine:
    tables = []
    for i, name in enumerate([ORCHARDS, FERRIES]):
        doc = load(DATA / name, name)
        rows = {b.locator.start: b.table.values for b in doc.blocks if b.table}
        header = doc.blocks[0].table.header  # type: ignore[union-attr]
        tables.append(read_table(i, name, doc.title, header, rows))
    return load_sqlite(tables)


@pytest.fixture(scope="module")
def run(engine: Engine):  # type: ignore[no-untyped-def]
    names = build_names(engine)
    parser = Parser(engine, names)
    computer = Computer(engine, names, parser)

    def ask(question: str) -> Result | None:
        plan = parser.parse(question)
        return None if plan is None else computer.run(plan)

    return ask


# --- the engine ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value", "unit"),
    [
        ("63,447", 63447.0, ""),
        ("12.5%", 12.5, "%"),
        ("€2.1m", 2.1e6, "€"),
        ("$1.1m", 1.1e6, "$"),
        ("€950k", 9.5e5, "€"),
        ("DKK 260m", 2.6e8, "dkk"),
        ("3.2 km²", 3.2, "km2"),
        ("-2", -2.0, ""),
    ],
)
def test_cells_are_read_as_numbers_with_their_units(cell: str, value: float, unit: str) -> None:
    assert parse_number(cell) == pytest.approx((value, unit))


@pytest.mark.parametrize("cell", ["F01", "CN/HK", "TW*", "Republic of Korea", ""])
def test_codes_and_names_are_not_numbers(cell: str) -> None:
    assert parse_number(cell) is None


def test_wide_year_headers_become_years_of_one_measure(engine: Engine) -> None:
    orchards = engine.tables[0]
    assert orchards.kind == "orchard"
    by_header = {c.header: (c.base, c.year, c.kind) for c in orchards.columns}
    assert by_header["Yield 2021"] == ("yield", 2021, "number")
    assert by_header["2022 rank"] == ("rank", 2022, "number")
    assert by_header["Province"][2] == "text"
    assert engine.years("orchard", "yield") == [2021, 2022]


def test_a_long_year_column_is_read_as_the_year_of_each_row(engine: Engine) -> None:
    ferries = engine.tables[1]
    assert ferries.year_col == 0 and ferries.kind == "ferry line"
    facts = engine.facts("key = ? AND measure = 'position'", ("Old Harbour Link",))
    assert {(f.year, f.num) for f in facts} == {(2021, 2.0), (2022, 1.0), (2023, 1.0)}


def test_empty_cells_are_null_never_zero(engine: Engine) -> None:
    row = engine.db.execute('SELECT c2, c8 FROM "t0" WHERE c0 = ?', ("Quenby Fields",)).fetchone()
    assert row == (None, 0.0)  # no 2021 yield; an organic share written as 0%
    empty = engine.facts("key = ? AND measure = 'organic share'", ("Greyfen Groves",))
    assert [f.num for f in empty] == [None]


# --- questions ----------------------------------------------------------------------------


def test_a_superlative_over_a_year_column(run) -> None:  # type: ignore[no-untyped-def]
    result = run("Which orchard had the highest yield in 2022?")
    assert result is not None and not result.abstained
    assert "Hollowbrook Orchard" in result.sentence and "13,050" in result.sentence
    assert "Marrowdale" not in result.sentence


def test_a_sum_over_a_place_filter_keeps_the_currency(run) -> None:  # type: ignore[no-untyped-def]
    result = run("What is the total revenue of the Valoria orchards?")
    assert result is not None and "€3.9m" in result.sentence
    assert set(result.cites) == {"Hollowbrook Orchard", "Greyfen Groves"}


def test_money_in_two_currencies_is_not_added_up(run) -> None:  # type: ignore[no-untyped-def]
    result = run("What is the combined revenue of the orchards in the 2022 top 5?")
    assert result is not None and result.abstained
    assert "different units" in result.sentence


def test_an_average_leaves_out_nothing_it_should_keep(run) -> None:  # type: ignore[no-untyped-def]
    result = run("Average pickers of the Ostmark orchards?")
    assert result is not None and "295" in result.sentence


def test_a_threshold_skips_unknown_cells_and_keeps_real_zeros_out(run) -> None:  # type: ignore[no-untyped-def]
    result = run("Which orchards have an organic share of at least 20%?")
    assert result is not None
    assert set(result.cites) == {"Hollowbrook Orchard", "Tallowmere Estate"}


def test_a_rank_change_between_two_wide_columns(run) -> None:  # type: ignore[no-untyped-def]
    result = run("How did Greyfen Groves' rank change from 2021 to 2022?")
    assert result is not None
    assert "moved down 1 place" in result.sentence and "3rd in 2021" in result.sentence
    assert result.chart is not None and result.chart.invert


def test_a_comparison_names_the_leader_and_the_gap(run) -> None:  # type: ignore[no-untyped-def]
    result = run("Compare Hollowbrook Orchard and Marrowdale Farm on yield in 2021")
    assert result is not None
    assert result.sentence.startswith("Marrowdale Farm") and "700" in result.sentence


def test_a_place_word_filters_a_long_table(run) -> None:  # type: ignore[no-untyped-def]
    result = run("Which Austrian ferry lines were in the top 2 in 2022?")
    assert result is not None and set(result.cites) == {"Lakeside Shuttle"}


def test_newcomers_to_a_top_n(run) -> None:  # type: ignore[no-untyped-def]
    result = run("Which ferry lines are new in the 2022 top 3?")
    assert result is not None and set(result.cites) == {"Pike Bay Runner"}


def test_a_skipped_position_is_said_not_guessed(run) -> None:  # type: ignore[no-untyped-def]
    result = run("Which ferry line was third in 2023?")
    assert result is not None and result.abstained
    assert "1–2, 4" in result.sentence


def test_an_empty_cell_is_said_not_zero(run) -> None:  # type: ignore[no-untyped-def]
    result = run("How many passengers did Pike Bay Runner carry in 2023?")
    assert result is not None and result.abstained
    assert "no passengers for Pike Bay Runner in 2023" in result.sentence


def test_a_year_no_table_covers(run) -> None:  # type: ignore[no-untyped-def]
    result = run("What was the yield of Quenby Fields in 2019?")
    assert result is not None and result.abstained and "2021 and 2022" in result.sentence


@pytest.mark.parametrize(
    "question",
    [
        "Why do orchards in Valoria grow apples?",
        "What is Hollowbrook Orchard known for?",
        "Tell me a joke about ferries.",
    ],
)
def test_questions_that_are_not_computations_are_left_to_prose(run, question: str) -> None:  # type: ignore[no-untyped-def]
    assert run(question) is None


# --- end to end through ClusterQA.ask ----------------------------------------------------------


def test_a_count_is_computed_and_every_row_cited(shipped) -> None:  # type: ignore[no-untyped-def]
    answer = shipped.ask("How many Chinese clusters are in the 2023 top 20?")
    assert not answer.abstained and "There are 7 clusters" in answer.text
    assert len(answer.citations) == 7
    assert all(c.locator.kind == "row" and c.table is not None for c in answer.citations)
    assert answer.table is not None and len(answer.table) == 8  # header and seven rows
    assert "Nanjing" in {row[0] for row in answer.table}


def test_a_position_lookup_cites_its_row(shipped) -> None:  # type: ignore[no-untyped-def]
    answer = shipped.ask("Which cluster is fifth in the 2024 ranking?")
    assert answer.text == "Shanghai–Suzhou ranks 5th in 2024 [1]."
    cited = answer.citations[0]
    assert cited.source == "gii_2024_top_clusters.csv" and cited.location == "row 5"
    assert cited.table is not None and cited.table.values[:2] == ["5", "Shanghai–Suzhou"]


def test_a_follow_up_changes_the_year_of_the_last_question(shipped) -> None:  # type: ignore[no-untyped-def]
    answer = shipped.ask("And in 2022?", history=["Which cluster is fifth in the 2024 ranking?"])
    assert answer.text == "San Jose–San Francisco, CA ranks 5th in 2022 [1]."
    assert answer.citations[0].source == "gii_cluster_top10_by_year.csv"


def test_a_follow_up_among_the_last_result(shipped) -> None:  # type: ignore[no-untyped-def]
    answer = shipped.ask(
        "Which of them ranks highest?",
        history=["Which Korean clusters are in the 2024 table?"],
    )
    assert answer.text.startswith("Seoul") and "Daejeon" not in answer.text


def test_a_year_no_table_covers_is_an_abstention_without_citations(shipped) -> None:  # type: ignore[no-untyped-def]
    answer = shipped.ask("What rank is Paris in 2019?")
    assert answer.abstained and not answer.citations
    assert "2019" in answer.text and "2022–2025" in answer.text


def test_a_prose_question_is_answered_by_the_prose_route(shipped) -> None:  # type: ignore[no-untyped-def]
    answer = shipped.ask("What do academic anchors provide to a hub?")
    assert answer.table is None and answer.chart is None
    assert answer.citations and answer.citations[0].table is None


def test_a_table_it_has_never_seen(workspace) -> None:  # type: ignore[no-untyped-def]
    corpus, _index, make = workspace
    shutil.copy(DATA / ORCHARDS, corpus / ORCHARDS)
    answer = make().ask("Which orchard had the most pickers?")
    assert answer.text.startswith("Among the orchards") and "Marrowdale Farm" in answer.text
    assert answer.citations[0].source == ORCHARDS and answer.citations[0].location == "row 3"


# --- phrasings and headers the parser reads without knowing any table ----------------------


@pytest.mark.parametrize(
    ("question", "window"),
    [
        ("Which lines are ranked below 90th?", (91, None)),
        ("lines placed 20th or better", (None, 20)),
        ("lines ranked above 10th", (None, 9)),
        ("the 6th to 10th lines", (6, 10)),
        ("lines with fewer than 5 boats", (None, None)),
    ],
)
def test_rank_windows_said_in_words(question: str, window: tuple) -> None:  # type: ignore[type-arg]
    from clusterqa.tables.parse import rank_window, tokens

    assert rank_window(tokens(question).text)[:2] == window


@pytest.mark.parametrize(
    ("question", "bound"),
    [
        ("a success rate of at least 18.5%", (">=", 18.5)),
        ("no fewer than ten staff", (">=", 10.0)),
        ("in excess of 500 visitors", (">", 500.0)),
        ("up to 3 sites", ("<=", 3.0)),
    ],
)
def test_thresholds_with_decimals_and_their_wordings(question: str, bound: tuple) -> None:  # type: ignore[type-arg]
    from clusterqa.tables.parse import tokens, value_window

    assert value_window(tokens(question).text) == bound


def test_fiscal_years_and_spans_in_headers() -> None:
    from clusterqa.tables.engine import header_words, label

    assert header_words("budget FY2020") == header_words("FY2021 budget") == ["budget"]
    assert label("Spin-offs supported 2019-2021") == "spin-offs supported 2019-2021"
    assert label("Funding raised (USD m)") == "funding raised (USD m)"
    header = ["Agency", "2019 budget", "FY2021 budget", "Spin-offs 2019-2021"]
    table = read_table(0, "t.csv", "t", header, {1: ["A", "€1m", "€2m", "3"]})
    assert [(c.base, c.year) for c in table.columns[1:]] == [
        ("budget", 2019), ("budget", 2021), ("spin offs", None)]
