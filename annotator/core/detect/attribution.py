"""Tie each quoted span to its cue and source.

Order of evidence, strongest first: a cue right after the quote ("...," Bruce said /
said Bruce / according to X), a cue right before it (Bruce said: "..." / he called it
"..."), an introduction ending the previous paragraph with a colon, then continuation
(another quote of the same paragraph or of a multi-paragraph quote, or a quote
paragraph that follows a paragraph whose speaker is clear).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from annotator.core.detect.cues import Cue, CueIndex
from annotator.core.detect.marks import MarkSpan
from annotator.core.detect.names import FIRST_NAMES, HEADLINE_VERBS, PERSON_NOUNS, TITLES
from annotator.core.detect.speakers import PRONOUNS, Resolver, Source, np_after, np_before

# A sentence end: the punctuation comes first so the scan is quick; the lookbehinds (of fixed
# width, the punctuation included) keep "Mr." and initials from ending a sentence.
_SENT_END_RE = re.compile(
    r"[.!?](?<!\bMr.)(?<!\bMrs.)(?<!\bMs.)(?<!\bDr.)(?<!\bSt.)(?<!\bSen.)(?<!\bGov.)(?<!\bRep.)(?<!\bGen.)"
    r"(?<!\bJr.)(?<!\bLt.)(?<!\b[A-Z].)(?<!\bNo.)(?<!\bvs.)(?<!\bCapt.)(?<!\bRev.)(?<!\bCol.)(?<!\bSgt.)"
    r"(?<!\bMaj.)(?<!\bAdm.)(?<!\bProf.)(?<!\bSens.)(?<!\bReps.)(?<!\bCmdr.)(?<!\bAtty.)[.!?]*[\"'\u201d\u2019)]*\s+"
    r"(?=((?:''|[\"'\u201c\u2018(])?[A-Z0-9]))")
_WORD_RE = re.compile(r"\w+")
_ONLY_PUNCT_RE = re.compile(r"[\s,;:\u2014\u2013\-'\u2019]*$")   # a stray ' closes an inner quote
_INTRO_GAP_RE = re.compile(r"[\s,:\u2014\u2013\-]*(?:that\s*)?$")
_INFINITIVE_RE = re.compile(r"\b(?:to|not|n't|never)\s+$")
_DETERMINER_BEFORE_RE = re.compile(r"\b(?:the|a|an|his|her|their|its|our|this|that|[\w]+['\u2019]s)\s+$", re.I)
_COORD_BEFORE_RE = re.compile(r"\b(?:and|but|then)\s+(?:also\s+|later\s+)?$")
_ABOUT_AFTER_RE = re.compile(r"\s+(?:about|whether|if|why|how)\b")
# '"...," the Vatican spokesman, Ada Reyes, said': a short description, then the name in commas
_APPOS_LEAD_RE = re.compile(r"[\s,]*(?:the|a|an|[A-Z][\w.'\u2019-]*)\s+(?:[\w.'\u2019-]+\s+){0,4}?[\w.'\u2019-]+\s*,\s*$")
_DASH_LINE_RE = re.compile(r"\s*[-\u2013\u2014]+\s*(?=[A-Z])")   # "- Jane Doe, at a rally."
_QUOTE_CHARS_RE = re.compile("[\"\u201c\u201d]|''")
_GAP_END_RE = re.compile(r"(?:^|[.!?:][\"'\u201d\u2019]*)\s*$")
_TO_AFTER_RE = re.compile(r"\s+(?:to|on|upon|with)\b")   # "agree on", "call to": an object follows
_MODAL_BEFORE_RE = re.compile(r"\b(?:might|would|could|may|should|will|to)\s+$")
_WHO_BEFORE_RE = re.compile(r",\s*who\s+(?:also\s+|has\s+|had\s+)?$")
_VERB_AFTER_RE = re.compile(r"\s+(?:also\s+|then\s+|later\s+|has\s+|had\s+)?([a-z]+(?:ed|es|s))\b")
_NOT_VERBS = frozenset("was is has does its this his as us yes was news times less ness".split())
_COMMA_BEFORE_RE = re.compile(r"[,\u2014]\s*$")
# a wire story's opening: 'PARIS, Aug 31 (Reuters) - ', 'Dec 29 (Reuters) - ', 'Washington (AFP) \u2013 ', 'SALEM, Ore. \u2014 '
_DATELINE_RE = re.compile(r"\s*(?:[A-Z][A-Za-z.'\-]*(?:\s+[A-Z][A-Za-z.'\-]*){0,3}(?:,\s*[A-Z][a-z]{1,4}\.?(?:\s+\d{1,2})?)?"
                          r"(?:\s*,\s*\d{4})?\s*(?:\([A-Za-z ]{2,30}\))?\s*(?:\u2014|\u2013|--|-)\s+)"
                          r"(?=[A-Z])")
_INTRO_PHRASE_RE = re.compile(r"\s*(?:(?:In|On|At|After|Before|During|Speaking|Asked|Later|Earlier|Since|While|When|"
                              r"Although|As|Though|Despite|If|Meanwhile|But|And|Still|Yet|Then|Also|However|Instead|"
                              r"Separately|Now|Today|Last|This)\b[^,.;]{0,120},\s*|(?:But|And|So|Yet|Still)\s+"
                              r"|[A-Z]\w*(?:\s+\w+){0,2}\s+(?:later|earlier|ago|afterwards?)\s*,\s*)")
# Cue words that, in the middle of a sentence, are nearly always nouns ("the states", "a far cry").
_NOUN_CUES = frozenset("state states cry mock order read post posts call calls report reports charge charges "
                       "claims remarks note notes answer promise promises pledge chant chants tweet tweets".split())
_NAMING_STEMS = ("call", "dub", "label", "describ", "brand", "term", "characteriz", "characteris")
_REL_BEFORE_RE = re.compile(r"\b(?:who|which|that)\s+$")
_SO_BEFORE_RE = re.compile(r"\bso[\s-]*$", re.I)
_ON_AFTER_RE = re.compile(r"\s+(?:on|off|up|in)\b")
_NAMING_LEAD_RE = re.compile(r"(?:\b[a-z]+|,)\s+$(?<!\bhas )(?<!\bhave )(?<!\bhad )(?<!\bhe )(?<!\bshe )"
                             r"(?<!\bthey )(?<!\bwho )(?<!\band )(?<!\bwhich )(?<!\bonce )(?<!\balso )(?<!\bbeen )"
                             r"(?<!\bpublicly )(?<!\brepeatedly )(?<!\bpreviously )(?<!\brecently )(?<!\bthat )")
_ISSUED_BEFORE_RE = re.compile(r"\b(?:issued|released|put\s+out|sent(?:\s+out)?|posted|published|shared|"
                               r"circulated|distributed|emailed|e-mailed)\s+(?:[\w-]+\s+){0,3}$")
_CLAUSE_VERB_RE = re.compile(r"\s+(?:also\s+|then\s+|later\s+|quickly\s+|again\s+)?([a-z]+)\b")
_NOT_CLAUSE_VERBS = frozenset("of and or the a an to in on for with at from by as that who which whose than but "
                              "said says told added".split())
_CLAUSE_OPEN_RE = re.compile(r"(?:[,;\u2014]|\b(?:and|but|as|when|while|because|so|then|although|though|after|"
                             r"before|since))\s+(?:(?:[A-Z][\w.]*|former|then|[a-z]+-[a-z]+)\s+){0,4}$")
_GAP_WORD_RE = re.compile(r"[\w.'\u2019-]+")
_GAP_STOP_RE = re.compile(r"[;:\"\u201c\u201d()!?]|(?<![A-Z])(?<!Gov)(?<!Sen)(?<!Rep)(?<!Lt)(?<!Col)(?<!Gen)(?<!Dr)(?<!Mr)"
                          r"(?<!Ms)(?<!St)(?<!Jr)\.(?:\s|$)")
_GAP_PREPOSITIONS = frozenset("for of to with by from at about on against like than and or".split())
_GAP_CLAUSE_WORDS = frozenset("who which that whose when while where said says told".split())
_GUESSED = ("", "context")   # links whose source is a guess, which a content cue's subject beats
_PRONOUN_OPENER_RE = re.compile(r"[\s\"'\u201c\u2018]*(he|she|He|She)\b")
_PREP_BEFORE_RE = re.compile(r"\b(?:of|for|with|to|about|by|from|at|in|on|against|and|or|than|like|as)\s+(?:the\s+)?"
                             r"(?:[A-Z][\w.'\u2019-]*\s+){0,3}$")
_WORD_CAP_RE = re.compile(r"[A-Z][a-z]+")
_LABEL_RE = re.compile(r"[\s\"'\u201c\u2018]*((?:[A-Z][\w.'\u2019-]*\s+){0,4}[A-Z][\w.'\u2019-]*):\s")
_DASH_SOURCE_RE = re.compile(r"\s[-\u2013\u2014]+\s*(?:[Mm]ore\s+from\s+)?([A-Z][^-\u2013\u2014:]{0,60}?)\s*:\s*$")
MAX_REPORTED_GAP = 30
_REPORTING_STEMS = ("said", "say", "told", "tell", "wrote", "writ", "add", "argu", "insist", "claim", "warn",
                    "explain", "declar", "stat", "not", "tweet", "assert", "contend", "maintain", "suggest")


@dataclass
class Link:
    """What attribution found for one span."""
    span: MarkSpan
    para: int
    cue: Cue | None = None
    source: Source | None = None
    how: str = ""             # "after" | "before" | "colon" | "same-paragraph" | "continued" | "next-paragraph"
    content: Cue | None = None   # a speech verb earlier in the sentence whose content holds the span


def _words_between(text: str, a: int, b: int) -> int:
    return len(_WORD_RE.findall(text, a, b)) if b > a else 0


class Attributor:
    def __init__(self, text: str, spans: list[MarkSpan], resolver: Resolver, cues: CueIndex,
                 lines: list[tuple[int, int]] | None = None):
        self.text = text
        self.spans = spans
        self._span_starts = [sp.start for sp in spans]   # spans come sorted and do not overlap
        self.resolver = resolver
        self.cues = cues
        self.paras = lines if lines is not None else [(m.start(), m.end()) for m in re.finditer(r"[^\r\n]+", text)]
        self._para_starts = [p[0] for p in self.paras]
        # one pass; lookups bisect. A sentence end counts inside [lo, hi) only when the capital
        # after it lies inside too (`need`), as a search bounded by hi would see it.
        # (group 1, the capital, stands in a lookahead right after the match: its end is the need)
        ends = list(_SENT_END_RE.finditer(text))
        self._sent_starts = [m.start() for m in ends]
        self._sent_ends = [m.end() for m in ends]
        self._sent_needs = [m.end(1) for m in ends]
        self._cued: list[Source] = []   # sources tied to a quote by a speech verb, in order

    def para_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._para_starts, pos) - 1)

    def _sentence_start(self, lo: int, pos: int) -> int:
        i = bisect.bisect_right(self._sent_needs, pos) - 1
        if i >= 0 and self._sent_starts[i] >= lo:
            return self._sent_ends[i]
        return lo

    def _sentence_end(self, pos: int, hi: int) -> int:
        i = bisect.bisect_left(self._sent_starts, pos)
        if i < len(self._sent_starts) and self._sent_needs[i] <= hi:
            return self._sent_starts[i] + 1
        return hi

    def link_all(self) -> list[Link]:
        links = [Link(s, self.para_of(s.start)) for s in self.spans]
        for k, link in enumerate(links):
            prev_end = self._outer_end(links[k - 1]) if k and links[k - 1].para == link.para else self.paras[link.para][0]
            next_start = self._outer_start(links[k + 1]) if k + 1 < len(links) and links[k + 1].para == link.para \
                else self.paras[link.para][1]
            found = self._after(link, next_start) or self._shared_cue(links, k, prev_end) \
                or self._before(link, prev_end) or self._colon(link) \
                or self._after_any_verb(link, next_start) or self._subject(link, prev_end)
            if found:
                link.cue, link.source, link.how = found
                if link.source.name:
                    self.resolver.remember(link.span.start, link.source)
                    if link.cue is not None:
                        self._cued.append(link.source)
        self._signatures(links)
        self._propagate(links)
        for link in links:
            if link.how in _GUESSED:
                src = self._label_source(link)
                if src is not None:
                    link.source, link.cue, link.how = src, None, "label"
        for k, link in enumerate(links):
            if link.how not in ("after", "colon"):
                link.content = self._content_cue(links, k)
                if link.content is not None and link.how in _GUESSED:
                    src = self._content_source(link)
                    if src is not None:
                        link.source, link.cue, link.how = src, link.content, "before"
        return links

    def _outer_end(self, link: Link) -> int:
        return link.span.end + len(link.span.close_mark)

    def _outer_start(self, link: Link) -> int:
        return link.span.start - len(link.span.open_mark)

    def _floor(self, link: Link) -> int:
        return self.paras[max(0, link.para - 12)][0]

    # -- cue after the quote -------------------------------------------------------------
    def _after(self, link: Link, next_start: int):
        span, text = link.span, self.text
        if not span.close_mark:
            return None
        after = span.end + len(span.close_mark)
        inner = text[span.start:span.end].rstrip()
        follow = text[after:next_start].lstrip()
        if not follow:
            return None
        ends_sentence = inner[-1:] in ".!?" or inner.endswith(("!\u201d", "?\u201d", ".\u201d"))
        if ends_sentence and inner[-1:] == "." and not follow[0].islower() and follow[0] not in ",;":
            return None
        hi = self._sentence_end(after, next_start)
        for cue in self.cues.between(after, min(hi, after + 160)):
            gap = text[after:cue.start]
            if cue.according:
                np = np_after(text, cue.end, hi)
                if np and _ONLY_PUNCT_RE.match(gap[-3:]) is not None:
                    return cue, self._resolve(np, link), "after"
                continue
            if cue.word.endswith("ing"):
                # 'hailed the vote as "fantastic," telling reporters ...': a participle after the quote has
                # its subject before the quote, and the phrase after it is its object, not a speaker
                continue
            if _ONLY_PUNCT_RE.match(gap):
                np = np_after(text, cue.end, hi)
                if np:
                    return cue, self._resolve_or_name_after(np, hi, link), "after"
                continue
            np = np_before(text, after, cue.start)
            if np and (_ONLY_PUNCT_RE.match(text[after:np[0]]) or self._role_reaches(after, np)
                       or _APPOS_LEAD_RE.match(text, after, np[0]) and text.startswith(",", np[1])):
                return cue, self._resolve(np, link), "after"
            if not cue.weak and _COMMA_BEFORE_RE.search(gap):
                # '"..." about the decision, said Jane Doe'
                np = np_after(text, cue.end, hi)
                if np and text[np[1]:np[1] + 1] in (",", ".", "") and _words_between(text, after, cue.start) <= 10:
                    return cue, self._resolve(np, link), "after"
            if _words_between(text, after, cue.start) > 14:
                break
        return None

    def _resolve_or_name_after(self, np: tuple[int, int], hi: int, link: Link) -> Source:
        """'said the base chief at the time, Bob Lee,' / 'said Oversight ranking Democrat Eli Cobb': when the
        phrase after the cue names nobody, a person named a few descriptive words later is the speaker."""
        src = self._resolve(np, link)
        cast, text = self.resolver.cast, self.text
        runs = cast.runs_between(np[0], np[1])
        if any(r.kind == "person" for r in runs):
            return src
        for p in cast.persons_between(np[1], min(hi, np[1] + 90)):
            if not p.confirmed:
                break
            named = Source(p.start, p.end, text[p.start:p.end], p.name, "person")
            words = text[np[0]:np[1]].split()
            described = words[-1][:1].islower() or all(r.kind == "organisation" for r in runs) \
                or any(w.islower() and (w in PERSON_NOUNS or w in TITLES) for w in words)
            if not described:   # a capitalised phrase: only a role running on to the name ('Oversight ranking Democrat')
                role = next((r for r in cast.runs_between(p.start, p.end) if r.role), None)
                return named if role is not None and not text[np[1]:role.role_start].strip() else src
            gap = text[np[1]:p.start]
            words = _GAP_WORD_RE.findall(gap)
            if len(words) > 10 or _GAP_STOP_RE.search(gap) or (words and words[-1] in _GAP_PREPOSITIONS) \
                    or any(w in _GAP_CLAUSE_WORDS or w.islower() and w.endswith("ed") for w in words):
                break
            return named
        return src

    def _role_reaches(self, after: int, np: tuple[int, int]) -> bool:
        """'"...," councillor Mira Hale said': a lowercase role fills the gap between quote and name."""
        for run in self.resolver.cast.runs_between(np[0], np[1]):
            if run.role and run.role_start < run.start and _ONLY_PUNCT_RE.match(self.text, after, run.role_start) \
                    and run.role_start >= after:
                return True
        return False

    def _shared_cue(self, links: list[Link], k: int, prev_end: int):
        """'"...," said Ann Lee, the mayor. "..."': the cue between two quotes serves both."""
        if not k:
            return None
        prev, link = links[k - 1], links[k]
        if prev.para != link.para or prev.how != "after" or prev.source is None or prev.cue is None \
                or prev.source.start < prev_end:
            return None
        tail = max(prev.source.end, prev.cue.end)
        open_at = link.span.start - len(link.span.open_mark)
        if self.cues.between(tail, open_at) or _words_between(self.text, tail, open_at) > 20 \
                or not _GAP_END_RE.search(self.text, tail, open_at):
            return None
        return prev.cue, prev.source, "before"

    # -- cue before the quote ------------------------------------------------------------
    def _before(self, link: Link, prev_end: int):
        span, text = link.span, self.text
        open_at = span.start - len(span.open_mark)
        lo = self._sentence_start(prev_end, open_at)
        cues = self.cues.between(lo, open_at)
        for cue in reversed(cues):
            gap_words = _words_between(text, cue.end, open_at)
            if gap_words > MAX_REPORTED_GAP:
                break
            lead = text[max(lo, cue.start - 12):cue.start]
            if cue.according:
                np = np_after(text, cue.end, open_at)
                if np:
                    return cue, self._resolve(np, link), "before"
                continue
            if _INFINITIVE_RE.search(lead) or (cue.weak and _DETERMINER_BEFORE_RE.search(lead)):
                continue
            if _ABOUT_AFTER_RE.match(text, cue.end) or (cue.weak and (_MODAL_BEFORE_RE.search(lead)
                                                                      or _TO_AFTER_RE.match(text, cue.end))):
                continue
            if cue.weak and gap_words > 3 and not _INTRO_GAP_RE.match(text[cue.end:open_at]):
                np = np_before(text, lo, cue.start)
                if gap_words <= 8 and np and (text[np[0]].isupper() or text[np[0]:np[1]].lower() in ("he", "she")):
                    return cue, self._resolve(np, link), "before"
                continue
            if gap_words > 12 and not cue.word.startswith(_REPORTING_STEMS):
                continue
            if cue.word.endswith("ing") and _COMMA_BEFORE_RE.search(lead):
                # "Ana Ruiz said, adding that ...": the subject of the cue before the comma
                prior = [c for c in cues if c.end <= cue.start and _ONLY_PUNCT_RE.match(text, c.end, cue.start)]
                np = np_before(text, lo, prior[-1].start) if prior else None
                np = np or self._participle_subject(lo, cue.start)
                if np:
                    return cue, self._resolve(np, link), "before"
            if _COORD_BEFORE_RE.search(lead):
                np = self._sentence_subject(lo, cue.start)
                if np:
                    return cue, self._resolve(np, link), "before"
            if _WHO_BEFORE_RE.search(lead):
                # "Sanders, who says it's ..."
                m = _WHO_BEFORE_RE.search(lead)
                np = np_before(text, lo, max(lo, cue.start - 12) + m.start())
                if np:
                    return cue, self._resolve(np, link), "before"
            np = np_before(text, lo, cue.start)
            if np:
                return cue, self._resolve(np, link), "before"
            if cue.word.lower().startswith(_NAMING_STEMS):
                # 'Lee later called Hale "a fraud"': the phrase after a naming verb is its object
                np = self._sentence_subject(lo, cue.start)
                if np and np[1] <= cue.start:
                    return cue, self._resolve(np, link), "before"
                continue
            np = np_after(text, cue.end, open_at)
            if np and (_INTRO_GAP_RE.match(text[np[1]:open_at])
                       or (_COMMA_BEFORE_RE.search(lead) and text[np[1]:np[1] + 1] == ",")):
                return cue, self._resolve(np, link), "before"
        intro = text[lo:open_at].rstrip()
        if intro.endswith((":", ",")):
            # "Mr. Smith shot back: '...'" -- a colon introduces the words of the sentence's subject
            np = self._sentence_subject(lo, open_at)
            m = _DASH_SOURCE_RE.search(text, lo, open_at) if intro.endswith(":") else None
            if m:
                # "VOTERS WANT CHANGE - Ann Lee: '...'": a digest names the source after the dash
                np = np_after(text, m.start(1), m.end(1)) or np
            if np and (intro.endswith(":") or _words_between(text, np[1], open_at) <= 2):
                return None, self._resolve(np, link), "before"
        return None

    def _sentence_subject(self, lo: int, hi: int) -> tuple[int, int] | None:
        """The noun phrase a sentence opens with, after an introductory phrase ("In a statement, X ...")."""
        dateline = _DATELINE_RE.match(self.text, lo, hi)
        if dateline:
            lo = dateline.end()   # 'PARIS, Aug 31 (Reuters) - Ann Lee ...': the place and wire open no clause
        m = _INTRO_PHRASE_RE.match(self.text, lo, hi)
        pos = m.end() if m else lo
        for _ in range(3):
            np = np_after(self.text, pos, hi)
            if np is not None and self.resolver.looks_like_name(*np):
                return np
            comma = self.text.find(",", pos, hi)   # skip an introductory phrase ("Reached by phone, ...")
            if comma < 0:
                return None
            pos = comma + 1
        return None

    def _participle_subject(self, lo: int, hi: int) -> tuple[int, int] | None:
        """Who does the '..., saying' at hi: the subject of the nearest clause before it with a person
        as subject ('It was a hard week, as Lee echoed the critics, saying'), else the sentence's."""
        np = self._sentence_subject(lo, hi)
        for p in reversed(self.resolver.cast.persons_between(np[1] if np else lo, hi)):
            m = _CLAUSE_VERB_RE.match(self.text, p.end)
            if p.subject and m and m.group(1) not in _NOT_CLAUSE_VERBS \
                    and _CLAUSE_OPEN_RE.search(self.text, max(lo, p.start - 30), p.start) \
                    and not self.text[p.end:p.end + 1] == "-":
                return p.start, p.end
        return np

    # -- no speech verb: '"Go home," Smith barked' / 'Smith blamed the "four liberal justices"' --------------
    def _after_any_verb(self, link: Link, next_start: int):
        span, text = link.span, self.text
        inner = text[span.start:span.end].rstrip()
        if not span.close_mark or inner[-1:] not in ",?!":
            return None
        after = span.end + len(span.close_mark)
        np = np_after(text, after, min(next_start, after + 80))
        if not np or not _ONLY_PUNCT_RE.match(text[after:np[0]]):
            return None
        m = _VERB_AFTER_RE.match(text, np[1])
        if not m or m.group(1) in _NOT_VERBS:
            return None
        src = self._resolve(np, link)
        if src.kind not in ("person", "organisation") or not src.name:
            return None
        return None, src, "after"

    def _subject(self, link: Link, prev_end: int):
        span, text = link.span, self.text
        open_at = span.start - len(span.open_mark)
        lo = self._sentence_start(prev_end, open_at)
        if not text[lo:open_at].strip():
            return None
        np = self._sentence_subject(lo, open_at)
        if not np or np[1] >= open_at or not _VERB_AFTER_RE.match(text, np[1]):
            return None
        src = self._resolve(np, link)
        if src.kind != "person" or not src.name:
            return None
        return None, src, "subject"

    # -- a partial quote in the content of a speech verb ------------------------------------
    def _content_cue(self, links: list[Link], k: int) -> Cue | None:
        """'Lee called the plan "a disaster"', 'she vowed to "fight on"': a verb of saying or naming
        used as a verb (not "the report", "his calls") earlier in the span's sentence."""
        link, text = links[k], self.text
        span = link.span
        open_at = span.start - len(span.open_mark)
        if text[open_at - 1:open_at] == "=":
            return None   # an attribute value in markup (author="...")
        ps, _ = self.paras[link.para]
        lo = self._sentence_start(ps, open_at)
        # a cue right after an earlier quote of the sentence is that quote's ('"...," said Lee, author of "X"')
        used = [self._outer_end(g) for g in links[:k] if g.para == link.para and g.span.end >= lo]
        for cue in reversed(self.cues.between(lo, open_at)):
            if cue.according:
                return cue
            word = cue.word.lower()
            lead = text[max(lo, cue.start - 25):cue.start]
            if word in _NOUN_CUES or _DETERMINER_BEFORE_RE.search(lead) or _SO_BEFORE_RE.search(lead) \
                    or (_INFINITIVE_RE.search(lead) and word != "say") or _MODAL_BEFORE_RE.search(lead) \
                    or _ABOUT_AFTER_RE.match(text, cue.end) or _ON_AFTER_RE.match(text, cue.end) \
                    or (cue.weak and _TO_AFTER_RE.match(text, cue.end)):
                continue
            if word in ("called", "dubbed", "named", "titled") and _NAMING_LEAD_RE.search(lead):
                continue   # 'a play called "X"': naming, not saying
            if any(e <= cue.start and _words_between(text, e, cue.start) <= 6 for e in used):
                continue
            return cue
        # 'A "small handful" of firms will stay away, Gilbert said': a cue later in the sentence
        close_at = self._outer_end(link)
        hi = self._sentence_end(close_at, self.paras[link.para][1])
        later = [self._outer_start(g) for g in links[k + 1:] if g.para == link.para and g.span.start < hi]
        for cue in self.cues.between(close_at, hi):
            if later and later[0] < cue.start:
                break   # the cue belongs to the next quote
            word = cue.word.lower()
            lead = text[max(close_at, cue.start - 25):cue.start]
            if word in _NOUN_CUES or word.endswith("ing") or _DETERMINER_BEFORE_RE.search(lead) \
                    or _INFINITIVE_RE.search(lead) or _MODAL_BEFORE_RE.search(lead) or _REL_BEFORE_RE.search(lead):
                continue
            return cue
        return None

    def _content_source(self, link: Link) -> Source | None:
        """Who the content cue's clause is about: its subject ('Lee called ...', 'Lee, vowing to ...')."""
        text, cue = self.text, link.content
        open_at = link.span.start - len(link.span.open_mark)
        ps, _ = self.paras[link.para]
        lo = self._sentence_start(ps, open_at)
        if cue.according:
            np = np_after(text, cue.end, open_at)
        elif cue.word.endswith("ing") and _COMMA_BEFORE_RE.search(text, lo, cue.start):
            np = self._participle_subject(lo, cue.start)
        else:
            np = np_before(text, lo, cue.start) or None
        if np is None:
            return None
        src = self._resolve(np, link)
        if not src.name or src.kind not in ("person", "organisation"):
            return None
        return src

    # -- introduction ending the previous paragraph with a colon ----------------------------
    def _colon(self, link: Link):
        span, text = link.span, self.text
        ps, pe = self.paras[link.para]
        if text[ps:span.start - len(span.open_mark)].strip() or link.para == 0:
            return None
        qs, qe = self.paras[link.para - 1]
        prev = text[qs:qe].rstrip()
        if not prev.endswith(":"):
            return None
        lo = self._sentence_start(qs, qs + len(prev))
        for cue in reversed(self.cues.between(lo, qs + len(prev))):
            np = np_before(text, lo, cue.start)
            if np:
                return cue, self._resolve(np, link), "colon"
        return None

    def resolve_phrase(self, np: tuple[int, int], pos: int) -> Source:
        """The source a noun phrase names, resolved as for a quote at pos (reported speech uses it)."""
        return self._resolve(np, Link(MarkSpan(pos, pos, "", "", False), self.para_of(pos)))

    def _resolve(self, np: tuple[int, int], link: Link) -> Source:
        src = self.resolver.resolve(np, self._floor(link), link.span.start)
        if src.kind == "document":
            # 'Lee issued a statement saying ...': the words are Lee's, not the statement's
            lo = self._sentence_start(self.paras[link.para][0], np[0])
            m = _ISSUED_BEFORE_RE.search(self.text, max(lo, np[0] - 40), np[0])
            subject = np_before(self.text, lo, m.start()) if m else None
            if subject:
                issuer = self.resolver.resolve(subject, self._floor(link), link.span.start)
                if issuer.name and issuer.kind in ("person", "organisation"):
                    src = issuer
        if src.pronoun and src.kind == "person":
            gender = PRONOUNS.get(src.text.lower())
            name = self._previous_subject(min(np[0], link.span.start), gender)
            if name:
                src = replace(src, name=name)
        return src

    def _previous_subject(self, pos: int, gender: str) -> str | None:
        """'Ann Lee, the mayor, spoke last. "...," she said': a he/she opening a sentence (or following
        the quote that opens it) means the subject of the sentences just before, not a nearer name."""
        text, cast = self.text, self.resolver.cast
        para = self.para_of(pos)
        ps = self.paras[para][0]
        lo = self._sentence_start(ps, pos + 1)   # +1: a sentence counts once its first letter is in
        m = _INTRO_PHRASE_RE.match(text, lo, self.paras[para][1])
        if m and m.end() > pos and text[lo:m.end()].rstrip().endswith(","):
            # 'Although he said it was "wild", Isaac ...': the pronoun looks ahead to the main clause's subject
            return self._first_person(m.end(), self._sentence_end(m.end(), self.paras[para][1]), m.end(), gender)
        if text[m.end() if m else lo:pos].strip(" \"'\u201c\u2018") and not (
                m and text[lo:pos].rstrip().endswith(",") and not _QUOTE_CHARS_RE.search(text, lo, pos)):
            # ('Asked about the vote in Ohio, where Lee won, she said': the main clause's subject still opens it)
            return None   # something else opens the sentence: the usual scoring decides
        end = lo
        reach = para - 1   # the paragraph before; a sentence opened by the same pronoun carries it one further
        steps = 0
        while steps < 4:
            while end > 0 and text[end - 1].isspace():
                end -= 1
            if end <= 0:
                return None
            epara = self.para_of(end - 1)
            if epara < reach:
                return None
            s = self._sentence_start(self.paras[epara][0], end - 1)
            if self._quoted(s, end):   # a quoted speaker's own sentence: who speaks is said outside it
                end = s
                continue
            steps += 1
            spoke = [src for src in self._cued if s <= src.start < end and src.kind == "person"
                     and src.name and (PRONOUNS.get(src.text.lower()) == gender if src.pronoun
                                       else self.resolver.cast.gender_of(src.name) in (None, gender))]
            if spoke:
                return spoke[-1].name
            m = _INTRO_PHRASE_RE.match(text, s, end)
            body = m.end() if m else s
            opener = _PRONOUN_OPENER_RE.match(text, body, end)
            if opener:
                if PRONOUNS.get(opener.group(1).lower()) == gender:
                    end = s
                    reach = min(reach, epara - 1)
                    continue
            name = self._first_person(body, end, s, gender) or (
                body > s and self._first_person(s, body, s, gender))   # 'And Ohio's Ann Lee, a delegate, said'
            if name:
                return name
            end = s
        return None

    def _quoted(self, lo: int, hi: int) -> bool:
        """Whether text[lo:hi] (marks and spaces aside) lies inside one quote."""
        stripped = self.text[lo:hi].strip(" \t\n\"'\u201c\u201d\u2018\u2019,.;:!?")
        if not stripped:
            return False
        first = lo + self.text[lo:hi].index(stripped[0])
        k = bisect.bisect_right(self._span_starts, first) - 1
        return k >= 0 and self.spans[k].start <= first and first + len(stripped) <= self.spans[k].end

    def _first_person(self, lo: int, hi: int, floor: int, gender: str) -> str | None:
        """The person a stretch of text is about: the first who speaks, else the first named who is
        not a possessive ("Trump's") or a preposition's object ("with Jane Doe"); gender must fit."""
        text, cast = self.text, self.resolver.cast
        fits = []
        for p in cast.persons_between(lo, hi):
            if text.startswith(("'s", "\u2019s", "'", "\u2019"), p.end):
                continue
            prep = _PREP_BEFORE_RE.search(text, max(floor, p.start - 12), p.start)
            if prep and not any(r.role and r.role_start <= prep.start() for r in cast.runs_between(p.start, p.end)):
                continue   # ('Secretary of State John Kerry': the "of" is the role's, not a preposition before him)
            g = cast.gender_of(p.name)
            if g and g != gender:
                continue
            fits.append(p)
        speaking = [p for p in fits if p.speaks]
        pick = speaking[0] if speaking else fits[0] if fits else None
        return pick.name if pick else None

    # -- a headline or transcript line: 'Lee: Budget Is 'A Disaster'' -------------------------
    def _label_source(self, link: Link) -> Source | None:
        """The person named before a colon that opens the quote's sentence ("Lee: Plan 'Dead'"),
        as headlines and interview transcripts put it; None when no person is named there."""
        text = self.text
        open_at = link.span.start - len(link.span.open_mark)
        ps, _ = self.paras[link.para]
        lo = self._sentence_start(ps, open_at)
        m = _LABEL_RE.match(text, lo, open_at)
        if not m:
            return None
        colon = m.end(1)
        end = colon
        verb = next((w for w in _WORD_CAP_RE.finditer(text, m.start(1), colon) if w.group() in HEADLINE_VERBS), None)
        if verb:   # 'Ann Lee Endorses Tom Berg: ...': the headline's subject speaks, not its object
            end = verb.start()
        runs = [r for r in self.resolver.cast.runs_between(lo, end) if not text[r.end:end].strip()]
        if not runs or runs[-1].kind == "organisation":
            return None
        src = self.resolver.resolve((runs[-1].start, runs[-1].end), self._floor(link), link.span.start)
        if src.kind != "person" or not src.name or src.name != self.resolver.cast.resolve_name(src.name) \
                or not any(p.name == src.name for p in self.resolver.cast.persons):
            return None
        return src

    # -- a pull quote signed on the line under it -----------------------------------------------
    def _signatures(self, links: list[Link]) -> None:
        """'"Budgets are moral documents.' / 'Ann Lee, Harbour Institute."': a quote paragraph left open, closed
        at the end of the next line, which holds only a name (and a description after a comma), is a pull quote
        signed by that name; the signature line is not quoted words (how "signature")."""
        text = self.text
        for k in range(1, len(links)):
            prev, link = links[k - 1], links[k]
            span, before = link.span, prev.span
            if link.source is not None and link.how not in _GUESSED or span.open_mark or not span.close_mark \
                    or not before.continued or before.close_mark or link.para != prev.para + 1 \
                    or self.paras[link.para][0] != self.paras[prev.para][1] + 1:   # the very next line
                continue
            name = _signature_name(text[span.start:span.end])
            if name is None:
                continue
            name = self.resolver.cast.resolve_name(name)
            src = Source(span.start, span.end, text[span.start:span.end], name, "person")
            link.source, link.how = src, "signature"
            if prev.source is None or prev.how in _GUESSED:
                prev.source, prev.how = src, "after"

    # -- continuation ----------------------------------------------------------------------
    def _propagate(self, links: list[Link]) -> None:
        # the paragraphs of one long quote share a source
        for k in range(1, len(links)):
            a, b = links[k - 1], links[k]
            if b.source is None and a.source is not None and b.span.continued and a.span.continued \
                    and b.para > a.para and not a.span.close_mark:
                b.source, b.how = a.source, "continued"
        for k in range(len(links) - 2, -1, -1):
            a, b = links[k], links[k + 1]
            if a.source is None and b.source is not None and a.span.continued and b.span.continued \
                    and b.para > a.para and not a.span.close_mark:
                a.source, a.how = b.source, "continued"
        # other quotes in the same paragraph
        by_para: dict[int, list[Link]] = {}
        for link in links:
            by_para.setdefault(link.para, []).append(link)
        for group in by_para.values():
            for k, link in enumerate(group):
                if link.source is not None:
                    continue
                prev = next((g for g in reversed(group[:k]) if g.source is not None), None)
                nxt = next((g for g in group[k + 1:] if g.source is not None), None)
                pick = prev or nxt
                if pick is not None:
                    link.source, link.how = pick.source, "same-paragraph"
        # a quote paragraph right after a paragraph whose speaker is clear
        last_para_source: dict[int, Source] = {}
        for link in links:
            if link.source is not None:
                last_para_source[link.para] = link.source
        for link in links:
            if link.source is not None:
                continue
            ps, _ = self.paras[link.para]
            if self.text[ps:link.span.start - len(link.span.open_mark)].strip():
                continue
            prev_src = last_para_source.get(link.para - 1)
            if prev_src is not None and prev_src.name:
                link.source, link.how = prev_src, "next-paragraph"
                last_para_source[link.para] = prev_src
        # still nobody: the person the surrounding sentences are about (a guess; confidence unchanged)
        last: Link | None = None
        for link in links:
            if link.source is None:
                src = self._context_source(link)
                if src is None and last is not None and link.para - last.para <= 2:
                    src = last.source   # the speaker of the quotes just before
                if src is not None:
                    link.source, link.how = src, "context"
            if link.source is not None and link.source.name:
                last = link
        # last resort: the first person the quote's own sentence names, else the nearest before it
        for link in links:
            if link.source is None or not link.source.name and not link.source.pronoun and link.how in _GUESSED:
                src = self._nearby_person(link)
                if src is not None:
                    link.source, link.how = src, "context"

    def _nearby_person(self, link: Link) -> Source | None:
        """'Lee's aside that the workers were "well fed"': a guess for a quote no rule could tie to
        anyone, the first person named in its sentence, else the nearest in this or the last paragraph."""
        open_at = link.span.start - len(link.span.open_mark)
        ps, _ = self.paras[link.para]
        lo = self._sentence_start(ps, open_at)
        cast = self.resolver.cast
        here = cast.persons_between(lo, open_at)
        p = here[0] if here else next(cast.persons_before(open_at, self.paras[max(0, link.para - 1)][0]), None)
        if p is None:
            return None
        return Source(p.start, p.end, self.text[p.start:p.end], p.name, "person")

    def _context_source(self, link: Link) -> Source | None:
        text = self.text
        open_at = link.span.start - len(link.span.open_mark)
        ps, pe = self.paras[link.para]
        candidates = []
        if text[ps:open_at].strip():
            candidates.append(self._sentence_subject(self._sentence_start(ps, open_at), open_at))
        else:
            if link.para + 1 < len(self.paras):
                ns, ne = self.paras[link.para + 1]
                m = _DASH_LINE_RE.match(text, ns, ne)
                if m:
                    candidates.append(np_after(text, m.end(), ne))
            if link.para > 0:
                qs, qe = self.paras[link.para - 1]
                prev = text[qs:qe].rstrip()
                end = qs + len(prev)
                lo = self._sentence_start(qs, end - 1)
                if prev.endswith(":"):
                    run = next((r for r in reversed(self.resolver.cast.runs_between(lo, end))
                                if r.kind == "person" and not text[r.end:end - 1].strip()), None)
                    if run is not None:
                        candidates.append((run.start, run.end))
                if not _QUOTE_CHARS_RE.search(prev):
                    candidates.append(self._sentence_subject(lo, end))
        for np in candidates:
            if np is None:
                continue
            src = self._resolve(np, link)
            if src.name and src.kind == "person":
                return src
        return None


_SIGNATURE_RE = re.compile(r"\s*[-\u2013\u2014]*\s*([^,;:!?\"\u201c\u201d]{3,80}?)\s*(?:,[^;:!?\"\u201c\u201d]{0,80})?\.?\s*$")
_NAME_WORD_RE = re.compile(r"[A-Z][\w'\u2019-]*\.?$")


def _signature_name(line: str) -> str | None:
    """The person a signature line names ('S.C. Rep. Ann Lee', 'Former mayor Ann Lee, Harbour Institute.'):
    the capitalised words ending the part before the first comma, titles dropped; None when the line is no
    signature (a sentence, one word, or a name whose first word is no known first name)."""
    m = _SIGNATURE_RE.match(line)
    if not m or len(line.split()) > 14:
        return None
    words = m.group(1).split()
    k = len(words)
    while k > 0 and _NAME_WORD_RE.match(words[k - 1]):
        k -= 1
    name = words[k:]
    while name and (name[0].lower().rstrip(".") in TITLES or name[0].endswith(".")):
        name = name[1:]   # 'S.C. Rep.'
    if not 2 <= len(name) <= 4 or name[0].lower() not in FIRST_NAMES:
        return None
    return " ".join(name)
