"""The corpus loader against hostile folders: links, deep trees, huge files and lines, bad
names, terminal escapes; and the fingerprint that reads no transcript byte (`qa index --verify`
checks content)."""

from __future__ import annotations

import builtins
import io
import logging
import os
import pathlib
import shutil

import pytest

import qa.cli
from corpus import CorpusError, load_corpus, transcript_files
from corpus.loader import MAX_DEPTH, content_fingerprint, document_text, fingerprint
from corpus.safe_text import printable
from corpus.sentences import MAX_PARAGRAPH_CHARS, MAX_SENTENCE_CHARS
from index import open_index, open_saved
from index.store import CURRENT
from qa import QA
from tests.conftest import SEED_TRANSCRIPT, FakeEmbedder

SEED_TEXT = SEED_TRANSCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def reads(monkeypatch):
    """Every path opened through `open`, `io.open` or `Path.open` (read_text, read_bytes); opening
    a path in `reads.forbidden` fails at once (the old loader would read a 4 GB file whole)."""
    opened: list[str] = []
    opened_forbidden: set[str] = set()
    real_open, real_path_open = builtins.open, pathlib.Path.open

    def check(target) -> None:
        name = os.fsdecode(target) if isinstance(target, (str, bytes, os.PathLike)) else ""
        opened.append(name)
        if name in opened_forbidden:
            raise AssertionError(f"{name} was opened")

    def spy_open(file, *args, **kwargs):
        check(file)
        return real_open(file, *args, **kwargs)

    def spy_path_open(self, *args, **kwargs):
        check(self)
        return real_path_open(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    monkeypatch.setattr(pathlib.Path, "open", spy_path_open)
    spy_open.opened, spy_open.forbidden = opened, opened_forbidden
    return spy_open


def _engine(corpus_path, index_dir) -> QA:
    return QA(corpus=corpus_path, index_dir=index_dir, embedder=FakeEmbedder(), progress=False)


# --- symbolic links -------------------------------------------------------------------------


def test_symlinked_file_and_folder_inside_a_corpus_are_skipped_with_a_note(corpus_dir, tmp_path, caplog):
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(SEED_TRANSCRIPT, outside / "elsewhere.txt")
    (corpus_dir / "passwd.txt").symlink_to("/etc/passwd")
    (corpus_dir / "linked").symlink_to(outside, target_is_directory=True)
    with caplog.at_level(logging.WARNING, logger="corpus.loader"):
        assert transcript_files(corpus_dir) == [corpus_dir / "seed.txt"]
        loaded = load_corpus(corpus_dir)
    assert [d.source for d in loaded.documents] == [str(corpus_dir / "seed.txt")]
    assert not any("root:" in p.text for p in loaded.passages)
    notes = [r.getMessage() for r in caplog.records if "symbolic link" in r.getMessage()]
    assert any(str(corpus_dir / "passwd.txt") in note for note in notes)
    assert any(str(corpus_dir / "linked") in note for note in notes)
    assert all("\n" not in note for note in notes)


def test_a_corpus_path_that_is_itself_a_link_is_followed(corpus_dir, tmp_path):
    """The user chose that path: a link to a folder or to a file is read."""
    (tmp_path / "folder-link").symlink_to(corpus_dir, target_is_directory=True)
    (tmp_path / "file-link.txt").symlink_to(corpus_dir / "seed.txt")
    assert [f.name for f in transcript_files(tmp_path / "folder-link")] == ["seed.txt"]
    assert len(load_corpus(tmp_path / "file-link.txt").documents) == 1


# --- deep folders ---------------------------------------------------------------------------


@pytest.fixture
def deep_tree(tmp_path):
    """corpus/d/d/.../d, 1,200 levels (2,400 characters of path, under PATH_MAX), with a
    transcript at depth 1, at depth MAX_DEPTH (kept), at MAX_DEPTH + 1 and at the bottom
    (skipped). Removed level by level afterwards: shutil.rmtree itself recurses."""
    root = tmp_path / "corpus"
    root.mkdir()
    levels = [root]
    for _ in range(1200):
        levels.append(levels[-1] / "d")
        os.mkdir(levels[-1])
    for depth in (1, MAX_DEPTH, MAX_DEPTH + 1, 1200):
        shutil.copy(SEED_TRANSCRIPT, levels[depth] / f"depth-{depth}.txt")
    yield root, levels
    for folder in reversed(levels[1:]):
        for file in folder.iterdir():
            if file.is_file():
                file.unlink()
        folder.rmdir()


def test_a_folder_nested_1200_deep_is_cut_at_the_depth_limit_without_recursion_error(deep_tree, caplog):
    root, levels = deep_tree
    with caplog.at_level(logging.WARNING, logger="corpus.loader"):
        files = transcript_files(root)
    assert sorted(f.name for f in files) == ["depth-1.txt", f"depth-{MAX_DEPTH}.txt"]
    notes = [r.getMessage() for r in caplog.records if f"more than {MAX_DEPTH} levels" in r.getMessage()]
    assert len(notes) == 1 and str(levels[MAX_DEPTH + 1]) in notes[0]
    assert len(load_corpus(root).documents) == 2


# --- sizes before reading -------------------------------------------------------------------


def test_a_4_gb_sparse_file_is_refused_by_name_without_reading_it(corpus_dir, tmp_path, reads):
    huge = corpus_dir / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(4 * 2**30)  # sparse: no disk used
    reads.opened.clear()
    reads.forbidden.add(str(huge))
    files = transcript_files(corpus_dir)
    message = r"huge\.txt: 4295\.0 MB, over the 20 MB limit for one transcript; split it"
    for attempt in (lambda: fingerprint(files), lambda: content_fingerprint(files), lambda: load_corpus(corpus_dir),
                    lambda: _engine(corpus_dir, tmp_path / "index").load()):
        with pytest.raises(CorpusError, match=message) as raised:
            attempt()
        assert str(huge) in str(raised.value)
    assert str(huge) not in reads.opened
    assert str(corpus_dir / "seed.txt") not in reads.opened  # every size is checked before any byte is read


def test_a_2_mb_single_line_paragraph_is_cut_with_a_note_and_bounded(tmp_path, caplog):
    """A 2 MB line of "1.5% " once took minutes (2,013 sentences, 400,007 figures, and place_in_time
    quadratic in them); the paragraph is now cut at MAX_PARAGRAPH_CHARS."""
    head = "\n".join(SEED_TEXT.split("\n")[:12]) + "\n"
    path = tmp_path / "one-line.txt"
    path.write_text(head + "1.5% " * 400_000 + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="corpus.transcript"):
        loaded = load_corpus(path)
    long_passage = max(loaded.passages, key=lambda p: len(p.text))
    assert MAX_PARAGRAPH_CHARS - 5 <= len(long_passage.text) <= MAX_PARAGRAPH_CHARS
    assert sum(len(p.sentences) for p in loaded.passages) <= 100
    assert sum(len(p.figures) for p in loaded.passages) <= MAX_PARAGRAPH_CHARS // 5 + 100
    note = next(r.getMessage() for r in caplog.records if "over the 20,000 limit" in r.getMessage())
    assert str(path) in note and f"paragraph {long_passage.paragraph_no} is 1,999,999 characters" in note
    _assert_offsets_hold(loaded)
    index = open_index(loaded, FakeEmbedder(), tmp_path / "index", progress=False)
    assert len(index.passage_index) == len(loaded.passages)


def _assert_offsets_hold(loaded) -> None:
    for document in loaded.documents:
        source_text = document_text(document.source)
        assert source_text == document.text
        for passage in (p for p in loaded.passages if p.doc_id == document.id):
            assert document.text[passage.start : passage.end] == passage.text
            for part in (*passage.sentences, *passage.figures):
                assert passage.start <= part.start <= part.end <= passage.end
                assert document.text[part.start : part.end] == part.text
            assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in passage.sentences)


