"""The ``clusterqa`` command: a thin skin over the Python API.

Expected failures (bad questions, unreadable settings, a busy index) print one line and exit
non-zero (2 for usage and bad questions); ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import ClusterQAError, QuestionError
from .textcheck import printable

EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="clusterqa",
        description="Cited, offline answers about the world's innovation clusters.",
    )
    p.add_argument("--corpus", type=Path, help="corpus folder (default corpus/, "
                   "or CLUSTERQA_CORPUS_DIR)")
    p.add_argument("--index", type=Path, help="index folder (default index/, "
                   "or CLUSTERQA_INDEX_DIR)")
    p.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("index", help="build or update the index from the corpus")
    s.add_argument("--full", action="store_true", help="re-embed everything")

    s = sub.add_parser("ask", help="ask a question")
    s.add_argument("question")
    s.add_argument("--json", action="store_true", help="print the answer as JSON")
    s.add_argument("--top-k", type=int, help="passages retrieved (default 5)")
    s.add_argument("--history", action="append", default=[], metavar="QUESTION",
                   help="an earlier question of the conversation (repeat, oldest first)")

    s = sub.add_parser("sources", help="list the indexed sources")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("serve", help="run the browser chat, the OpenAI API and the MCP server")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=7860)

    s = sub.add_parser("eval", help="measure answer quality on question sets (JSON Lines)")
    s.add_argument("files", nargs="*", type=Path)
    s.add_argument("--bank", type=Path, metavar="TOML",
                   help="a question bank (e.g. tests/data/bank/banks.toml): each set asked "
                   "against its own corpus, reported per corpus, split and kind")
    s.add_argument("--work", type=Path, default=Path("benchmarks/out/bank"),
                   help="where --bank builds each set's corpus and index")
    s.add_argument("--mode", action="append", choices=["hybrid", "dense", "keyword"],
                   help="retrieval mode(s) to run (default: all three)")
    s.add_argument("--split", choices=["tune", "test"],
                   help="with --bank: ask only this split's questions")
    s.add_argument("--json", action="store_true")
    s.add_argument("--top-k", type=int)
    s.add_argument("--markdown", type=Path, metavar="PATH",
                   help="also write the report as Markdown (e.g. docs/quality.md)")
    return p


def _progress_bar() -> tuple[Callable[[float, str], None], Callable[[], None]]:
    """A progress bar on stderr for long work, fed by the library's progress callbacks."""
    from tqdm import tqdm

    bar = tqdm(total=100, file=sys.stderr, bar_format="{l_bar}{bar}| {elapsed}",
               disable=not sys.stderr.isatty() and None)
    state = {"n": 0}

    def update(fraction: float, message: str) -> None:
        target = int(fraction * 100)
        bar.set_description(message[:40].ljust(40))
        if target > state["n"]:
            bar.update(target - state["n"])
            state["n"] = target

    return update, bar.close


def _qa(args: argparse.Namespace) -> Any:
    from .api import ClusterQA

    return ClusterQA(corpus_dir=args.corpus, index_dir=args.index)


def cmd_index(args: argparse.Namespace) -> int:
    qa = _qa(args)
    update, close = _progress_bar()
    try:
        report = qa.build_index(full=args.full, progress=update)
    finally:
        close()
    print("\n".join(printable(line) for line in report.summary().splitlines()))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    qa = _qa(args)
    answer = qa.ask(args.question, history=args.history, top_k=args.top_k)
    if args.json:
        print(answer.model_dump_json(indent=2))
        return 0
    for notice in answer.notices:
        print(f"note: {notice}", file=sys.stderr)
    print(answer.text)
    listed = answer.related if answer.abstained else answer.citations
    if listed:
        print("\nRelated passages:" if answer.abstained else "\nSources:")
    for c in listed:
        where = f"{c.title} — {c.source}, {c.location}"
        print(f"[{c.number}] {where}" + (f" <{c.url}>" if c.url else ""))
        print(f"    “{c.quote}”")
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    sources = _qa(args).sources()
    if args.json:
        print(json.dumps([s.model_dump() for s in sources], indent=2, ensure_ascii=False))
        return 0
    if not sources:
        print("No index yet: run `clusterqa index`.")
    for s in sources:  # names and titles come from files: escape what would act on a terminal
        print(f"{s.chunks:5d} chunks  {s.kind:5s}  {printable(s.path)}  —  {printable(s.title)}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .app import serve

    qa = _qa(args)
    serve(qa, host=args.host, port=args.port, auth=qa.settings.auth)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation import MODES, meets_targets, render_json, render_markdown, render_text, run

    modes = tuple(args.mode or MODES)
    if args.bank:
        return _eval_bank(args, modes)
    if not args.files:
        raise ClusterQAError("name question files (.jsonl) or a bank (--bank banks.toml)")
    qa = _qa(args)
    report = run(qa, [str(f) for f in args.files], top_k=args.top_k, modes=modes)
    print(render_json(report) if args.json else render_text(report))
    if args.markdown:
        command = "clusterqa eval " + " ".join(str(f) for f in args.files)
        args.markdown.write_text(render_markdown(report, command=command), encoding="utf-8")
    return 1 if meets_targets(report) else 0


def _eval_bank(args: argparse.Namespace, modes: tuple[str, ...]) -> int:
    from .bank import bank_misses, render_bank_markdown, render_bank_text, run_bank
    from .settings import Settings

    report = run_bank(args.bank, args.corpus or Settings().corpus_dir, args.work,
                      modes,  # type: ignore[arg-type]
                      progress=lambda m: print(m, file=sys.stderr), split=args.split)
    print(report.model_dump_json(indent=2) if args.json else render_bank_text(report))
    if args.markdown:
        command = f"clusterqa eval --bank {args.bank}" + "".join(f" --mode {m}" for m in
                                                                 args.mode or [])
        args.markdown.write_text(render_bank_markdown(report, command), encoding="utf-8")
    return 1 if bank_misses(report) else 0


def _setting_problem(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return str(exc).splitlines()[0]
    parts = [f"CLUSTERQA_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
             for e in errors()]
    return "invalid setting " + "; ".join(parts) + " — fix or unset it"


COMMANDS = {"index": cmd_index, "ask": cmd_ask, "sources": cmd_sources, "serve": cmd_serve,
            "eval": cmd_eval}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.debug:  # bm25s sets its own logger to DEBUG when it is imported (later, on
        # first use), so the level is enforced where records are printed, not per logger.
        for handler in logging.getLogger().handlers:
            handler.setLevel(logging.WARNING)
    try:
        return COMMANDS[args.command](args)
    except QuestionError as exc:
        print(f"clusterqa: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ClusterQAError as exc:
        if args.debug:
            raise
        print(f"clusterqa: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # settings from the environment that do not validate
        if args.debug:
            raise
        print(f"clusterqa: {_setting_problem(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("clusterqa: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
