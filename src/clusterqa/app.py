"""The browser chat: a thin Gradio skin over ``ClusterQA`` (ask, sources, add_sources, rebuild).

This module imports Gradio at the top, so only ``clusterqa serve`` imports it. Per-browser
state (the conversation) lives in ``gr.State``; sessions share nothing but the ``ClusterQA``
object, which serves them all from one index. Rendering rules live in ``app_render``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from clusterqa import serving
from clusterqa.app_render import (
    CSS,
    LIBRARY_HEADERS,
    PANEL_PLACEHOLDER,
    answer_message,
    chart_file,
    chat_text,
    library_rows,
    sources_html,
)
from clusterqa.errors import ClusterQAError, IndexBusyError
from clusterqa.models import Answer
from clusterqa.workers import AskPool, worker_count

if TYPE_CHECKING:
    from clusterqa import ClusterQA

log = logging.getLogger(__name__)

EXAMPLES = [
    "Which cluster ranks first?",
    "What rank is Munich in 2024?",
    "How many clusters does China have in the top 100?",
    "What do successful innovation hubs have in common?",
]
UPLOAD_TYPES = [".txt", ".md", ".csv", ".pdf", ".html", ".htm"]
# Every hour, uploads older than an hour still in Gradio's cache (ones never added) are deleted.
UPLOAD_CACHE_SWEEP = (3600, 3600)
# A question takes well under a second; a few at once keep two cores busy without letting a
# burst of requests queue up behind one slow answer.
ASK_CONCURRENCY = 4
QUEUE_STATUS_SECONDS = 1.0
INTERNAL_ERROR = (
    "the question could not be answered because of an internal error (logged on the server) "
    "— try again, or report it with the question"
)
ChatOutputs = tuple[str, list[Answer], list[dict[str, Any]], str]


def _history(turns: list[Answer]) -> list[dict[str, str]]:
    """Earlier turns in the shape ``ClusterQA.ask`` accepts, oldest first."""
    history: list[dict[str, str]] = []
    for turn in turns:
        history.append({"role": "user", "content": turn.question})
        history.append({"role": "assistant", "content": turn.text})
    return history


def _messages(turns: list[Answer]) -> list[dict[str, Any]]:
    """The chat as the Chatbot shows it, derived from the turns: two messages per turn (a
    chart, when the answer has one, is part of the assistant's message)."""
    messages: list[dict[str, Any]] = []
    for turn in turns:
        messages.append({"role": "user", "content": chat_text(turn.question)})
        content: Any = answer_message(turn)
        chart = chart_file(turn)
        if chart is not None:
            content = [content, {"path": str(chart), "alt_text": turn.chart.title
                                 if turn.chart else "chart"}]
        messages.append({"role": "assistant", "content": content})
    return messages


def _progress_feed(progress: gr.Progress) -> Callable[[float, str], None]:
    """Adapts the library's ``progress(fraction, message)`` callback to ``gr.Progress``."""

    def feed(fraction: float, message: str) -> None:
        progress(min(max(fraction, 0.0), 1.0), desc=message)

    return feed


def _chat_tab(ask: Callable[..., Answer]) -> None:
    """The conversation, its input and examples, and the sources panel beside it."""

    def chat(question: str, turns: list[Answer]) -> ChatOutputs:
        try:
            answer = ask(question, history=_history(turns))
        except ClusterQAError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception:  # a bug: logged here, never shown to the user in its own words
            log.exception("internal error answering a question")
            raise gr.Error(INTERNAL_ERROR, print_exception=False) from None
        turns = [*turns, answer]
        return "", turns, _messages(turns), sources_html(answer, len(turns))

    def ask_example(turns: list[Answer], evt: gr.SelectData) -> ChatOutputs:
        value = evt.value if isinstance(evt.value, dict) else {}
        return chat(str(value.get("text", "")), turns)

    def show_sources(turns: list[Answer], evt: gr.SelectData) -> str:
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        turn = int(index) // 2
        if not 0 <= turn < len(turns):
            return PANEL_PLACEHOLDER
        return sources_html(turns[turn], turn + 1)

    def new_chat() -> tuple[list[Answer], list[dict[str, str]], str, str]:
        return [], [], PANEL_PLACEHOLDER, ""

    turns = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=360):
            chatbot = gr.Chatbot(
                elem_id="cqa-chat",
                label="Conversation",
                height=540,
                sanitize_html=True,
                allow_tags=False,
                latex_delimiters=[],
                buttons=["copy"],
                feedback_options=None,
                examples=[{"text": q} for q in EXAMPLES],
                placeholder="Ask about innovation clusters, or pick an example.",
            )
            with gr.Row():
                question = gr.Textbox(
                    elem_id="cqa-question",
                    container=False,
                    show_label=False,
                    placeholder="Your question… (Enter to send)",
                    scale=5,
                    max_lines=4,
                    autofocus=True,
                )
                send = gr.Button("Ask", variant="primary", scale=1, elem_id="cqa-ask")
                clear = gr.Button("New chat", scale=1, elem_id="cqa-new-chat")
        with gr.Column(scale=2, min_width=320):
            gr.Markdown("### Sources")
            panel = gr.HTML(PANEL_PLACEHOLDER, elem_id="cqa-sources", max_height=580)

    outputs = [question, turns, chatbot, panel]
    asking: dict[str, Any] = {
        "api_visibility": "private",
        "concurrency_limit": ASK_CONCURRENCY,
        "concurrency_id": "ask",
    }
    question.submit(chat, [question, turns], outputs, **asking)
    send.click(chat, [question, turns], outputs, **asking)
    chatbot.example_select(ask_example, [turns], outputs, **asking)
    chatbot.select(show_sources, [turns], [panel], api_visibility="private", queue=False)
    for control in (clear.click, chatbot.clear):
        control(new_chat, None, [turns, chatbot, panel, question], api_visibility="private")


