"""The ONNX question encoder: same vectors and answers as sentence-transformers, no torch on
the query path, and a damaged or mismatching ONNX file never gives a wrong answer."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from corpus import BUNDLED_CORPUS
from index import query_encoder
from index.query_encoder import ENCODERS_FOLDER, ONNX_FILE, PROBE_TEXTS, Encoders, checked_onnx, prepare_onnx
from qa import QA
from qa.eval import BUNDLED_SET, load_set
from tests.conftest import FIXTURES, RURAL_TRANSCRIPT

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers", "sentence_transformers", "gradio")
QUESTION = "What was the numerical control rate of key processes at the end of 2021?"
# Every bundled evaluation set with its corpus.
SETS = [
    (BUNDLED_SET, BUNDLED_CORPUS),
    (BUNDLED_SET.parent / "ports.jsonl", BUNDLED_SET.parent / "2024-05-21_ports-and-logistics-briefing.txt"),
    (FIXTURES / "rural_energy_eval.jsonl", RURAL_TRANSCRIPT),
    (FIXTURES / "multidoc_eval.jsonl", FIXTURES / "multidoc"),
]


@pytest.fixture(scope="module")
def checked_cache(tmp_path_factory, real_embedder) -> Path:
    """An index folder holding only a checked ONNX encoder (exported once for the module)."""
    folder = tmp_path_factory.mktemp("onnx-cache")
    assert prepare_onnx(real_embedder, folder) is not None
    return folder


def _with_encoder(checked_cache: Path, index_dir: Path) -> Path:
    """`index_dir` with a copy of the checked encoder: the check record is per model, not per corpus."""
    shutil.copytree(checked_cache / ENCODERS_FOLDER, index_dir / ENCODERS_FOLDER, dirs_exist_ok=True)
    return index_dir


@pytest.mark.model
def test_onnx_vectors_equal_sentence_transformers_beyond_the_probes(checked_cache, real_embedder):
    encoder = checked_onnx(None, checked_cache)
    assert encoder is not None
    texts = ["How many ports handle containers?", "", "2.5 trillion yuan", "word " * 400,
             "Ministerin sagte: 3,5 Mrd. Euro", "¿Cuántos?", QUESTION]
    onnx, st = encoder.encode(texts), real_embedder.encode(texts)
    assert onnx.shape == st.shape == (len(texts), real_embedder.dim)
    assert (onnx * st).sum(axis=1).min() >= 0.99999
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    # One text at a time (as questions are) gives the batch's vectors too.
    single = np.vstack([encoder.encode([t]) for t in texts])
    assert np.abs(single - onnx).max() < 1e-5


@pytest.mark.model
@pytest.mark.parametrize("set_path,corpus", SETS, ids=lambda value: Path(value).stem)
def test_every_bundled_set_gets_identical_answers_with_either_encoder(set_path, corpus, checked_cache,
                                                                      real_embedder, tmp_path):
    index_dir = _with_encoder(checked_cache, tmp_path / "index")
    st = QA(corpus=corpus, index_dir=index_dir, embedder=real_embedder, progress=False).load()
    onnx = QA(corpus=corpus, index_dir=index_dir, encoder="onnx", progress=False).load()
    assert type(onnx.encoders.for_questions()).__name__ == "OnnxEmbedder"
    differing = [item.id for item in load_set(set_path)
                 if not _same(st.ask(item.question).to_dict(), onnx.ask(item.question).to_dict())]
    assert differing == []


def _same(a, b) -> bool:
    """Equal answers: every key, text, figure, offset and flag the same; scores (floats made
    from the vectors) within 1e-5, since the two encoders' vectors differ by about 2e-7."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-5
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    return type(a) is type(b) and a == b


QUERY_PROCESS = """
import json, sys
{call}
print(json.dumps({{"heavy": [m for m in {heavy!r} if m in sys.modules], "answer": answer}}))
"""


