"""Names in an article: runs of capitalised words, the role written before them, and
the cast of people and organisations the article introduces (so that a surname alone
or a pronoun can be resolved to the most complete name)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from annotator.core.detect.model import quick_init
from annotator.core.resources import read_word_list


def _words(name: str) -> frozenset[str]:
    return frozenset(w.lower() for w in read_word_list("cues", name))


TITLES = _words("titles.txt")
ROLE_MODIFIERS = _words("role_modifiers.txt")
ORG_WORDS = _words("org_words.txt")
DOCUMENT_WORDS = _words("document_words.txt")
PERSON_NOUNS = _words("person_nouns.txt")
FIRST_NAMES: dict[str, str | None] = {}   # name -> "m" | "f" | None (used for either)
for _line in read_word_list("cues", "first_names.txt"):
    _name, _, _gender = _line.partition(" ")
    FIRST_NAMES[_name.lower()] = _gender.strip() if _gender.strip() in ("m", "f") else None

HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "lord": "m", "lady": "f",
                    "dame": "f", "king": "m", "queen": "f", "prince": "m", "princess": "f", "father": "m"}
_AFFILIATIONS = frozenset("republican democrat democratic independent gop libertarian conservative liberal "
                          "progressive socialist".split())
_GROUP_WORDS = frozenset("democrats republicans americans democrat republican american".split())
_ROLE_GENDER_RE = re.compile(r"(?:wo)?man\b|(?:wo)?men\b|actress|mother|sister|wife|daughter|queen")

# Capitalised words that start sentences or name times and places, not people.
STOP_CAPS = frozenset("""The A An But And Or So In On At For If When While As It He She They We I You This That
These Those There Here His Her Their Our My Your Its After Before Since Although Though Because With Without
During Meanwhile However Still Yet Also Then Now Today Tonight Yesterday Tomorrow Monday Tuesday Wednesday
Thursday Friday Saturday Sunday January February March April May June July August September October November
December What Who Why How Where Which Not No Yes All Some Many Most More One Two Three Both Each Every Last
Next First According Asked Despite Even Just Only Under Over From To By Of Like Than Until Unlike Among Between
Other Another Such Do Does Did Is Are Was Were Has Have Had Will Would Can Could Should Might Must Let Said
Says Told Well Oh Please Thank Thanks Instead Indeed Still Whether Once Later Earlier Soon
Asked Speaking Writing Nor Any Few Several Much Very Again Perhaps Maybe Sometimes Often Never Always
Ever Though Whatever Whoever Amid Against Through Across Toward Towards Into Onto Upon Within Per Via
Thus Hence Therefore Beyond Given Ask Besides Regardless Including Notably Overall Finally Initially Ultimately
Similarly Likewise Otherwise Nevertheless Nonetheless Moreover Furthermore Additionally Whereas Outside Inside
Along Around Behind Below Above Near Except Unless Wait Look Imagine Consider Remember Note Neither Either
""".split())
# Verbs of headline-cased text ("Carly Fiorina Endorses Ted Cruz"): never part of a name, they end one
HEADLINE_VERBS = frozenset("""Endorses Endorse Debunks Slams Blasts Rips Urges Vows Warns Claims Accuses Attacks
Praises Defends Denies Admits Announces Unveils Launches Rejects Responds Reacts Mocks Dismisses Rebuffs Refuses
Demands Pledges Promises Threatens Reveals Explains Insists Argues Predicts Apologizes Apologises Resigns Quits
Slammed Blasted Endorsed Defended Denied Announced Unveiled Rejected Warned Vowed Urged Accused""".split())
STOP_CAPS = STOP_CAPS | HEADLINE_VERBS
PLACE_STARTS = frozenset("""New United North South East West San Santa Los Las Saint St. Fort Great Middle Central
Supreme Federal National European American Democratic Republican Wall White Silicon Hong Puerto Capitol
Lake Mount Mt. Port Cape Gulf Air Fox Air Prime""".split())

_TOKEN = (r"(?:[A-Z]\.(?:[ ]?[A-Z]\.)*(?!\w)"
          r"|(?:Mr|Mrs|Ms|Dr|Jr|Sr|St|Gov|Sen|Sens|Rep|Reps|Gen|Lt|Col|Capt|Sgt|Rev|Prof|Adm|Maj|Del|Atty|Supt|Cmdr|Gov)\."
          r"|(?:Mc|Mac|O['\u2019]|D['\u2019]|L['\u2019])?[A-Z\u00c0-\u00de][\w\-]*(?:['\u2019][A-Z][\w\-]*)?)")
_CONNECT = r"(?:[ \u00a0](?:de|del|der|van|von|bin|al|da|di|du|dos|le|la|of))?"
# "Moody's Analytics", "McDonald's Corporation", "China's Foreign Ministry": a possessive inside a
# run that goes on (within three words) to an organisation's head word is part of the name
_ORG_HEAD = "|".join(sorted((re.escape(w.capitalize()) for w in ORG_WORDS if w.isalpha()), key=lambda w: (-len(w), w)))
_POSS_ORG = r"(?:['\u2019]s(?=(?:[ \u00a0][A-Z][\w\-]*){0,2}[ \u00a0](?:" + _ORG_HEAD + r")\b))?"
# (the lookahead first: a pattern opening with a character class lets the regex engine skip
# quickly to the next capital, nearly twice as fast as one opening with the lookbehind)
NAME_RUN_RE = re.compile(r"(?=[A-Z\u00c0-\u00de])(?<![\w'\u2019])" + _TOKEN + _POSS_ORG
                         + r"(?:" + _CONNECT + r"[ \u00a0]" + _TOKEN + _POSS_ORG + r")*")
_SPLIT_RE = re.compile(r"\S+")


@quick_init
@dataclass(frozen=True)
class NameRun:
    """A capitalised run split into role and name ("US Commerce Secretary" + "Howard Lutnick")."""
    start: int              # of the name part
    end: int
    name: str
    role: str | None
    role_start: int         # where the role (or the name, if no role) begins
    kind: str               # "person" | "organisation" | "unknown"
    gender: str | None   # "m" | "f" | None


@lru_cache(maxsize=65536)
def _clean(token: str) -> str:
    return token.lower().rstrip(".")


def _kind_and_gender(tokens, role: str | None) -> tuple[str, str | None]:
    return _kind_and_gender_cached(tuple(tokens), role)


def _role_gender(role: str | None) -> str | None:
    """The gender an honorific or role noun gives ("Mrs.", "congresswoman"), if any."""
    if not role:
        return None
    first_role = _clean(role.split()[0]) if role.split() else ""
    gender = HONORIFIC_GENDER.get(first_role)
    if gender is None:
        m = _ROLE_GENDER_RE.search(role.lower())
        if m:
            gender = "f" if m.group().startswith(("wo", "actress", "mother", "sister", "wife", "daughter", "queen")) else "m"
    return gender


@lru_cache(maxsize=65536)
def _kind_and_gender_cached(tokens: tuple[str, ...], role: str | None) -> tuple[str, str | None]:
    low = [_clean(t) for t in tokens]
    if low[-1] in PERSON_NOUNS or low[-1] in TITLES or low[-1] in _GROUP_WORDS:
        return "unknown", None
    if any(t in ORG_WORDS for t in low) or tokens[-1].endswith(("Department", "Ministry")):
        return "organisation", None
    gender = _role_gender(role)
    first = low[0] in FIRST_NAMES
    gender = gender or FIRST_NAMES.get(low[0])
    if role or first:
        return "person", gender
    if len(tokens) >= 2 and tokens[0] not in PLACE_STARTS and not any(t.isupper() and len(t) > 1 and not _initials(t, k)
                                                                      for k, t in enumerate(tokens)):
        return "person", gender
    return "unknown", gender


_PLACE_INITIALS = frozenset("U.S. U.K. U.N. D.C. E.U. L.A. N.Y. U.S.A. N.J. S.C. N.C. N.H.".split())


def _initials(tok: str, k: int) -> bool:
    """"J.C." in "J.C. Chandor": a person's initials, not an acronym like "FBI" or "U.S."."""
    return k == 0 and len(tok) <= 6 and tok not in _PLACE_INITIALS and re.fullmatch(r"(?:[A-Z]\.)+", tok) is not None


