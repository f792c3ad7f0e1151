"""Source names as people write them, made comparable: titles and roles split off, and one
normalised form (casefolded, accents stripped, possessive dropped) stored beside each name."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from annotator.core.resources import read_word_list

ENTITY_KINDS = ("person", "organisation", "place", "other")
_KIND_SYNONYMS = {
    "person": "person", "people": "person", "per": "person", "individual": "person",
    "organisation": "organisation", "organization": "organisation", "org": "organisation",
    "company": "organisation", "institution": "organisation",
    "place": "place", "location": "place", "loc": "place", "gpe": "place", "country": "place",
    "other": "other", "unknown": "other", "misc": "other",
}
# Words after a comma that belong to the name, not to a role ("Martin Luther King, Jr.").
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_POSSESSIVE_RE = re.compile(r"['\u2019\u02bc]s?$")
_APOSTROPHES_RE = re.compile(r"['\u2019\u02bc`\u00b4]")
_NON_WORD_RE = re.compile(r"[^\w]+")
_LEADING_ARTICLE_RE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """Lowercase title and role words from resources/entities/titles.txt."""
    return frozenset(w.lower().rstrip(".") for w in read_word_list("entities", "titles.txt"))


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)   # the same names come back article after article (linking, the fuzzy index)
def normalise_name(text: str) -> str:
    """The comparable form of a name: "José Álvarez's" -> "jose alvarez", "J.D. Vance" -> "j d vance"."""
    if not text:
        return ""
    words = []
    for word in strip_accents(text).casefold().split():
        word = _POSSESSIVE_RE.sub("", word) if len(word) > 2 else word
        word = _APOSTROPHES_RE.sub("", word)  # O'Brien -> obrien
        word = _NON_WORD_RE.sub(" ", word).replace("_", " ")
        words.append(word)
    return " ".join(" ".join(words).split())


def entity_kind(kind: str | None, default: str = "other") -> str | None:
    """One of ENTITY_KINDS for a kind as a detector or a spreadsheet writes it; None if unknown."""
    if kind is None or not str(kind).strip():
        return default
    return _KIND_SYNONYMS.get(str(kind).strip().casefold())


def _is_title(token: str) -> bool:
    return token.casefold().rstrip(".,") in title_words()


def _drop_possessive(name: str) -> str:
    head, sep, last = name.rpartition(" ")
    stripped = _POSSESSIVE_RE.sub("", last) if len(last) > 2 else last
    return f"{head}{sep}{stripped}" if stripped else name


def split_title(text: str, kind: str | None = "person") -> tuple[str, str | None]:
    """(name, role) from a name as written: "Commerce Secretary Howard Lutnick" -> ("Howard Lutnick",
    "Commerce Secretary"); "Tammy Bruce, a State Department spokeswoman" -> ("Tammy Bruce", "State
    Department spokeswoman"). Organisations and places come back whole; the role is None when absent."""
    text = " ".join((text or "").split())
    if not text:
        return "", None
    if entity_kind(kind) in ("organisation", "place"):
        return _drop_possessive(text), None
    role_parts: list[str] = []
    head, comma, tail = text.partition(",")
    if comma and head.strip() and tail.strip():
        tail = tail.strip()
        if tail.casefold().rstrip(".") in _NAME_SUFFIXES:
            head = f"{head.strip()}, {tail}"
        else:
            role_parts.append(_LEADING_ARTICLE_RE.sub("", tail))
        text = head.strip()
    tokens = text.split()
    cut = -1
    for i, token in enumerate(tokens[:-1]):
        if _is_title(token):
            cut = i
    name_tokens = tokens[cut + 1:]
    # A lowercase word after the role ("spokeswoman said") is not a name; keep the text whole then.
    if cut >= 0 and name_tokens and not name_tokens[0][:1].isupper() and not name_tokens[0][:1].isdigit():
        cut, name_tokens = -1, tokens
    if cut >= 0:
        role_parts.insert(0, _LEADING_ARTICLE_RE.sub("", " ".join(tokens[: cut + 1])))
    name = _drop_possessive(" ".join(name_tokens))
    role = "; ".join(p for p in role_parts if p) or None
    return name, role


def name_tokens(norm: str) -> list[str]:
    return norm.split()


def initials(norm: str) -> str:
    """First letters of the words of a normalised name: "howard lutnick" -> "hl"."""
    return "".join(word[0] for word in norm.split())


def has_capital(text: str) -> bool:
    """Whether a name is written with a capital letter (a proper name, not "the spokeswoman")."""
    return any(ch.isupper() for ch in text)


_ROLE_EDGE_RE = re.compile(r"^[^\w]+|[^\w.)]+$")


def clean_role(role: str | None) -> str | None:
    """A role as one line without stray punctuation: "she said.\\n\\nUnion official" -> "Union official"."""
    if not role:
        return None
    last = re.split(r"\n\s*\n|(?<=[a-z]{2})[.!?]\s+(?=[A-Z])", role.strip())[-1]
    last = _ROLE_EDGE_RE.sub("", " ".join(last.split()))
    return last or None


# Words a mention may be written as that name nobody (pronouns): never linked to an entity.
NOT_NAMES = frozenset("he she they it we i you him her them his hers its their one who".split())


def link_names(name: str | None, written: str | None, kind: str | None,
               role: str | None) -> tuple[str, str, str, str | None, bool]:
    """What linking compares of a mention or a quote's speaker: (name as shown, normalised name,
    entity kind, role, written in capitals as an acronym is); the names are "" when nobody is named."""
    kind = entity_kind(kind) or "other"
    display, stripped_role = split_title(name or written or "", kind)
    norm = normalise_name(display)
    if not has_capital(display) or norm in NOT_NAMES:
        display, norm = "", ""
    return display, norm, kind, clean_role(role) or stripped_role, display.isupper() and " " not in display
