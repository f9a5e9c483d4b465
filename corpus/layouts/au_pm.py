"""Australian Prime Minister press conferences.

    Joint Press Conference, Canberra                   -> title
    23/04/2014                                         -> date, day first
    Subjects: ...  /  E&OE                             skipped
    PRIME MINISTER:                                    a label alone on a line
    PM: Well ...   /   JOURNALIST: Prime Minister, ... labels inline
    [ends]                                             the end
"""

from __future__ import annotations

from corpus.layouts._detect import count, head, saturate
from corpus.layouts.reader import LabelledLayout


def score(text: str) -> float:
    dated = count(r"^\s*\d{1,2}/\d{1,2}/\d{4}\s*$", head(text))
    marks = count(r"^\s*(E\s*&\s*OE|\[ends\]|Subjects:)", text, 2)  # re.IGNORECASE
    labels = count(r"^(JOURNALIST|QUESTION|PM|PRIME MINISTER)[ \u00a0]*:", text)
    return 0.8 * saturate(2 * dated + marks + labels, 4)


LAYOUT = LabelledLayout("au_pm", score)
