"""The `qa` command: one thin parser over the library (also `python -m qa`)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.safe_text import printable, printable_json
from qa.config import DEFAULT_K, MAX_K

if TYPE_CHECKING:  # imported when used: `qa --help` stays quick
    import numpy as np

    from corpus import Corpus
    from corpus.models import DocumentInfo
    from index import Embedder
    from qa.engine import QA

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa", description="Ask questions of press-conference transcripts; answers cite exact figures."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is happening")
    commands = parser.add_subparsers(dest="command", required=True)

    def corpus_options(sub: argparse.ArgumentParser,
                       corpus_help: str = "transcript file or folder (default: the bundled transcript)") -> None:
        sub.add_argument("--corpus", help=corpus_help)
        sub.add_argument("--index-dir", help="index folder (default: a per-user cache folder)")
        sub.add_argument("--model", help="sentence-transformers model folder (default: all-MiniLM-L6-v2)")
        sub.add_argument("--weights", help="fitted weights file from `qa fit` (default: the shipped one)")

    ask = commands.add_parser("ask", help="answer one question")
    ask.add_argument("question", help="the question, in quotes")
    ask.add_argument("--json", action="store_true", help="print the whole answer as JSON")
    ask.add_argument("-k", type=int, default=DEFAULT_K,
                     help=f"passages to retrieve, 1 to {MAX_K} (default {DEFAULT_K})")
    ask.add_argument("--speaker", help="only what this speaker said (a name or part of one)")
    ask.add_argument("--document", help="only this document (its file name, id or part of its title)")
    ask.add_argument("--date-from", help="only documents dated on or after this day (YYYY-MM-DD)")
    ask.add_argument("--date-to", help="only documents dated on or before this day (YYYY-MM-DD)")
    corpus_options(ask)

    index = commands.add_parser("index", help="build the index now (it is also built on first use)")
    index.add_argument("--rebuild", action="store_true", help="rebuild even if the index is current")
    index.add_argument("--verify", action="store_true",
                       help="also compare the transcripts' content with what was indexed (by default only "
                            "their names, sizes and times are) and rebuild if it differs")
    corpus_options(index)

    evaluate = commands.add_parser("eval", help="run a QA evaluation set")
    evaluate.add_argument("--set", dest="set_path",
                          help="evaluation file (JSON Lines) or a folder of them (default: the bundled set)")
    evaluate.add_argument("--split", default="all", choices=["dev", "heldout", "all"])
    evaluate.add_argument("--retriever", default="hybrid", choices=["hybrid", "dense", "bm25"])
    evaluate.add_argument("--compare", action="store_true", help="run bm25, dense and hybrid, side by side")
    evaluate.add_argument("--failures", action="store_true", help="also list every miss: question, expected, got")
    evaluate.add_argument("--json", action="store_true", help="print the metrics as JSON")
    evaluate.add_argument("--markdown", action="store_true",
                          help="print the README's table (each split the set has; with --compare, each retriever)")
    corpus_options(evaluate)

    fit = commands.add_parser("fit", help="fit the answerer's weights on labelled questions (needs the [fit] extra)")
    fit.add_argument("--set", dest="sets", nargs="+", required=True, help="evaluation files (JSON Lines)")
    fit.add_argument("--corpus", dest="corpora", nargs="+", required=True,
                     help="the corpus of each set, in the same order (one corpus: for every set)")
    fit.add_argument("--split", default="dev", choices=["dev", "heldout", "all"],
                     help="the questions fitted on (default: dev; never fit on what you report as held out)")
    fit.add_argument("--output", default="weights.json", help="where to write the weights (default: ./weights.json)")
    fit.add_argument("--index-dir", help="index folder root (default: a per-user cache folder per corpus)")
    fit.add_argument("--model", help="sentence-transformers model folder (default: all-MiniLM-L6-v2)")
    fit.add_argument("--json", action="store_true", help="print the cross-validated metrics as JSON")

    add = commands.add_parser("add", help="add a transcript (file or http(s) URL) to your transcripts folder "
                                           "or a corpus folder")
    add.add_argument("source", help="a .txt/.md/.html file, or the URL of a transcript's first page")
    add.add_argument("--no-index", action="store_true", help="only add the file; update the index later")
    corpus_options(add, "folder to add to (default: $TRANSCRIPT_QA_CORPUS, else your transcripts folder in the "
                        "per-user data folder; never the package's)")

    def listing_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--corpus", help="transcript file or folder (default: the bundled transcript and yours)")
        sub.add_argument("--index-dir", help="index folder, read when current (default: a per-user cache folder)")
        sub.add_argument("--model", help="the model the index was built with (default: all-MiniLM-L6-v2)")

    listing = commands.add_parser("list", help="list the documents of a corpus")
    listing.add_argument("--json", action="store_true", help="print the documents as JSON")
    listing_options(listing)

    remove = commands.add_parser("remove", help="take a document out of a corpus (its file goes to the trash)")
    remove.add_argument("id", help="the document's id, as `qa list` shows it")
    listing_options(remove)

    def filter_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--speaker", help="only what this speaker said (a name or part of one)")
        sub.add_argument("--document", help="only this document (its file name, id or part of its title)")
        sub.add_argument("--date-from", help="only documents dated on or after this day (YYYY-MM-DD)")
        sub.add_argument("--date-to", help="only documents dated on or before this day (YYYY-MM-DD)")

    def output_options(sub: argparse.ArgumentParser) -> None:
        shown = sub.add_mutually_exclusive_group()
        shown.add_argument("--csv", action="store_true", help="every column as CSV (spreadsheet-ready)")
        shown.add_argument("--json", action="store_true", help="every column as JSON")

    figures = commands.add_parser("figures", help="every statistic of the corpus, as a table, CSV or JSON")
    figures.add_argument("--kind", action="append", default=[],
                         help="only this kind (percent, percentage_points, money, count, multiple, number); "
                              "repeat for several")
    figures.add_argument("--query", help="rank the figures by how well their subject matches this text")
    filter_options(figures)
    output_options(figures)
    corpus_options(figures)

    trend = commands.add_parser("trend", help="one measure across briefings, in order, with computed changes")
    trend.add_argument("measure", help='what is measured, in quotes: "unemployment rate"')
    trend.add_argument("--questions", action="store_true", help="also figures stated in reporters' questions")
    filter_options(trend)
    output_options(trend)
    corpus_options(trend)

    bench = commands.add_parser("bench", help="measure speed and memory (not part of the tests)")
    bench.add_argument("--scale", default="", help="comma-separated archive sizes, e.g. 10000,100000,1000000")
    bench.add_argument("--qa-scale", default="",
                       help="comma-separated archive sizes for the whole answerer (QA.ask), e.g. 100000")
    bench.add_argument("--no-app", action="store_true", help="skip the bundled-corpus measurements")
    bench.add_argument("--rounds", type=int, default=3, help="rounds over the question list (default 3)")
    bench.add_argument("--cold-repeats", type=int, default=5, help="fresh processes per cold start (default 5)")
    bench.add_argument("--questions", type=int, help="use only the first N questions")
    bench.add_argument("--embed-sample", type=int, default=512, help="passages embedded for throughput")
    bench.add_argument("--output", default="qa-bench.json", help="save the JSON here (default: ./qa-bench.json)")
    bench.add_argument("--json", action="store_true", help="print the JSON instead of the table")
    bench.add_argument("--corpus", help="transcript file or folder (default: the bundled transcript)")
    bench.add_argument("--threads", type=int, help="cap the math libraries' threads (default: their own)")

    serve = commands.add_parser("serve", help="start the chat page")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=7860)
    serve.add_argument("--share", action="store_true", help="ask Gradio for a public share link")
    serve.add_argument("--allow-host", action="append", default=[],
                       help="also answer requests for this host name (behind a proxy); repeatable")
    corpus_options(serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from corpus import CorpusError
    from index import IndexFormatError, ModelError
    from qa.eval import EvalSetError

    try:
        return _COMMANDS[args.command](args)
    except BrokenPipeError:  # the reader went away (`qa ask ... | head`): nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (ValueError, CorpusError, EvalSetError) as error:
        print(f"qa: error: {printable(error)}", file=sys.stderr)
        return EXIT_USAGE
    except (ModelError, IndexFormatError, OSError) as error:
        print(f"qa: error: {printable(error)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _engine(args: argparse.Namespace, **options):
    from qa.engine import QA

    return QA(corpus=args.corpus, index_dir=args.index_dir, model=args.model,
              weights=getattr(args, "weights", None), **options)


def _ask(args: argparse.Namespace) -> int:
    answer = _engine(args).ask(args.question, k=args.k, speaker=args.speaker, document=args.document,
                               date_from=args.date_from, date_to=args.date_to)  # checks input before loading
    print(_json(answer.to_dict()) if args.json else printable(answer.text, multiline=True))
    return EXIT_OK


def _index(args: argparse.Namespace) -> int:
    _open_index(args, rebuild=args.rebuild, verify=args.verify)
    return EXIT_OK


def _open_index(args: argparse.Namespace, *, rebuild: bool, verify: bool = False):
    """Build (or load) the index and say where it is; `qa add` reads what its build did."""
    from corpus import load_corpus
    from index import open_index

    engine = _engine(args)
    corpus = load_corpus(engine.corpus_path)
    builder = engine.encoders.builder()
    if verify and not rebuild and not _indexed_content_matches(corpus, builder, engine.index_dir):
        print("the transcripts' content differs from what was indexed (names, sizes and times are the same); "
              "rebuilding", file=sys.stderr)
        rebuild = True
    index = open_index(corpus, builder, engine.index_dir, rebuild=rebuild)
    encoder = engine.encoders.for_questions(progress=True)  # the ONNX question encoder, made and checked once
    counts = f"{len(corpus.documents)} document(s), {len(corpus.passages)} passages"
    counts += ", questions encoded with " + ("ONNX" if type(encoder).__name__ == "OnnxEmbedder"
                                             else "sentence-transformers")
    print(f"index ready: {printable(index.folder)} ({counts})")
    return index


def _indexed_content_matches(corpus, embedder, index_dir: Path) -> bool:
    """False when the live index was built from transcripts with these names, sizes and times
    (so `qa ask` trusts it) but other content: an edit that kept both, a restored backup."""
    from index import open_saved
    from index.store import read_manifest

    saved = open_saved(corpus.fingerprint, embedder, index_dir)
    if saved is None:
        return True  # no index for these names, sizes and times: opening builds one anyway
    recorded = (read_manifest(saved.folder) or {}).get("content_fingerprint")
    if recorded is not None:
        return recorded == corpus.content_fingerprint
    # An index that records no content hash: compare the documents it saved with those read now
    # (passages are parsed from a document alone, by the parser version the fingerprint covers).
    return len(saved.corpus.documents) == len(corpus.documents) and all(
        stored == current for stored, current in zip(saved.corpus.documents, corpus.documents))


def _eval(args: argparse.Namespace) -> int:
    from qa import eval_report
    from qa.eval import BUNDLED_SET, COMPARED_MODES, load_set, set_files

    set_paths = set_files(args.set_path) if args.set_path else [BUNDLED_SET]
    modes = COMPARED_MODES if args.compare else (args.retriever,)
    engine = _engine(args)
    if args.markdown:
        rows = [row for path in set_paths
                for row in eval_report.table_rows(path.stem, path, engine, modes=modes, progress=True)]
        print(printable(eval_report.markdown_table(rows), multiline=True))
        return EXIT_OK
    if len(set_paths) > 1:  # a folder: the sets that have questions in the split, each by name
        set_paths = [path for path in set_paths if any(item.split == args.split or args.split == "all"
                                                       for item in load_set(path))]
    outputs = {path.stem: _eval_set(args, engine, path, modes) for path in set_paths}
    if args.json:
        shown = next(iter(outputs.values())) if len(outputs) == 1 else outputs
        print(_json(shown))
    else:
        print(printable("\n\n".join(text if len(outputs) == 1 else f"== {name} ==\n{text}"
                                      for name, text in outputs.items()), multiline=True))
    return EXIT_OK


def _eval_set(args: argparse.Namespace, engine, set_path: Path, modes: tuple[str, ...]):
    """One set's results as `qa eval` shows them: a JSON-ready dict with --json, else text."""
    from qa import eval_report
    from qa.eval import failures, load_set, metrics, run_modes

    runs = run_modes(engine, load_set(set_path, args.split), modes)
    results = {mode: metrics(rows) for mode, rows in runs.items()}
    if args.json:
        shown = results if args.compare else results[args.retriever]
        if args.failures:
            misses = {mode: [_miss(row) for row in failures(rows)] for mode, rows in runs.items()}
            shown = {"metrics": shown, "failures": misses if args.compare else misses[args.retriever]}
        return shown
    parts = [eval_report.format_comparison(results) if args.compare else eval_report.format_metrics(
        results[args.retriever])]
    if args.failures:
        for mode, rows in runs.items():
            parts.append(f"failures ({mode}, {len(failures(rows))}):\n{eval_report.format_failures(failures(rows))}")
    return "\n\n".join(parts)


