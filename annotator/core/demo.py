"""The default project: used when no project is named, filled with the demo corpus on first start."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from annotator.core.importer import import_paths
from annotator.core.resources import resource_path
from annotator.core.store import Project, open_project


def data_dir() -> Path:
    """Per-user data folder (ANNOTATOR_DATA_DIR overrides it, for tests and portable installs)."""
    override = os.environ.get("ANNOTATOR_DATA_DIR")
    return Path(override) if override else Path(user_data_dir("annotator", appauthor=False))


def default_project_path() -> Path:
    return data_dir() / "demo.annotator.db"


def demo_corpus_dir() -> Path:
    return resource_path("demo")


def open_default_project() -> Project:
    """Open the default project, creating it from the demo corpus the first time."""
    path = default_project_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = not path.exists()
    project = open_project(path)
    if fresh or project.db["articles"].count == 0:
        import_paths(project, [demo_corpus_dir()], workers=1)
    return project