def _run_fresh(call: str, env: dict[str, str]) -> dict:
    code = QUERY_PROCESS.format(call=call, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.model
def test_the_query_path_imports_no_torch_once_the_index_and_encoder_are_ready(tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSCRIPT_QA_INDEX_DIR": str(tmp_path / "index"),
           "TRANSCRIPT_QA_CORPUS": str(BUNDLED_CORPUS)}
    env.pop("TRANSCRIPT_QA_ENCODER", None)
    ask = f"from qa import ask\nanswer = ask({QUESTION!r}).answer"
    first = _run_fresh(ask, env)  # builds the index with sentence-transformers, exports and checks ONNX
    assert first["answer"] == "51.3%" and "torch" in first["heavy"]
    again = _run_fresh(ask, env)
    assert again == {"heavy": [], "answer": "51.3%"}
    cli = ("import contextlib, io\nfrom qa.cli import main\nout = io.StringIO()\n"
           f"with contextlib.redirect_stdout(out):\n    main(['ask', '--json', {QUESTION!r}])\n"
           "answer = json.loads(out.getvalue())['answer']")
    assert _run_fresh(cli, env) == {"heavy": [], "answer": "51.3%"}


def _engine_with(index_dir: Path) -> QA:
    return QA(corpus=BUNDLED_CORPUS, index_dir=index_dir, encoder="onnx", progress=False)


def _encoder_files(index_dir: Path) -> Path:
    return next((index_dir / ENCODERS_FOLDER).iterdir())


@pytest.mark.model
def test_a_damaged_onnx_file_is_made_again_with_a_note(checked_cache, tmp_path, caplog):
    index_dir = _with_encoder(checked_cache, tmp_path / "index")
    onnx_file = _encoder_files(index_dir) / ONNX_FILE
    onnx_file.write_bytes(onnx_file.read_bytes()[: onnx_file.stat().st_size // 2])  # a truncated copy
    with caplog.at_level(logging.WARNING):
        engine = _engine_with(index_dir)
        assert engine.ask(QUESTION).answer == "51.3%"
    assert any("unreadable" in r.getMessage() for r in caplog.records)
    assert type(engine.encoders.for_questions()).__name__ == "OnnxEmbedder"
    assert checked_onnx(None, index_dir) is not None  # exported again, and checked


@pytest.mark.model
def test_an_onnx_file_giving_other_vectors_is_never_used(checked_cache, tmp_path, caplog):
    """A loadable ONNX network whose weights differ (another model, or flipped bytes) fails the
    probe check at load; it is made again from the sentence-transformers model."""
    import onnx
    from onnx import numpy_helper

    index_dir = _with_encoder(checked_cache, tmp_path / "index")
    onnx_file = _encoder_files(index_dir) / ONNX_FILE
    network = onnx.load(str(onnx_file))
    biggest = max(network.graph.initializer, key=lambda tensor: int(np.prod(tensor.dims)))
    weights = numpy_helper.to_array(biggest)
    biggest.CopyFrom(numpy_helper.from_array((weights * 0.5).astype(weights.dtype), biggest.name))
    onnx.save(network, str(onnx_file))
    with caplog.at_level(logging.WARNING):
        assert checked_onnx(None, index_dir) is None
    assert any("no longer matches" in r.getMessage() for r in caplog.records)
    assert _engine_with(index_dir).ask(QUESTION).answer == "51.3%"
    assert checked_onnx(None, index_dir) is not None


@pytest.mark.model
def test_a_model_folder_onnx_that_differs_falls_back_to_sentence_transformers(checked_cache, real_embedder,
                                                                             tmp_path, caplog, monkeypatch):
    """The model folder's own ONNX file is checked like an exported one; a mismatch is not used."""
    wrong = tmp_path / "wrong.onnx"
    import onnx
    from onnx import numpy_helper

    network = onnx.load(str(_encoder_files(checked_cache) / ONNX_FILE))
    first = network.graph.initializer[0]
    values = numpy_helper.to_array(first)
    first.CopyFrom(numpy_helper.from_array(np.zeros_like(values), first.name))
    onnx.save(network, str(wrong))
    monkeypatch.setattr(query_encoder, "model_onnx_file", lambda folder: wrong)
    with caplog.at_level(logging.WARNING):
        assert prepare_onnx(real_embedder, tmp_path / "index") is None
    assert any("differs from sentence-transformers" in r.getMessage() for r in caplog.records)
    assert checked_onnx(None, tmp_path / "index") is None  # nothing recorded as checked


def test_without_onnxruntime_questions_use_sentence_transformers(tmp_path, monkeypatch, fake_embedder):
    monkeypatch.setattr(query_encoder, "onnxruntime_available", lambda: False)
    encoders = Encoders(None, tmp_path, "onnx")
    monkeypatch.setattr(encoders, "builder", lambda: fake_embedder)
    assert encoders.checked() is None
    assert encoders.for_questions() is fake_embedder
    assert not (tmp_path / ENCODERS_FOLDER).exists()


def test_the_encoder_setting_is_checked():
    with pytest.raises(ValueError, match="unknown encoder 'gpu'.*onnx, sentence-transformers"):
        QA(corpus=BUNDLED_CORPUS, encoder="gpu")


def test_a_record_for_another_model_is_not_trusted(tmp_path, caplog):
    folder = query_encoder.encoder_folder(tmp_path, "all-MiniLM-L6-v2")
    folder.mkdir(parents=True)
    (folder / "check.json").write_text(json.dumps({"format": 1, "model": "all-MiniLM-L6-v2", "dim": 384,
                                                   "model_files": [["model.safetensors", 1, 1]]}))
    np.save(folder / "probes.npy", np.zeros((len(PROBE_TEXTS), 384), dtype=np.float32))
    with caplog.at_level(logging.WARNING):
        assert checked_onnx(None, tmp_path) is None
    assert any("another model" in r.getMessage() for r in caplog.records)


def test_an_index_folder_that_cannot_be_written_falls_back_to_sentence_transformers(tmp_path, monkeypatch,
                                                                                     fake_embedder, caplog):
    from contextlib import contextmanager

    @contextmanager
    def read_only(folder):
        raise PermissionError(13, "Permission denied")
        yield

    monkeypatch.setattr(query_encoder, "build_lock", read_only)
    encoders = Encoders(None, tmp_path, "onnx")
    monkeypatch.setattr(encoders, "builder", lambda: fake_embedder)
    with caplog.at_level(logging.WARNING):
        assert encoders.for_questions() is fake_embedder
    assert any("cannot write the ONNX encoder" in r.getMessage() for r in caplog.records)
