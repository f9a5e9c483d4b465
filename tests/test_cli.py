"""The `qa` command: answers, JSON, one-line errors and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import SEED_TRANSCRIPT


def run_qa(*args: str, env_extra: dict | None = None, tmp_path=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    if tmp_path is not None:
        env["TRANSCRIPT_QA_INDEX_DIR"] = str(tmp_path / "index")
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "qa", *args], capture_output=True, text=True,
                          env=env, timeout=600)


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_exits_2_with_one_line(question, tmp_path):
    result = run_qa("ask", question, tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "empty" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "index").exists()  # refused before any model or index work


def test_missing_corpus_exits_2_with_one_line(tmp_path):
    result = run_qa("ask", "anything?", "--corpus", str(tmp_path / "missing"), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "corpus not found" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_unreadable_corpus_file_exits_2(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00binary\x00")
    result = run_qa("ask", "anything?", "--corpus", str(bad), tmp_path=tmp_path)
    assert result.returncode == 2 and "bad.txt" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.model
def test_ask_prints_answer_with_citation(tmp_path):
    result = run_qa("ask", "How many large industrial internet platforms have been established?",
                    tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "more than 150" in result.stdout.lower()
    assert "Han Xia" in result.stdout
    assert "Embedding" in result.stderr  # the first use builds the index with a progress bar

    as_json = run_qa("ask", "What was the penetration rate of R&D and design tools in 2021?", "--json",
                     "-k", "3", tmp_path=tmp_path)
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["answer"] == "74.7%" and data["abstained"] is False
    assert len(data["passages"]) == 3
    citation = data["citations"][0]
    assert citation["source"] == str(SEED_TRANSCRIPT) and citation["speaker"] == "Han Xia"
    assert "Embedding" not in as_json.stderr  # the index was reused


@pytest.mark.model
def test_index_command_builds_explicitly(tmp_path):
    result = run_qa("index", "--index-dir", str(tmp_path / "explicit"))
    assert result.returncode == 0, result.stderr
    assert "index ready" in result.stdout and (tmp_path / "explicit" / "CURRENT").exists()


def test_the_readme_synopsis_names_every_option_of_every_command():
    """Docs that match the code: each subcommand and each of its options appears in the README's
    command-line block."""
    import re
    from pathlib import Path

    from qa.cli import build_parser

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Command line\n\n```text\n(?P<text>.*?)```", readme, re.S)["text"]
    subcommands = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, parser in subcommands.choices.items():
        assert re.search(rf"^qa {name}\b", block, re.M), name
        for option in (o for action in parser._actions for o in action.option_strings if o != "--help"):
            if option in ("-h",):
                continue
            assert option in block, f"qa {name} {option}"
