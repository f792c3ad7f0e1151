"""What installs the app is complete: the wheel carries resources/, every package folder is
declared, the desktop entry, icons and AppStream metadata agree. None of it needs the bundle."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

import annotator
from annotator.core.resources import resource_path

REPO = Path(__file__).resolve().parents[1]
PACKAGING = REPO / "packaging"
ICONS = REPO / "resources" / "icons"
DESKTOP = PACKAGING / "annotator.desktop"
METAINFO = PACKAGING / "io.github.newsannotator.Annotator.metainfo.xml"
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)
OFFLINE_SIGNS = ("Could not find a version", "No matching distribution", "NewConnectionError",
                 "Temporary failure in name resolution", "Network is unreachable")


def _pyproject() -> dict:
    tomllib = pytest.importorskip("tomllib")
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _resource_files() -> list[str]:
    root = REPO / "resources"
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


def _build_wheel(tmp_path: Path) -> Path:
    """A wheel built from a clean copy of the tree (so no stale build/ output leaks in)."""
    src = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("annotator", "resources"):
        shutil.copytree(REPO / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, src / name)
    out = tmp_path / "wheel"
    try:
        import wheel  # noqa: F401  (setuptools < 70.1 builds wheels through it)

        isolation = ["--no-build-isolation"]
    except ImportError:
        isolation = []  # pip fetches the build backend named in pyproject.toml
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
           *isolation, "-w", str(out), str(src)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        log = done.stdout + done.stderr
        if any(sign in log for sign in OFFLINE_SIGNS):
            pytest.skip("building the wheel needs the package index, which is not reachable")
        pytest.fail(f"pip wheel failed:\n{log[-3000:]}")
    (found,) = out.glob("*.whl")
    return found


def test_wheel_carries_every_resource_file(tmp_path):
    names = set(zipfile.ZipFile(_build_wheel(tmp_path)).namelist())
    missing = [f for f in _resource_files() if f"annotator/resources/{f}" not in names]
    assert not missing, f"not in the wheel: {missing}"
    assert "annotator/cli.py" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_every_package_folder_is_declared_in_pyproject():
    config = _pyproject()["tool"]["setuptools"]
    declared = set(config["packages"])
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "annotator").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found - declared == set(), "package folders missing from [tool.setuptools] packages"
    assert "annotator.resources" in declared
    assert config["package-dir"]["annotator.resources"] == "resources"
    for name in declared - {"annotator.resources"}:
        assert (REPO / Path(*name.split("."))).is_dir(), f"{name} is declared but has no folder"


def test_demo_corpus_is_found_through_the_resource_lookup():
    demo = resource_path("demo")
    assert demo.is_dir()
    assert any(demo.iterdir())
    assert resource_path("icons", "annotator-256.png").is_file()


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_starts_the_installed_command_with_our_icon():
    entry = _desktop_entry()
    for key in ("Type", "Name", "Comment", "Exec", "Icon", "Categories", "Terminal"):
        assert entry.get(key), f"{DESKTOP.name} lacks {key}"
    assert entry["Type"] == "Application"
    assert entry["Terminal"] == "false"
    command = entry["Exec"].split()[0]
    assert command in _pyproject()["project"]["scripts"], "Exec names a command the package does not install"
    assert entry["Categories"].endswith(";")
    assert (ICONS / f"{entry['Icon']}.svg").is_file(), "Icon names no icon in resources/icons"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_entry_passes_desktop_file_validate():
    done = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_png_has_its_pixel_size(size):
    assert _png_size(ICONS / f"annotator-{size}.png") == (size, size)


def test_icon_svg_is_square_xml():
    root = ET.parse(ICONS / "annotator.svg").getroot()
    assert root.tag.endswith("svg")
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert width == height


def test_metainfo_names_the_desktop_entry_binary_and_current_release():
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == METAINFO.name.removesuffix(".metainfo.xml")
    launchable = root.find("launchable")
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("provides/binary") == _desktop_entry()["Exec"].split()[0]
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.find("content_rating") is not None
    versions = [r.get("version") for r in root.iter("release")]
    assert annotator.__version__ in versions, "add a <release> for the current version to the metainfo"


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream (appstreamcli) not installed")
def test_metainfo_passes_appstreamcli_validate():
    done = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                          capture_output=True, text=True, env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert done.returncode == 0, done.stdout + done.stderr


def test_bundle_keeps_every_qt_module_the_app_imports():
    """The spec leaves most of Qt out of the bundle; a module the app starts using must not be among them."""
    spec = (PACKAGING / "annotator.spec").read_text(encoding="utf-8")
    block = spec[spec.index("QT_EXCLUDES = [") : spec.index("EXCLUDES = QT_EXCLUDES")]
    excluded = set(re.findall(r"\bQt[A-Za-z0-9]+\b", block))
    used = set()
    for path in (REPO / "annotator").rglob("*.py"):
        used |= set(re.findall(r"PySide6\.(Qt[A-Za-z0-9]+)", path.read_text(encoding="utf-8")))
    assert used, "found no Qt imports at all: the scan is broken"
    assert not used & excluded, (
        f"{sorted(used & excluded)} imported by the app but left out of the bundle: "
        "take them out of QT_EXCLUDES and UNUSED_FILES in packaging/annotator.spec"
    )
