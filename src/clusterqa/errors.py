"""One small exception tree. The CLI and the app turn these into one-line messages."""

from __future__ import annotations


class ClusterQAError(Exception):
    """Base of every error clusterqa raises on purpose; its message is meant for users."""


class QuestionError(ClusterQAError, ValueError):
    """The question cannot be asked as typed (empty, too long, binary)."""


class SourceError(ClusterQAError):
    """A source file cannot be read or added (bad type, too large, unsafe name, exists)."""


class IndexMismatchError(ClusterQAError):
    """The index on disk was built under other settings (model, dimension, chunking, format)."""


class IndexBusyError(ClusterQAError):
    """Another rebuild of the same index is running."""


class EmptyCorpusError(ClusterQAError):
    """There is nothing to index."""


class IndexDamagedError(ClusterQAError):
    """A file of the index is missing, truncated or garbled; `clusterqa index` rebuilds it."""


class IndexWriteError(ClusterQAError):
    """The index folder cannot be written (read-only, not a folder, disk full)."""
