"""clusterqa: cited, offline question answering over documents and tables about innovation
clusters."""

from .api import ClusterQA, ask
from .errors import (ClusterQAError, EmptyCorpusError, IndexBusyError, IndexMismatchError,
                     QuestionError, SourceError)
from .models import Answer, BuildReport, Citation, Locator, Passage, SourceInfo, TableRow
from .settings import Settings

__all__ = [
    "Answer",
    "BuildReport",
    "Citation",
    "ClusterQA",
    "ClusterQAError",
    "EmptyCorpusError",
    "IndexBusyError",
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
__version__ = "0.1.0"
