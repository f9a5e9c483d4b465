"""Synthetic transcript archives: real sentences recombined, numbers made fresh, many speakers.

The source sentences come from the transcripts shipped with the package. Each synthetic
passage joins 2-4 of them in a new order with every number replaced by a fresh one of the same
shape (years stay plausible years), and belongs to a document and a speaker drawn from
invented lists. The same seed gives the same archive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus import BUNDLED_CORPUS, load_corpus

SOURCES = (BUNDLED_CORPUS, Path(BUNDLED_CORPUS).parent / "eval" / "2024-05-21_ports-and-logistics-briefing.txt")
PASSAGES_PER_DOCUMENT = 40
SPEAKERS_PER_DOCUMENT = 4

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"(?:19|20)\d\d")
_FIRST = ("Wei", "Lin", "Mei", "Jun", "Ana", "Omar", "Ines", "Kofi", "Lena", "Ravi", "Sara", "Tomas",
          "Yuki", "Hana", "Ivan", "Nadia", "Pablo", "Rosa", "Chen", "Amir")
_LAST = ("Zhang", "Okafor", "Silva", "Novak", "Haddad", "Larsen", "Mehta", "Tanaka", "Moreau", "Kowal",
         "Duarte", "Nguyen", "Fischer", "Petrov", "Costa", "Ibrahim", "Berg", "Sato", "Rossi", "Qin")
_TOPICS = ("ports and logistics", "industry and IT", "rural energy", "public health", "trade", "housing",
           "water resources", "transport", "science and technology", "employment")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


@dataclass(frozen=True)
class SynthPassage:
    row: int
    doc: int  # document number
    speaker: str
    text: str
    sources: tuple[int, ...]  # indices into the source sentence pool


def source_sentences() -> list[str]:
    """Every sentence of the shipped transcripts, in order: the material that is recombined."""
    sentences: list[str] = []
    for source in SOURCES:
        corpus = load_corpus(source)
        sentences.extend(s.text for p in corpus.passages for s in p.sentences)
    # A sentence ending in a colon would read as a speaker line; very short ones add nothing.
    return [s for s in sentences if len(s) >= 40 and not s.rstrip().endswith(":")]


def speaker_names() -> list[str]:
    """400 invented speakers."""
    return [f"{first} {last}" for first in _FIRST for last in _LAST]


def passages(n: int, pool: list[str], seed: int = 0) -> Iterator[SynthPassage]:
    """`n` synthetic passages (row order), each 2-4 recombined sentences with fresh numbers."""
    rng = np.random.default_rng(seed)
    names = speaker_names()
    for row in range(n):
        doc = row // PASSAGES_PER_DOCUMENT
        speaker = names[(doc * 7 + int(rng.integers(SPEAKERS_PER_DOCUMENT))) % len(names)]
        picks = tuple(int(i) for i in rng.choice(len(pool), size=int(rng.integers(2, 5)), replace=False))
        text = " ".join(fresh_numbers(pool[i], rng) for i in picks)
        yield SynthPassage(row, doc, speaker, text, picks)


def fresh_numbers(text: str, rng: np.random.Generator) -> str:
    """The text with each number replaced by a random one of the same shape."""

    def replace(match: re.Match) -> str:
        token = match.group()
        if _YEAR.fullmatch(token):
            return str(int(rng.integers(2000, 2031)))
        digits = [str(int(d)) for d in rng.integers(0, 10, size=len(token))]
        out = [digits[i] if ch.isdigit() else ch for i, ch in enumerate(token)]
        if out[0] == "0" and len(re.sub(r"\D", "", token)) > 1:
            out[0] = str(int(rng.integers(1, 10)))
        return "".join(out)

    return _NUMBER.sub(replace, text)


def passage_vectors(sources: list[tuple[int, ...]], sentence_vectors: np.ndarray, seed: int = 0,
                    noise: float = 0.04) -> np.ndarray:
    """Vectors for synthetic passages without running the model: the normalised mean of the
    source sentences' real vectors (mean pooling makes this close to the passage's own
    embedding), plus Gaussian noise so that no two passages coincide."""
    rng = np.random.default_rng(seed + 1)
    dim = sentence_vectors.shape[1]
    out = np.empty((len(sources), dim), dtype=np.float32)
    for start in range(0, len(sources), 50_000):
        chunk = sources[start : start + 50_000]
        block = np.zeros((len(chunk), dim), dtype=np.float32)
        for i, picks in enumerate(chunk):
            block[i] = sentence_vectors[list(picks)].mean(axis=0)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        block += rng.normal(0, noise, block.shape).astype(np.float32)
        out[start : start + len(chunk)] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def write_archive(folder: Path, n_passages: int, pool: list[str], seed: int = 0) -> list[Path]:
    """Write an archive of transcripts in the press-room layout that `corpus.load_corpus` reads.

    Returns the files written, one per document of `PASSAGES_PER_DOCUMENT` passages."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed + 2)
    by_doc: dict[int, list[SynthPassage]] = {}
    for passage in passages(n_passages, pool, seed):
        by_doc.setdefault(passage.doc, []).append(passage)
    files = []
    for doc, items in by_doc.items():
        year, month, day = int(rng.integers(2005, 2031)), int(rng.integers(12)), int(rng.integers(1, 29))
        topic = _TOPICS[doc % len(_TOPICS)]
        title = f"Press conference on {topic}, session {doc + 1}"
        lines = [f"Briefing on {topic}", "", f"{title} | {_MONTHS[month]} {day}, {year}", ""]
        speaker = None
        for passage in items:
            if passage.speaker != speaker:
                lines += [f"{passage.speaker}:", ""]
                speaker = passage.speaker
            lines += [passage.text, ""]
        path = folder / f"{year}-{month + 1:02d}-{day:02d}_synthetic-{doc + 1:06d}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        files.append(path)
    return files
