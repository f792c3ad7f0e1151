"""What reported speech costs: detection with (default) and without (--forms direct) the reported-speech
step, same texts, same run.

Reads a folder of .txt articles (default: ../shared/corpus/polnear-train/text) or, when it is absent,
the synthetic articles of detect_bench; prints MB/s of both and their ratio. Figures only.

    python benchmarks/reported_bench.py [FOLDER]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.detect import pipeline  # noqa: E402


def _texts() -> list[str]:
    default = Path(__file__).resolve().parents[2] / "shared/corpus/polnear-train/text"
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    if folder.is_dir():
        return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    from benchmarks.detect_bench import make_corpus  # type: ignore
    return make_corpus(2)


def _run(texts: list[str], forms=None) -> float:
    t = time.perf_counter()
    for text in texts:
        pipeline.run_rules(text, forms)
    return time.perf_counter() - t


def main() -> None:
    texts = _texts()
    mb = sum(len(t) for t in texts) / 1e6
    # interleaved, best of three each: the machine's load falls on both alike
    without, with_reported = [], []
    for _ in range(3):
        without.append(_run(texts, ("direct",)))
        with_reported.append(_run(texts))
    without_s, with_s = min(without), min(with_reported)
    print(f"{len(texts)} articles, {mb:.1f} MB")
    print(f"direct quotes only (--forms direct): {mb / without_s:6.2f} MB/s")
    print(f"direct + reported speech (default):  {mb / with_s:6.2f} MB/s")
    print(f"reported speech costs {100 * (with_s / without_s - 1):.0f}% more time")


if __name__ == "__main__":
    main()
