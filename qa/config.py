"""Settings read at the edges (environment, flags), with their defaults."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from platformdirs import user_data_dir as _platform_data_dir

from corpus import BUNDLED_CORPUS

APP_NAME = "transcript-qa"
ENV_CORPUS = "TRANSCRIPT_QA_CORPUS"
ENV_INDEX_DIR = "TRANSCRIPT_QA_INDEX_DIR"
ENV_MODEL = "TRANSCRIPT_QA_MODEL"
ENV_WEIGHTS = "TRANSCRIPT_QA_WEIGHTS"
ENV_ENCODER = "TRANSCRIPT_QA_ENCODER"
DEFAULT_K = 5
MAX_K = 50  # passages per question: more is never useful and costs every caller time


class CorpusRoots(tuple):
    """Several folders read as one corpus: the default is the bundled transcript's folder, then
    the user's own (`qa add`), which may not exist yet. `transcript_files` and `load_corpus`
    take it as it is. As a single path (`os.fspath`, `Path(...)`) it is its first folder, the
    bundled one, so code that shows or guards one folder keeps working; pass it on unwrapped
    to keep the user's transcripts."""

    def __fspath__(self) -> str:
        return os.fspath(self[0])

    def __str__(self) -> str:
        return " + ".join(str(root) for root in self)


def user_data_dir() -> Path:
    """The per-user data folder (on Linux `$XDG_DATA_HOME/transcript-qa`, by default
    `~/.local/share/transcript-qa`): the user's transcripts and trash, never the package."""
    return Path(_platform_data_dir(APP_NAME, appauthor=False))


def user_transcripts_dir() -> Path:
    """Where `qa add` puts transcripts unless told otherwise."""
    return user_data_dir() / "transcripts"


def trash_dir() -> Path:
    """Where `qa remove` moves a document's files (nothing is deleted)."""
    return user_data_dir() / "trash"


def default_corpus() -> CorpusRoots:
    """The bundled transcript plus the user's added ones; nothing is copied."""
    return CorpusRoots((BUNDLED_CORPUS, user_transcripts_dir()))


def corpus_from_env() -> Path | CorpusRoots:
    """$TRANSCRIPT_QA_CORPUS, else the default corpus (bundled + the user's transcripts)."""
    explicit = os.environ.get(ENV_CORPUS)
    return Path(explicit) if explicit else default_corpus()


def add_folder_from_env() -> Path:
    """Where `qa add` writes without --corpus: $TRANSCRIPT_QA_CORPUS, else the user's folder."""
    return Path(os.environ.get(ENV_CORPUS) or user_transcripts_dir())


def model_from_env() -> str | None:
    return os.environ.get(ENV_MODEL) or None


def encoder_from_env() -> str:
    """What encodes questions: "onnx" (checked against sentence-transformers first) unless told."""
    return os.environ.get(ENV_ENCODER) or "onnx"


def weights_from_env() -> str | None:
    return os.environ.get(ENV_WEIGHTS) or None


def default_index_dir(corpus: str | Path | CorpusRoots, model: str | None = None) -> Path:
    """Where the index of `corpus` lives unless told otherwise.

    Outside the package (it may be read-only): $TRANSCRIPT_QA_INDEX_DIR, else the per-user
    cache, one folder per corpus path and model so corpora never overwrite each other.
    """
    if explicit := os.environ.get(ENV_INDEX_DIR):
        return Path(explicit).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    roots = corpus if isinstance(corpus, CorpusRoots) else (corpus,)
    key = "|".join(str(Path(root).expanduser().resolve()) for root in roots) + f"|{model or 'default'}"
    stem = "default" if isinstance(corpus, CorpusRoots) else Path(corpus).stem or "corpus"
    name = f"{stem}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    return cache / "transcript-qa" / name
