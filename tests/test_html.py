"""HTML and Markdown transcripts: extraction, boilerplate, pagination, offsets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus import document_text, load_corpus
from corpus.html import parse_page, transcript_text
from tests.conftest import FIXTURES

MULTIDOC = FIXTURES / "multidoc"
HTML_FIRST = MULTIDOC / "2022-05-17_water-security-briefing.html"
HTML_SECOND = MULTIDOC / "2022-05-17_water-security-briefing_2.html"
MARKDOWN = MULTIDOC / "2023-06-08_groundwater-recovery-briefing.md"
PLAIN = MULTIDOC / "2021-04-12_river-basin-water-briefing.txt"


def test_page_title_date_and_labels_without_boilerplate():
    page = parse_page(HTML_FIRST.read_text(encoding="utf-8"))
    assert page.title == "Water Resources Office holds press conference on water security"
    assert page.date == "2022-05-17"
    assert page.blocks[:3] == ("Gao Yue:", page.blocks[1], "Riverside Times:")
    assert page.blocks[3] == "What progress has been made in water-saving irrigation over the past year?"
    text = " ".join(page.blocks)
    for chrome in ("Copyright", "Press room", "Policies", "Share", "Print", "Home", "Contact us", "analytics"):
        assert chrome not in text
    assert "rural areas rose to 87.5%" in text  # &nbsp; read as a space


def test_two_saved_pages_are_one_document_in_order():
    corpus = load_corpus(MULTIDOC)
    ids = [d.id for d in corpus.documents]
    assert ids == ["2021-04-12_river-basin-water-briefing", "2022-05-17_water-security-briefing",
                   "2023-06-08_groundwater-recovery-briefing"]  # page 2 is no document of its own
    html_doc = corpus.document("2022-05-17_water-security-briefing")
    assert html_doc.source == str(HTML_FIRST) and html_doc.date == "2022-05-17"
    speakers = [p.speaker for p in corpus.passages if p.doc_id == html_doc.id]
    assert speakers.index("Ou Jianming") < speakers.index("Sun Peilin")  # page 1, then page 2
    roles = {p.speaker: p.role for p in corpus.passages if p.doc_id == html_doc.id}
    assert roles["Riverside Times"] == roles["Coastal Herald"] == "question"
    assert roles["Ou Jianming"] == roles["Sun Peilin"] == "answer"


def test_offsets_point_into_the_stored_text_of_every_format():
    corpus = load_corpus(MULTIDOC)
    for document in corpus.documents:
        text = document_text(document.source)
        assert text == document.text
        for passage in (p for p in corpus.passages if p.doc_id == document.id):
            assert text[passage.start : passage.end] == passage.text
            for sentence in passage.sentences:
                assert text[sentence.start : sentence.end] == sentence.text
            for figure in passage.figures:
                assert text[figure.start : figure.end] == figure.text
    # Plain text and Markdown: offsets are offsets into the file itself.
    for path in (PLAIN, MARKDOWN):
        raw = path.read_text(encoding="utf-8")
        for passage in (p for p in corpus.passages if p.doc_id == path.stem):
            assert raw[passage.start : passage.end] == passage.text


def test_markdown_front_matter_heading_and_bold_labels():
    corpus = load_corpus(MARKDOWN)
    document = corpus.documents[0]
    assert document.title == "Water Resources Office holds press conference on groundwater recovery"
    assert document.date == "2023-06-08"
    assert len(document.text) == len(MARKDOWN.read_text(encoding="utf-8"))
    by_speaker = {(p.speaker, p.role) for p in corpus.passages}
    assert {("Tian Mo", "chair"), ("Plains Weekly", "question"), ("Lin Haoran", "answer"),
            ("Wei Shuang", "answer"), ("Metro Radio", "question")} <= by_speaker
    assert not any("*" in p.text or "#" in p.text for p in corpus.passages)


def test_inline_label_after_bold_name_and_pagination_loop(tmp_path):
    # "<b>Name</b>: text" and a page whose "next" link points back to itself.
    page = tmp_path / "loop.html"
    page.write_text(
        "<html><head><title>Briefing on ferries</title></head><body>"
        "<h1>Briefing on ferries</h1><p>March 3, 2024</p>"
        "<p><b>Qin Lu</b>: We opened 14 ferry routes.</p>"
        "<p><b>Harbour News:</b> How many routes?</p>"
        "<div class='pagination'><a href='loop.html'>1</a><a href='loop.html' rel='next'>Next</a></div>"
        "</body></html>", encoding="utf-8")
    corpus = load_corpus(page)
    assert corpus.documents[0].date == "2024-03-03"
    assert [(p.speaker, p.text) for p in corpus.passages] == [
        ("Qin Lu", "We opened 14 ferry routes."), ("Harbour News", "How many routes?")]


def test_broken_html_is_read_not_fatal(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<html><body><h1>Talk on bridges<p><strong>Li Ming:</strong> We built 12 bridges.<p>"
                    "<div><p>Unclosed paragraph with 5% growth", encoding="utf-8")
    corpus = load_corpus(page)
    assert corpus.documents[0].title == "Talk on bridges"
    assert any("12 bridges" in p.text and p.speaker == "Li Ming" for p in corpus.passages)


def test_continuation_page_alone_is_still_a_document(tmp_path):
    shutil.copy(HTML_SECOND, tmp_path / HTML_SECOND.name)
    corpus = load_corpus(tmp_path)
    assert [p.speaker for p in corpus.passages][0] == "Sun Peilin"


def test_transcript_text_repeats_no_heading():
    pages = [parse_page(Path(p).read_text(encoding="utf-8")) for p in (HTML_FIRST, HTML_SECOND)]
    text = transcript_text(pages)
    assert text.count("holds press conference on water security") == 2  # heading + dated header line
    assert text.index("Ou Jianming:") < text.index("Sun Peilin:")


@pytest.mark.parametrize("name", ["notes.csv", ".hidden.txt"])
def test_other_and_hidden_files_are_not_documents(tmp_path, name):
    shutil.copy(PLAIN, tmp_path / "a.txt")
    (tmp_path / name).write_text("Title\n\nLi Ming:\n\nWe built 3 piers.\n", encoding="utf-8")
    assert [d.id for d in load_corpus(tmp_path).documents] == ["a"]


def test_a_page_saved_as_html_without_markup_is_read_as_text(tmp_path):
    page = tmp_path / "2031-04-02_harbour-briefing.html"
    page.write_text("Harbour Board briefing\nApril 2, 2031\n\nCHAIR MARLOW: Cargo rose 4 percent in March.\n\n"
                    "Reporter: Will fees rise?\n\nCHAIR MARLOW: Not this year.\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    (document,) = corpus.documents
    assert document.date == "2031-04-02" and corpus.passages[0].speaker == "Chair Marlow"
    first = corpus.passages[0]
    assert document_text(document.source)[first.start:first.end] == first.text


CAPTIONED = """**Rt. Hon. Jane Alder**:

