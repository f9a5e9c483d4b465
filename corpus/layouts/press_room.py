"""The press-room layout the project was first written for (the bundled transcript):

    ㄑ <page heading>                      -> title
    <conference title> | June 18, 2022      -> date
    <question paragraph(s)>                 -> a question turn, with or without an outlet label
    Xinhua News Agency:                     -> an outlet label: the next turn is a question
    Li Ming:                                -> a speaker label alone on a line
    <answer paragraphs>                     -> one passage each
    Thank you.                              -> dropped
    <  1  2  3 ... >                        -> page navigation, dropped

Every paragraph (non-empty line) is a passage; offsets point into the document text. This is
also the reader for text no other layout claims, so it stays exactly as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from corpus.layouts.base import make_passage
from corpus.layouts.dates import is_date_line, parse_date
from corpus.layouts.header import names_in_title
from corpus.layouts.labels import TIME_STAMP, is_outlet, is_relay, kind_of
from corpus.layouts.noise import is_boilerplate, is_breadcrumb
from corpus.models import Document, Passage, Role, Turn

UNLABELLED_ASKER = "Reporter"


_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_NAVIGATION = re.compile(r"^[\s<>ㄑ\d.…|]*$")
_THANKS = re.compile(r"^(thank you|thanks)( very much| all)?[.!]?$", re.IGNORECASE)
# A label alone on a line: "Li Ming:", "Rt. Hon. Jane Alder:" (abbreviations keep their stops),
# "Jane Alder  :" (a Markdown "**Jane Alder**:" with its markup blanked) and "Speaker 1 (00:00):".
_LABEL_ALONE = re.compile(r"^(?P<label>(?:[^:：?!.。]|(?<![^\s(])[A-Za-z]{1,3}\.(?=\s))+?)\s*"
                          rf"(?:{TIME_STAMP}\s*)?[:：](?:\s*{TIME_STAMP})?$")
# A stage direction on a line of its own: "[ crosstalk ]", "(Laughter.)", "[inaudible]".
_STAGE_DIRECTION = re.compile(r"^[\[(][^\[\]()]{1,60}[\])]$")
_LABEL_INLINE = re.compile(r"^(?P<label>[A-Z][^:：?!。]{0,60}?)[:：]\s+(?P<rest>\S.*)$")

# Words that mark a label as a news outlet (so its turn asks a question) or as the chair.
_OUTLET_WORDS = re.compile(
    r"\b(news|agency|daily|times|tv|television|radio|press|media|network|post|journal|"
    r"magazine|weekly|herald|tribune|broadcast\w*|reporter|journalist|correspondent|question|q|"
    r"reuters|bloomberg|xinhua|cctv|cgtn|afp|ap|bbc|cnn|nhk|kyodo|yonhap|tass)\b",
    re.IGNORECASE,
)
_CHAIR_LABEL = re.compile(r"\b(host|moderator|chair|chairperson|chairman|presenter|mc)\b", re.I)
_HAS_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|percent|million|billion|trillion|yuan)")
_CHAIR_TEXT = re.compile(
    r"\b(welcome|floor is (now )?open|next question|ladies and gentlemen|"
    r"(press conference|briefing) (is|is hereby|is now) (concluded|over|adjourned))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # offsets of the paragraph text, whitespace trimmed
    label: str | None  # a speaker/outlet label on this line, if any


class PressRoomLayout:
    """The bundled press-room layout; the fallback for any text no other layout claims."""

    name = "press_room"

    def detect(self, text: str) -> float:
        return 0.1  # the fallback: any other layout that recognises the text wins

    def prepare(self, text: str) -> str:
        return text  # nothing to blank: offsets are the file's own

    def read(self, path: Path, text: str) -> Document:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # a site's breadcrumb ("Home > News > Press Conference") or controls ("Skip to main content") are no title
        titled = [line for line in lines[:5] if not is_breadcrumb(line) and not is_boilerplate(line)
                  and not _NAVIGATION.match(line)] or lines  # "<<", a page's arrows, is no title
        title = titled[0].lstrip("\ufeffㄑ").strip() if titled else path.stem  # a UTF-8 BOM is no title
        if is_label_line(title):
            title = path.stem  # the file opens with its first turn: it has no title line
        date = next((d for d in map(parse_date, lines[:5]) if d), None) or parse_date(path.stem)
        return Document(id=document_id(path), title=title, date=date, source=str(path), text=text,
                        speakers=tuple(names_in_title(title)))

    def parse(self, document: Document) -> tuple[list[Turn], list[Passage]]:
        """Split a document into speaker turns and one passage per paragraph."""
        lines = _join_wrapped_lines(document.text, list(_content_lines(document.text)))
        # "[ crosstalk ]" on a line of its own holds no words of the speaker's (read only
        # after the wrapped lines are joined: the blank lines around it still separate paragraphs)
        lines = [line for line in lines
                 if line.label is not None or not _STAGE_DIRECTION.match(document.text[line.start:line.end])]
        turns: list[Turn] = []
        passages: list[Passage] = []
        question_context: str | None = None
        asker: str | None = None
        for speaker, role, paragraphs in _group_turns(document.text, lines):
            turn_no = len(turns)
            asked_by = asker if role == "answer" else None
            turns.append(Turn(speaker, role, paragraphs[0].start, paragraphs[-1].end, asked_by))
            turn_text = " ".join(document.text[p.start : p.end] for p in paragraphs)
            for paragraph in paragraphs:
                passages.append(make_passage(document, paragraph.start, paragraph.end, speaker, role, turn_no,
                                             len(passages) + 1, question_context if role == "answer" else None,
                                             asked_by))
            if role == "question":
                question_context, asker = turn_text, speaker
        return turns, passages


def _content_lines(text: str):
    """Yield the paragraphs and labels of the body, skipping header, navigation and thanks.

    A bare "Thank you." is yielded as a break (label "") because it often separates turns.
    """
    position = 0
    seen_title = False
    header_open = True  # the "title | date" line may follow the heading
    for raw in text.splitlines(keepends=True):
        line_start, position = position, position + len(raw)
        stripped = raw.strip()
        if not stripped:
            continue
        start = line_start + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        if not seen_title and _NAVIGATION.match(stripped):
            continue  # "<<" before the title
        if not seen_title:  # the first line is the document's title, not a paragraph...
            seen_title = True
            if not is_label_line(stripped):  # ...unless the first turn opens the file
                continue
        if header_open and (_is_header(stripped) or is_date_line(stripped)):
            header_open = False
            continue
        header_open = False
        if _NAVIGATION.match(stripped):
            continue
        if _THANKS.match(stripped):
            yield _Line(start, end, label="")
            continue
        alone = _LABEL_ALONE.match(stripped)
        if alone and _looks_like_label(alone.group("label")):
            yield _Line(start, end, label=alone.group("label").strip())
            continue
        inline = _LABEL_INLINE.match(stripped)
        if inline and _looks_like_label(inline.group("label")):
            yield _Line(start, end, label=inline.group("label").strip())
            rest = start + inline.start("rest")
            yield _Line(rest, end, label=None)
            continue
        yield _Line(start, end, label=None)


def _join_wrapped_lines(text: str, lines: list[_Line]) -> list[_Line]:
    """Rejoin hard-wrapped paragraphs.

    When blank lines separate paragraphs, consecutive text lines with no blank line between
    them are one paragraph wrapped at a fixed width. When no blank line separates any two
    paragraphs, every line is a paragraph of its own.
    """
    def adjacent_paragraphs(a: _Line, b: _Line) -> bool:
        return a.label is None and b.label is None

    gaps = [text[a.end : b.start] for a, b in zip(lines, lines[1:]) if adjacent_paragraphs(a, b)]
    if not any(_BLANK_LINE.search(gap) for gap in gaps):
        return lines
    joined: list[_Line] = []
    for line in lines:
        previous = joined[-1] if joined else None
        if previous and adjacent_paragraphs(previous, line) and not _BLANK_LINE.search(text[previous.end : line.start]):
            joined[-1] = _Line(previous.start, line.end, None)
        else:
            joined.append(line)
    return joined


def _group_turns(text: str, lines: list[_Line]):
    """Group paragraphs under the label before them; yield (speaker, role, paragraphs)."""
    speaker: str | None = None
    paragraphs: list[_Line] = []
    after_thanks = False  # a bare "Thank you." often closes a turn
    named: str | None = None  # the last speaker named by a label, whom an "Answer:" label means

    def flush():
        if paragraphs:
            yield _turn(text, speaker, list(paragraphs))
        paragraphs.clear()

    for line in lines:
        if line.label == "":
            after_thanks = True
            continue
        if line.label:
            yield from flush()
            speaker, after_thanks = line.label, False
            # "Answer:" names no one: the answer is the last named speaker's (never one who relays
            # another's words, as "Voice of Interpreter" does)
            if kind_of(speaker) == "answer" and named:
                speaker = named
            elif not (_is_outlet(speaker) or _CHAIR_LABEL.search(speaker) or any(map(is_relay, speaker.split()))):
                named = speaker
            continue
        # An unlabelled paragraph that asks something after "Thank you." is a new press
        # question, not more of the previous answer.
        if after_thanks and paragraphs and "?" in text[line.start : line.end]:
            yield from flush()
            speaker = None
        paragraphs.append(line)
        after_thanks = False
    yield from flush()


def _turn(text: str, label: str | None, paragraphs: list[_Line]) -> tuple[str, Role, list[_Line]]:
    if label is None:
        return UNLABELLED_ASKER, "question", paragraphs
    body = " ".join(text[p.start : p.end] for p in paragraphs)
    # A named host is recognised by what they say: welcomes, "next question", closing words;
    # an official whose answer happens to say "welcome" also gives figures, a host does not.
    if _CHAIR_LABEL.search(label) or (_CHAIR_TEXT.search(body) and not _HAS_FIGURE.search(body)):
        return label, "chair", paragraphs
    if kind_of(label) == "question":
        return UNLABELLED_ASKER, "question", paragraphs  # "Question:", "Journalist:": a reporter asks
    if _is_outlet(label):
        return label, "question", paragraphs
    return label, "answer", paragraphs


def _is_outlet(label: str) -> bool:
    # "Jane Roe, Daily Ledger": the label grammar's wider list of outlets counts too
    return bool(_OUTLET_WORDS.search(label)) or is_outlet(label)


def is_label_line(line: str) -> bool:
    """A speaker label alone on a line ("Li Ming:", "Rt. Hon. Jane Alder  :")."""
    alone = _LABEL_ALONE.match(line.strip())
    return bool(alone and _looks_like_label(alone.group("label")))


def _looks_like_label(label: str) -> bool:
    """A speaker or outlet name: short, capitalised, not a sentence."""
    words = label.split()
    if not 1 <= len(words) <= 10 or label.strip()[0].islower():
        return False
    if len(words) > 1 and re.fullmatch(r"\d{1,2}", words[-1]):
        words = words[:-1]  # "Speaker 1", "Reporter 2": a transcription service numbers its voices
    return not any(ch.isdigit() for ch in " ".join(words))


def _is_header(line: str) -> bool:
    return "|" in line and parse_date(line) is not None


def document_id(path: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-") or "document"
