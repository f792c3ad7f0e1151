"""`annotator entities`, `suggest`, `entities-import/-export`, `entities-merge` and `link` from a shell."""

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.store import open_project

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "entities"


@pytest.fixture
def project_path(tmp_path):
    """A project with two articles naming the same made-up source in different ways."""
    path = tmp_path / "p.db"
    with open_project(path) as project:
        for uid, names in (("a1", ["Marisol Quennell", "Quennell"]), ("a2", ["Harbour Master Marisol Quennell"])):
            article = project.db["articles"].insert({"uid": uid, "text": "x"}).last_pk
            for i, name in enumerate(names):
                mention = project.db["mentions"].insert({
                    "article_id": article, "start": i * 50, "end": i * 50 + len(name), "text": name, "name": name,
                    "kind": "person", "origin": "auto"}).last_pk
                project.db["quotes"].insert({
                    "article_id": article, "start": i * 50 + 20, "end": i * 50 + 40, "speaker": name,
                    "speaker_kind": "person", "mention_id": mention, "origin": "auto"})
    return str(path)


def test_link_then_entities_lists_one_source_with_its_counts(project_path, capsys):
    assert main(["link", project_path]) == 0
    assert "6 mentions and quotes linked" in capsys.readouterr().out
    assert main(["entities", project_path, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 1
    assert rows[0]["name"] == "Marisol Quennell"
    assert (rows[0]["mentions"], rows[0]["quotes"], rows[0]["links"]) == (3, 3, 6)
    assert rows[0]["role"] == "Harbour Master"


def test_suggest_prints_the_entity_for_a_typo(project_path, capsys):
    main(["link", project_path])
    capsys.readouterr()
    assert main(["suggest", project_path, "quenel", "--json", "--limit", "3"]) == 0
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert found[0]["name"] == "Marisol Quennell"
    assert main(["suggest", project_path, "mq"]) == 0
    assert "Marisol Quennell" in capsys.readouterr().out


def test_import_with_bad_rows_exits_1_names_the_rows_and_imports_nothing(project_path, capsys):
    code = main(["entities-import", project_path, str(FIXTURES / "entity_list_bad_rows.csv")])
    captured = capsys.readouterr()
    assert code == 1
    assert "nothing imported" in captured.out
    assert "row 3:" in captured.err and "row 4:" in captured.err and "row 6:" in captured.err
    main(["entities", project_path])
    assert capsys.readouterr().out == ""


def test_import_export_and_merge(project_path, tmp_path, capsys):
    assert main(["entities-import", project_path, str(FIXTURES / "entity_list.csv")]) == 0
    assert "5 entities created" in capsys.readouterr().out
    main(["link", project_path])   # the listed Marisol Quennell gets the links
    out = tmp_path / "out.csv"
    assert main(["entities-export", project_path, str(out)]) == 0
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == "name,kind,aliases,role"
    capsys.readouterr()
    main(["entities", project_path, "--json"])
    rows = {r["name"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    keep, other = rows["Marisol Quennell"]["id"], rows["Tobias Varga"]["id"]
    assert main(["entities-merge", project_path, str(keep), str(other)]) == 0
    assert "merged 'Tobias Varga'" in capsys.readouterr().out
    assert main(["entities-merge", project_path, str(keep), str(other)]) == 1
    assert f"no entity {other}" in capsys.readouterr().err


def test_missing_project_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["entities", str(tmp_path / "absent.db")])
    assert exc.value.code == 2
