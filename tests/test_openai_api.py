"""The OpenAI-compatible API, driven with the official ``openai`` client against the real server."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import openai
import pytest
from app_fixtures import RunningApp, serve_in_thread
from openai import OpenAI
from test_app_api import RANKS_2024

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:gradio.queueing")
LOGIN = "reader:s3cret words"
FIRST = "Which cluster ranks first in the article?"


@pytest.fixture(scope="module")
def client(app: RunningApp) -> OpenAI:
    # With no login configured the key is not checked, but the client insists on one.
    return OpenAI(base_url=f"{app.url}v1", api_key="unused", max_retries=0)


@pytest.fixture(scope="module")
def guarded_url(app: RunningApp) -> str:
    """A second server over the same library, behind a login."""
    return serve_in_thread(app.qa, auth=LOGIN)


def ask(client: OpenAI, *messages: str) -> openai.types.chat.ChatCompletion:
    """Alternating user/assistant messages, oldest first; the last one is the question."""
    turns = [
        {"role": "assistant" if i % 2 else "user", "content": m} for i, m in enumerate(messages)
    ]
    return client.chat.completions.create(model="clusterqa", messages=turns)  # type: ignore[arg-type]


def test_a_completion_answers_with_markers_sources_and_structured_citations(
    client: OpenAI,
) -> None:
    reply = ask(client, FIRST)

    content = reply.choices[0].message.content or ""
    assert content.startswith("Tokyo-Yokohama") and "[1]" in content
    assert "Sources:\n- [1] " in content and "global_innovation_clusters.txt, line 5" in content
    assert reply.choices[0].finish_reason == "stop" and reply.model == "clusterqa"
    extra = reply.model_extra or {}
    assert extra["clusterqa"]["abstained"] is False
    cited = extra["citations"][0]
    assert cited["number"] == 1 and cited["source"] == "global_innovation_clusters.txt"
    assert "Tokyo-Yokohama" in cited["quote"] and cited["location"] == "line 5"


def test_a_table_answer_carries_the_cited_row(client: OpenAI, app: RunningApp) -> None:
    reply = ask(client, "What rank is Paris in 2024?")

    assert re.search(r"\b12(th)?\b", reply.choices[0].message.content or "")
    cited = (reply.model_extra or {})["citations"][0]
    row = dict(zip(cited["table"]["header"], cited["table"]["values"], strict=True))
    assert cited["source"] == "gii_2024_top_clusters.csv" and row["cluster"] == "Paris"
    direct = app.qa.ask("What rank is Paris in 2024?")
    assert (reply.model_extra or {})["citations"] == [
        c.model_dump(mode="json") for c in direct.citations
    ]


def test_earlier_messages_are_the_history(client: OpenAI) -> None:
    alone = ask(client, "What is it known for?")
    followed = ask(client, FIRST, "Tokyo-Yokohama is first. [1]", "What is it known for?")

    assert (alone.model_extra or {})["clusterqa"]["abstained"] is True
    content = followed.choices[0].message.content or ""
    assert "Tokyo-Yokohama" in content and "electronics" in content
    resolved = (followed.model_extra or {})["clusterqa"]["resolved_question"]
    assert resolved != "What is it known for?"


def test_an_abstention_lists_the_related_passages(client: OpenAI) -> None:
    reply = ask(client, "What is the GDP of Atlantis?")

    extra = reply.model_extra or {}
    assert extra["clusterqa"]["abstained"] is True and extra["citations"] == []
    content = reply.choices[0].message.content or ""
    assert content.startswith("The sources do not say")
    assert "Related passages" in content and len(extra["clusterqa"]["related"]) >= 1


def test_a_streamed_reply_is_the_same_reply_in_chunks(client: OpenAI) -> None:
    whole = ask(client, "What rank is Munich in 2024?")
    stream = client.chat.completions.create(
        model="clusterqa",
        messages=[{"role": "user", "content": "What rank is Munich in 2024?"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)

    pieces = [c.choices[0].delta.content or "" for c in chunks if c.choices]
    assert len(pieces) > 3
    assert "".join(pieces) == whole.choices[0].message.content
    assert re.search(r"\b22(nd)?\b", "".join(pieces))
    finished = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert len(finished) == 1
    assert (finished[0].model_extra or {})["citations"] == (whole.model_extra or {})["citations"]
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0


def test_the_stream_is_server_sent_events_ending_with_done(app: RunningApp) -> None:
    body = {
        "model": "clusterqa",
        "stream": True,
        "messages": [{"role": "user", "content": "What rank is Seoul in 2024?"}],
    }
    with httpx.stream("POST", f"{app.url}v1/chat/completions", json=body) as response:
        events = [line for line in response.iter_lines() if line]

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert all(e.startswith("data: ") for e in events) and events[-1] == "data: [DONE]"


def test_models_lists_clusterqa(client: OpenAI) -> None:
    assert [m.id for m in client.models.list()] == ["clusterqa"]
    assert client.models.retrieve("clusterqa").owned_by == "clusterqa"
    with pytest.raises(openai.NotFoundError) as info:
        client.models.retrieve("gpt-4o")
    assert info.value.code == "model_not_found"


@pytest.mark.parametrize(
    ("question", "says"),
    [("   ", "empty"), ("Which cluster is first? " * 50, "limit is 1000")],
    ids=["empty", "too-long"],
)
def test_a_bad_question_is_a_400_in_openai_shape(client: OpenAI, question: str, says: str) -> None:
    with pytest.raises(openai.BadRequestError) as info:
        ask(client, question)

    error = info.value
    assert error.status_code == 400 and says in error.message
    assert error.type == "invalid_request_error" and error.param == "messages"


def test_a_malformed_request_is_a_400_naming_the_problem(app: RunningApp) -> None:
    url = f"{app.url}v1/chat/completions"
    no_user = httpx.post(url, json={"messages": [{"role": "system", "content": "Be brief."}]})
    not_json = httpx.post(url, content=b"question?", headers={"content-type": "text/plain"})
    no_messages = httpx.post(url, json={"model": "clusterqa"})

    assert no_user.status_code == 400 and "role 'user'" in no_user.json()["error"]["message"]
    assert not_json.status_code == 400 and "not JSON" in not_json.json()["error"]["message"]
    assert no_messages.status_code == 400
    assert no_messages.json()["error"]["param"] == "messages"
    assert set(no_messages.json()["error"]) == {"message", "type", "param", "code"}


def test_a_login_is_the_api_key_or_http_basic(guarded_url: str) -> None:
    reader = OpenAI(base_url=f"{guarded_url}v1", api_key=LOGIN, max_retries=0)
    reply = ask(reader, "What rank is Paris in 2024?")
    assert re.search(r"\b12(th)?\b", reply.choices[0].message.content or "")
    assert [m.id for m in reader.models.list()] == ["clusterqa"]

    basic = httpx.get(f"{guarded_url}v1/models", auth=("reader", "s3cret words"))
    assert basic.status_code == 200


def test_without_the_login_the_api_answers_401(guarded_url: str) -> None:
    stranger = OpenAI(base_url=f"{guarded_url}v1", api_key="reader:wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as info:
        ask(stranger, "What rank is Paris in 2024?")
    assert info.value.status_code == 401 and info.value.code == "invalid_api_key"
    assert "user:password" in info.value.message
    with pytest.raises(openai.AuthenticationError):
        stranger.models.list()

    bare = httpx.post(
        f"{guarded_url}v1/chat/completions",
        json={"messages": [{"role": "user", "content": "Which cluster is first?"}]},
    )
    assert bare.status_code == 401 and bare.json()["error"]["code"] == "invalid_api_key"
    wrong_basic = httpx.get(f"{guarded_url}v1/models", auth=("reader", "nope"))
    assert wrong_basic.status_code == 401


def test_twenty_concurrent_clients_each_get_their_own_answer(app: RunningApp) -> None:
    questions = {f"What rank is {name} in 2024?": (name, rank) for name, rank in RANKS_2024.items()}

    def one(question: str) -> openai.types.chat.ChatCompletion:
        client = OpenAI(base_url=f"{app.url}v1", api_key="unused", max_retries=0)
        return ask(client, question)

    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = dict(zip(questions, pool.map(one, questions), strict=True))

    assert len(replies) == 20
    for question, (name, rank) in questions.items():
        reply = replies[question]
        content = reply.choices[0].message.content or ""
        assert name in content and re.search(rf"\b{rank}(st|nd|rd|th)?\b", content), content
        assert (reply.model_extra or {})["citations"], reply
