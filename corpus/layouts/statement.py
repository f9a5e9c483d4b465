"""A transcript with no speaker labels at all: one official's statement or remarks.

    Post-Budget Press Conference: 4 May 2031           -> title, date
    Maren Holtby                                       a name under the title, then her offices
    Minister of Finance                                   -> Document.speakers
    Good afternoon, everybody. ...                     her words, one passage per paragraph

Every paragraph is the official's (the press-room fallback would take unlabelled text for a
reporter's question, so nothing in it could answer).
"""

from __future__ import annotations

from corpus.layouts.reader import LabelledLayout, has_labels


def score(text: str) -> float:
    return 0.0 if has_labels(text) or len(text.split()) < 50 else 0.2


LAYOUT = LabelledLayout("statement", score)
