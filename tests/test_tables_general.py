"""Wordings and tables the parser was not written for: a wind-farm table with headers no
question bank uses, asked the way people ask (verbs for measures, adjectives of regions, age),
and a computed answer that a statement in the article contradicts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "tables_unit"
WIND = "offshore_wind_farms.csv"


def _indexed(factory: pytest.TempPathFactory, name: str, files: list[str]):  # type: ignore[no-untyped-def]
    """A real index over a copy of some of the unit tables."""
    from clusterqa import ClusterQA

    root = factory.mktemp(name)
    (root / "corpus").mkdir()
    for file in files:
        shutil.copy(DATA / file, root / "corpus" / file)
    qa = ClusterQA(corpus_dir=root / "corpus", index_dir=root / "index")
    qa.build_index()
    return qa


@pytest.fixture(scope="module")
def wind(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _indexed(tmp_path_factory, "wind", [WIND])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # measures named by a verb or a word of their own, not by the header
        ("Which wind farm generated the most electricity in 2023?", "Moray Deep with 3420"),
        ("Which farm gives work to the most people?", "Moray Deep with 300"),
        # no header word at all: the embedding model matches "megawatts" to Capacity (MW)
        ("Which wind farm can deliver the most megawatts?", "Moray Deep with 950"),
        # age is the extreme of the one column of years
        ("Which wind farm is the oldest?", "Horns Rev Nord"),
        ("Which farm came online most recently?", "Biscay Flotante"),
        ("How many farms were built after 2010?", "There are 7 wind farms"),
        # a text column counted per value
        ("Which operator runs the most farms?", "Ørsted (Anholt Bank, Horns Rev Nord and Walney"),
        # a region's adjective from the cells names the one farm there
        ("How did the Frisian farm's output change from 2022 to 2023?", "1310 in 2022 to 1405"),
    ],
)
def test_unseen_wordings_on_an_unseen_table(wind, question: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    answer = wind.ask(question)
    assert not answer.abstained and expected in answer.text
    assert answer.citations and all(c.source == WIND for c in answer.citations)


def test_a_statement_that_contradicts_the_table_is_said_and_cited(shipped) -> None:  # type: ignore[no-untyped-def]
    answer = shipped.ask("Which cluster came third in 2024?")
    assert answer.text.startswith("Beijing ranks 3rd in 2024 [1].")
    assert "says otherwise" in answer.text and "Seoul" in answer.text and "[2]" in answer.text
    row, sentence = answer.citations
    assert row.table is not None and row.source == "gii_2024_top_clusters.csv"
    assert sentence.table is None and sentence.source == "global_innovation_clusters.txt"
    assert "Ranks third" in sentence.quote


def test_a_claim_about_all_is_not_held_against_a_filtered_answer(shipped) -> None:  # type: ignore[no-untyped-def]
    answer = shipped.ask("Which Chinese cluster ranks highest in 2024?")
    assert "says otherwise" not in answer.text and len(answer.citations) == 1


FERRIES = "river_ferry_rankings.csv"
ORCHARDS = "orchard_harvests_2021_2022.csv"


@pytest.fixture(scope="module")
def unit(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _indexed(tmp_path_factory, "unit", [WIND, FERRIES, ORCHARDS])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # values of one column are alternatives; a cell value in the plural or as an adverb
        ("Which wind farms are in Germany or the Netherlands?", "5 wind farms in Germany or"),
        ("How many wind farms does Ørsted operate?", "There are 3 wind farms"),
        # ranges of figures and of years, a threshold in words of scale
        ("How many farms have between 50 and 100 turbines?", "There are 5 wind farms"),
        ("Which farms opened between 2010 and 2015?", "4 wind farms commissioned between"),
        ("Which wind farms produced more than 1,000 GWh in 2023?", "7 wind farms"),
        # empty cells and zeros
        ("Which wind farm has no 2022 output figure?", "Biscay Flotante"),
        ("Which orchards have no organic share given?", "1 orchard with no organic share"),
        # changes in percent, and their counts by size
        ("Which farm's output fell by the largest percentage between 2022 and 2023?",
         "Nordsee Mitte (1190 in 2022 → 1150 in 2023, -3.4%)"),
        # kept in every year, in any year; one thing's years
        ("Which ferry lines were in the top 3 every year?", "1 ferry line in the top 3 in every"),
        ("Which ferry lines were ever in the top 2?", "3 ferry lines in the top 2"),
        ("How many passengers did Old Harbour Link carry in total over the years?", "256,600"),
        ("In which year did Lakeside Shuttle carry the most passengers?", "highest in 2021"),
        # superlatives said otherwise
        ("Which farm has the smallest number of jobs?", "Biscay Flotante with 30"),
        ("Which wind farm opened first?", "Horns Rev Nord (2002)"),
        ("Name the three largest wind farms by capacity.", "Moray Deep with 950, Gemini Noord"),
    ],
)
def test_general_filters_and_operations(unit, question: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    answer = unit.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text
    assert answer.citations


def test_a_follow_up_among_keeps_its_own_threshold(unit) -> None:  # type: ignore[no-untyped-def]
    answer = unit.ask("which of those have more than 300 MW capacity?",
                      history=["Which wind farms are in Germany?"])
    assert "2 wind farms in Germany with capacity (MW) above 300" in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a figure with a thousands separator is a threshold, never the year 2000
        ("How many wind farms produced more than 2,000 GWh in 2023?", "There are 2 wind farms"),
        # a bare phrase of the kind with a filter is a list
        ("wind farms with more than 100 turbines", "2 wind farms with turbines above 100"),
        # a unit between the figure and "or more"
        ("How many orchards have an organic share of 20% or more?", "There are 2 orchards"),
        # "fewer/less … in <year> than in <year>": the order of the years says which way
        ("Which farms produced less electricity in 2023 than in 2022?", "4 wind farms fell"),
        ("Which farms produced less electricity in 2022 than in 2023?", "5 wind farms rose"),
    ],
)
def test_thresholds_and_comparatives_as_written(unit, question: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    answer = unit.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text


@pytest.mark.parametrize(
    "question",
    [
        # an ordinal before a word the tables do not rank is no position
        "How many ferry lines will run in the second phase?",
        # a value only another kind's rows hold (an operator of wind farms) filters no ferries
        "How many ferry lines does RWE run?",
        # what someone said is the documents' to answer
        "Which wind farm did the minister say had doubled its output?",
    ],
)
def test_not_a_computation_over_the_tables(unit, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = unit.ask(question)
    assert not answer.text.startswith("There ") and "rose" not in answer.text, answer.text


def test_a_year_in_a_rows_name_is_no_year_filter(tmp_path: Path) -> None:
    from clusterqa import ClusterQA

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "funding_calls.csv").write_text(
        "Call,Opens,Deadline,Budget (EUR m)\n"
        "Seed Fund 2025,1 Mar 2025,30 Apr 2025,4.5\n"
        "Seed Fund 2024,1 Mar 2024,30 Apr 2024,3.0\n"
        "Scale-up Call 2025,1 Jun 2025,15 Sep 2025,12.0\n",
        encoding="utf-8",
    )
    qa = ClusterQA(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    qa.build_index()
    answer = qa.ask("When is the Seed Fund 2025 deadline?")
    assert not answer.abstained and "30 Apr 2025" in answer.text, answer.text
    assert "no deadline" not in answer.text


def test_an_ordinal_that_numbers_a_thing_is_no_rival_claim(tmp_path: Path) -> None:
    from clusterqa import ClusterQA

    (tmp_path / "corpus").mkdir()
    shutil.copy(DATA / FERRIES, tmp_path / "corpus" / FERRIES)
    (tmp_path / "corpus" / "ferry_news.txt").write_text(
        "The second phase of the river ferry programme adds Bridgewater Crossing to the lines "
        "the city ranks each year.\n",
        encoding="utf-8",
    )
    qa = ClusterQA(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    qa.build_index()
    answer = qa.ask("Which ferry line ranked second in 2022?")
    assert answer.text.startswith("Lakeside Shuttle") or "2nd in 2022" in answer.text, answer.text
    assert "says otherwise" not in answer.text, answer.text
