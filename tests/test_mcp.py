"""The MCP server, driven with the official ``mcp`` client over streamable HTTP."""

from __future__ import annotations

import re
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio
import httpx
import pytest
from app_fixtures import RunningApp, serve_in_thread
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

if sys.version_info < (3, 11):  # pragma: no cover
    from exceptiongroup import ExceptionGroup

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:gradio.queueing")
LOGIN = "reader:s3cret words"
T = TypeVar("T")


@pytest.fixture(scope="module")
def guarded_url(app: RunningApp) -> str:
    """A second server over the same library, behind a login."""
    return serve_in_thread(app.qa, auth=LOGIN)


def with_session(
    url: str, work: Callable[[ClientSession], Awaitable[T]], headers: dict[str, str] | None = None
) -> T:
    """Runs ``work`` in an initialised MCP session with the server at ``url``."""

    async def main() -> T:
        async with (
            httpx.AsyncClient(headers=headers, timeout=60) as http,
            streamable_http_client(f"{url}mcp", http_client=http) as (read, write, _),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            return await work(session)

    return anyio.run(main)


def call(url: str, tool: str, headers: dict[str, str] | None = None, **arguments: Any) -> Any:
    return with_session(url, lambda s: s.call_tool(tool, arguments), headers)


def test_the_tools_are_listed_with_descriptions_for_an_agent(app: RunningApp) -> None:
    async def work(session: ClientSession) -> Any:
        return await session.list_tools()

    tools = {t.name: t for t in with_session(app.url, work).tools}

    assert set(tools) == {"ask", "list_sources"}
    ask = tools["ask"]
    assert "innovation cluster" in (ask.description or "")
    assert "abstained" in (ask.description or "")
    assert ask.inputSchema["required"] == ["question"]
    assert {"answer", "abstained", "citations"} <= set((ask.outputSchema or {})["properties"])
    assert ask.annotations is not None and ask.annotations.readOnlyHint is True
    assert "documents and tables" in (tools["list_sources"].description or "")


def test_ask_returns_the_answer_its_citations_and_the_abstention_flag(app: RunningApp) -> None:
    result = call(app.url, "ask", question="What rank is Paris in 2024?")

    assert result.isError is False
    answer = result.structuredContent
    assert re.search(r"\b12(th)?\b", answer["answer"]) and "[1]" in answer["answer"]
    assert answer["abstained"] is False
    cited = answer["citations"][0]
    row = dict(zip(cited["table"]["header"], cited["table"]["values"], strict=True))
    assert cited["source"] == "gii_2024_top_clusters.csv" and row["cluster"] == "Paris"


def test_ask_reads_the_history_and_abstains_when_the_sources_do_not_say(app: RunningApp) -> None:
    followed = call(
        app.url,
        "ask",
        question="What is it known for?",
        history=["Which cluster ranks first in the article?"],
    )
    unknown = call(app.url, "ask", question="What is the GDP of Atlantis?")

    assert "Tokyo-Yokohama" in followed.structuredContent["answer"]
    assert followed.structuredContent["citations"]
    assert unknown.structuredContent["abstained"] is True
    assert unknown.structuredContent["citations"] == []
    assert unknown.structuredContent["related"]


def test_a_bad_question_is_a_tool_error_naming_the_problem(app: RunningApp) -> None:
    result = call(app.url, "ask", question="   ")

    assert result.isError is True
    assert "empty" in result.content[0].text


def test_list_sources_names_the_indexed_files(app: RunningApp) -> None:
    result = call(app.url, "list_sources")

    sources = {s["path"]: s for s in result.structuredContent["sources"]}
    assert {"global_innovation_clusters.txt", "gii_2024_top_clusters.csv", "injected.md"} <= set(
        sources
    )
    assert sources["gii_2024_top_clusters.csv"]["kind"] == "table"
    assert sources["gii_2024_top_clusters.csv"]["title"] == "GII 2024 top S&T clusters"


def test_the_mcp_server_is_behind_the_login(guarded_url: str) -> None:
    bearer = {"Authorization": f"Bearer {LOGIN}"}
    result = call(guarded_url, "ask", headers=bearer, question="What rank is Seoul in 2024?")
    assert re.search(r"\b4(th)?\b", result.structuredContent["answer"])

    refused = httpx.post(
        f"{guarded_url}mcp",
        json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
        headers={"Accept": "application/json, text/event-stream"},
    )
    assert refused.status_code == 401 and "user:password" in refused.json()["error"]["message"]
    # the client raises the 401 from inside its task group
    with pytest.raises(ExceptionGroup) as info:
        call(guarded_url, "list_sources", headers={"Authorization": "Bearer reader:wrong"})
    assert info.group_contains(httpx.HTTPStatusError, match="401 Unauthorized")
