"""Where test data lives: our fixtures, and the shared corpora (absent on some machines)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED = REPO.parent / "shared"
DEV_CORPUS = SHARED / "corpus" / "dev"
POLNEAR = SHARED / "corpus" / "polnear-train"
