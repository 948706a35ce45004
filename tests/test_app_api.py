"""The web app's ``/ask`` endpoint, driven with ``gradio_client`` against the real server."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from app_fixtures import RunningApp, serve_in_thread
from gradio_client import Client
from gradio_client.exceptions import AppError

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:gradio.queueing")

# Twenty clusters with twenty different 2024 ranks, so a reply sent to the wrong request
# cannot pass for the right one.
RANKS_2024 = {
    "Tokyo–Yokohama": 1, "Beijing": 3, "Seoul": 4, "Shanghai–Suzhou": 5, "Osaka–Kobe–Kyoto": 7,
    "Nanjing": 9, "Paris": 12, "Wuhan": 13, "Hangzhou": 14, "Nagoya": 15, "Daejeon": 17,
    "London": 21, "Munich": 22, "Singapore": 33, "Tehran": 38, "Bengaluru": 56, "Busan": 81,
    "Daegu": 88, "Kuala Lumpur": 93, "Cairo": 95,
}  # fmt: skip


@pytest.fixture(scope="session")
def client(app: RunningApp) -> Client:
    return Client(app.url, verbose=False)


def test_ask_returns_the_answer_as_json_with_citations(client: Client, app: RunningApp) -> None:
    result = client.predict("What rank is Paris in 2024?", [], api_name="/ask")

    assert isinstance(result, dict)
    assert result["abstained"] is False
    assert "[1]" in result["text"] and "12" in result["text"]
    cited = result["citations"][0]
    assert cited["number"] == 1
    assert cited["source"] == "gii_2024_top_clusters.csv"
    assert (
        dict(zip(cited["table"]["header"], cited["table"]["values"], strict=True))["cluster"]
        == "Paris"
    )
    direct = app.qa.ask("What rank is Paris in 2024?").model_dump(mode="json")
    assert {**result, "seconds": 0} == {**direct, "seconds": 0}


def test_ask_reads_the_history_it_is_given(client: Client) -> None:
    alone = client.predict("What is it known for?", [], api_name="/ask")
    followed = client.predict(
        "What is it known for?", ["Which cluster ranks first in the article?"], api_name="/ask"
    )

    assert alone["resolved_question"] == "What is it known for?"
    assert alone["abstained"]  # alone, "it" is nothing
    assert "ranks first in the article" in followed["resolved_question"]
    assert not followed["abstained"]
    assert "electronics" in followed["text"] and "automotive" in followed["text"], followed
    assert followed["citations"][0]["source"] == "global_innovation_clusters.txt"


def test_twenty_concurrent_requests_each_get_their_own_answer(client: Client) -> None:
    questions = {f"What rank is {name} in 2024?": (name, rank) for name, rank in RANKS_2024.items()}

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = dict(
            zip(
                questions,
                pool.map(lambda q: client.predict(q, [], api_name="/ask"), questions),
                strict=True,
            )
        )

    assert len(results) == 20
    for question, (name, rank) in questions.items():
        answer = results[question]
        assert answer["question"] == question
        said = re.sub(r"\[\d+\]|\brow \d+", " ", answer["text"])  # "row 12" is not rank 12
        assert name in said and re.search(rf"\b{rank}(st|nd|rd|th)?\b", said), answer
        row = answer["citations"][0]["table"]
        assert row is not None and name in row["values"], answer  # cites that cluster's row


def test_an_empty_question_is_a_clear_error(client: Client) -> None:
    with pytest.raises(AppError, match="empty"):
        client.predict("   ", [], api_name="/ask")


def test_a_login_keeps_out_clients_without_it(app: RunningApp) -> None:
    url = serve_in_thread(app.qa, auth="reader:s3cret words")

    with pytest.raises(ValueError):
        Client(url, verbose=False)
    reader = Client(url, auth=("reader", "s3cret words"), verbose=False)
    assert reader.predict("What rank is Paris in 2024?", [], api_name="/ask")["citations"]
