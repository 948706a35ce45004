"""Source metadata kept beside the files: ``corpus/sources.toml``.

One table per file, keyed by the file's path relative to the corpus folder::

    ["global_innovation_clusters.txt"]
    title = "Global Innovation Clusters: Where Intellectual Property and Capital Converge"
    publisher = "..."
    year = 2024
    url = "https://..."

Every key is optional; a file with no entry gets its title from its first heading or its name.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import SourceError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CATALOG_NAME = "sources.toml"


class SourceMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    publisher: str | None = None
    year: int | None = None
    url: str | None = None


def read_catalog(corpus_dir: Path) -> dict[str, SourceMeta]:
    """Read ``sources.toml``; a missing file means no metadata, a broken one is an error."""
    path = corpus_dir / CATALOG_NAME
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return {name: SourceMeta.model_validate(entry) for name, entry in raw.items()}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValidationError, AttributeError) as exc:
        raise SourceError(
            f"{path}: cannot read source metadata ({exc}) — fix the file or remove it"
        ) from exc
