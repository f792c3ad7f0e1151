"""`export --format qdpx|inception|brat|spacy|prodigy` and `import-qdpx`: the same core as the window."""

import json
import zipfile

import pytest

from annotator.cli import main
from annotator.core.store import open_project
from tests.core.exchange.helpers import build_exchange_sample, snapshot
from tests.paths import FIXTURES


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "p.db"
    project = open_project(path)
    build_exchange_sample(project)
    project.close()
    return path


def test_qdpx_out_and_back(project_path, tmp_path, capsys):
    out = tmp_path / "p.qdpx"
    assert main(["export", str(project_path), "--format", "qdpx", "--out", str(out)]) == 0
    assert "5 articles, 4 quotes, 2 speaker mentions written to" in capsys.readouterr().out
    other = tmp_path / "other.db"
    assert main(["import-qdpx", str(other), str(out)]) == 0
    assert "5 articles added" in capsys.readouterr().out
    with open_project(project_path) as a, open_project(other) as b:
        assert snapshot(a) == snapshot(b)


@pytest.mark.parametrize("fmt,name", [("inception", "i.zip"), ("brat", "b.zip"), ("spacy", "s.jsonl"),
                                      ("prodigy", "p.jsonl")])
def test_span_formats(project_path, tmp_path, capsys, fmt, name):
    out = tmp_path / name
    assert main(["export", str(project_path), "--format", fmt, "--out", str(out), "--annotator", "ann"]) == 0
    assert "5 articles" in capsys.readouterr().out
    if name.endswith(".zip"):
        assert len(zipfile.ZipFile(out).namelist()) > 5
    else:
        assert len([json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]) == 5


def test_export_to_a_missing_folder_says_so(project_path, tmp_path, capsys):
    assert main(["export", str(project_path), "--format", "brat", "--out", str(tmp_path / "no" / "b.zip")]) == 1
    assert "No such file or directory" in capsys.readouterr().err


def test_a_bad_qdpx_is_one_line_and_exit_1(project_path, tmp_path, capsys):
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip", encoding="utf-8")
    assert main(["import-qdpx", str(project_path), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.qdpx: not a .qdpx file" in err and "Traceback" not in err


def test_codes_and_mapping(tmp_path, capsys):
    folder = FIXTURES / "exchange" / "maxqda_style"
    qdpx = tmp_path / "m.qdpx"
    with zipfile.ZipFile(qdpx, "w") as zf:
        for item in folder.rglob("*"):
            if item.is_file():
                zf.write(item, item.relative_to(folder).as_posix())
    assert main(["import-qdpx", str(tmp_path / "x.db"), str(qdpx), "--codes"]) == 0
    listing = capsys.readouterr().out
    assert "Haltung/positiv" in listing and not (tmp_path / "x.db").exists()
    mapping = tmp_path / "map.txt"
    mapping.write_text("Zitat = quote\nSprecher = speaker\n", encoding="utf-8")
    project = tmp_path / "y.db"
    assert main(["import-qdpx", str(project), str(qdpx), "--map-file", str(mapping), "--map", "Haltung=skip",
                 "--annotator", "Lea"]) == 0
    assert "1 quotes, 1 speaker mentions" in capsys.readouterr().out
    with open_project(project) as p:
        assert p.conn.execute("SELECT annotator FROM quotes").fetchone()[0] == "Lea"
    assert main(["import-qdpx", str(project), str(qdpx), "--map", "Nope=quote"]) == 1
    assert "the mapping names the code 'Nope'" in capsys.readouterr().err
