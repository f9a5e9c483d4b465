"""The reader the labelled layouts share: labels, paragraphs, turns and roles.

A layout module configures it (which label forms its publisher uses, how to recognise its
text); the steps are the same for all:

1. page furniture and footnote numbers blanked (noise.blank_page_furniture,
   noise.blank_footnote_numbers), header read (header.read_header);
2. body lines classified: a label (alone "LABEL:", inline "LABEL: text", "Q  text", the
   upper-case "NAME.  text" of PDF transcripts, "Name: (00:05)" with a time stamp, or, for
   layouts that use them, a name alone with no colon), boilerplate and a web page's running
   title (skipped), a bare "Thank you." or a web page's furniture between pages (a break), or text;
3. text lines joined into paragraphs: by blank lines, by the wrap width when a PDF's paragraphs
   are hard-wrapped with no blank line between them, else one line each;
4. paragraphs grouped into turns under the label before them; each speaker's role decided from
   the label's words and from what the speaker says over the whole document.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from corpus.layouts import labels, noise
from corpus.layouts.base import make_passage
from corpus.layouts.dates import is_date_line
from corpus.layouts.header import Header, read_header
from corpus.layouts.labels import Label
from corpus.models import Document, Passage, Role, Turn

# A speaker's initials opening a line, set off by a wide gap: "RO           Hello to everyone".
INITIALS_LINE = r"^(?P<label>[A-Z]{2,4})(?:[ \u00a0]{3,}|\t+)(?P<rest>\S.*)$"
_INITIALS = re.compile(INITIALS_LINE)
_THANKS = re.compile(r"^(thank you|thanks)( very much| all| so much| everybody| everyone)?[.!]?$", re.IGNORECASE)
# A transcription service's time stamp after a label, or before its colon: "Dana Whitfield:
# (00:05)", "Speaker 1 (00:00):".
_STAMP = labels.TIME_STAMP
_LABEL_ALONE = re.compile(rf"^(?P<label>[^:：?!。]{{1,70}}?)(?:[\s\u00a0]*{_STAMP})?[:：](?:[\s\u00a0]*{_STAMP})?$")
_LEADING_STAMP = re.compile(rf"^{_STAMP}[\s\u00a0]*(?=\S)")
# A label alone on a line with no colon ("JANE ALDER", "Tom Reed (Daily Ledger)"): no end stop.
_BARE = re.compile(r"^[^:：?!。.,;]{2,70}$")
_LABEL_INLINE = re.compile(rf"^(?P<label>[^:：?!。]{{1,70}}?)(?:[\s\u00a0]*{_STAMP})?[:：][\s\u00a0]+(?P<rest>\S.*)$")
_Q_SPACED = re.compile(r"^(?P<label>Q)(?:[.:]?[\s\u00a0]+)(?P<rest>\S.*)$")
# "CHAIR MARLOW.  Good afternoon." -- capitals, a period, then the words said.
_UPPER_PERIOD = re.compile(
    r"^(?P<label>[A-Z][A-Z'’\-]+(?:[ \u00a0]+[A-Z][A-Z'’\-.]*[A-Z'’\-]){1,4})\.[\s\u00a0]+(?P<rest>\S.*)$")
_SENTENCE_END = re.compile(r"[.?!:;\"”’)\]]$")
_HAS_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|percent|million|billion|trillion|yuan|dollars)|\$\s?\d")
_CHAIR_TEXT = re.compile(
    r"\b(welcome|floor is (now )?open|next question|last question|final question|ladies and gentlemen|"
    r"let['’]s go to|we['’]ll go to|go to \w+|go ahead|over to you|turn (it )?over to|the line of|"
    r"(press conference|briefing|call) (is|is hereby|is now) (concluded|over|adjourned))\b",
    re.IGNORECASE,
)
_CALL_ON = re.compile(
    r"(?:go(?:ing)? to|go ahead,?|turn to|call on|(?:next|first|last) question (?:goes to|comes from|is from)|"
    r"let['’]s (?:take|hear from))\s+(?P<name>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3})"
    r"(?:,?\s+(?:at|with|from|of)\s+(?P<outlet>(?:the\s+)?[A-Z][\w.&'’\-]*(?:\s+[A-Z][\w.&'’\-]*){0,4}))?"
)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # offsets of the text, whitespace trimmed
    label: Label | None = None  # a label line: who speaks next
    brk: bool = False  # a bare "Thank you.": it often closes a turn


@dataclass(frozen=True)
class LabelledLayout:
    """A layout read by the shared grammar; `score` recognises its text."""

    name: str
    score: Callable[[str], float]
    upper_period_labels: bool = False  # "NAME.  text" labels (PDF transcripts)
    bare_labels: bool = False  # labels alone on a line with no colon ("JANE ALDER", "Tom Reed (Daily Ledger)")
    unlabelled_answers: bool = False  # "Question: ...?" then the official's answer with no label
    initials_labels: bool = False  # "RO      Hello to everyone": a speaker's initials, then a wide gap

    def detect(self, text: str) -> float:
        return self.score(text)

    def prepare(self, text: str) -> str:
        return noise.blank_footnote_numbers(noise.blank_page_furniture(noise.blank_editor_marks(text)))

    def read(self, path: Path, text: str) -> Document:
        header = self._header(text, path)
        return Document(id=_document_id(path), title=header.title, date=header.date, source=str(path),
                        text=text, speakers=header.speakers, chair=header.chair)

    def parse(self, document: Document) -> tuple[list[Turn], list[Passage]]:
        text = document.text
        header = self._header(text, Path(document.source))
        speakers = document.speakers or header.speakers
        lines = list(self._body_lines(text, header.body_start, speakers))
        paragraphs = _paragraphs(text, lines)
        grouped = _group(text, paragraphs)
        if self.unlabelled_answers:
            grouped = _split_answers(text, grouped)
        named = _Names(text, grouped, speakers, document.chair or header.chair)
        return _build(document, _questions_after_the_floor_opens(text, grouped, named), named)

    # -- steps ----------------------------------------------------------------------------

    def _header(self, text: str, path: Path) -> Header:
        alone: set[str] = set()
        if self.bare_labels:  # a name alone on a line that labels turns ends the header too
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            alone = {_key(lines[i]) for i in bare_label_lines(lines, ())}
        return read_header(text, path, is_label=lambda line: self._label(line, (), strict=True) is not None
                           or _key(line.strip()) in alone)

    def _body_lines(self, text: str, body_start: int, speakers: tuple[str, ...]):
        raw_lines = [(s, e, text[s:e]) for s, e in _line_spans(text) if s >= body_start]
        inline_counts: dict[str, int] = {}
        for _, _, line in raw_lines:  # names the document uses more than once are labels
            if (m := _LABEL_INLINE.match(line)) or (m := _LABEL_ALONE.match(line)):
                key = _key(m.group("label"))
                inline_counts[key] = inline_counts.get(key, 0) + 1
        recurring = tuple(k for k, n in inline_counts.items() if n >= 2)
        known = recurring + tuple(_key(s) for s in speakers)
        found = [self._label(line, known) for _, _, line in raw_lines]
        if raw_lines and found[0] is None and (opening := _LABEL_INLINE.match(raw_lines[0][2])):
            # "Gao Ming: Hello, everyone." opening the body names who speaks,
            # even if the name is never used again
            raw = opening.group("label").strip()
            if 2 <= len(raw.split()) <= 4 and labels.has_label_shape(raw) and labels.kind_of(raw) == "name":
                found[0] = (Label(raw, "name"), opening.start("rest"))
        if self.bare_labels:
            bare = bare_label_lines([line for _, _, line in raw_lines], speakers)
            found = [f if f is not None or i not in bare else (bare[i], None) for i, f in enumerate(found)]
        last_label = max((i for i, f in enumerate(found) if f is not None), default=-1)
        running = _running_titles([line for _, _, line in raw_lines], found)
        ended = False
        for index, ((start, end, line), label) in enumerate(zip(raw_lines, found)):
            if noise.is_closing(line) or noise.is_time_line(line):
                ended = True  # the rest is a trailer unless someone speaks again
                continue
            if ended and index > last_label:
                break
            if noise.is_page_break(line):
                yield _Line(start, end, brk=True)  # a question may open the next page, its label lost
                continue
            if noise.is_boilerplate(line) or index in running:
                continue
            if label is not None:
                item, rest = label
                yield _Line(start, start + len(line), item)
                if rest is not None:
                    yield _Line(start + rest, end)
                continue
            if _THANKS.match(line):
                yield _Line(start, end, brk=True)
                continue
            yield _Line(start, end)

    def _label(self, line: str, known: tuple[str, ...], *, strict: bool = False) -> tuple[Label, int | None] | None:
        """The label this line opens with, and where its text starts (None: a label alone)."""
        if m := _LABEL_ALONE.match(line):
            raw = m.group("label").strip()
            if labels.has_label_shape(raw):
                return Label(raw, labels.kind_of(raw)), None
        if m := _Q_SPACED.match(line):
            return Label("Q", "question"), m.start("rest")
        if m := _LABEL_INLINE.match(line):
            raw = m.group("label").strip()
            if labels.has_label_shape(raw, max_words=7) and _inline_is_label(raw, m.group("rest"), known, strict):
                stamp = _LEADING_STAMP.match(m.group("rest"))  # "Dana Whitfield: (00:05) Thank you."
                return Label(raw, labels.kind_of(raw)), m.start("rest") + (stamp.end() if stamp else 0)
        if self.initials_labels and (m := _INITIALS.match(line)):
            return Label(m.group("label"), "name"), m.start("rest")
        if self.upper_period_labels and (m := _UPPER_PERIOD.match(line)):
            raw = m.group("label").strip()
            if not labels.is_meta(raw) and labels.has_label_shape(raw):
                return Label(raw, labels.kind_of(raw)), m.start("rest")
        return None


def has_labels(text: str) -> bool:
    """Whether any line of `text` opens with a speaker label of any form the reader knows."""
    reader = LabelledLayout("any", lambda _: 0.0, upper_period_labels=True)
    body = text[reader._header(text, Path("untitled")).body_start:]  # a title may look like "Event: Monday"
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    return any(reader._label(line, ()) is not None for line in lines) or bool(bare_label_lines(lines, ()))


def _running_titles(lines: list[str], found: list) -> set[int]:
    """The lines (by index) that are a web page's running title, repeated on every page of a
    long transcript: the same words (a "| July 26, 2031" after them aside) three times or more,
    no sentence, no label."""
    def key(line: str) -> str:
        head, bar, tail = line.strip().rpartition("|")
        return head.strip() if bar and is_date_line(tail) else line.strip()

    counts = Counter(key(line) for line in lines)
    return {i for i, line in enumerate(lines)
            if counts[key(line)] >= 3 and found[i] is None and len(key(line).split()) >= 3
            and not _SENTENCE_END.search(key(line))}


def bare_label_lines(lines: list[str], speakers: tuple[str, ...]) -> dict[int, Label]:
    """The lines (by index) that are labels with no colon: a name with its affiliation in
    brackets ("Tom Reed (Daily Ledger)"), or a name-shaped line the document repeats as a whole
    line ("JANE ALDER") or declares in its header. A heading said once is no label, unless the
    document labels this way and the line after it opens by saying the name ("Tom Reed" over
    "Tom Reed from Harbour News." or "Tom from Harbour News.": a reporter saying who they are) or by
    addressing an office ("Governor, from Harbour News.")."""
    def same(line: str) -> str:  # a cheap key: the same line, whatever its spacing and case
        return " ".join(line.split()).lower()

    counts = Counter(same(line) for line in lines)
    declared = {_key(s) for s in speakers}
    found: dict[int, Label] = {}
    once: list[int] = []
    for i, line in enumerate(lines):
        raw = line.strip()
        if len(raw) > 70 or (not _BARE.match(raw) and not labels.is_affiliated(raw)):
            continue
        if not labels.has_label_shape(raw, max_words=6) or noise.is_boilerplate(raw):
            continue
        if labels.is_affiliated(raw) or counts[same(raw)] >= 2 or _key(raw) in declared:
            found[i] = Label(raw, labels.kind_of(raw))
        elif len(raw.split()) >= 2 and i + 1 < len(lines):
            once.append(i)
    if len(found) >= _LABELLING_LINES:
        for i in once:
            if _says_own_name(lines[i], lines[i + 1]) or _addresses_an_office(lines[i + 1]):
                found[i] = Label(lines[i].strip(), labels.kind_of(lines[i].strip()))
    return found


def _says_own_name(label: str, line: str) -> bool:
    """Whether `line` opens with the name of `label` ("Tom Reed from ...", "Tom from ...")."""
    name = " ".join(label.split()).lower()
    opening = " ".join(line.split()).lower()[:_INTRODUCED_WITHIN]
    first = name.split()[0]
    return name in opening or (len(first) > 2 and re.match(rf"{re.escape(first)}\b", opening) is not None)


# "Governor, from Harbour Radio.", "Hi Minister, ...": a turn that opens addressing an office.
_ADDRESS = re.compile(r"(?:(?:hi|hello|thanks|thank you|good (?:morning|afternoon|evening))[,!]?\s+)?"
                      r"(?P<office>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s*[,.]")


def _addresses_an_office(line: str) -> bool:
    """Whether `line` opens by addressing an official by their office ("Governor, ...")."""
    match = _ADDRESS.match(line.strip())
    return match is not None and labels.has_title_word(match.group("office"))


_LABELLING_LINES = 3  # labels alone on a line this often: the document's way of labelling
_INTRODUCED_WITHIN = 80  # characters of a turn's opening where a reporter says their own name


def _inline_is_label(raw: str, rest: str, known: tuple[str, ...], strict: bool) -> bool:
    """"LABEL: text" -- capitals, a press-room word, an outlet, or a name the document uses."""
    if labels.kind_of(raw) != "name" or labels.is_upper(raw) or labels.is_relay(raw):
        return True
    if strict:
        return False
    key = _key(raw)
    return (key in known or labels.is_outlet(raw) or "?" in rest
            or any(k and (k in key or key in k) for k in known if len(k) > 3))


def _paragraphs(text: str, lines: list[_Line]) -> list[_Line]:
    """Join hard-wrapped lines into paragraphs (see the module docstring, step 3)."""
    texts = [line for line in lines if line.label is None and not line.brk]
    pairs = [(a, b) for a, b in zip(lines, lines[1:]) if _plain(a) and _plain(b)]
    gaps = {(a.start, b.start): _gap(text[a.end : b.start]) for a, b in pairs}
    blank_mode = any(kind == "blank" for kind in gaps.values())
    width = _wrap_width(text, texts)

    def joins(a: _Line, b: _Line) -> bool:
        kind = gaps.get((a.start, b.start))
        if kind is None:
            return False
        if kind == "blank":
            return False
        if width is not None:  # a wrapped paragraph ends on a short line that ends a sentence
            visible = len(" ".join(text[a.start : a.end].split()))
            return not (visible < width * 0.85 and _SENTENCE_END.search(text[a.start : a.end]))
        return blank_mode  # without blank lines or a wrap width, every line is a paragraph

    joined: list[_Line] = []
    for before, line in zip([None, *lines], lines):
        if joined and before is not None and _plain(joined[-1]) and _plain(line) and joins(before, line):
            joined[-1] = _Line(joined[-1].start, line.end)  # `before` ended the paragraph so far
        else:
            joined.append(line)
    return joined


def _plain(line: _Line) -> bool:
    return line.label is None and not line.brk


def _gap(gap: str) -> str:
    """"blank" (a blank line: a paragraph break), "furniture" (a blanked page header: undecided)
    or "wrap" (a line break only)."""
    if re.search(r"[ \t]{6,}", gap) and "\n" in gap:
        return "furniture"  # blanked page furniture: its lines became one run of spaces
    return "blank" if len(gap.split("\n")) > 2 else "wrap"


def _wrap_width(text: str, lines: list[_Line]) -> float | None:
    """The width a PDF wrapped its paragraphs at, when most lines run close to one width."""
    lengths = sorted(len(" ".join(text[line.start : line.end].split())) for line in lines)
    if len(lengths) < 8:
        return None
    width = lengths[int(len(lengths) * 0.9)]
    near = sum(1 for n in lengths if n >= width * 0.8)
    return float(width) if width >= 50 and near >= len(lengths) * 0.4 else None


def _group(text: str, lines: list[_Line]) -> list[tuple[Label | None, list[_Line]]]:
    """Paragraphs under the label before them; a bare "Thank you." then a question opens a
    new (unlabelled) question turn."""
    turns: list[tuple[Label | None, list[_Line]]] = []
    label: Label | None = None
    paragraphs: list[_Line] = []
    after_thanks = False
    for line in lines:
        if line.brk:
            after_thanks = True
            continue
        if line.label is not None:
            if paragraphs:
                turns.append((label, paragraphs))
            label, paragraphs, after_thanks = line.label, [], False
            continue
        if after_thanks and paragraphs and "?" in text[line.start : line.end]:
            turns.append((label, paragraphs))
            label, paragraphs = None, []
        paragraphs.append(line)
        after_thanks = False
    if paragraphs:
        turns.append((label, paragraphs))
    return turns


def _split_answers(text: str, grouped: list[tuple[Label | None, list[_Line]]]):
    """After a press question that asks, the first paragraph that does not ask starts the
    official's (unlabelled) answer."""
    out: list[tuple[Label | None, list[_Line]]] = []
    for label, paragraphs in grouped:
        asks = ["?" in text[p.start : p.end] for p in paragraphs]
        if label is not None and label.kind == "question" and asks[0] and not all(asks):
            cut = asks.index(False)
            out += [(label, paragraphs[:cut]), (Label("A", "answer"), paragraphs[cut:])]
        else:
            out.append((label, paragraphs))
    return out


