"""The CLI as a researcher uses it: exit codes, JSON output, help for every command."""

import json
import subprocess
import sys

import pytest

from annotator import __version__
from annotator.cli import build_parser, main
from tests.paths import FIXTURES

INGEST = FIXTURES / "ingest"


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], capture_output=True, text=True, **kw)


def test_version_and_help():
    out = run("--version")
    assert out.returncode == 0 and __version__ in out.stdout
    out = run("--help")
    assert out.returncode == 0 and "import" in out.stdout


def test_every_subcommand_has_help(capsys):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"import", "info", "articles", "gui"} <= set(commands)
    for name in commands:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert "usage: annotator " + name in capsys.readouterr().out


def test_import_exit_codes_and_json_report(tmp_path):
    project = tmp_path / "my project.db"  # spaces in names work
    out = run("import", project, INGEST / "plain_article.txt", INGEST / "news_please_records.json", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["articles_imported"] == 3 and report["failed_files"] == 0

    out = run("import", project, INGEST / "plain_article.txt", INGEST / "broken_row.csv")
    assert out.returncode == 1
    assert "0 articles imported" in out.stdout and "1 duplicate skipped" in out.stdout
    assert "broken_row.csv, row 2" in out.stdout

    out = run("info", project, "--json")
    info = json.loads(out.stdout)
    assert info["articles"] == 3 and info["schema_version"] >= 1 and info["path"].endswith("my project.db")

    out = run("articles", project, "--json", "--limit", "2")
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 2 and rows[0]["title"] == "Council approves night bus pilot"
    out = run("articles", project)
    assert len(out.stdout.splitlines()) == 3


def test_usage_errors_exit_2(tmp_path):
    assert run("import").returncode == 2
    assert run("import", tmp_path / "p.db", INGEST / "plain_article.txt", "--map", "nonsense").returncode == 2
    bad = tmp_path / "notes.db"
    bad.write_text("not a project")
    out = run("info", bad)
    assert out.returncode == 2 and "not an annotator project" in out.stderr
    assert bad.read_text() == "not a project"


def test_map_option_and_leading_dash_file_names(tmp_path):
    weird = tmp_path / "-odd name ü.csv"
    weird.write_bytes((INGEST / "custom_columns.csv").read_bytes())
    out = run("import", tmp_path / "p.db", "--map", "text=Volltext,title=Ueberschrift", "--", weird)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 articles imported" in out.stdout


def test_quotes_jsonl_gives_offsets_into_each_article_of_a_multi_article_file():
    out = run("quotes", INGEST / "aggregator_two_related.txt", "--jsonl")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert {r["article"] for r in rows} >= {0, 1}
    keys = {"file", "article", "title", "start", "end", "text", "speaker", "speaker_start", "speaker_end", "cue",
            "confidence"}
    assert all(keys <= set(r) for r in rows)
    ekberg = [r for r in rows if r["text"].startswith("We share one river")]
    assert ekberg and ekberg[0]["speaker"] == "Jonas Ekberg" and ekberg[0]["article"] == 0
    from annotator.core.ingest.text import parse_text

    articles = list(parse_text((INGEST / "aggregator_two_related.txt").read_text(encoding="utf-8"), "x"))
    for r in rows:
        assert articles[r["article"]].text[r["start"] : r["end"]] == r["text"]


THREE_FORMS = FIXTURES / "detect" / "three_forms.txt"


def test_quotes_jsonl_rows_carry_form_and_content():
    out = run("quotes", THREE_FORMS, "--jsonl")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    text = THREE_FORMS.read_text(encoding="utf-8")
    assert {r["form"] for r in rows} == {"direct", "mixed", "indirect"}
    for r in rows:
        assert text[r["content_start"]:r["content_end"]] == r["content"]
        assert text[r["start"]:r["end"]] == r["text"]
        if r["form"] == "direct":
            assert r["content"] == r["text"]
    indirect = next(r for r in rows if r["form"] == "indirect" and r["speaker"] == "Ann Lee")
    assert indirect["content"] == "the tunnel would open in May" and indirect["cue"] == "said"
    mixed = next(r for r in rows if r["form"] == "mixed")
    assert mixed["text"] == "a fairy tale" and mixed["speaker"] == "Tom Berg"


def test_forms_choice_on_quotes_and_a_bad_form_is_a_usage_error(tmp_path):
    out = run("quotes", THREE_FORMS, "--jsonl", "--forms", "indirect")
    assert out.returncode == 0
    assert {json.loads(line)["form"] for line in out.stdout.splitlines()} == {"indirect"}
    out = run("quotes", THREE_FORMS, "--forms", "direct,sayings")
    assert out.returncode == 2 and "--forms: unknown form 'sayings'" in out.stderr
    out = run("detect", tmp_path / "none.db", "--forms", "nope")
    assert out.returncode == 2 and "--forms" in out.stderr
    project = tmp_path / "p.db"
    assert run("import", project, THREE_FORMS, "--forms", "direct,mixed").returncode == 0
    import sqlite3
    assert {r[0] for r in sqlite3.connect(project).execute("SELECT form FROM quotes")} == {"direct", "mixed"}


def test_detect_command_reruns_on_a_project(tmp_path):
    project = tmp_path / "p.db"
    assert run("import", project, INGEST / "plain_article.txt", "--no-detect").returncode == 0
    out = run("detect", project)
    import sqlite3
    forms = [r[0] for r in sqlite3.connect(project).execute("SELECT form FROM quotes")]
    assert out.returncode == 0 and f"{len(forms)} quotes" in out.stdout
    assert forms.count("direct") == 1   # the fixture's one direct quote; its other sentences hold reported speech


def test_import_says_which_documents_were_left_out(tmp_path):
    project = tmp_path / "p.db"
    out = run("import", project, INGEST / "nexis_empty_body.txt", "--no-detect")
    assert out.returncode == 0
    assert "1 article imported from 1 file;" in out.stdout and "1 document left out of imported files" in out.stdout
    assert "left out of " in out.stdout and "line 19: document 2 left out" in out.stdout
    report = json.loads(run("import", tmp_path / "q.db", INGEST / "nexis_empty_body.txt", "--json", "--no-detect").stdout)
    assert report["report"][0]["left_out"] == 1 and report["failed_files"] == 0
