"""Transcripts whose speaker labels stand alone on a line with no colon (central-bank media
conferences, some government pages):

    Media Conference – 5 November 2031                 -> title, date
    JANE ALDER                                         a name alone on a line: who speaks next
    Good afternoon. The Board decided ...              her words, one passage per paragraph
    Tom Reed (Daily Ledger)                            a reporter, the outlet in brackets
    Governor, when do you expect ...?                  his question

A line is a label when it has a name's shape and recurs as a whole line, is declared in the
header, or carries an affiliation in brackets (reader.bare_label_lines).
"""

from __future__ import annotations

from corpus.layouts._detect import count, saturate
from corpus.layouts.reader import LabelledLayout, bare_label_lines


def score(text: str) -> float:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    colon_labels = count(r"^[^:：?!.]{1,60}[:：]", text)
    if sum(1 for line in lines if len(line) <= 70) <= max(2, colon_labels):
        return 0.0  # too few short lines to hold the labels: no need to read them all
    bare = len(bare_label_lines(lines, ()))
    return 0.7 * saturate(bare, 4) if bare >= 3 and bare > colon_labels else 0.0


LAYOUT = LabelledLayout("named_lines", score, bare_labels=True)
