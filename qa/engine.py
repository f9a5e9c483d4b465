"""The QA engine: a corpus, its index and a model, answering questions thread-safely."""

from __future__ import annotations

import copy
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from corpus import load_corpus, transcript_files
from corpus.loader import fingerprint
from corpus.models import STATISTIC_KINDS
from corpus.periods import reference_date
from index import Embedder, SearchIndex, open_saved, parse_and_open_index, tokenize
from index.query_encoder import Encoders
from qa.answerer import FIGURE_EXPECTATIONS, answer_question, decide, figure_candidates
from qa.candidates import FigurePick
from qa.config import (
    DEFAULT_K,
    MAX_K,
    CorpusRoots,
    corpus_from_env,
    default_index_dir,
    encoder_from_env,
    model_from_env,
    weights_from_env,
)
from qa.decision import Decision
from qa.explorer import FigureRow, TrendPoint, figure_rows, trace
from qa.filters import Filter
from qa.models import Answer, Hit
from qa.question import Question, analyse, checked_text, name_briefings
from qa.retrieval import MODES, Mode, Scores, score_all, top_hits
from qa.scoring import TermWeights
from qa.spelling import correct_spelling
from qa.spellings import spellings
from qa.weights import SHIPPED_WEIGHTS, Weights, load_weights

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Ready:
    index: SearchIndex
    embedder: Embedder
    weights: TermWeights
    dates: tuple[date, ...] = ()  # the transcripts' dates, sorted: the newest dates a question's "last year"