def test_a_long_question_paragraph_is_cut_in_its_answers_context_too(tmp_path):
    """The question's text is copied into every answer passage: it is capped as well."""
    text = SEED_TEXT.replace("Thank you for your questions.", "Thank you.", 1)
    first_question = text.split("\n\n")[2]
    text = text.replace(first_question, first_question + " Also:" + " and more" * 10_000, 1)
    path = tmp_path / "long-question.txt"
    path.write_text(text, encoding="utf-8")
    loaded = load_corpus(path)
    contexts = [p.question_context for p in loaded.passages if p.question_context]
    assert contexts and max(map(len, contexts)) <= MAX_PARAGRAPH_CHARS
    _assert_offsets_hold(loaded)


# --- names that are not UTF-8 ---------------------------------------------------------------


def test_a_file_or_folder_name_that_is_not_utf8_is_skipped_with_an_escaped_note(corpus_dir, caplog):
    bad_file = os.path.join(os.fsencode(corpus_dir), b"bad\xff.txt")
    bad_folder = os.path.join(os.fsencode(corpus_dir), b"dir\xfe")
    os.mkdir(bad_folder)
    for target in (bad_file, os.path.join(bad_folder, b"inside.txt")):
        with open(target, "wb") as handle:
            handle.write(SEED_TRANSCRIPT.read_bytes())
    with caplog.at_level(logging.WARNING, logger="corpus.loader"):
        loaded = load_corpus(corpus_dir)
    assert [d.source for d in loaded.documents] == [str(corpus_dir / "seed.txt")]
    notes = " ".join(r.getMessage() for r in caplog.records)
    assert f"{corpus_dir}/bad\\xff.txt: its name is not valid UTF-8" in notes
    assert f"{corpus_dir}/dir\\xfe: its name is not valid UTF-8" in notes
    assert "\udcff" not in notes and "\udcfe" not in notes
    index = open_index(loaded, FakeEmbedder(), corpus_dir.parent / "index", progress=False)
    assert len(index.passage_index) == len(loaded.passages)


