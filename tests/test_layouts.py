"""Layout readers on transcripts of our own invention, in real publishers' layouts (no model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus import document_text, layouts, load_corpus
from corpus.layouts import labels
from corpus.layouts.dates import parse_date
from corpus.transcript import parse_passages, read_document
from tests.conftest import FIXTURES, RURAL_TRANSCRIPT, SEED_TRANSCRIPT

LAYOUTS = FIXTURES / "layouts"
SCIO = LAYOUTS / "2024-05-21_scio-port-logistics.txt"
MOFCOM = LAYOUTS / "2024-03-14_mofcom-trade-briefing.txt"
CENTRAL_BANK = LAYOUTS / "2025-06-05_central-bank-press-conference.txt"
PDF = LAYOUTS / "2025-04-30_chair-rendell-press-conference.txt"


def _turns(path: Path) -> list[tuple[str, str]]:
    turns, _ = parse_passages(read_document(path))
    return [(t.speaker, t.role) for t in turns]


@pytest.mark.parametrize("path, name", [(SCIO, "scio"), (MOFCOM, "inline"), (CENTRAL_BANK, "central_bank"),
                                        (PDF, "fomc"), (SEED_TRANSCRIPT, "press_room"),
                                        (RURAL_TRANSCRIPT, "press_room")])
def test_layout_is_picked_by_content_and_stays_picked_after_blanking(path, name):
    raw = path.read_text(encoding="utf-8")
    layout = layouts.pick(raw)
    assert layout.name == name
    assert layouts.pick(layout.prepare(raw)).name == name


def test_scio_page_header_block_gives_speakers_chair_and_event_date():
    document = read_document(SCIO)
    assert document.title == "SCIO briefing on inland port logistics"
    assert document.date == "2024-05-20"  # the "Date:" block (the event), not the publication date
    assert document.speakers == ("Lan Qiming", "Duo Yaxin")
    assert document.chair == "Fei Wenkang"
    assert _turns(SCIO) == [
        ("Fei Wenkang", "chair"), ("Lan Qiming", "answer"), ("Fei Wenkang", "chair"),
        ("Xinhua News Agency", "question"), ("Duo Yaxin", "answer"),
        ("Harbour Weekly", "question"), ("Lan Qiming", "answer"), ("Fei Wenkang", "chair"),
    ]
    texts = [p.text for p in parse_passages(document)[1]]
    assert not any(word in text for text in texts for word in ("Speakers", "Chairperson", "Read in Chinese",
                                                                "Adjust font size", "Comment(s)", "May 20, 2024"))


def test_mofcom_inline_labels_one_speaker_per_person_and_asked_by():
    turns, passages = parse_passages(read_document(MOFCOM))
    assert [(t.speaker, t.role) for t in turns] == [
        ("Yan Ruolan", "answer"),  # "Spokesperson Yan Ruolan" and "Yan Ruolan" are one speaker
        ("Daily Economic Ledger", "question"), ("Yan Ruolan", "answer"),
        ("21st Century Business Herald", "question"), ("Yan Ruolan", "answer"),
        ("Riverside Morning Post", "question"), ("Yan Ruolan", "answer"),
    ]
    assert [t.asked_by for t in turns if t.role == "answer"] == [
        None, "Daily Economic Ledger", "21st Century Business Herald", "Riverside Morning Post"]
    answer = next(p for p in passages if "1.1 trillion yuan" in p.text)
    assert answer.text.startswith("Thank you. In January")  # the label is not in the passage
    assert answer.asked_by == "Daily Economic Ledger"
    assert answer.question_context == "How much did service trade grow in January and February?"


def test_central_bank_unlabelled_opening_statement_and_answers():
    document = read_document(CENTRAL_BANK)
    assert (document.title, document.date) == ("Press conference", "2025-06-05")
    assert document.speakers[0] == "Maren Holtby"
    assert _turns(CENTRAL_BANK) == [
        ("Maren Holtby", "answer"),  # the opening statement: the official's, not a question
        ("Reporter", "question"), ("Maren Holtby", "answer"),
        ("Reporter", "question"), ("Maren Holtby", "answer"),
    ]
    _, passages = parse_passages(document)
    assert passages[0].text.startswith("Good afternoon")
    assert not any("Northern Reserve Bank," in p.text for p in passages)  # the header is no passage


def test_pdf_page_header_blanked_inside_a_sentence_and_offsets_still_slice_back():
    raw = PDF.read_text(encoding="utf-8")
    document = read_document(PDF)
    assert len(document.text) == len(raw)
    assert document.title == "Transcript of Chair Rendell’s Press Conference"
    assert document.date == "2025-04-30"
    assert _turns(PDF) == [("Chair Rendell", "answer"), ("Orla Brennick", "question"), ("Chair Rendell", "answer"),
                           ("Tomas Veil", "question"), ("Chair Rendell", "answer")]
    turns, passages = parse_passages(document)
    assert document_text(PDF) == document.text
    for passage in passages:
        assert "FINAL" not in passage.text and "Page " not in passage.text
        assert document.text[passage.start : passage.end] == passage.text
        for sentence in passage.sentences:
            assert document.text[sentence.start : sentence.end] == sentence.text
        for figure in passage.figures:
            assert document.text[figure.start : figure.end] == figure.text
    # Hard-wrapped paragraphs with no blank line between them: three in the opening statement.
    opening = [p for p in passages if p.turn == 0]
    assert [p.text.split()[0] for p in opening] == ["Good", "Inflation", "We"]
    split = next(s for p in opening for s in p.sentences if "core prices rose" in s.text)
    assert " ".join(split.text.split()).endswith("2.9 percent over the same period, still higher than we would like.")
    assert [t.asked_by for t in turns if t.role == "answer"] == [None, "Orla Brennick", "Tomas Veil"]


def test_pdf_footnote_keeps_its_words_but_its_number_is_no_figure(tmp_path):
    # A footnote correcting what the chair said, its mark glued to the stop before it.
    raw = PDF.read_text(encoding="utf-8").replace(
        "watching closely.", "watching closely, as in the 4.1 percent reading.1\n"
        "1 Chair Rendell intended to say the 4.2 percent reading.")
    path = tmp_path / PDF.name
    path.write_text(raw, encoding="utf-8")
    document = read_document(path)
    assert len(document.text) == len(raw)
    _, passages = parse_passages(document)
    last = passages[-1]
    assert "Chair Rendell intended to say the 4.2 percent reading." in last.text
    assert [f.text for f in last.figures] == ["4.1 percent", "4.2 percent"]  # no mark, no footnote number
    for figure in last.figures:
        assert document.text[figure.start : figure.end] == figure.text


@pytest.mark.parametrize("title, names", [
    ("Press Gaggle by Press Secretary Ana Lima Aboard the Harbour Launch En Route Harbourtown", ["Ana Lima"]),
    ("Press Briefing by Press Secretary Ana Lima and Transport Secretary Bo Chen", ["Ana Lima", "Bo Chen"]),
    ("Remarks by Press Secretary Ana Lima Following the Harbour Summit", ["Ana Lima"]),
    ("Press Briefing by Press Secretary Ana Lima, Port Director Bo Chen, and Harbour Commissioner Cy Dale",
     ["Ana Lima", "Bo Chen", "Cy Dale"]),
])
def test_names_in_a_title_stop_at_where_and_when(title, names):
    from corpus.layouts.header import names_in_title

    assert names_in_title(title) == names


def test_loaded_corpus_cites_blanked_text():
    corpus = load_corpus(LAYOUTS)
    for document in corpus.documents:
        assert document_text(document.source) == document.text
    for passage in corpus.passages:
        assert document_text(corpus.document(passage.doc_id).source)[passage.start : passage.end] == passage.text


@pytest.mark.parametrize("label", ["Date", "Speakers", "Subjects", "Adjust font size", "Note", "Source",
                                   "Updated", "Venue", "Page 1 of 27", "11:03 A.M. EST", "First, on vaccines",
                                   "President Biden is clear", "Next slide", "42"])
def test_non_names_are_never_labels(label):
    assert not labels.has_label_shape(label)


@pytest.mark.parametrize("label, shown", [("CHAIR POWELL", "Chair Powell"), ("MS. PSAKI", "Ms. Psaki"),
                                          ("SENIOR ADMINISTRATION OFFICIAL", "Senior Administration Official"),
                                          ("CCTV", "CCTV"), ("PM", "PM"), ("Q", "Reporter"),
                                          ("JOURNALIST", "Reporter"), ("Vice Minister Xin Guobin",
                                                                        "Vice Minister Xin Guobin"),
                                          ("China Daily", "China Daily"), ("NANCY MARSHALL-GENZER",
                                                                           "Nancy Marshall-Genzer")])
def test_labels_have_label_shape_and_display_modestly(label, shown):
    assert labels.has_label_shape(label)
    assert labels.display(label) == shown


@pytest.mark.parametrize("text, iso", [("June 18, 2022", "2022-06-18"), ("5 June 2025", "2025-06-05"),
                                       ("Jan. 18, 2023", "2023-01-18"), ("2024-07-16", "2024-07-16"),
                                       ("13/12/2002", "2002-12-13"), ("03/02/2009", "2009-02-03"),
                                       ("Press Conference on July 17, 2018", "2018-07-17"),
                                       ("Page 1 of 27", None)])
def test_dates_in_common_forms(text, iso):
    assert parse_date(text) == iso


def test_date_falls_back_to_the_file_name(tmp_path):
    transcript = tmp_path / "2021-03-04_untitled.txt"
    transcript.write_text("A briefing on roads\n\nMINISTER LAU: We paved 40 kilometres.\n\n"
                          "Q  How many more?\n\nMINISTER LAU: Ten more next year.\n", encoding="utf-8")
    document = read_document(transcript)
    assert document.date == "2021-03-04"
    assert _turns(transcript) == [("Minister Lau", "answer"), ("Reporter", "question"), ("Minister Lau", "answer")]


NAMED_LINES = LAYOUTS / "2031-11-05_named-lines-media-conference.txt"
STAMPED = LAYOUTS / "2031-02-03_stamped-task-force-briefing.txt"


def test_labels_alone_without_a_colon_and_reporters_with_outlet_in_brackets():
    document = read_document(NAMED_LINES)
    assert layouts.pick(document.text).name == "named_lines"
    assert document.title == "Media Conference – 5 November 2031"  # a date line naming the event is the title
    assert document.date == "2031-11-05"
    turns, passages = parse_passages(document)
    assert [(t.speaker, t.role) for t in turns] == [
        ("Maren Holtby", "answer"), ("Owen Pell (Harbour Gazette)", "question"), ("Maren Holtby", "answer"),
        ("Ruth Abel (Coastal Radio)", "question"), ("Maren Holtby", "answer"),
    ]
    assert passages[0].text.startswith("Good afternoon.")  # the name line and the header are no passage
    assert [p.asked_by for p in passages if p.role == "answer"][-1] == "Ruth Abel (Coastal Radio)"
    assert labels.split_affiliation("Owen Pell (Harbour Gazette)") == ("Owen Pell", "Harbour Gazette")


def test_a_name_line_said_once_is_a_heading_not_a_label():
    lines = ["Opening Statement", "Good afternoon.", "MAREN HOLTBY", "Thanks.", "MAREN HOLTBY", "Done."]
    from corpus.layouts.reader import bare_label_lines
    assert sorted(bare_label_lines(lines, ())) == [2, 4]


def test_time_stamped_labels_numbered_reporters_and_an_interpreter():
    document = read_document(STAMPED)
    turns, passages = parse_passages(document)
    assert [(t.speaker, t.role) for t in turns] == [
        ("Dana Whitfield", "answer"), ("Interpreter", "answer"), ("Reporter", "question"),
        ("Dana Whitfield", "answer"), ("Speaker 2", "question"), ("Dana Whitfield", "answer"),
    ]
    # the time stamps are neither text nor figures
    assert [p.text for p in passages][-2:] == ["What about schools?", "Schools stay open."]
    assert not any(":" in f.text for p in passages for f in p.figures)


PAGED = LAYOUTS / "2031-07-14_scio-paged-harbour-briefing.txt"


def test_speakers_block_after_a_summary_and_a_question_whose_label_a_page_break_lost():
    document = read_document(PAGED)
    assert document.speakers[0] == "Lan Qiming" and document.chair == "Duo Yaxin"
    turns, passages = parse_passages(document)
    assert [(t.speaker, t.role) for t in turns] == [
        ("Duo Yaxin", "chair"), ("Lan Qiming", "answer"),
        ("Reporter", "question"),  # the next page opens with a question and no outlet label
        ("Lan Qiming", "answer"), ("Harbour Weekly", "question"), ("Lan Qiming", "answer"),
    ]
    texts = " ".join(p.text for p in passages)
    # the page's running title, with or without its date, and the site's date line are furniture
    assert "SCIO briefing" not in texts and "China.org.cn" not in texts and "Comment(s)" not in texts


def test_a_transcript_with_no_labels_is_one_officials_statement(tmp_path):
    statement = tmp_path / "2031-05-04_post-budget.txt"
    statement.write_text("Post-Budget Press Conference: Monday, 4 May 2031\n\nMaren Holtby\n\nMinister of Finance\n\n"
                         + "Hello, everyone. We will open 40 new ferry berths along the coast this year. " * 8
                         + "\n\nThe total is now 420 berths.\n", encoding="utf-8")
    one_line = tmp_path / "2031-06-06_podcast.txt"
    one_line.write_text(" You're listening to the harbour podcast. " + "The levy stays at 2.5%. " * 30,
                        encoding="utf-8")
    for path in (statement, one_line):
        document = read_document(path)
        assert layouts.pick(document.text).name == "statement"
        _, passages = parse_passages(document)
        assert passages and all(p.role == "answer" for p in passages)  # answerable, never a reporter's
    assert read_document(statement).title == "Post-Budget Press Conference: Monday, 4 May 2031"
    # the name printed over her office is the speaker of every paragraph
    assert {p.speaker for p in parse_passages(read_document(statement))[1]} == {"Maren Holtby"}
    assert read_document(one_line).date == "2031-06-06"  # a text saved as one line has no title line


def test_a_breadcrumb_is_no_title(tmp_path):
    page = tmp_path / "2031-08-18_briefing.txt"
    page.write_text("Home > News>Press Conference\n\nRegular Press Conference (August 18, 2031)\n\nXinhua:\n\n"
                    "What about exports?\n\nLi Ming:\n\nExports rose 4%.\n", encoding="utf-8")
    assert read_document(page).title == "Regular Press Conference (August 18, 2031)"


def test_a_name_opening_the_body_inline_is_a_label_even_said_once(tmp_path):
    page = tmp_path / "2031-08-18_announcements.txt"
    page.write_text("Regular Press Conference (August 18, 2031)\n\nGao Ming: Hello, everyone, and thanks for coming. "
                    "I have two announcements.\n\nFirst, harbour investment rose by 17.3%.\n", encoding="utf-8")
    _, passages = parse_passages(read_document(page))
    assert [(p.speaker, p.role) for p in passages] == [("Gao Ming", "answer"), ("Gao Ming", "answer")]
    assert passages[0].text.startswith("Hello, everyone")


HEADLESS = LAYOUTS / "2031-10-09_scio-headless-ferry-briefing.txt"


def test_a_speakers_list_whose_headings_were_lost_still_names_speakers_and_chair():
    document = read_document(HEADLESS)
    assert layouts.pick(document.text).name == "scio"
    assert document.title == "SCIO briefing on ferry services in the first three quarters"
    assert document.date == "2031-10-09"  # the event's date line, not the page's
    assert document.speakers == ("Pan Ruoda", "Wen Da")  # "Wen Da": a name may end in "Da"
    assert document.chair == "Qiao Lanxin"  # the entry set apart after the speakers
    turns, passages = parse_passages(document)
    assert [(t.speaker, t.role) for t in turns] == [
        ("Qiao Lanxin", "chair"), ("Pan Ruoda", "answer"), ("Qiao Lanxin", "chair"),
        ("Reporter", "question"),  # asked after the floor opened, its outlet label lost
        ("Wen Da", "answer"), ("Harbour Daily, Harbour Plus", "question"), ("Wen Da", "answer"),
    ]
    texts = " ".join(p.text for p in passages)
    assert "Press Room" not in texts and "vice minister" not in texts  # breadcrumb and header are no turns


def test_speakers_labelled_by_initials_and_a_wide_gap():
    document = read_document(LAYOUTS / "2031-08-20_initials-health-briefing.txt")
    assert layouts.pick(document.text).name == "initials"
    assert document.date == "2031-08-20"
    turns, passages = parse_passages(document)
    # initials the host spelled out ("Dr Lina Sorel") show as the name, others as written
    assert [t.speaker for t in turns] == ["RO", "Lina Sorel", "RO", "Ivo Matt"]
    assert passages[1].text.startswith("Thank you, Rafe. More than 4,100 cases")  # the initials are no text
    assert "4,100" in [f.text for f in passages[1].figures][0]


def test_two_capitals_and_a_gap_once_are_no_layout():
    text = "Harbour briefing\n\nLi Ming: We opened 14 berths.\n\nOK    then we close.\n"
    assert layouts.pick(text).name != "initials"


def test_captions_over_a_header_block_and_an_editors_page_break_marker(tmp_path):
    page = tmp_path / "2031-04-18_ferry-data-briefing.txt"
    page.write_text("Speaker\nChairperson\nSpeaker:\nLi Ming, spokesperson of the Ferry Bureau\n"
                    "Chairperson:\nWu Qing, spokesperson of the SCIO\nDate:\nApril 18, 2031\n"
                    "Wu Qing:\nWelcome to this press conference.\n"
                    "_ueditor_page_break_tag_Li Ming:\nFerries carried 61.4 million passengers.\n", encoding="utf-8")
    document = read_document(page)
    assert document.speakers == ("Li Ming",) and document.chair == "Wu Qing"
    turns, passages = parse_passages(document)
    assert [(t.speaker, t.role) for t in turns] == [("Wu Qing", "chair"), ("Li Ming", "answer")]
    assert passages[-1].text == "Ferries carried 61.4 million passengers."


def test_a_saved_pages_controls_are_no_title_and_the_opening_line_names_the_speaker(tmp_path):
    page = tmp_path / "2031-07-29_noon-briefing.txt"
    page.write_text("Skip to main content\n\nDaily Press Briefing by the Office of the Harbour Spokesperson\n\n"
                    "The following is a transcript of today's harbour briefing by Mira Tal, Associate "
                    "Spokesperson for the Harbour Board.\n\nGood afternoon. Ferries carried 61,000 people today.\n\n"
                    + "The harbour board met this morning and agreed to open two new ferry routes. " * 5 + "\n",
                    encoding="utf-8")
    document = read_document(page)
    assert document.title == "Daily Press Briefing by the Office of the Harbour Spokesperson"
    assert document.speakers == ("Mira Tal",)
    _, passages = parse_passages(document)
    assert {p.speaker for p in passages} == {"Mira Tal"} and all(p.role == "answer" for p in passages)


def test_an_undersecretary_and_abbreviated_offices_answer_and_a_surname_label_is_the_same_person(tmp_path):
    """A host introduces an official whose label holds an office the press room abbreviates or
    compounds ("UNDERSECRETARY", "Sec."); later turns give the surname alone ("VALDEZ:",
    "Ms. Ocampo:"), and reporters' outlets hold digits ("(Channel 9)", "(TV-4)")."""
    page = tmp_path / "2031-05-14_ferry-fuel-briefing.txt"
    page.write_text(
        "Press briefing on ferry fuel\n\n"
        "HOST RAMOS: Good morning. Let us welcome our guest from the Ferry Office.\n\n"
        "FERRY UNDERSECRETARY ANA VALDEZ: Thank you. Why do fares rise? Fuel rose 12 percent.\n\n"
        "Questions and Answers\n\n"
        "LINA OCAMPO (Channel 9): Good morning. How many ferries stopped?\n\n"
        "VALDEZ: Fourteen ferries stopped for two days.\n\n"
        "Ms. Ocampo: And the fares?\n\n"
        "SEC. VALDEZ: They rise in June. Can we stop that? We try.\n\n"
        "JO PEREZ (TV-4): Which ports closed?\n\n"
        "VALDEZ: Two ports closed.\n", encoding="utf-8")
    turns, passages = parse_passages(read_document(page))
    roles = {(t.speaker, t.role) for t in turns}
    assert ("Ferry Undersecretary Ana Valdez", "answer") in roles or ("Valdez", "answer") in roles
    assert {t.role for t in turns if "Valdez" in t.speaker} == {"answer"}  # rhetorical questions aside
    assert {t.role for t in turns if "Ocampo" in t.speaker or "Perez" in t.speaker} == {"question"}
    assert len({t.speaker for t in turns if "Valdez" in t.speaker}) == 1  # one person, one name
    last = passages[-1]
    assert last.text == "Two ports closed." and last.asked_by is not None and "Perez" in last.asked_by
    assert labels.has_title_word("PORT UNDERSECRETARY JO CRUZ") and labels.has_title_word("Sec. Cruz")
    assert labels.has_label_shape("MIA LIM (TV-4)") and not labels.has_label_shape("MIA LIM (we met on 4 May)")