_FLOOR_OPEN = re.compile(r"\b(?:floor is (?:now )?open|take (?:your |some )?questions|open the floor)\b", re.IGNORECASE)
_ASKED_WORDS = 12  # a question put by a reporter, not a host's "Any more questions?"


def _questions_after_the_floor_opens(text: str, grouped: list[tuple[Label | None, list[_Line]]],
                                     named: _Names) -> list[tuple[Label | None, list[_Line]]]:
    """A host's turn that opens the floor ("The floor is now open for questions.") and goes on
    with a long question: the page lost that reporter's label, so the question is theirs."""
    out: list[tuple[Label | None, list[_Line]]] = []
    for label, paragraphs in grouped:
        if label is None or named.speaker_and_role(label, False)[1] != "chair":
            out.append((label, paragraphs))
            continue
        said = [text[p.start : p.end] for p in paragraphs]
        opened = next((i for i, body in enumerate(said) if _FLOOR_OPEN.search(body)), None)
        cut = next((i for i in range(opened + 1, len(said)) if "?" in said[i]
                    and len(said[i].split()) >= _ASKED_WORDS), None) if opened is not None else None
        if cut is None:
            out.append((label, paragraphs))
        else:
            out += [(label, paragraphs[:cut]), (None, paragraphs[cut:])]
    return out


