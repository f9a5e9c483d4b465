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
from tests.conftest import FIXTURES, REAL_TRANSCRIPTS, RURAL_TRANSCRIPT

CORPORA = [BUNDLED_CORPUS, BUNDLED_SET.parent / "2024-05-21_ports-and-logistics-briefing.txt", RURAL_TRANSCRIPT,
           FIXTURES / "multidoc"]
REAL = REAL_TRANSCRIPTS
FOMC = REAL / "fomc"


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
def real_engine_all(real_embedder, real_transcripts_index):
    """All the real transcripts together (four publishers), as the issue asks."""
    return QA(corpus=REAL, index_dir=real_transcripts_index, embedder=real_embedder, progress=False).load()


@pytest.mark.model
@pytest.mark.skipif(not FOMC.is_dir(), reason="the real transcripts sit beside the repository in development and CI")
@pytest.mark.parametrize("measure, stated", [
    # Every Fed press conference that states the measure's current value, read off the
    # transcripts: the target range at six (the 2022-06-15 one gives only the change), the
    # unemployment rate at five (2022-06-15 and 2022-12-14 give no figure for it).
    ("federal funds rate target range", {"2015-06-17": "0 to ¼ percent", "2017-09-20": "1 to 1¼ percent",
                                         "2018-03-21": "1½ to 1¾ percent", "2018-12-19": "2¼ to 2½ percent",
                                         "2022-12-14": "4¼ to 4½ percent", "2023-06-14": "5 to 5¼ percent"}),
    ("unemployment rate", {"2015-06-17": "5.5 percent", "2017-09-20": "4.4 percent", "2018-03-21": "4.1 percent",
                           "2018-12-19": "3.7 percent", "2023-06-14": "3.7 percent"}),
])
def test_fed_press_conferences_trace_the_rate_and_unemployment(measure, stated, real_engine_all):
    points = real_engine_all.trend(measure)
    fed = [p for p in points if "/fomc/" in Path(p.row.source).as_posix()]
    found = {(p.row.date, " ".join(p.row.text.split())) for p in fed}  # PDF line wraps inside a figure
    assert set(stated.items()) <= found
    dates = [p.row.date for p in points]
    assert dates == sorted(dates)  # briefing by briefing
    if measure.endswith("range"):  # no other Fed value of the range, and no projection of it
        assert {p.row.date for p in fed} == set(stated)
    for point in points:
        assert point.citations and all(document_text(c.source)[c.start:c.end] == c.text for c in point.citations)
        assert point.row.role != "question"  # reporters' figures only with questions=True
        assert point.row.period_start is None or point.row.period_start <= point.row.date  # no projection


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


# Invented briefings of a harbour board (own sentences and numbers), one rule of `qa trend` each.
HARBOUR_MARCH = """Harbour Board holds press conference on harbour charges

Press conference on harbour charges | March 10, 2022

Mei Ran:

Good morning. Welcome to the harbour briefing on fees.

Lin Hao:

Today the harbour board kept the harbour berthing fee at 2.5 percent of cargo value.

Next year, the harbour berthing fee will rise to 3 percent.

Last year the harbour berthing fee averaged 2.2 percent.

We expect the harbour berthing fee to settle at 2.9 percent.

The harbour berthing fee for tankers is 2.4 percent, and we expect demand to grow.

In our forecasts, the harbour berthing fee averages 2.8 percent this year.

As our forecasts showed, the harbour berthing fee averaged 2.6 percent in February.

The harbour berthing fee was 2.3 percent in January, and the harbour fuel fee was 6 percent.

The harbour berthing fee was 2.1 percent in October and 2.05 percent in November.

The berthing fee for reefer ships is 2.7 percent.

The harbour towage fee is 4 percent.

Besides the berthing fee, the quay crane hire fee stood at 8 percent.

As I said, a harbour berthing fee of 2.5 percent is fair to the harbour.

Harbour Daily:

Will the harbour pilot fee and the harbour mooring fee change?

Lin Hao:

The harbour pilot fee, the harbour mooring fee and the harbour lighting fee stay as they are.

Harbour Radio:

What about the harbour waste fee and the harbour water fee?

Lin Hao:

The harbour waste fee and the harbour water fee are under review at the harbour.
"""

HARBOUR_SEPTEMBER = """Harbour Board holds press conference on harbour charges in autumn

Press conference on harbour charges | September 14, 2022

Mei Ran:

Good afternoon. Welcome to the harbour briefing on fees.

Lin Hao:

The harbour berthing fee was 2.9 percent in May.

The harbour berthing fee was 3.2 percent in August.

The harbour board raised the harbour berthing fee by 0.2 percentage points, taking it to 3.1 percent.

The harbour board raised the harbour towage fee by 1 percentage point, taking it to 5 percent.

The harbour pilot fee, the harbour mooring fee and the harbour dredging fee stay as they are at the harbour.
"""


