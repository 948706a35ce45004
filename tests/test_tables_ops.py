"""Operations a user of a ranking table expects beyond one filter and one figure, on invented
tables no question set uses: top and bottom N and the rest by a measure, shares of a total
(also of the top N by a measure) and ratios of two columns, a position or an extreme found once
per year, years joined by "or" or "and" in counts, sums and extremes, counts, totals and
averages per group and groups ranked by them, seasons ("2023/24") read as years, years the
tables lack said with those they cover, and follow-ups that name no kind or only another
year. Each answer states the computed figure and cites exactly the rows it used."""

from __future__ import annotations

import shutil

import pytest
from test_tables_general import DATA, _indexed

OBS = "mountain_observatories.csv"
REGATTA = "regatta_standings.csv"


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _indexed(tmp_path_factory, "ops", [OBS, REGATTA])


def _cited(answer) -> set[str]:  # type: ignore[no-untyped-def]
    """The things the cited rows are about (the key cell of each row)."""
    out = set()
    for c in answer.citations:
        assert c.table is not None, c
        cells = dict(zip(c.table.header, c.table.values, strict=False))
        out.add(cells.get("Observatory") or cells.get("Crew") or "")
    return out


ALL_OBS = {"Pic Argentan", "Col Ventoux", "Sierra Blanca Station", "Roque Alto", "Monte Grigio",
           "Etna Ridge", "Zugspitz Kuppe", "Hohe Warte"}


@pytest.mark.parametrize(
    ("question", "expected", "cited"),
    [
        ("Which three observatories have the most staff?",
         "Roque Alto with 210, Sierra Blanca Station with 150 and Pic Argentan with 120",
         {"Roque Alto", "Sierra Blanca Station", "Pic Argentan"}),
        ("bottom 3 observatories by telescopes", "Etna Ridge with 1, Col Ventoux with 2",
         {"Etna Ridge", "Col Ventoux", "Zugspitz Kuppe"}),
        ("Which observatories are outside the top 3 by staff?",
         "by staff: 5, Monte Grigio (75), Col Ventoux (60), Hohe Warte (55), Zugspitz Kuppe (40) "
         "and Etna Ridge (25)",
         {"Monte Grigio", "Col Ventoux", "Hohe Warte", "Zugspitz Kuppe", "Etna Ridge"}),
    ],
)
def test_top_bottom_and_the_rest_by_a_measure(qa, question: str, expected: str,  # type: ignore[no-untyped-def]
                                              cited: set[str]) -> None:
    answer = qa.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text
    assert _cited(answer) == cited


@pytest.mark.parametrize(
    ("question", "expected", "cited"),
    [
        # a share of a measure: the part (Spain: 8 + 6) over every row (29), all rows cited
        ("What share of the telescopes are in Spain?", "48.3% of the telescopes", ALL_OBS),
        ("What percentage of all 2023 papers came from Spanish observatories?",
         "54.9% of the papers", ALL_OBS),
        # a share of the rows
        ("What percentage of the observatories are in the Alps?", "4 of the 8 observatories",
         ALL_OBS),
        # the whole is the rank window, the part the place in it (92 + 85 of 92 + 85 + 80)
        ("What share of the top 3's points in 2023 came from Norwegian crews?",
         "68.9% of the points", {"Osprey Pair", "Kestrel Eight", "Harrier Four"}),
        # one column over another, row by row
        ("How many papers per telescope did Roque Alto publish in 2023?",
         "Roque Alto 60 (480 / 8)", {"Roque Alto"}),
        ("Which observatory has the most papers per staff member in 2023?",
         "Zugspitz Kuppe 2.4 (96 / 40)", {"Zugspitz Kuppe"}),
        ("What is the ratio of staff to telescopes at Pic Argentan?", "Pic Argentan 30 (120 / 4)",
         {"Pic Argentan"}),
    ],
)
def test_shares_and_ratios(qa, question: str, expected: str, cited: set[str]) -> None:  # type: ignore[no-untyped-def]
    answer = qa.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text
    assert _cited(answer) == cited
    assert answer.table is not None