Good morning. Harbour cargo rose 4 percent in March.
We will open two new berths.


[ crosstalk ]


**Voice of Interpreter**:

We will open two new berths.


**Question**:

Will fees rise this year?


**Answer**:

Not this year.
"""


def test_markdown_bold_labels_alone_on_a_line_open_turns(tmp_path):
    (tmp_path / "2031-04-02_harbour-update.md").write_text(CAPTIONED, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    (document,) = corpus.documents
    # the file opens with its first turn: no title line, the date from the file's name
    assert document.title == "2031-04-02_harbour-update" and document.date == "2031-04-02"
    turns = [(p.speaker, p.role, p.text.split("\n")[0]) for p in corpus.passages]
    assert turns == [
        ("Rt. Hon. Jane Alder", "answer", "Good morning. Harbour cargo rose 4 percent in March."),
        ("Voice of Interpreter", "answer", "We will open two new berths."),
        ("Reporter", "question", "Will fees rise this year?"),
        # "Answer:" names no one: the answer is the last named speaker's
        ("Rt. Hon. Jane Alder", "answer", "Not this year."),
    ]


def test_numbered_voices_with_time_stamps_before_the_colon_open_turns(tmp_path):
    (tmp_path / "2031-06-08_defence-briefing.txt").write_text(
        "Harbour Defence briefing\n\nSpeaker 1 (00:00):\n\nGood afternoon. The review made 12 recommendations.\n"
        "(00:29)\nWe will act on all of them.\n\nSpeaker 2 (01:10):\n\nWill the navy pay for it?\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    turns = list(dict.fromkeys((p.speaker, p.role) for p in corpus.passages))
    assert turns == [("Speaker 1", "answer"), ("Speaker 2", "answer")]
    assert "12 recommendations" in corpus.passages[0].text
