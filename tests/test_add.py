"""`qa add`: from a file or a locally served paginated page; safe failures add nothing."""

from __future__ import annotations

import functools
import shutil
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from corpus import CorpusError, load_corpus
from corpus.add import add_transcript
from corpus.fetch import FetchError
from qa.cli import main
from tests.conftest import FIXTURES, FakeEmbedder, serving

MULTIDOC = FIXTURES / "multidoc"
FIRST = "2022-05-17_water-security-briefing.html"
SECOND = "2022-05-17_water-security-briefing_2.html"


class _Handler(SimpleHTTPRequestHandler):
    """Static files, plus /slow (answers late) and /big (a page over any small limit)."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/big":
            body = b"<html><body>" + b"<p>filler text</p>" * 2000 + b"</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, *args):  # keep pytest output clean
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a client that timed out is expected here
        pass


@pytest.fixture
def site(tmp_path):
    """The fixture pages served on 127.0.0.1 at a free port; stopped after the test."""
    root = tmp_path / "site"
    shutil.copytree(MULTIDOC, root / "press")
    (root / "press" / "elsewhere.html").write_text(
        "<html><body><h1>Talk on canals</h1><p>April 2, 2024</p><p><strong>Li Ming:</strong> We dug 8 canals.</p>"
        "<div class='pages'><a href='http://localhost:1/press/x_2.html'>2</a></div></body></html>",
        encoding="utf-8")
    with serving(functools.partial(_Handler, directory=str(root)), _Server) as url:
        yield url


def _files(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_url_with_two_pages_becomes_one_document(site, tmp_path):
    corpus_dir = tmp_path / "corpus"
    added = add_transcript(f"{site}/press/{FIRST}", corpus_dir)
    assert added.pages == 2 and added.path.suffix == ".md" and _files(corpus_dir) == [added.path.name]
    assert added.path.name.startswith("2022-05-17_")
    corpus = load_corpus(corpus_dir)
    assert len(corpus.documents) == 1
    document = corpus.documents[0]
    assert document.title == "Water Resources Office holds press conference on water security"
    assert document.date == "2022-05-17"
    assert f"source: {site}/press/{FIRST}" in added.path.read_text(encoding="utf-8")
    speakers = [p.speaker for p in corpus.passages]
    assert speakers.index("Ou Jianming") < speakers.index("Sun Peilin")  # page 1 before page 2
    assert any("2,100 kilometres of river embankments" in p.text for p in corpus.passages)  # from page 2
    raw = added.path.read_text(encoding="utf-8")
    assert all(raw[p.start : p.end] == p.text for p in corpus.passages)


def test_local_html_txt_and_md_files(tmp_path):
    corpus_dir = tmp_path / "corpus"
    from_html = add_transcript(str(MULTIDOC / FIRST), corpus_dir)
    assert from_html.pages == 2 and from_html.passages == 8
    add_transcript(str(MULTIDOC / "2021-04-12_river-basin-water-briefing.txt"), corpus_dir)
    add_transcript(str(MULTIDOC / "2023-06-08_groundwater-recovery-briefing.md"), corpus_dir)
    assert len(load_corpus(corpus_dir).documents) == 3
    with pytest.raises(CorpusError, match="already in the corpus"):
        add_transcript(str(MULTIDOC / "2021-04-12_river-basin-water-briefing.txt"), corpus_dir)


@pytest.mark.parametrize("path, message", [
    ("/press/missing.html", "404"),
    ("/press/2021-04-12_river-basin-water-briefing.txt", "not an HTML page"),
    ("/big", "limit"),
])
def test_failures_are_clear_and_add_nothing(site, tmp_path, path, message):
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    with pytest.raises(FetchError, match=message):
        add_transcript(f"{site}{path}", corpus_dir, max_bytes=10_000)
    assert _files(corpus_dir) == []


def test_timeout_and_bad_scheme(site, tmp_path):
    with pytest.raises(FetchError, match="timed out"):
        add_transcript(f"{site}/slow", tmp_path / "c", timeout=0.3)
    with pytest.raises(FetchError, match="http"):
        add_transcript("ftp://127.0.0.1/press.html", tmp_path / "c")
    assert _files(tmp_path / "c") == []


def test_links_to_another_host_are_not_followed(site, tmp_path):
    added = add_transcript(f"{site}/press/elsewhere.html", tmp_path / "c")
    assert added.pages == 1 and added.passages == 1


def test_a_file_that_is_no_transcript_is_refused_and_nothing_is_left(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    corpus_dir = tmp_path / "corpus"
    with pytest.raises(CorpusError, match="no paragraphs") as raised:
        add_transcript(str(empty), corpus_dir)
    assert str(raised.value).startswith(str(empty)) and ".adding-" not in str(raised.value)
    assert _files(corpus_dir) == []  # no temporary file left behind either
    pdf = tmp_path / "slides.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(CorpusError, match="not a transcript file"):
        add_transcript(str(pdf), corpus_dir)
    with pytest.raises(CorpusError, match="no such file"):
        add_transcript(str(tmp_path / "missing.txt"), corpus_dir)


def test_cli_add_then_ask_from_the_new_document(site, tmp_path, capsys, monkeypatch):
    import index.query_encoder

    monkeypatch.setattr(index.query_encoder, "load_embedder", lambda model=None: FakeEmbedder())
    monkeypatch.setenv("TRANSCRIPT_QA_ENCODER", "sentence-transformers")  # the fake model encodes questions too
    corpus_dir, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus_dir.mkdir()
    shutil.copy(MULTIDOC / "2021-04-12_river-basin-water-briefing.txt", corpus_dir / "a.txt")
    assert main(["index", "--corpus", str(corpus_dir), "--index-dir", str(index_dir)]) == 0
    capsys.readouterr()
    code = main(["add", f"{site}/press/{FIRST}", "--corpus", str(corpus_dir), "--index-dir", str(index_dir)])
    out = capsys.readouterr().out
    assert code == 0 and "2 pages" in out and "index ready" in out
    assert "2 document(s)" in out and "embedded 1 document(s), reused 1" in out
    code = main(["add", "ftp://example.org/x", "--corpus", str(corpus_dir), "--no-index"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("qa: error:") and "Traceback" not in err and len(err.splitlines()) == 1
