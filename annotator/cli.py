"""`annotator <command>`: a thin shell over annotator.core; the GUI calls the same core functions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from annotator import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if not argv:
        argv = ["gui"]
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="News Annotator: import news articles, see who is quoted saying what, label stance and topic.",
        epilog="With no command, opens the window on the default demo project.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("gui", help="open the window (on the default demo project when none is given)")
    p.add_argument("project", nargs="?", help="project file (.db); created when missing")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("import", help="import article files, folders and .zip archives into a project")
    p.add_argument("project", help="project file (.db); created when missing")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders (recursive) or .zip archives")
    p.add_argument("--map", dest="field_map", metavar="FIELD=COLUMN,...",
                   help="which JSON key / CSV column holds a field, e.g. text=body,title=headline")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--workers", type=int, default=None, help="reader processes (default: all cores)")
    p.add_argument("--no-detect", dest="detect", action="store_false",
                   help="do not detect quotes now (run `annotator detect` later)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("detect", help="re-run quote and speaker detection; keeps what a person confirmed or corrected")
    p.add_argument("project")
    p.add_argument("--workers", type=int, default=None, help="detector processes (default: all cores)")
    p.set_defaults(func=cmd_detect)

    p = sub.add_parser("quotes", help="detect quotes in article files without a project (JSON lines with --jsonl)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or .zip archives, read by the importers")
    p.add_argument("--jsonl", action="store_true", help="one JSON object a quote")
    p.add_argument("--map", dest="field_map", metavar="FIELD=COLUMN,...", help="as for import")
    p.add_argument("--min-confidence", type=float, default=0.5,
                   help="leave out quotes the detector is less sure of (default 0.5; 0 shows all)")
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("info", help="counts, schema version and path of a project")
    p.add_argument("project")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("articles", help="list a project's articles, one a line")
    p.add_argument("project")
    p.add_argument("--json", action="store_true", help="one JSON object a line")
    p.add_argument("--limit", type=int, default=None)
    p.set_defaults(func=cmd_articles)
    return parser


def _open(path: str, create: bool = True):
    from annotator.core.store import ProjectError, open_project

    try:
        return open_project(path, create=create)
    except ProjectError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None


def cmd_import(args) -> int:
    from annotator.core.importer import import_paths
    from annotator.core.ingest.options import ReadOptions, parse_field_map

    try:
        options = ReadOptions(field_map=parse_field_map(args.field_map))
    except ValueError as exc:
        print(f"annotator import: --map: {exc}", file=sys.stderr)
        return EXIT_USAGE
    project = _open(args.project)
    bar = _TerminalProgress() if sys.stderr.isatty() and not args.json else None
    try:
        report = import_paths(
            project, args.paths, options, progress=bar, workers=args.workers, detect=args.detect
        )
    finally:
        if bar:
            bar.finish()
        project.close()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.summary())
        for f in report.failed:
            where = f", row {f.row}" if f.row else (f", line {f.line}" if f.line else "")
            print(f"  failed: {f.path}{where}: {f.message}")
    return EXIT_FAILED if report.failed else EXIT_OK


def cmd_detect(args) -> int:
    from annotator.core.quotes import run_detection

    project = _open(args.project, create=False)
    bar = _TerminalProgress() if sys.stderr.isatty() else None
    try:
        report = run_detection(project, progress=bar, workers=args.workers)
    finally:
        if bar:
            bar.finish()
        project.close()
    print(report.summary())
    return EXIT_OK


def cmd_quotes(args) -> int:
    from annotator.core.detect import detect
    from annotator.core.ingest import read_paths
    from annotator.core.ingest.options import ReadOptions, parse_field_map

    try:
        options = ReadOptions(field_map=parse_field_map(args.field_map))
    except ValueError as exc:
        print(f"annotator quotes: --map: {exc}", file=sys.stderr)
        return EXIT_USAGE
    failed = False
    for path, articles, problem in read_paths(args.paths, options):
        if problem is not None:
            if not problem.skipped:
                failed = True
                print(f"annotator quotes: {problem}", file=sys.stderr)
            continue
        for article in articles:
            for q in detect(article.text).quotes:
                if q.confidence < args.min_confidence:
                    continue
                row = {
                    "file": path, "article": article.source_index, "title": article.title,
                    "start": q.start, "end": q.end, "text": article.text[q.start : q.end],
                    "speaker": q.speaker, "speaker_start": q.speaker_start, "speaker_end": q.speaker_end,
                    "cue": q.cue, "confidence": round(q.confidence, 3),
                }
                if args.jsonl:
                    print(json.dumps(row, ensure_ascii=False))
                else:
                    print(f"{Path(path).name}#{article.source_index} [{q.start}:{q.end}] "
                          f"{row['speaker'] or '?'}: \u201c{row['text']}\u201d")
    return EXIT_FAILED if failed else EXIT_OK


def cmd_info(args) -> int:
    project = _open(args.project, create=False)
    with project:
        info = project.info()
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        for key, value in info.items():
            print(f"{key}: {value}")
    return EXIT_OK


def cmd_articles(args) -> int:
    project = _open(args.project, create=False)
    with project:
        sql = "SELECT id, uid, title, outlet, authors, published, url, language, source_path, source_index FROM articles ORDER BY id"
        params: list = []
        if args.limit is not None:
            sql += " LIMIT ?"
            params.append(args.limit)
        for row in project.db.query(sql, params):
            if args.json:
                row["authors"] = json.loads(row["authors"]) if row["authors"] else []
                print(json.dumps(row, ensure_ascii=False))
            else:
                print(f"{row['id']}\t{row['published'] or '-'}\t{row['outlet'] or '-'}\t{row['title'] or '(untitled)'}")
    return EXIT_OK


def cmd_gui(args) -> int:
    from annotator.gui.launch import run_gui

    return run_gui(args.project)


class _TerminalProgress:
    """A one-line progress bar on stderr."""

    def __init__(self):
        self.shown = False

    def __call__(self, done: int, total: int, path: str) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        name = Path(path).name[:40]
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name:<40}")
        sys.stderr.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


if __name__ == "__main__":
    sys.exit(main())