class _Names:
    """Who each label is and what role their turns play, decided over the whole document."""

    def __init__(self, text: str, grouped: list[tuple[Label | None, list[_Line]]], speakers: tuple[str, ...],
                 chair: str | None) -> None:
        self.speakers = speakers
        self.chair = chair
        self.display: dict[str, str] = {}
        keys = [_key(label.raw) for label, _ in grouped if label is not None and label.kind == "name"]
        self.alias = _aliases(keys)
        bodies: dict[str, list[str]] = {}
        first_named: str | None = None
        for label, paragraphs in grouped:
            if label is None or label.kind != "name":
                continue
            key = self.canon(label.raw)
            if key == _key(label.raw) or key not in self.display:  # the shorter form shows
                self.display[key] = labels.display(label.raw)
            first_named = first_named or key
            bodies.setdefault(key, []).append(" ".join(text[p.start : p.end] for p in paragraphs))
        self.first_named = first_named
        for key, shown in self.display.items():
            if _INITIALS_ONLY.fullmatch(shown) and (spelled := _spelled_out(shown, text)):
                self.display[key] = spelled  # "RL" for the "Dr Rosa Lemos" the host introduced
        # Who speaks next after each named speaker's turns: a host names them ("Owen.").
        following: dict[str, list[tuple[str, str | None]]] = {}
        for (label, paragraphs), (after, _) in zip(grouped, grouped[1:] + [(None, [])]):
            if label is not None and label.kind == "name":
                body = " ".join(text[p.start : p.end] for p in paragraphs)
                following.setdefault(self.canon(label.raw), []).append((body, after.raw if after else None))
        self.roles: dict[str, Role] = {}
        chairs = {key for key, turns in following.items() if self._hosts(key, turns)}
        called = {self.canon(after) for key in chairs for body, after in following[key] if after}
        called |= _addressed(text, grouped, self.canon)
        for key, turns in bodies.items():
            self.roles[key] = "chair" if key in chairs else self._role(key, turns, key in called)

    def official(self) -> str:
        """Who speaks when no label says: the header's official, else the first official label."""
        if self.speakers:
            return self.speakers[0]
        answering = [k for k, role in self.roles.items() if role == "answer"]
        return self.display[answering[0]] if answering else "Speaker"

    def speaker_and_role(self, label: Label | None, asks: bool) -> tuple[str, Role]:
        if label is None:  # before the first label: a question only if it asks
            return (labels.QUESTION_DISPLAY, "question") if asks else (self.official(), "answer")
        if label.kind == "question":
            return labels.QUESTION_DISPLAY, "question"
        if label.kind == "answer":
            return self.official(), "answer"
        if label.kind == "chair":
            return labels.display(label.raw), "chair"
        key = self.canon(label.raw)
        return self.display[key], self.roles[key]

    def canon(self, raw: str) -> str:
        """One key per person: "Spokesperson Yan Ruolan" and "Yan Ruolan" are one speaker."""
        key = _key(raw)
        return self.alias.get(key, key)

    def _hosts(self, key: str, turns: list[tuple[str, str | None]]) -> bool:
        """A host: short turns, no figures, that mostly welcome, close or call on the next
        speaker by name ("Owen.", "Let's go to Jo Ferris at CNBC")."""
        raw = self.display[key]
        if self.chair and _same_person(raw, self.chair):
            return True
        if any(_same_person(raw, s) for s in self.speakers):
            return False
        bodies = [body for body, _ in turns]
        if labels.is_outlet(raw) or sum("?" in b for b in bodies) * 2 > len(bodies) \
                or any(_introduces(raw, b) for b in bodies):
            return False  # an outlet or a reporter: hosts do not ask, nor name themselves
        if statistics.median(len(b.split()) for b in bodies) >= 60 or any(_HAS_FIGURE.search(b) for b in bodies):
            return False
        hosting = sum(bool(_CHAIR_TEXT.search(body)) or _names(body, after) for body, after in turns)
        return hosting * 2 >= len(turns) and hosting >= 1

    def _role(self, key: str, turns: list[str], called_on: bool) -> Role:
        raw = self.display[key]
        if any(_same_person(raw, s) for s in self.speakers):
            return "answer"
        if labels.is_outlet(raw):
            return "question"
        if labels.has_title_word(raw) or key == self.first_named:
            return "answer"
        # A reporter named by the label (PDF transcripts name them): asks, introduces
        # themselves ("Owen Pell with Reuters"), or is called on by the host.
        if called_on or any("?" in t or _introduces(raw, t) for t in turns):
            return "question"
        return "answer"


