"""Which encoder embeds questions: the ONNX one when it is checked, else sentence-transformers.

An ONNX encoder is used only after it has given the same vectors as sentence-transformers on a
fixed set of probe texts (cosine >= MIN_COSINE for every one). The check is recorded beside the
index (`encoders/<model>/`): the ONNX file, the sentence-transformers vectors of the probes and
what they were made from. Every later start re-encodes the probes with ONNX (a few milliseconds)
and compares them with the recorded vectors, so a damaged, swapped or mismatching ONNX file is
caught without importing torch; it is then exported again, or sentence-transformers is used,
with a one-line note. Nothing here imports torch or sentence-transformers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.embedder import Embedder, ModelError, SentenceTransformerEmbedder, load_embedder, resolve_model_path
from index.onnx_embedder import OnnxEmbedder, load_onnx_embedder, onnxruntime_available
from index.store import build_lock

logger = logging.getLogger(__name__)

RECORD_FORMAT = 1
MIN_COSINE = 0.99999
ENCODERS = ("onnx", "sentence-transformers")  # what questions may be encoded with; onnx falls back
ENCODERS_FOLDER = "encoders"
ONNX_FILE = "model.onnx"
_RECORD = "check.json"
_PROBE_VECTORS = "probes.npy"
# Short and long, Latin and not, figures, punctuation, a text past the 256-token limit.
PROBE_TEXTS = (
    "What was the unemployment rate in the first quarter?",
    "Inflation eased to 2.4% from 3.1% a year earlier, the chair said.",
    "Q",
    "Thank you.  Next question, please -- the gentleman in the back.",
    "外交部发言人表示，双边贸易额增长了12.5%。",
    "Les exportations ont atteint 3,5 milliards d'euros l'an dernier.",
    " ".join(f"figure {n} rose by {n}.{n % 10} percent" for n in range(80)),
)


@dataclass(frozen=True)
class Check:
    """The outcome of checking an ONNX encoder against sentence-transformers' probe vectors."""

    passed: bool
    min_cosine: float
    reason: str = ""


class Encoders:
    """The models an engine needs, loaded only when needed: the question encoder (ONNX when it
    is checked), and the sentence-transformers model only when the index must be (re)built or
    the ONNX encoder made."""

    def __init__(self, model: str | None, index_dir: Path, encoder: str = "onnx") -> None:
        if encoder not in ENCODERS:
            raise ValueError(f"unknown encoder {encoder!r}; use one of {', '.join(ENCODERS)}")
        self.model, self.index_dir, self.encoder = model, Path(index_dir), encoder
        self._builder: SentenceTransformerEmbedder | None = None
        self._question: Embedder | None = None

    def checked(self) -> Embedder | None:
        """The question encoder if it is ready without sentence-transformers, else None."""
        if self._question is None and self.encoder == "onnx":
            self._question = checked_onnx(self.model, self.index_dir)
        return self._question

    def builder(self) -> SentenceTransformerEmbedder:
        """The sentence-transformers model, loaded on first call (it embeds passages)."""
        if self._builder is None:
            self._builder = load_embedder(self.model)
        return self._builder

    def for_questions(self, *, progress: bool = False) -> Embedder:
        """The question encoder, making and checking the ONNX one first if it is missing
        (with a progress line when `progress`)."""
        if self.checked() is None:
            made = None
            if self.encoder == "onnx":
                try:
                    with build_lock(self.index_dir):  # one process exports; the others find its record
                        made = checked_onnx(self.model, self.index_dir) or prepare_onnx(
                            self.builder(), self.index_dir, progress=progress)
                except OSError as error:  # a read-only index folder: answer all the same
                    logger.warning("cannot write the ONNX encoder in %s (%s); questions are encoded with "
                                   "sentence-transformers", self.index_dir, error.strerror or error)
            self._question = made or self.builder()
        return self._question


def encoder_folder(index_dir: Path, model_name: str) -> Path:
    """Where the ONNX encoder of `model_name` and its check record live, beside the index."""
    key = hashlib.sha256(model_name.encode("utf-8")).hexdigest()[:16]
    return Path(index_dir) / ENCODERS_FOLDER / key


def checked_onnx(model: str | None, index_dir: Path) -> OnnxEmbedder | None:
    """The ONNX encoder for `model`, if one was checked before and still gives the recorded
    vectors; None (with a note when something was wrong) otherwise. Imports no torch."""
    if not onnxruntime_available():
        return None
    try:
        name, path = resolve_model_path(model)
    except ModelError:
        return None  # the sentence-transformers path reports it
    folder = encoder_folder(index_dir, name)
    record = _read_record(folder)
    if record is None:
        return None
    if record.get("format") != RECORD_FORMAT or record.get("model") != name \
            or record.get("model_files") != model_signature(Path(path)):
        logger.warning("ONNX encoder in %s was made for another model or version; making it again", folder)
        return None
    try:
        expected = np.load(folder / _PROBE_VECTORS, allow_pickle=False)
        encoder = load_onnx_embedder(name, Path(path), folder / ONNX_FILE, int(record["dim"]))
        check = compare(encoder, expected)
    except (OSError, ValueError, KeyError, TypeError, ModelError) as error:
        logger.warning("ONNX encoder in %s is unreadable (%s); making it again", folder, error)
        return None
    if not check.passed:
        logger.warning("ONNX encoder in %s no longer matches sentence-transformers (%s); making it again",
                       folder, check.reason)
        return None
    return encoder


