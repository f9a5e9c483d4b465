"""Add a transcript to a corpus folder, from a file or from a web address.

A `.txt` or `.md` file is copied as it is. An HTML page (a saved file, or a URL whose
pagination is followed) becomes one Markdown transcript holding every page in order, with
its title, date and address in the front matter. The new file is written under a hidden
temporary name, parsed, and only then linked into place under a name no other file has (an
exclusive creation: a transcript already there, or added at the same moment, is never
replaced; a different one with the same name gets `-2`, `-3`, ...). A failure adds nothing.
"""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from corpus import html
from corpus.formats import HTML_SUFFIXES, parsed_pages
from corpus.loader import BUNDLED_CORPUS, TRANSCRIPT_SUFFIXES, CorpusError, load_corpus, read_errors
from corpus.models import Document

# A transcript whose name is taken by another file gets `-2`, `-3`, ... up to this many.
MAX_SAME_NAME = 100


@dataclass(frozen=True)
class Added:
    """What `add_transcript` did."""

    path: Path  # the new file in the corpus folder
    document: Document
    passages: int
    pages: int  # HTML pages merged into the document (1 for a text file)


def is_url(source: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source.strip()))


def add_transcript(source: str, corpus_dir: str | Path, **fetch_options) -> Added:
    """Add the transcript at `source` (a file path or an http(s) URL) to `corpus_dir`.

    Raises:
        CorpusError: the source cannot be read or fetched, is not a transcript, or the
            same content is already in the corpus under its name.
    """
    folder = Path(corpus_dir).expanduser()
    if in_package(folder):  # an upgrade or reinstall would lose it, and the install may be read-only
        raise CorpusError(f"{folder} is the installed package's own transcript folder, which is never written; "
                          "leave out --corpus to add to your own transcripts folder, or give another folder")
    if folder.exists() and not folder.is_dir():
        raise CorpusError(f"{folder} is a file; give --corpus a folder to add transcripts to")
    if is_url(source):
        from corpus.fetch import fetch_pages

        fetched = fetch_pages(source, **fetch_options)
        pages = [f.page for f in fetched]
        name, content = _markdown_for(pages, fetched[0].url)
    else:
        path = Path(source).expanduser()
        if not path.is_file():
            raise CorpusError(f"{path}: no such file (give a transcript file or an http(s) URL)")
        suffix = path.suffix.lower()
        if suffix not in TRANSCRIPT_SUFFIXES:
            raise CorpusError(f"{path}: not a transcript file; use one of {', '.join(TRANSCRIPT_SUFFIXES)}")
        if suffix in HTML_SUFFIXES:
            with read_errors(path):
                pages = [page for _, page in parsed_pages(path)]
            name, content = _markdown_for(pages, str(path.resolve()))
        else:
            pages = []
            with read_errors(path):
                name, content = path.name, path.read_bytes()
    return _install(folder, name, content, pages=max(len(pages), 1), source_name=source)


def in_package(path: str | Path) -> bool:
    """Whether `path` is the bundled transcript folder or inside it."""
    return Path(path).expanduser().resolve().is_relative_to(BUNDLED_CORPUS.resolve())


def markdown_transcript(pages: list[html.Page], source: str) -> str:
    """The pages of one transcript as a Markdown transcript (front matter, heading, labels)."""
    first = pages[0]
    front = ["---", f"title: {_one_line(first.title)}"]
    if first.date:
        front.append(f"date: {first.date}")
    front += [f"source: {_one_line(source)}", "---", ""]
    lines = [*front, f"# {_one_line(first.title)}", ""]
    for block in html.body_blocks(pages):
        lines += [f"**{block}**" if html.is_label(block) else block, ""]
    return "\n".join(lines)


def _markdown_for(pages: list[html.Page], source: str) -> tuple[str, bytes]:
    first = pages[0]
    stem = "_".join(part for part in (first.date, _slug(first.title)) if part)
    return f"{stem}.md", markdown_transcript(pages, source).encode("utf-8")


def _install(folder: Path, name: str, content: bytes, *, pages: int, source_name: str) -> Added:
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f".adding-{uuid.uuid4().hex[:8]}{Path(name).suffix}"
    try:
        with temp.open("xb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            corpus = load_corpus(temp)  # refuses a file with no paragraphs, bad encoding, ...
        except CorpusError as error:  # name the file being added, not the temporary one
            raise CorpusError(str(error).replace(str(temp), source_name)) from None
        target = _place(temp, folder / name, content)
    finally:
        temp.unlink(missing_ok=True)
    document = replace(corpus.documents[0], id=target.stem, source=str(target))
    return Added(target, document, len(corpus.passages), pages)


def _place(temp: Path, wanted: Path, content: bytes) -> Path:
    """Give the checked temporary file its name: `wanted`, or when a file with other content has
    that name (another transcript, or one being added at the same moment), `wanted-2`, `-3`, ...
    Creation is exclusive, so no file is ever replaced."""
    for number in range(1, MAX_SAME_NAME + 1):
        target = wanted if number == 1 else wanted.with_name(f"{wanted.stem}-{number}{wanted.suffix}")
        try:
            _create_exclusive(temp, target, content)
            return target
        except FileExistsError:
            if _holds(target, content):
                raise CorpusError(f"{target} is already in the corpus (same content); nothing to add") from None
    raise CorpusError(f"{wanted}: {MAX_SAME_NAME} files of that name are already in the corpus; "
                      "rename the transcript before adding it")


def _create_exclusive(temp: Path, target: Path, content: bytes) -> None:
    """Create `target` with `content`, or raise FileExistsError. A hard link of the complete
    temporary file is atomic; where the file system has no hard links, an exclusive create."""
    try:
        os.link(temp, target)
        return
    except FileExistsError:
        raise
    except OSError:  # no hard links here (FAT, some network shares): create the file exclusively
        pass
    try:
        with target.open("xb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    except FileExistsError:
        raise
    except BaseException:
        target.unlink(missing_ok=True)  # never leave half a transcript behind
        raise


def _holds(path: Path, content: bytes) -> bool:
    """Whether the file at `path` has exactly `content` (its size is compared before reading it)."""
    try:
        return path.is_file() and path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def _slug(title: str, limit: int = 60) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:limit].rstrip("-") or "transcript"


def _one_line(text: str) -> str:
    return " ".join(text.split())
