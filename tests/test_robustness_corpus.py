"""Odd transcript files: indexed, or a clear error naming the file; never a half-built index."""

from __future__ import annotations

import shutil

import pytest

import corpus.loader
from corpus import CorpusError, load_corpus
from corpus.loader import document_text
from index import open_index
from index.store import CURRENT
from qa import QA
from qa.faithfulness import citations_valid
from tests.conftest import SEED_TRANSCRIPT, FakeEmbedder

SEED_TEXT = SEED_TRANSCRIPT.read_text(encoding="utf-8")
UTF16_MESSAGE = r"not UTF-8 text \(UTF-16, by its byte-order mark\); save it as UTF-8"
QUESTION = "How many large industrial internet platforms have been established?"


def _engine(corpus_path, index_dir):
    return QA(corpus=corpus_path, index_dir=index_dir, embedder=FakeEmbedder(), progress=False)


@pytest.mark.parametrize("name, content, message", [
    ("nul.txt", b"Heading\n\x00\x00\x00\n\x00\x01\x02\n", "a binary file, not a text transcript"),
    ("elf.txt", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64 + b"\nhello world\n", "a binary file"),
    ("random.txt", bytes(range(256)) * 16, "not UTF-8 text"),
    ("utf16le.txt", SEED_TEXT.encode("utf-16"), UTF16_MESSAGE),
    ("utf16be.txt", b"\xfe\xff" + SEED_TEXT.encode("utf-16-be"), UTF16_MESSAGE),
    ("latin1.txt", "Briefing\nLi Ming:\nThe café served 42 guests.\n".encode("latin-1"), "not UTF-8 text"),
    ("heading-only.txt", b"Just a heading\n", "no paragraphs found"),
])
def test_unusable_file_is_a_clear_error_naming_it(tmp_path, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(CorpusError, match=message) as raised:
        load_corpus(bad)
    assert str(bad) in str(raised.value) and "\n" not in str(raised.value)


def test_a_bad_file_in_a_folder_is_named_and_the_previous_index_stays(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_TRANSCRIPT, folder / "seed.txt")
    index_dir = tmp_path / "index"
    first = _engine(folder, index_dir).ask(QUESTION)
    live = (index_dir / CURRENT).read_text()
    listing = sorted(p.name for p in index_dir.iterdir())
    (folder / "zz-broken.txt").write_bytes("Heading\nLi Ming:\nOur café.\n".encode("utf-16"))
    with pytest.raises(CorpusError, match="zz-broken.txt: not UTF-8 text \\(UTF-16"):
        _engine(folder, index_dir).ask(QUESTION)
    assert (index_dir / CURRENT).read_text() == live  # nothing half-built, nothing replaced
    assert sorted(p.name for p in index_dir.iterdir()) == listing
    (folder / "zz-broken.txt").unlink()
    engine = _engine(folder, index_dir)
    assert engine.ask(QUESTION).to_dict() == first.to_dict()
    assert engine._embedder.calls == 1  # the question only: the previous index was used as is


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_endings_give_the_same_passages(tmp_path, newline):
    path = tmp_path / "windows.txt"
    path.write_bytes(SEED_TEXT.replace("\n", newline).encode("utf-8"))
    plain, other = load_corpus(SEED_TRANSCRIPT), load_corpus(path)
    assert [p.text for p in other.passages] == [p.text for p in plain.passages]
    assert [(p.speaker, p.role) for p in other.passages] == [(p.speaker, p.role) for p in plain.passages]
    text = document_text(path)
    assert all(text[p.start : p.end] == p.text for p in other.passages)
    answer = _engine(path, tmp_path / "index").ask(QUESTION)
    assert answer.citations and citations_valid(answer)


def test_utf8_bom_is_not_part_of_the_title(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SEED_TEXT.encode("utf-8"))
    loaded = load_corpus(path)
    assert loaded.documents[0].title == load_corpus(SEED_TRANSCRIPT).documents[0].title
    assert all(document_text(path)[p.start : p.end] == p.text for p in loaded.passages)


def test_a_transcript_without_speaker_lines_is_indexed_and_answered(tmp_path):
    path = tmp_path / "no-speakers.txt"
    path.write_text("Port briefing\n\nThe port handled 300 million tonnes of cargo in 2023.\n\n"
                    "More than 1,500 new berths were built last year.\n", encoding="utf-8")
    loaded = load_corpus(path)
    assert [p.text[:8] for p in loaded.passages] == ["The port", "More tha"]
    answer = _engine(path, tmp_path / "index").ask("How many new berths were built?")
    assert citations_valid(answer)
    assert not answer.citations or answer.citations[0].quote in document_text(path)


def test_duplicate_paragraphs_keep_their_own_ids_and_offsets(tmp_path):
    paragraph = "We built 42 berths, up 5% over 2022."
    path = tmp_path / "dup.txt"
    path.write_text(f"Briefing\n\nLi Ming:\n\n{paragraph}\n\n{paragraph}\n\n{paragraph}\n", encoding="utf-8")
    passages = load_corpus(path).passages
    assert [p.text for p in passages] == [paragraph] * 3
    assert len({p.id for p in passages}) == 3 and len({p.start for p in passages}) == 3
    index = open_index(load_corpus(path), FakeEmbedder(), tmp_path / "index", progress=False)
    assert len(index.passage_index) == 3
    hits = _engine(path, tmp_path / "index").retrieve("How many berths?", k=3)
    assert sorted(h.passage.id for h in hits) == sorted(p.id for p in passages)


def _big_transcript(path, megabytes: float) -> None:
    lines = SEED_TEXT.split("\n")
    head, body = "\n".join(lines[:3]) + "\n", "\n".join(lines[3:]) + "\n"
    copies = int(megabytes * 1e6 / len(body.encode("utf-8"))) + 1
    path.write_text(head + body * copies, encoding="utf-8")


def test_a_50_mb_transcript_is_refused_naming_the_file_and_the_index_is_kept(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_TRANSCRIPT, folder / "seed.txt")
    index_dir = tmp_path / "index"
    _engine(folder, index_dir).load()
    live = (index_dir / CURRENT).read_text()
    _big_transcript(folder / "huge.txt", 50)
    assert (folder / "huge.txt").stat().st_size > 50e6
    with pytest.raises(CorpusError, match=r"huge.txt: 50\.\d MB, over the 20 MB limit .* split it") as raised:
        _engine(folder, index_dir).load()
    assert str(folder / "huge.txt") in str(raised.value)
    assert (index_dir / CURRENT).read_text() == live
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".tmp-")]


def test_a_large_transcript_under_the_limit_is_parsed_and_indexed(tmp_path, monkeypatch):
    """1 MB (~1,700 passages) with the fake embedder: the parser and index scale with size."""
    path = tmp_path / "large.txt"
    _big_transcript(path, 1)
    monkeypatch.setattr(corpus.loader, "MAX_FILE_BYTES", path.stat().st_size)  # exactly at the limit
    loaded = load_corpus(path)
    assert len(loaded.passages) > 1500
    index = open_index(loaded, FakeEmbedder(), tmp_path / "index", progress=False)
    assert len(index.passage_index) == len(loaded.passages)
    assert index.sentence_vectors.shape[0] == sum(len(p.sentences) for p in loaded.passages)
    monkeypatch.setattr(corpus.loader, "MAX_FILE_BYTES", path.stat().st_size - 1)
    with pytest.raises(CorpusError, match="large.txt"):
        load_corpus(path)