def split_run(text: str, start: int, end: int) -> list[NameRun]:
    """Split one capitalised run into name runs, dropping sentence words and splitting off roles."""
    if text.find(" ", start, end) < 0 and text.find("\u00a0", start, end) < 0:   # one word: the common case
        tok = text[start:end]
        if tok.rstrip(".") in STOP_CAPS or _clean(tok) in TITLES:
            return []
        kind, gender = _kind_and_gender([tok], None)
        return [NameRun(start, end, tok, None, start, kind, gender)]
    pieces: list[list[tuple[int, int, str]]] = [[]]
    for m in _SPLIT_RE.finditer(text, start, end):
        tok = m.group()
        if tok.rstrip(".") in STOP_CAPS and not (tok in ("Mr.", "Mrs.", "Ms.", "Dr.") or tok == "May" and pieces[-1]
                                                  or len(tok) == 2 and tok[1] == "." and pieces[-1]):
            pieces.append([])
        elif tok == "of" and pieces[-1] and (_clean(pieces[-1][-1][2]) not in TITLES or len(pieces[-1]) > 1 and (
                _clean(pieces[-1][-2][2]) in FIRST_NAMES or _initials(pieces[-1][-2][2], 0))) \
                and _clean(pieces[-1][-1][2]) not in ORG_WORDS:
            pieces.append([])
        else:
            pieces[-1].append((m.start(), m.end(), tok))
    runs = []
    for toks in pieces:
        while toks and toks[0][2] in ("of", "de", "van", "von", "al", "bin", "da", "di", "du", "le", "la", "dos", "der", "del"):
            toks = toks[1:]
        while toks and toks[-1][2].islower():
            toks = toks[:-1]
        if not toks:
            continue
        cut = -1
        for i, (_, _, tok) in enumerate(toks):
            if _clean(tok) in TITLES and i < len(toks) - 1 and not (
                    i and (_clean(toks[i - 1][2]) in FIRST_NAMES or _initials(toks[i - 1][2], 0))):
                cut = i   # but "Peter King of ..." / "Ann T. Marshal": a title word after a first name is a surname
        if cut >= 0 and cut + 1 < len(toks) and toks[cut + 1][2] == "of" and cut + 2 < len(toks) - 1:
            cut += 2
        name_toks = toks[cut + 1:]
        while name_toks and name_toks[0][2].islower():
            name_toks = name_toks[1:]
        if not name_toks:
            continue
        if len(name_toks) >= 3 and _clean(name_toks[0][2]) in _AFFILIATIONS and _clean(name_toks[1][2]) in FIRST_NAMES:
            cut = toks.index(name_toks[0])   # "Republican Ann Lee": the party is a role
            name_toks = name_toks[1:]
        if len(name_toks) >= 3 and _clean(name_toks[0][2]) not in FIRST_NAMES and not _initials(name_toks[0][2], 0):
            # "House Intelligence Republican Mike Pompeo": a name that starts at a first name inside the run
            j = next((k for k in range(1, len(name_toks) - 1) if FIRST_NAMES.get(_clean(name_toks[k][2]))
                      and name_toks[k + 1][2][:1].isupper()), 0)
            if j and not any(_clean(t) in ORG_WORDS for _, _, t in name_toks[j:]):
                cut = toks.index(name_toks[j - 1])
                name_toks = name_toks[j:]
        role = text[toks[0][0]:toks[cut][1]] if cut >= 0 else None
        kind, gender = _kind_and_gender([t for _, _, t in name_toks], role)
        runs.append(NameRun(name_toks[0][0], name_toks[-1][1], text[name_toks[0][0]:name_toks[-1][1]],
                            role, toks[0][0], kind, gender))
    return runs