def _fit(args: argparse.Namespace) -> int:
    from qa import fit as fitting
    from qa.eval import load_set

    if len(args.corpora) not in (1, len(args.sets)):
        raise ValueError(f"give one --corpus for every --set ({len(args.sets)}), or one for all")
    corpora = args.corpora * len(args.sets) if len(args.corpora) == 1 else args.corpora
    rows, engines = [], {}
    for set_path, corpus in zip(args.sets, corpora):
        if corpus not in engines:
            index_dir = Path(args.index_dir) / f"fit-{len(engines)}" if args.index_dir else None
            engines[corpus] = _engine(argparse.Namespace(corpus=corpus, index_dir=index_dir, model=args.model),
                                      progress=True)
        rows += fitting.label(engines[corpus], load_set(set_path, args.split), Path(set_path).stem)
    validation = fitting.cross_validate(rows)  # a FitError (no scikit-learn, nothing to fit) is a ValueError
    weights = fitting.fit(rows, trained_on=[f"{Path(s).stem}:{args.split}" for s in args.sets])
    names = list(dict.fromkeys(r.set_name for r in rows))
    report = {name: {"fitted (grouped CV)": validation.metrics(name), "current": fitting.current_metrics(rows, name)}
              for name in [*names, None]}
    weights.save(args.output)
    if args.json:
        print(json.dumps({name or "all": value for name, value in report.items()}, indent=2))
        return EXIT_OK
    print(fitting.format_report(report))
    print(f"\nwrote {args.output} (threshold {weights.threshold:.3f}); use it with --weights or "
          "TRANSCRIPT_QA_WEIGHTS")
    return EXIT_OK


