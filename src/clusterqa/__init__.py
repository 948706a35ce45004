"""clusterqa: cited, offline question answering over documents and tables about innovation
clusters.

    >>> import clusterqa
    >>> ans = clusterqa.ask("Which cluster ranks first?")
    >>> ans.text, ans.citations[0].location

Names are imported on first use, so ``clusterqa --help`` starts without loading numpy or torch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_WHERE = {
    "Answer": "models", "BuildReport": "models", "Citation": "models", "Locator": "models",
    "Passage": "models", "SourceInfo": "models", "TableRow": "models",
    "ClusterQA": "api", "ask": "api", "Settings": "settings",
    "ClusterQAError": "errors", "EmptyCorpusError": "errors", "IndexBusyError": "errors",
    "IndexDamagedError": "errors", "IndexMismatchError": "errors", "QuestionError": "errors",
    "SourceError": "errors",
}

__all__ = [
    "Answer",
    "BuildReport",
    "Citation",
    "ClusterQA",
    "ClusterQAError",
    "EmptyCorpusError",
    "IndexBusyError",
    "IndexDamagedError",
    "IndexMismatchError",
    "Locator",
    "Passage",
    "QuestionError",
    "Settings",
    "SourceError",
    "SourceInfo",
    "TableRow",
    "ask",
]

if TYPE_CHECKING:  # pragma: no cover
    from .api import ClusterQA, ask
    from .errors import (
        ClusterQAError,
        EmptyCorpusError,
        IndexBusyError,
        IndexDamagedError,
        IndexMismatchError,
        QuestionError,
        SourceError,
    )
    from .models import Answer, BuildReport, Citation, Locator, Passage, SourceInfo, TableRow
    from .settings import Settings


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'clusterqa' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
