"""Who a cue points at: the noun phrase before or after a speech verb, and its
resolution to the most complete name the article gives (pronouns and descriptions
to the nearest fitting person, a surname to the full name)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from annotator.core.detect.model import quick_init
from annotator.core.detect.names import (
    DOCUMENT_WORDS,
    FIRST_NAMES,
    NOT_NAME_ENDINGS,
    ORG_WORDS,
    PERSON_NOUNS,
    ROLE_MODIFIERS,
    STOP_CAPS,
    TITLES,
    Cast,
    NameRun,
)
from annotator.core.resources import read_word_list


@quick_init
@dataclass(frozen=True)
class Source:
    """The mention a cue points at, resolved."""
    start: int
    end: int
    text: str                 # as written
    name: str | None       # resolved name, None when unknown
    kind: str                 # person | organisation | document | unknown
    role: str | None = None
    pronoun: bool = False


# a word: letters, hyphens, and inner marks each followed by a letter ("U.S", "O'Neill", "don't"), then a full stop;
# written as runs rather than one character at a time (the same tokens, found faster)
_TOK_RE = re.compile(r"[\w\u00c0-\u024f][\w\u00c0-\u024f\-]*(?:[.'\u2019][\w\u00c0-\u024f][\w\u00c0-\u024f\-]*)*\.?|[^\w\s]")
_ABBREV = frozenset("mr mrs ms dr jr sr st gov sen rep gen lt col capt sgt rev prof adm maj sens reps del atty".split())

PRONOUNS = {"he": "m", "she": "f", "they": "p", "we": "p", "i": "", "it": "n"}
DETERMINERS = frozenset("the a an his her their its one another our my this that these those some two three "
                        "several many".split())
_SKIP_BEFORE_VERB = frozenset("has have had was is were are also later then once previously recently further "
                              "simply earlier reportedly repeatedly often again would will may might could can "
                              "should just been still even already never always did does do not too however "
                              "had once first last finally".split())
_PREPOSITIONS = frozenset("with of for at from in on".split())
_FUNCTION_WORDS = frozenset("who which that and or but to of in on for at by with from as is was are were has have had "
                            "will would said says told".split())
_PARTICLES = frozenset("van von de del der da di du le la al bin ben".split())
_DAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Yesterday".split())


def _tidied(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    for k, (s, e, tok) in enumerate(found):
        if tok[-1] == "." and len(tok) > 1 and tok[:-1].lower() not in _ABBREV and not (len(tok) == 2 and tok[0].isupper()) \
                and "." not in tok[:-1]:
            found[k] = (s, e - 1, tok[:-1])   # a sentence's full stop, not part of the word
    return found


@lru_cache(maxsize=1024)
def tokens(text: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """The words and marks of text[lo:hi] as (start, end, token), a sentence's full stop split off.
    (Tokenising each line once and handing out its tokens was tried: slower, as most ranges are
    short parts of long lines.) Cached: the direct and reported rules read the same ranges again
    (about one call in six); the list is shared, so callers must not change it."""
    found = [(m.start(), m.end(), m[0]) for m in _TOK_RE.finditer(text, lo, hi)]   # m[0]: cheaper than m.group()
    # only a token ending in a full stop is tidied: most ranges (the words before a cue) hold none
    return _tidied(found) if text.find(".", lo, hi) >= 0 else found


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper()


def _base(tok: str) -> str:
    t = tok.lower().rstrip(".")
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if t.endswith(suffix):
            return t[: -len(suffix)]
    return t


_NOUN_WORDS = ORG_WORDS | DOCUMENT_WORDS | PERSON_NOUNS | TITLES


@lru_cache(maxsize=65536)
def _nounish(tok: str) -> bool:
    b = _base(tok)
    return b in _NOUN_WORDS or b.endswith("s") and b[:-1] in _NOUN_WORDS


@lru_cache(maxsize=65536)
def _modifier(tok: str) -> bool:
    return _is_cap(tok) or _nounish(tok) or tok.lower() in ROLE_MODIFIERS


def _collect_back(toks: list, i: int) -> int:
    """Index of the first token of the noun phrase whose head is toks[i]."""
    a = i
    loose = 0
    while a - 1 >= 0:
        t = toks[a - 1][2]
        if t == "of" and a - 2 >= 0 and _is_cap(toks[a - 2][2]) and _is_cap(toks[a][2]):
            a -= 1
            continue
        if t in ("'", "\u2019") and a - 2 >= 0 and toks[a - 2][2].endswith("s") and _is_cap(toks[a - 2][2]) \
                and toks[a - 2][1] == toks[a - 1][0]:
            a -= 2   # "Sanders' aides": the possessor's apostrophe stands alone after an s
            continue
        if t.isalpha() or "'" in t or "\u2019" in t or "-" in t or t.endswith("."):
            low = t.lower()
            if low in DETERMINERS:
                return a - 1
            if _modifier(t) and low not in _PREPOSITIONS:
                a -= 1
                continue
            if t.islower() and loose < 1 and a - 2 >= 0 and toks[a - 2][2].lower() in DETERMINERS:
                loose += 1
                a -= 1
                continue
        break
    return a


PLACES = frozenset(w.lower().rstrip(".") for w in read_word_list("cues", "places.txt"))
_PARTY_TAG_RE = re.compile(r"[rdi]-[a-z][a-z.\s]*")
_CLAUSE_JOINERS = frozenset("and or but then so while".split())
_SEG_BREAKS = frozenset(("\"", "\u201c", "\u201d", ":", ";", "\u2014", "--", "(", "[", "\u2018"))


def _segments(toks: list, end: int) -> list[tuple[int, int]]:
    """The comma-separated stretches of toks[:end], back to a quote mark, colon or dash."""
    segs = []
    k = end - 1
    depth = 0
    while k >= 0:
        t = toks[k][2]
        if t == ")":
            depth += 1
        elif t == "(" and depth:
            depth -= 1
        elif depth == 0 and t == ",":
            segs.append((k + 1, end))
            end = k
        elif depth == 0 and t in _SEG_BREAKS:
            break
        k -= 1
    segs.append((k + 1, end))
    segs.reverse()
    return segs


def _segment_kind(toks: list, a: int, b: int) -> str:
    """'place' (Ohio, R-Ky., an age), 'filler' (a clause or description), 'name', or 'other'."""
    if a >= b:
        return "other"
    words = [t[2] for t in toks[a:b]]
    joined = " ".join(words).lower().rstrip(".")
    if joined in PLACES or _PARTY_TAG_RE.fullmatch(joined) or words[0][0].isdigit() and len(words) <= 3 \
            or joined in ("jr", "sr", "ii", "iii"):
        return "place"
    last = words[-1]
    if _is_cap(last) and last.isalpha() or _is_cap(last) and last[:1].isalpha() and last not in STOP_CAPS:
        if last not in STOP_CAPS and words[0] not in STOP_CAPS and _collect_back(toks, b - 1) <= a:
            return "name"
    if words[0][:1].islower() or words[0].lower() in DETERMINERS or not _is_cap(last):
        return "filler"
    return "other"


def _chain_subject(toks: list, end: int) -> tuple[int, int] | None:
    """'Cory Hale, 31, of Dayton, Ohio, said' / 'Ann Lee, who lives near the capital, Salem, said':
    the name opening a chain of comma-set descriptions, places and ages, when there is one
    before the last stretch; None to leave the choice to the usual rules."""
    segs = _segments(toks, end)
    if len(segs) < 2:
        return None
    kinds = [_segment_kind(toks, a, b) for a, b in segs]
    k = len(segs) - 1
    while k >= 0 and kinds[k] in ("place", "filler"):
        k -= 1
    if k < 0 or kinds[k] != "name":
        return None
    while k > 0:
        a, b = segs[k - 1]
        if kinds[k - 1] != "filler" or _nounish(toks[b - 1][2]) and toks[b - 1][2].islower():
            break   # 'the mayor's spokesman, Ann Lee,': the name belongs to the description
        m = k - 1
        while m >= 0 and kinds[m] in ("place", "filler") and toks[segs[m][0]][2] not in _CLAUSE_JOINERS:
            m -= 1
        if m < 0 or kinds[m] != "name" or toks[segs[m][0]][2].lower() in DETERMINERS:
            break
        k = m
    if k == len(segs) - 1:
        return None
    a, b = segs[k]
    return toks[max(_collect_back(toks, b - 1), a)][0], toks[b - 1][1]


_TIME_NOUNS = frozenset("week month year night weekend morning afternoon evening day days weeks months fall spring "
                        "summer winter".split())
_TIME_LEADS = frozenset("last this that next early late".split())


def _time_words_before(toks: list, i: int) -> int:
    """How many tokens ending at toks[i] say when ('on Tuesday', 'last week', 'earlier in the day'), else 0."""
    if i < 1:
        return 0
    t, before = toks[i][2], toks[i - 1][2].lower()
    if t in _DAYS and before == "on":
        return 2
    if t.lower() in _TIME_NOUNS:
        if before in _TIME_LEADS:
            return 2
        if before == "the" and i >= 2 and toks[i - 2][2].lower() in ("in", "during"):
            return 3
    return 0


@lru_cache(maxsize=1024)   # the same phrase is read again by other rules (one call in ten)
def np_before(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The subject noun phrase ending just before a verb at hi: (start, end) or None."""
    toks = tokens(text, lo, hi)
    if toks and toks[-1][2] == ",":
        chained = _chain_subject(toks, len(toks) - 1)
        if chained is not None:
            return chained
    i = len(toks) - 1
    while True:
        while i >= 0 and (toks[i][2].lower() in _SKIP_BEFORE_VERB or (toks[i][2].islower() and toks[i][2].endswith("ly"))
                          or toks[i][2] in _DAYS):
            i -= 1
        time_back = _time_words_before(toks, i)
        if not time_back:
            break
        i -= time_back   # 'Ann Lee (D-Ore.) last week said', 'Ann Lee on Tuesday said': the name before the time
    if i < 0:
        return None
    if toks[i][2] != ",":
        # 'Ann Lee of Salem, Ore. says' / 'Ann Lee, 24, from Salem, who said': a place ends the chain
        a, b = _segments(toks, i + 1)[-1]
        if 0 < a < b and (toks[a][2] in ("from", "of", "in", "at") or _segment_kind(toks, a, b) == "place"):
            chained = _chain_subject(toks, i + 1)
            if chained is not None:
                return chained
    if toks[i][2] == "," and i > 1 and toks[i - 1][2] == ")":
        i -= 1   # "Gov. John Kasich (R-OH), said"
    if toks[i][2] == ")" and i > 0:
        # "Gov. John Kasich (R-OH) said"
        k = i - 1
        while k >= 0 and toks[k][2] != "(" and i - k < 8:
            k -= 1
        if k > 0 and toks[k][2] == "(":
            i = k - 1
            if toks[i][2] == ",":
                pass
            elif not toks[i][2][0].isalpha():
                return None
    if toks[i][2] in (",", ")", "\u2014", "--") and i > 0:
        closing = toks[i][2]
        opener = {",": ",", ")": "(", "\u2014": "\u2014", "--": "--"}[closing]
        j = i - 1
        while j >= 0 and toks[j][2] != opener and not (closing == "," and toks[j][2] in "\"\u201c\u201d"):
            j -= 1
        inner = toks[j + 1:i]
        if not inner:
            return None
        first = inner[0][2]
        if first[0].islower() or first[0].isdigit() or first.lower() in DETERMINERS or closing != ",":
            if j < 1 or toks[j][2] != opener:
                return None
            i = j - 1
        elif j >= 1 and toks[j][2] == "," and _is_cap(toks[j - 1][2]) and toks[j - 1][2].isalpha() \
                and toks[j - 1][2] not in STOP_CAPS and any(t.islower() and t.isalpha() and t not in _PARTICLES
                                                            for _, _, t in inner):
            # "Jeff Weaver, Sanders' campaign manager, said": the name, not the description after it
            i = j - 1
        else:
            i -= 1
            lo_idx = j + 1
            head = i
            start = max(_collect_back(toks, head), lo_idx)
            return toks[start][0], toks[head][1]
    tok = toks[i][2]
    if tok.lower() in PRONOUNS and (i == 0 or not toks[i - 1][2].isalpha() or toks[i - 1][2].lower() in
                                    ("and", "but", "so", "as", "then", "that", "because", "when", "while", "if",
                                     "although", "though", "after", "before", "since", "until", "once", "where")):
        return toks[i][0], toks[i][1]
    if not (_is_cap(tok) or _nounish(tok)) or not tok[0].isalpha() or tok in STOP_CAPS:
        return None
    start = _collect_back(toks, i)
    # "James Hall with the New York Police Department said": the subject is the name before the preposition
    if start >= 2 and toks[start - 1][2] in _PREPOSITIONS and (_is_cap(toks[start - 2][2]) or _nounish(toks[start - 2][2])):
        inner_start = _collect_back(toks, start - 2)
        if toks[inner_start][2].lower() not in ("one",):
            head = toks[start - 2][2]
            if (head.islower() or inner_start == start - 2 == 0 and _nounish(head) and head.lower() not in TITLES) \
                    and toks[start - 1][2] in ("for", "at", "of", "with", "in", "from") \
                    and _is_cap(toks[i][2]) and toks[i][2] not in STOP_CAPS:
                # 'A spokeswoman for the Ohio Senate said': a description keeps whom it speaks for
                return toks[inner_start][0], toks[i][1]
            return toks[inner_start][0], toks[start - 2][1]
    return toks[start][0], toks[i][1]


