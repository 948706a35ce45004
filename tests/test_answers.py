"""Answers and retrieval on the shipped corpus: every claim cited, every citation checkable in its
file, figures quoted as written, abstention, conflicts, follow-ups, and refused questions."""

from __future__ import annotations

import re

import pytest
from helpers_core import MARKER, csv_row, lines_text, squash

from clusterqa import Answer, Citation, ClusterQA, QuestionError

# Each question with the values a reader must find in the answer.
EXPECTED = {
    "Which cluster ranks first in 2024?": ["Tokyo"],
    "What rank is Paris in 2024?": ["Paris", "12"],
    "How many scientific publications did Beijing have in 2023?": ["Beijing", "279485"],
    "Which company is the top patent applicant in Seoul?": ["Samsung"],
    "How many clusters in the top 100 does China have in 2024?": ["China", "26"],
    "What supports Seoul's position according to the article?": ["Samsung", "LG"],
}
ANSWERABLE = list(EXPECTED)
CONFLICT_Q = "Which cluster is third in 2024, Seoul or Beijing?"


@pytest.fixture(scope="module")
def answers(shipped: ClusterQA) -> dict[str, Answer]:
    return {q: shipped.ask(q) for q in [*ANSWERABLE, CONFLICT_Q]}


def check_quote_is_in_its_file(qa: ClusterQA, c: Citation) -> None:
    """The quote is the cited text of the file: a sentence of the cited lines, or the row."""
    path = qa.settings.corpus_dir / c.source
    assert path.is_file(), c.source
    assert c.title and c.location and c.quote and c.passage
    assert c.location == c.locator.label
    assert c.quote in c.passage
    if c.kind == "text":
        assert c.locator.kind == "lines"
        assert squash(c.quote) in lines_text(path, c.locator.start, c.locator.end), c.quote
    elif c.kind == "table":
        assert c.locator.kind == "row" and c.table is not None
        row = csv_row(path, c.locator.start)
        assert list(row) == c.table.header
        assert list(row.values()) == c.table.values  # the cells exactly as the file has them
        for column, value in row.items():
            if value.strip() and not value.startswith("http") and "url" not in column:
                assert value.strip() in c.quote, (column, value, c.quote)


def check_claim(claim: str, c: Citation) -> None:
    """What the answer says before [n] is the cited sentence; for a table row, a sentence that
    names the row's thing (or is the row's own statement) and states only figures the row
    holds, exactly as written."""
    claim = claim.strip().removeprefix("Another source says otherwise:").strip()
    if c.table is None:
        assert c.quote in claim, (c.quote, claim)
        return
    cells = [v.strip() for v in c.table.values if v.strip()]
    assert any(v in claim for v in cells), (claim, cells)
    held = {n for text in [*cells, *c.table.header] for n in re.findall(r"\d[\d.]*", text)}
    stated = set(re.findall(r"\d[\d.]*", claim.rstrip(".")))
    assert stated <= held, f"{claim!r} states figures the row does not hold: {stated - held}"


def check_computed(claim: str, parts: list[str], c: Citation) -> None:
    """A computed answer's sentence names the cited row's thing and a value of that row
    (a rank as an ordinal: "12th" for 12)."""
    assert c.table is not None
    sentence = "".join(parts[0::2])
    cells = [v.strip() for v in c.table.values if v.strip() and not v.startswith("http")]
    assert any(v in sentence for v in cells if not v.isdigit()), (c.table.values, sentence)
    numbers = set(re.findall(r"\d+", sentence)) - set(re.findall(r"\[(\d+)\]", sentence))
    if numbers:
        assert numbers & {v for v in cells if v.isdigit()}, (c.table.values, sentence)


# --- every claim cited, every citation checkable --------------------------------------------