@pytest.mark.parametrize(
    ("question", "expected", "cited"),
    [
        # the whole is the top n by a figure, not by a rank: the four with the most staff
        ("What share of the top 4 observatories by staff are in Spain?",
         "2 of the 4 observatories in the 2023 top 4 by staff (50%)",
         {"Roque Alto", "Sierra Blanca Station", "Pic Argentan", "Monte Grigio"}),
        ("What share of the telescopes of the top 3 by staff are in Spain?",
         "77.8% of the telescopes", {"Roque Alto", "Sierra Blanca Station", "Pic Argentan"}),
        ("What percentage of the top 3 by budget are in the Alps?", "0 of the 3 observatories",
         {"Roque Alto", "Sierra Blanca Station", "Pic Argentan"}),
        # the top 2 by points (Harrier Four, Kestrel Eight), not the top 2 placings of 2022
        ("What share of the top 2 crews by points in 2022 are Norwegian?",
         "1 of the 2 crews in the 2022 top 2 by points (50%)", {"Harrier Four", "Kestrel Eight"}),
    ],
)
def test_a_share_of_the_top_n_by_a_measure(qa, question: str, expected: str,  # type: ignore[no-untyped-def]
                                           cited: set[str]) -> None:
    answer = qa.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text
    assert _cited(answer) == cited


def test_a_share_of_one_things_own_figure_the_tables_do_not_split_is_not_computed(qa) -> None:  # type: ignore[no-untyped-def]
    answer = qa.ask("What percentage of Roque Alto's budget goes to its telescopes?")
    assert "%" not in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Which crew was first each year?",
         "2021 Kestrel Eight (1st) [1]; 2022 Harrier Four (1st) [2]; 2023 Osprey Pair (1st) [3]"),
        # the most points is not always first place: Kestrel Eight (3rd) had 83 in 2022
        ("Which crew scored the most points in each year?",
         "2021 Kestrel Eight (88) [1]; 2022 Harrier Four (90) [2]; 2023 Osprey Pair (92) [3]"),
        ("Which crew placed second each year?", "2022 Merlin Scull (2nd)"),
    ],
)
def test_a_position_or_an_extreme_in_each_year(qa, question: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    answer = qa.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text
    assert len(answer.citations) == 3


def test_years_joined_by_or_are_either_year(qa) -> None:  # type: ignore[no-untyped-def]
    answer = qa.ask("How many crews placed in the top 2 in 2021 or 2022?")
    assert "There are 3 crews in the top 2 in 2021 or 2022" in answer.text, answer.text
    assert _cited(answer) == {"Kestrel Eight", "Harrier Four", "Merlin Scull"}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a wide table (a column per year): each year's figures, not only the first year's
        ("What were the total papers in 2022 and 2023?",
         "together 2,805 papers in 2022 and 2023 (2022: 1,330; 2023: 1,475)"),
        ("Which observatory published the most papers in 2022 and 2023?",
         "Roque Alto with 900 (420 in 2022, 480 in 2023)"),
        # a long table (a row per year); "or" asks for the one figure of either year
        ("How many points did the Norwegian crews score in total in 2022 and 2023?",
         "318 points in 2022 and 2023 (2022: 141; 2023: 177)"),
        ("Which crew scored the fewest points in 2021 or 2023?", "Merlin Scull with 60 in 2021"),
        # one thing: the two years named, not the year between them
        ("How many points did Kestrel Eight score in total in 2021 and 2023?",
         "173 (2021: 88; 2023: 85)"),
        # a span written without "from": every year of it
        ("How many points did Kestrel Eight score in total for 2021 through 2023?",
         "256 (2021: 88; 2022: 83; 2023: 85)"),
    ],
)
def test_sums_and_extremes_over_years_joined_by_and_or_or(qa, question: str,  # type: ignore[no-untyped-def]
                                                          expected: str) -> None:
    answer = qa.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text


