"""Question embeddings with onnxruntime and tokenizers. The only module that imports onnxruntime.

The same all-MiniLM-L6-v2 network as `index.embedder`, exported to ONNX once, gives the same
vectors (within 3e-7) without importing torch: a cold process answers in about a second instead
of nine. Tokenizing, pooling and normalising follow the sentence-transformers model folder's own
configuration, so the two encoders agree; `index.query_encoder` checks that they do before this
one is used.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.embedder import ModelError, read_model_json

_POOLINGS = ("mean", "cls")  # what the model folder's Pooling module may ask for


@dataclass
class OnnxEmbedder:
    """A transformer exported to ONNX plus the model folder's tokenizer and pooling, on one thread."""

    name: str
    dim: int
    onnx_file: Path
    pooling: str = "mean"
    lower_case: bool = False
    _session: Any = field(default=None, repr=False)
    _tokenizer: Any = field(default=None, repr=False)
    _inputs: tuple[str, ...] = field(default=(), repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Unit vectors, one row per text (`progress` is accepted for the Embedder protocol)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = [text.lower() for text in texts] if self.lower_case else list(texts)
        with self._lock:
            encodings = self._tokenizer.encode_batch(texts)
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        hidden = self._session.run(None, {name: feed[name] for name in self._inputs})[0]
        if hidden.ndim != 3 or hidden.shape[-1] != self.dim:
            raise ModelError(f"{self.onnx_file}: gives shape {hidden.shape}, not (batch, tokens, {self.dim})")
        vectors = _pool(hidden.astype(np.float32), feed["attention_mask"], self.pooling)
        vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _pool(hidden: np.ndarray, mask: np.ndarray, pooling: str) -> np.ndarray:
    if pooling == "cls":
        return hidden[:, 0, :].copy()
    weights = mask[..., None].astype(np.float32)
    return (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)


def onnxruntime_available() -> bool:
    """Whether onnxruntime and tokenizers can be imported here."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return True


def load_onnx_embedder(name: str, model_folder: Path, onnx_file: Path, dim: int) -> OnnxEmbedder:
    """The ONNX network `onnx_file` with the tokenizer and pooling of the sentence-transformers
    folder `model_folder`. Raises ModelError when any part is missing or not understood."""
    try:
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError as error:
        raise ModelError(f"onnxruntime is not installed ({error.name})") from None
    settings = read_model_json(model_folder / "sentence_bert_config.json", {})
    pooling = _pooling(model_folder)
    try:
        tokenizer = Tokenizer.from_file(str(model_folder / "tokenizer.json"))
        options = onnxruntime.SessionOptions()
        # One question at a time: a single thread is fastest and never competes with the server's.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # both libraries raise their own types for unreadable files
        raise ModelError(f"cannot load the ONNX encoder {onnx_file}: {error}") from None
    # The tokenizer file carries its own fixed padding and truncation; the model folder's
    # max_seq_length is what sentence-transformers truncates to, and it pads to the longest text.
    tokenizer.enable_truncation(int(settings.get("max_seq_length") or 512))
    pad_id = tokenizer.token_to_id("[PAD]")
    tokenizer.enable_padding(pad_id=0 if pad_id is None else pad_id, pad_token="[PAD]")
    inputs = tuple(node.name for node in session.get_inputs())
    if not {"input_ids", "attention_mask"} <= set(inputs) or not set(inputs) <= {"input_ids", "attention_mask",
                                                                                 "token_type_ids"}:
        raise ModelError(f"{onnx_file}: unexpected inputs {', '.join(inputs)}")
    return OnnxEmbedder(name=name, dim=dim, onnx_file=onnx_file, pooling=pooling,
                        lower_case=bool(settings.get("do_lower_case")), _session=session,
                        _tokenizer=tokenizer, _inputs=inputs)


def _pooling(model_folder: Path) -> str:
    """The pooling the folder's Pooling module names (mean or CLS); ModelError for others."""
    modules = read_model_json(model_folder / "modules.json", [])
    folders = [m.get("path", "") for m in modules if isinstance(m, dict) and str(m.get("type", "")).endswith("Pooling")]
    config = read_model_json(model_folder / (folders[0] if folders else "1_Pooling") / "config.json", {})
    modes = [mode for mode in _POOLINGS if config.get(f"pooling_mode_{mode}_tokens" if mode == "mean"
                                                       else "pooling_mode_cls_token")]
    others = [key for key, on in config.items() if key.startswith("pooling_mode_") and on
              and key not in ("pooling_mode_mean_tokens", "pooling_mode_cls_token")]
    if len(modes) != 1 or others:
        raise ModelError(f"{model_folder}: pooling {config} is not one the ONNX encoder reproduces")
    return modes[0]