class QA:
    """Question answering over one corpus (a transcript file or a folder of them).

    Nothing is loaded until the first question; the index is built then if it is missing or
    stale, with a progress bar. One engine may be shared by many threads.

    Args:
        corpus: transcript file or folder; default: the bundled transcript and the user's own
            (`qa add`), or $TRANSCRIPT_QA_CORPUS.
        index_dir: where the index is kept; default: a per-user cache folder.
        model: sentence-transformers model folder; default $TRANSCRIPT_QA_MODEL, else all-MiniLM-L6-v2.
        mode: "hybrid" (default), "dense" or "bm25" retrieval.
        embedder: an already loaded embedder (tests pass a small fake one).
        progress: show a progress bar when building the index.
        cache_size: how many recent question vectors to keep; a repeated question is not encoded again.
        weights: a fitted weights file (`qa fit`); default $TRANSCRIPT_QA_WEIGHTS, else the shipped one
            (`qa/weights.json`); `False` answers with the hand-set blend instead.
        encoder: what encodes questions: "onnx" (default; $TRANSCRIPT_QA_ENCODER) once it has been
            checked against sentence-transformers, which is used otherwise, or "sentence-transformers".
    """

    def __init__(self, corpus: str | Path | None = None, index_dir: str | Path | None = None,
                 model: str | None = None, *, mode: Mode = "hybrid",
                 embedder: Embedder | None = None, progress: bool = True, cache_size: int = 256,
                 weights: str | Path | None | bool = None, encoder: str | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; use one of {', '.join(MODES)}")
        self.corpus_path = corpus_from_env() if corpus is None else corpus if isinstance(corpus, CorpusRoots) \
            else Path(corpus)
        self.model = model or model_from_env()
        self.index_dir = Path(index_dir) if index_dir is not None else default_index_dir(self.corpus_path, self.model)
        self.mode = mode
        self.progress = progress
        self.model_weights = _fitted_weights(weights)  # read now: a bad file is an error before any work
        self._embedder = embedder
        self.encoders = Encoders(self.model, self.index_dir, encoder or encoder_from_env())  # checks the name
        self._ready: _Ready | None = None
        self._load_lock = threading.Lock()
        # The tokenizer behind the model is not safe to call from two threads at once.
        self._encode_lock = threading.Lock()
        self.cache_size = cache_size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()  # LRU, guarded by _encode_lock

    def load(self) -> "QA":
        """Load (and if needed build) everything now instead of on the first question."""
        self._state()
        return self

    def loaded_index(self) -> SearchIndex:
        """The search index, loaded (and built if needed) now: its corpus lists the documents."""
        return self._state().index

    def reloaded(self) -> "QA":
        """A new engine over the same corpus, index folder and settings with nothing loaded yet
        (the transcripts changed): it shares the model, the encode lock and the question-vector
        cache that go with the model, not the index."""
        fresh = copy.copy(self)
        fresh._ready = None
        fresh._load_lock = threading.Lock()
        return fresh

    def with_mode(self, mode: Mode) -> "QA":
        """The same engine with another retrieval mode, sharing the index and model (loaded now)."""
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; use one of {', '.join(MODES)}")
        self.load()
        twin = copy.copy(self)  # shares the loaded state and the encode lock
        twin.mode = mode
        return twin

    def retrieve(self, question: str, k: int = DEFAULT_K, *, speaker: str | None = None,
                 document: str | None = None, date_from: str | None = None,
                 date_to: str | None = None) -> list[Hit]:
        """The k passages that best match the question, with their matching figures.

        The keyword filters are those of `ask`.

        Raises:
            ValueError: the question is empty, k is not a whole number from 1 to MAX_K (50), or a filter
                is malformed or matches nothing.
        """
        where = Filter(speaker, document, date_from, date_to)
        state, parsed, scores = self._understand(question, k, where)
        return top_hits(state.index, parsed, scores, state.weights, k)

    def ask(self, question: str, k: int = DEFAULT_K, *, speaker: str | None = None,
            document: str | None = None, date_from: str | None = None, date_to: str | None = None) -> Answer:
        """Answer a question from the transcripts, citing the quote and figures it rests on.

        Args:
            question: the question.
            k: how many passages to retrieve.
            speaker: answer only from what this speaker said (part of the name, any case).
            document: answer only from this document (its id, file name or part of its title).
            date_from, date_to: answer only from documents dated within these days (YYYY-MM-DD).

        Raises:
            ValueError: the question is empty, k is not a whole number from 1 to MAX_K (50), or a filter
                is malformed or matches nothing (the message lists the choices).
        """
        where = Filter(speaker, document, date_from, date_to)
        state, parsed, scores = self._understand(question, k, where)
        hits = top_hits(state.index, parsed, scores, state.weights, k)
        return answer_question(state.index, parsed, scores, hits, state.weights, self.model_weights)

    def decide(self, question: str, k: int = DEFAULT_K, *, speaker: str | None = None,
               document: str | None = None, date_from: str | None = None, date_to: str | None = None) -> Decision:
        """What answers the question, as data (`qa.decision`): the kind of answer, its evidence
        sentences and figures, never text. `ask` renders the same decision into an Answer. The
        arguments and errors are those of `ask`."""
        where = Filter(speaker, document, date_from, date_to)
        state, parsed, scores = self._understand(question, k, where)
        return decide(state.index, parsed, scores, state.weights, self.model_weights)

    def figures(self, *, query: str | None = None, kinds: Sequence[str] = (), speaker: str | None = None,
                document: str | None = None, date_from: str | None = None,
                date_to: str | None = None) -> list[FigureRow]:
        """Every statistic of the corpus as a row (years and ordinals left out), in corpus order;
        with `query`, ranked by how well each figure's subject matches it. The filters are those
        of `ask`; `kinds` keeps only these figure kinds ("percent", "money", ...).

        Raises:
            ValueError: an unknown kind, or a filter that is malformed or matches nothing.
        """
        unknown = sorted(set(kinds) - STATISTIC_KINDS)
        if unknown:
            raise ValueError(f"unknown figure kind {unknown[0]!r}; kinds: {', '.join(sorted(STATISTIC_KINDS))}")
        state, keep = self._filtered(Filter(speaker, document, date_from, date_to))
        vector = self._vector(state.embedder, checked_text(query)) if query is not None else None
        return figure_rows(state.index, keep, kinds=kinds, query=vector)

    def trend(self, measure: str, *, questions: bool = False, speaker: str | None = None,
              document: str | None = None, date_from: str | None = None,
              date_to: str | None = None) -> list[TrendPoint]:
        """One measure ("unemployment rate") across documents, briefing by briefing and each in
        period order: each value with every place it was said, and each briefing's value with the
        change from the previous briefing's (computed). Reporters' figures count only with
        `questions`. The filters are those of `ask`."""
        measure = checked_text(measure)
        state, keep = self._filtered(Filter(speaker, document, date_from, date_to))
        return trace(state.index, measure, self._vector(state.embedder, measure), keep, questions=questions)

    def _filtered(self, where: Filter) -> tuple[_Ready, np.ndarray | None]:
        """The loaded state and the passages `where` keeps (None: all)."""
        state = self._state()
        return state, None if where.empty else where.mask(state.index.corpus)

    def figure_candidates(self, question: str) -> tuple[Question, list[FigurePick]]:
        """The question as analysed and its candidate figures with their features (for `qa fit`)."""
        state, parsed, scores = self._understand(question, DEFAULT_K)
        return parsed, figure_candidates(state.index, parsed, scores, state.weights)

    @staticmethod
    def answers_with_figures(question: Question) -> bool:
        """Whether the fitted figure models decide this question (else a sentence or a name answers)."""
        return question.expect in FIGURE_EXPECTATIONS

    def _understand(self, question: str, k: int, where: Filter = Filter()) -> tuple[_Ready, Question, Scores]:
        """Check the input (before loading anything), then analyse, embed and score it."""
        checked_text(question)  # a bad question fails before anything is loaded, and is analysed once below
        _check_k(k)
        state, keep = self._filtered(where)  # a filter matching nothing fails before encoding
        parsed = name_briefings(analyse(question, state.dates[-1] if state.dates else None), state.dates)
        parsed = correct_spelling(parsed, state.weights)
        scores = score_all(state.index, parsed, self._vector(state.embedder, parsed.searched_text), self.mode,
                           keep=keep)
        return state, parsed, scores

    def _vector(self, embedder: Embedder, text: str) -> np.ndarray:
        """The question's vector: from the LRU cache when the same text was asked recently."""
        with self._encode_lock:
            if (vector := self._vectors.get(text)) is not None:
                self._vectors.move_to_end(text)
                return vector
            forms = spellings(text)
            vectors = np.asarray(embedder.encode(list(forms)), dtype=np.float32)
            vector = vectors[0]
            if len(forms) > 1:
                vector = vectors.mean(axis=0)
                vector /= max(float(np.linalg.norm(vector)), 1e-12)  # the index holds unit vectors
            vector.flags.writeable = False  # shared by every later hit of the cache
            if self.cache_size > 0:
                self._vectors[text] = vector
                if len(self._vectors) > self.cache_size:
                    self._vectors.popitem(last=False)
            return vector

    def _state(self) -> _Ready:
        if self._ready is None:
            with self._load_lock:
                if self._ready is None:
                    self._ready = self._load()
        return self._ready

    def _load(self) -> _Ready:
        files = transcript_files(self.corpus_path)  # fails fast on a bad corpus path
        # Unchanged transcripts: the corpus comes back from the index, not parsed again, and a
        # checked ONNX encoder embeds the question: sentence-transformers (torch) is not imported.
        index = open_saved(fingerprint(files), self._embedder or self.encoders.checked() or self.encoders.builder(),
                           self.index_dir)
        if index is None:
            # The parsed corpus is handed over, not held here: a build lets it go before FAISS.
            index = parse_and_open_index(lambda: load_corpus(self.corpus_path),
                                         self._embedder or self.encoders.builder(), self.index_dir,
                                         progress=self.progress)
        embedder = self._embedder or self.encoders.for_questions(progress=self.progress)
        dates = sorted(d for d in (reference_date(info.date) for info in index.corpus.catalogue()) if d is not None)
        return _Ready(index, embedder, _term_weights(index), tuple(dates))


def _term_weights(index: SearchIndex) -> TermWeights:
    """The corpus's term weights: its paragraphs' words, and the words of its titles and speaker
    labels, which a question may name though no paragraph says them."""
    names = [info.title for info in index.corpus.catalogue()] + list(index.corpus.columns().speakers)
    words = set(" ".join(names).split())  # titles repeat their words: each is tokenised once
    return TermWeights.from_counts(*index.term_counts).with_names(tokenize(" ".join(words)))


def _fitted_weights(weights: str | Path | None | bool) -> Weights | None:
    """The fitted weights to answer with: a given file, $TRANSCRIPT_QA_WEIGHTS, else the shipped
    file when the package has one; None (the hand-set blend) for `False`."""
    if weights is False:
        return None
    path = weights if weights not in (None, True) else weights_from_env()
    if path is None:
        return load_weights(SHIPPED_WEIGHTS) if SHIPPED_WEIGHTS.is_file() else None
    return load_weights(path)


def _check_k(k: int) -> int:
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
        raise ValueError(f"k must be a whole number from 1 to {MAX_K}, not {k!r}")
    return k


_default: QA | None = None
_default_lock = threading.Lock()


def default_engine() -> QA:
    """The shared engine over the bundled corpus (or $TRANSCRIPT_QA_CORPUS), made once."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = QA()
    return _default


def ask(question: str, k: int = DEFAULT_K, *, speaker: str | None = None, document: str | None = None,
        date_from: str | None = None, date_to: str | None = None) -> Answer:
    """Answer a question about the bundled transcript. See `QA.ask`."""
    return default_engine().ask(question, k, speaker=speaker, document=document, date_from=date_from,
                                date_to=date_to)


def figures(**options) -> list[FigureRow]:
    """Every statistic of the bundled corpus (or $TRANSCRIPT_QA_CORPUS) as rows. See `QA.figures`."""
    return default_engine().figures(**options)


def trend(measure: str, **options) -> list[TrendPoint]:
    """One measure across the default corpus's documents. See `QA.trend`."""
    return default_engine().trend(measure, **options)


def retrieve(question: str, k: int = DEFAULT_K, *, speaker: str | None = None, document: str | None = None,
             date_from: str | None = None, date_to: str | None = None) -> list[Hit]:
    """The k best passages of the bundled transcript for a question. See `QA.retrieve`."""
    return default_engine().retrieve(question, k, speaker=speaker, document=document, date_from=date_from,
                                     date_to=date_to)
