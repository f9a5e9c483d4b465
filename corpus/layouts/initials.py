"""Transcripts that label each speaker by initials set off by a wide gap (the WHO's press
conference transcripts, some UN and agency pages):

    Virtual Press conference transcript – 17 August 2031     -> title, date
    RO           Hello to everyone ... My name is Rafe ...    the host's initials, then his words
    LS           Thank you. First, an update on ...            the official
    RO           Thank you. The next question is ...

A text is in this layout when lines open so with the initials of two speakers or more. Who the
initials stand for is shown as the one person the transcript introduces with them ("Dr Rosa
Lemos" for RL), else as written.
"""

from __future__ import annotations

import re
from collections import Counter

from corpus.layouts.reader import INITIALS_LINE, LabelledLayout


def score(text: str) -> float:
    found = Counter(m.group("label") for m in re.finditer(INITIALS_LINE, text, re.MULTILINE))
    return 0.75 if len(found) >= 2 else 0.0  # two speakers' initials at least: a layout, not a chance line


LAYOUT = LabelledLayout("initials", score, initials_labels=True)