def _discard_uploads(files: list[str]) -> None:
    """Remove Gradio's cached copies of uploaded files once they are in the corpus, so the
    upload cache does not keep every file ever sent; ``delete_cache`` sweeps refused ones."""
    for f in files:
        path = Path(f)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # Gradio keeps each upload in a folder of its own
            path.parent.rmdir()


def _library_tab(qa: ClusterQA) -> tuple[gr.Dataframe, Callable[[], list[list[str | int]]]]:
    """Indexed sources, upload, and rebuild with a progress bar and the build report.
    Returns the table and its loader, for the page load to fill."""

    def library() -> list[list[str | int]]:
        try:
            return library_rows(qa.sources())
        except ClusterQAError as exc:  # e.g. an index built under other settings
            gr.Warning(f"The index cannot be read: {exc}")
            return []

    def add_files(
        files: list[str] | None,
        overwrite: bool,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - how Gradio injects progress
    ) -> tuple[str, Any, Any]:
        if not files:
            return "Choose one or more files first.", gr.skip(), gr.skip()
        try:
            report = qa.add_sources(
                [Path(f) for f in files], overwrite=overwrite, progress=_progress_feed(progress)
            )
        except ClusterQAError as exc:  # kept for a retry (e.g. with overwrite) until swept
            return f"Not added: {exc}", gr.skip(), gr.skip()
        _discard_uploads(files)
        names = ", ".join(report.added + report.changed) or "nothing new"
        return f"Added to the library: {names}.\n{report.summary()}", library(), None

    def rebuild(
        full: bool,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - how Gradio injects progress
    ) -> tuple[Any, Any]:
        try:
            report = qa.build_index(full=full, progress=_progress_feed(progress))
        except IndexBusyError as exc:
            gr.Warning(f"Rebuild refused: {exc}")
            return f"Rebuild refused: {exc}", gr.skip()
        except ClusterQAError as exc:
            return f"Rebuild failed; the previous index keeps serving.\n{exc}", gr.skip()
        return report.summary(), library()

    table = gr.Dataframe(
        headers=LIBRARY_HEADERS,
        datatype=["str", "str", "str", "number", "str"],
        column_widths=["44%", "26%", "7%", "7%", "16%"],
        interactive=False,
        label="Indexed sources",
        elem_id="cqa-library",
    )
    with gr.Row():
        with gr.Column():
            files = gr.File(
                label=f"Add sources ({' '.join(UPLOAD_TYPES)}; at most "
                f"{qa.settings.max_file_mb:g} MB each)",
                file_count="multiple",
                file_types=UPLOAD_TYPES,
                elem_id="cqa-upload",
            )
            overwrite = gr.Checkbox(
                label="Overwrite files with the same name", elem_id="cqa-overwrite"
            )
            add = gr.Button("Add to library", elem_id="cqa-add")
        with gr.Column():
            full = gr.Checkbox(label="Full rebuild (re-embed everything)", elem_id="cqa-full")
            build = gr.Button("Rebuild index", variant="primary", elem_id="cqa-rebuild")
            status = gr.Textbox(label="Status", lines=4, interactive=False, elem_id="cqa-status")

    # No queue limit on builds: the library itself refuses a second build while one runs, so
    # a second click is answered with that refusal at once instead of waiting in line.
    add.click(
        add_files,
        [files, overwrite],
        [status, table, files],
        api_visibility="private",
        concurrency_limit=None,
        show_progress_on=[status],
    )
    build.click(
        rebuild,
        [full],
        [status, table],
        api_visibility="private",
        concurrency_limit=None,
        show_progress_on=[status],
    )
    return table, library