def _addressed(text: str, grouped: list[tuple[Label | None, list[_Line]]], canon) -> set[str]:
    """The speakers the next speaker answers by their first name ("Thanks, Lia. It is
    deliberate..."): reporters, whose question needs no question mark to be one."""
    found = set()
    for (label, _), (after, paragraphs) in zip(grouped, grouped[1:]):
        if label is None or after is None or label.kind != "name" or not paragraphs:
            continue
        first = labels.split_affiliation(labels.display(label.raw))[0].split()[0]
        opening = text[paragraphs[0].start : paragraphs[0].start + _ADDRESSED_WITHIN]
        if canon(after.raw) != canon(label.raw) and len(first) > 2 and not labels.has_title_word(first) \
                and re.match(rf"(?:(?:thanks|thank you|yes|well|sure|look|ok|okay)\W+)?{re.escape(first)}\b",
                             opening, re.IGNORECASE):
            found.add(canon(label.raw))
    return found


_ADDRESSED_WITHIN = 40  # characters of a reply's opening where the reporter answered is named


_INITIALS_ONLY = re.compile(r"[A-Z]{2,4}")
_PERSON = re.compile(r"\b(?:Dr|Mr|Ms|Mrs|Prof)\.?\s+((?:[A-Z][\w'’-]+\s+){1,3}[A-Z][\w'’-]+)")


