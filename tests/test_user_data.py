"""User data where users expect it: `qa add` writes to the per-user data folder, never into the
package; the default corpus is the bundled transcript plus the user's; `qa list` and `qa remove`
(which moves a file to the trash, never deletes it)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import qa.cli
from corpus import BUNDLED_CORPUS, load_corpus, transcript_files
from qa.config import CorpusRoots, default_corpus, default_index_dir, trash_dir, user_transcripts_dir
from qa.engine import QA
from tests.conftest import FIXTURES, RURAL_TRANSCRIPT, SEED_TRANSCRIPT

REPO = Path(__file__).parent.parent
BUNDLED_ID = SEED_TRANSCRIPT.stem
RURAL_ID = RURAL_TRANSCRIPT.stem
MULTIDOC = FIXTURES / "multidoc"


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    """A fresh per-user data folder ($XDG_DATA_HOME) and no corpus chosen by the environment."""
    home = tmp_path / "data-home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("TRANSCRIPT_QA_CORPUS", raising=False)
    monkeypatch.delenv("TRANSCRIPT_QA_INDEX_DIR", raising=False)
    return home


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time."""
    return {str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*"))}


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = qa.cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _listed(capsys, *argv: str) -> list[dict]:
    code, out, err = _run(capsys, "list", "--json", *argv)
    assert code == 0, err
    return json.loads(out)


# -- `qa add` never writes into the package --------------------------------------------------------

def _read_only_install(tmp_path: Path) -> Path:
    """A copy of the packages, as an installed (site-packages) tree, with no write bits."""
    install = tmp_path / "site-packages"
    for package in ("corpus", "index", "qa"):
        shutil.copytree(REPO / package, install / package, ignore=shutil.ignore_patterns("__pycache__"))
    _set_writable(install, False)
    return install


def _set_writable(folder: Path, writable: bool) -> None:
    bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode | stat.S_IWUSR if writable else mode & ~bits)