def build_app(qa: ClusterQA, pool: AskPool | None = None) -> gr.Blocks:
    """The Blocks app: a Chat tab with a sources panel, a Library tab, and the ``/ask`` API.
    With a ``pool``, questions are answered in its worker processes."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    ask = pool.ask if pool is not None else qa.ask

    def api_ask(question: str, history: list[Any] | None = None) -> dict[str, Any]:
        """Answers a question from the indexed sources. ``history`` lists earlier turns,
        oldest first (plain strings are earlier questions). Returns the Answer as JSON."""
        try:
            return ask(question, history=history or None).model_dump(mode="json")
        except ClusterQAError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception:  # a bug: logged here, never shown to the user in its own words
            log.exception("internal error answering a question")
            raise gr.Error(INTERNAL_ERROR, print_exception=False) from None

    with gr.Blocks(
        title="clusterqa",
        analytics_enabled=False,
        fill_width=True,
        delete_cache=UPLOAD_CACHE_SWEEP,
    ) as demo:
        gr.Markdown(
            "## clusterqa\nAsk about the world's innovation clusters. Every answer cites its "
            "sources; click an answer to see them beside the chat."
        )
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                _chat_tab(ask)
            with gr.Tab("Library", id="library"):
                table, library = _library_tab(qa)
        gr.api(api_ask, api_name="ask", concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
        demo.load(library, None, [table], api_visibility="private")
    # Queue positions are sent to waiting clients once a second rather than to every waiting
    # client each time any answer completes (with 50 waiting, 50 messages per answer).
    demo.queue(default_concurrency_limit=ASK_CONCURRENCY, status_update_rate=QUEUE_STATUS_SECONDS)
    return demo


def parse_auth(auth: str | None) -> list[tuple[str, str]] | None:
    """Logins from ``user:password`` or from a file with one such line per user."""
    if not auth:
        return None
    path = Path(auth).expanduser()
    from_file = path.is_file()
    lines = path.read_text(encoding="utf-8").splitlines() if from_file else [auth]
    pairs = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not (sep and user and password):
            where = f"{path} line {number}" if from_file else "auth setting"
            raise ClusterQAError(
                f"{where}: expected 'user:password' — set CLUSTERQA_AUTH=user:password "
                "or point it at a file with one such line per user"
            )
        pairs.append((user, password))
    if not pairs:
        raise ClusterQAError(f"{path}: no 'user:password' line — add one or unset CLUSTERQA_AUTH")
    return pairs


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def launch_options(
    qa: ClusterQA, host: str = "127.0.0.1", port: int = 7860, auth: str | None = None
) -> dict[str, Any]:
    """Arguments for ``Blocks.launch``: a theme without web fonts, CSS, limits and login, and
    the OpenAI and MCP endpoints beside the chat, behind the same login (``serving``)."""
    sans = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"]
    mono = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]
    credentials = parse_auth(auth)
    return {
        "server_name": host,
        "server_port": port,
        "auth": credentials,
        "auth_message": "Log in to clusterqa." if credentials else None,
        "theme": gr.themes.Default(primary_hue="blue", font=sans, font_mono=mono),
        "css": CSS,
        "max_file_size": int(qa.settings.max_file_mb * 1024 * 1024),
        "footer_links": ["api"],
        "ssr_mode": False,
        "mcp_server": False,
        "pwa": False,
        "enable_monitoring": False,
        "show_error": True,
        "quiet": True,
        "app_kwargs": serving.app_kwargs(qa, credentials, host),
    }


def serve(
    qa: ClusterQA, host: str = "127.0.0.1", port: int = 7860, auth: str | None = None
) -> None:
    """Builds the index if there is none, then serves the chat until interrupted."""
    options = launch_options(qa, host, port, auth)
    if not options["auth"] and not is_loopback(host):
        message = (
            f"serving on {host} without a login: anyone who can reach this address can use "
            "the app and read your sources. Set CLUSTERQA_AUTH=user:password (or a file of "
            "such lines), or bind to 127.0.0.1."
        )
        print(f"WARNING: {message}", file=sys.stderr)
    report = qa.ensure_index(progress=lambda _fraction, message: log.info("index: %s", message))
    if report is not None:
        print(
            f"clusterqa: there was no index, so it was built first.\n{report.summary()}",
            file=sys.stderr,
        )
    workers = worker_count(qa.settings.answer_workers)
    pool = AskPool(qa, workers) if workers else None
    if pool is not None:
        print(f"clusterqa: starting {workers} answering processes", file=sys.stderr)
        pool.warm()
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    print(f"clusterqa: open http://{shown}:{port} (Ctrl+C stops); OpenAI API at "
          f"http://{shown}:{port}/v1, MCP at http://{shown}:{port}/mcp", file=sys.stderr)
    try:
        build_app(qa, pool).launch(**options)
    finally:
        if pool is not None:
            pool.close()