def test_a_year_joined_to_one_the_table_lacks_is_said_missing(qa) -> None:  # type: ignore[no-untyped-def]
    # "in 2021" is a year of the papers, not the year an observatory opened
    answer = qa.ask("What were the total papers in 2021 and 2022?")
    assert answer.abstained and "they give papers of observatories for 2022 and 2023" in (
        answer.text), answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is each country's total number of telescopes?",
         "per country: Spain 14 [1][2]; France 6 [3][4]; Italy 4 [5][6]; Austria 3 [7]; "
         "Germany 2 [8]"),
        ("How many observatories per country?", "France 2 [1][2]; Italy 2 [3][4]; Spain 2"),
        ("Average staff by country?", "Spain 180 [1][2]; France 90 [3][4]; Austria 55"),
        ("Total points per nation in 2023?", "Norway 177 [1][2]; Poland 80 [3]; Chile 65 [4]"),
    ],
)
def test_counts_totals_and_averages_per_group(qa, question: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    answer = qa.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text
    assert answer.table is not None and len(answer.table) >= 4


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # groups added up, averaged, ranked; the top named with its figure, then the next ones
        ("Which country's observatories have the most staff in total?",
         "Spain (360) has the highest total staff"),
        ("Which three countries have the highest average budget?",
         "Spain (26.75), France (12.85) and Italy (6.45) have the highest average budget"),
        ("Which country has the lowest total budget?", "Austria (5) has the lowest total budget"),
        ("Which nation's crews scored the most points in 2023?",
         "Norway (177) has the highest total points of the crews in 2023"),
    ],
)
def test_groups_ranked_by_a_total_or_an_average(qa, question: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    answer = qa.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text
    assert answer.table is not None and len(answer.table) >= 4


def test_one_row_asked_by_its_groups_word_is_no_grouping(qa) -> None:  # type: ignore[no-untyped-def]
    # the singular names one observatory: the one with the most staff, not a country's total
    answer = qa.ask("Which country's observatory has the most staff?")
    assert "Roque Alto" in answer.text and "total" not in answer.text, answer.text


def test_a_plural_after_by_names_who_not_a_grouping(qa) -> None:  # type: ignore[no-untyped-def]
    answer = qa.ask("How many observatories are run by universities?")
    assert " per " not in answer.text, answer.text


GUILDS = "brewing_guilds_2021_2024.csv"


@pytest.fixture(scope="module")
def guilds(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _indexed(tmp_path_factory, "guilds", [GUILDS])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "employment" is the employees column
        ("By how much did employment in the Marlow Hop Guild grow between 2021 and 2024?",
         "employees rose from 1,200 in 2021 to 1,610 in 2024 (+410)"),
        # "the Dunmore guild" is the one guild of that town, not the guilds in it
        ("how many members did the dunmore guild lose from 2022 to 2024",
         "Dunmore Cider Guild's members fell from 60 in 2022 to 51 in 2024 (-9)"),
    ],
)
def test_one_things_change_between_two_years(guilds, question: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    answer = guilds.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text


def test_a_follow_up_naming_a_new_thing_asks_the_earlier_measure_of_it(guilds) -> None:  # type: ignore[no-untyped-def]
    first = "Which guild was number one in 2023?"
    assert "Marlow Hop Guild" in guilds.ask(first).text
    # "finish" is the verb, not "Finnish"; Dunmore's own 2023 rank, not the earlier answer again
    answer = guilds.ask("and where did Dunmore finish that year?", history=[first])
    assert "Dunmore Cider Guild ranks 3rd in 2023" in answer.text, answer.text
    assert "Marlow" not in answer.text


def test_an_empty_cell_is_said_missing(guilds) -> None:  # type: ignore[no-untyped-def]
    answer = guilds.ask("What was the Marlow guild's export share in 2023?")
    assert answer.abstained and not answer.citations, answer.text


@pytest.fixture(scope="module")
def parks(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _indexed(tmp_path_factory, "parks", ["business_parks.csv", "business_parks_news.txt"])


@pytest.mark.parametrize(
    "question",
    ["which architecture firm designed Northgate Park?",
     "which postcode districts does Northgate Park cover?"],
)
def test_a_name_asked_by_a_general_word_is_not_claimed_missing(parks, question: str) -> None:  # type: ignore[no-untyped-def]
    # Northgate's tenant companies and site area are empty; neither was asked for
    assert "The tables have no" not in parks.ask(question).text


@pytest.mark.parametrize(
    ("question", "expected"),
    [("How many firms are at Northgate Park?", "The tables have no tenant companies for Northgate"),
     ("How big is Northgate Park?", "The tables have no site area (ha) for Northgate Park")],
)
def test_a_figure_asked_by_a_general_word_is_still_said_missing(parks, question: str,  # type: ignore[no-untyped-def]
                                                                expected: str) -> None:
    answer = parks.ask(question)
    assert answer.abstained and expected in answer.text, answer.text


def test_a_count_of_another_noun_than_the_headers_is_the_documents(parks) -> None:  # type: ignore[no-untyped-def]
    # "tenants" names `Tenant companies`, but the question counts people to be hired
    question = "How many people are Riverside Park's tenants planning to hire in 2025?"
    assert parks._ready()[0].tables.plan(question) is None
    answer = parks.ask(question)
    assert "The tables have no" not in answer.text and "35" in answer.text, answer.text


def test_a_sentence_saying_the_park_is_about_the_park_named_before_it(parks) -> None:  # type: ignore[no-untyped-def]
    # the table gives occupancy for 2024 only, so a 2022 figure from the article may answer;
    # its sentence says "the park", and the sentence before it names Eastfield Park
    route = parks._ready()[0].tables
    passage = (DATA / "business_parks_news.txt").read_text(encoding="utf-8")
    quote = "Occupancy at the park rose from 47% at the end of 2022, helped by two firms."
    passage = passage.replace(passage[passage.index("Occupancy at"):].split("\n")[0], quote)
    for asked, kept in (("Eastfield Park", True), ("Riverside Park", False)):
        plan = route.plan(f"{asked} occupancy at the end of 2022?")
        assert plan is not None and plan.keys == [asked]
        referred = route._referred(quote, passage, plan)
        assert route._supports(quote, plan, referred) is kept


@pytest.fixture(scope="module")
def leagues(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _indexed(tmp_path_factory, "leagues", [GUILDS, "guild_league_2025.csv"])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # only the 2021-2024 table gives towns: its latest year, not the 2025 league's
        ("How many guilds are in Dunmore?", "There is 1 guild in Dunmore in 2024: Dunmore Cider"),
        ("Which guilds are in Penrith?", "1 guild in Penrith in 2024: Penrith Malt Guild"),
        # a filter the 2025 league satisfies keeps the league's year
        ("How many guilds are in Belgium?", "There are 2 guilds in Belgium in 2025"),
    ],
)
def test_a_filter_only_one_table_holds_uses_that_tables_years(leagues, question: str,  # type: ignore[no-untyped-def]
                                                               expected: str) -> None:
    answer = leagues.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text


def test_a_quantity_asked_of_a_column_of_names_is_the_documents(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    # "shipping" is a word of `Lead shipping line`, a column of names (empty for Ostby) whose
    # noun, "line", the question does not say: it holds no growth
    ports = _indexed(tmp_path_factory, "ports", ["river_ports.csv", "river_ports_news.txt"])
    question = "How much did shipping at Ostby Port grow in 2024?"
    assert ports._ready()[0].tables.plan(question) is None
    answer = ports.ask(question)
    assert "The tables have no" not in answer.text and "9%" in answer.text, answer.text


@pytest.fixture(scope="module")
def seasons(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _indexed(tmp_path_factory, "seasons",
                    ["allotment_league_seasons.csv", "beekeeping_clubs.csv"])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a long table whose `Season` column holds "2022/23": a year, said as the table says it
        ("Which club was first in the 2022/23 season?", "Millpond Allotments ranks 1st in 2022/23"),
        ("Which club scored the most points in 2021-22?",
         "the one with the most points: Hazel Lane Growers with 64"),
        ("How did Millpond Allotments' points change from 2021/22 to 2023/24?",
         "fell from 58 in 2021/22 to 55 in 2023/24 (-3)"),
        # a wide table whose headers hold seasons ("Hives 2023-24")
        ("Which association had the most hives in 2022/23?", "Heather Hill Apiarists with 120"),
        ("What were the total hives in 2023/24?", "in 2023-24 have together 337 hives"),
    ],
)
def test_seasons_are_read_as_years(seasons, question: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    answer = seasons.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Which club was first in 2020/21?", "they give position of clubs for 2021/22–2023/24"),
        ("How many hives did Orchard End Hives have in 2021/22?",
         "they give hives of associations for 2022-23 and 2023-24"),
    ],
)
def test_a_season_the_table_lacks_is_said_with_the_seasons_it_covers(seasons, question: str,  # type: ignore[no-untyped-def]
                                                                     expected: str) -> None:
    answer = seasons.ask(question)
    assert answer.abstained and expected in answer.text, answer.text


