"""clusterqa as an OpenAI-compatible chat model: ``POST /v1/chat/completions``, ``GET /v1/models``.

Any client that speaks the OpenAI chat-completions API (the ``openai`` package, LangChain's
``ChatOpenAI``, Open WebUI) can ask questions without code of ours. The last user message is the
question and the messages before it are the history, as ``ClusterQA.ask`` takes them. The reply
is the answer with its [n] markers and a numbered source list; the full citations ride along in
the extra top-level fields ``citations`` and ``clusterqa``, which OpenAI clients keep.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Literal

import anyio.to_thread
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from .errors import ClusterQAError, IndexBusyError, QuestionError
from .http_auth import LOGIN_HINT, Login
from .models import Answer, Citation

if TYPE_CHECKING:
    from anyio import CapacityLimiter

    from .api import ClusterQA

MODEL_ID = "clusterqa"
Endpoint = Callable[[Request], Awaitable[Response]]
# History roles the conversation reader understands; system and tool messages carry no question.
_TURN_ROLES = ("user", "assistant")


# --- requests ----------------------------------------------------------------------------------


class ContentPart(BaseModel):
    """One part of a multimodal message; only text parts can be answered."""

    model_config = ConfigDict(extra="ignore")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: str
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            if any(part.type != "text" for part in self.content):
                raise ApiError(
                    400,
                    "only text content can be answered — send the question as text",
                    param="messages",
                )
            return " ".join(part.text or "" for part in self.content)
        return self.content or ""


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")
    include_usage: bool = False


class ChatRequest(BaseModel):
    """The fields clusterqa reads; sampling options (temperature, max_tokens…) are accepted and
    ignored, as an extractive answerer has nothing to sample."""

    model_config = ConfigDict(extra="ignore")
    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None


# --- responses ---------------------------------------------------------------------------------


class Usage(BaseModel):
    """clusterqa has no tokenizer: these count words, for clients that expect the field."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class AnswerExtras(BaseModel):
    """What the content cannot carry as text: the abstention and the closest passages."""

    abstained: bool
    resolved_question: str
    conflict: bool
    related: list[Citation]
    notices: list[str]


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str = MODEL_ID
    choices: list[Choice]
    usage: Usage
    citations: list[Citation]
    clusterqa: AnswerExtras


class Delta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int = 0
    delta: Delta
    finish_reason: Literal["stop"] | None = None
    logprobs: None = None


class ChatCompletionChunk(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str = MODEL_ID
    choices: list[ChunkChoice]
    usage: Usage | None = None
    citations: list[Citation] | None = None
    clusterqa: AnswerExtras | None = None

    def event(self) -> str:
        """The chunk as one server-sent event. Empty fields are left out, as OpenAI streams
        them, except inside the citations, which keep the shape of the non-streamed reply."""
        data = self.model_dump(mode="json", exclude_none=True)
        if self.citations is not None and self.clusterqa is not None:
            data["citations"] = [c.model_dump(mode="json") for c in self.citations]
            data["clusterqa"] = self.clusterqa.model_dump(mode="json")
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


class ModelCard(BaseModel):
    id: str = MODEL_ID
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "clusterqa"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class ApiError(Exception):
    """An error answered in OpenAI's shape: ``{"error": {message, type, param, code}}``."""

    TYPES = {
        400: "invalid_request_error",
        401: "invalid_request_error",
        404: "invalid_request_error",
        503: "server_error",
        500: "server_error",
    }

    def __init__(
        self, status: int, message: str, param: str | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.param, self.code = status, message, param, code

    def response(self) -> JSONResponse:
        error = {
            "message": self.message,
            "type": self.TYPES.get(self.status, "server_error"),
            "param": self.param,
            "code": self.code,
        }
        headers = {"WWW-Authenticate": 'Bearer realm="clusterqa"'} if self.status == 401 else None
        return JSONResponse({"error": error}, status_code=self.status, headers=headers)


# --- from request to answer to reply -----------------------------------------------------------


def split_messages(messages: list[ChatMessage]) -> tuple[str, list[dict[str, str]]]:
    """The question (the last user message) and the earlier turns, oldest first."""
    last = next((i for i in range(len(messages) - 1, -1, -1) if messages[i].role == "user"), None)
    if last is None:
        raise ApiError(
            400, "no message has role 'user' — put the question in a user message", param="messages"
        )
    history = [
        {"role": m.role, "content": m.text()} for m in messages[:last] if m.role in _TURN_ROLES
    ]
    return messages[last].text(), history


def reply_content(answer: Answer) -> str:
    """The answer with its markers, then the sources it cites (or, when it abstains, the
    closest passages) as a short numbered list that reads well as text and as Markdown.
    URLs and quotes stay in the structured ``citations``: some rows carry several long URLs."""
    listed = answer.related if answer.abstained else answer.citations
    if not listed:
        return answer.text
    heading = "Related passages (they do not answer it):" if answer.abstained else "Sources:"
    lines = [f"- [{c.number}] {c.title} — {c.source}, {c.location}" for c in listed]
    return "\n".join([answer.text, "", heading, *lines])


def _extras(answer: Answer) -> AnswerExtras:
    return AnswerExtras(
        abstained=answer.abstained,
        resolved_question=answer.resolved_question,
        conflict=answer.conflict,
        related=answer.related,
        notices=answer.notices,
    )


def _usage(messages: list[ChatMessage], content: str) -> Usage:
    prompt = sum(len(m.text().split()) for m in messages)
    completion = len(content.split())
    return Usage(
        prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion
    )


def completion(answer: Answer, messages: list[ChatMessage]) -> ChatCompletion:
    content = reply_content(answer)
    return ChatCompletion(
        id=f"chatcmpl-{uuid.uuid4().hex}",
        created=int(time.time()),
        choices=[Choice(message=AssistantMessage(content=content))],
        usage=_usage(messages, content),
        citations=answer.citations,
        clusterqa=_extras(answer),
    )


def chunks(
    answer: Answer, messages: list[ChatMessage], include_usage: bool
) -> Iterator[ChatCompletionChunk]:
    """The reply as OpenAI streams it: the role, the content a word at a time, then a last
    chunk with the finish reason and the citations (and a usage chunk when asked for)."""
    content = reply_content(answer)
    made = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time())}
    yield ChatCompletionChunk(
        **made, choices=[ChunkChoice(delta=Delta(role="assistant", content=""))]
    )
    for piece in re.findall(r"\s*\S+", content):
        yield ChatCompletionChunk(**made, choices=[ChunkChoice(delta=Delta(content=piece))])
    yield ChatCompletionChunk(
        **made,
        choices=[ChunkChoice(delta=Delta(), finish_reason="stop")],
        citations=answer.citations,
        clusterqa=_extras(answer),
    )
    if include_usage:
        yield ChatCompletionChunk(**made, choices=[], usage=_usage(messages, content))