def _miss(row) -> dict:
    return {"id": row.item.id, "question": row.item.question, "expected": list(row.item.answers),
            "answerable": row.item.answerable, "got": row.answer.answer, "abstained": row.answer.abstained}


def _add(args: argparse.Namespace) -> int:
    from corpus.add import add_transcript
    from qa.config import add_folder_from_env

    # Never the package's folder: --corpus, $TRANSCRIPT_QA_CORPUS, else the user's transcripts folder.
    added = add_transcript(args.source, Path(args.corpus) if args.corpus else add_folder_from_env())
    pages = f", {added.pages} pages" if added.pages > 1 else ""
    date = added.document.date or "no date"
    print(f"added {printable(added.path)} ({added.passages} passages{pages}): {printable(added.document.title)} "
          f"({printable(date)})")
    if not args.no_index:
        from index.store import read_manifest

        if args.corpus:  # else the default corpus, which holds the new file: its index is the one updated
            args.corpus = str(added.path.parent)
        built = (read_manifest(_open_index(args, rebuild=False).folder) or {}).get("last_build")
        if built:  # incremental: only the new document was embedded
            print(f"embedded {built['embedded_documents']} document(s), reused {built['reused_documents']}")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    engine = _engine(args)
    corpus, statistics = _current_corpus(engine, engine.encoders.checked())
    rows = document_rows(corpus, statistics)
    if args.json:
        print(_json(rows))
        return EXIT_OK
    for row in rows:
        print(_format_row(row))
    print(f"{len(rows)} document(s) in {printable(engine.corpus_path)}")
    return EXIT_OK