@pytest.mark.parametrize("question", [*ANSWERABLE, CONFLICT_Q])
def test_every_sentence_carries_a_marker_that_resolves(shipped, answers, question: str) -> None:
    ans = answers[question]
    assert not ans.abstained, ans.text
    for value in EXPECTED.get(question, ["Beijing"]):
        assert value in ans.text, (value, ans.text)
    assert ans.citations
    by_number = {c.number: c for c in ans.citations}
    assert list(by_number) == list(range(1, len(ans.citations) + 1))
    parts = MARKER.split(ans.text)
    assert {int(n) for n in parts[1::2]} == set(by_number)
    assert not re.search(r"\w", parts[-1]), f"uncited claim: {ans.text!r}"
    for claim, number in zip(parts[0::2], parts[1::2], strict=False):
        if ans.table is not None:  # a computed answer: its sentence names a cell of the row
            check_computed(claim, parts, by_number[int(number)])
        else:
            check_claim(claim, by_number[int(number)])
    for c in ans.citations:
        check_quote_is_in_its_file(shipped, c)


def test_citation_carries_catalog_metadata(answers) -> None:
    c = answers["What rank is Paris in 2024?"].citations[0]
    assert c.source == "gii_2024_top_clusters.csv"
    assert c.title == "GII 2024 top S&T clusters"
    assert c.publisher and "WIPO" in c.publisher and c.year == 2024
    assert c.url and c.url.startswith("https://")
    assert "Paris" in c.quote and "rank 2024: 12" in c.quote
    assert c.location == "row 12"


def test_table_answer_quotes_the_figures_as_written(shipped, answers) -> None:
    ans = answers["How many scientific publications did Beijing have in 2023?"]
    c = ans.citations[0]
    assert c.source == "gii_2023_top35_clusters.csv"
    assert "279485" in ans.text and "scientific publications: 279485" in c.quote
    assert c.table is not None and "279485" in c.table.values
    assert "279,485" not in ans.text
    check_quote_is_in_its_file(shipped, c)


def test_prose_answer_cites_the_article_line(shipped, answers) -> None:
    ans = answers["What supports Seoul's position according to the article?"]
    c = ans.citations[0]
    assert c.source == "global_innovation_clusters.txt" and c.kind == "text"
    assert "Samsung" in c.quote
    assert re.fullmatch(r"lines? \d+(\u2013\d+)?", c.location)


# --- abstention ---------------------------------------------------------------------------

@pytest.mark.parametrize("question", ["Who wrote War and Peace?",
                                      "What is the boiling point of mercury?"])
def test_unanswerable_question_abstains_with_related_passages(shipped, question: str) -> None:
    ans = shipped.ask(question)
    assert ans.abstained
    assert ans.citations == []
    assert "do not say" in ans.text
    assert not MARKER.search(ans.text)
    assert 0 < len(ans.related) <= shipped.settings.top_k
    for c in ans.related:
        check_quote_is_in_its_file(shipped, c)


def test_top_k_bounds_the_related_passages(shipped) -> None:
    assert len(shipped.ask("Who wrote War and Peace?", top_k=2).related) == 2


# --- sources that disagree ----------------------------------------------------------------

def test_conflicting_sources_both_cited_table_leads(shipped, answers) -> None:
    ans = answers[CONFLICT_Q]
    assert ans.conflict
    assert not ans.abstained
    first = ans.text.split("[1]")[0]
    assert "Beijing" in first and re.search(r"\b3\b|\bthird\b", first)
    kinds = {c.kind: c for c in ans.citations}
    assert set(kinds) == {"table", "text"}
    assert kinds["text"].source == "global_innovation_clusters.txt"
    assert "Seoul" in kinds["text"].quote
    for c in ans.citations:
        check_quote_is_in_its_file(shipped, c)


def test_no_conflict_flag_on_a_plain_answer(answers) -> None:
    assert not answers["How many scientific publications did Beijing have in 2023?"].conflict


# --- two questions in one ------------------------------------------------------------------

