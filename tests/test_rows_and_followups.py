"""Rows said as a person says them, and follow-ups that lean on earlier turns, on a small
invented corpus (a report with two Markdown tables, a short text) with the real model and index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clusterqa import ClusterQA

CORPUS = Path(__file__).parent / "data/corpora_unit/lakeside"


@pytest.fixture(scope="module")
def lakeside(tmp_path_factory: pytest.TempPathFactory) -> ClusterQA:
    root = tmp_path_factory.mktemp("lakeside")
    shutil.copytree(CORPUS, root / "corpus")
    qa = ClusterQA(corpus_dir=root / "corpus", index_dir=root / "index")
    qa.build_index()
    return qa


def test_a_row_of_a_file_with_two_tables_is_said_with_its_unit(lakeside: ClusterQA) -> None:
    ans = lakeside.ask("How large is the Brindle Innovation Park site?")
    assert ans.text.startswith("Brindle Innovation Park's site area is 4.2 ha.")
    assert ans.citations[0].table is not None  # the citation still opens the whole row
    assert ans.citations[0].table.values[:2] == ["Brindle Innovation Park", "Brindle"]


def test_a_rank_is_said_as_a_position(lakeside: ClusterQA) -> None:
    ans = lakeside.ask("What rank does Ostmere Research Park hold in 2024?")
    assert "2nd" in ans.text and "Ostmere Research Park" in ans.text


def test_the_other_one_is_the_one_other_thing_of_that_kind(lakeside: ClusterQA) -> None:
    ans = lakeside.ask("What about the other park?",
                       history=["How large is the Ostmere Research Park site?"])
    assert "Brindle Innovation Park" in ans.resolved_question
    assert "4.2 ha" in ans.text and "9.5" not in ans.text


def test_a_follow_up_of_a_follow_up_keeps_the_first_subject(lakeside: ClusterQA) -> None:
    ans = lakeside.ask("Who led it before her?",
                       history=["Who runs the Velda Foundation?", "When did she take over?"])
    assert "Velda Foundation" in ans.resolved_question
    assert "Marek Olsen" in ans.text


def test_a_funding_round_is_not_the_amount_asked(lakeside: ClusterQA) -> None:
    ans = lakeside.ask("How much did they raise in their latest funding round?",
                       history=["Who founded Corran Labs?"])
    assert not ans.abstained and "€9 million" in ans.text


def test_it_after_a_computed_answer_is_the_thing_it_named(shipped: ClusterQA) -> None:
    ans = shipped.ask("Who is its top patent applicant?",
                      history=["Which cluster was best ranked in 2024?"])
    assert "Tokyo" in ans.resolved_question
    assert "Mitsubishi Electric" in ans.text


def test_another_source_counting_the_same_thing_otherwise_is_shown(lakeside: ClusterQA
                                                                     ) -> None:
    ans = lakeside.ask("How many staff does Brindle Innovation Park have?")
    assert ans.conflict and "130" in ans.text and "150" in ans.text
    assert {c.source for c in ans.citations} == {"lakeside_parks_report_2024.md",
                                                 "lakeside_gazette_2025.txt"}


def test_a_figure_by_another_word_is_no_conflict(lakeside: ClusterQA) -> None:
    # "35 jobs" added counts another thing than the park's staff: no disagreement
    ans = lakeside.ask("How many staff does Ostmere Research Park have?")
    assert not ans.conflict and "420" in ans.text and "35" not in ans.text


def test_a_name_typed_in_lower_case_is_still_what_is_asked_about(lakeside: ClusterQA) -> None:
    # "velda" stands only capitalised in the sources: a name, though typed in lower case
    assert lakeside.ask("when did marek olsen start running velda?").abstained is False
    ans = lakeside.ask("what is the population of velda")
    assert ans.abstained and not ans.citations


def test_the_column_asked_for_is_said_before_the_other_columns_of_its_year(
        lakeside: ClusterQA) -> None:
    ans = lakeside.ask("What share of the budget went to research grants in 2024?")
    assert "60%" in ans.text.split(";")[0]


def test_another_source_dating_the_same_event_otherwise_is_shown(lakeside: ClusterQA) -> None:
    ans = lakeside.ask("When did Ostmere Research Park open?")
    assert ans.text.startswith("Ostmere Research Park opened in 2011.")  # said, not "'s opened"
    assert ans.conflict and "2012" in ans.text


# --- who leads, what a sentence is about, figures, profiles, conflicts (another corpus: the
# lakeside one's tests count its parks) ---------------------------------------------------------

@pytest.fixture(scope="module")
def harbin(tmp_path_factory: pytest.TempPathFactory) -> ClusterQA:
    root = tmp_path_factory.mktemp("harbin")
    shutil.copytree(Path(__file__).parent / "data/corpora_unit/harbin", root / "corpus")
    qa = ClusterQA(corpus_dir=root / "corpus", index_dir=root / "index")
    qa.build_index()
    return qa


def test_who_heads_a_campus_is_its_director_not_the_company_running_it(harbin: ClusterQA
                                                                      ) -> None:
    ans = harbin.ask("Who heads Harbin Quay Campus?")
    assert "Lena Morrow" in ans.text and "Quay Estates" not in ans.text


def test_a_sentence_about_a_tenant_company_is_not_the_campus_headcount(harbin: ClusterQA
                                                                       ) -> None:
    ans = harbin.ask("Roughly how many people work at Harbin Quay Campus these days?")
    assert "700" in ans.text
    assert "85 people" not in ans.text and "40,000" not in ans.text


def test_a_figure_with_a_thousands_separator_is_a_count_not_a_year(harbin: ClusterQA
                                                                    ) -> None:
    ans = harbin.ask("How many people does Tarn Robotics employ?")
    assert not ans.abstained and "1,900" in ans.text


def test_here_is_said_with_the_place_its_section_is_about(harbin: ClusterQA) -> None:
    ans = harbin.ask("Which site did the Lakeside Marine Institute move its wave tank to?")
    assert "Harbin Quay Campus" in ans.text and "wave tank here" in ans.text


def test_a_profile_shows_a_tables_latest_year_not_every_year(harbin: ClusterQA) -> None:
    ans = harbin.ask("Tell me about Harbin Quay Campus")
    assert not ans.abstained and "86%" in ans.text
    assert "70%" not in ans.text and "78%" not in ans.text


def test_two_sources_giving_an_area_otherwise_are_both_cited(harbin: ClusterQA) -> None:
    ans = harbin.ask("How big is Harbin Quay Campus?")
    assert ans.conflict and "6.5" in ans.text and "8 hectares" in ans.text
    assert len({c.source for c in ans.citations}) == 2



def test_who_holds_a_post_no_one_is_named_for_is_not_answered(harbin: ClusterQA) -> None:
    ans = harbin.ask("Who is the Mayor of Harbin?")
    assert ans.abstained and not ans.citations


def test_what_else_a_thing_is_called_is_answered_by_the_name_it_is_known_as(
        harbin: ClusterQA) -> None:
    ans = harbin.ask("What other name does Harbin Quay Campus go by?")
    assert "Ferry Works" in ans.text


def test_a_rank_the_article_states_otherwise_is_cited_beside_the_tables(shipped: ClusterQA
                                                                         ) -> None:
    ans = shipped.ask("Where does Seoul rank in the 2024 GII cluster list?")
    assert ans.conflict and "4th" in ans.text and "third" in ans.text
    assert {c.source for c in ans.citations} >= {"global_innovation_clusters.txt"}


def test_a_name_sharing_all_but_its_rarest_word_is_another_thing(harbin: ClusterQA) -> None:
    ans = harbin.ask("Who is the director of Selby Quay Campus?")
    assert ans.abstained and not ans.citations