@pytest.fixture
def berthing_fee(tmp_path, fake_embedder) -> dict:
    """The trend of "harbour berthing fee" over the two harbour briefings, by (date, figure)."""
    folder = tmp_path / "harbour"
    folder.mkdir()
    (folder / "2022-03-10_harbour-charges.txt").write_text(HARBOUR_MARCH, encoding="utf-8")
    (folder / "2022-09-14_harbour-charges.txt").write_text(HARBOUR_SEPTEMBER, encoding="utf-8")
    engine = QA(corpus=folder, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False)
    return {(p.row.date, p.row.text): p for p in engine.trend("harbour berthing fee")}


MARCH, SEPTEMBER = "2022-03-10", "2022-09-14"


def test_projections_are_not_a_briefings_values(berthing_fee):
    assert (MARCH, "3 percent") not in berthing_fee  # "next year": a later period
    assert (MARCH, "2.9 percent") not in berthing_fee  # "we expect ..." in its own clause
    assert (MARCH, "2.8 percent") not in berthing_fee  # this year, not over, in a forecast's sentence
    assert (MARCH, "2.2 percent") in berthing_fee  # last year
    assert (MARCH, "2.4 percent") in berthing_fee  # the expectation is another clause's
    assert (MARCH, "2.6 percent") in berthing_fee  # a forecast's sentence, but February is over


def test_a_measure_may_leave_out_its_commonest_word_but_not_a_rarer_one(berthing_fee):
    assert (MARCH, "2.7 percent") in berthing_fee  # "berthing fee" without "harbour", said everywhere
    assert (MARCH, "4 percent") not in berthing_fee  # "harbour towage fee": "berthing" is rarer than the rest
    assert (MARCH, "8 percent") not in berthing_fee  # the words said, but of a subject this unlike the measure


def test_an_earlier_figure_of_another_subject_keeps_the_words_before_it(berthing_fee):
    assert (MARCH, "2.3 percent") in berthing_fee
    assert (MARCH, "6 percent") not in berthing_fee  # the fuel fee's, after the berthing fee's value
    assert {(MARCH, "2.1 percent"), (MARCH, "2.05 percent")} <= set(berthing_fee)  # a list shares its subject


def test_only_an_earlier_figure_of_another_subject_claims_the_words_before_a_figure(tmp_path, fake_embedder):
    from dataclasses import replace

    from qa.explorer import _Candidate, _claimed

    folder = tmp_path / "harbour"
    folder.mkdir()
    (folder / "2022-03-10_harbour-charges.txt").write_text(HARBOUR_MARCH, encoding="utf-8")
    engine = QA(corpus=folder, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False)
    rows = {row.text: row for row in engine.figures()}
    figures = {f.text: f for p in load_corpus(folder).passages for f in p.statistics}
    first, second = figures["2.1 percent"], figures["2.05 percent"]
    listed = _Candidate(rows["2.05 percent"], second, 0)
    assert _claimed(listed, [first, second]) == 0  # one subject: a list
    claimed = _claimed(listed, [replace(first, subject="the harbour fuel fee"), second])
    assert rows["2.05 percent"].sentence[:claimed].endswith("2.1 percent")


def test_a_thin_subject_is_judged_by_its_sentence(berthing_fee):
    assert (SEPTEMBER, "3.1 percent") in berthing_fee  # "taking it to ...", the berthing fee's sentence
    assert (SEPTEMBER, "5 percent") not in berthing_fee  # the same words for the towage fee


def test_a_value_said_again_without_a_period_is_one_point_with_both_citations(berthing_fee):
    point = berthing_fee[(MARCH, "2.5 percent")]
    assert point.row.period_start == MARCH and len(point.citations) == 2
    assert all(document_text(c.source)[c.start:c.end] == "2.5 percent" for c in point.citations)
    assert [p.row.text for p in berthing_fee.values()].count("2.5 percent") == 1


def test_a_briefings_value_is_its_latest_one_and_the_change_runs_from_the_previous_briefings(berthing_fee):
    changed = [p for p in berthing_fee.values() if p.change]
    assert [(p.row.date, p.row.text) for p in changed] == [(SEPTEMBER, "3.2 percent")]  # August, not May
    assert [o.text for o in changed[0].change.operands] == ["2.5 percent", "3.2 percent"]  # March's "today"
    assert changed[0].change.text == "+0.7 percentage points"