@pytest.fixture(scope="module")
def reserves(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _indexed(tmp_path_factory, "reserves",
                    ["nature_reserves.csv", OBS])


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        # no kind word: the kind the conversation was about, not the one with the most rows
        ("Which reserves were designated before 2000?", "how many are in the North region?",
         "There are 3 reserves in North"),
        ("Which observatories have the most staff?", "how many are in the Alps?",
         "There are 4 observatories with range Alps"),
    ],
)
def test_a_group_word_with_no_kind_word_counts_the_conversations_kind(  # type: ignore[no-untyped-def]
        reserves, history: str, question: str, expected: str) -> None:
    answer = reserves.ask(question, history=[history])
    assert not answer.abstained and expected in answer.text, answer.text


def test_a_group_word_with_no_kind_word_and_no_conversation_is_no_count(reserves) -> None:  # type: ignore[no-untyped-def]
    assert reserves._ready()[0].tables.plan("how many are in the North region?") is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a wide table (a column per year) and a long one (a row per year): the years covered
        ("How many papers did Roque Alto publish in 2021?",
         "The tables have no papers for 2021; they give papers of observatories for 2022 and 2023"),
        ("How many points did Osprey Pair score in 2020?",
         "The tables have no points for 2020; they give points of crews for 2021\u20132023"),
        # the rank asked by a synonym of its header ("placing")
        ("What was Osprey Pair's placing in 2024?",
         "The tables have no placing for 2024; they give placing of crews for 2021\u20132023"),
        ("Which observatory published the most papers in 2024?",
         "they give papers of observatories for 2022 and 2023"),
    ],
)
def test_a_year_the_table_lacks_is_said_with_the_years_it_covers(qa, question: str,  # type: ignore[no-untyped-def]
                                                                 expected: str) -> None:
    answer = qa.ask(question)
    assert answer.abstained and not answer.citations and expected in answer.text, answer.text


