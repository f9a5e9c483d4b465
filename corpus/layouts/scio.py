"""State Council Information Office (SCIO) pages, as saved from China.org.cn.

    CHINA SCIO  /  ㄑ Press Room ㄑ ...               site lines: skipped
    SCIO briefing on ... | June 18, 2022               -> title (and publication date)
    China.org.cn, June 18, 2022 0 Comment(s)Print E-mail Adjust font size:   skipped
    Read in Chinese                                    skipped
    Speakers: / <name>, <title> ...                    -> Document.speakers
    Chairperson: / <name>, <title>                     -> Document.chair
    Date: / June 17, 2022                              -> the date (of the event)
    Xin Guobin:                                        labels alone on a line
    Xinhua News Agency:                                an outlet asks
    <  1  2  3 ... >                                   page navigation: skipped
"""

from __future__ import annotations

from corpus.layouts._detect import count, saturate
from corpus.layouts.reader import LabelledLayout


def score(text: str) -> float:
    block = count(r"^\s*(Speakers|Chairperson|Date)\s*[:：]", text[:5000])
    site = count(r"^.*(China\.org\.cn|Read in Chinese|Adjust font size|CHINA SCIO)", text[:5000])
    if block:
        return 0.9 * saturate(2 * block + site, 4)
    # Pages saved from the SCIO's own site lose the block's headings: "Mr. Li Wen, vice minister
    # of ..." lines under the title, then "Read in Chinese" and the labels.
    entries = count(r"^\s*(?:Mr|Ms|Mrs|Dr)\.?\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2},\s+\S", text[:5000])
    return 0.6 * saturate(site + entries, 4) if site and entries >= 2 else 0.0


LAYOUT = LabelledLayout("scio", score)
