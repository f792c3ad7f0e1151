"""Synthetic news-like articles for benchmarks: seeded, made up, with quotes in several styles."""

from __future__ import annotations

import random

FIRST = ["Anna", "Marek", "Lena", "Tomas", "Ines", "Oskar", "Maya", "Pavel", "Rosa", "Elias", "Nora", "Ivan"]
LAST = ["Halvorsen", "Costa", "Novak", "Brandt", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Ferreira", "Quinn"]
ROLES = ["Finance Minister", "spokeswoman", "union leader", "Mayor", "analyst", "Senator", "chief executive"]
WORDS = (
    "the government plan budget council city market workers report week officials said talks trade "
    "prices energy school hospital voters policy court election project water river harbour bridge "
    "company jobs tax health police region farmers border agreement minister public pressure"
).split()
OUTLETS = ["Harbour Times", "Valley Courier", "Capital Ledger", "Northern Herald", "Coastal Gazette"]


def sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def article(rng: random.Random, index: int, target_chars: int = 4600) -> dict:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    surname = name.split()[1]
    role = rng.choice(ROLES)
    paragraphs = []
    while sum(len(p) for p in paragraphs) < target_chars:
        style = rng.randrange(5)
        if style == 0:
            paragraphs.append(f"\u201c{sentence(rng)[:-1]},\u201d {role} {name} said.")
        elif style == 1:
            paragraphs.append(f'"{sentence(rng)}" {surname} told reporters. "{sentence(rng, 8)}"')
        elif style == 2:
            paragraphs.append(f"{surname} said the plan was \u201c{' '.join(rng.choice(WORDS) for _ in range(4))}\u201d.")
        else:
            paragraphs.append(" ".join(sentence(rng) for _ in range(3)))
    title = f"Article {index}: " + sentence(rng, 7)[:-1]
    return {
        "title": title,
        "text": title + "\n\n" + "\n\n".join(paragraphs),
        "outlet": rng.choice(OUTLETS),
        "published": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "author": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "url": f"https://news.example/{index}",
    }