def _qa(install: Path, home: Path, cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    """`python -m qa ...` importing the read-only copy; its files are only ever read."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRANSCRIPT_QA_")}
    env.update(PYTHONPATH=str(install), PYTHONDONTWRITEBYTECODE="1", HF_HUB_OFFLINE="1",
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"))
    return subprocess.run([sys.executable, "-m", "qa", *argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_add_into_a_read_only_install_writes_to_the_user_data_folder(tmp_path):
    install = _read_only_install(tmp_path)
    before = _snapshot(install)
    try:
        added = _qa(install, tmp_path, tmp_path, "add", str(RURAL_TRANSCRIPT), "--no-index")
        listed = _qa(install, tmp_path, tmp_path, "list", "--json")
    finally:
        _set_writable(install, True)  # so that pytest can remove the copy
    assert added.returncode == 0, added.stderr
    target = tmp_path / "data" / "transcript-qa" / "transcripts" / RURAL_TRANSCRIPT.name
    assert target.read_bytes() == RURAL_TRANSCRIPT.read_bytes()
    assert f"added {target}" in added.stdout  # it says where the file went
    assert _snapshot(install) == before  # the package is never written (root could have)
    assert listed.returncode == 0, listed.stderr
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    assert set(rows) == {BUNDLED_ID, RURAL_ID}
    # The bundled transcript is the read-only copy's: the subprocess imported the copy.
    assert Path(rows[BUNDLED_ID]["source"]).is_relative_to(install) and rows[BUNDLED_ID]["bundled"]
    assert rows[RURAL_ID]["source"] == str(target) and not rows[RURAL_ID]["bundled"]


def test_add_without_corpus_goes_to_the_user_folder(data_home, capsys):
    before = _snapshot(BUNDLED_CORPUS)
    code, out, err = _run(capsys, "add", str(RURAL_TRANSCRIPT), "--no-index")
    assert code == 0, err
    target = data_home / "transcript-qa" / "transcripts" / RURAL_TRANSCRIPT.name
    assert user_transcripts_dir() == target.parent
    assert target.read_bytes() == RURAL_TRANSCRIPT.read_bytes() and f"added {target}" in out
    assert _snapshot(BUNDLED_CORPUS) == before


@pytest.mark.parametrize("folder", [BUNDLED_CORPUS, BUNDLED_CORPUS / "sub"])
def test_add_refuses_the_package_folder_even_when_named(data_home, capsys, folder, monkeypatch):
    before = _snapshot(BUNDLED_CORPUS)
    code, _, err = _run(capsys, "add", str(RURAL_TRANSCRIPT), "--corpus", str(folder), "--no-index")
    assert code == 2 and "package's own transcript folder" in err and "Traceback" not in err
    monkeypatch.setenv("TRANSCRIPT_QA_CORPUS", str(folder))  # the same through the environment
    code, _, err = _run(capsys, "add", str(RURAL_TRANSCRIPT), "--no-index")
    assert code == 2 and "package's own transcript folder" in err
    assert _snapshot(BUNDLED_CORPUS) == before and not (data_home / "transcript-qa").exists()


# -- the default corpus: bundled + the user's ------------------------------------------------------

def test_default_corpus_is_the_bundled_folder_then_the_users(data_home):
    corpus = default_corpus()
    assert isinstance(corpus, CorpusRoots) and tuple(corpus) == (BUNDLED_CORPUS, user_transcripts_dir())
    assert Path(corpus) == BUNDLED_CORPUS  # as one path: the bundled folder (the chat page's examples)
    assert transcript_files(corpus) == [SEED_TRANSCRIPT]  # the user's folder does not exist yet
    user_transcripts_dir().mkdir(parents=True)
    assert transcript_files(corpus) == [SEED_TRANSCRIPT]  # nor is an empty one an error
    shutil.copy(RURAL_TRANSCRIPT, user_transcripts_dir())
    assert transcript_files(corpus) == [SEED_TRANSCRIPT, user_transcripts_dir() / RURAL_TRANSCRIPT.name]
    # Its index has a folder of its own: never the one of `--corpus corpus/transcripts`.
    assert default_index_dir(corpus) != default_index_dir(BUNDLED_CORPUS)
    assert default_index_dir(corpus) == default_index_dir(default_corpus())


def test_several_roots_with_no_transcript_are_one_clear_error(tmp_path):
    from corpus import CorpusError

    with pytest.raises(CorpusError, match="no transcripts .* found under"):
        transcript_files((tmp_path / "missing", tmp_path))


def test_a_user_transcript_named_like_the_bundled_one_leaves_its_id_alone(data_home, capsys, tmp_path):
    same_name = tmp_path / SEED_TRANSCRIPT.name
    same_name.write_bytes(RURAL_TRANSCRIPT.read_bytes())
    assert _run(capsys, "add", str(same_name), "--no-index")[0] == 0
    ids = [row["id"] for row in _listed(capsys)]
    assert ids[0] == BUNDLED_ID and len(set(ids)) == 2  # unique, and the bundled one unchanged
    assert [d.id for d in load_corpus(default_corpus()).documents] == ids  # stable: the same when parsed again


def test_default_index_follows_add_and_remove(data_home, capsys, tmp_path, fake_embedder):
    index_dir = tmp_path / "index"

    def engine() -> QA:
        return QA(index_dir=index_dir, embedder=fake_embedder, progress=False)

    assert [d.id for d in engine().load()._state().index.corpus.documents] == [BUNDLED_ID]
    assert _run(capsys, "add", str(RURAL_TRANSCRIPT), "--no-index")[0] == 0
    bot = engine()
    answer = bot.ask("How many villages have completed clean heating renovations?")
    assert answer.citations and answer.citations[0].source.endswith(RURAL_TRANSCRIPT.name)
    # `qa list` reads the current index (no parsing, no model) ...
    corpus, _ = qa.cli._current_corpus(bot, fake_embedder)
    assert type(corpus).__name__ == "StoredCorpus" and [d.id for d in corpus.documents] == [BUNDLED_ID, RURAL_ID]
    assert _run(capsys, "remove", RURAL_ID)[0] == 0
    # ... and parses a corpus whose index is stale; the next engine rebuilds without the document.
    corpus, _ = qa.cli._current_corpus(bot, fake_embedder)
    assert type(corpus).__name__ == "Corpus" and [d.id for d in corpus.documents] == [BUNDLED_ID]
    assert [d.id for d in engine().load()._state().index.corpus.documents] == [BUNDLED_ID]


# -- `qa list` -------------------------------------------------------------------------------------

def test_list_shows_each_documents_facts(data_home, capsys):
    assert _run(capsys, "add", str(RURAL_TRANSCRIPT), "--no-index")[0] == 0
    rows = _listed(capsys)
    expected = []
    for path in (SEED_TRANSCRIPT, user_transcripts_dir() / RURAL_TRANSCRIPT.name):
        corpus = load_corpus(path)
        document = corpus.documents[0]
        expected.append({
            "id": document.id, "title": document.title, "date": document.date, "source": str(path),
            "speakers": sorted({p.speaker for p in corpus.passages if p.role != "question"}),
            "passages": len(corpus.passages), "figures": sum(len(p.statistics) for p in corpus.passages),
            "bundled": path == SEED_TRANSCRIPT})
    assert rows == expected
    assert rows[1]["speakers"] == ["Li Wenhua", "Tang Yuhe", "Zhou Mingyuan"] and rows[1]["figures"] > 0
    code, out, _ = _run(capsys, "list")
    assert code == 0 and f"{BUNDLED_ID} (bundled)" in out and RURAL_ID in out
    assert f"{rows[1]['passages']} passages, {rows[1]['figures']} figures" in out and "2 document(s)" in out


def test_list_of_a_given_corpus(capsys, tmp_path):
    rows = _listed(capsys, "--corpus", str(MULTIDOC), "--index-dir", str(tmp_path / "index"))
    assert [row["id"] for row in rows] == [d.id for d in load_corpus(MULTIDOC).documents]
    assert len(rows) == 3 and not any(row["bundled"] for row in rows)


def test_list_escapes_control_characters(capsys, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "odd.md").write_text("---\ntitle: Evil \x1b[31mred\n---\n\n# Evil\n\n**Li Ming:**\n\n"
                                   "We built 8 canals in 2023.\n", encoding="utf-8")
    code, out, _ = _run(capsys, "list", "--corpus", str(folder), "--index-dir", str(tmp_path / "index"))
    assert code == 0 and "\x1b" not in out and "\\x1b" in out


# -- `qa remove` -----------------------------------------------------------------------------------

def test_remove_moves_the_file_to_the_trash(data_home, capsys):
    assert _run(capsys, "add", str(RURAL_TRANSCRIPT), "--no-index")[0] == 0
    added = user_transcripts_dir() / RURAL_TRANSCRIPT.name
    code, out, err = _run(capsys, "remove", RURAL_ID)
    assert code == 0, err
    trashed = list(trash_dir().rglob("*.txt"))
    assert len(trashed) == 1 and trashed[0].read_bytes() == RURAL_TRANSCRIPT.read_bytes()  # never lost
    assert not added.exists() and f"moved {added} to {trashed[0]}" in out
    assert [row["id"] for row in _listed(capsys)] == [BUNDLED_ID]
    # Added and removed again: the trash keeps both copies, none replaced.
    assert _run(capsys, "add", str(RURAL_TRANSCRIPT), "--no-index")[0] == 0
    assert _run(capsys, "remove", RURAL_ID)[0] == 0
    assert len(list(trash_dir().rglob("*.txt"))) == 2


def test_remove_refuses_the_bundled_document(data_home, capsys):
    before = _snapshot(BUNDLED_CORPUS)
    code, _, err = _run(capsys, "remove", BUNDLED_ID)
    assert code == 2 and "bundled transcript" in err and "never removed" in err and "Traceback" not in err
    code, _, err = _run(capsys, "remove", BUNDLED_ID, "--corpus", str(BUNDLED_CORPUS))
    assert code == 2 and "never removed" in err
    assert _snapshot(BUNDLED_CORPUS) == before and not trash_dir().exists()


def test_remove_unknown_id_names_close_ones(data_home, capsys):
    assert _run(capsys, "add", str(RURAL_TRANSCRIPT), "--no-index")[0] == 0
    code, _, err = _run(capsys, "remove", "rural-energy")
    assert code == 2 and "no document 'rural-energy'" in err and f"close ids: {RURAL_ID}" in err
    code, _, err = _run(capsys, "remove", "zzz")
    assert code == 2 and f"its ids include: {BUNDLED_ID}, {RURAL_ID}" in err
    assert (user_transcripts_dir() / RURAL_TRANSCRIPT.name).exists() and not trash_dir().exists()


def test_remove_takes_every_page_of_an_html_document(data_home, capsys, tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(MULTIDOC, folder)
    html_id = next(d.id for d in load_corpus(folder).documents if d.source.endswith(".html"))
    pages = sorted(p.name for p in folder.glob("*.html"))
    assert len(pages) == 2
    code, _, err = _run(capsys, "remove", html_id, "--corpus", str(folder), "--index-dir", str(tmp_path / "index"))
    assert code == 0, err
    assert sorted(p.name for p in trash_dir().rglob("*.html")) == pages and not list(folder.glob("*.html"))
    # Its second page did not become a document of its own.
    assert len(load_corpus(folder).documents) == 2
