"""Every command the README shows is one the tools accept, and its "Adding a transcript"
example runs as written: docs that cannot drift from the code."""

from __future__ import annotations

import functools
import re
import shlex
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest

import ui
from qa.cli import build_parser, main
from tests.conftest import FakeEmbedder, serving

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SHELL_BLOCK = re.compile(r"```(?:bash|console)\n(?P<body>.*?)```", re.S)


def shell_lines(text: str) -> list[str]:
    """The commands of the README's bash and console blocks: continuation lines joined, `$ `
    prompts and trailing `# comments` dropped, output lines (no prompt in a console block) left out."""
    commands = []
    for block in SHELL_BLOCK.finditer(text):
        console = block.group(0).startswith("```console")
        lines = block["body"].replace("\\\n", " ").splitlines()
        for line in lines:
            if console and not line.startswith("$ "):
                continue
            words = shlex.split(line.removeprefix("$ "), comments=True)
            if words:
                commands.append(shlex.join(words))
    return commands


COMMANDS = shell_lines(README)
QA_COMMANDS = [c for c in COMMANDS if c.startswith(("qa ", "python -m qa "))]
UI_COMMANDS = [c for c in COMMANDS if c.startswith("python ui.py")]


def test_the_readme_shows_commands_of_every_kind():
    assert len(QA_COMMANDS) >= 18 and len(UI_COMMANDS) >= 4, COMMANDS
    subcommands = {shlex.split(c.removeprefix("python -m "))[1] for c in QA_COMMANDS}
    assert {"ask", "add", "list", "remove", "figures", "eval", "fit", "bench"} <= subcommands


@pytest.mark.parametrize("command", QA_COMMANDS)
def test_each_qa_command_in_the_readme_is_accepted(command, capsys):
    words = shlex.split(command.removeprefix("python -m "))[1:]
    try:
        build_parser().parse_args(words)
    except SystemExit:
        pytest.fail(f"the README shows a command qa refuses: {command}\n{capsys.readouterr().err}")


@pytest.mark.parametrize("command", UI_COMMANDS)
def test_each_chat_page_command_in_the_readme_is_accepted(command, capsys):
    try:
        ui.build_parser().parse_args(shlex.split(command)[2:])
    except SystemExit:
        pytest.fail(f"the README shows a command ui.py refuses: {command}\n{capsys.readouterr().err}")


def test_the_install_extras_the_readme_names_exist():
    # pyproject's [project.optional-dependencies] rows (no tomllib: Python 3.10 is supported)
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    table = project.split("[project.optional-dependencies]\n", 1)[1].split("\n[", 1)[0]
    extras = set(re.findall(r"^(\w+) = \[", table, re.M))
    named = set(re.findall(r'pip install -e "\.\[(\w+)\]"', README))
    assert named and named <= extras


def test_the_python_modules_the_readme_runs_exist():
    modules = {c.split()[2] for c in COMMANDS if c.startswith("python -m ") and not c.startswith("python -m qa ")}
    ours = {m for m in modules if m.split(".")[0] in {"bench", "qa", "index", "corpus"}}
    assert ours, modules
    for module in ours:
        assert (ROOT / (module.replace(".", "/") + ".py")).exists(), module


# Invented transcripts for the README's file names: a briefing by Li Ming with the berths the
# README's question asks about, and a saved two-page web briefing by someone else.
BRIEFING = """Harbour Office holds press conference on port construction | May 21, 2024

Li Ming:
This year we built 14 new deep-water berths along the east coast.

Reporter:
What about the old quays?

Li Ming:
Two old quays were rebuilt.
"""
SAVED_PAGE = """<html><head><title>Canal briefing</title></head><body><h1>Canal Office briefing</h1>
<p>March 3, 2024</p><p><strong>Zhou Lan:</strong> We dredged 9 canals last winter.</p>
<div class="pages"><a href="saved-page_2.html">2</a></div></body></html>"""
SAVED_PAGE_2 = """<html><head><title>Canal briefing</title></head><body><h1>Canal Office briefing</h1>
<p><strong>Zhou Lan:</strong> Another 4 canals will follow.</p></body></html>"""
WEB_PAGE = """<html><head><title>Ferry briefing</title></head><body><h1>Ferry Office briefing</h1>
<p>May 21, 2024</p><p><strong>Wu Fei:</strong> Ferries carried 3.2 million passengers.</p></body></html>"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture
def press_site(tmp_path):
    """The README's example address, served on 127.0.0.1 at a free port; stopped after the test."""
    root = tmp_path / "site"
    (root / "press").mkdir(parents=True)
    (root / "press" / "t20240521.html").write_text(WEB_PAGE, encoding="utf-8")
    with serving(functools.partial(_Quiet, directory=str(root))) as url:
        yield url


