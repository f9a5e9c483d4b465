"""The `qa eval` runner: per-tag metrics, failures, retrievers side by side, JSON and markdown."""

from __future__ import annotations

import json

import pytest

from qa import cli, eval_report
from qa.eval import Item, Row, by_tag, failures, metrics
from qa.models import Answer
from tests.conftest import FIXTURES, RURAL_TRANSCRIPT

RURAL_SET = FIXTURES / "rural_energy_eval.jsonl"
REQUIRED_KEYS = {"answer_accuracy", "abstention_precision", "abstention_recall", "false_abstention_rate",
                 "recall@1", "recall@3", "recall@5", "mrr@10", "citation_validity", "number_faithfulness",
                 "latency_p50_ms", "latency_p95_ms"}


def row(id: str, tags: tuple[str, ...], *, answerable: bool, correct: bool, abstained: bool,
        got: str = "12.5%", latency: float = 10.0) -> Row:
    item = Item(id, f"question {id}?", ("12.5%",) if answerable else (), "", answerable, tags)
    answer = Answer(item.question, got, got, (), (), (), abstained, 0.5)
    return Row(item, answer, correct, None, latency)


ROWS = [
    row("a", ("figure", "typo"), answerable=True, correct=True, abstained=False),
    row("b", ("figure",), answerable=True, correct=False, abstained=False, got="7.5%"),
    row("c", ("figure",), answerable=True, correct=False, abstained=True, got="The transcript does not say."),
    row("d", ("unanswerable",), answerable=False, correct=True, abstained=True),
    row("e", ("unanswerable",), answerable=False, correct=False, abstained=False, got="3 plants", latency=30.0),
]


def test_metrics_count_answers_abstentions_and_tags():
    result = metrics(ROWS)
    assert result["questions"] == 5
    assert result["answer_accuracy"] == pytest.approx(1 / 3)
    assert result["abstention_recall"] == 0.5  # d declined, e answered
    assert result["abstention_precision"] == 0.5  # c and d declined; only d should have been
    assert result["false_abstention_rate"] == pytest.approx(1 / 3)
    assert result["tag:figure:questions"] == 3 and result["tag:figure:accuracy"] == pytest.approx(1 / 3)
    assert result["tag:typo:accuracy"] == 1.0 and result["tag:unanswerable:accuracy"] == 0.5
    assert result["latency_p50_ms"] == 10.0 and result["latency_p95_ms"] == 30.0
    assert set(by_tag(ROWS)) == {"figure", "typo", "unanswerable"}
    assert [r.item.id for r in failures(ROWS)] == ["b", "c", "e"]


def test_reports_show_metrics_tags_and_each_miss():
    text = eval_report.format_metrics(metrics(ROWS))
    assert "answer accuracy" in text and "0.333" in text
    assert any(line.split() == ["typo", "1", "1.000"] for line in text.splitlines())
    misses = eval_report.format_failures(failures(ROWS))
    assert "[b] (figure) question b?\n  expected: 12.5%\n  got:      7.5%" in misses
    assert "got:      (abstained) The transcript does not say." in misses
    assert "[e] (unanswerable) question e?\n  expected: (an abstention)\n  got:      3 plants" in misses
    assert eval_report.format_failures([]) == "no failures"


def test_comparison_puts_retrievers_side_by_side():
    good, bad = metrics(ROWS[:1]), metrics(ROWS[1:2])
    lines = eval_report.format_comparison({"bm25": bad, "hybrid": good}).splitlines()
    assert lines[0].split() == ["metric", "bm25", "hybrid"]
    accuracy = next(line for line in lines if line.startswith("answer accuracy"))
    assert accuracy.split()[-2:] == ["0.000", "1.000"]
    assert any(line.startswith("tag figure") for line in lines)


