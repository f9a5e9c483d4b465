"""The README's examples are real output: checked here so they cannot go stale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.model


def test_quickstart_console_output_is_what_qa_ask_prints(real_engine):
    block = re.search(r'```console\n\$ qa ask "(?P<q>[^"]+)"\n(?P<out>.*?)```', README, re.S)
    assert block, "the README lost its quickstart example"
    assert real_engine.ask(block["q"]).text == block["out"].strip()


def test_api_examples_show_real_answers(real_engine):
    examples = re.findall(r'ask\("(?P<q>[^"]+)"\)\.answer\n# (?P<a>\'.*\')', README)
    assert len(examples) >= 2
    for question, shown in examples:
        assert repr(real_engine.ask(question).answer) == shown, question
    first = re.search(r'a = ask\("(?P<q>[^"]+)"\)\na\.answer +# (?P<a>\'.*\')', README)
    answer = real_engine.ask(first["q"])
    assert repr(answer.answer) == first["a"]
    assert f"# {answer.confidence}" in README
