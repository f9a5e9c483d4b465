"""White House press briefings and press calls.

    Press Briefing by Press Secretary ...              -> title
    May 12, 2023                                       -> date
    James S. Brady Press Briefing Room / 1:27 P.M. EDT room and time: skipped
    MS. SAINT-CYR:  Good afternoon ...               an official, upper-case label inline
    Q    Thank you, Karen. ...                        a reporter: "Q" and (non-breaking) spaces
    MODERATOR:  ... Go ahead, ...                      the host
    END / 2:18 P.M. EDT                                the end; any trailer after it is skipped
"""

from __future__ import annotations

from corpus.layouts._detect import count, saturate
from corpus.layouts.reader import LabelledLayout


def score(text: str) -> float:
    officials = count(r"^(?:MR|MS|MRS|DR)\.[ \u00a0][A-Z'’\-]+(?:[ \u00a0][A-Z'’\-]+)?:", text)
    reporters = count(r"^Q[ \u00a0]{2,}\S", text)
    titled = count(r"^[A-Z][A-Z .'’\-]{2,50}:[ \u00a0]+\S", text)
    return 0.85 * saturate(officials + reporters, 4) if officials + reporters else 0.5 * saturate(titled, 8)


LAYOUT = LabelledLayout("whitehouse", score)
