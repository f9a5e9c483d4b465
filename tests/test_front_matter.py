"""Transcripts saved by page archives open with a YAML front-matter block: its title and date
are the document's, and the block is never read as a title, a speaker or a passage."""

from __future__ import annotations

from corpus import front_matter, load_corpus

# An invented briefing in the layout of an archived press-room page: front matter with a quoted
# title folded over two lines (with a YAML escape), a timestamp, then a labelled transcript.
ARCHIVED = """---
date: '2031-03-10'
modified_time: 2031-03-10 19:07:58-05:00
source_url: https://example.org/briefing-room/2031/03/10/press-briefing-by-harbour-master-ana-lima/
tags: press-briefings
title: "Press Briefing by Harbour Secretary Ana Lima and Port\\
  \\ Director Bo Chen"
---
 
Harbour Office Briefing Room

2:46 P.M. EST

MS. LIMA:  Good afternoon, everybody.  The port handled 4.2 million containers last year.

Q    How many berths opened?

MR. CHEN:  We opened 14 berths in February.
"""


def test_front_matter_gives_the_title_and_date_and_is_no_passage(tmp_path):
    path = tmp_path / "archived-briefing.txt"
    path.write_text(ARCHIVED, encoding="utf-8")
    corpus = load_corpus(path)
    (document,) = corpus.documents
    assert document.title == "Press Briefing by Harbour Secretary Ana Lima and Port Director Bo Chen"
    assert document.date == "2031-03-10"
    assert document.speakers == ("Ana Lima", "Bo Chen")
    assert len(document.text) == len(ARCHIVED)  # blanked in place: offsets are the file's
    assert not any("source_url" in p.text or "title:" in p.text for p in corpus.passages)
    spoken = [(p.speaker, p.role) for p in corpus.passages]
    assert ("Ms. Lima", "answer") in spoken and ("Mr. Chen", "answer") in spoken
    for passage in corpus.passages:
        assert ARCHIVED[passage.start : passage.end] == passage.text


def test_plain_key_value_lines_count_when_the_block_is_not_yaml():
    found = front_matter.read("---\ntitle: Harbour: the quarter in review\ndate: May 2, 2031\n---\nText.\n")
    assert found is not None and found.title == "Harbour: the quarter in review" and found.date == "2031-05-02"


def test_a_rule_of_dashes_is_no_front_matter():
    assert front_matter.read("---\nLi Ming: We opened 14 berths.\nMore words here, no key.\n---\n") is None
    assert front_matter.read("Title\n---\ndate: 2031-01-01\n---\n") is None  # not at the start
    text = "---\nnever closed: true\n\nLi Ming: hello\n"
    assert front_matter.read(text) is None and front_matter.blank(text) == text


def test_a_page_posted_days_after_its_briefing_is_dated_by_the_briefing(tmp_path):
    """An archive's front-matter date is when the page was posted; the opening line says when
    the briefing was held, a few days before: that is the transcript's date. A date said long
    before, or after the posting, is not taken for it."""
    def dated(opening: str) -> str:
        path = tmp_path / "ferry-briefing.md"
        path.write_text("---\ntitle: Ferry briefing\ndate: 2031-01-16T07:11:03UTC\n---\n\n"
                        f"{opening}\n\nMS. LIMA: Ferries carried 4,100 people.\n", encoding="utf-8")
        (document,) = load_corpus(path).documents
        return document.date
    assert dated("Secretary Ana Lima briefs the harbour press corps on 10 January 2031.") == "2031-01-10"
    assert dated("The harbour board was founded on 10 January 1990.") == "2031-01-16"
    assert dated("Ana Lima will brief again on 20 January 2031.") == "2031-01-16"
