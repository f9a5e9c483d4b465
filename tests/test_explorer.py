"""The figures explorer: every statistic as a row that slices back to its source, and one
measure traced across briefings with computed changes."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from corpus import BUNDLED_CORPUS, document_text, load_corpus
from qa import QA
from qa.eval import BUNDLED_SET
from qa.explorer_output import figures_csv, figures_json, figures_table, trend_csv, trend_json, trend_table
from tests.conftest import FIXTURES, RURAL_TRANSCRIPT

CORPORA = [BUNDLED_CORPUS, BUNDLED_SET.parent / "2024-05-21_ports-and-logistics-briefing.txt", RURAL_TRANSCRIPT,
           FIXTURES / "multidoc"]
FOMC = Path(__file__).resolve().parents[2] / "shared" / "real" / "transcripts" / "fomc"


@pytest.fixture(params=CORPORA, ids=lambda path: Path(path).stem)
def any_engine(request, tmp_path, fake_embedder):
    return QA(corpus=request.param, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False)


def test_every_statistic_is_one_csv_row_whose_offsets_slice_back_to_its_figure(any_engine):
    rows = list(csv.DictReader(io.StringIO(figures_csv(any_engine.figures()))))
    corpus = load_corpus(any_engine.corpus_path)
    statistics = [f for p in corpus.passages for f in p.statistics]
    assert len(rows) == len(statistics) > 0
    assert all(row["kind"] not in ("year", "ordinal") for row in rows)
    for row in rows:
        assert document_text(row["source"])[int(row["start"]):int(row["end"])] == row["text"]
        assert row["text"] in row["sentence"]
        paragraph = document_text(row["source"])[int(row["passage_start"]):int(row["passage_end"])]
        assert row["sentence"] in paragraph and int(row["passage_start"]) <= int(row["start"])
        assert float(row["magnitude"]) >= float(row["value"])  # scales only multiply


def test_filters_and_kinds_narrow_the_rows(fake_engine):
    every = fake_engine.figures()
    percents = fake_engine.figures(kinds=["percent"])
    assert percents and len(percents) < len(every) and {r.kind for r in percents} == {"percent"}
    assert fake_engine.figures(speaker="Han") == [r for r in every if "Han" in r.speaker]
    with pytest.raises(ValueError, match="unknown figure kind 'year'; kinds: count, money"):
        fake_engine.figures(kinds=["year"])
    with pytest.raises(ValueError, match="no document matches"):
        fake_engine.figures(document="no such briefing")


def test_a_query_ranks_rows_by_subject(fake_engine):
    ranked = fake_engine.figures(query="software industry")
    scores = [row.score for row in ranked]
    assert scores == sorted(scores, reverse=True) and None not in scores
    assert len(ranked) == len(fake_engine.figures())


def test_outputs_hold_every_row_and_no_control_codes(fake_engine, tmp_path):
    rows = fake_engine.figures()
    assert len(json.loads(figures_json(rows))) == len(rows)
    table = figures_table(rows)
    assert table.splitlines()[0].split()[:3] == ["date", "document", "speaker"]
    assert f"{len(rows)} figure(s)" in table
    crafted = [r.__class__(**{**r.to_dict(), "subject": "fake\x1b[2Jline\rqa: index ready"}) for r in rows[:1]]
    assert "\x1b" not in figures_table(crafted) and "\r" not in figures_table(crafted)
    assert "\x1b" not in figures_json(crafted)


@pytest.mark.model
def test_a_measure_across_briefings_in_period_order_with_computed_changes(real_embedder, tmp_path):
    engine = QA(corpus=FIXTURES / "multidoc", index_dir=tmp_path / "index", embedder=real_embedder, progress=False)
    rows = engine.figures()
    assert rows
    measure = Counter(r.subject for r in rows if 0 < len(r.subject.split()) <= 6).most_common(1)[0][0]
    points = engine.trend(measure)
    assert points
    order = [(p.row.date or "", p.row.period_start or p.row.date or "") for p in points]
    assert order == sorted(order)  # briefing by briefing, each in period order
    for point in points:
        for cited in point.citations:
            assert document_text(cited.source)[cited.start:cited.end] == cited.text == point.row.text
        if point.change:
            assert point.change.operands[1].text == point.row.text  # the change ends at this value
    assert all(json.loads(trend_json(points))[i]["text"] == p.row.text for i, p in enumerate(points))
    assert len(list(csv.DictReader(io.StringIO(trend_csv(points))))) == len(points)
    assert "computed" in trend_table(points, measure) or not any(p.change for p in points)


@pytest.fixture(scope="module")
def fomc_engine(real_embedder, tmp_path_factory):
    return QA(corpus=FOMC, index_dir=tmp_path_factory.mktemp("fomc-index"), embedder=real_embedder,
              progress=False).load()


@pytest.mark.model
@pytest.mark.skipif(not FOMC.is_dir(), reason="the real transcripts sit beside the repository in development and CI")
@pytest.mark.parametrize("measure, stated", [
    # The levels each Fed press conference states in the measure's own words near the figure.
    ("federal funds rate target range", {"2015-06-17": "0 to ¼ percent", "2017-09-20": "1 to 1¼ percent",
                                         "2018-12-19": "2¼ to 2½ percent", "2022-12-14": "4¼ to 4½ percent",
                                         "2023-06-14": "5 to 5¼ percent"}),
    ("unemployment rate", {"2015-06-17": "5.5 percent", "2017-09-20": "4.4 percent",
                           "2018-03-21": "4.1 percent", "2023-06-14": "3.7 percent"}),
])
def test_fed_press_conferences_trace_the_rate_and_unemployment(measure, stated, fomc_engine):
    points = fomc_engine.trend(measure)
    found = {(p.row.date, p.row.text) for p in points}
    assert set(stated.items()) <= found
    dates = [p.row.date for p in points if (p.row.date, p.row.text) in set(stated.items())]
    assert dates == sorted(dates)
    for point in points:
        assert all(document_text(c.source)[c.start:c.end] == c.text for c in point.citations)
        assert point.row.role != "question"  # reporters' figures only with questions=True


def test_the_commands_print_csv_json_and_tables_and_refuse_bad_input(fake_embedder, tmp_path, monkeypatch, capsys):
    from qa import cli

    monkeypatch.setattr(cli, "_engine", lambda args, **options: QA(
        corpus=BUNDLED_CORPUS, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False))
    assert cli.main(["figures", "--csv", "--kind", "money"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {row["kind"] for row in rows} == {"money"}
    assert cli.main(["figures", "--json", "--speaker", "Han"]) == 0
    assert all(row["speaker"].startswith("Han") for row in json.loads(capsys.readouterr().out))
    assert cli.main(["trend", "software industry", "--json"]) == 0
    json.loads(capsys.readouterr().out)  # whatever the fake vectors rank, the output is valid JSON
    assert cli.main(["figures", "--kind", "year"]) == 2
    assert capsys.readouterr().err.startswith("qa: error: unknown figure kind 'year'")
    assert cli.main(["trend", "   "]) == 2
    assert "empty" in capsys.readouterr().err


@pytest.mark.model
def test_a_cross_briefing_answer_gives_one_chart_point_per_briefing_and_others_none(real_embedder, tmp_path):
    from ui_figures import chart_points

    engine = QA(corpus=FIXTURES / "multidoc", index_dir=tmp_path / "index", embedder=real_embedder, progress=False)
    points = chart_points(engine.ask("How many hectares of water-saving irrigation area were there?"))
    assert points is not None and len(points) == 3
    assert [p["date"] for p in points] == sorted(p["date"] for p in points)
    assert len({p["document"] for p in points}) == 3
    assert all(p["figure"].split()[0].replace(".", "").isdigit() for p in points)
    assert chart_points(engine.ask("How many new irrigation districts were started?")) is None
    assert chart_points(engine.ask("What is the price of bottled water?")) is None  # an abstention


def test_a_clicked_figure_is_shown_marked_in_its_escaped_paragraph(fake_engine):
    from ui_figures import paragraph_html, table_rows

    row = fake_engine.figures(kinds=["percent"])[0]
    shown = paragraph_html(row)
    assert f'id="qa-fig-marked">{row.text}</mark>' in shown
    assert table_rows([row])[0][2] == row.text
    crafted = row.__class__(**{**row.to_dict(), "speaker": "<script>alert(1)</script>"})
    assert "<script>" not in paragraph_html(crafted) and "&lt;script&gt;" in paragraph_html(crafted)


def test_download_files_of_earlier_clicks_are_removed_after_an_hour(fake_engine, monkeypatch, tmp_path):
    import os

    import ui_figures

    monkeypatch.setattr(ui_figures, "_CSV_FOLDER", tmp_path / "csv")
    rows = fake_engine.figures()
    old = Path(ui_figures.csv_file(rows))
    os.utime(old, (old.stat().st_atime - 7200, old.stat().st_mtime - 7200))
    recent = Path(ui_figures.csv_file(rows))
    newest = Path(ui_figures.csv_file(rows))
    assert not old.exists() and recent.exists() and newest.exists()
    assert len(list(csv.DictReader(open(newest, encoding="utf-8")))) == len(rows)
