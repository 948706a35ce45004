"""Text from outside (questions, history, file names) checked before anything reads it.

The tokenizer raises a bare ``TypeError`` on a lone surrogate (what Python makes of invalid
UTF-8 in a command-line argument, or what a JSON ``"\\ud800"`` decodes to), and a terminal
obeys control characters in a file name. Both are refused or escaped here, at the boundary,
with a message that says what to do. History gets limits of its own so that a long
conversation costs no more than its recent turns: only those are read.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from .conversation import user_turns
from .errors import QuestionError

# How many raw history entries are looked at per kept turn (a turn is a question and an
# answer, sometimes with more messages between); older entries are never read.
_ENTRIES_PER_TURN = 4


def check_text(text: str, what: str) -> None:
    """Refuse text that is not valid Unicode (invalid UTF-8, a lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise QuestionError(
            f"{what} is not valid text (character {exc.start + 1} is invalid UTF-8 or a lone "
            "surrogate) — retype it as plain text"
        ) from None


def _controls(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in text)


def check_history(history: Any, max_turns: int, max_chars: int) -> list[str]:
    """The earlier user questions to read, oldest first: the most recent ones only, at most
    ``max_turns`` of them and ``max_chars`` characters in all (older turns are dropped).

    A history that is not a list, or one recent question longer than ``max_chars`` on its
    own, is refused with a ``QuestionError``."""
    if history is None:
        return []
    if isinstance(history, str):
        history = [history]
    if not isinstance(history, (list, tuple)):
        raise QuestionError("history must be a list of earlier questions (strings or "
                            f"role/content messages), not {type(history).__name__}")
    kept: list[str] = []
    total = 0
    for n, item in enumerate(reversed(history)):
        if len(kept) >= max_turns or n >= max_turns * _ENTRIES_PER_TURN:
            break
        try:
            turns = user_turns([item])
        except (TypeError, AttributeError):
            raise QuestionError("a history item is neither a question nor a role/content "
                                "message — send strings or {'role', 'content'} messages") from None
        for turn in turns:
            check_text(turn, "a history item")
            if _controls(turn):
                raise QuestionError("a history item contains control characters — send plain "
                                    "text")
            if len(turn) > max_chars:
                raise QuestionError(
                    f"a history item is {len(turn)} characters long; the limit is {max_chars} "
                    "(CLUSTERQA_MAX_HISTORY_CHARS) — send the earlier questions, not documents"
                )
            total += len(turn)
            if total > max_chars:
                return kept[::-1]
            kept.append(turn)
    return kept[::-1]


def printable(name: str) -> str:
    """A name safe to print on a terminal: control and format characters and lone surrogates
    shown as escapes (``\\x1b``, ``\\u202e``) instead of acting on the terminal."""
    return "".join(
        c if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn") or c == " "
        else (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        for c in name
    )
