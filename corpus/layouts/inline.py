"""One paragraph per turn with the label inline: newer MFA and MOFCOM press conferences.

    Regular Press Conference on May 14, 2020          -> title, date
    <announcements> ... The floor is now open.         the spokesperson, unlabelled
    CCTV: ...?                                         an outlet asks
    Gao Ming: ...                                   the spokesperson answers
    21st Century Business Herald: ...?                 outlets are labels by their shape
"""

from __future__ import annotations

import re

from corpus.layouts._detect import saturate
from corpus.layouts.labels import has_label_shape
from corpus.layouts.reader import LabelledLayout


def score(text: str) -> float:
    inline = alone = 0
    for line in text.splitlines():
        if (m := re.match(r"^([^:：?!.]{1,60})[:：][ \u00a0]+\S", line)) and has_label_shape(m.group(1), max_words=7):
            inline += 1
        elif re.match(r"^[^:：?!.]{1,60}[:：]\s*$", line.strip()):
            alone += 1
    return 0.75 * saturate(inline, 6) if inline >= 3 and inline > 2 * alone else 0.0


LAYOUT = LabelledLayout("inline", score)