def _spelled_out(initials: str, text: str) -> str | None:
    """The one person the text introduces ("Dr Rosa Lemos") whose initials these are, else None."""
    found = {" ".join(m.group(1).split()) for m in _PERSON.finditer(text)
             if "".join(w[0] for w in m.group(1).split()) == initials}
    return found.pop() if len(found) == 1 else None


def _aliases(keys: list[str]) -> dict[str, str]:
    """Longer labels that end with another label of two words or more map to it; a label of a
    surname alone ("FUENTES:", "Ms. Fuentes:", said after the first turn) maps to the one
    longer label of that surname ("UNDERSECRETARY ANA FUENTES", "Ana Fuentes (Radio Uno)"),
    when only one has it."""
    distinct = sorted(set(keys), key=len)
    alias: dict[str, str] = {}
    for long in distinct:
        for short in distinct:
            if len(short.split()) >= 2 and short != long and long.endswith(" " + short):
                alias[long] = short
                break
    for short in distinct:
        surname = _lone_surname(short)
        if surname is None or short in alias.values():
            continue
        longer = [long for long in distinct if long != short and _lone_surname(long) is None
                  and labels.split_affiliation(long)[0].split()[-1].strip(".,") == surname]
        if len(longer) == 1 and longer[0] not in alias:
            alias[short] = longer[0]
    return alias


