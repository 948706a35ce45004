"""What ``clusterqa serve`` offers programs beside the browser chat, on the same port and
behind the same login: the OpenAI chat-completions API under ``/v1`` and the MCP server at
``/mcp``. Gradio builds the server; these routes reach it through ``launch(app_kwargs=...)``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import anyio
from starlette.routing import Route

from . import mcp_tools, openai_api
from .http_auth import Login, LoginRequired

if TYPE_CHECKING:
    from .api import ClusterQA

# Questions answered at once for these clients, as for the chat: enough to keep two cores
# busy, few enough that a burst of requests does not crowd out the browser users.
ASK_THREADS = 4


def app_kwargs(
    qa: ClusterQA, credentials: list[tuple[str, str]] | None, host: str = "127.0.0.1"
) -> dict[str, Any]:
    """Keyword arguments for the FastAPI app Gradio creates: our routes, which FastAPI tries
    before Gradio's own, and a lifespan that runs the MCP session manager."""
    login = Login(credentials)
    limiter = anyio.CapacityLimiter(ASK_THREADS)
    mcp = mcp_tools.server(qa, limiter, host)
    endpoint = LoginRequired(mcp_tools.asgi_app(mcp), login)

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        async with mcp.session_manager.run():
            yield

    routes = [
        *openai_api.routes(qa, login, limiter),
        Route(mcp_tools.PATH, endpoint, methods=["GET", "POST", "DELETE"]),
    ]
    return {"routes": routes, "lifespan": lifespan}
