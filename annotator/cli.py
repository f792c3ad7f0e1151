"""`annotator <command>`: a thin shell over annotator.core; the GUI calls the same core functions."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from annotator import __version__
from annotator.core.detect.confidence import MIN_CONFIDENCE

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXCHANGE = ("qdpx", "inception", "brat", "spacy", "prodigy")  # annotator.core.exchange.EXCHANGE_FORMATS


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if not argv:
        argv = ["gui"]
    args = parser.parse_args(argv)
    streams = sys.stdout, sys.stderr
    _terminal_safe_output(args)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # no traceback reaches a user: a sentence, and the details only when asked
        print(f"annotator {args.command or ''}: {failure_message(args, exc)}".replace(" :", ":"), file=sys.stderr)
        if os.environ.get("ANNOTATOR_DEBUG"):
            raise
        return EXIT_FAILED
    finally:
        sys.stdout, sys.stderr = streams
        from annotator.core.patterncache import save_new

        save_new()   # the next start finds this run's newly compiled patterns ready


def failure_message(args, exc: BaseException, what: str | None = None) -> str:
    """What to tell a person when a command stops on an error: a full disk or a read-only file in
    words (every write is one transaction, so nothing of it was stored), anything else as itself."""
    import sqlite3

    from annotator.core.store import ProjectError, storage_problem

    what = what or f"this {args.command or 'command'}"
    problem = storage_problem(getattr(args, "project", None) or "the project", exc)
    if problem and "disk is full" in problem:
        return f"{problem}: nothing of {what} was stored; free some space and run it again"
    if problem:
        return f"{problem}; nothing of {what} was stored"
    from annotator.core.entities import EntityError

    if isinstance(exc, ProjectError):
        return str(exc)
    if isinstance(exc, (ValueError, EntityError)):  # a sentence already (a refused name a file brings ...)
        return f"{exc}; nothing of {what} was stored"
    if isinstance(exc, sqlite3.DatabaseError):
        return f"the project could not be written or read ({exc}); nothing of {what} was stored"
    if isinstance(exc, OSError):
        return f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")
    return f"unexpected error ({type(exc).__name__}: {exc}); set ANNOTATOR_DEBUG=1 to see where"


class _TerminalSafe:
    """A text stream that takes control characters out of what is written to a terminal (ESC, CSI,
    BEL ...: a colleague's name must not set the title, clear the screen or move the cursor); tab
    and newline pass. Names are also stripped one by one where they are printed (terminal_text),
    so a newline in a name cannot forge a line."""

    def __init__(self, stream):
        self._stream = stream
        self.unfiltered = stream  # for the progress bar's own carriage returns

    def write(self, text: str) -> int:
        from annotator.core.validate import TERMINAL_CONTROLS

        return self._stream.write(TERMINAL_CONTROLS.sub("\ufffd", text))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _terminal_safe_output(args) -> None:
    """Human-readable output made safe for a terminal; JSON output (escaped by json.dumps) is left
    as it is, so a program reading it gets the data exactly."""
    if not isinstance(sys.stderr, _TerminalSafe):
        sys.stderr = _TerminalSafe(sys.stderr)
    as_json = getattr(args, "json", False) or getattr(args, "jsonl", False)
    if not as_json and not isinstance(sys.stdout, _TerminalSafe):
        sys.stdout = _TerminalSafe(sys.stdout)


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
    p.add_argument("--forms", default=None, metavar="FORM,...",
                   help="which attributions to detect: direct, mixed, indirect (or reported); default all")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("detect", help="re-run quote and speaker detection; keeps what a person confirmed or corrected")
    p.add_argument("project")
    p.add_argument("--workers", type=int, default=None, help="detector processes (default: all cores)")
    p.add_argument("--forms", default=None, metavar="FORM,...",
                   help="which attributions to detect: direct, mixed, indirect (or reported); default all")
    p.set_defaults(func=cmd_detect)

    p = sub.add_parser("quotes", help="detect quotes in article files without a project (JSON lines with --jsonl)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or .zip archives, read by the importers")
    p.add_argument("--jsonl", action="store_true", help="one JSON object a quote")
    p.add_argument("--map", dest="field_map", metavar="FIELD=COLUMN,...", help="as for import")
    p.add_argument("--min-confidence", type=float, default=MIN_CONFIDENCE,
                   help=f"leave out quotes the detector is less sure of (default {MIN_CONFIDENCE}; 0 shows all)")
    p.add_argument("--forms", default=None, metavar="FORM,...",
                   help="which attributions: direct, mixed, indirect (or reported = mixed,indirect); default all")
    p.add_argument("--workers", type=int, default=None,
                   help="processes reading and detecting (default: one a core; 1: this process alone)")
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
    # -- issue 6: export, import-labels, merge, agreement, disagreements, adjudicate --
    p = sub.add_parser("export", help="write labels as CSV or JSON lines, per article or per quote",
                       epilog="A big CSV export is built by up to four processes at once, all reading the project "
                              "as it was when the export began; ANNOTATOR_EXPORT_PROCESSES=N sets how many "
                              "(1: this process alone).")
    p.add_argument("project")
    p.add_argument("--out", required=True, metavar="FILE", help="file to write (replaced when complete)")
    p.add_argument("--level", choices=("article", "quote"), default="article")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--annotator", metavar="NAME", help="only this annotator's rows")
    who.add_argument("--all", action="store_true", help="every annotator's rows (the default)")
    who.add_argument("--adjudicated", action="store_true", help="adjudicated values, else what annotators agree on")
    p.add_argument("--format", dest="fmt", choices=("csv", "jsonl", *EXCHANGE), default="csv",
                   help="csv, jsonl (label rows); qdpx (REFI-QDA: MAXQDA, ATLAS.ti, NVivo, QualCoder), inception "
                        "(CAS XMI, .zip), brat (.zip or a new folder), spacy, prodigy (training JSON lines)")
    p.add_argument("--include-unchecked", action="store_true",
                   help="quote level: also the detected quotes an annotator never checked (origin auto); by "
                        "default each annotator's rows are the quotes they confirmed, corrected, labelled or marked")
    p.add_argument("--excel", action="store_true", help="start the CSV with a BOM so Excel reads it as UTF-8")
    p.add_argument("--no-neutralise", dest="neutralise", action="store_false",
                   help="keep cells starting with = + - @ as they are (by default they get a leading ')")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import-qdpx", help="bring in a REFI-QDA project (.qdpx): ours back whole, another tool's "
                                           "sources as articles and its codes as a label task",
                       epilog="TARGET: quote, quote:direct|mixed|indirect, speaker, label:TASK, label:TASK/OPTION, skip. "
                              "Unmapped codes become options of one task named after the file's project.")
    p.add_argument("project")
    p.add_argument("file")
    p.add_argument("--annotator", metavar="NAME", help="put every coding under this name (else the file's users)")
    p.add_argument("--map", action="append", metavar="CODE=TARGET", default=[],
                   help="what a code of the file becomes (CODE: its name or path parent/child); repeatable")
    p.add_argument("--map-file", metavar="FILE", help="mappings, one CODE = TARGET a line (# comments)")
    p.add_argument("--codes", action="store_true", help="list the file's codes and how often each is used; import nothing")
    p.set_defaults(func=cmd_import_qdpx)

    p = sub.add_parser("import-labels", help="read labels from a CSV file shaped like an export")
    p.add_argument("project")
    p.add_argument("file")
    p.add_argument("--annotator", metavar="NAME", help="the coder of every row (else the annotator column)")
    p.set_defaults(func=cmd_import_labels)

    p = sub.add_parser("merge", help="copy colleagues' annotations from their project files into this one")
    p.add_argument("project")
    p.add_argument("others", nargs="+", metavar="OTHER")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("agreement", help="inter-annotator agreement per task and on quotes")
    p.add_argument("project")
    p.add_argument("--task", metavar="NAME")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_agreement)

    p = sub.add_parser("disagreements", help="items where annotators differ, per task")
    p.add_argument("project")
    p.add_argument("--task", metavar="NAME")
    p.add_argument("--json", action="store_true", help="one JSON object a line")
    p.set_defaults(func=cmd_disagreements)

    p = sub.add_parser("adjudicate", help="store the adjudicated value of a task on an article")
    p.add_argument("project")
    p.add_argument("article_id", type=int)
    p.add_argument("task", help="task name (article level unless --quote is given)")
    p.add_argument("option", help="option name; several for a multiple-choice task as 'a; b'")
    p.add_argument("--quote", type=int, metavar="QUOTE_ID", help="adjudicate a quote's label instead")
    p.add_argument("--adjudicator", required=True, metavar="NAME")
    p.set_defaults(func=cmd_adjudicate)

    p = sub.add_parser("entities", help="list entities (sources) with their aliases and how often they are linked")
    p.add_argument("project")
    p.add_argument("--json", action="store_true", help="one JSON object a line")
    p.set_defaults(func=cmd_entities)

    p = sub.add_parser("suggest", help="entities matching what you would type (prefixes, initials, typos)")
    p.add_argument("project")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true", help="one JSON object a line")
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser("entities-import", help="add entities from a CSV list (name, kind, aliases separated by |)")
    p.add_argument("project")
    p.add_argument("file", metavar="FILE.csv")
    p.set_defaults(func=cmd_entities_import)

    p = sub.add_parser("entities-export", help="write all entities as CSV (name, kind, aliases, role)")
    p.add_argument("project")
    p.add_argument("file", metavar="FILE.csv")
    p.set_defaults(func=cmd_entities_export)

    p = sub.add_parser("entities-merge", help="merge entity OTHER_ID into KEEP_ID (aliases and links move)")
    p.add_argument("project")
    p.add_argument("keep_id", type=int)
    p.add_argument("other_id", type=int)
    p.set_defaults(func=cmd_entities_merge)

    p = sub.add_parser("link", help="link every speaker mention and quote to an entity (keeps links a person made)")
    p.add_argument("project")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_link)
    # -- issue 7: backups --
    p = sub.add_parser("restore", help="list a project's backup copies, or put one back (the current file is saved first)")
    p.add_argument("project")
    which = p.add_mutually_exclusive_group()
    which.add_argument("backup", nargs="?", metavar="BACKUP_NAME", help="a name as --list shows it, or a path")
    which.add_argument("--latest", action="store_true", help="restore the newest backup")
    p.add_argument("--list", action="store_true", help="list the backups (the default with no backup named)")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("scheme", help="show the label scheme: tasks, options and their shortcut keys")
    p.add_argument("project")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_scheme)

    p = sub.add_parser("label", help="label an article (or one of its quotes) as the window does")
    p.add_argument("project")
    p.add_argument("article_id", type=int)
    p.add_argument("task", help="task name, e.g. stance or topic")
    p.add_argument("option", nargs="?", help="option name or its key; omit with --clear")
    p.add_argument("--annotator", required=True)
    p.add_argument("--quote", type=int, metavar="QUOTE_ID", help="label this quote instead of the article")
    p.add_argument("--clear", action="store_true", help="remove the task's label(s)")
    p.add_argument("--off", action="store_true", help="untick a multiple-choice option")
    p.add_argument("--status", choices=["todo", "labelled", "reviewed"], help="also set the article's status")
    p.set_defaults(func=cmd_label)

    p = sub.add_parser("team", help="team work through a PostgreSQL server: init, add-annotator, join")
    team = p.add_subparsers(dest="team_command", metavar="TEAM_COMMAND", required=True)
    t = team.add_parser("init", help="make a team on a PostgreSQL server from this (the lead's) project",
                        description="Creates the team's schema and roles on the server (the connection must be allowed "
                        "to create roles) and sends the corpus, scheme, entities and labels of PROJECT. The "
                        "password comes from ~/.pgpass, a service file or PGPASSWORD, never from the project file.")
    t.add_argument("project")
    t.add_argument("dsn", help="postgresql://USER@HOST/DB?sslmode=... (no password: libpq finds it)")
    t.add_argument("--annotator", required=True, help="the lead's own annotator name")
    t.add_argument("--team", default="team", help="the team's schema on the server (default: team)")
    t.set_defaults(func=cmd_team_init)
    t = team.add_parser("add-annotator", help="create a login role for an annotator (run with the lead's connection)",
                        description="The password is asked for (or read from the environment variable named by "
                        "--password-env); it goes to the server only. --no-password for logins that use "
                        "certificates or the server's own authentication.")
    t.add_argument("dsn")
    t.add_argument("name", help="the annotator's name as their labels carry it")
    t.add_argument("--team", default="team")
    t.add_argument("--lead", action="store_true", help="a lead: also adjudicates and edits the scheme and entities")
    t.add_argument("--role", help="the login role's name (default TEAM_NAME in lower case)")
    group = t.add_mutually_exclusive_group()
    group.add_argument("--password-env", metavar="VAR", help="read the password from this environment variable")
    group.add_argument("--no-password", action="store_true")
    t.set_defaults(func=cmd_team_add)
    t = team.add_parser("join", help="make a local project from the team's server")
    t.add_argument("dsn", help="postgresql://ROLE@HOST/DB (the role add-annotator printed)")
    t.add_argument("project", help="the new local project file")
    t.add_argument("--annotator", required=True)
    t.add_argument("--team", default="team")
    t.set_defaults(func=cmd_team_join)

    p = sub.add_parser("sync", help="send this annotator's work to the team's server and receive everyone else's")
    p.add_argument("project")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sync)
    return parser


def _print_sync(report, as_json: bool = False) -> int:
    if as_json:
        print(json.dumps({"pushed": dict(report.pushed), "pulled": dict(report.pulled), "error": report.error,
                          "offline": report.offline, "pending": report.pending, "skipped": report.skipped,
                          "not_sent": dict(report.not_sent), "conflicts": [str(c) for c in report.conflicts],
                          "seconds": round(report.seconds, 3)}, ensure_ascii=False, indent=2))
    else:
        print("\n".join(report.lines()), file=sys.stdout if report.ok else sys.stderr)
    return EXIT_OK if report.ok else EXIT_FAILED


def _team_errors(command):
    """A team command's TeamError is a sentence on stderr and exit status 1, never a traceback."""
    import functools

    @functools.wraps(command)
    def run(args) -> int:
        from annotator.core.store import ProjectError
        from annotator.core.team import TeamError

        try:
            return command(args)
        except (TeamError, ProjectError) as exc:
            print(f"annotator {args.command}: {exc}", file=sys.stderr)
            return EXIT_FAILED

    return run


@_team_errors
def cmd_team_init(args) -> int:
    from annotator.core.sync import init_team

    with _open(args.project, create=False) as project:
        report = init_team(project, args.dsn, args.annotator, args.team)
    print(f"team {args.team!r} made; {args.annotator} is its lead")
    return _print_sync(report)


@_team_errors
def cmd_team_add(args) -> int:
    import getpass
    import os

    from annotator.core.team import add_member

    if args.no_password:
        password = None
    elif args.password_env:
        password = os.environ.get(args.password_env)
        if not password:
            print(f"annotator team: the environment variable {args.password_env} is empty", file=sys.stderr)
            return EXIT_USAGE
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if password != getpass.getpass("again: "):
            print("annotator team: the two passwords differ", file=sys.stderr)
            return EXIT_USAGE
    member = add_member(args.dsn, args.name, password, schema=args.team, lead=args.lead, role=args.role)
    print(f"{member.annotator}: login role {member.role}" + (" (lead)" if member.lead else ""))
    print(f"  they join with: annotator team join postgresql://{member.role}@HOST/DATABASE LOCAL.db "
          f"--annotator {json.dumps(member.annotator)}" + (f" --team {args.team}" if args.team != "team" else ""))
    return EXIT_OK


@_team_errors
def cmd_team_join(args) -> int:
    from annotator.core.sync import join_team

    report = join_team(args.dsn, args.project, args.annotator, args.team)
    if report.ok:
        print(f"{args.project}: joined the team {args.team!r} as {args.annotator}")
    return _print_sync(report)


@_team_errors
def cmd_sync(args) -> int:
    from annotator.core.sync import sync_project

    with _open(args.project, create=False) as project:
        report = sync_project(project)
    return _print_sync(report, args.json)


def _open(path: str, create: bool = True):
    from annotator.core.store import ProjectError, open_project

    try:
        project = open_project(path, create=create)
    except ProjectError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None
    from annotator.core.detection_state import detection_pending

    unfinished = detection_pending(project)
    if unfinished:
        print(f"annotator: note: {unfinished}", file=sys.stderr)
    return project


def _read(path: str):
    """A project opened only to read it: no migration, no backup; a read-only file works."""
    from annotator.core.store import ProjectError, open_project_read_only

    try:
        return open_project_read_only(path)
    except ProjectError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None


def _forms_arg(args, command: str) -> tuple[str, ...] | None:
    """The --forms choice as a tuple of forms, or None after saying what is wrong with it."""
    from annotator.core.quote_forms import parse_forms

    try:
        return parse_forms(args.forms)
    except ValueError as exc:
        print(f"annotator {command}: --forms: {exc}", file=sys.stderr)
        return None


IMPORT_ROWS_SHOWN = 20  # more files than this: one line per reader instead of one per file


def cmd_import(args) -> int:
    from annotator.core.importer import import_paths
    from annotator.core.ingest.options import ReadOptions, parse_field_map

    try:
        options = ReadOptions(field_map=parse_field_map(args.field_map))
    except ValueError as exc:
        print(f"annotator import: --map: {exc}", file=sys.stderr)
        return EXIT_USAGE
    forms = _forms_arg(args, "import")
    if forms is None:
        return EXIT_USAGE
    project = _open(args.project)
    bar = _TerminalProgress() if sys.stderr.isatty() and not args.json else None
    before = project.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    try:
        report = import_paths(
            project, args.paths, options, progress=bar, workers=args.workers, detect=args.detect, forms=forms
        )
    except Exception as exc:
        try:
            stored = project.conn.execute("SELECT count(*) FROM articles").fetchone()[0] - before
        except Exception:  # noqa: BLE001 - the first error is the one to tell
            stored = 0
        what = "this import" if stored <= 0 else f"this import after its first {stored} articles"
        print(f"annotator import: {failure_message(args, exc, what)}", file=sys.stderr)
        if os.environ.get("ANNOTATOR_DEBUG"):
            raise
        return EXIT_FAILED
    finally:
        if bar:
            bar.finish()
        project.close()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.summary())
        if len(report.files) <= IMPORT_ROWS_SHOWN:  # a row per file: which reader read it, how many articles
            for f in report.files:
                if f.status in ("imported", "duplicate"):
                    print(f"  {f.status}: {f.path}: {f.describe()}")
        else:
            for line in report.by_reader():
                print(f"  {line}")
        for f in report.failed:
            where = f", row {f.row}" if f.row else (f", line {f.line}" if f.line else "")
            print(f"  failed: {f.path}{where}: {f.reader + ': ' if f.reader else ''}{f.message}")
        for f in report.files:
            if f.left_out:
                print(f"  left out of {f.path}: {f.message}")
    return EXIT_FAILED if report.failed else EXIT_OK


