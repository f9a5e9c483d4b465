"""The index folder on disk: versioned, checksummed, switched into place atomically.

    <index_dir>/
      CURRENT                 name of the live version folder (replaced atomically)
      .lock                   held while building, so two processes never build at once
      v-<time>-<id>/
        manifest.json         format version, model, dimension, counts, fingerprint, checksums
        passages.faiss        passage vectors (row i = passage i)
        sentences.npy         sentence vectors (row order of corpus sentences)
        figures.npy           figure-subject vectors (row order of corpus statistics)
        passage_vectors.npy   the same passage vectors, memory-mapped for scoring and reuse
        passages.jsonl        row i: passage id, offsets and text hash, to prove alignment
        bm25/                 the BM25 index
        corpus.sqlite, passage_columns.npz, terms.json
                              the parsed corpus, read back lazily (index/corpus_store.py)

A build writes a hidden temporary folder, renames it to a version folder, then replaces
CURRENT: a build killed at any point leaves the previous version complete and in use.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CURRENT = "CURRENT"
_TEMP_PREFIX = ".tmp-"
_VERSION_PREFIX = "v-"
_ALWAYS_HASHED = (".faiss",)  # verified on every load, even when size and time are unchanged
_MTIME_TICK_NS = 50_000_000  # coarser than any file-time clock tick we expect (Linux: 1-10 ms)


class IndexFormatError(RuntimeError):
    """The index on disk was written by a newer version of this tool."""


def current_version(index_dir: Path) -> Path | None:
    """The live version folder, or None when there is none."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    folder = index_dir / name
    if not name.startswith(_VERSION_PREFIX) or "/" in name or not folder.is_dir():
        return None
    return folder


def read_manifest(folder: Path) -> dict | None:
    """The manifest of a version folder, or None if missing or unreadable."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format_version"), int):
        return None
    if manifest["format_version"] > FORMAT_VERSION:
        raise IndexFormatError(
            f"the index in {folder.parent} was written by a newer transcript-qa "
            f"(format {manifest['format_version']} > {FORMAT_VERSION}); upgrade, or use "
            "another --index-dir"
        )
    return manifest


def checksums_match(folder: Path, manifest: dict) -> bool:
    """True when every file the manifest lists has its recorded SHA-256.

    Files whose size and modification time are still those recorded at publishing are not
    read (except the FAISS file, always hashed): any write to a file (a truncated copy, a
    crashed writer, an edit) changes them, and hashing every vector on each start would cost
    seconds for a large archive."""
    expected = manifest.get("checksums")
    if not isinstance(expected, dict) or not expected:
        return False
    if any(Path(name).is_absolute() or ".." in Path(name).parts for name in expected):
        logger.warning("the manifest in %s names files outside its folder", folder)
        return False  # never stat or hash a file outside the version folder
    if _stats(folder, expected) == manifest.get("stats"):
        # Except the FAISS file: FAISS trusts its input, and a flipped byte that keeps size and
        # time (disk corruption) can make it allocate gigabytes and get the process killed.
        expected = {name: digest for name, digest in expected.items() if name.endswith(_ALWAYS_HASHED)}
    for relative, digest in expected.items():
        path = folder / relative
        try:
            intact = path.is_file() and file_sha256(path) == digest
        except OSError:  # removed while we read it: a concurrent build replaced this version
            intact = False
        if not intact:
            logger.warning("index file %s is missing or corrupt", path)
            return False
    return True


def _stats(folder: Path, files: dict) -> dict[str, list[int]] | None:
    """[size, mtime_ns] of each listed file, or None when one is missing."""
    try:
        return {name: [(st := (folder / name).stat()).st_size, st.st_mtime_ns] for name in files}
    except OSError:
        return None


def _settled_stats(folder: Path, files: dict) -> dict[str, list[int]] | None:
    """The files' stats, returned only once the clock has moved past their last write, so that
    any later write gives a different mtime (the "racy clean" problem of git's index)."""
    stats = _stats(folder, files)
    if not stats or all(mtime % 1_000_000_000 == 0 for _, mtime in stats.values()):
        return None  # whole-second timestamps could hide a rewrite: always hash
    newest = max(mtime for _, mtime in stats.values())
    time.sleep(max(0.0, (newest + _MTIME_TICK_NS - time.time_ns()) / 1e9))
    return stats


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the index folder while building."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_temp_folder(index_dir: Path) -> Path:
    folder = index_dir / f"{_TEMP_PREFIX}{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    return folder


def publish(index_dir: Path, temp: Path, manifest: dict) -> Path:
    """Checksum `temp`, write its manifest, and make it the live version atomically."""
    manifest = dict(manifest, format_version=FORMAT_VERSION, checksums=_checksums(temp))
    manifest["stats"] = _settled_stats(temp, manifest["checksums"])
    _write_atomically(temp / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
    _fsync_tree(temp)
    version = index_dir / f"{_VERSION_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    os.rename(temp, version)
    _write_atomically(index_dir / CURRENT, version.name + "\n")
    _remove_stale(index_dir, keep=version)
    return version


def _checksums(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): file_sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def _write_atomically(path: Path, text: str) -> None:
    temp = path.with_name(f"{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with temp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())


def _remove_stale(index_dir: Path, keep: Path) -> None:
    """Delete old versions and leftovers of killed builds (we hold the build lock)."""
    for path in index_dir.iterdir():
        stale_version = path.name.startswith(_VERSION_PREFIX) and path != keep
        leftover = path.name.startswith(_TEMP_PREFIX) or path.name.endswith(".tmp")
        if stale_version or leftover:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
