"""Layout readers, one module per publisher family, picked by content.

Each module defines `LAYOUT`, an object with the `base.Layout` interface (detect, prepare,
read, parse). Adding a layout is adding a module and naming it in `LAYOUTS`; the press-room
layout is the fallback for text no other layout claims.
"""

from __future__ import annotations

from corpus.layouts import au_pm, central_bank, fomc, initials, inline, mfa, named_lines, scio, statement, whitehouse
from corpus.layouts.base import Layout
from corpus.layouts.press_room import PressRoomLayout

FALLBACK: Layout = PressRoomLayout()
# In order of precedence when two score alike.
LAYOUTS: tuple[Layout, ...] = (fomc.LAYOUT, scio.LAYOUT, whitehouse.LAYOUT, mfa.LAYOUT, au_pm.LAYOUT,
                               central_bank.LAYOUT, inline.LAYOUT, initials.LAYOUT, named_lines.LAYOUT,
                               statement.LAYOUT, FALLBACK)


def pick(text: str) -> Layout:
    """The layout that fits `text` best (raw or prepared: detection ignores page furniture)."""
    best, best_score = FALLBACK, FALLBACK.detect(text)
    for layout in LAYOUTS:
        score = layout.detect(text)
        if score > best_score:
            best, best_score = layout, score
    return best


def by_name(name: str) -> Layout:
    for layout in LAYOUTS:
        if layout.name == name:
            return layout
    raise ValueError(f"unknown layout {name!r}; layouts: {', '.join(each.name for each in LAYOUTS)}")


__all__ = ["FALLBACK", "LAYOUTS", "Layout", "by_name", "pick"]