def cmd_detect(args) -> int:
    from annotator.core.quotes import run_detection

    forms = _forms_arg(args, "detect")
    if forms is None:
        return EXIT_USAGE
    project = _open(args.project, create=False)
    bar = _TerminalProgress() if sys.stderr.isatty() else None
    try:
        report = run_detection(project, progress=bar, workers=args.workers, forms=forms)
    finally:
        if bar:
            bar.finish()
        project.close()
    print(report.summary())
    return EXIT_OK


def cmd_quotes(args) -> int:
    from annotator.core.file_quotes import quotes_in_files
    from annotator.core.ingest.options import ReadOptions, parse_field_map

    try:
        options = ReadOptions(field_map=parse_field_map(args.field_map))
    except ValueError as exc:
        print(f"annotator quotes: --map: {exc}", file=sys.stderr)
        return EXIT_USAGE
    forms = _forms_arg(args, "quotes")
    if forms is None:
        return EXIT_USAGE
    failed = False
    out = sys.stdout
    for path, rows, problem in quotes_in_files(args.paths, options, forms, args.min_confidence, args.workers):
        if problem is not None:
            if not problem.skipped:
                failed = True
                print(f"annotator quotes: {problem}", file=sys.stderr)
            continue
        for row in rows:
            if args.jsonl:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            else:
                shown = f"\u201c{row['text']}\u201d" if row["form"] == "direct" else f"({row['form']}) {row['content']}"
                out.write(f"{Path(path).name}#{row['article']} [{row['start']}:{row['end']}] "
                          f"{row['speaker'] or '?'}: {shown}\n")
    return EXIT_FAILED if failed else EXIT_OK