def test_a_cell_whose_column_names_the_year_asked_is_the_tables_answer(qa) -> None:  # type: ignore[no-untyped-def]
    # the row also holds the 2022 papers (420): only the 2023 column's cell is the answer
    answer = qa.ask("How many papers did Roque Alto publish in 2023?")
    assert not answer.abstained and "480" in answer.text and "420" not in answer.text, (
        answer.text)
    assert _cited(answer) == {"Roque Alto"}


def test_a_dated_cell_a_document_disagrees_with_is_said_with_both(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from clusterqa import ClusterQA

    (tmp_path / "corpus").mkdir()
    shutil.copy(DATA / OBS, tmp_path / "corpus" / OBS)
    (tmp_path / "corpus" / "observatory_news.txt").write_text(
        "Observatory news\n\nRoque Alto published 512 papers in 2023, its observatory board "
        "said in its annual report.\n", encoding="utf-8")
    qa = ClusterQA(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    qa.build_index()
    answer = qa.ask("How many papers did Roque Alto publish in 2023?")
    assert "480" in answer.text and "512" in answer.text, answer.text


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [("and the year after?", "in 2023 is 92"), ("what about the year before?", "in 2021 is 77")],
)
def test_a_follow_up_naming_only_the_next_or_previous_year(qa, follow_up: str,  # type: ignore[no-untyped-def]
                                                          expected: str) -> None:
    # the earlier thing and measure, a year on (or back); the answer is that one cell
    answer = qa.ask(follow_up, history=["How many points did Osprey Pair score in 2022?"])
    assert not answer.abstained and expected in answer.text, answer.text
    assert "58" not in answer.text


@pytest.fixture(scope="module")
def mills(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _indexed(tmp_path_factory, "mills", ["mill_workers_by_year.csv", "mill_register.csv"])


def test_a_name_in_two_tables_is_read_in_the_one_holding_the_year_asked(mills) -> None:  # type: ignore[no-untyped-def]
    # the register also has Hollin Mill's workers (52, no year) and a mill opened in 2022:
    # "in 2022" is the year of the table by year, not a filter on the opening year
    first = "how many workers did Hollin Mill have in 2022?"
    answer = mills.ask(first)
    assert not answer.abstained and "workers is 44 in 2022" in answer.text, answer.text
    answer = mills.ask("and in 2023?", history=[first])
    assert not answer.abstained and "47" in answer.text, answer.text


@pytest.fixture(scope="module")
def campus(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _indexed(tmp_path_factory, "campus", ["quillmoor_science_campus.html"])


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        # the infobox also has a "Residents" field: the captioned table is the one filtered
        ("which of the big residents at the quillmoor campus have more than 150 researchers",
         "Brindle Optics Lab", "Kestrow"),
        # a column of years filters ("arrived before 2015"), after "how many of the largest"
        ("how many of the largest residents listed for the Quillmoor campus arrived before 2015",
         "3", "Orrick"),
    ],
)
def test_a_table_named_by_its_caption_and_its_pages_subject(campus, question: str,  # type: ignore[no-untyped-def]
                                                             expected: str, absent: str) -> None:
    answer = campus.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text
    assert absent not in answer.text, answer.text


def test_a_threshold_in_a_currency_is_the_money_column(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    # "took in" names no header; "€2m" is the one column in euros, in its own millions
    qa = _indexed(tmp_path_factory, "playhouses", ["playhouses_2021_2022.csv"])
    answer = qa.ask("in 2022, how many of the playhouses took in over €2m")
    assert not answer.abstained and "2 playhouses" in answer.text, answer.text
    assert "Velmont" not in answer.text, answer.text


def test_the_currency_a_header_is_in_filters_nothing_and_added_is_a_change(  # type: ignore[no-untyped-def]
        tmp_path_factory) -> None:
    # "in euros" is the header's own currency, not a filter; "added the most" is the biggest rise
    qa = _indexed(tmp_path_factory, "playhouses_change", ["playhouses_2021_2022.csv"])
    answer = qa.ask("Which playhouse added the most box office in euros between 2021 and 2022?")
    assert not answer.abstained and "Larkfield Playhouse" in answer.text, answer.text
    assert "Ombry" not in answer.text.split("grew the most")[0], answer.text


def test_a_measure_named_like_another_kind_is_summed_over_a_region(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    # "firms" is a column of the orchards and also a word for the other table's companies
    qa = _indexed(tmp_path_factory, "orchards", ["cider_orchards_2024.csv", "cider_presses.csv"])
    answer = qa.ask("how many firms do the tamber vale orchards have altogether in 2024")
    assert not answer.abstained and "23" in answer.text, answer.text


def _written(factory: pytest.TempPathFactory, name: str, *texts: str,  # type: ignore[no-untyped-def]
             titles: tuple[str, ...] = ()):
    """A real index over small invented tables written here (with their titles, if given)."""
    from clusterqa import ClusterQA

    root = factory.mktemp(name)
    (root / "corpus").mkdir()
    for n, text in enumerate(texts):
        (root / "corpus" / f"{name}_{n}.csv").write_text(text, encoding="utf-8")
    (root / "corpus" / "sources.toml").write_text(
        "".join(f'["{name}_{n}.csv"]\ntitle = "{t}"\n' for n, t in enumerate(titles)),
        encoding="utf-8")
    qa = ClusterQA(corpus_dir=root / "corpus", index_dir=root / "index")
    qa.build_index()
    return qa


@pytest.mark.parametrize(
    "question",
    ["Leaving Spain aside, which observatory has the most staff?",
     "With Spain excluded, which observatory has the most staff?",
     "Not counting Spain, which observatory has the most staff?"],
)
def test_a_place_left_aside_is_left_out(qa, question: str) -> None:  # type: ignore[no-untyped-def]
    # Roque Alto (210) and Sierra Blanca Station (150) are the Spanish ones
    answer = qa.ask(question)
    assert not answer.abstained and "Pic Argentan" in answer.text, answer.text
    assert "Roque Alto" not in answer.text, answer.text


def test_a_count_of_the_things_that_kept_their_place(guilds) -> None:  # type: ignore[no-untyped-def]
    # ranks 2022 → 2023: Marlow 1 → 1, Dunmore 2 → 3, Penrith 3 → 2
    answer = guilds.ask("How many guilds held the same rank in 2023 as in the previous year?")
    assert not answer.abstained and "1 guild kept its place" in answer.text, answer.text
    assert "Marlow Hop Guild" in answer.text and "Dunmore" not in answer.text, answer.text


def test_a_name_of_three_words_by_its_initials(guilds) -> None:  # type: ignore[no-untyped-def]
    answer = guilds.ask("Which had more employees in 2024, MHG or the Penrith guild?")
    assert not answer.abstained and "Marlow Hop Guild" in answer.text, answer.text
    assert "1,610" in answer.text, answer.text


NATIONS = """Nation,Crews 2022,Crews 2023
United States of America,5,6
Norway,3,4
Chile,2,
Poland,2,2
"""


@pytest.fixture(scope="module")
def nations(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _written(tmp_path_factory, "regatta_nations", NATIONS)


def test_a_country_by_its_short_name_beside_another_is_a_row(nations) -> None:  # type: ignore[no-untyped-def]
    # "the US" is the row "United States of America", not a filter on places
    answer = nations.ask("What's the combined number of crews for Norway and the US in 2023?")
    assert not answer.abstained and "10" in answer.text, answer.text


def test_had_n_or_more_is_a_lower_bound_not_exactly_n(nations) -> None:  # type: ignore[no-untyped-def]
    answer = nations.ask("Which nations had 3 crews or more in 2023?")
    assert not answer.abstained and "Norway" in answer.text, answer.text
    assert "Poland" not in answer.text, answer.text


def test_a_figure_in_one_year_and_an_empty_cell_in_another(nations) -> None:  # type: ignore[no-untyped-def]
    # Poland had 2 in 2022 too, but a 2023 figure; Chile's 2023 cell is empty
    answer = nations.ask("Which nation had 2 crews in 2022 but no count in 2023?")
    assert not answer.abstained and "Chile" in answer.text, answer.text
    assert "Poland" not in answer.text, answer.text


HARBOURS = """Harbour,District,FY2021 jobs,FY2022 jobs,FY2023 jobs
Hollund Ferry Harbour,Hollund,410,450,480
Carrow Fish Harbour,Brisk,220,,260
Polden Yacht Harbour,Hollund,150,170,160
"""
LEASES = """Lease ref,Tenant,Harbour,Amount (EUR k)
BL-23-001,Skiff & Sail,Hollund Ferry Harbour,40
BL-23-002,Nettmakers,Carrow Fish Harbour,25
BL-23-003,Brine Labs,Polden Yacht Harbour,30
"""


@pytest.fixture(scope="module")
def harbours(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _written(tmp_path_factory, "harbours", HARBOURS, LEASES)


def test_a_name_holding_the_kinds_noun_is_that_row_not_a_filter(harbours) -> None:  # type: ignore[no-untyped-def]
    # the harbours are also cells of the leases: "Harbour" in a name does not make the
    # question one about harbours in general, filtered by that cell
    answer = harbours.ask("Did Polden Yacht Harbour or Carrow Fish Harbour employ more people "
                          "in FY2023?")
    assert not answer.abstained and "Carrow Fish Harbour has the higher" in answer.text, \
        answer.text


def test_a_place_of_the_tables_is_no_typo_of_a_country(harbours) -> None:  # type: ignore[no-untyped-def]
    # "Hollund" is one letter from "Holland"; it is the tables' own word
    answer = harbours.ask("Did the Hollund Ferry Harbour have more people employed than the "
                          "Carrow Fish Harbour in FY2023?")
    assert not answer.abstained and "Hollund Ferry Harbour has the higher" in answer.text, \
        answer.text


def test_a_dated_cell_named_by_a_synonym_is_that_cell_alone(harbours) -> None:  # type: ignore[no-untyped-def]
    # "people worked" is the jobs column of FY2023, not the whole row of every year
    answer = harbours.ask("How many people worked at Hollund Ferry Harbour in FY2023?")
    assert not answer.abstained and "480" in answer.text, answer.text
    assert "410" not in answer.text and "450" not in answer.text, answer.text


QUAYS = """quay,year,spend (EUR m),occupancy (%)
North Quay,2022,4.0,90.0
North Quay,2023,€5.5m,93.5
North Quay,2024,6.1,94.0
South Quay,2022,2.0,70.0
South Quay,2023,2.5,60.5%
South Quay,2024,€3.1m,65.0
"""


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("lowest occupancy in 2023?", "South Quay with 60.5%"),
        ("combined spend of South Quay in 2022 and 2024?", "5.1"),
    ],
)
def test_cells_writing_out_their_headers_unit_are_in_that_unit(  # type: ignore[no-untyped-def]
        tmp_path_factory, question: str, expected: str) -> None:
    # "€3.1m" under "spend (EUR m)" is 3.1, "60.5%" under "occupancy (%)" is 60.5
    qa = _written(tmp_path_factory, "quays", QUAYS)
    answer = qa.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text


def test_years_joined_by_a_dash_are_a_span(qa, seasons) -> None:  # type: ignore[no-untyped-def]
    # 77 + 58 + 92 over 2021, 2022 and 2023, not 2021 and 2023 alone
    answer = qa.ask("How many points did Osprey Pair score in total over 2021-2023?")
    assert not answer.abstained and "227" in answer.text, answer.text
    # where the tables hold seasons, "2022-2023" is the season 2022/23
    answer = seasons.ask("Which club was first in the 2022-2023 season?")
    assert "Millpond Allotments ranks 1st in 2022/23" in answer.text, answer.text


AWARDS = """Award no,Decided,Recipient,Scheme,Amount (EUR k),Matched by city
AW-01,2024-03-02,Fernhill Looms,Pilot,120,yes
AW-02,2024-03-20,Orrin Glassworks,Pilot,80,no
AW-03,2024-06-11,Tallow Cycles,Expansion,300,yes
AW-04,2024-11-04,Brackmoor Dyes,Expansion,260,no
AW-05,2024-11-28,Quenby Clocks,Pilot,45,yes
"""
LEAGUE = """Position,Company,Home town,Sector,Sales growth 2024 (%)
1,Tallow Cycles,Brackmoor,Mobility,120
2,Quenby Clocks,Fernhill,Crafts,95
3,Fernhill Looms,Fernhill,Textiles,80
4,Orrin Glassworks,Brackmoor,Crafts,60
"""


@pytest.fixture(scope="module")
def awards(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _written(tmp_path_factory, "awards", AWARDS, LEAGUE,
                    titles=("Brackmoor Growth Fund: grant decisions 2024",
                            "Brackmoor Pilot League 2024: fastest-growing firms"))


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        # rows keyed by an award number are grants, said with the recipient beside the code;
        # their one figure is what "smallest" and "add up" measure
        ("smallest pilot grant?", "AW-05 (Quenby Clocks) with 45", "Orrin"),
        ("How many pilot grants were there?", "3 awards", "Tallow"),
        ("What did the expansion grants add up to?", "560", "Fernhill"),
        # a column of yes and no named by the question keeps the rows saying yes
        ("Which grants were matched by the city?", "Quenby Clocks", "Orrin"),
        # "Growth Fund" names the grants' table, not the league's sales growth
        ("What was the largest grant the Growth Fund made?", "AW-03 (Tallow Cycles) with 300",
         "Quenby"),
        # … and, no kind said, its table's rows: all the grants added up
        ("How much did the Growth Fund hand out in total?", "805", "sales growth"),
        # a month of a column of dates
        ("Who got grants in November 2024?", "AW-05 (Quenby Clocks)", "Tallow"),
        ("How many grants were decided in March?", "2 awards", "Quenby"),
        # "pilot league" is the league's title, not its programme cell in the grants
        ("how many companies in the pilot league are from Fernhill", "2 companies", "Tallow"),
        # a column of growth: "grew the fastest" is its largest value, not a change over years
        ("Which Brackmoor company grew sales the fastest?", "Tallow Cycles with 120", "Orrin"),
        ("Who grew faster, Quenby Clocks or Fernhill Looms?", "Quenby Clocks has the higher",
         "place"),
    ],
)
def test_grants_keyed_by_a_code_and_a_league_of_growth(awards, question: str, expected: str,  # type: ignore[no-untyped-def]
                                                       absent: str) -> None:
    answer = awards.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text
    assert absent not in answer.text, answer.text


def test_a_follow_up_comparing_the_earlier_thing_with_another(guilds) -> None:  # type: ignore[no-untyped-def]
    first = "How many members did the Marlow Hop Guild have in 2023?"
    answer = guilds.ask("and how does that compare with the Penrith Malt Guild?", history=[first])
    assert "Marlow Hop Guild has the higher members (47)" in answer.text, answer.text
    assert "Penrith Malt Guild the lower (31)" in answer.text, answer.text


def test_a_continent_groups_every_country_of_it(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    qa = _written(tmp_path_factory, "labs", "Lab,Country,Staff\nLjubljana Optics,Slovenia,40\n"
                  "Zagreb Photon,Croatia,30\nLima Lasers,Peru,20\nLyon Lumen,France,50\n")
    answer = qa.ask("How many European labs are in the table?")
    assert not answer.abstained and "3 labs" in answer.text, answer.text
    assert "Lima" not in answer.text, answer.text



def test_a_span_of_time_is_no_bound_on_a_figure(qa) -> None:  # type: ignore[no-untyped-def]
    # "over two years" says when, not "more than two races" (which would keep Kestrel Eight)
    answer = qa.ask("Which crew won the fewest races in 2023, over two years of racing?")
    assert not answer.abstained and "Kestrel" not in answer.text, answer.text


def test_a_rank_asked_in_a_rankings_words_is_that_cell(awards) -> None:  # type: ignore[no-untyped-def]
    # the reader quotes the row (position, sales growth, …); the rank asked is its one cell
    answer = awards.ask("Where did Orrin Glassworks finish in the pilot league?")
    assert not answer.abstained and "4th" in answer.text, answer.text
    assert "60" not in answer.text, answer.text


def test_a_header_named_in_the_questions_own_words_before_one_named_by_synonyms(  # type: ignore[no-untyped-def]
        tmp_path_factory) -> None:
    # "filed … patents" meets `PCT applications` by synonyms, `Patents 2024` by its own word
    qa = _written(tmp_path_factory, "filings",
                  "Cluster,Country,PCT applications\nArden Valley,Norland,900\n"
                  "Brask Bay,Norland,40\n",
                  "Cluster,Region,Patents 2024\nCorve Ridge,North,19\nDunmore Flats,South,35\n"
                  "Elling Park,North,120\n")
    answer = qa.ask("Which clusters filed fewer than 50 patents in 2024?")
    assert not answer.abstained, answer.text
    assert "Corve Ridge" in answer.text and "Dunmore Flats" in answer.text, answer.text
    assert "Brask Bay" not in answer.text, answer.text