_ROLE_BACK_RE = re.compile(r"([\w\u2019'.\-]+)\s+$")
_ROLE_STOP = frozenset("the a an and but or that when as said says with for of in on at by to from who which while "
                       "after before since if than then told his her their its".split())


def role_before(text: str, start: int, floor: int) -> tuple[str | None, int]:
    """A lowercase role written before a name ("spokeswoman", "China's top trade negotiator")."""
    if start < 2 or text[start - 1] != " ":
        return None, start
    prev = text[max(floor, text.rfind(" ", max(floor, start - 40), start - 1) + 1):start - 1]
    if _clean(prev) not in TITLES and _clean(prev) not in PERSON_NOUNS:
        return None, start
    pos = start
    words: list[tuple[int, str]] = []
    while len(words) < 6:
        m = _ROLE_BACK_RE.search(text, max(floor, pos - 40), pos)
        if not m:
            break
        w = m.group(1)
        if not w[0].isalnum() or w.lower() in _ROLE_STOP or w.rstrip(".").lower() in ("mr", "mrs", "ms", "dr"):
            break
        if "\n" in m.group(0) or w.endswith(".") and len(w) > 5 and "." not in w[:-1]:
            break   # a role never reaches back over a line or a sentence's end ("... for Obama. McConnell aide")
        words.append((m.start(1), w))
        pos = m.start(1)
    if not words or _clean(words[0][1]) not in TITLES and _clean(words[0][1]) not in PERSON_NOUNS:
        return None, start
    s = words[-1][0]
    return text[s:start].strip(), s


