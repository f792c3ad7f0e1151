"""Golden output: the detector finds exactly what it found before it was made faster.

tests/fixtures/detect/golden_digests.json holds, per article of every dev and polnear-train file
(as the importer reads it), a digest of everything detect() returns: every quote (span, marks,
kind, cue, speaker and its span, role, kind, confidence) and every speaker mention. Digests of our
own output, not copies of the corpus. Skips when ../shared is absent.

A change meant to alter what is found (a new DETECTOR_VERSION) regenerates the file, after the
scorer has shown the change is for the better:

    python -m tests.core.test_detect_golden --update
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import astuple

import pytest

from annotator.core.detect import DETECTOR_VERSION, detect
from annotator.core.ingest import read_paths
from tests.paths import DEV_CORPUS, FIXTURES, POLNEAR, SHARED

GOLDEN = FIXTURES / "detect" / "golden_digests.json"
FOLDERS = {"dev": DEV_CORPUS / "text", "polnear-train": POLNEAR / "text"}


def digest(text: str) -> str:
    det = detect(text)
    payload = json.dumps([[astuple(q) for q in det.quotes], [astuple(m) for m in det.mentions]],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


def digests() -> dict[str, list[str]]:
    """'corpus/file name' -> one digest per article the importer reads from the file."""
    out: dict[str, list[str]] = {}
    for corpus, folder in FOLDERS.items():
        files = sorted(folder.glob("*.txt"))
        for path, articles, _ in read_paths([str(p) for p in files]):
            out[f"{corpus}/{path.rsplit('/', 1)[-1]}"] = [digest(a.text) for a in articles]
    return out


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (the corpora) is absent")
def test_detection_unchanged_on_every_dev_and_polnear_file():
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert golden["detector"] == DETECTOR_VERSION, (
        "the detector version changed: check the scorer's figures, then regenerate the digests "
        "(python -m tests.core.test_detect_golden --update)")
    now = digests()
    assert set(now) == set(golden["files"])
    changed = sorted(name for name, got in now.items() if got != golden["files"][name])
    assert not changed, f"{len(changed)} files give other quotes or mentions than before, e.g. {changed[:5]}"


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print(__doc__)
        return 2
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    found = digests()
    GOLDEN.write_text(json.dumps({"detector": DETECTOR_VERSION, "files": found}, indent=0, sort_keys=True) + "\n",
                      encoding="utf-8")
    print(f"{GOLDEN}: {len(found)} files, {sum(len(v) for v in found.values())} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