def cmd_info(args) -> int:
    from annotator.core.detection_state import detection_pending
    from annotator.core.sync import status_line

    project = _read(args.project)
    with project:
        info = project.info()
        pending = detection_pending(project)
        team = status_line(project)
    info["detection_unfinished"] = pending is not None
    if team:
        info["team"] = team
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        for key, value in info.items():
            if key == "team":
                value = (f"{value['team']} as {value['annotator']}, last synced {value['last_synced'] or 'never'}, "
                         f"{value['pending']} changes to send")
            print(f"{key}: {value}")
        if pending:
            print(f"note: {pending}", file=sys.stderr)
    return EXIT_OK


def cmd_articles(args) -> int:
    project = _read(args.project)
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


def cmd_export(args) -> int:
    from annotator.core.export import write_export

    if args.fmt in EXCHANGE:
        return _export_exchange(args)
    project = _read(args.project)
    with project:
        result = write_export(project, args.out, level=args.level, annotator=args.annotator,
                              adjudicated=args.adjudicated, fmt=args.fmt, excel=args.excel,
                              neutralise=args.neutralise, include_unchecked=args.include_unchecked)
    print(f"{result.rows} {args.level} rows written to {result.path}")
    return EXIT_OK


def _export_exchange(args) -> int:
    from annotator.core.exchange import export_exchange

    if args.adjudicated or args.level != "article":
        print(f"--level and --adjudicated do not apply to --format {args.fmt}", file=sys.stderr)
        return EXIT_USAGE
    project = _read(args.project)
    with project:
        try:
            result = export_exchange(project, args.fmt, args.out, annotator=args.annotator)
        except (OSError, ValueError) as exc:
            print(f"{args.out}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
            return EXIT_FAILED
    print(result.summary())
    return EXIT_OK


def cmd_import_qdpx(args) -> int:
    from annotator.core.exchange.qdpx_import import QdpxError, import_qdpx, list_codes, parse_mapping

    try:
        if args.codes:
            for path, kind, used in list_codes(args.file):
                print(f"{used:6d}  {kind:12s}  {path}")
            return EXIT_OK
        mapping = parse_mapping(args.map, args.map_file)
        project = _open(args.project)
        with project:
            report = import_qdpx(project, args.file, annotator=args.annotator, mapping=mapping)
    except QdpxError as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILED
    for line in report.lines():
        print(line)
    return EXIT_OK


def cmd_import_labels(args) -> int:
    from annotator.core.import_labels import import_labels

    project = _open(args.project, create=False)
    with project:
        report = import_labels(project, args.file, annotator=args.annotator)
    print(report.summary())
    for problem in report.problems:
        print(f"  {problem}", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_merge(args) -> int:
    from annotator.core.merge import merge_project

    project = _open(args.project)
    refused = False
    with project:
        for other in args.others:
            report = merge_project(project, other)
            refused = refused or bool(report.refused)
            print("\n".join(report.lines()), file=sys.stderr if report.refused else sys.stdout)
    return EXIT_FAILED if refused else EXIT_OK


def cmd_agreement(args) -> int:
    from annotator.core.agreement import project_agreement

    project = _read(args.project)
    with project:
        report = project_agreement(project, args.task)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(report.lines()))
    return EXIT_OK


def cmd_disagreements(args) -> int:
    from dataclasses import asdict

    from annotator.core.adjudicate import disagreements
    from annotator.core.validate import terminal_text as shown

    project = _read(args.project)
    with project:
        items = disagreements(project, args.task)
    for d in items:
        if args.json:
            print(json.dumps(asdict(d), ensure_ascii=False))
        else:
            where = f"article {d.article_id}" + (f" quote {d.quote_id}" if d.quote_id else "")
            values = ", ".join(f"{shown(a)}: {shown(v) or '-'}" for a, v in d.values.items())
            done = f"  => {shown(d.adjudicated)!r} ({shown(d.adjudicator)})" if d.adjudicator else ""
            print(f"{shown(d.task)}\t{where}\t{shown(d.title)}\t{values}{done}")
    return EXIT_OK


def cmd_adjudicate(args) -> int:
    from annotator.core.adjudicate import adjudication_values, set_adjudication
    from annotator.core.scheme import load_scheme

    project = _open(args.project, create=False)
    with project:
        level = "quote" if args.quote is not None else "article"
        task = load_scheme(project).find_task(args.task, level)
        if task is None:
            print(f"annotator adjudicate: no {level} task {args.task!r}", file=sys.stderr)
            return EXIT_USAGE
        try:
            names = adjudication_values(project, task.id, args.option)
        except ValueError as exc:
            print(f"annotator adjudicate: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if project.conn.execute("SELECT 1 FROM articles WHERE id = ?", [args.article_id]).fetchone() is None:
            print(f"annotator adjudicate: no article {args.article_id}", file=sys.stderr)
            return EXIT_USAGE
        try:
            set_adjudication(project, args.article_id, task.id, names, args.adjudicator, quote_id=args.quote)
        except ValueError as exc:
            print(f"annotator adjudicate: {exc}", file=sys.stderr)
            return EXIT_USAGE
    print(f"article {args.article_id}: {task.name} adjudicated as {'; '.join(names) or '(none)'} by {args.adjudicator}")
    return EXIT_OK


def cmd_entities(args) -> int:
    from annotator.core.entities import list_entities

    project = _read(args.project)
    with project:
        entities = list_entities(project)
    for e in entities:
        if args.json:
            print(json.dumps(e.to_dict(), ensure_ascii=False))
        else:
            aliases = f"\t({' | '.join(e.aliases)})" if e.aliases else ""
            print(f"{e.id}\t{e.links}\t{e.kind}\t{e.name}{aliases}")
    return EXIT_OK


def cmd_suggest(args) -> int:
    from annotator.core.suggest import suggest

    project = _read(args.project)
    with project:
        found = suggest(project, args.query, limit=args.limit)
    for s in found:
        if args.json:
            print(json.dumps(s.to_dict(), ensure_ascii=False))
        else:
            via = f"\t(as {s.alias})" if s.alias != s.name else ""
            print(f"{s.entity_id}\t{s.score:.0f}\t{s.kind}\t{s.name}{via}")
    return EXIT_OK


def cmd_entities_import(args) -> int:
    from annotator.core.entities import import_entities_csv

    project = _open(args.project, create=False)
    with project:
        report = import_entities_csv(project, args.file)
    print(report.summary())
    for problem in report.problems:
        print(f"  {problem}", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_entities_export(args) -> int:
    from annotator.core.entities import export_entities_csv

    project = _read(args.project)
    with project:
        try:
            count = export_entities_csv(project, args.file)
        except OSError as exc:
            print(f"annotator entities-export: {args.file}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_FAILED
    print(f"{args.file}: {count} entities written")
    return EXIT_OK


def cmd_entities_merge(args) -> int:
    from annotator.core.entities import EntityError, get_entity, merge_entities

    project = _open(args.project, create=False)
    with project:
        try:
            record = merge_entities(project, args.keep_id, args.other_id)
        except EntityError as exc:
            print(f"annotator entities-merge: {exc}", file=sys.stderr)
            return EXIT_FAILED
        kept = get_entity(project, args.keep_id)
    print(f"merged {record.other['name']!r} ({args.other_id}) into {kept.name!r} ({kept.id}): "
          f"{len(record.mention_ids)} mentions and {len(record.quote_ids)} quotes moved; "
          f"{kept.links} links, {len(kept.aliases)} aliases now")
    return EXIT_OK


def cmd_link(args) -> int:
    from annotator.core.linking import link_all

    project = _open(args.project, create=False)
    bar = _TerminalProgress() if sys.stderr.isatty() and not args.json else None
    with project:
        try:
            report = link_all(project, progress=(lambda done, total: bar(done, total, "linking")) if bar else None)
        finally:
            if bar:
                bar.finish()
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(f"{report.articles} articles: {report.linked} mentions and quotes linked "
              f"({report.exact} names by alias, {report.fuzzy} by similarity, {report.created} new entities); "
              f"{report.kept} links made by people kept")
    return EXIT_OK


def cmd_restore(args) -> int:
    from annotator.core.backup import backup_dir, find_backup, list_backups, restore_backup
    from annotator.core.store import ProjectError

    backups = list_backups(args.project)
    if args.list or not (args.backup or args.latest):
        if not backups:
            print(f"no backups of {args.project} (they are kept in {backup_dir(args.project)})")
        for b in backups:
            print(b.describe())
        return EXIT_OK
    try:
        if args.latest:
            if not backups:
                print(f"annotator restore: no backups of {args.project}", file=sys.stderr)
                return EXIT_FAILED
            chosen = backups[0].path
        else:
            chosen = find_backup(args.project, args.backup)
        saved = restore_backup(args.project, chosen)
    except ProjectError as exc:
        print(f"annotator restore: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{args.project} restored from {chosen.name}")
    if saved:
        print(f"the file it replaced was saved as {saved}")
    return EXIT_OK


def cmd_scheme(args) -> int:
    from annotator.core.scheme import load_scheme, scheme_json

    project = _read(args.project)
    with project:
        scheme = load_scheme(project)
    if args.json:
        print(scheme_json(scheme))
        return EXIT_OK
    for task in scheme.tasks:
        print(f"{task.title} ({'single' if task.kind == 'single' else 'multiple'} choice, per {task.level})")
        for option in task.options:
            print(f"  {option.shortcut or '-'}  {option.name}")
    return EXIT_OK


def cmd_label(args) -> int:
    from annotator.core import labels
    from annotator.core.scheme import SINGLE, load_scheme

    project = _open(args.project, create=False)
    with project:
        level = "quote" if args.quote else "article"
        scheme = load_scheme(project)
        task = scheme.find_task(args.task, level)
        if task is None:
            names = ", ".join(t.name for t in scheme.at_level(level))
            print(f"annotator label: no {level} task {args.task!r} (tasks: {names})", file=sys.stderr)
            return EXIT_USAGE
        if project.conn.execute("SELECT 1 FROM articles WHERE id = ?", [args.article_id]).fetchone() is None:
            print(f"annotator label: no article {args.article_id}", file=sys.stderr)
            return EXIT_USAGE
        annotator = labels.ensure_annotator(project, args.annotator)
        if args.clear:
            labels.set_options(project, args.article_id, annotator, task.id, [], args.quote)
        else:
            option = task.find_option(args.option or "")
            if option is None:
                names = ", ".join(o.name for o in task.options)
                print(f"annotator label: {task.name} has no option {args.option!r} (options: {names})", file=sys.stderr)
                return EXIT_USAGE
            if task.kind == SINGLE:
                labels.set_choice(project, args.article_id, annotator, task.id, option.id, args.quote)
            else:
                labels.set_option(project, args.article_id, annotator, task.id, option.id, not args.off, args.quote)
        if args.status:
            labels.set_status(project, args.article_id, annotator, args.status)
        chosen = labels.chosen_options(project, args.article_id, annotator, task.id, args.quote)
        print(f"{task.name}: {', '.join(task.option(o).name for o in chosen) or '(none)'}")
    return EXIT_OK


class _TerminalProgress:
    """A one-line progress bar on stderr."""

    def __init__(self):
        self.shown = False

    def __call__(self, done: int, total: int, path: str) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        from annotator.core.validate import terminal_text

        name = terminal_text(Path(path).name, 40)
        # the carriage return that redraws the bar passes the terminal filter; the file name is stripped
        stream = getattr(sys.stderr, "unfiltered", sys.stderr)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name:<40}")
        stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


if __name__ == "__main__":
    sys.exit(main())
