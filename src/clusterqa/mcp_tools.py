"""clusterqa as Model Context Protocol tools, served over streamable HTTP at ``/mcp``.

Agents and IDE assistants call tools over MCP. The official SDK serves them here rather than
Gradio's own MCP support, because Gradio's MCP endpoint does not check the app's login. The
descriptions below are what an agent reads to decide when to call a tool, so they say what the
sources hold and what comes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import anyio.to_thread
from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from mcp.server.fastmcp.server import StreamableHTTPASGIApp
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from .errors import ClusterQAError
from .models import Citation, SourceInfo

if TYPE_CHECKING:
    from anyio import CapacityLimiter
    from starlette.types import ASGIApp

    from .api import ClusterQA

PATH = "/mcp"
INSTRUCTIONS = (
    "clusterqa answers questions about the world's innovation clusters (science and technology "
    "hubs such as Tokyo–Yokohama or Shenzhen–Hong Kong–Guangzhou: their rankings, patent and "
    "publication figures, countries, strengths) from the documents and tables indexed on this "
    "server (list_sources names them), offline and without a language model. Every answer "
    "quotes its sources with numbered citations; when the sources do not say, it abstains "
    "instead of guessing."
)
_READ_ONLY = ToolAnnotations(
    readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=False
)


class AskResult(BaseModel):
    """An answer with the evidence behind each of its [n] markers, or an abstention."""

    answer: str = Field(
        description="The answer; each claim ends with a marker like [1] that "
        "refers to the citation with that number."
    )
    abstained: bool = Field(
        description="True when the sources do not answer the question; "
        "'answer' then says so and 'related' lists the closest passages."
    )
    citations: list[Citation] = Field(
        description="The evidence, one entry per marker: source "
        "file, title, location, exact quote, URL, table row."
    )
    related: list[Citation] = Field(description="Closest passages when it abstained.")
    resolved_question: str = Field(description="The question as understood after the history.")
    notices: list[str] = Field(description="Things to tell the user (e.g. the index is stale).")


class SourceList(BaseModel):
    sources: list[SourceInfo] = Field(
        description="Every indexed file: path, title, kind "
        "(text, table, pdf, html), chunks, publisher, year, URL."
    )


def server(qa: ClusterQA, limiter: CapacityLimiter, host: str = "127.0.0.1") -> FastMCP:
    """The MCP server for ``qa``: the tools ``ask`` and ``list_sources``. ``host`` is where the
    app listens; on a loopback address the SDK refuses requests naming other hosts (DNS
    rebinding)."""
    mcp = FastMCP(
        "clusterqa",
        instructions=INSTRUCTIONS,
        host=host,
        streamable_http_path=PATH,
        stateless_http=True,
        json_response=True,
        log_level="WARNING",
    )

    @mcp.tool(title="Ask the innovation-cluster sources", annotations=_READ_ONLY)
    async def ask(question: str, history: list[str] | None = None) -> AskResult:
        """Answer a question about innovation clusters from the indexed reports and tables,
        with numbered citations (file, location, exact quote, URL, table row).

        Use it for facts about science and technology clusters: rankings and ranks by year,
        patent and scientific-publication counts, the country or region of a cluster, how many
        clusters an economy has, what a cluster is known for, what successful hubs share. Ask
        one self-contained question in plain English, e.g. "What rank is Seoul in 2024?". It
        does not reason beyond the sources: when they do not say, ``abstained`` is true, and
        you should tell the user the sources do not answer rather than guess. Quote the answer
        with its [n] markers and cite the matching entries of ``citations``.

        Args:
            question: The question, at most 1000 characters.
            history: Earlier questions of the same conversation, oldest first, only when the
                question refers back to them ("Who is its top patent applicant?").
        """
        try:
            answer = await anyio.to_thread.run_sync(
                lambda: qa.ask(question, history=history or None), limiter=limiter
            )
        except ClusterQAError as exc:
            raise ToolError(str(exc)) from None
        return AskResult(
            answer=answer.text,
            abstained=answer.abstained,
            citations=answer.citations,
            related=answer.related,
            resolved_question=answer.resolved_question,
            notices=answer.notices,
        )

    @mcp.tool(title="List the indexed sources", annotations=_READ_ONLY)
    async def list_sources() -> SourceList:
        """List the documents and tables the ``ask`` tool answers from: file path, title,
        kind (text, table, pdf, html), publisher, year and URL of each.

        Use it to tell the user what the knowledge covers, to check whether a report or
        dataset is included before asking about it, or to cite a source in full."""
        try:
            found = await anyio.to_thread.run_sync(qa.sources, limiter=limiter)
        except ClusterQAError as exc:
            raise ToolError(str(exc)) from None
        return SourceList(sources=found)

    return mcp


def asgi_app(mcp: FastMCP) -> ASGIApp:
    """The streamable-HTTP endpoint of ``mcp`` as a plain ASGI app, to route at ``PATH`` on the
    app's own server; its session manager must run in that server's lifespan."""
    mcp.streamable_http_app()  # creates the session manager the endpoint hands requests to
    return StreamableHTTPASGIApp(mcp.session_manager)