# "Lee backed her up": an object pronoun in the subject's own clause is someone else, so only he/she,
# possessives and reflexives vote (and "her" only before a noun-like word)
_PRONOUN_AFTER_RE = re.compile(r"\b(he|his|himself|she|hers|herself|her(?=\s+[a-z])"
                               r"(?!\s+(?:up|out|down|off|in|on|to|for|with|at|that|and|or|as|a|an|the)\b))\b|[.!?](?=\s)")
_SUBJECT_GAP_RE = re.compile(r"(?:^|[.!?:;,\u2014\u201d\u201c\"]|\b(?:and|but|as|when|while|that|because|so|then|if|though|although))"
                             r"[\s\"'\u201c\u201d\u2019]*$")
_AFTER_CUE_RE = re.compile(r"\b(?:said|says|added|told|wrote|asked|explained|noted|according to)\s+(?:the\s+)?$")
_ACTS_RE = re.compile(r"\s+(?:also\s+|later\s+|then\s+|[a-z]{2,}ly\s+)?(was|is|has|had|did|does|will|would|can|could|"
                      r"[a-z]{3,}ed)\b")
# endings of adverbs, participles and common nouns, never of a name standing alone ("Hastily", "Localities")
NOT_NAME_ENDINGS = ("ly", "ing", "ed", "ities", "ness", "ment", "ments", "tion", "tions", "isms", "ists", "ians")
_NOT_ACTOR_ENDINGS = NOT_NAME_ENDINGS + ("ences", "ances", "ese", "ers")   # ... nor of one who acts ("Audiences")
_NOT_ACTS = frozenset("need speed seed feed breed bred shed red bed".split())
_PLACES = frozenset(w.lower().rstrip(".") for w in read_word_list("cues", "places.txt"))
_NEXT_WORD_RE = re.compile(r"(?:,[^;\n]{0,80}?,)?\s+(?:also\s+|later\s+|then\s+|has\s+|had\s+|[a-z]{2,}ly\s+)?([a-z]+)")


@quick_init
@dataclass(frozen=True)
class PersonMention:
    start: int
    end: int
    name: str                 # resolved
    subject: bool             # stands where a clause's subject stands
    speaks: bool = False      # followed by a speech verb
    confirmed: bool = True    # known to be a person (role, first name, surname used alone, speech verb)