def _current_corpus(engine: QA, embedder: Embedder | None) -> tuple[Corpus, np.ndarray]:
    """The engine's corpus and each passage's number of statistics: read back from the index
    when it is current for `embedder` (nothing parsed, no model loaded), else parsed now."""
    import numpy as np

    from corpus import load_corpus, transcript_files
    from corpus.loader import fingerprint
    from index import open_saved

    files = transcript_files(engine.corpus_path)
    saved = open_saved(fingerprint(files), embedder, engine.index_dir) if embedder is not None else None
    # The fingerprint ignores where the corpus folder is: after a move the saved sources are stale.
    listed = {os.path.abspath(file) for file in files}
    if saved is not None and all(os.path.abspath(info.source) in listed for info in saved.corpus.catalogue()):
        return saved.corpus, np.diff(saved.rows.first_figure)
    corpus = load_corpus(engine.corpus_path)
    return corpus, np.fromiter((len(p.statistics) for p in corpus.passages), np.int64, len(corpus.passages))


def document_rows(corpus: Corpus, statistics: np.ndarray) -> list[dict]:
    """What `qa list` shows of each document: id, title, date, speakers (who answered or chaired),
    passages, figures (statistics), source file and whether it is the bundled transcript."""
    import numpy as np

    from corpus.add import in_package

    columns = corpus.columns()
    count = len(corpus.catalogue())
    passages = np.bincount(columns.document, minlength=count)
    figures = np.bincount(columns.document, weights=statistics, minlength=count)
    speakers: list[set[str]] = [set() for _ in range(count)]
    answering = ~columns.question
    for row, speaker in set(zip(columns.document[answering].tolist(), columns.speaker[answering].tolist())):
        speakers[row].add(columns.speakers[speaker])
    return [{"id": info.id, "title": info.title, "date": info.date, "speakers": sorted(speakers[row]),
             "passages": int(passages[row]), "figures": int(figures[row]), "source": info.source,
             "bundled": in_package(info.source)}
            for row, info in enumerate(corpus.catalogue())]


