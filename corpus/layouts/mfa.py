"""China Ministry of Foreign Affairs regular press conferences, "Q:"/"A:" style.

    Foreign Ministry Spokesperson Lin Meiyu's Regular Press Conference on March 4, 2031
                                                       -> title, date, the spokesperson
    <announcements>                                    the spokesperson's statement, unlabelled
    Q: ...                                             a reporter
    A: ...                                             the spokesperson named in the title
"""

from __future__ import annotations

from corpus.layouts._detect import count, saturate
from corpus.layouts.reader import LabelledLayout


def score(text: str) -> float:
    return 0.85 * saturate(min(count(r"^Q[:：]\s", text), count(r"^A[:：]\s", text)), 2)


LAYOUT = LabelledLayout("mfa", score)