@lru_cache(maxsize=1024)   # the same phrase is read again by other rules (one call in ten)
def np_after(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The noun phrase starting just after a verb or "according to" at lo."""
    toks = tokens(text, lo, hi)
    if not toks:
        return None
    i = 0
    if toks[0][2].lower() in PRONOUNS and toks[0][2].lower() != "it":
        return toks[0][0], toks[0][1]
    if toks[0][2].lower() in DETERMINERS and toks[0][2].lower() not in ("that", "this", "these", "those"):
        i = 1
    j = i
    loose = 0
    while j < len(toks):
        t = toks[j][2]
        if t == "of" and j + 1 < len(toks) and _is_cap(toks[j + 1][2]) and j > i and _is_cap(toks[j - 1][2]):
            j += 1
            continue
        if not t[0].isalpha():
            break
        if _modifier(t) and t.lower() not in _PREPOSITIONS and t not in _DAYS:
            j += 1
            continue
        if t in _PARTICLES and j + 1 < len(toks) and _is_cap(toks[j + 1][2]):
            j += 1
            continue
        if t.islower() and loose < 2 and t not in _FUNCTION_WORDS and t not in DETERMINERS \
                and not (t.endswith("ed") and _is_cap(toks[j - 1][2])) \
                and not (i == 0 and j > 0 and _is_cap(toks[j - 1][2])
                         and not (j + 1 < len(toks) and toks[j + 1][2].islower() and _nounish(toks[j + 1][2]))) and any(
                _is_cap(x[2]) and x[2] not in STOP_CAPS or _nounish(x[2]) for x in toks[j + 1:j + 3] if x[2].isalpha()):
            loose += 1
            j += 1
            continue
        break
    if j == i or toks[j - 1][2] in STOP_CAPS:
        return None
    # "a spokesman for Platte River": a description keeps the organisation it speaks for
    if toks[j - 1][2].islower() and _nounish(toks[j - 1][2]) and j + 1 < len(toks) and toks[j][2] in ("for", "at", "of", "to") \
            and (_is_cap(toks[j + 1][2]) or toks[j + 1][2] == "the" and j + 2 < len(toks) and _is_cap(toks[j + 2][2])):
        k = j + 1 if _is_cap(toks[j + 1][2]) else j + 2
        while k < len(toks) and (_is_cap(toks[k][2]) or toks[k][2] == "of" and k + 1 < len(toks) and _is_cap(toks[k + 1][2])):
            k += 1
        if not (j + 1 < len(toks) and toks[j + 1][2] in STOP_CAPS):
            return toks[0][0], toks[k - 1][1]
    # "said the White House spokesman, Josh Earnest,": prefer the name in apposition
    if toks[j - 1][2].islower() and j + 1 < len(toks) and toks[j][2] == "," and _is_cap(toks[j + 1][2]) \
            and toks[j + 1][2] not in STOP_CAPS:
        k = j + 1
        while k < len(toks) and (_is_cap(toks[k][2]) or toks[k][2] in ("of", "de", "van")):
            k += 1
        return toks[j + 1][0], toks[k - 1][1]
    return toks[0][0], toks[j - 1][1]


_POSSESSOR_RE = re.compile(r"(his|her|their|its|(?:[A-Z][\w.\-]*\s)*[A-Z][\w.\-]*?)(['\u2019]s?|)\s+"
                           r"(?:(?:own|latest|new|recent|first|final|earlier|public|written|prepared|opening|closing"
                           r"|official)\s+)?([a-z][\w\-]*)")
_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they", "its": "it"}
# what someone's own words come in: "his remarks", "Lee's statement" speak for the owner
_OWNED_WORDS = frozenset(DOCUMENT_WORDS - {"bill", "policy", "order", "decision", "ruling", "website", "sign", "video",
                                           "book", "study", "survey", "poll", "lawsuit", "resolution", "indictment"}) | \
    frozenset("remark remarks comment comments words speech speeches testimony interview assessment view views argument "
              "arguments claim claims account answer answers reply response message messages tweets posts emails "
              "letters statements".split())

_READ_ON_RE = re.compile(r"\s+(?:(?:also|then|now|still|just|even|never|often|later|once|[a-z]+ly)\s+)*"
                         r"([a-z][a-z'\u2019]*)(?:\s+([a-z][a-z'\u2019]*))?")
_IRREGULAR_PAST = frozenset("made took began spent struck went gave got held ran saw wrote won lost led left kept sent "
                            "put set brought thought told found felt knew".split())
_VERB_OBJECT_WORDS = DETERMINERS | frozenset("no much many more little to with him her them it his their its up out "
                                             "down back off big".split())


def reads_on(text: str, end: int, phrase_end: int) -> bool:
    """Whether the words after a name at end (to phrase_end) are its verb and what follows it, not more of
    a noun phrase: 'Ann Lee isn't ...', 'Tom Berg goes big', 'Ann Lee made no ...', not 'Ann Lee's aides',
    'Ann Lee of Ohio' or 'Census data'. A verb is told by its form and the object or particle after it."""
    m = _READ_ON_RE.match(text, end, phrase_end)
    if not m:
        return False
    word, after = m.group(1), m.group(2) or ""
    if word.endswith(("n't", "n\u2019t")):
        return True
    verbish = word in _IRREGULAR_PAST or word.endswith(("ed", "es")) or word.endswith("s") and not word.endswith("ss")
    return verbish and not _nounish(word) and word not in ROLE_MODIFIERS and (after in _VERB_OBJECT_WORDS
                                                                             or after.endswith("ing"))


def owned_words(written: str) -> re.Match | None:
    """The match of 'his remarks', 'Ann Lee's statement' (a possessor and the words they own), else None."""
    owner = _POSSESSOR_RE.fullmatch(written)
    return owner if owner and _base(owner.group(3)) in _OWNED_WORDS else None


# weights for choosing the person a he/she means (set on the PolNeAR training split)
W = {"scale": 200, "near_chars": 250, "near": 0.5, "subject": 1.0, "speaks": 0.5, "unconfirmed": 0.3,
     "spoke": 0.5, "last": 0.2, "para": 0.3, "gender": 0.3}

_OF_BEFORE_RE = re.compile(r"\s(?:of|from)\s+(?:the\s+)?$")
_PP_SPLIT_RE = re.compile(r"\s(?:for|at|of|to|with|from|in)\s")


class Resolver:
    """Turns a noun phrase into a Source, using the article's cast for names and pronouns."""

    def __init__(self, text: str, cast: Cast):
        self.text = text
        self.cast = cast
        self.speakers: list[tuple[int, Source]] = []   # resolved sources in order, for they/it/descriptions
        self._person_speakers: set[str | None] = set()  # the names of those that are persons (kept by remember)

    def resolve(self, span: tuple[int, int], floor: int = 0, anchor: int | None = None) -> Source:
        s, e = span
        written = self.text[s:e]
        head_word, _, last = written.rpartition(" ")
        if head_word and last in _PREPOSITIONS:
            e -= len(last) + 1   # "Ann Lee of" (the phrase stopped before the organisation): the name alone
            written = self.text[s:e].rstrip()
            e = s + len(written)
        low = written.lower()
        if low in PRONOUNS:
            return self._pronoun(s, e, written, PRONOUNS[low], floor, anchor)
        owner = owned_words(written)
        if owner:
            # 'Her remarks indicated', 'Ann Lee's statement said': the words are their owner's
            pe = s + owner.end(1)
            pronoun = _POSSESSIVE_PRONOUNS.get(owner.group(1).lower())
            if pronoun is not None:
                return self._pronoun(s, pe, owner.group(1), PRONOUNS[pronoun], floor, anchor)
            found = self.resolve((s, pe), floor, anchor)
            if found.name and found.kind in ("person", "organisation"):
                return found
        core = _PP_SPLIT_RE.split(written, 1)[0]
        head = core.split()[-1] if core.split() else written.split()[-1]
        head_base = _base(head)
        if core != written and (head.islower() or core.split()[0] == head and len(core.split()) == 1) and (
                head_base in PERSON_NOUNS or head_base.rstrip("s") in PERSON_NOUNS
                                                   or head_base in TITLES):
            return Source(s, e, written, _strip_det(written), "person")
        run = self._name_in(s, e)
        if head_base in DOCUMENT_WORDS or head_base.rstrip("s") in DOCUMENT_WORDS and not _is_cap(head):
            return Source(s, e, written, written, "document")
        if not _is_cap(head) and (head_base in ORG_WORDS or head_base.rstrip("s") in ORG_WORDS):
            return Source(s, e, written, _strip_det(written), "organisation")
        if run is not None and run.end == e or (run is not None and _is_cap(head)):
            if run.kind == "organisation":
                return Source(s, e, written, _strip_det(self.text[run.role_start:run.end]) if run.role_start >= s
                              else run.name, "organisation")
            name = self.cast.resolve_run(run)
            kind = "person" if run.kind != "organisation" else run.kind
            if run.kind == "unknown" and name == run.name and not self.looks_like_name(run.start, run.end):
                return Source(s, e, written, None, "unknown")
            if run.kind == "unknown" and name == run.name and len(run.name.split()) == 1:
                kind = "person" if run.name[:1].isupper() and not run.name.isupper() else "organisation"
            return Source(run.start, run.end, written, name, kind, run.role)
        if _is_cap(head):
            return Source(s, e, written, _strip_det(written), "unknown")
        if run is not None and run.kind == "person" and run.role_start <= s + 4 and head.islower() \
                and not _nounish(head) and reads_on(self.text, run.end, min(len(self.text), e + 40)):
            # 'Ann Lee isn't convinced', 'Tom Berg made no secret': a phrase read on into the verb; the name
            return Source(run.start, run.end, written, self.cast.resolve_run(run), "person", run.role)
        if head_base in PERSON_NOUNS or head_base.rstrip("s") in PERSON_NOUNS or head_base in TITLES:
            return self._description(s, e, written, head_base, floor)
        return Source(s, e, written, _strip_det(written), "unknown")

    def looks_like_name(self, s: int, e: int) -> bool:
        """False for a capitalised word that is only capitalised because it opens a sentence or
        line ("Hastily", "Reached", "Hours later") or that names a place ("Iowa", "N.H.")."""
        word = self.text[s:e]
        if " " in word or not word[:1].isupper() or word.isupper() and len(word) > 1:
            return word.lower().rstrip(".") not in PLACES
        low = word.lower()
        if low in FIRST_NAMES or low in PRONOUNS or self.cast.resolve_name(word) != word:
            return True
        if low.rstrip(".") in PLACES:
            return False
        before = self.text[max(0, s - 6):s].rstrip(" \u00a0\"'\u201c\u2018")
        if before and (before[-1] not in ".!?\n:;\u201d" or (before.split() or [""])[-1].lower().strip(".") in _ABBREV):
            return True   # capitalised mid-sentence, or after "Mr.": a name
        if low.endswith(NOT_NAME_ENDINGS):
            return False   # adverbs, participles and common-noun endings ("Hastily", "Localities")
        stem, apos, rest = low.replace("\u2019", "'").partition("'")
        if apos and (rest in ("m", "re", "ve", "ll", "d", "t") or stem.capitalize() in STOP_CAPS):
            return False   # "I'm", "There's"
        return not self.cast.used_lowercase(low) or self.cast.capitalised_inside(word)

    def _name_in(self, s: int, e: int) -> NameRun | None:
        """The name the phrase is about: the last person named in it, else its first name run."""
        runs = self.cast.runs_between(s, e)
        people = [r for r in runs if r.kind == "person"]
        if people:
            # "Ann Sole of Human Rights Watch": what follows "of"/"from" says where she is from
            heads = [r for r in people if r.role or r.gender or not _OF_BEFORE_RE.search(self.text, max(s, r.start - 10), r.start)]
            return heads[-1] if heads else people[-1]
        return runs[0] if runs else None

    def _pronoun(self, s: int, e: int, written: str, gender: str, floor: int, anchor: int | None) -> Source:
        if gender in ("m", "f"):
            name = self.antecedent(s, gender, floor, anchor)
            return Source(s, e, written, name, "person", pronoun=True)
        if gender in ("p", "n"):
            for _, src in reversed(self.speakers):
                if src.kind in ("organisation", "document") and src.start >= floor:
                    return Source(s, e, written, src.name, src.kind, pronoun=True)
        return Source(s, e, written, None, "unknown", pronoun=True)

    def antecedent(self, pos: int, gender: str, floor: int, anchor: int | None = None) -> str | None:
        """The person a he/she at pos most likely means: near, a clause subject, a recent speaker.
        Distance is measured from anchor (the quote's start when the pronoun follows the quote)."""
        anchor = pos if anchor is None else anchor
        spoke = self._person_speakers
        last_speaker = self.speakers[-1][1].name if self.speakers else None
        para_start = self.text.rfind("\n", 0, anchor) + 1
        near_to = min(anchor, pos)
        scale, near_chars, near, subject, speaks = W["scale"], W["near_chars"], W["near"], W["subject"], W["speaks"]
        unconfirmed, spoke_w, last_w, para_w, gender_w = W["unconfirmed"], W["spoke"], W["last"], W["para"], W["gender"]
        gender_of = self.cast.gender_of
        best, best_score = None, float("-inf")
        for k, p in enumerate(self.cast.persons_before(pos, floor)):
            if k > 25:
                break
            g = gender_of(p.name)
            if g and g != gender:
                continue
            dist = max(0, near_to - p.end)
            score = -dist / scale
            if dist < near_chars:
                score += near
            if p.subject:
                score += subject
            if p.speaks:
                score += speaks
            if not p.confirmed:
                score -= unconfirmed
            if p.name in spoke:
                score += spoke_w
                if p.name == last_speaker:
                    score += last_w
            if p.start >= para_start:
                score += para_w
            if g == gender:
                score += gender_w
            if score > best_score:
                best, best_score = p.name, score
        return best

    def _description(self, s: int, e: int, written: str, head: str, floor: int) -> Source:
        for run in reversed(self.cast.runs_between(floor, s)):
            if run.kind == "person" and run.role and head in run.role.lower():
                return Source(s, e, written, self.cast.resolve_run(run), "person", run.role)
        return Source(s, e, written, written, "person")

    def remember(self, pos: int, src: Source) -> None:
        self.speakers.append((pos, src))
        if src.kind == "person":
            self._person_speakers.add(src.name)


def _strip_det(phrase: str) -> str:
    first, _, rest = phrase.partition(" ")
    if first.lower() in ("the", "a", "an") and rest:
        return rest
    return phrase
