"""Embeddings (sentence-transformers) + FAISS + BM25, saved and loaded safely."""

from index.build import Rows, SearchIndex, figure_description, open_index, open_saved, parse_and_open_index
from index.embedder import DEFAULT_MODEL, Embedder, ModelError, load_embedder
from index.store import IndexFormatError
from index.tokens import normalize_number, normalize_text, token_set, tokenize

__all__ = [
    "DEFAULT_MODEL",
    "Embedder",
    "IndexFormatError",
    "ModelError",
    "Rows",
    "SearchIndex",
    "figure_description",
    "load_embedder",
    "normalize_number",
    "normalize_text",
    "open_index",
    "open_saved",
    "parse_and_open_index",
    "token_set",
    "tokenize",
]