def prepare_onnx(embedder: SentenceTransformerEmbedder, index_dir: Path, *, progress: bool = False
                 ) -> OnnxEmbedder | None:
    """Export `embedder` to ONNX beside the index (or take the model folder's own ONNX file),
    check it against sentence-transformers on the probe texts and record the check.

    Returns the checked encoder, or None with a one-line note when onnxruntime is missing, the
    export fails or the vectors differ (sentence-transformers is then used for questions).
    With `progress`, one line on stderr says what is happening and how long it took.
    """
    if not onnxruntime_available():
        logger.info("onnxruntime is not installed: questions are encoded with sentence-transformers")
        return None
    if not isinstance(embedder, SentenceTransformerEmbedder):  # another embedder (a test's) has no export
        return None
    folder = encoder_folder(index_dir, embedder.name)
    shutil.rmtree(folder, ignore_errors=True)  # a half-written or failed attempt of an earlier run
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / ONNX_FILE
    try:
        if (shipped := model_onnx_file(Path(embedder.path))) is not None:
            shutil.copyfile(shipped, target)
        else:
            with _progress_line("Exporting the model to ONNX for fast questions (once)", progress):
                embedder.export_onnx(target)
        expected = embedder.encode(list(PROBE_TEXTS))
        encoder = load_onnx_embedder(embedder.name, Path(embedder.path), target, embedder.dim)
        check = compare(encoder, expected)
    except (OSError, ModelError) as error:
        logger.warning("no ONNX encoder (%s); questions are encoded with sentence-transformers", error)
        shutil.rmtree(folder, ignore_errors=True)
        return None
    if not check.passed:
        logger.warning("the ONNX encoder differs from sentence-transformers (%s); not used", check.reason)
        shutil.rmtree(folder, ignore_errors=True)
        return None
    np.save(folder / _PROBE_VECTORS, expected, allow_pickle=False)
    record = {"format": RECORD_FORMAT, "model": embedder.name, "dim": embedder.dim,
              "model_files": model_signature(Path(embedder.path)), "min_cosine": check.min_cosine}
    _write_atomic(folder / _RECORD, json.dumps(record, indent=1))  # written last: its presence means checked
    return encoder


def compare(encoder: Embedder, expected: np.ndarray) -> Check:
    """Whether `encoder` gives `expected` (sentence-transformers' vectors of PROBE_TEXTS)."""
    if expected.shape != (len(PROBE_TEXTS), encoder.dim):
        return Check(False, 0.0, f"{expected.shape[0]} probe vectors of {expected.shape[-1]} dimensions recorded")
    got = np.asarray(encoder.encode(list(PROBE_TEXTS)), dtype=np.float64)
    if got.shape != expected.shape or not np.isfinite(got).all():
        return Check(False, 0.0, "vectors of the wrong shape or not finite")
    cosines = (got * expected).sum(axis=1) / np.clip(
        np.linalg.norm(got, axis=1) * np.linalg.norm(expected, axis=1), 1e-12, None)
    worst = float(cosines.min())
    return Check(worst >= MIN_COSINE, worst, f"lowest probe cosine {worst:.6f}, needs {MIN_COSINE}")


def model_onnx_file(model_folder: Path) -> Path | None:
    """The model folder's own ONNX export, where Hugging Face folders keep it, if it has one."""
    for candidate in (model_folder / "onnx" / "model.onnx", model_folder / "model.onnx"):
        if candidate.is_file():
            return candidate
    return None


def model_signature(model_folder: Path) -> list[list]:
    """Names, sizes and modification times of the model folder's files: a changed model is
    noticed without reading its weights."""
    rows = []
    for file in sorted(p for p in model_folder.rglob("*") if p.is_file()):
        stat = file.stat()
        rows.append([file.relative_to(model_folder).as_posix(), stat.st_size, stat.st_mtime_ns])
    return rows


@contextmanager
def _progress_line(what: str, shown: bool) -> Iterator[None]:
    """`what...` on stderr, then how long it took (only when `shown`; logged otherwise)."""
    logger.info("%s", what)
    if shown:
        print(f"{what}...", end="", file=sys.stderr, flush=True)
    started = time.perf_counter()
    try:
        yield
    finally:
        if shown:
            print(f" {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


def _read_record(folder: Path) -> dict | None:
    try:
        record = json.loads((folder / _RECORD).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        logger.warning("ONNX encoder record in %s is unreadable (%s); making it again", folder, error)
        return None
    return record if isinstance(record, dict) else None


def _write_atomic(path: Path, text: str) -> None:
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)