def test_two_questions_in_one_are_both_answered_and_cited(shipped) -> None:
    ans = shipped.ask("Which cluster was ranked third in 2024, and how many PCT applications "
                      "did Daejeon file in 2023?")
    assert not ans.abstained
    assert "Beijing" in ans.text and "12275" in ans.text.replace(",", "")
    numbers = [int(n) for n in MARKER.findall(ans.text)]
    assert sorted(set(numbers)) == [c.number for c in ans.citations]
    assert any("Daejeon" in c.quote for c in ans.citations)
    for c in ans.citations:
        check_quote_is_in_its_file(shipped, c)


def test_second_question_about_the_same_thing_reads_its_row_once(shipped) -> None:
    ans = shipped.ask("Where is Daejeon ranked in 2024, and what is its top patent applicant?")
    assert "17" in ans.text and "LG Chem" in ans.text
    assert len(ans.citations) == 1


# --- follow-ups ---------------------------------------------------------------------------

def test_follow_up_with_plain_string_history(shipped) -> None:
    alone = shipped.ask("What is it known for?")
    assert alone.resolved_question == "What is it known for?"
    ans = shipped.ask("What is it known for?", history=["Which cluster ranks second?"])
    assert "ranks second" in ans.resolved_question
    assert not ans.abstained
    assert "Shenzhen" in ans.text
    assert ans.question == "What is it known for?"


def test_follow_up_with_gradio_message_history(shipped) -> None:
    strings = shipped.ask("What is it known for?", history=["Which cluster ranks second?"])
    messages = [
        {"role": "user", "content": "Which cluster ranks second?"},
        {"role": "assistant", "content": "Tokyo–Yokohama and Paris are large clusters. [1]"},
    ]
    ans = shipped.ask("What is it known for?", history=messages)
    # the assistant turn is not taken for a question
    assert ans.resolved_question == strings.resolved_question
    assert ans.text == strings.text
    assert [c.quote for c in ans.citations] == [c.quote for c in strings.citations]


def test_only_the_latest_user_turn_is_followed(shipped) -> None:
    history = ["What rank is Paris in 2024?", "How many scientific publications did Beijing "
               "have in 2023?"]
    ans = shipped.ask("What about Seoul?", history=history)
    assert "scientific publications" in ans.resolved_question and "Seoul" in ans.resolved_question


def test_what_about_x_follow_up(shipped) -> None:
    ans = shipped.ask("What about Seoul?", history=["What rank is Paris in 2024?"])
    assert ans.resolved_question == "What rank is Seoul in 2024?"
    c = ans.citations[0]
    assert c.source == "gii_2024_top_clusters.csv"
    assert c.table is not None and "Seoul" in c.table.values
    assert "rank 2024: 4" in c.quote
    assert "Paris" not in ans.text


def test_what_about_something_unknown_abstains(shipped) -> None:
    ans = shipped.ask("What about Atlantis?", history=["What rank is Paris in 2024?"])
    assert ans.resolved_question == "What rank is Atlantis in 2024?"
    assert ans.abstained and ans.citations == []


def test_follow_up_with_multimodal_gradio_content(shipped) -> None:
    history = [{"role": "user", "content": [{"type": "text",
                                             "text": "What rank is Paris in 2024?"}]}]
    ans = shipped.ask("And Munich?", history=history)
    assert ans.resolved_question == "What rank is Munich in 2024?"
    assert "Munich" in ans.text and re.search(r"\b22(nd)?\b", ans.text)


def test_history_given_as_one_string_is_one_turn(shipped) -> None:
    history: object = "What rank is Paris in 2024?"
    ans = shipped.ask("What about Seoul?", history=history)  # type: ignore[arg-type]
    assert ans.resolved_question == "What rank is Seoul in 2024?"
    assert "Seoul" in ans.text and re.search(r"\b4(th)?\b", ans.text) and "Paris" not in ans.text


# --- the model as JSON --------------------------------------------------------------------

def test_answer_round_trips_through_json(answers) -> None:
    for ans in answers.values():
        again = Answer.model_validate_json(ans.model_dump_json())
        assert again == ans


# --- retrieval ----------------------------------------------------------------------------

RETRIEVAL_Q = "Which cluster has the most scientific publications?"