class Cast:
    """The people and organisations an article names, in order, with surname lookup,
    a guessed gender per person and which mentions stand in subject position.

    The name runs are found over the whole text (a surname resolves to a full name written
    anywhere); whether a run is a person mention, and a name's gender, are worked out on first
    use, only for the runs a lookup reaches (a range near a quote, the runs of one surname)."""

    def __init__(self, text: str, skip: list[tuple[int, int]], speech_words: frozenset[str] = frozenset()):
        self.text = text
        self._lowercase: dict[str, bool] = {}
        self._speech_words = speech_words
        self.runs: list[NameRun] = _name_runs(text, skip)
        self.full_names: dict[str, str] = {}
        self._all_full: dict[str, list[str]] = {}
        single_keys: set[str] = set()
        for run in self.runs:
            words = run.name.split()
            if run.kind == "person" and len(words) >= 2:
                key = surname_key(run.name)
                self._all_full.setdefault(key, []).append(run.name)
                known = self.full_names.get(key)
                # the longest name, but one that starts with a first name beats a headline's longer run
                rank = (_clean(words[0]) in FIRST_NAMES, len(run.name))
                if known is None or rank > (_clean(known.split()[0]) in FIRST_NAMES, len(known)):
                    self.full_names[key] = run.name
            elif len(words) == 1:
                single_keys.add(surname_key(run.name))
        self._single_keys = single_keys
        self._run_starts = [r.start for r in self.runs]
        self._mention_of: list = [_UNSEEN] * len(self.runs)   # run index -> PersonMention | None, on first use
        self._votes: dict[str, list[int]] = {}                # name -> [m, f], from the runs seen so far
        self._genders: dict[str, str | None] = {}
        self._runs_of_key: dict[str, list[int]] | None = None

    def _mention(self, k: int) -> PersonMention | None:
        """The person mention run k is, or None (an organisation, a capitalised word that is no one)."""
        found = self._mention_of[k]
        if found is _UNSEEN:
            found = self._mention_of[k] = self._person_mention(self.runs[k])
        return found

    def _person_mention(self, run: NameRun) -> PersonMention | None:
        if run.kind == "organisation":
            return None
        name = self.resolve_run(run)
        followed_by_cue = self._cue_follows(run.end, self._speech_words)
        acts = False
        if run.kind == "unknown" and name == run.name and not followed_by_cue:
            acts = self._acts(run)
            if not acts:
                return None
        confirmed = (run.kind == "person" and (run.role is not None or run.gender is not None
                                               or surname_key(run.name) in self._single_keys)) \
            or name != run.name or (followed_by_cue and run.kind != "organisation")
        subject = followed_by_cue or self._subject_position(run)
        if not confirmed and not ((run.kind == "person" or acts) and subject):
            return None
        gender = run.gender
        if gender and name != run.name and " " not in run.name and run.name.lower() in FIRST_NAMES:
            # "Warren" standing for Elizabeth Warren: the surname's look as a first name says nothing
            gender = _role_gender(run.role)
        if gender:
            self._votes.setdefault(name, [0, 0])[0 if gender == "m" else 1] += 3
        if subject:
            g = self._pronoun_after(run.end)
            if g:
                self._votes.setdefault(name, [0, 0])[0 if g == "m" else 1] += 1
        return PersonMention(run.start, run.end, name, subject, followed_by_cue, confirmed)

    @property
    def persons(self) -> list[PersonMention]:
        """Every person mention of the article, in order."""
        return [p for p in map(self._mention, range(len(self.runs))) if p is not None]

    def _acts(self, run: NameRun) -> bool:
        """'Obama also addressed the concerns': a lone capitalised word that does something as a
        clause's subject and that the article never writes in lower case is a person (unconfirmed)."""
        if " " in run.name or not run.name.isalpha() or run.name.isupper() or run.name.lower() in _PLACES \
                or run.name.endswith(_NOT_ACTOR_ENDINGS):
            return False
        m = _ACTS_RE.match(self.text, run.end)
        if not m or m.group(1) in _NOT_ACTS:
            return False
        return self._subject_position(run) and not self.used_lowercase(run.name.lower())

    def _cue_follows(self, end: int, speech_words: frozenset[str]) -> bool:
        m = _NEXT_WORD_RE.match(self.text, end, end + 120)
        return bool(m) and m.group(1) in speech_words

    def _subject_position(self, run: NameRun) -> bool:
        after = self.text[run.end:run.end + 2]
        if after[:1] in ("'", "\u2019"):
            return False
        start = run.role_start
        if _AFTER_CUE_RE.search(self.text, max(0, start - 12), start):
            return True
        return _SUBJECT_GAP_RE.search(self.text, max(0, start - 12), start) is not None

    def _pronoun_after(self, end: int) -> str | None:
        m = _PRONOUN_AFTER_RE.search(self.text, end, end + 120)
        if not m or not m.group(1):
            return None
        return "m" if m.group(1) in ("he", "his", "himself") else "f"

    def resolve_run(self, run: NameRun) -> str:
        """resolve_name, except that "Mr. Clinton" is not the article's Hillary Clinton: an honorific
        whose sex differs from the full name's first name keeps the surname alone."""
        name = self.resolve_name(run.name)
        if name != run.name and run.role:
            said = _role_gender(run.role)
            full = FIRST_NAMES.get(_clean(name.split()[0]))
            if said and full and said != full:
                for other in self._all_full.get(surname_key(run.name), ()):
                    if FIRST_NAMES.get(_clean(other.split()[0])) == said:
                        return other   # "Mr. Clinton" in an article about Hillary and Bill Clinton
                return run.name
        return name

    def resolve_name(self, name: str) -> str:
        """The most complete name the article gives for a person ("Bruce" -> "Tammy Bruce")."""
        if " " in name:
            return name
        return self.full_names.get(surname_key(name), name)

    def used_lowercase(self, word: str) -> bool:
        """Whether the article also writes word in lower case (an ordinary word, not a name)."""
        known = self._lowercase.get(word)
        if known is None:
            # the word first, then a look back at the character before it: a pattern opening with
            # literal text is searched for quickly, one opening with a lookbehind tried at every position
            # (str.find, not a pattern made for the word: compiling one per word cost more than the search)
            known = self._lowercase[word] = _written_alone(self.text, word)
        return known

    def capitalised_inside(self, word: str) -> bool:
        """Whether the article writes word capitalised after a lower-case word or a comma (a name)."""
        key = "\0" + word
        known = self._lowercase.get(key)
        if known is None:
            known = False
            text = self.text
            for m in re.finditer(r"[ \u00a0]" + re.escape(word) + r"(?![\w])", text):
                q = m.start()   # back over the spaces: a lower-case letter or a comma must stand there
                while q > 0 and text[q - 1] in " \u00a0":
                    q -= 1
                if q > 0 and text[q - 1] in _LOWER_OR_COMMA:
                    known = True
                    break
            self._lowercase[key] = known
        return known

    def gender_of(self, name: str) -> str | None:
        """The gender the article's mentions of name vote for ("m", "f"), None when they do not tell."""
        known = self._genders.get(name, _UNSEEN)
        if known is _UNSEEN:
            if self._runs_of_key is None:
                self._runs_of_key = {}
                for k, run in enumerate(self.runs):
                    self._runs_of_key.setdefault(surname_key(run.name), []).append(k)
            for k in self._runs_of_key.get(surname_key(name), ()):   # every run that may resolve to name
                self._mention(k)
            m, f = self._votes.get(name, (0, 0))
            known = self._genders[name] = None if m == f else "m" if m > f else "f"
        return known

    def persons_before(self, pos: int, floor: int):
        """Person mentions ending before pos, nearest first."""
        runs = self.runs
        for k in range(bisect.bisect_left(self._run_starts, pos) - 1, -1, -1):
            if runs[k].start < floor:
                break
            p = self._mention(k)
            if p is not None and p.end <= pos:
                yield p

    def persons_between(self, start: int, end: int) -> list[PersonMention]:
        """Person mentions lying inside [start, end), in order."""
        i = bisect.bisect_left(self._run_starts, start)
        j = bisect.bisect_left(self._run_starts, end)
        return [p for p in map(self._mention, range(i, j)) if p is not None and p.end <= end]

    def runs_between(self, start: int, end: int) -> list[NameRun]:
        """Name runs lying inside [start, end), in order."""
        i = bisect.bisect_left(self._run_starts, start)
        j = bisect.bisect_left(self._run_starts, end)
        return [r for r in self.runs[i:j] if r.end <= end]