def _lone_surname(key: str) -> str | None:
    """The one name word of a label that says only a surname, bare or after an honorific or an
    office ("fuentes", "ms. fuentes", "sec. fuentes"), else None."""
    name, affiliation = labels.split_affiliation(key)
    words = [w.strip(".,") for w in name.split()]
    if affiliation is not None or not words:
        return None
    named = [w for w in words if not labels.has_title_word(w)]
    return named[0] if len(named) == 1 and len(words) <= 2 else None


def _introduces(name: str, body: str) -> bool:
    """The turn opens with the speaker's own name: "Thank you. Owen Pell with Reuters."."""
    surname = name.split()[-1].lower() if name.split() else ""
    return len(surname) > 2 and surname in body[:120].lower()


def _names(body: str, after: str | None) -> bool:
    """`body` is short and names whoever speaks next (first or last name)."""
    if after is None or len(body.split()) > 30:
        return False
    words = {w.lower() for w in re.findall(r"[A-Za-z][\w'’\-]+", body)}
    name = [w.lower() for w in labels.display(after).split() if len(w) > 2 and not labels.has_title_word(w)]
    return any(w in words for w in name)


def _build(document: Document, grouped: list[tuple[Label | None, list[_Line]]],
           named: _Names) -> tuple[list[Turn], list[Passage]]:
    text = document.text
    turns: list[Turn] = []
    passages: list[Passage] = []
    question_context: str | None = None
    asker: str | None = None
    previous_text = ""
    for label, paragraphs in grouped:
        body = " ".join(text[p.start : p.end] for p in paragraphs)
        speaker, role = named.speaker_and_role(label, "?" in body)
        asked_by = asker if role == "answer" else None
        turn_no = len(turns)
        turns.append(Turn(speaker, role, paragraphs[0].start, paragraphs[-1].end, asked_by))
        for p in paragraphs:
            passages.append(make_passage(document, p.start, p.end, speaker, role, turn_no, len(passages) + 1,
                                         question_context if role == "answer" else None, asked_by))
        if role == "question":
            question_context = body
            asker = _called_on(previous_text) if speaker == labels.QUESTION_DISPLAY else None
            asker = asker or speaker
        previous_text = body
    return turns, passages