def _format_row(row: dict) -> str:
    """One document as four lines; every text from a transcript escaped for the terminal."""
    speakers = ", ".join(printable(name) for name in row["speakers"]) or "none named"
    return "\n".join([printable(row["id"]) + (" (bundled)" if row["bundled"] else ""),
                      f"  {printable(row['title'])}",
                      f"  {printable(row['date'] or 'no date')}; {row['passages']} passages, {row['figures']} figures; "
                      f"speakers: {speakers}",
                      f"  source: {printable(row['source'])}"])


def _remove(args: argparse.Namespace) -> int:
    from corpus import CorpusError
    from corpus.add import in_package
    from corpus.formats import HTML_SUFFIXES, html_pages
    from corpus.loader import read_errors

    engine = _engine(args)
    corpus, _ = _current_corpus(engine, engine.encoders.checked())
    info = _document_info(corpus, args.id)
    source = Path(info.source)
    if in_package(source):
        raise CorpusError(f"{info.id} is the bundled transcript, part of the installed package, and is never "
                          "removed; to leave it out, give --corpus your own folder")
    files = [source]
    if source.suffix.lower() in HTML_SUFFIXES:  # its saved next pages belong to the same document
        with read_errors(source):
            files = html_pages(source)
    for moved_from, moved_to in _to_trash(files, info.id):
        print(f"moved {printable(moved_from)} to {printable(moved_to)}")
    print("the index is updated at the next question (or run `qa index`)")
    return EXIT_OK


def _document_info(corpus: Corpus, doc_id: str) -> DocumentInfo:
    """The catalogue entry of `doc_id`; an unknown id is a CorpusError naming a few close ones."""
    import difflib

    from corpus import CorpusError

    catalogue = corpus.catalogue()
    for info in catalogue:
        if info.id == doc_id:
            return info
    ids = [info.id for info in catalogue]
    close = difflib.get_close_matches(doc_id, ids, n=5, cutoff=0.4)
    named = f"close ids: {', '.join(close)}" if close else f"its ids include: {', '.join(ids[:5])}"
    raise CorpusError(f"no document {doc_id!r} in this corpus; {named} (`qa list` shows them all)")


