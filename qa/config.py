"""Settings read at the edges (environment, flags), with their defaults."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from corpus import BUNDLED_CORPUS

ENV_CORPUS = "TRANSCRIPT_QA_CORPUS"
ENV_INDEX_DIR = "TRANSCRIPT_QA_INDEX_DIR"
ENV_MODEL = "TRANSCRIPT_QA_MODEL"
ENV_WEIGHTS = "TRANSCRIPT_QA_WEIGHTS"
ENV_ENCODER = "TRANSCRIPT_QA_ENCODER"
DEFAULT_K = 5
MAX_K = 50  # passages per question: more is never useful and costs every caller time


def corpus_from_env() -> Path:
    return Path(os.environ.get(ENV_CORPUS) or BUNDLED_CORPUS)


def model_from_env() -> str | None:
    return os.environ.get(ENV_MODEL) or None


def encoder_from_env() -> str:
    """What encodes questions: "onnx" (checked against sentence-transformers first) unless told."""
    return os.environ.get(ENV_ENCODER) or "onnx"


def weights_from_env() -> str | None:
    return os.environ.get(ENV_WEIGHTS) or None


def default_index_dir(corpus: str | Path, model: str | None = None) -> Path:
    """Where the index of `corpus` lives unless told otherwise.

    Outside the package (it may be read-only): $TRANSCRIPT_QA_INDEX_DIR, else the per-user
    cache, one folder per corpus path and model so corpora never overwrite each other.
    """
    if explicit := os.environ.get(ENV_INDEX_DIR):
        return Path(explicit).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = f"{Path(corpus).expanduser().resolve()}|{model or 'default'}"
    name = f"{Path(corpus).stem or 'corpus'}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    return cache / "transcript-qa" / name
