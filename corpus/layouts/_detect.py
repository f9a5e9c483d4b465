"""Small counting helpers the layouts' `detect` functions share."""

from __future__ import annotations

import re


def count(pattern: str, text: str, flags: int = 0) -> int:
    """How many lines of `text` match `pattern` (anchored at the line's start)."""
    return len(re.findall(pattern, text, flags | re.MULTILINE))


def head(text: str, lines: int = 6) -> str:
    """The first non-empty lines of `text`, joined: where titles and datelines are."""
    return "\n".join([line.strip() for line in text.splitlines() if line.strip()][:lines])


def saturate(n: int, enough: int) -> float:
    """0 for no evidence, 1 once there are `enough` matches."""
    return min(1.0, n / enough)
