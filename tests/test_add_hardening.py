"""`qa add` creates files exclusively (issue 17, item 6): concurrent adds of the same name both
land, a file already in the corpus is never replaced, titles with the same slug get unique names."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from corpus import CorpusError, load_corpus
from corpus.add import add_transcript

ROUNDS = 30


def transcript(tmp_path, folder: str, name: str, canals: int):
    path = tmp_path / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Talk on canals\n\nLi Ming: This year we dug {canals} canals.\n", encoding="utf-8")
    return path


def html_transcript(tmp_path, name: str, title: str, canals: int):
    path = tmp_path / "pages" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><body><h1>{title}</h1><p>April 2, 2024</p>"
                    f"<p><strong>Li Ming:</strong> We dug {canals} canals.</p></body></html>", encoding="utf-8")
    return path


def contents(folder) -> list[bytes]:
    return sorted(p.read_bytes() for p in folder.iterdir())


def test_two_concurrent_adds_of_the_same_name_keep_both(tmp_path):
    first, second = transcript(tmp_path, "a", "talk.txt", 1), transcript(tmp_path, "b", "talk.txt", 2)
    for round_number in range(ROUNDS):
        corpus_dir = tmp_path / f"corpus-{round_number}"
        start = threading.Barrier(2, timeout=30)

        def add(source, start=start, corpus_dir=corpus_dir):
            start.wait()  # both adds begin together
            return add_transcript(str(source), corpus_dir)

        with ThreadPoolExecutor(2) as pool:
            added = [job.result(timeout=60) for job in [pool.submit(add, first), pool.submit(add, second)]]
        assert contents(corpus_dir) == sorted([first.read_bytes(), second.read_bytes()]), f"round {round_number}"
        assert sorted(a.path.name for a in added) == ["talk-2.txt", "talk.txt"]
        assert {a.path.read_bytes() for a in added} == {first.read_bytes(), second.read_bytes()}


def test_a_file_already_there_is_never_replaced(tmp_path):
    corpus_dir = tmp_path / "corpus"
    kept = transcript(tmp_path, "corpus", "talk.txt", 7).read_bytes()
    added = add_transcript(str(transcript(tmp_path, "new", "talk.txt", 8)), corpus_dir)
    assert added.path == corpus_dir / "talk-2.txt" and added.document.id == "talk-2"
    assert (corpus_dir / "talk.txt").read_bytes() == kept
    with pytest.raises(CorpusError, match=r"talk-2\.txt is already in the corpus \(same content\)"):
        add_transcript(str(transcript(tmp_path, "again", "talk.txt", 8)), corpus_dir)
    assert sorted(p.name for p in corpus_dir.iterdir()) == ["talk-2.txt", "talk.txt"]
    assert len(load_corpus(corpus_dir).documents) == 2


def test_titles_with_the_same_slug_on_the_same_day_get_unique_names(tmp_path):
    corpus_dir = tmp_path / "corpus"
    water = add_transcript(str(html_transcript(tmp_path, "water.html", "水资源新闻发布会", 3)), corpus_dir)
    floods = add_transcript(str(html_transcript(tmp_path, "floods.html", "防汛新闻发布会", 4)), corpus_dir)
    assert (water.path.name, floods.path.name) == ("2024-04-02_transcript.md", "2024-04-02_transcript-2.md")
    titles = sorted(d.title for d in load_corpus(corpus_dir).documents)
    assert titles == sorted(["水资源新闻发布会", "防汛新闻发布会"])


def test_without_hard_links_creation_is_still_exclusive(tmp_path, monkeypatch):
    def no_links(*args, **kwargs):
        raise PermissionError("this file system has no hard links")

    monkeypatch.setattr(os, "link", no_links)
    corpus_dir = tmp_path / "corpus"
    sources = [transcript(tmp_path, "a", "talk.txt", 1), transcript(tmp_path, "b", "talk.txt", 2)]
    added = [add_transcript(str(source), corpus_dir) for source in sources]
    assert [a.path.name for a in added] == ["talk.txt", "talk-2.txt"]
    assert contents(corpus_dir) == sorted(source.read_bytes() for source in sources)