def test_markdown_table_has_one_line_per_split_and_retriever():
    rows = [eval_report.TableRow("seed", "dev", mode, metrics(ROWS)) for mode in ("bm25", "hybrid")]
    lines = eval_report.markdown_table(rows).splitlines()
    assert len(lines) == 4 and lines[0].startswith("| set | split | retriever | questions |")
    assert lines[3].startswith("| seed | dev | hybrid | 5 | 0.333 |")
    assert "latency" not in lines[0]  # timings vary between runs; the README table must reproduce


@pytest.fixture
def cli_with_real_model(monkeypatch, tmp_path, real_embedder):
    """`qa` in-process, with the session's model instead of loading it again."""
    from qa import QA

    def engine(args, **options):
        return QA(corpus=args.corpus, index_dir=tmp_path / "index", embedder=real_embedder, progress=False,
                  **options)

    monkeypatch.setattr(cli, "_engine", engine)
    return cli.main


@pytest.mark.model
def test_compare_json_reports_every_retriever_and_the_misses(cli_with_real_model, capsys):
    code = cli_with_real_model(["eval", "--set", str(RURAL_SET), "--corpus", str(RURAL_TRANSCRIPT),
                                "--compare", "--json", "--failures"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["metrics"]) == {"bm25", "dense", "hybrid"}
    for mode, result in data["metrics"].items():
        assert REQUIRED_KEYS <= set(result), mode
        assert result["questions"] == 20
        assert result["citation_validity"] == 1.0 and result["number_faithfulness"] == 1.0
        misses = data["failures"][mode]
        assert len(misses) == round((1 - result["overall_accuracy"]) * 20)
        assert all({"id", "question", "expected", "got"} <= set(miss) for miss in misses)
    # The baselines really are different retrievers: their rankings differ somewhere.
    assert data["metrics"]["dense"]["mrr@10"] != data["metrics"]["bm25"]["mrr@10"]


@pytest.mark.model
def test_text_output_with_one_retriever_and_failures(cli_with_real_model, capsys):
    code = cli_with_real_model(["eval", "--set", str(RURAL_SET), "--corpus", str(RURAL_TRANSCRIPT),
                                "--retriever", "dense", "--failures"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.startswith("questions") and "recall@5" in out and "latency p95 (ms)" in out
    assert "\ntag " in out and "\nfailures (dense, " in out


@pytest.mark.model
def test_flat_json_for_one_retriever(cli_with_real_model, capsys):
    assert cli_with_real_model(["eval", "--set", str(RURAL_SET), "--corpus", str(RURAL_TRANSCRIPT), "--json",
                                "--retriever", "bm25"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert REQUIRED_KEYS <= set(data) and all(isinstance(v, (int, float)) for v in data.values())


def test_bad_set_is_one_line_and_exit_2(tmp_path, capsys):
    missing = tmp_path / "missing.jsonl"
    assert cli.main(["eval", "--set", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "missing.jsonl" in err and err.count("\n") == 1


def test_a_folder_of_sets_is_evaluated_set_by_set(monkeypatch, tmp_path, capsys, fake_embedder):
    from qa import QA

    lines = RURAL_SET.read_text(encoding="utf-8").splitlines()
    sets = tmp_path / "sets"
    (sets / "more").mkdir(parents=True)
    (sets / "first.jsonl").write_text("\n".join(lines[:5]) + "\n", encoding="utf-8")
    (sets / "more" / "second.jsonl").write_text("\n".join(lines[5:8]) + "\n", encoding="utf-8")
    monkeypatch.setattr(cli, "_engine", lambda args, **options: QA(
        corpus=args.corpus, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False, **options))
    assert cli.main(["eval", "--set", str(sets), "--corpus", str(RURAL_TRANSCRIPT), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {name: result["questions"] for name, result in data.items()} == {"first": 5, "second": 3}
    assert cli.main(["eval", "--set", str(sets), "--corpus", str(RURAL_TRANSCRIPT)]) == 0
    out = capsys.readouterr().out
    assert "== first ==\nquestions" in out and "== second ==\nquestions" in out
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["eval", "--set", str(empty)]) == 2
    assert "no evaluation sets" in capsys.readouterr().err