def test_a_corpus_path_that_is_not_utf8_is_an_error_naming_it(tmp_path):
    path = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"bad\xff.txt"))
    with pytest.raises(CorpusError, match=r"bad\\xff\.txt: the path is not valid UTF-8; rename it"):
        transcript_files(path)


# --- terminal output ------------------------------------------------------------------------


def test_printable_escapes_control_bidi_and_undecodable_characters():
    assert printable("a\x1b[2K\rqa: index ready\x07") == "a\\x1b[2K\\x0dqa: index ready\\x07"
    assert printable("\x9b31m \u202etxt.exe \x00") == "\\x9b31m \\u202etxt.exe \\x00"
    assert printable(os.fsdecode(b"bad\xff.txt")) == "bad\\xff.txt"
    assert printable("line one\n\tline two\r", multiline=True) == "line one\n\tline two\\x0d"
    assert printable("Chinese 中文, café, 51.3%") == "Chinese 中文, café, 51.3%"


def test_a_crafted_corpus_name_cannot_fake_cli_output(tmp_path, capsys):
    crafted = tmp_path / "x\x1b[1A\x1b[2K\rqa: index ready\x07"
    assert qa.cli.main(["ask", "anything?", "--corpus", str(crafted), "--index-dir", str(tmp_path / "i")]) == 2
    err = capsys.readouterr().err
    assert "corpus not found" in err and "\\x1b[1A\\x1b[2K\\x0dqa: index ready\\x07" in err
    assert not any(char in err for char in "\x1b\r\x07")