def test_hybrid_retrieval_returns_ranked_passages(shipped) -> None:
    passages = shipped.retrieve(RETRIEVAL_Q)
    assert len(passages) == shipped.settings.top_k
    scores = [p.score for p in passages]
    assert scores == sorted(scores, reverse=True)
    for p in passages:
        assert p.text and p.title and p.location
        assert (shipped.settings.corpus_dir / p.source).is_file()
        assert p.dense_rank is not None or p.keyword_rank is not None
    assert any(p.dense_rank and p.keyword_rank for p in passages)  # fused from both


def test_dense_and_keyword_modes_both_work_and_rank_differently(shipped) -> None:
    dense = shipped.retrieve(RETRIEVAL_Q, mode="dense", top_k=5)
    keyword = shipped.retrieve(RETRIEVAL_Q, mode="keyword", top_k=5)
    assert len(dense) == len(keyword) == 5
    assert all(p.keyword_rank is None and p.dense_rank for p in dense)
    assert all(p.dense_rank is None and p.keyword_rank for p in keyword)
    assert [p.chunk_id for p in dense] != [p.chunk_id for p in keyword]


def test_keyword_mode_finds_an_exact_figure(shipped) -> None:
    top = shipped.retrieve("279485", mode="keyword", top_k=3)
    assert "279485" in top[0].text


@pytest.mark.parametrize("k", [1, 3, 8])
def test_top_k_is_respected(shipped, k: int) -> None:
    assert len(shipped.retrieve(RETRIEVAL_Q, top_k=k)) == k


@pytest.mark.parametrize("k", [0, -1])
def test_a_top_k_below_one_is_refused(shipped, k: int) -> None:
    with pytest.raises(ValueError):
        shipped.retrieve(RETRIEVAL_Q, top_k=k)


# --- bad questions ------------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "", "   ", "\n\t ", "x" * 1001, "Which cluster\x00 ranks first?", "\x1b[2Jwhich cluster?",
    "???", "...!", 42, None, b"Which cluster ranks first?", ["Which cluster ranks first?"],
])
def test_bad_question_is_a_value_error(shipped, question: object) -> None:
    with pytest.raises(QuestionError) as err:
        shipped.ask(question)  # type: ignore[arg-type]
    assert isinstance(err.value, ValueError)
    assert str(err.value) and "\n" not in str(err.value)
    with pytest.raises(QuestionError):
        shipped.retrieve(question)  # type: ignore[arg-type]


@pytest.mark.parametrize("question", ["Which cluster\x7f ranks first?",
                                      "Which cluster\x9b31m ranks first?"])
def test_other_control_characters_are_refused(shipped, question: str) -> None:
    with pytest.raises(QuestionError):
        shipped.ask(question)


def test_too_long_message_names_the_limit(shipped) -> None:
    with pytest.raises(QuestionError, match="1000"):
        shipped.ask("x" * 1001)


def test_question_at_the_limit_and_the_configured_limit(shipped, tmp_path) -> None:
    at_limit = ("Which cluster ranks first " * 60)[:999] + "?"
    assert len(at_limit) == 1000
    assert shipped.ask(at_limit).question == at_limit
    short = ClusterQA(corpus_dir=shipped.settings.corpus_dir, index_dir=tmp_path / "none",
                      max_question_chars=20)
    with pytest.raises(QuestionError, match="20"):
        short.ask("Which cluster ranks first?")
    assert not (tmp_path / "none").exists()  # refused before anything was built


def test_multi_line_question_is_accepted(shipped) -> None:
    ans = shipped.ask("What rank is Paris\nin 2024?")
    assert "Paris" in ans.text and re.search(r"\b12(th)?\b", ans.text)


def test_a_name_is_not_the_letter_after_an_ampersand() -> None:
    """"R&D intensity of X" names X, not a "D" the corpus lacks (which made it abstain)."""
    from clusterqa.answering import proper_nouns

    assert proper_nouns("R&D intensity of Oberbayern in 2024?") == ["Oberbayern"]
    assert proper_nouns("What did Xi'an file?") == ["Xi'an"]
