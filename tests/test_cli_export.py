"""The export, import-labels, merge, agreement, disagreements and adjudicate commands."""

import json

import pandas as pd
import pytest

from annotator.cli import main
from annotator.core.store import open_project
from tests.fixtures.review.sample import build_sample


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "p.db"
    project = open_project(path)
    build_sample(project)
    project.close()
    return path


def test_export_levels_and_options(project_path, tmp_path, capsys):
    out = tmp_path / "a.csv"
    assert main(["export", str(project_path), "--out", str(out)]) == 0
    assert "5 article rows" in capsys.readouterr().out
    assert len(pd.read_csv(out)) == 5
    assert main(["export", str(project_path), "--out", str(out), "--annotator", "ben", "--excel"]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and set(pd.read_csv(out).annotator) == {"ben"}
    assert main(["export", str(project_path), "--out", str(out), "--no-neutralise"]) == 0
    assert pd.read_csv(out).note[0] == "=SUM(A1:A9)"
    assert main(["export", str(project_path), "--out", str(out), "--all"]) == 0
    assert pd.read_csv(out).note[0] == "'=SUM(A1:A9)"
    q = tmp_path / "q.jsonl"
    assert main(["export", str(project_path), "--out", str(q), "--level", "quote", "--format", "jsonl"]) == 0
    assert len(q.read_text().splitlines()) == 3  # the quotes someone checked or marked
    assert main(["export", str(project_path), "--out", str(q), "--level", "quote", "--format", "jsonl",
                 "--include-unchecked"]) == 0
    assert len(q.read_text().splitlines()) == 4  # and a detection ann never looked at
    assert main(["export", str(project_path), "--out", str(out), "--adjudicated"]) == 0
    assert set(pd.read_csv(out).annotator) == {"adjudicated"}
    with pytest.raises(SystemExit):
        main(["export", str(project_path), "--out", str(out), "--all", "--annotator", "x"])


def test_import_labels_command(project_path, tmp_path, capsys):
    out = tmp_path / "a.csv"
    main(["export", str(project_path), "--out", str(out)])
    assert main(["import-labels", str(project_path), str(out)]) == 0
    assert "0 labels, notes or statuses changed" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("article_id,annotator,stance\n1,ann,furious\n")
    assert main(["import-labels", str(project_path), str(bad)]) == 1
    assert "row 2: stance: no option 'furious'" in capsys.readouterr().err


def test_merge_command(project_path, tmp_path, capsys):
    target = tmp_path / "t.db"
    assert main(["merge", str(target), str(project_path)]) == 0
    assert "4 added" in capsys.readouterr().out
    junk = tmp_path / "junk.db"
    junk.write_text("junk")
    assert main(["merge", str(target), str(project_path), str(junk)]) == 1
    captured = capsys.readouterr()
    assert "nothing new" in captured.out and "refused" in captured.err


def test_agreement_disagreements_adjudicate(project_path, capsys):
    assert main(["agreement", str(project_path)]) == 0
    assert "Krippendorff's alpha" in capsys.readouterr().out
    assert main(["agreement", str(project_path), "--task", "stance", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {t["level"] for t in data["tasks"]} == {"article", "quote"}
    assert main(["disagreements", str(project_path), "--task", "stance"]) == 0
    assert "ann: in favour, ben: neutral" in capsys.readouterr().out
    assert main(["adjudicate", str(project_path), "2", "stance", "neutral", "--adjudicator", "zoe"]) == 0
    capsys.readouterr()
    assert main(["disagreements", str(project_path), "--task", "stance", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert next(d for d in lines if d["article_id"] == 2)["adjudicator"] == "zoe"
    assert main(["adjudicate", str(project_path), "2", "stance", "furious", "--adjudicator", "zoe"]) == 2
    assert "no option 'furious'" in capsys.readouterr().err
    assert main(["adjudicate", str(project_path), "1", "stance", "neutral", "--quote", "1",
                 "--adjudicator", "zoe"]) == 0
