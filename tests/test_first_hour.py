"""What a new user meets first: a quiet first build, bounded k everywhere, our own page line."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import ui
from corpus import BUNDLED_CORPUS, load_corpus
from index import open_index, progress
from index.progress import progress_bar
from qa.config import MAX_K
from tests.conftest import RURAL_TRANSCRIPT, FakeEmbedder

ROOT = Path(__file__).resolve().parents[1]


class SlowEmbedder(FakeEmbedder):
    """Embeds as slowly as a real model on a big corpus: each call takes a while."""

    def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        time.sleep(0.3)
        return super().encode(texts)


def two_transcripts(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for source in (BUNDLED_CORPUS, RURAL_TRANSCRIPT):
        shutil.copy(next(Path(source).glob("*.txt")) if Path(source).is_dir() else source, folder)
    return folder


def test_a_first_build_prints_no_debug_line_and_no_empty_bar(tmp_path, capsys, caplog, monkeypatch):
    monkeypatch.setattr(progress, "PROGRESS_DELAY_SECONDS", 0.2)  # so that a short test shows its bar
    folder = two_transcripts(tmp_path)
    embedder = SlowEmbedder()
    with caplog.at_level(logging.DEBUG):  # whatever the root logger lets through
        open_index(load_corpus(folder), embedder, tmp_path / "index", progress=True)
    first = capsys.readouterr().err
    assert "Embedding passages" in first and "100%" in first  # the real work has its bar
    assert not [r for r in caplog.records if r.name.startswith("bm25s") and r.levelno < logging.WARNING]
    # Removing a transcript rebuilds from the other's saved vectors: nothing to embed, no "0text" bar.
    (folder / RURAL_TRANSCRIPT.name).unlink()
    calls = embedder.calls
    open_index(load_corpus(folder), embedder, tmp_path / "index", progress=True)
    again = capsys.readouterr().err
    assert embedder.calls == calls  # it did rebuild, from saved vectors only
    assert "Embedding passages" not in again and "0text" not in again


def test_work_under_a_second_shows_no_bar(tmp_path, fake_embedder, capsys):
    assert progress.PROGRESS_DELAY_SECONDS == 1.0
    open_index(load_corpus(two_transcripts(tmp_path)), fake_embedder, tmp_path / "index", progress=True)
    assert fake_embedder.calls > 0  # it did embed, in well under a second
    assert "Embedding passages" not in capsys.readouterr().err


def test_evaluation_bars_wait_a_second_too(capsys):
    for _ in progress_bar(range(3), desc="Evaluating (hybrid)"):
        pass
    assert "Evaluating" not in capsys.readouterr().err
    for _ in progress_bar(range(3), desc="Evaluating (hybrid)"):
        time.sleep(0.6)
    assert "Evaluating (hybrid): 100%" in capsys.readouterr().err


@pytest.mark.parametrize("k", [0, -1, MAX_K + 1, 1000, 2.5, "5", True])
def test_k_outside_one_to_fifty_is_refused_with_one_line(k, fake_engine):
    with pytest.raises(ValueError, match=f"k must be a whole number from 1 to {MAX_K}"):
        fake_engine.ask("How many platforms?", k=k)


def test_k_at_both_ends_is_accepted(fake_engine):
    assert len(fake_engine.retrieve("platforms", k=1)) == 1
    assert fake_engine.ask("How many platforms?", k=MAX_K).passages  # the corpus has fewer passages


def test_the_command_line_refuses_k_1000_before_loading_anything(tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSCRIPT_QA_INDEX_DIR": str(tmp_path / "index")}
    done = subprocess.run([sys.executable, "-m", "qa", "ask", "How many?", "-k", "1000"], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 2 and "from 1 to 50" in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("k, expected", [(3, 3), (3.0, 3), ("7", 7), (1000, 1000)])
def test_the_api_passes_k_on_for_the_engine_to_check(k, expected):
    assert ui.api_k(k) == expected


def test_the_api_refuses_a_k_that_is_no_number():
    with pytest.raises(ValueError, match="whole number"):
        ui.api_k("many")


def test_the_page_announces_itself_instead_of_gradios_share_hint(tmp_path, monkeypatch, capsys):
    launched = {}
    monkeypatch.setattr(ui, "serve", lambda engine, **options: launched.update(options))
    monkeypatch.setattr(ui, "QA", lambda **options: None)
    ui.main(["--port", "7861", "--index-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert "Chat page: http://127.0.0.1:7861 (local only; --share for a public link)" in err
    assert launched["share"] is False


def test_launch_keeps_gradio_quiet_unless_a_share_link_is_asked_for(monkeypatch):
    seen = {}

    class App:
        def launch(self, **options):
            seen.update(options)

    ui.launch(App(), block=True)
    assert seen["quiet"] is True
    ui.launch(App(), block=True, share=True)
    assert seen["quiet"] is False  # Gradio prints the public link it made


@pytest.mark.model
def test_one_end_of_a_range_is_labelled_with_its_own_year_and_a_growth_with_the_range(real_engine):
    one_end = real_engine.ask("What was the size of the software industry in 2012?")
    assert one_end.answer == "2.5 trillion yuan"
    assert "_The software industry (in 2012)_" in one_end.text and "From 2012 to 2021" not in one_end.text.split(">")[0]
    growth = real_engine.ask("How much did the software industry grow from 2012 to 2021?")
    assert "_The software industry (from 2012 to 2021)_" in growth.text


@pytest.mark.parametrize("subject, label", [
    ("Cities in China are connected to the extranets", "Cities in China"),
    ("Villages in the pilot provinces have completed renovations", "Villages in the pilot provinces"),
    ("the software industry", "the software industry"),
])
def test_a_measure_label_is_the_noun_phrase_of_its_subject(subject, label):
    from qa.render import label_subject

    assert label_subject(subject) == label


@pytest.mark.parametrize("period, label", [("By the end of 2021", "by the end of 2021"), ("In 2023", "in 2023"),
                                           ("So far", "so far"), ("May 2021", "May 2021")])
def test_a_period_in_a_label_loses_its_sentence_capital_only(period, label):
    from qa.render import label_period

    assert label_period(period) == label