_INTRODUCED = re.compile(  # "... Josh Wingrove with Bloomberg." closing a host's turn
    r"(?:^|[.!?]\s+)(?P<name>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){1,3}),?\s+(?:at|with|from|of)\s+"
    r"(?P<outlet>(?:the\s+)?[A-Z][\w.&'’\-]*(?:\s+[A-Z][\w.&'’\-]*){0,4})[.!]?\s*$"
)


def _called_on(text: str) -> str | None:
    """The reporter a host calls on at the end of a turn: "Go ahead, Jo Ferris at CNBC"."""
    tail = text[-300:]
    found = list(_CALL_ON.finditer(tail)) or list(_INTRODUCED.finditer(tail))
    if not found:
        return None
    name, outlet = found[-1].group("name"), found[-1].group("outlet")
    if name.split()[0].lower() in {"the", "you", "your", "our", "a", "that", "this", "it", "we", "i", "next"}:
        return None
    outlet = re.sub(r"^the\s+", "", (outlet or "").rstrip(".!,")).strip()
    return f"{name} ({outlet})" if outlet else name


def _same_person(label: str, name: str) -> bool:
    """A label and a declared name for one person: "Ms. Saint-Cyr" ~ "Karen Saint-Cyr"."""
    a = [w.strip(".,").lower() for w in label.split()]
    b = [w.strip(".,").lower() for w in name.split()]
    return bool(a and b) and (a == b or a[-1] == b[-1])


def _key(raw: str) -> str:
    return labels.display(raw).lower()


def _line_spans(text: str):
    position = 0
    for raw in text.splitlines(keepends=True):
        start, position = position, position + len(raw)
        stripped = raw.strip()
        if stripped:
            s = start + len(raw) - len(raw.lstrip())
            yield s, s + len(stripped)


def _document_id(path: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-") or "document"
