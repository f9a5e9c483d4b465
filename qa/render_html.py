"""The page's sources panel as HTML, rendered from an `Answer` like its markdown (`qa.render`).

Every piece of corpus or user text is escaped here; the page adds only its own CSS classes.
"""

from __future__ import annotations

import html

from qa.models import Answer, Hit


def escape_html(text: str) -> str:
    """Text shown as text inside our own HTML."""
    return html.escape(text, quote=True)


def highlight(hit: Hit, answer: Answer) -> str:
    """The passage as escaped HTML with its figures marked: the answer's figures, the others."""
    passage = hit.passage
    used = set(answer.figures)
    operands = {f for c in answer.computed for f in c.operands}
    out, at = [], 0
    for figure in sorted(passage.statistics, key=lambda f: (f.start, -f.end)):
        start, end = figure.start - passage.start, figure.end - passage.start
        if start < at or end > len(passage.text):  # overlapping or outside: leave as text
            continue
        kind = "fig-answer" if figure in used or figure in operands else "fig-other"
        if figure in operands:
            kind += " fig-operand"
        title = escape_html(f"{figure.subject} ({figure.period})" if figure.period else figure.subject)
        out.append(escape_html(passage.text[at:start]))
        out.append(f'<mark class="fig {kind}" title="{title}">{escape_html(passage.text[start:end])}</mark>')
        at = end
    out.append(escape_html(passage.text[at:]))
    return "".join(out)


def legend(computed: bool) -> str:
    """What the marks in the passages mean; the operand entry only when a figure was computed."""
    entries = ['<span class="fig-answer">figure in the answer</span>', '<span class="fig-other">other figure</span>']
    if computed:
        entries.append('<span class="fig-answer fig-operand">operand of a computed figure</span>')
    return f'<div class="qa-legend">{" ".join(entries)}</div>'


def sources_html(answer: Answer, searched: str) -> str:
    """The sources panel: what was searched (`searched`), then the ranked passages with speaker,
    document, paragraph, score and figures."""
    cited = {c.passage_id: c.n for c in answer.citations}
    heading = "Related passages" if answer.abstained else "Sources"
    parts = [f'<div class="qa-searched">Searched for: <q>{escape_html(searched)}</q></div>']
    if not answer.abstained:  # an abstention marks no figure of its own: nothing to explain
        parts.append(legend(bool(answer.computed)))
    for computed in answer.computed:
        parts.append(f'<div class="qa-computed"><strong>Computed</strong> (not in the transcript): '
                     f'{escape_html(computed.text)}, from the marked figures</div>')
    parts.append(f"<h3>{heading} ({len(answer.passages)})</h3>")
    for rank, hit in enumerate(answer.passages, start=1):
        p = hit.passage
        n = cited.get(p.id)
        badge = f" · <strong>cited [{n}]</strong>" if n else ""
        parts.append(
            f'<div class="qa-card{" cited" if n else ""}" data-rank="{rank}">'
            f'<div class="qa-meta">#{rank} · <strong class="qa-speaker">{escape_html(p.speaker)}</strong> · '
            f'{escape_html(hit.document)} · paragraph {p.paragraph_no} · score {hit.score:.3f}{badge}</div>'
            f'<div class="qa-text">{highlight(hit, answer)}</div></div>')
    return "\n".join(parts)
