"""Transcripts -> documents, speaker turns, passages, sentences and figures (no ML)."""

from corpus.figures import extract_figures, parse_number
from corpus.loader import BUNDLED_CORPUS, Corpus, CorpusError, document_text, load_corpus, transcript_files
from corpus.models import Document, Figure, Passage, Sentence, Turn
from corpus.sentences import split_sentences

__all__ = [
    "BUNDLED_CORPUS",
    "Corpus",
    "CorpusError",
    "Document",
    "Figure",
    "Passage",
    "Sentence",
    "Turn",
    "document_text",
    "extract_figures",
    "load_corpus",
    "parse_number",
    "split_sentences",
    "transcript_files",
]
