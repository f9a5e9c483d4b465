"""Central-bank press conferences (ECB, Fed web transcripts): an unlabelled opening statement.

    Press conference                                   -> title
    Christine Lagarde, President of the ECB,           a header naming the speakers
    Frankfurt am Main, 5 June 2025                     -> date
    Good afternoon, ... <opening statement>            the official's, with no label
    Question: ...?                                     a reporter
    <answer>                                           unlabelled: the official answers
"""

from __future__ import annotations

from corpus.layouts._detect import count, saturate
from corpus.layouts.reader import LabelledLayout


def score(text: str) -> float:
    return 0.8 * saturate(count(r"^(Question|QUESTION)[:：]", text), 3)


LAYOUT = LabelledLayout("central_bank", score, unlabelled_answers=True)