def test_the_adding_a_transcript_example_runs_as_written(press_site, tmp_path, monkeypatch, capsys):
    import index.query_encoder

    monkeypatch.setattr(index.query_encoder, "load_embedder", lambda model=None: FakeEmbedder())
    monkeypatch.setenv("TRANSCRIPT_QA_ENCODER", "sentence-transformers")  # the fake model encodes questions too
    monkeypatch.setenv("TRANSCRIPT_QA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "briefing.txt").write_text(BRIEFING, encoding="utf-8")
    (tmp_path / "saved-page.html").write_text(SAVED_PAGE, encoding="utf-8")
    (tmp_path / "saved-page_2.html").write_text(SAVED_PAGE_2, encoding="utf-8")
    commands = readme_block_after("## Adding a transcript")
    assert [c.split()[1] for c in commands] == ["add", "add", "add", "ask"], commands

    outputs = []
    for command in commands:
        words = [w.replace("https://example.org", press_site) for w in shlex.split(command)[1:]]
        code = main(words)
        captured = capsys.readouterr()
        assert code == 0, (command, captured.err)
        outputs.append(captured.out)
    added = sorted(p.name for p in (tmp_path / "my-transcripts").iterdir())
    assert added == ["2024-03-03_canal-office-briefing.md", "2024-05-21_ferry-office-briefing.md", "briefing.txt"]
    assert "Another 4 canals" in (tmp_path / "my-transcripts" / added[0]).read_text(encoding="utf-8")
    assert "14 new deep-water berths" in outputs[-1] and "Li Ming" in outputs[-1]


def readme_block_after(heading_text: str) -> list[str]:
    """The commands of the first bash block after `heading_text`."""
    section = README[README.index(heading_text):]
    start = section.index("```bash")
    return shell_lines(section[start: section.index("```\n", start + 7) + 4])


def test_the_data_folder_example_adds_lists_and_removes_as_written(tmp_path, monkeypatch, capsys):
    import index.query_encoder

    monkeypatch.setattr(index.query_encoder, "load_embedder", lambda model=None: FakeEmbedder())
    monkeypatch.setenv("TRANSCRIPT_QA_ENCODER", "sentence-transformers")
    monkeypatch.setenv("TRANSCRIPT_QA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("TRANSCRIPT_QA_CORPUS", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "briefing.txt").write_text(BRIEFING, encoding="utf-8")
    commands = readme_block_after("Your transcripts live in your own data folder")
    assert [c.split()[1] for c in commands] == ["add", "list", "remove"], commands

    outputs = []
    for command in commands:
        code = main(shlex.split(command)[1:])
        captured = capsys.readouterr()
        assert code == 0, (command, captured.err)
        outputs.append(captured.out)
    mine = tmp_path / "data" / "transcript-qa" / "transcripts"
    assert str(mine / "briefing.txt") in outputs[0]
    assert "briefing" in outputs[1] and "(bundled)" in outputs[1] and "Li Ming" in outputs[1]
    assert not (mine / "briefing.txt").exists()
    trashed = list((tmp_path / "data" / "transcript-qa" / "trash").rglob("briefing.txt"))
    assert len(trashed) == 1 and trashed[0].read_text(encoding="utf-8") == BRIEFING