def test_qa_add_prints_a_crafted_title_escaped(tmp_path, capsys):
    source = tmp_path / "crafted.txt"
    lines = SEED_TEXT.split("\n")
    lines[0] = "\x1b]0;owned\x07Briefing\x1b[2K\rqa: index ready"
    source.write_text("\n".join(lines), encoding="utf-8")
    folder = tmp_path / "corpus"
    assert qa.cli.main(["add", str(source), "--corpus", str(folder), "--no-index"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("added ") and "\\x1b]0;owned\\x07Briefing" in out
    assert not any(char in out for char in "\x1b\r\x07")


def test_cli_json_keeps_the_data_and_escapes_control_characters():
    dumped = qa.cli._json({"text": "a\x1b[2Kb \x9b 中文 \u202e"})
    assert "\x1b" not in dumped and "\x9b" not in dumped and "\u202e" not in dumped and "中文" in dumped
    import json

    assert json.loads(dumped) == {"text": "a\x1b[2Kb \x9b 中文 \u202e"}


# --- the fingerprint ------------------------------------------------------------------------


def test_the_fingerprint_reads_no_byte_and_follows_names_sizes_and_times(corpus_dir, tmp_path, reads):
    (corpus_dir / "sub").mkdir()
    shutil.copy(SEED_TRANSCRIPT, corpus_dir / "sub" / "other.txt")
    files = transcript_files(corpus_dir)
    before, content_before = fingerprint(files), content_fingerprint(files)
    reads.opened.clear()
    assert fingerprint(files) == before
    assert not reads.opened  # names, sizes and times only

    seed = corpus_dir / "seed.txt"
    stat = seed.stat()
    os.utime(seed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched: same bytes
    assert fingerprint(files) != before and content_fingerprint(files) == content_before
    os.utime(seed, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fingerprint(files) == before

    # An edit that keeps the size and the time is invisible to the cheap fingerprint only.
    seed.write_text(SEED_TEXT.replace("51.3%", "52.3%", 1), encoding="utf-8")
    os.utime(seed, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fingerprint(files) == before and content_fingerprint(files) != content_before

    # A file moved to another sub-folder is another name; the whole corpus moved is not.
    (corpus_dir / "sub" / "other.txt").rename(corpus_dir / "other.txt")
    after_move = fingerprint(transcript_files(corpus_dir))
    assert after_move != before
    moved = tmp_path / "moved"
    corpus_dir.rename(moved)
    assert fingerprint(transcript_files(moved)) == after_move
    assert load_corpus(moved).content_fingerprint == content_fingerprint(transcript_files(moved))


def test_a_start_on_unchanged_transcripts_reads_none_of_them(corpus_dir, tmp_path, reads):
    _engine(corpus_dir, tmp_path / "index").load()
    reads.opened.clear()
    engine = _engine(corpus_dir, tmp_path / "index").load()
    assert engine._embedder.calls == 0  # the saved index was used
    assert not [name for name in reads.opened if name.startswith(str(corpus_dir))]


@pytest.fixture
def fake_cli_models(monkeypatch):
    """`qa index` with the fake embedder for building and for questions (no model loaded)."""
    fake = FakeEmbedder()
    real_engine = qa.cli._engine

    def engine(args, **options):
        made = real_engine(args, **options)
        made.encoders.builder = lambda **_: fake
        made.encoders.for_questions = lambda **_: fake
        return made

    monkeypatch.setattr(qa.cli, "_engine", engine)
    return fake


def test_qa_index_verify_rebuilds_when_content_changed_with_size_and_time_kept(corpus_dir, tmp_path, capsys,
                                                                                fake_cli_models):
    index_dir = tmp_path / "index"
    command = ["index", "--corpus", str(corpus_dir), "--index-dir", str(index_dir)]
    assert qa.cli.main(command) == 0
    live = (index_dir / CURRENT).read_text()
    assert qa.cli.main([*command, "--verify"]) == 0  # nothing changed: nothing rebuilt
    assert (index_dir / CURRENT).read_text() == live and "differs" not in capsys.readouterr().err

    # The speaker renamed, same length: same size, time restored, and the same passage rows.
    assert "Han Xia" in SEED_TEXT and "Han Xie" not in SEED_TEXT
    seed = corpus_dir / "seed.txt"
    stat = seed.stat()
    seed.write_text(SEED_TEXT.replace("Han Xia", "Han Xie"), encoding="utf-8")
    os.utime(seed, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    files = transcript_files(corpus_dir)
    stale = open_saved(fingerprint(files), fake_cli_models, index_dir)  # what `qa ask` would answer from
    assert stale is not None and "Han Xia" in {p.speaker for p in stale.corpus.passages}

    assert qa.cli.main(command) == 0  # names, sizes, times and passage rows agree: the stale index stays
    assert (index_dir / CURRENT).read_text() == live
    assert qa.cli.main([*command, "--verify"]) == 0
    assert "content differs from what was indexed" in capsys.readouterr().err
    assert (index_dir / CURRENT).read_text() != live
    fresh = open_saved(fingerprint(files), fake_cli_models, index_dir)
    assert fresh is not None and "Han Xie" in {p.speaker for p in fresh.corpus.passages}
    assert "Han Xia" not in {p.speaker for p in fresh.corpus.passages}


def test_a_saved_next_page_that_is_a_symlink_is_not_read(tmp_path, caplog):
    """Pagination of saved HTML pages stays inside the corpus: a linked "page 2" is not followed."""
    from corpus.formats import parsed_pages

    secret = tmp_path / "outside" / "t1_2.html"
    secret.parent.mkdir()
    secret.write_text("<html><body><p>SECRET outside the corpus</p></body></html>", encoding="utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    first = folder / "t1.html"
    first.write_text('<html><head><title>Briefing</title></head><body><p>Page one.</p>'
                     '<a href="t1_2.html">Next</a></body></html>', encoding="utf-8")
    (folder / "t1_2.html").symlink_to(secret)
    with caplog.at_level(logging.WARNING):
        pages = parsed_pages(first)
    assert [path.name for path, _ in pages] == ["t1.html"]
    assert any("symbolic link" in r.getMessage() for r in caplog.records)
