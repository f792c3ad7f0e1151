"""Speed of the rule-based quote detector on synthetic news text.

Builds several MB of made-up articles (quotes in every style: straight, curly, single,
guillemets, two apostrophes, multi-paragraph, interrupted, scare quotes, apostrophes),
runs detect() on one core and prints MB/s and ms per 5,000-character article.
Figures only; no assertions.

    python benchmarks/detect_bench.py [megabytes]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.detect import detect  # noqa: E402

FIRST = ["Anna", "Peter", "Maria", "John", "Sarah", "David", "Elena", "Tom", "Grace", "Omar"]
LAST = ["Berger", "Costa", "Novak", "Lind", "Okafor", "Whitfield", "Brandt", "Aalto", "Mendes", "Reyes"]
ROLES = ["Finance Minister", "city council spokeswoman", "Sen.", "Gov.", "union leader", "Police Chief"]
ORGS = ["the transport ministry", "Norway's foreign ministry", "the city council", "the statement"]
VERBS = ["said", "told reporters", "added", "insisted", "warned", "wrote"]
CLAUSES = ["the plan will cost more than expected", "we have done everything we could",
           "nobody in this town wants another delay", "the numbers do not lie",
           "our members are tired of waiting", "this is only the beginning"]
FILLER = ["The council met on Tuesday to discuss the budget for next year.",
          "Officials did not say when the bridge would reopen.",
          "Traffic on the main road was slow for most of the day, and the Joneses' shop stayed shut.",
          "Residents who don't drive said buses in the '90s ran more often.",
          "The so-called \"green corridor\" has been debated for a decade.",
          "A report released last month found that costs had doubled since 2019."]


def paragraph(rng: random.Random) -> str:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    clause = rng.choice(CLAUSES)
    style = rng.randrange(24)   # about a third of paragraphs quote someone, as in real news
    if style == 0:
        return f'"{clause.capitalize()}," {rng.choice(ROLES)} {name} {rng.choice(VERBS)}.'
    if style == 1:
        return f"\u201c{clause.capitalize()},\u201d said {name}, who has lived here for years."
    if style == 2:
        return f"'{clause.capitalize()},' {name.split()[1]} said on Monday."
    if style == 3:
        return f"{name} {rng.choice(VERBS)}: \u00ab{clause.capitalize()}.\u00bb"
    if style == 4:
        return f"''{clause.capitalize()},'' {rng.choice(ORGS)} said."
    if style == 5:
        return f'"{clause.capitalize()}," she said, "and {rng.choice(CLAUSES)}."'
    if style == 6:
        return f"{name} said:\n\n\u201c{clause.capitalize()}.\n\n\u201c{rng.choice(CLAUSES).capitalize()}.\u201d"
    if style == 7:
        return f"According to {rng.choice(ORGS)}, the project is \u201c{clause}\u201d."
    return " ".join(rng.choice(FILLER) for _ in range(rng.randint(2, 4)))


def article(rng: random.Random, size: int = 5000) -> str:
    parts, length = [], 0
    while length < size:
        p = paragraph(rng)
        parts.append(p)
        length += len(p) + 2
    return "\n\n".join(parts)[:size]


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 4.0
    rng = random.Random(7)
    articles = [article(rng) for _ in range(int(megabytes * 1_000_000 / 5000))]
    total = sum(len(a) for a in articles)
    detect(articles[0])  # warm up: word lists and regexes
    quotes = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    for text in articles:
        quotes += len(detect(text).quotes)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"articles: {len(articles)}  characters: {total:,}  quotes found: {quotes:,}")
    print(f"throughput: {total / 1e6 / seconds:.2f} MB/s wall, {total / 1e6 / cpu:.2f} MB/s CPU time")
    print(f"per 5,000-character article: {seconds * 1000 / len(articles):.2f} ms wall, "
          f"{cpu * 1000 / len(articles):.2f} ms CPU")


if __name__ == "__main__":
    main()
