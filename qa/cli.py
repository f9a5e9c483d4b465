"""The `qa` command: one thin parser over the library (also `python -m qa`)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from corpus.safe_text import printable, printable_json
from qa.config import DEFAULT_K, MAX_K

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa", description="Ask questions of press-conference transcripts; answers cite exact figures."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is happening")
    commands = parser.add_subparsers(dest="command", required=True)

    def corpus_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--corpus", help="transcript file or folder (default: the bundled transcript)")
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

    add = commands.add_parser("add", help="add a transcript (file or http(s) URL) to a corpus folder")
    add.add_argument("source", help="a .txt/.md/.html file, or the URL of a transcript's first page")
    add.add_argument("--no-index", action="store_true", help="only add the file; update the index later")
    corpus_options(add)

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
    from qa.config import corpus_from_env

    added = add_transcript(args.source, Path(args.corpus) if args.corpus else corpus_from_env())
    pages = f", {added.pages} pages" if added.pages > 1 else ""
    date = added.document.date or "no date"
    print(f"added {printable(added.path)} ({added.passages} passages{pages}): {printable(added.document.title)} "
          f"({printable(date)})")
    if not args.no_index:
        from index.store import read_manifest

        args.corpus = str(added.path.parent)
        built = (read_manifest(_open_index(args, rebuild=False).folder) or {}).get("last_build")
        if built:  # incremental: only the new document was embedded
            print(f"embedded {built['embedded_documents']} document(s), reused {built['reused_documents']}")
    return EXIT_OK


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
            + (["--model", args.model] if args.model else []))
    return EXIT_OK


_COMMANDS = {"ask": _ask, "index": _index, "eval": _eval, "fit": _fit, "add": _add, "serve": _serve, "bench": _bench}

if __name__ == "__main__":
    sys.exit(main())