def server_sent_events(stream: Iterator[ChatCompletionChunk]) -> Iterator[str]:
    for chunk in stream:
        yield chunk.event()
    yield "data: [DONE]\n\n"


async def _read_request(request: Request) -> ChatRequest:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError(
            400, "the request body is not JSON — send a chat completions request as JSON"
        ) from None
    try:
        return ChatRequest.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or None
        raise ApiError(
            400,
            f"{where or 'request'}: {first['msg']} — see the OpenAI chat completions format",
            param=where,
        ) from None


def routes(qa: ClusterQA, login: Login, limiter: CapacityLimiter) -> list[Route]:
    """The OpenAI routes for ``qa``, behind ``login``; at most ``limiter`` questions at once,
    each answered in a worker thread so the server keeps serving while it runs."""

    async def answer(request: Request) -> Response:
        _check(request, login)
        chat = await _read_request(request)
        question, history = split_messages(chat.messages)
        try:
            answered = await anyio.to_thread.run_sync(
                lambda: qa.ask(question, history=history), limiter=limiter
            )
        except QuestionError as exc:
            raise ApiError(400, str(exc), param="messages") from None
        except IndexBusyError as exc:  # the first question found no index and one is building
            raise ApiError(503, str(exc)) from None
        except ClusterQAError as exc:
            raise ApiError(500, str(exc)) from None
        if chat.stream:
            include_usage = bool(chat.stream_options and chat.stream_options.include_usage)
            events = server_sent_events(chunks(answered, chat.messages, include_usage))
            return StreamingResponse(
                events, media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
            )
        return JSONResponse(completion(answered, chat.messages).model_dump(mode="json"))

    async def models(request: Request) -> Response:
        _check(request, login)
        return JSONResponse(ModelList(data=[ModelCard()]).model_dump())

    async def model(request: Request) -> Response:
        _check(request, login)
        name = request.path_params["name"]
        if name != MODEL_ID:
            raise ApiError(
                404,
                f"no model '{name}' — this server has one, '{MODEL_ID}'",
                param="model",
                code="model_not_found",
            )
        return JSONResponse(ModelCard().model_dump())

    return [
        Route("/v1/chat/completions", _openai_errors(answer), methods=["POST"]),
        Route("/v1/models", _openai_errors(models), methods=["GET"]),
        Route("/v1/models/{name:path}", _openai_errors(model), methods=["GET"]),
    ]


def _check(request: Request, login: Login) -> None:
    if not login.allows(request.headers.get("authorization")):
        raise ApiError(401, LOGIN_HINT, code="invalid_api_key")


def _openai_errors(endpoint: Endpoint) -> Endpoint:
    """``endpoint`` with its ``ApiError`` answered in OpenAI's error shape."""

    async def wrapped(request: Request) -> Response:
        try:
            return await endpoint(request)
        except ApiError as exc:
            return exc.response()

    return wrapped