@lru_cache(maxsize=65536)
def surname_key(name: str) -> str:
    toks = [t for t in name.replace("\u2019", "'").split() if t.rstrip(".").lower() not in ("jr", "sr", "ii", "iii", "iv")]
    return toks[-1].lower() if toks else ""


_UNSEEN = object()
_LOWER_OR_COMMA = frozenset("abcdefghijklmnopqrstuvwxyz,")
_SPLIT: dict[str, tuple] = {}   # split_run of a run of several words ("Sen. Ann Lee"), at offset 0


def _split_shifted(run_text: str, start: int) -> list[NameRun]:
    """split_run of a run of words standing at start (the same words split the same way wherever they stand)."""
    parts = _SPLIT.get(run_text)
    if parts is None:
        if len(_SPLIT) > 100_000:
            _SPLIT.clear()
        parts = _SPLIT[run_text] = tuple(split_run(run_text, 0, len(run_text)))
    return [NameRun(start + r.start, start + r.end, r.name, r.role, start + r.role_start, r.kind, r.gender)
            for r in parts]
_SINGLE_WORD: dict[str, tuple[str, str | None] | None] = {}   # a one-word run's (kind, gender), None: no name


def _name_runs(text: str, skip: list[tuple[int, int]]) -> list[NameRun]:
    """Every name run of text outside the skipped (quoted) spans, in order, with the roles written before them."""
    runs: list[NameRun] = []
    single = _SINGLE_WORD
    if len(single) > 200_000:
        single.clear()
    # the skipped spans come sorted and do not overlap, as the matches come in order: one walk along both
    si, n_skip = 0, len(skip)
    for m in NAME_RUN_RE.finditer(text):
        start, end = m.span()
        if si < n_skip:
            while si < n_skip and skip[si][1] <= start:
                si += 1
            if si < n_skip and skip[si][0] <= start:
                continue
        if text.startswith(("'t", "\u2019t"), end):
            continue   # a contraction ("Don't", "Won't")
        tok = m.group()
        if " " not in tok and "\u00a0" not in tok:   # one word: the common case (as split_run does it)
            found = single.get(tok, _UNSEEN)
            if found is _UNSEEN:
                found = single[tok] = None if tok.rstrip(".") in STOP_CAPS or _clean(tok) in TITLES \
                    else _kind_and_gender([tok], None)
            if found is None:
                continue
            got = (NameRun(start, end, tok, None, start, found[0], found[1]),)
        else:
            got = _split_shifted(tok, start)
        for run in got:
            if run.role is None and run.kind != "organisation" and run.start >= 2 and text[run.start - 1] == " ":
                role, rs = role_before(text, run.start, max(0, run.start - 80))
                if role:
                    kind, gender = _kind_and_gender(run.name.split(), role)
                    run = NameRun(run.start, run.end, run.name, role, rs, kind, gender)
                    # "McConnell spokesman Don Stewart": the name inside the role is not a mention
                    while runs and runs[-1].start >= rs and runs[-1].kind != "organisation":
                        runs.pop()
            runs.append(run)
    return runs


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"   # what the pattern class \w matches in str patterns


def _written_alone(text: str, word: str) -> bool:
    """Whether word stands in text with no letter, digit, '_' or apostrophe just before it and no
    letter, digit or '_' just after it (the word on its own, exactly as written)."""
    if not word:
        return re.search(r"(?<![\w'\u2019])(?![\w])", text) is not None
    n = len(word)
    p = text.find(word)
    while p >= 0:
        before = text[p - 1] if p else ""
        after = text[p + n] if p + n < len(text) else ""
        if not (before and (before in "'\u2019" or _is_word_char(before))) and not (after and _is_word_char(after)):
            return True
        p = text.find(word, p + 1)
    return False