def _to_trash(files: list[Path], doc_id: str) -> list[tuple[Path, Path]]:
    """Move `files` into a new timestamped folder of the trash; nothing is deleted or replaced.
    Returns (from, to) for each file moved."""
    import contextlib
    import shutil
    import time

    from corpus import CorpusError
    from qa.config import trash_dir

    stamp = time.strftime("%Y%m%d-%H%M%S")
    for number in range(1, 101):  # a new folder (mkdir is exclusive), so no trashed file is replaced
        folder = trash_dir() / (f"{stamp}_{doc_id}" if number == 1 else f"{stamp}_{doc_id}-{number}")
        try:
            folder.mkdir(parents=True)
            break
        except FileExistsError:
            continue
    else:
        raise CorpusError(f"cannot make a new folder in {trash_dir()}; empty the trash and retry")
    moved = []
    for file in files:
        target = folder / file.name
        try:
            shutil.move(file, target)  # a rename, or across file systems a copy then removal
        except OSError as error:
            if file.exists():
                target.unlink(missing_ok=True)  # the original is still there: leave no half copy
            with contextlib.suppress(OSError):  # an empty folder is no use; one holding a file stays
                folder.rmdir()
            raise CorpusError(f"{file}: cannot move it to {folder} ({error.strerror or error}); "
                              "check that you may write both folders") from None
        moved.append((file, target))
    return moved


def _json(value) -> str:
    """JSON for the terminal: non-ASCII text readable, control and bidi characters escaped."""
    return printable_json(json.dumps(value, indent=2, ensure_ascii=False))


def _bench(args: argparse.Namespace) -> int:
    from bench.run import run, table

    def sizes(listed: str) -> list[int]:
        return [int(size.replace("_", "")) for size in listed.split(",") if size.strip()]

    output = Path(args.output)
    result = run(corpus=args.corpus, rounds=args.rounds, cold_repeats=args.cold_repeats, questions=args.questions,
                 scale_sizes=sizes(args.scale), qa_scale_sizes=sizes(args.qa_scale), embed_sample=args.embed_sample,
                 app=not args.no_app, output=output,
                 threads=args.threads)
    print(json.dumps(result, indent=2) if args.json else table(result))
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    import ui

    ui.main(["--host", args.host, "--port", str(args.port)]
            + (["--share"] if args.share else [])
            + (["--corpus", args.corpus] if args.corpus else [])
            + (["--index-dir", args.index_dir] if args.index_dir else [])
            + (["--model", args.model] if args.model else [])
            + [part for name in args.allow_host for part in ("--allow-host", name)])
    return EXIT_OK


def _filters(args: argparse.Namespace) -> dict:
    return {"speaker": args.speaker, "document": args.document, "date_from": args.date_from, "date_to": args.date_to}


def _figures(args: argparse.Namespace) -> int:
    from qa import explorer_output as output

    rows = _engine(args).figures(query=args.query, kinds=args.kind, **_filters(args))
    if args.csv:
        sys.stdout.write(output.figures_csv(rows))
    else:
        output.show(output.figures_json(rows) if args.json else output.figures_table(rows))
    return EXIT_OK


def _trend(args: argparse.Namespace) -> int:
    from qa import explorer_output as output

    points = _engine(args).trend(args.measure, questions=args.questions, **_filters(args))
    if args.csv:
        sys.stdout.write(output.trend_csv(points))
    else:
        output.show(output.trend_json(points) if args.json else output.trend_table(points, args.measure))
    return EXIT_OK


_COMMANDS = {"ask": _ask, "index": _index, "eval": _eval, "fit": _fit, "add": _add, "list": _list, "remove": _remove,
             "figures": _figures, "trend": _trend, "serve": _serve, "bench": _bench}

if __name__ == "__main__":
    sys.exit(main())