FERRY_MEDIA_CONFERENCE = """Media Conference Ferry Fare Decision

Watch video: Media Conference – Ferry Fare Decision, Harbourtown

Transcript
----------

### Ana Wren

Good afternoon, everyone. Today the board decided to leave the fare unchanged at 2.85%.

### Tom Reed

Tom Reed from Harbour News. Will the fare fall next year?

### Ana Wren

We do not give guidance, Tom. The board will look at the data.

### Lia Moss

The board has held for a year now, and commuters are feeling it.

### Ana Wren

Thanks, Lia. Inflation is still above the band.

### Lia Moss

And the next meeting.

### Ana Wren

Is in March.
"""


def test_names_as_headings_the_first_ends_the_header_and_a_reporter_said_once_asks(tmp_path):
    """Markdown headings as labels: the first one is a label, not a header line; a reporter
    named once is a label when the turn opens by saying the name, or when the official answers
    them by their first name ("Thanks, Lia.") though their turn asks nothing with a "?"."""
    path = tmp_path / "2031-02-10_ferry-media-conference.md"
    path.write_text(FERRY_MEDIA_CONFERENCE, encoding="utf-8")
    turns, passages = parse_passages(load_corpus(path).documents[0])
    assert [(t.speaker, t.role) for t in turns] == [
        ("Ana Wren", "answer"), ("Tom Reed", "question"), ("Ana Wren", "answer"), ("Lia Moss", "question"),
        ("Ana Wren", "answer"), ("Lia Moss", "question"), ("Ana Wren", "answer")]
    assert passages[0].text.startswith("Good afternoon") and passages[-1].asked_by == "Lia Moss"
