"""The compiled-pattern cache: what it hands to re is the same matcher re.compile makes, and a
missing, damaged or switched-off cache only means patterns are compiled as usual."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from annotator.core import patterncache

pytestmark = pytest.mark.skipif(not patterncache._USABLE, reason="re internals of another layout")

PATTERNS = [
    (r"(?<![\w'\u2019-])(?:said|says|told|according\s+to)(?![\w'\u2019-])", 0),
    (r"(?P<first>[A-Z][a-z]+)\s+(?P<last>[A-Z][a-z]+)(?:'s)?", 0),
    (r"\b(?:the|a|an)\s+$", re.I | re.M),
    (r"^(\d{4})-(\d\d)-(\d\d)$", re.M),
    ("[\"\u201c\u201d]|''", 0),
]
TEXT = ("Anna Berger said the plan would fail.\n2024-05-01\nAccording to aides, THE vote\n"
        "\u201cNo,\u201d Lee's aide told reporters. It's ''done'' the \n1999-12-31")


def _same_matcher(a: re.Pattern, b: re.Pattern) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    assert [(m.span(), m.groups(), m.groupdict()) for m in a.finditer(TEXT)] == \
        [(m.span(), m.groups(), m.groupdict()) for m in b.finditer(TEXT)]
    assert [m.span() for m in a.finditer(TEXT)]   # every fixture pattern finds something in TEXT


@pytest.mark.parametrize("pattern,flags", PATTERNS)
def test_an_entry_builds_the_matcher_re_compile_makes(pattern, flags):
    entry = json.loads(json.dumps(patterncache._entry(pattern, flags)))   # as stored and read back
    got_pattern, got_flags, compiled = patterncache._from_entry(entry)
    assert (got_pattern, got_flags) == (pattern, flags)
    _same_matcher(compiled, re.compile(pattern, flags))


def test_save_then_seed_in_a_new_process_hands_re_the_cached_matchers(tmp_path):
    path = tmp_path / "patterns.json"
    script = (
        "import re, sys\n"
        "from annotator.core import patterncache as pc\n"
        "sys.modules['annotator.fixture'] = m = type(sys)('annotator.fixture')\n"
        "m.A = re.compile(r'(?P<w>[A-Z]\\w+) said', re.I)\n"
        "m.B = re.compile('[\"\\u201c]')\n"
        "print(pc.save_new())\n"
    )
    env = {**_env(), "ANNOTATOR_PATTERN_CACHE": str(path)}
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert int(first.stdout.split()[-1]) >= 2   # the two fixture patterns (and the app's own) were written
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [r"(?P<w>[A-Z]\w+) said", int(re.I)] in [e[:2] for e in data["patterns"]]
    check = (
        "import re\n"
        "import annotator.core\n"
        "hit = re._cache.get((str, r'(?P<w>[A-Z]\\w+) said', int(re.I)))\n"
        "assert hit is not None and re.compile(r'(?P<w>[A-Z]\\w+) said', re.I) is hit\n"
        "assert [m.group('w') for m in hit.finditer('Lee said; ANNA SAID')] == ['Lee', 'ANNA']\n"
        "print('ok')\n"
    )
    second = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, env=env, check=True)
    assert second.stdout.strip() == "ok"
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert again.stdout.split()[-1] == "0"   # nothing new: the file is not rewritten


@pytest.mark.parametrize("content", ["", "not json", '{"version": "other", "patterns": []}',
                                     '{"version": "%s", "patterns": [["x", 0, 32, [1, 2, 3], 0, {}, [null]], 7]}'])
def test_a_damaged_or_foreign_file_is_passed_over(tmp_path, monkeypatch, content):
    path = tmp_path / "patterns.json"
    path.write_text(content.replace("%s", patterncache._VERSION), encoding="utf-8")
    monkeypatch.setenv("ANNOTATOR_PATTERN_CACHE", str(path))
    monkeypatch.setattr(patterncache, "_seeded", False)
    monkeypatch.setattr(patterncache, "_known", {})
    assert patterncache.seed() == 0   # bad code is refused by _sre.compile; nothing reaches re's cache
    assert re.compile("x").match("x")


def test_switched_off_nothing_is_read_or_written(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_PATTERN_CACHE", "0")
    assert patterncache.cache_path() is None
    monkeypatch.setattr(patterncache, "_seeded", False)
    assert patterncache.seed() == 0
    assert patterncache.save_new() == 0


def test_the_apps_patterns_are_the_same_text_in_every_process():
    """A pattern built from a set in hash order would differ from run to run and never be found."""
    script = ("import annotator.core.detect.pipeline, annotator.core.file_quotes, annotator.core.importer\n"
              "from annotator.core import patterncache as pc\n"
              "print(sorted(pc.app_patterns()))\n")
    outs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**_env(), "PYTHONHASHSEED": seed, "ANNOTATOR_PATTERN_CACHE": "0"}).stdout
            for seed in ("1", "2", "3")}
    assert len(outs) == 1 and len(next(iter(outs))) > 1000


def _env() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if k != "ANNOTATOR_PATTERN_CACHE"}
