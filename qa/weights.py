"""Fitted weights: a logistic ranker for "which figure answers" and a logistic model for "does
the transcript answer at all", saved as a small versioned JSON file. Answering needs only numpy.

`qa fit` (qa/fit.py) writes the file; the package ships one (`qa/weights.json`) fitted on the
team's sets and the dev split of ../shared/real. `QA(weights=PATH)`, `--weights` or
`TRANSCRIPT_QA_WEIGHTS` use another.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.features import DECISION_NAMES, FEATURE_NAMES

FORMAT_VERSION = 1
SHIPPED_WEIGHTS = Path(__file__).parent / "weights.json"


class WeightsError(ValueError):
    """The weights file is missing, malformed, or made for other features; the message says what to do."""


@dataclass(frozen=True)
class Logistic:
    """p = sigmoid(coef . x + intercept) over a named feature list."""

    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float

    def probability(self, x: np.ndarray) -> float:
        z = float(np.dot(np.asarray(self.coef), x) + self.intercept)
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def to_dict(self) -> dict:
        return {"features": list(self.features), "coef": list(self.coef), "intercept": self.intercept}


@dataclass(frozen=True)
class Weights:
    """The fitted models and the abstention threshold (chosen by grouped cross-validation)."""

    ranker: Logistic
    answerable: Logistic
    threshold: float  # answer only when the answerable probability reaches it
    trained_on: tuple[str, ...] = ()  # the sets it was fitted on, for the record

    def to_json(self) -> str:
        return json.dumps({"format_version": FORMAT_VERSION, "ranker": self.ranker.to_dict(),
                           "answerable": self.answerable.to_dict(), "threshold": self.threshold,
                           "trained_on": list(self.trained_on)}, indent=1)

    def save(self, path: str | Path) -> None:
        path = Path(path)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(self.to_json() + "\n", encoding="utf-8")
        temporary.replace(path)  # never a half-written weights file


def load_weights(path: str | Path | None = None) -> Weights:
    """Read a weights file (default: the shipped one). Raises WeightsError."""
    path = Path(path) if path else SHIPPED_WEIGHTS
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise WeightsError(f"cannot read weights file {path} ({error}); refit with `qa fit`") from None
    if not isinstance(raw, dict) or raw.get("format_version") != FORMAT_VERSION:
        raise WeightsError(f"{path}: weights format {raw.get('format_version') if isinstance(raw, dict) else '?'}, "
                           f"this version reads format {FORMAT_VERSION}; refit with `qa fit`")
    try:
        ranker = _logistic(raw["ranker"], FEATURE_NAMES, path)
        answerable = _logistic(raw["answerable"], DECISION_NAMES, path)
        return Weights(ranker, answerable, float(raw["threshold"]), tuple(raw.get("trained_on", ())))
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, WeightsError):
            raise
        raise WeightsError(f"{path}: not a weights file ({error}); refit with `qa fit`") from None


def _logistic(raw: dict, expected: tuple[str, ...], path: Path) -> Logistic:
    features = tuple(raw["features"])
    if features != expected:
        raise WeightsError(f"{path}: fitted for features {', '.join(features)}, but this version computes "
                           f"{', '.join(expected)}; refit with `qa fit`")
    coef = tuple(float(c) for c in raw["coef"])
    if len(coef) != len(features):
        raise WeightsError(f"{path}: {len(coef)} coefficients for {len(features)} features; refit with `qa fit`")
    return Logistic(features, coef, float(raw["intercept"]))
