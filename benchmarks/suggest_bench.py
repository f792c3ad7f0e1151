"""How fast entity suggestions are at corpus scale: 100,000 synthetic entities with 300,000 aliases.

Prints the index build time and memory, suggestion latency (p50/p95/p99) over 1,000 typed queries
(prefixes of growing length, some with typos), and a naive rapidfuzz scan over all 400,000 strings
for comparison. Names are made from random syllables (seeded); no real data.

    .venv/bin/python benchmarks/suggest_bench.py [--entities 100000] [--queries 1000]
"""

from __future__ import annotations

import argparse
import gc
import random
import time
import tracemalloc

from rapidfuzz import fuzz, process

from annotator.core.names import normalise_name
from annotator.core.suggest import IndexRow, SuggestIndex

SYLLABLES = ("ka ri to mu na se lo vi da ne ha ro tsu ma li be ko ra yu shi an el or um in ek "
             "al ber chen wu zha ng ov ich ski mar tin son sen dre ga lu nick ho ward xi ping "
             "jo se al va rez mé lè ço ña ö").split()
KINDS = ("person", "person", "person", "organisation", "place", "other")


def make_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def make_rows(n_entities: int, n_aliases: int, seed: int = 7) -> list[IndexRow]:
    rng = random.Random(seed)
    rows = []
    for eid in range(1, n_entities + 1):
        words = [make_word(rng) for _ in range(rng.choice((1, 2, 2, 2, 3, 3)))]
        rows.append(IndexRow(eid, " ".join(words), rng.choice(KINDS), [], rng.randint(0, 50)))
    for _ in range(n_aliases):
        row = rows[rng.randrange(n_entities)]
        words = row.name.split()
        form = rng.random()
        if form < 0.4 and len(words) > 1:
            alias = words[-1]
        elif form < 0.7:
            alias = f"{make_word(rng)} {words[-1]}"
        else:
            alias = f"{rng.choice(('Dr', 'Mr', 'Ms', 'Gen'))} {' '.join(words)} {make_word(rng)}"
        row.names.append((alias, ""))
    # The project file stores every normalised form, so the index gets them ready-made.
    for row in rows:
        row.names = [(row.name, normalise_name(row.name))] + [(a, normalise_name(a)) for a, _ in row.names]
    return rows


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(2, len(word) - 1)
    op = rng.choice(("swap", "drop", "replace"))
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == "drop":
        return word[:i] + word[i + 1:]
    return word[:i] + rng.choice("aeioukrst") + word[i + 1:]


def typed_queries(rows: list[IndexRow], count: int, seed: int = 11) -> list[tuple[str, int]]:
    """Keystrokes of people typing names, with the entity meant: each typed a growing prefix at a time."""
    rng = random.Random(seed)
    queries: list[tuple[str, int]] = []
    while len(queries) < count:
        row = rows[rng.randrange(len(rows))]
        text, _ = rng.choice(row.names)
        roll = rng.random()
        if roll < 0.2:
            text = typo(text, rng)
        elif roll < 0.3:
            text = text.split()[-1]
        elif roll < 0.35 and len(text.split()) > 1:
            text = "".join(w[0] for w in text.split())
        elif roll < 0.45 and len(text.split()) > 1:
            text = f"{text.split()[0][0]} {text.split()[-1]}"
        for end in range(1, min(len(text), 14) + 1):
            queries.append((text[:end], row.entity_id))
    return queries[:count]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--aliases", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--naive", type=int, default=20, help="queries for the naive full scan")
    args = parser.parse_args()

    t0 = time.perf_counter()
    rows = make_rows(args.entities, args.aliases)
    strings = sum(len(r.names) for r in rows)
    print(f"synthetic data: {args.entities:,} entities, {strings:,} names and aliases "
          f"(generated and normalised in {time.perf_counter() - t0:.2f} s)")

    gc.collect()
    t0 = time.perf_counter()
    index = SuggestIndex.build(rows)
    build_s = time.perf_counter() - t0
    print(f"index build: {build_s:.2f} s (goal < 2 s)")

    del index
    gc.collect()
    tracemalloc.start()
    index = SuggestIndex.build(rows)
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"index memory: {current / 2**20:.0f} MiB held by the index beyond the input rows (tracemalloc)")

    queries = typed_queries(rows, args.queries)
    t0 = time.perf_counter()
    index.search("a", 10)  # the first one-letter query sorts all names by weight, once
    print(f"first one-letter query of a session (sorts names by weight once): "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    times = []
    empty = 0
    hits = 0
    long_queries = 0
    for q, target in queries:
        t0 = time.perf_counter()
        found = index.search(q, 10)
        times.append((time.perf_counter() - t0) * 1000)
        empty += not found
        if len(q) >= 6:  # by six letters the person expects to see the name offered
            long_queries += 1
            hits += any(s.entity_id == target for s in found)
    print(f"suggest over {len(queries):,} keystrokes: p50 {percentile(times, 50):.2f} ms, "
          f"p95 {percentile(times, 95):.2f} ms, p99 {percentile(times, 99):.2f} ms, "
          f"max {max(times):.1f} ms (goal p95 <= 10 ms); {empty} queries with no suggestion")
    print(f"the entity being typed is among the 10 offered for {hits / max(long_queries, 1):.0%} of the "
          f"{long_queries} keystrokes with 6+ characters (typos included)")

    # Cold short prefixes: the first one- and two-letter queries after a change build a small cache.
    index.add_entity(args.entities + 1, "Zzyzx Fresh", "person", ["Fresh Zzyzx"])
    t0 = time.perf_counter()
    index.search("m", 10)
    print(f"first one-letter query after an edit (cold cache): {(time.perf_counter() - t0) * 1000:.1f} ms")

    all_strings = [norm for r in rows for _, norm in r.names]
    sample = [q for q, _ in random.Random(3).sample(queries, min(args.naive, len(queries)))]
    for name, scorer in (("WRatio", fuzz.WRatio), ("QRatio", fuzz.QRatio)):
        t0 = time.perf_counter()
        for q in sample:
            process.extract(normalise_name(q), all_strings, scorer=scorer, processor=None, limit=10)
        per_query = (time.perf_counter() - t0) * 1000 / len(sample)
        print(f"naive scan, process.extract over {len(all_strings):,} strings with {name}: "
              f"{per_query:.0f} ms a query ({len(sample)} queries)")


if __name__ == "__main__":
    main()
