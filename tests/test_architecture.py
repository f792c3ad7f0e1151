"""The core stays a Qt-free library: checked by import-linter's contract in pyproject.toml."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout


def test_core_modules_import_without_qt():
    code = (
        "import sys, pkgutil, importlib, annotator.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'annotator.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "assert not any(k.startswith('PySide6') for k in sys.modules), 'core pulled in Qt'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_views_read_through_item_models_not_item_widgets():
    """House rule: Qt views read through QAbstractItemModel subclasses, not widgets stuffed with items."""
    import re

    item_widgets = re.compile(r"\bQ(?:List|Table|Tree)Widget(?:Item)?\b")
    found = [f"{path.relative_to(REPO)}:{n}" for path in sorted((REPO / "annotator" / "gui").glob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if item_widgets.search(line)]
    assert found == [], found


def test_sql_stays_out_of_the_gui():
    """House rule: no SQL in the GUI; it asks the core."""
    import re

    sql = re.compile(r"\b(?:SELECT\s+\S.*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b")
    found = [f"{path.relative_to(REPO)}:{n}" for path in sorted((REPO / "annotator" / "gui").glob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if sql.search(line)]
    assert found == [], found
