"""The fitted-weights file: round trip, refusal of a file made for other features, the fit itself."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qa.eval import Item
from qa.features import DECISION_NAMES, FEATURE_NAMES, FIGURE_FEATURES
from qa.fit import Labelled, candidate_is_right, cross_validate, fit
from qa.weights import SHIPPED_WEIGHTS, Logistic, Weights, WeightsError, load_weights


def weights(threshold: float = 0.5) -> Weights:
    return Weights(Logistic(FEATURE_NAMES, tuple(np.linspace(-1, 1, len(FEATURE_NAMES))), 0.1),
                   Logistic(DECISION_NAMES, tuple([0.5] * len(DECISION_NAMES)), -0.2), threshold, ("t:dev",))


def test_every_feature_has_a_reason():
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert all(reason.strip() for _, reason in FIGURE_FEATURES)


def test_weights_round_trip(tmp_path):
    path = tmp_path / "w.json"
    weights(0.42).save(path)
    loaded = load_weights(path)
    assert loaded == weights(0.42)
    x = np.ones(len(FEATURE_NAMES))
    assert loaded.ranker.probability(x) == pytest.approx(1 / (1 + np.exp(-(np.linspace(-1, 1, len(x)).sum() + 0.1))))


def test_a_file_for_other_features_or_format_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "w.json"
    raw = json.loads(weights().to_json())
    raw["ranker"]["features"] = raw["ranker"]["features"][::-1]
    path.write_text(json.dumps(raw))
    with pytest.raises(WeightsError, match="refit with `qa fit`"):
        load_weights(path)
    raw = json.loads(weights().to_json()) | {"format_version": 99}
    path.write_text(json.dumps(raw))
    with pytest.raises(WeightsError, match="format 99"):
        load_weights(path)
    path.write_text("{not json")
    with pytest.raises(WeightsError, match="cannot read"):
        load_weights(path)


def test_a_shipped_weights_file_if_any_loads_and_matches_the_feature_list():
    if not SHIPPED_WEIGHTS.is_file():
        pytest.skip("no weights file shipped: the hand-set blend answers (see README, Evaluation)")
    shipped = load_weights(SHIPPED_WEIGHTS)
    assert shipped.ranker.features == FEATURE_NAMES and shipped.answerable.features == DECISION_NAMES
    assert 0.0 <= shipped.threshold <= 1.0 and shipped.trained_on


def test_weights_fitted_on_a_small_set_change_the_answers(tmp_path, fake_embedder):
    """Fit on the seed dev questions (fake embedder), then answer with those weights: some
    answers differ from the hand-set blend's, and every answer stays checkable."""
    from corpus import BUNDLED_CORPUS, document_text
    from qa import QA
    from qa.eval import BUNDLED_SET, load_set
    from qa.fit import label

    hand = QA(corpus=BUNDLED_CORPUS, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False,
              weights=False)
    items = load_set(BUNDLED_SET, "dev")
    rows = label(hand, items, "seed", progress=False)
    for n, row in enumerate(rows):  # two "transcripts", so that grouped validation can run
        row.group = f"half-{n % 2}"
    fitted = fit(rows, trained_on=["seed:dev"])
    path = tmp_path / "weights.json"
    fitted.save(path)
    learned = QA(corpus=BUNDLED_CORPUS, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False,
                 weights=path)
    changed = 0
    for item in items:
        ours, theirs = learned.ask(item.question), hand.ask(item.question)
        changed += (ours.answer, ours.abstained) != (theirs.answer, theirs.abstained)
        for citation in ours.citations:
            assert document_text(citation.source)[citation.start:citation.end] == citation.quote
    assert changed > 0


def test_a_bad_weights_file_is_an_error_before_any_work(tmp_path):
    from qa import QA

    bad = tmp_path / "w.json"
    bad.write_text("[]")
    with pytest.raises(WeightsError, match="refit with `qa fit`"):
        QA(corpus=tmp_path, weights=bad)


def test_candidate_labels_follow_the_items_mode():
    number = Item("a", "q", ("2¼ to 2½ percent",), "", True, mode="number")
    assert candidate_is_right(number, "2¼ percent", 2.25) and not candidate_is_right(number, "2½ percent", 2.5)
    assert not candidate_is_right(Item("b", "q", (), "", False), "5", 5.0)


def _synthetic_rows(seed: int = 0) -> list[Labelled]:
    """Questions whose right candidate has a high first feature; half the transcripts' questions
    are unanswerable (every candidate looks poor)."""
    rng = np.random.default_rng(seed)
    rows = []
    for q in range(80):
        answerable = q % 4 != 0
        features = rng.uniform(0, 0.4, size=(4, len(FEATURE_NAMES)))
        positive = np.zeros(4, dtype=bool)
        if answerable:
            right = rng.integers(4)
            features[right, 0] = rng.uniform(0.7, 1.0)
            positive[right] = True
        item = Item(f"q{q}", "q", ("1",) if answerable else (), "", answerable, doc=f"doc{q % 8}")
        rows.append(Labelled(item, "synthetic", item.doc, True, features, positive, False, True))
    return rows


def test_fitting_learns_which_feature_tells_and_validates_by_transcript():
    rows = _synthetic_rows()
    validation = cross_validate(rows)
    result = validation.metrics()
    assert result["answer_accuracy"] > 0.9 and result["abstention_recall"] > 0.5
    fitted = fit(rows, trained_on=["synthetic:dev"])
    assert int(np.argmax(fitted.ranker.coef)) == 0  # the feature that marks the right candidate
    groups = {o.row.group for o in validation.outcomes}
    assert len(groups) == 8 and len(validation.outcomes) == len(rows)


def test_qa_fit_reports_cross_validated_and_current_metrics_per_set(monkeypatch, tmp_path, capsys, fake_embedder):
    from corpus import BUNDLED_CORPUS
    from qa import QA, cli
    from qa.eval import BUNDLED_SET

    monkeypatch.setattr(cli, "_engine", lambda args, **options: QA(
        corpus=args.corpus, index_dir=tmp_path / str(abs(hash(args.corpus))), embedder=fake_embedder,
        progress=False))
    ports = BUNDLED_SET.parent / "ports.jsonl"
    output = tmp_path / "fitted.json"
    code = cli.main(["fit", "--set", str(BUNDLED_SET), str(ports), "--corpus", str(BUNDLED_CORPUS),
                     str(BUNDLED_SET.parent / "2024-05-21_ports-and-logistics-briefing.txt"),
                     "--output", str(output), "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"seed", "ports", "all"}
    for result in report.values():
        assert set(result) == {"fitted (grouped CV)", "current"}
        assert result["current"]["questions"] == result["fitted (grouped CV)"]["questions"]
    assert load_weights(output).trained_on == ("seed:dev", "ports:dev")
    assert cli.main(["fit", "--set", str(BUNDLED_SET), "--corpus", "a", "b"]) == 2
    assert "one --corpus for every --set" in capsys.readouterr().err
