"""Hybrid retrieval: dense (passage and sentence vectors) fused with BM25."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from index import Rows, SearchIndex
from qa.models import Hit
from qa.named import Named, names_of
from qa.question import Question
from qa.ranking import row_ranges, top_rows
from qa.scoring import TermWeights, figure_relevance, kind_fit

Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25")

# Share of the dense score in the fused score; chosen on the dev split (see README).
DENSE_WEIGHT = 0.5
# A figure "matches" the question when its subject is this close to it (dev split).
MATCH_THRESHOLD = 0.35
# Beyond this many passages a question is scored against candidate passages only: cosines
# against every sentence would cost more than encoding the question (same order as the point
# where the FAISS index turns approximate, index.vectors.EXACT_MAX). Module attributes, read
# on each call, so tests can lower them.
CANDIDATES_FROM = 50_000
DENSE_CANDIDATES = 256  # best passages taken from the FAISS index
LEXICAL_CANDIDATES = 256  # best passages taken from BM25
KEPT_EXACT_MAX = 20_000  # a filter keeping at most this many passages has all of them scored
_GATHER = 8192  # rows copied at a time when gathering scattered vectors
# Added to the fused score of the passages of a briefing the question names (by its date or a
# person who speaks in it, `qa.named`), times the share of the question's signals the briefing
# meets; and to the passages of the persons it names. Chosen on the real dev split: a plateau
# from 0.3 to 1.0 (recall@1 0.59 -> 0.67 at 0.3); larger bonuses answer more unanswerable questions.
NAMED_BONUS = 0.3
SPEAKER_BONUS = 0.05


@dataclass(frozen=True)
class Scores:
    """Every score one question gets, aligned with the index rows."""

    passage: np.ndarray  # fused, one per passage
    dense: np.ndarray  # max of passage and sentence cosines, one per passage
    lexical: np.ndarray  # BM25 scaled to [0, 1], one per passage
    sentence: np.ndarray  # cosine, one per sentence row
    figure: np.ndarray  # cosine of each figure's subject, one per figure row


def score_all(index: SearchIndex, question: Question, vector: np.ndarray, mode: Mode = "hybrid", *,
              keep: np.ndarray | None = None, named: bool = True) -> Scores:
    """Score the passages, sentences and figures of the index for one question.

    Up to `CANDIDATES_FROM` passages every row is scored, exactly as always. Beyond it, only
    candidate passages are: the `DENSE_CANDIDATES` best of the FAISS index united with the
    `LEXICAL_CANDIDATES` best by BM25 (those scoring above 0), and only their sentences and
    figures get a cosine. Every other row scores -inf, so it is never a hit nor an answer.

    keep: optional boolean mask over passages (a filter's `Filter.mask`). Rows outside it score
    -inf in every mode (`restrict`). In candidate mode the candidates are
    drawn from the kept rows: every kept row when there are at most `KEPT_EXACT_MAX` (a narrow
    filter must not lose its answer because no kept passage made the corpus-wide top), else
    the kept rows among a dense search widened by the share filtered out, plus the BM25 best
    among the kept rows. BM25 is still scaled by its maximum over the whole corpus.

    named: when the question names briefings (their date, a person speaking in them: see
    `qa.named`), their passages get `NAMED_BONUS` added to the fused score (in candidate mode
    the named briefings' best passages are candidates too), and the named persons' passages
    `SPEAKER_BONUS`. The dense and lexical scores stay as they are.

    A later paragraph of a turn keeps `CONTINUED_SHARE` of the fused score of the paragraph
    before it when that is more than its own: it goes on about what that one names.
    """
    n = len(index.corpus.passages)
    found = names_of(question, index) if named else None
    raw = index.lexical.scores(question.lexical_tokens())
    lexical = raw / raw.max() if raw.size and raw.max() > 0 else np.zeros(n, dtype=np.float32)
    if n > CANDIDATES_FROM:
        rows = _candidates(index, vector, raw, keep)
        if found is not None and not found.empty:
            wanted = _named_mask(index, found) if keep is None else _named_mask(index, found) & keep
            if wanted.any():
                rows = np.union1d(rows, _candidates(index, vector, raw, wanted)).astype(np.int64)
        dense, sentence, figure = _score_candidates(index, vector, rows)
        lexical = np.where(dense > -np.inf, lexical, -np.inf).astype(np.float32)
    else:
        # Every row: plain matrix products (a FAISS search for all n rows would sort them).
        sentence = np.asarray(index.sentence_vectors @ vector, dtype=np.float32)
        figure = np.asarray(index.figure_vectors @ vector, dtype=np.float32)
        dense = np.asarray(index.passage_vectors @ vector, dtype=np.float32)
        with_sentences = np.diff(index.rows.first_sentence) > 0
        if with_sentences.any():  # a passage scores its best sentence if that beats the passage
            best = np.maximum.reduceat(sentence, index.rows.first_sentence[:-1][with_sentences])
            dense[with_sentences] = np.maximum(dense[with_sentences], best)
    if mode == "dense":
        fused = dense
    elif mode == "bm25":
        fused = lexical  # already -inf wherever dense is (rows not scored in candidate mode)
    else:
        fused = DENSE_WEIGHT * dense + (1 - DENSE_WEIGHT) * lexical
    if found is not None and not found.empty:
        fused = (fused + _bonus(index, found)).astype(np.float32)  # -inf rows stay -inf
    # A paragraph that goes on with what the one before it in the same turn was about ("So far we
    # have spent 4.2 million yuan on it", after the paragraph naming the programme) keeps a share
    # of that one's match.
    follows = index.corpus.columns().continues
    if follows is not None and follows.any():
        carried = np.full(n, -np.inf, dtype=np.float32)
        carried[1:] = CONTINUED_SHARE * fused[:-1]
        # Only scored rows: an unscored one (-inf: no candidate, or filtered out) stays out.
        lifted = follows & np.isfinite(fused) & (carried > 0) & (carried > fused)
        fused = np.where(lifted, carried, fused).astype(np.float32)
    scores = Scores(fused, dense, lexical, sentence, figure)
    return scores if keep is None else restrict(scores, keep, index.rows)


CONTINUED_SHARE = 0.8  # the share of the previous paragraph's match a paragraph of the same turn keeps


def _bonus(index: SearchIndex, found: Named) -> np.ndarray:
    """Per passage, what the briefings and persons the question names add to its score."""
    columns = index.corpus.columns()
    bonus = NAMED_BONUS * found.documents[columns.document]
    if SPEAKER_BONUS:
        bonus = bonus + SPEAKER_BONUS * found.speakers[columns.speaker]
    return bonus


def _named_mask(index: SearchIndex, found: Named) -> np.ndarray:
    """The passages of the briefings meeting the most of the question's signals."""
    return found.documents[index.corpus.columns().document] >= found.documents.max()


def _candidates(index: SearchIndex, vector: np.ndarray, raw: np.ndarray, keep: np.ndarray | None) -> np.ndarray:
    """The candidate passage rows, ascending."""
    n = len(raw)
    wanted = DENSE_CANDIDATES
    if keep is not None:
        kept = np.flatnonzero(keep)
        if len(kept) <= KEPT_EXACT_MAX:
            return kept
        wanted = min(n, DENSE_CANDIDATES * -(-n // len(kept)))  # about DENSE_CANDIDATES kept rows
    found = _search(index, vector, wanted)
    if keep is not None:
        found = found[keep[found]]
    matching = np.flatnonzero(raw > 0)  # ascending, so ties stay in index order
    if keep is not None:
        matching = matching[keep[matching]]
    lexical = matching[top_rows(raw[matching], LEXICAL_CANDIDATES)]
    return np.union1d(found, lexical).astype(np.int64)


def _search(index: SearchIndex, vector: np.ndarray, k: int) -> np.ndarray:
    """The FAISS index's k best rows (no padding)."""
    ids, _ = index.passage_index.search_batch(vector.reshape(1, -1), k)
    return ids[0][ids[0] >= 0].astype(np.int64)


def _score_candidates(index: SearchIndex, vector: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """Full-length dense, sentence and figure scores, -inf outside the candidate passages."""
    n = len(index.corpus.passages)
    dense = np.full(n, -np.inf, dtype=np.float32)
    # Cosines from the saved vectors, as in full scoring (an IVF index's scores are the same
    # inner products; reading them again keeps one source for every candidate).
    dense[rows] = _cosines(index.passage_vectors, rows, vector)
    sentence = np.full(len(index.rows.sentence_passage), -np.inf, dtype=np.float32)
    sentence_rows = row_ranges(index.rows.first_sentence, rows)
    sentence[sentence_rows] = _cosines(index.sentence_vectors, sentence_rows, vector)
    if len(sentence_rows):
        np.maximum.at(dense, index.rows.sentence_passage[sentence_rows], sentence[sentence_rows])
    figure = np.full(len(index.rows.figure_passage), -np.inf, dtype=np.float32)
    figure_rows = row_ranges(index.rows.first_figure, rows)
    figure[figure_rows] = _cosines(index.figure_vectors, figure_rows, vector)
    return dense, sentence, figure


def _cosines(vectors: np.ndarray, rows: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """`vectors[rows] @ vector` without copying more than a slice at a time (`vectors` may be
    memory-mapped); a contiguous run of rows is read as a view."""
    if len(rows) == 0:
        return np.zeros(0, dtype=np.float32)
    if rows[-1] - rows[0] + 1 == len(rows):
        return np.asarray(vectors[rows[0] : rows[-1] + 1] @ vector, dtype=np.float32)
    return np.concatenate([np.asarray(vectors[rows[start : start + _GATHER]] @ vector, dtype=np.float32)
                           for start in range(0, len(rows), _GATHER)])


def restrict(scores: Scores, keep: np.ndarray, rows: Rows) -> Scores:
    """The scores with every passage outside `keep`, and its sentences and figures, at -inf."""
    def masked(values: np.ndarray, kept: np.ndarray) -> np.ndarray:
        return np.where(kept, values, -np.inf).astype(np.float32)

    return Scores(masked(scores.passage, keep), masked(scores.dense, keep), masked(scores.lexical, keep),
                  masked(scores.sentence, keep[rows.sentence_passage]),
                  masked(scores.figure, keep[rows.figure_passage]))


def top_hits(index: SearchIndex, question: Question, scores: Scores, weights: TermWeights,
             k: int) -> list[Hit]:
    """The k best passages as Hits, their matching figures marked."""
    # Passages a filter left out score -inf (qa.filters): never a hit.
    hits = []
    for row in top_rows(scores.passage, k):
        passage = index.corpus.passages[row]
        document = index.corpus.document(passage.doc_id)
        first = index.rows.first_figure[row]
        matched = tuple(
            f for f, similarity in zip(passage.statistics, scores.figure[first:])
            if (kind_fit(question, f) > 0 or question.expect == "text")  # keyword queries
            and figure_relevance(question, f, float(similarity), weights).value >= MATCH_THRESHOLD
        )
        hits.append(Hit(passage, float(scores.passage[row]), passage.statistics, matched,
                        document.title, document.source, float(scores.dense[row]),
                        float(scores.lexical[row])))
    return hits
