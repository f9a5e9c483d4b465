"""Federal Reserve chair press conferences, as text extracted from the published PDFs.

    March 3, 2031   Chair Marlow's Press Conference  FINAL    running header, every page
    Page 1 of 27                                              page number, every page
    Transcript of Chair Marlow's Press Conference             -> title
    June 15, 2022                                             -> date
    CHAIR MARLOW.  Good afternoon. ...                        upper-case name + period
    RUTH ABEL.  Owen Pell.                        the moderator calls on reporters
    OWEN PELL.  Thank you. ...?                        reporters are named too

Paragraphs are hard-wrapped with no blank line between them; the page header can fall in the
middle of a sentence (it is blanked, and the sentence reads on around it).
"""

from __future__ import annotations

from corpus.layouts._detect import count, saturate
from corpus.layouts.reader import LabelledLayout


def score(text: str) -> float:
    labels = count(r"^[A-Z][A-Z'’\-]+(?:[ \u00a0][A-Z][A-Z'’\-]+){1,4}\.[ \u00a0]+[A-Z“\"]", text)
    pages = count(r"^\s*Page \d+ of \d+\s*$", text)
    return 0.95 * saturate(labels, 3) if labels >= 2 else 0.3 * saturate(pages, 3)


LAYOUT = LabelledLayout("fomc", score, upper_period_labels=True)
