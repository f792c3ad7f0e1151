"""Shared fixtures. Qt runs headless: the platform is set before anything imports Qt."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest  # noqa: E402

from annotator.core.store import open_project  # noqa: E402
from tests.paths import DEV_CORPUS, FIXTURES, POLNEAR, REPO, SHARED  # noqa: E402,F401 (re-exported)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never touch the real user's data folder or settings from a test."""
    home = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture
def tmp_project(tmp_path):
    project = open_project(tmp_path / "project.db")
    yield project
    project.close()


@pytest.fixture
def demo_project(tmp_path):
    from annotator.core.demo import demo_corpus_dir
    from annotator.core.importer import import_paths

    project = open_project(tmp_path / "demo.db")
    import_paths(project, [demo_corpus_dir()], workers=1)
    yield project
    project.close()
