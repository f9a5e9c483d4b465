"""Layout readers on the real transcripts in ../shared/real (skipped when that folder is absent).

Expectation files (tests/fixtures/layouts/expected/*.json, checked by hand) hold one real
transcript per publisher family: its date and the speaker and role of every turn. The expected
title is the publisher's own, read from ../shared/real/sources.tsv, so that no transcript text
is copied into the repository.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from corpus import document_text
from corpus.transcript import parse_passages, read_document
from tests.conftest import FIXTURES

REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "real" / "transcripts"
EXPECTED = sorted((FIXTURES / "layouts" / "expected").glob("*.json"))
_NOT_A_NAME = re.compile(r"^(date|speakers?|subjects?|page|note|source|updated|time|venue|location|"
                         r"adjust font size|e&oe)\b|\d", re.IGNORECASE)

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="real transcripts (../shared/real) not present")


def _published_title(file: str) -> str:
    """The title sources.tsv records for a transcript, its whitespace collapsed."""
    with (REAL.parent / "sources.tsv").open(encoding="utf-8", newline="") as handle:
        titles = {row["file"]: row["title"] for row in csv.DictReader(handle, delimiter="\t")}
    return " ".join(titles[file].split())


def _real_files() -> list[Path]:
    return sorted(REAL.rglob("*.txt")) if REAL.is_dir() else []


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.stem)
def test_one_transcript_per_family_matches_its_hand_checked_expectation(expected):
    want = json.loads(expected.read_text(encoding="utf-8"))
    want["title"] = _published_title(want["file"])
    document = read_document(REAL / want["file"])
    turns, _ = parse_passages(document)
    assert document.title == want["title"]
    assert document.date == want["date"]
    assert list(document.speakers) == want["speakers"]
    assert document.chair == want["chair"]
    assert [[t.speaker, t.role] for t in turns] == want["turns"]


def test_expectations_cover_every_family():
    families = {json.loads(p.read_text(encoding="utf-8"))["file"].split("/")[0] for p in EXPECTED}
    assert families == {"whitehouse", "fomc", "mfa_china", "au_pm"}
    assert len(EXPECTED) == 6


@pytest.fixture(scope="module")
def parsed():
    return [(path, document, *parse_passages(document)) for path in _real_files()
            for document in [read_document(path)]]


def test_every_real_transcript_has_title_date_and_name_labels(parsed):
    assert len(parsed) >= 31
    for path, document, turns, passages in parsed:
        assert document.title and not document.title.startswith("Page "), path
        assert document.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", document.date), path
        assert document.date == path.name[:10], path  # the files are named by their date
        for turn in turns:
            assert not _NOT_A_NAME.search(turn.speaker), (path.name, turn.speaker)
        roles = {t.role for t in turns}
        assert {"question", "answer"} <= roles, path
        assert turns[0].role != "question" or "?" in document.text[turns[0].start : turns[0].end], path


def test_no_passage_holds_a_pdf_page_header_and_offsets_slice_back(parsed):
    for path, document, _, passages in parsed:
        text = document_text(path)
        assert text == document.text and len(text) == len(path.read_text(encoding="utf-8"))
        for passage in passages:
            assert not re.search(r"Page \d+ of \d+|Press ?Conference\s+FINAL", passage.text), (path.name, passage.id)
            assert text[passage.start : passage.end] == passage.text
            for sentence in passage.sentences:
                assert text[sentence.start : sentence.end] == sentence.text
            for figure in passage.figures:
                assert text[figure.start : figure.end] == figure.text


def test_answers_name_who_asked(parsed):
    for path, _, turns, _ in parsed:
        answers = [t for t in turns if t.role == "answer"]
        asked = [t for t in answers if t.asked_by]
        assert len(asked) >= len(answers) // 2, path.name
