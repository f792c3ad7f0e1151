"""Reported speech: attributions without quotation marks (indirect) or holding quoted words (mixed).

    found = find_reported(text, attributor)      # Reported records: outermost contents apart, nested ones inside
    quotes = combine_forms(text, direct_quotes, found)

A cue (a verb of saying, thinking or showing, "according to", or a noun such as "claim" before a
that-clause), its source and its content are read from the sentence the cue stands in:

- "Lee said (that) the plan would fail."        subject, cue, then the content
- "Lee told reporters the plan would fail."      an object of "tell"-verbs comes before the content
- "The plan will fail, Lee said." / "..., said Lee."  the content before the cue
- "According to aides, the plan will fail." / "The plan will fail, according to aides."
- "Lee accused Hale of lying."                   the content is the rest of the clause ("Hale of lying")
- "Lee denied that ..."                          negation is content too
- "Lee's claim that ..." / "the claim by Lee that ..."   a possessor or a by-phrase is the source
- "..., saying that ..."                         a participle's subject is the clause's subject
- "Lee said the plan would fail, according to aides."   nested: aides report Lee's attribution, two items
- "Most said it was fair, but a third said it would fail."  side by side: each its own content

An attribution inside another's content ("Lee said the mayor had told donors that ...") is read as
a nested item of its own only with NESTED_INNER set (off: measured on polnear-train, whose annotators
seldom mark such inner attributions, it costs more precision than it gains recall).

Only sentences holding a cue word are read (one regex over the text finds them), so the cost is
small beside the direct-quote rules. Sources are resolved by the direct-quote Attributor (names,
pronouns, descriptions), so both forms name a speaker the same way.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from annotator.core.detect.cues import _trie_pattern
from annotator.core.detect.model import Quote, quick_init
from annotator.core.detect.names import PERSON_NOUNS, TITLES
from annotator.core.detect.speakers import (
    DETERMINERS,
    PLACES,
    PRONOUNS,
    Source,
    _strip_det,
    np_after,
    np_before,
    owned_words,
    reads_on,
)
from annotator.core.resources import read_word_list


def _forms(name: str) -> dict[str, str]:
    """form -> lemma, from a list whose lines are 'lemma form form ...'."""
    out: dict[str, str] = {}
    for line in read_word_list("cues", name):
        words = line.lower().split()
        lemma = words[0].strip("()")
        for w in words[1:] if words[0].startswith("(") else words:
            out.setdefault(w, lemma)
    return out


VERB_LEMMAS: dict[str, str] = _forms("reported_verbs.txt")
NOUN_CUES: frozenset[str] = frozenset(_forms("reported_nouns.txt"))


def _noun_preps() -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for line in read_word_list("cues", "reported_noun_preps.txt"):
        words = line.lower().split()
        out[words[0]] = frozenset(words[1:])
    return out


# 'his attacks on Rubio', 'support for the bill': the noun's prepositional object is the content
NOUN_PREPS: dict[str, frozenset[str]] = _noun_preps()

# verbs whose person object comes before the content: "told reporters (that)", "warned voters (that)"
_OBJECT_FIRST = frozenset("tell inform assure warn remind convince persuade promise ask urge advise reassure notify "
                          "alert brief teach caution implore beg instruct order counsel".split())
_OBJECT_WORDS = frozenset("him her them me us you reporters journalists voters supporters members lawmakers "
                          "colleagues donors listeners viewers readers students workers crowds crowd audience "
                          "people americans residents officials senators delegates".split())
# verbs whose object is the content itself ("accused Hale of lying", "praised the plan")
_OBJECT_CONTENT = frozenset("accuse blame criticize criticise praise attack slam blast condemn decry denounce applaud "
                            "welcome endorse oppose defend dismiss reject question dispute mock ridicule scold chide "
                            "rebuke lambaste fault castigate berate thank congratulate commend hail tout cite "
                            "highlight describe characterize label dub call propose recommend demand urge "
                            "charge".split())
# verbs whose content follows a preposition: "talked about the plan", "referred to the vote", "pointed to polls"
_ABOUT_RE = re.compile(r"\s+(?:(?:also|again|repeatedly|often|publicly|openly)\s+)?(?:about|to|on|of|out\s+that|out)\b")
_FOR_RE = re.compile(r"\s+(?:(?:also|again|repeatedly|often|hard|publicly|strongly|heavily)\s+)?(?:for|against|on)\b")
_AGAINST_RE = re.compile(r"\s+(?:(?:also|again|repeatedly|often|publicly)\s+)?(?:against|out\s+at|out\s+against|at)\b")
_PREPOSITION_VERBS = {**{v: _ABOUT_RE for v in "talk refer point comment speak".split()},
                      **{v: _FOR_RE for v in "push press campaign lobby vote".split()},
                      **{v: _AGAINST_RE for v in "rail lash".split()}}
# naming verbs: after a common noun they mostly name a thing ('a comedy called "Noon"', 'a group dubbed X'),
# so a common-noun subject is not read for them (a person or an organisation still is: 'Lee called it a farce')
_NAMING = frozenset("call dub label name term title brand nickname".split())
# verbs whose content is only their object: "Ryan endorsed Trump", "she praised the plan"
_OBJECT_ONLY = frozenset("endorse praise attack slam blast condemn decry denounce applaud welcome oppose support back "
                         "defend dismiss reject question dispute mock ridicule thank congratulate commend hail tout "
                         "cite highlight embrace champion resist challenge favor favour prefer "
                         "fault berate castigate lambaste rebuke scold chide".split())
# a full stop ends the object, not the one of a title or an initial ('praised Mrs. Lee', 'backed J. Hale')
_ABBREV_DOT = (r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bJr)(?<!\bSr)(?<!\bLt)(?<!\bMrs)(?<!\bSen)(?<!\bGov)"
               r"(?<!\bRep)(?<!\bGen)(?<!\bCol)(?<!\bSgt)(?<!\bRev)(?<!\bAmb)(?<!\bSec)(?<!\bAtty)(?<!\b[A-Z])\.")
_OBJECT_STOP_RE = re.compile(r"[,;:!?()\u2014]|" + _ABBREV_DOT + r"|\s(?:during|after|before|when|while|because|"
                             r"since|who|which|that|last|this|earlier|later|Monday|Tuesday|Wednesday|Thursday|"
                             r"Friday|Saturday|Sunday|yesterday|today|tonight)\s|"
                             r"\s(?:and|but)\s+(?!(?:the|a|an|his|her|their|its|our|other)\b|[A-Z\d])")
# "said" and its kin are nearly always reporting; other verbs need a clearer frame (a that-clause, a subject)
_SAY_LIKE = frozenset("say tell add note explain argue claim insist warn state declare announce assert contend "
                      "maintain acknowledge admit concede deny confirm write tweet reply respond recall predict "
                      "promise pledge vow complain allege testify reveal disclose mention remark observe stress "
                      "emphasize emphasise reiterate conclude believe think suggest report".split())

# verbs whose content may be an infinitive: 'Lee vowed to block the bill', 'the mayor wants to raise taxes'
_TO_VERBS = frozenset("want plan hope vow pledge promise seek offer threaten refuse decline agree intend aim decide "
                      "expect wish prefer propose demand swear vote prepare hesitate".split())
# verbs whose object and its infinitive are the content: 'Lee urged voters to reject it', 'called on Congress to act'
_OBJECT_TO = frozenset("urge ask tell order encourage invite press implore beg instruct advise warn persuade "
                       "convince remind challenge want expect call need".split())
_TO_RE = re.compile(r"\s*(?:not\s+)?to\s+(?!the\b|a\b|an\b|his\b|her\b|their\b|its\b|[A-Z\d])[a-z]+")
_OBJECT_TO_RE = re.compile(r"\s*(?:on\s+)?((?:[\w.'\u2019-]+\s+){0,5}?[\w.'\u2019-]+)\s+(?:not\s+)?to\s+"
                           r"(?!the\b|a\b|an\b|his\b|her\b|their\b|its\b|[A-Z\d])[a-z]+")

# raising and passive frames: 'Lee is expected to win', 'the plan seems to work', 'the vote is seen as a test':
# the subject and the infinitive (or the as-phrase) are the content, nobody named as its source
_RAISING = frozenset("seem appear".split())
_PASSIVE_RAISING = frozenset("expect say report believe think know consider see view regard project predict "
                             "estimate rumor rumour suspect fear assume understand deem perceive".split())
_RAISING_AFTER_RE = re.compile(r"\s+(?:(?:not\s+)?to\s+(?!the\b|a\b|an\b|[A-Z\d])[a-z]+|as\s+\S)")
_PASSIVE_AUX_RE = re.compile(r"(?:\b(?:(?:had|has|have|will|would|could|may|might|should|must|can)\s+(?:not\s+)?)?(?:is|are|was|were|be|been|being)\s+(?:(?:also|widely|generally|largely|now|still|"
                             r"not|being|once|long|increasingly|broadly|privately|initially|originally|[a-z]+ly)\s+)?)$")
_RAISING_AUX_RE = re.compile(r"(?:\b(?:had|has|have|would|will|may|might|could|did|does|do|also|now|still|only|"
                             r"not|[a-z]+ly)\s+)*$")

CUE_RE = re.compile(
    r"(?<![\w'\u2019-])(?:" + _trie_pattern(sorted(VERB_LEMMAS)) + r"|according\s+to|[Aa]ccording\s+to|Asked|"
    + _trie_pattern(sorted(NOUN_CUES | set(NOUN_PREPS))) + r")(?![\w'\u2019-])")
_NOUN_PREP_RE = re.compile(r"\s+([a-z]+)\s+(?=\S)")
# before a noun cue: a determiner, a possessive or an adjective ('his', "Trump's", 'strongly worded', 'in')
_NOUN_PHRASE_END_RE = re.compile(r"\s(?:is|are|was|were|has|have|had|will|would|could|should|may|might|can|must|"
                                 r"did|does|do|remains?|remained|seems?|seemed|appears?|appeared|[a-z]{3,}ed|drew|came|"
                                 r"went|got|led|left|brought|won|lost|sent|began|ran|fell|rose|grew|struck|made|gave|"
                                 r"took)\b")
_NOUN_LEAD_RE = re.compile(r"(?:\b(?i:the|a|an|his|her|their|its|our|my|your|this|these|those|in|of|new|fresh|"
                           r"repeated|harsh|sharp|strong|public|early|latest)|\b(?:[a-z]+ly|[a-z]+al|[a-z]+ive|[a-z]+ed)|"
                           r"['\u2019]s?)\s+$|^\s*$")

_OBJECT_THAT_RE = re.compile(r"\s*(?:[\w'\u2019.-]+\s+){1,8}?that\s+")
_TRAILING_ADVERB_RE = re.compile(r"(?:\s+(?:now|also|then|later|again|still|initially|[a-z]+ly))+$")
_SOURCE_END_RE = re.compile(r"\s*(?:[,.!?;:)\u2014\u201d\"']|$)")
_LEAD_JOINER_RE = re.compile(r"(?:and|but|or|so|yet|while|as|because|although|though|since|when|if)\s+", re.I)
_THAT_RE = re.compile(r"\s*(?:that|whether|if|how|why|what|when)\b\s*")
_ADVERBIAL_RE = re.compile(
    r"\s*(?:,\s*|(?:on|last|this|next|early|late|earlier|later)\s+(?:[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*)*|week|month|year|night|morning|"
    r"afternoon|evening|weekend|summer|fall|spring|winter)\b|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|yesterday|today|tonight|recently|repeatedly|previously|also|again|publicly|privately|later|earlier|"
    r"often|frequently|once|now|then|flatly|firmly|strongly|quickly|bluntly|simply|just|only|even|still|"
    r"instead|too)\b|in\s+(?:a|an|his|her|their|its|the|one|an\s+exclusive)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:statement|interview|speech|letter|op-ed|tweet|post|email|e-mail|release|conference|appearance|"
    r"address|debate|hearing|memo|report|filing|note|message|video|column|essay|book|remarks|briefing|call)s?"
    r"(?:\s+(?:with|on|to|at|for|in)\s+(?:[\w.'\u2019-]+\s*){1,5}?(?=,|\s+that\b))?|"
    r"to\s+(?:reporters|journalists|supporters|the\s+press|the\s+crowd|an\s+audience|the\s+audience|CNN|Fox|"
    r"NBC|CBS|ABC|MSNBC)\b|at\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:rally|event|news\s+conference|"
    r"press\s+conference|hearing|debate|meeting|town\s+hall|forum|summit|conference|speech|briefing)\b)")
_TAIL_RE = re.compile(r"(?:[\s,]*(?:on|last|this|in|at|to|during|after|before|while|when|from|with|earlier|later|"
                      r"recently|again|also|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|"
                      r"today|in\s+a\s+statement)\b[^.!?;:]{0,80})?[\s.!?\"'\u201d\u2019)]*$")
_DET_BEFORE_RE = re.compile(r"\b(?:the|a|an|his|her|their|its|our|this|these|those|my|your|[\w]+['\u2019]s)"
                            r"\s+$", re.I)
_LIGHT_VERB_RE = re.compile(r"\b(?:made|makes|launched|launches|issued|issues|offered|offers|gave|gives|delivered|"
                            r"delivers|voiced|voices|expressed|expresses|renewed|renews|repeated|repeats|reiterated|"
                            r"reiterates|leveled|levelled|levels|lodged|lodges|stepped\s+up|steps\s+up)\s+"
                            r"(?:(?:a|an|the|his|her|their|its|[a-z]+ly|[a-z]+(?:-[a-z]+)?)\s+){0,3}$")
_POSSESSOR_RE = re.compile(r"((?:[A-Z][\w.'\u2019-]*\s+){0,3}[A-Z][\w.-]*|he|she|they|his|her|their)(['\u2019]s?)?\s+"
                           r"(?:[a-z-]+\s+){0,2}$")
# 'his claim in a recent interview that ...': a short phrase may stand between the noun and its clause
_NOUN_THAT_RE = re.compile(r"\s*,?\s*(?:(?:in|on|at|during|to|last|this|earlier)\s+(?:[\w'\u2019.-]+\s+){0,6}?)?"
                           r",?\s*that\s+")
_BY_RE = re.compile(r"\s+(?:by|from|of)\s+")
_PARTICIPLE_LEAD_RE = re.compile(r"\b(?:by|after|before|while|when|without|in|for|despite|since)\s+$")
_INFINITIVE_RE = re.compile(r"\b(?:to|not\s+to)\s+$")
_AUX_BEFORE_RE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:[a-z]+ly\s+)?$")
_WHO_RE = re.compile(r",?\s*(?:who|which|that)\s+(?:also\s+|has\s+|had\s+|have\s+|later\s+)?$")
# what may follow a say-verb closing its sentence: adverbials, then the end or a participle ('..., adding ...')
_TAIL_SAY = frozenset("say tell add note explain argue claim insist warn state write tweet reply respond acknowledge "
                      "admit concede confirm predict recall report believe think contend assert maintain "
                      "estimate suggest caution show find indicate reveal".split())
_TAIL_AFTER_RE = re.compile(r"(?:\s+(?:on|last|this|in|at|during|after|before|earlier|later|recently|again|also|"
                            r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tonight|"
                            r"in\s+an?\s+[\w-]+|in\s+a\s+statement)\b[^.!?;:,\u201c\"]{0,60}?)?\s*(?:[.!?)]|,\s+[a-z]+ing\b|"
                            r",\s+(?:but|and|although|though|because|while|as)\b|$)")
_SPACES_RE = re.compile(r"\s+")
_THAT_LEAD_RE = re.compile(r"that\s+")
_THAT_SOON_RE = re.compile(r"[^.;:!?]{0,40}?\bthat\s")
_QUOTE_IN_RE = re.compile(r"[\"\u201c\u201d]")
_COMMA_END_RE = re.compile(r"[,\u2014]\s*$")
_WORD_RE = re.compile(r"[\w\u00c0-\u024f]+(?:['\u2019-][\w\u00c0-\u024f]+)*")
_QUOTE_MARKS = "\"\u201c\u201d\u2018\u2019'"
_STRIP = " \t\n,;:\u2014\u2013-"
MIN_CONTENT_WORDS = 3
MAX_CONTENT_CHARS = 600
SUBJECT_REACH = 100
SURE_QUOTE = 0.5   # a quoted span the direct rules are this sure of makes a reported clause mixed


@quick_init
@dataclass(frozen=True)
class Reported:
    """One attribution read from a cue: the content span, the cue and its (resolved) source."""
    content_start: int
    content_end: int
    cue_start: int
    cue_end: int
    cue: str
    source: Source | None
    strong: bool   # a say-like verb or "according to" with a clear frame
    nested: bool = False   # inside the content of another attribution ('Lee said [Hale told donors [...]]')


def _lemma(word: str) -> str:
    return VERB_LEMMAS.get(word.lower(), word.lower())


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _STRIP:
        a += 1
    while b > a and text[b - 1] in _STRIP + ".!?":
        b -= 1
    # 'that' opening the content is the cue's, not the content's
    m = _THAT_LEAD_RE.match(text[a:b]) if text.startswith("that", a) else None
    if m:
        a += m.end()
    return a, b


def _words(text: str, a: int, b: int) -> int:
    return len(_WORD_RE.findall(text, a, b)) if b > a else 0


class _Reader:
    def __init__(self, text: str, attributor):
        self.text = text
        self.att = attributor

    def sentence(self, pos: int) -> tuple[int, int]:
        para = self.att.paras[self.att.para_of(pos)]
        # +1: a sentence counts once its first letter is in (a cue may open it: 'According to ...')
        return self.att._sentence_start(para[0], pos + 1), self.att._sentence_end(pos, para[1])

    def source(self, np: tuple[int, int] | None, pos: int, group: tuple[int, int] | None = None) -> Source | None:
        """The source a noun phrase names. `group`, the whole phrase the noun phrase stands in (from
        _group_before / _group_after), names it instead when it is more than one person's name: a group
        ('U.S. intelligence officials'), several people ('Lee and Hale'), a poll ('a Times/CBS News poll')."""
        if np is None:
            return None
        m = _LEAD_JOINER_RE.match(self.text, np[0], np[1])
        if m and m.end() < np[1]:
            np = (m.end(), np[1])   # '..., but the council's engineers warned': the subject, not 'but'
        tail = _TRAILING_ADVERB_RE.search(self.text, np[0], np[1])
        if tail and tail.start() > np[0]:
            np = (np[0], tail.start())   # 'Walker now said': the name, not the adverb
        src = self.att.resolve_phrase(np, pos)
        if group is None or not (group[0] <= np[0] and np[1] <= group[1]):
            group = np
        if src.pronoun or not (group[0] <= src.start and src.end <= group[1]) or src.start == np[0] and (
                owned_words(self.text[np[0]:np[1]]) and src.end < np[1]):
            return src   # (a source found elsewhere: 'Lee issued a statement saying' names Lee)
        written = self.text[group[0]:group[1]]
        if _QUANTITY_RE.match(written):   # 'Half of Ohio Democrats', '58 percent of voters': that share of them
            return replace(src, start=group[0], end=group[1], text=written, name=written, kind="organisation",
                           role=None)
        if written.lower().rstrip(".") in PLACES and written[:1].isupper():
            return replace(src, name=written, kind="organisation", role=None)   # 'Israel regards ...': its government
        if src.name is None and group == np:
            return src
        if src.kind == "person" and src.name and src.start <= group[0] + 12 and src.end < group[1] \
                and reads_on(self.text, src.end, group[1]):
            return src   # 'Ann Lee goes big, ... saying': the phrase read on into her verb; the person
        if group != np and not (src.kind == "person" and src.name):
            people = self.att.resolver.cast.persons_between(group[0], group[1])
            if people and people[0].start <= group[0] + 12 and reads_on(self.text, people[0].end, group[1]):
                return self.att.resolve_phrase((people[0].start, people[0].end), pos)
        owned = _OWNED_PEOPLE_RE.fullmatch(written)
        if owned and _person_noun(owned.group(1)) and src.kind == "person" and src.end <= group[0] + owned.start(1):
            # "Lee's aides say", "the senator's lawyers argued": the people the name has, not the name
            return replace(src, start=group[0], end=group[1], text=written, name=_strip_det(written),
                           kind="organisation", role=None)
        several = bool(_SEVERAL_RE.search(written))
        core = _HEAD_SPLIT_RE.split(written, 1)[0].split()
        thing = bool(core) and core[-1].isalpha() and core[-1].islower() and not _person_noun(core[-1])
        if src.kind == "person" and src.name and not several and not thing and (
                self.att.resolver.cast.persons_between(group[0], group[1]) or src.name not in (src.text, _strip_det(src.text))):
            return src   # 'Republican front-runner Ann Lee', 'the spokeswoman' (resolved): the person
        name = _strip_det(written)
        if name == src.name or src.kind == "organisation" and src.name and not several and not (
                set(_WORD_RE.findall(_strip_det(src.name).lower())) <= set(_WORD_RE.findall(name.lower()))):
            return src   # the name is already the whole phrase, or one the phrase does not hold ('FBI' for the bureau)
        return replace(src, start=group[0], end=group[1], text=written, name=name,
                       kind="organisation" if several or src.kind != "person" else "person", role=None)

    def after_cue(self, pos: int, se: int, lemma: str) -> int:
        """Where the content starts after a verb cue at pos: past adverbials, a tell-verb's object, 'that'."""
        text = self.text
        if lemma in _PREPOSITION_VERBS:
            m = _PREPOSITION_VERBS[lemma].match(text, pos, se)
            if not m:
                return se   # 'they talked for hours' and the like: no content
            pos = m.end()
        for _ in range(4):
            m = _ADVERBIAL_RE.match(text, pos, se)
            if not m or m.end() == pos:
                break
            pos = m.end()
        if lemma in _OBJECT_FIRST:
            m = _THAT_RE.match(text, pos, se)
            far = _OBJECT_THAT_RE.match(text, pos, se) if not m else None
            if far:   # 'told the climate summit on Thursday that ...': the object and its adverbials end at 'that'
                return far.end()
            if not m:
                np = np_after(text, pos, se)
                if np is None:
                    w = re.match(r"\s*([A-Za-z]+)\b", text[pos:se])
                    if w and w.group(1).lower() in _OBJECT_WORDS:
                        np = (pos + w.start(1), pos + w.end(1))
                if np is not None and text[pos:np[0]].strip() == "" and not text.startswith(",", np[1]):
                    obj_end = np[1]
                    # 'told reporters at a rally that' / 'told The Post'
                    pos = obj_end
                    for _ in range(3):
                        m2 = _ADVERBIAL_RE.match(text, pos, se)
                        if not m2 or m2.end() == pos:
                            break
                        pos = m2.end()
        m = _THAT_RE.match(text, pos, se)
        if m and text[m.start():m.end()].strip() == "that":
            pos = m.end()
        return pos

    def read(self, m: re.Match) -> Reported | None:
        text = self.text
        cs, ce = m.start(), m.end()
        word = m.group()
        low = _SPACES_RE.sub(" ", word.lower())
        ss, se = self.sentence(cs)
        if se - ss > MAX_CONTENT_CHARS * 2:
            return None
        if low == "according to":
            return self._according(cs, ce, ss, se, word)
        if low in NOUN_PREPS:
            found = self._noun_prep(cs, ce, ss, se, low, word)
            if found is not None or low not in VERB_LEMMAS and low not in NOUN_CUES:
                return found
        if low in NOUN_CUES and low not in VERB_LEMMAS:
            return self._noun(cs, ce, ss, se, word)
        lemma = _lemma(low)
        if low == "asked":
            found = self._asked(cs, ce, ss, se, word)
            if found is not None:
                return found
        if low == "thanks" and _THANKS_TO_RE.match(text, ce, se):
            return None   # 'won thanks in part to the suburbs': a preposition, nobody thanking
        lead = text[max(ss, cs - 30):cs]
        if low in NOUN_CUES or low.endswith("s") and low in VERB_LEMMAS and _DET_BEFORE_RE.search(lead):
            if _DET_BEFORE_RE.search(lead) or lead.strip() == "":
                found = self._noun(cs, ce, ss, se, word)
                if found is not None or _DET_BEFORE_RE.search(lead):
                    return found
        if (lemma in _RAISING or lemma in _PASSIVE_RAISING) and _RAISING_AFTER_RE.match(text, ce, se):
            found = self._raised(cs, ce, ss, se, lemma, word)
            if found is not None:
                return found
        if _DET_BEFORE_RE.search(lead) or _AUX_BEFORE_RE.search(lead) and not low.endswith(("ed", "ing")):
            return None
        strong = lemma in _SAY_LIKE
        infinitive = bool(_INFINITIVE_RE.search(lead))
        if infinitive and not (strong or lemma in _OBJECT_ONLY):
            return None
        opening = not text[ss:cs].strip(" \"'\u201c\u2018(")
        if word[0].isupper() and opening and low not in ("said", "says") and not low.endswith("ing"):
            return None
        if lemma in _TAIL_SAY and not infinitive and not opening and not low.endswith("ing"):
            found = self._tail_cue(cs, ce, ss, se, word)
            if found is not None:
                return found
        # the subject before the verb
        lo = ss
        who = _WHO_RE.search(text, ss, cs)
        subj_end = who.start() if who else cs
        if subj_end - lo > SUBJECT_REACH:   # a subject is read back a few words only: cost per cue, not sentence
            lo = text.find(" ", subj_end - SUBJECT_REACH, subj_end) + 1 or lo
        np = None if infinitive or opening else np_before(text, lo, subj_end)
        if np is None and lo > ss and not (infinitive or opening):
            np = np_before(text, ss, subj_end)   # a long subject ('Ann Lee, a professor at ..., said'): read it all
        participle = low.endswith("ing") and (_COMMA_END_RE.search(text, ss, cs) or _PARTICIPLE_LEAD_RE.search(lead)
                                              or opening)
        if participle and (np is None or not who):
            # '..., saying that ...', 'by saying ...', 'Noting that ..., Lee ...': the clause's subject
            np = self.att._sentence_subject(ss, se) if opening else self.att._participle_subject(ss, cs)
            if opening and np is not None and np[0] < ce:
                np = None
        elif infinitive:
            np = self.att._participle_subject(ss, cs)   # 'Lee was the first to endorse ...', 'voters are likely to say'
        if np is not None and np[1] < cs - 40 and not (who or participle or infinitive):
            np = None
        bare = False
        if np is None and participle and not opening:
            np = self._previous_subject(ss, cs)   # 'she said, mentioning ...': the subject of the verb before
        if np is None and not participle and not infinitive and not opening:
            np = _bare_subject(text, ss, subj_end) if strong else (
                None if lemma in _NAMING else _generic_subject(text, ss, subj_end))
            if np is not None and not strong and not (_finite_form(low, text[np[0]:np[1]])
                                                      and (low in _SAFE_S_FORMS or low.endswith("ed")
                                                           or low in _IRREGULAR_PAST
                                                           or _OBJECT_START_RE.match(text, ce))):
                np = None
            bare = np is not None
        if np is not None and not (participle or infinitive or opening):
            joined = self._conjoined_subject(np, ss, cs)
            if joined is not None:
                np, bare = joined, False
        share = _quantity_subject(text, ss, subj_end) if not (participle or infinitive or opening) else None
        if share is not None and (np is None or share[0] <= np[0] < share[1]):
            np, bare = share, False   # 'Most of the Senate Republicans have said': the whole share
        group = _group_before(text, ss, np, subj_end) if np is not None and not (participle or infinitive) \
            and np[1] <= subj_end else None
        if np is not None and not infinitive:
            found = self._to_content(np, cs, ce, se, lemma, word, strong, group)
            if found is not None:
                return found
        rest = self.after_cue(ce, se, lemma)
        after_words = _words(text, rest, se)
        if np is not None and lemma in _OBJECT_ONLY and after_words >= 1:
            stop = _OBJECT_STOP_RE.search(text, rest, se)
            b = stop.start() if stop else se
            if 1 <= _words(text, rest, b) <= 12:
                a, b = _trim(text, rest, b)
                return self._make(a, b, cs, ce, word, self.source(np, cs, group), strong, least=1)
        if np is not None:
            if after_words >= MIN_CONTENT_WORDS and not _TAIL_RE.fullmatch(text, rest, se):
                a, b = _trim(text, rest, _clause_end(text, rest, se, ss))
                src = self.source(np, cs, group)
                if bare and src is not None and not src.pronoun and not self.att.resolver.cast.runs_between(np[0], np[1]):
                    written = text[src.start:src.end]
                    if _described_source(written):   # 'The city engineers warned': the description speaks
                        src = replace(src, name=src.name or written.strip(), kind="unknown")
                    else:
                        src = replace(src, name=None, kind="unknown")   # 'Six in 10 say': nobody named
                return self._make(a, b, cs, ce, word, src, strong or bool(_THAT_RE.match(text, ce)))
            # '..., Lee said.' : the content is before the subject
            before = text[ss:np[0]]
            if _COMMA_END_RE.search(before) and strong:
                a, b = _trim(text, ss, np[0])
                return self._make(a, b, cs, ce, word, self.source(np, cs, group), True)
            return None
        # '..., said Lee.' : the verb first, the source after it
        if strong and _COMMA_END_RE.search(text, ss, cs):
            after = np_after(text, ce, se)
            # the source ends the clause ('..., said Lee.', '..., said Lee, the mayor.'), no verb of its own
            if after is not None and _SOURCE_END_RE.match(text, after[1], se):
                a, b = _trim(text, ss, cs)
                return self._make(a, b, cs, ce, word, self.source(after, cs, _group_after(text, after, se)), True)
        # 'Officials in both parties privately said that ...', 'A third of independents, 33%, say they ...',
        # 'Their experience shows that ...': a say-verb or a that-clause, its source unread
        that = text[ce:rest].strip().endswith("that")
        if (strong or that) and not participle and not infinitive and after_words >= MIN_CONTENT_WORDS \
                and not _TAIL_RE.fullmatch(text, rest, se):
            a, b = _trim(text, rest, _clause_end(text, rest, se, ss))
            # the name the sentence opens with, when one does ('Sen. Ann Lee (R-Ga.), one of ..., said')
            opener = self.att._sentence_subject(ss, cs)
            src = self.source(opener, cs) if opener is not None and opener[1] <= cs else None
            if src is not None and (not src.name or src.kind not in ("person", "organisation")):
                src = None
            return self._make(a, b, cs, ce, word, src, True)
        return None

    def _tail_cue(self, cs, ce, ss, se, word) -> Reported | None:
        """'The plan will fail, a source close to him said.' / '..., Spicer said, adding ...' / '..., said Ann
        Lee, a lawyer.': a say-verb closing its sentence (adverbials or a participle aside) after a comma-ended
        clause; that clause is the content, the words between the comma and the verb (or after it) the source."""
        text = self.text
        after = _TAIL_AFTER_RE.match(text, ce, se)
        comma = max(text.rfind(",", ss, cs), text.rfind("\u2014", ss, cs))
        if comma <= ss:
            return None
        between = text[comma + 1:cs]
        if not between.strip():
            # '..., said Ann Lee, a lawyer.': the source after the verb, ending the clause
            np = np_after(text, ce, se)
            if np is None or not _SOURCE_END_RE.match(text, np[1], se) or _words(text, ss, comma) < 5:
                return None
            src_np = np
        else:
            if after is None:
                return None
            n = _words(text, comma + 1, cs)
            if not 1 <= n <= 10 or _QUOTE_IN_RE.search(between) or CUE_RE.search(between):
                return None
            words = [w.lower() for w in _WORD_RE.findall(between)]
            if words[0] in ("and", "but", "or", "as", "so", "then") or any(
                    w in _NOT_OBJECT_WORDS or w in ("who", "whom", "whose", "n't") or w.endswith(("n't", "n\u2019t"))
                    for w in words):
                return None
            src_np = (comma + 1 + len(between) - len(between.lstrip()), cs - (len(between) - len(between.rstrip())))
            tail = _TRAILING_ADVERB_RE.search(text, src_np[0], src_np[1])
            if tail and tail.start() > src_np[0]:
                src_np = (src_np[0], tail.start())
        a, b = _trim(text, ss, comma)
        if _words(text, a, b) < MIN_CONTENT_WORDS or text[a:b].count('"') + text[a:b].count("\u201c") > 0 \
                and _words(text, a, b) < 6:
            return None
        return self._make(a, b, cs, ce, word, self.source(src_np, cs), True)

    def _asked(self, cs, ce, ss, se, word) -> Reported | None:
        """'Asked whether the plan would pass, Lee ...', 'when asked about the vote', 'Lee, asked by reporters
        why ...': a passive 'asked' opening a clause; its question (a wh-clause, the object of 'about' or an
        infinitive) is the content, up to the clause's comma; the asker after 'by', if named, its source."""
        text = self.text
        lead = text[ss:cs]
        if lead.strip(" \"'\u201c\u2018(") and not _ASKED_LEAD_RE.search(lead):
            return None
        pos, src = ce, None
        by = re.match(r"\s+by\s+", text[ce:se])
        if by:
            np = np_after(text, ce + by.end(), se)
            if np is None:
                return None
            src, pos = self.source(np, cs), np[1]
        m = _ASKED_WHAT_RE.match(text, pos, se)
        if not m:
            return None
        a = m.end() if m.group(1).lower() == "about" else m.start(1)
        stop = re.compile(r"[,;:!?\u2014\u201c\"]|\s--\s").search(text, a, se)
        b = stop.start() if stop else se
        a, b = _trim(text, a, b)
        return self._make(a, b, cs, ce, word, src, False, least=1 if m.group(1).lower() == "about" else 2)

    def _conjoined_subject(self, np: tuple[int, int], ss: int, cs: int) -> tuple[int, int] | None:
        """'Lee visited the dam, and said ...', 'Lee became a delegate and said ...': a phrase read back
        to a joining 'and'/'but' is a second verb of the clause, not a subject; its subject opens the
        sentence. None when the phrase is not such a tail or the sentence opens with no name."""
        words = _WORD_RE.findall(self.text, np[0], np[1])
        if not words or words[-1].lower() not in ("and", "but") or len(words) > 12:
            return None
        subject = self.att._sentence_subject(ss, np[1])
        if subject is None or subject[1] > np[1] - len(words[-1]):
            return None
        return subject

    def _previous_subject(self, ss: int, cs: int) -> tuple[int, int] | None:
        """'..., she said, mentioning ...': the subject of the cue verb in the clause before the comma."""
        text = self.text
        comma = text.rfind(",", ss, cs)
        if comma < 0:
            return None
        lo = max(ss, text.rfind(",", ss, comma) + 1, text.rfind("\u201d", ss, comma) + 1, text.rfind('"', ss, comma) + 1)
        verbs = list(CUE_RE.finditer(text, lo, comma))
        if not verbs:
            return None
        v = verbs[-1]
        return np_before(text, lo, v.start())

    def _raised(self, cs, ce, ss, se, lemma, word) -> Reported | None:
        """'Lee is expected to win', 'the plan seems to work': the subject through the clause's end."""
        text = self.text
        aux = (_RAISING_AUX_RE if lemma in _RAISING else _PASSIVE_AUX_RE).search(text, ss, cs)
        if lemma in _PASSIVE_RAISING and (aux is None or aux.start() == aux.end()):
            return None
        if lemma in _PASSIVE_RAISING and not (word.lower().endswith(("ed", "en", "wn")) or word.lower() in
                                               ("said", "thought", "seen", "known", "held", "felt", "understood")):
            return None
        subj_end = aux.start() if aux else cs
        m = _CLAUSE_START_RE.search(text, ss, subj_end)
        a = m.end() if m else ss
        words = _WORD_RE.findall(text, a, subj_end)
        if not 1 <= len(words) <= 15 or words[0].lower() in ("it", "there", "which", "who", "that", "what"):
            return None
        if words[-1].lower() in _NOT_OBJECT_WORDS or words[-1].lower() in ("to", "of", "the", "a", "an"):
            return None
        a, b = _trim(text, a, _clause_end(text, ce, se))
        return self._make(a, b, cs, ce, word, None, False)

    def _to_content(self, np, cs, ce, se, lemma, word, strong, group=None) -> Reported | None:
        """'Lee vowed to block the bill' (content 'to block the bill'), 'Lee urged voters to reject it'
        (content 'voters to reject it'): an infinitive the verb governs, read to the clause's end."""
        text = self.text
        pos = ce
        on = re.match(r"\s+on\b", text[ce:se]) if lemma == "call" else None
        if lemma == "call" and not on:
            return None
        for _ in range(0 if on else 3):
            m = _ADVERBIAL_RE.match(text, pos, se)
            if not m or m.end() == pos:
                break
            pos = m.end()
        a = None
        if lemma in _TO_VERBS and _TO_RE.match(text, pos, se):
            a = pos
        elif lemma in _OBJECT_TO:
            m = _OBJECT_TO_RE.match(text, pos, se)
            if m and (on is None) == (text[pos:m.start(1)].strip() != "on") \
                    and not any(w.lower() in _NOT_OBJECT_WORDS for w in _WORD_RE.findall(m.group(1))):
                a = m.start(1)
        if a is None:
            return None
        a, b = _trim(text, a, _clause_end(text, a, se))
        return self._make(a, b, cs, ce, word, self.source(np, cs, group), strong, least=2)

    def _according(self, cs, ce, ss, se, word) -> Reported | None:
        text = self.text
        np = np_after(text, ce, se)
        if np is None:
            # 'according to a count by The Associated Press', 'according to one of his aides': the phrase up to
            # the comma or the sentence's end stands as the source
            m = re.match(r"\s*([^,;:.!?()\u2014]{2,90}?)\s*(?:[,;:.!?()\u2014]|$)", text[ce:se])
            if not m or not m.group(1).strip():
                return None
            np = (ce + m.start(1), ce + m.end(1))
        src = self.source(np, cs, _group_after(text, np, se))
        head = text[ss:cs].strip(_STRIP)
        if _words(text, ss, cs) <= 2 and not _COMMA_END_RE.search(text, ss, cs):
            comma = text.find(",", np[1], se)
            start = comma + 1 if comma != -1 and comma - np[1] < 80 else np[1]
            a, b = _trim(text, start, se)
        else:
            if not head:
                return None
            a, b = _trim(text, ss, cs)
        return self._make(a, b, cs, ce, word, src, True)

    def _noun_prep(self, cs, ce, ss, se, low, word) -> Reported | None:
        """'his attacks on Rubio', "Trump's criticism of the judge", 'in support of Cruz': the object of the
        noun's preposition, read to the phrase's end; a possessor before the noun is its source."""
        text = self.text
        m = _NOUN_PREP_RE.match(text, ce, se)
        if not m or m.group(1) not in NOUN_PREPS[low]:
            return None
        lead = text[max(ss, cs - 30):cs]
        if not _NOUN_LEAD_RE.search(lead):
            return None   # 'Lee attacks on Twitter': a verb after its subject
        a = m.end()
        stop = _OBJECT_STOP_RE.search(text, a, se)
        b = stop.start() if stop else se
        verb = _NOUN_PHRASE_END_RE.search(text, a, b)
        b = verb.start() if verb else b
        if not 1 <= _words(text, a, b) <= 12:
            return None
        a, b = _trim(text, a, b)
        src = None
        pm = _POSSESSOR_RE.search(text, max(ss, cs - 60), cs)
        if pm and (pm.group(2) or pm.group(1).lower() in ("his", "her", "their")):
            g = pm.group(1)
            if g.lower() in ("his", "her", "their"):
                src = self._pronoun(pm.start(1), pm.end(1), {"his": "he", "her": "she", "their": "they"}[g.lower()])
            else:
                src = self.source((pm.start(1), pm.end(1)), cs)
        if src is None:
            src = self._light_verb_source(ss, cs)
        return self._make(a, b, cs, ce, word, src, False, least=1)

    def _light_verb_source(self, ss: int, cs: int) -> Source | None:
        """'Lee voiced support for ...', 'Lee made an unprompted call for ...': the subject of a light verb
        whose object is the cue noun is its source."""
        m = _LIGHT_VERB_RE.search(self.text, max(ss, cs - 60), cs)
        if not m:
            return None
        np = np_before(self.text, ss, m.start())
        if np is None:
            return None
        src = self.source(np, cs)
        return src if src is not None and src.name and src.kind in ("person", "organisation") else None

    def _noun(self, cs, ce, ss, se, word) -> Reported | None:
        """'Lee's claim that ...' / 'the claim by Lee that ...'."""
        text = self.text
        pos = ce
        src_np = None
        by = _BY_RE.match(text, pos, se)
        if by:
            np = np_after(text, by.end(), se)
            if np is not None:
                src_np, pos = np, np[1]
        m = _NOUN_THAT_RE.match(text[pos:se])
        if not m:
            return None
        start = pos + m.end()
        if src_np is None:
            pm = _POSSESSOR_RE.search(text, max(ss, cs - 60), cs)
            if pm and (pm.group(2) or pm.group(1).lower() in ("his", "her", "their")):
                g = pm.group(1)
                if g.lower() in ("his", "her", "their"):
                    pron = {"his": "he", "her": "she", "their": "they"}[g.lower()]
                    src = self._pronoun(pm.start(1), pm.end(1), pron)
                else:
                    src = self.source((pm.start(1), pm.end(1)), cs)
                a, b = _trim(text, start, se)
                return self._make(a, b, cs, ce, word, src, True)
            return None
        a, b = _trim(text, start, se)
        return self._make(a, b, cs, ce, word, self.source(src_np, cs), True)

    def _pronoun(self, s: int, e: int, pronoun: str) -> Source:
        """'his claim that ...': the person a possessive pronoun means, as for 'he said'."""
        gender = PRONOUNS.get(pronoun, "")
        if gender not in ("m", "f"):
            return Source(s, e, self.text[s:e], None, "unknown", pronoun=True)
        floor = self.att.paras[max(0, self.att.para_of(s) - 12)][0]
        return Source(s, e, self.text[s:e], self.att.resolver.antecedent(s, gender, floor), "person", pronoun=True)

    def _make(self, a, b, cs, ce, word, src, strong, least: int = MIN_CONTENT_WORDS) -> Reported | None:
        if _words(self.text, a, b) < least or b - a > MAX_CONTENT_CHARS or _BY_CONTENT_RE.match(self.text, a, b):
            return None   # 'was backed by most voters', 'responded by leaving': the agent or the means, nothing said
        return Reported(a, b, cs, ce, word, src, strong)


_BY_CONTENT_RE = re.compile(r"by\b", re.I)


# what may stand before a passive 'asked' opening a clause: 'When asked', 'Lee, asked', 'after being asked'
_ASKED_LEAD_RE = re.compile(r"(?:\b(?:[Ww]hen|[Aa]fter|[Ii]f|[Oo]nce|[Bb]efore|[Uu]ntil|[Ww]hile|[Aa]s)\s+(?:(?:he|she|they|I|we|"
                            r"it)\s+)?(?:(?:was|were|is|are|being|had\s+been|has\s+been|was\s+later)\s+)?|,\s*"
                            r"(?:(?:he|she|they|I|we|was|were|is|are|later|again|also|repeatedly)\s+)*|"
                            r"\b(?:was|were)\s+(?:(?:also|later|again|repeatedly|then|not|never)\s+)?)$")
_ASKED_WHAT_RE = re.compile(r"(?:\s+(?:again|later|repeatedly|directly|specifically|recently|last\s+\w+|on\s+[A-Z]\w+|"
                            r"in\s+an?\s+(?:[\w-]+\s+){0,2}?interview))*\s+(about|whether|if|what|why|how|which|who|"
                            r"where|when|to)\s+(?=[\w\u201c\"'])")
_THANKS_TO_RE = re.compile(r"(?:\s+(?:in\s+(?:large\s+|no\s+small\s+)?part|largely|partly|mostly|mainly|only|"
                           r"entirely|chiefly|primarily|solely|partially))?\s+to\b")
_SEVERAL_RE = re.compile(r"\s(?:and|nor|&|along\s+with)\s", re.I)
_GROUP_BREAKS = ",;:()[]\"\u201c\u201d\u2018\u2014\u2013"
_GROUP_STOP = frozenset("is are was were be been being has have had will would can could may might should must do "
                        "does did said says say told tells who whom whose which that what when where if because "
                        "although though while since as than not never it this there".split())
_GROUP_LEAD_RE = re.compile(r"(?:(?:but|and|so|yet|even|also|now|then|still|meanwhile|however|indeed|instead|"
                            r"only|just)\s+)+", re.I)
_GROUP_PP_RE = re.compile(r"\s+(?:for|of|at|in|with|from|on)\s+[^,;:()\u2014\u2013\"\u201c\u201d]{1,60}?"
                          r"(?=(?:\s+(?:[a-z]+ly|also|have|has|had|now|both|all))*\s*$)")
GROUP_WORDS = 16


_HEAD_SPLIT_RE = re.compile(r"\s(?:by|from|of|for|at|in|with|on|to)\s")


def _person_noun(word: str) -> bool:
    w = word.lower()
    return any(x in PERSON_NOUNS or x in TITLES for x in (w, w[:-1] if w.endswith("s") else w, w[:-2] if w.endswith("es") else w))


_OWNED_PEOPLE_RE = re.compile(r"(?:[Tt]he\s+)?[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,3}(?:'s|\u2019s|'|\u2019)\s+"
                              r"(?:[a-z][\w\-]*\s+){0,3}([a-z][\w\-]*)")
_QUANTITY_RE = re.compile(r"(?:[Hh]alf|[Mm]ost|[Mm]any|[Ss]ome|[Aa]ll|[Nn]one|[Ff]ew|[Ss]everal|[Bb]oth|[Ee]ach|"
                          r"(?:[Aa]|[Tt]he)\s+(?:large\s+|slim\s+|clear\s+|narrow\s+)?(?:majority|minority|plurality|"
                          r"third|quarter|fifth|handful|number)|(?:[Ll]arge\s+)?[Mm]ajorities|(?:[Oo]nly|[Jj]ust|[Nn]early|"
                          r"[Aa]bout|[Aa]lmost|[Mm]ore\s+than|[Ff]ewer\s+than|[Ll]ess\s+than)\s+\S+(?:\s+percent)?|"
                          r"[\w-]*\d[\d,.]*\s*(?:percent|%)|[A-Z]?[a-z]+(?:-[a-z]+)?\s+percent|"
                          r"(?:[Oo]ne|[Tt]wo|[Tt]hree)[\s-](?:thirds?|quarters?|fifths?|in\s+\w+))\s+of\s+\S")
_SHARE_END_RE = re.compile(r"(?:\s+(?:have|has|had|also|already|now|still|overall|polled|surveyed|interviewed|"
                           r"questioned|[a-z]+ly))*\s*$")


def _quantity_subject(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """'Half of Ohio Democrats said', '58 percent of the voters polled have said': a share of a group
    opening the clause before the verb at hi."""
    a = hi
    floor = max(lo, hi - 150)
    while a > floor and text[a - 1] not in _GROUP_BREAKS:
        a -= 1
    m = _GROUP_LEAD_RE.match(text, a, hi)
    a = m.end() if m else a
    while a < hi and text[a].isspace():
        a += 1
    if not _QUANTITY_RE.match(text, a, hi):
        return None
    b = _SHARE_END_RE.search(text, a, hi).start()
    return _group_ok(text, a, b)


def _group_ok(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    m = _GROUP_LEAD_RE.match(text, a, b)
    if m:
        a = m.end()
    while b > a and text[b - 1] in " \t\n.":
        b -= 1
    words = _WORD_RE.findall(text, a, b)
    if not words or len(words) > GROUP_WORDS or any(w.lower() in _GROUP_STOP for w in words):
        return None
    return a, b


def _group_before(text: str, lo: int, np: tuple[int, int], hi: int) -> tuple[int, int] | None:
    """The whole subject a subject's head stands in: back to the clause's start ('U.S. intelligence
    officials', 'Lee and Hale'), on through a phrase before the verb ('a spokeswoman for the firm')."""
    a = np[0]
    floor = max(lo, np[0] - 150)
    while a > floor and text[a - 1] not in _GROUP_BREAKS:
        a -= 1
    if a == floor and floor > lo:
        return None
    b = np[1]
    pp = _GROUP_PP_RE.match(text, b, hi)
    if pp:
        b = pp.end()
    return _group_ok(text, a, b)


def _group_after(text: str, np: tuple[int, int], hi: int) -> tuple[int, int] | None:
    """'according to a New York Times/CBS News survey released Thursday': on to the clause's end."""
    b = np[1]
    roof = min(hi, np[1] + 150)
    while b < roof and text[b] not in _GROUP_BREAKS:
        b += 1
    if b == roof and roof < hi:
        return None
    return _group_ok(text, np[0], b)


# where a content read forward from its cue ends: another clause of the sentence begins
_CLAUSE_END_RE = re.compile(r";|\s[\u2014\u2013]\s|\s--\s|"
                            # another source's report joined on: '..., and Ms. Lee said the costs ...'
                            r",?\s+and\s+(?=(?:[\w.'\u2019-]+\s+){1,4}(?:said|says|told|added|noted|argued|wrote|"
                            r"warned|insisted|claimed)\b)|"
                            r",\s+(?:but|while|whereas|saying|adding|arguing|noting|"
                            r"according\s+to|although|though|even\s+as|[a-z]+ing)\b|"
                            # a second verb phrase of the cue's subject: '... and took the stage', '... but added'
                            r",?\s+(?:and|but)\s+(?:then\s+|also\s+|later\s+|even\s+|never\s+)?(?:(?:has|have|had)\s+"
                            r"(?:also\s+|since\s+|not\s+)?[a-z]+(?:ed|en|wn|ne)\b|[a-z]{3,}ed\b(?!\s+(?:by|to|in|on|at|for)\b)|"
                            r"(?:took|made|gave|said|told|wrote|went|came|got|left|led|won|lost|sent|began|ran|saw|"
                            r"spoke|met|called|urged)\b)")


_SUBORDINATE_OPEN_RE = re.compile(r"[\s\"'\u201c\u2018(]*(?:While|Although|Though|Even\s+though|Even\s+as|Because|If|"
                                  r"When|Whenever|After|Before|Since|Until|Unless|Once|As|Whereas)\s")


def _clause_end(text: str, a: int, b: int, ss: int | None = None) -> int:
    """Where a content read from a ends (b at most): at another clause of the sentence. When the sentence
    opens with a subordinate clause holding the cue ('While Lee said the plan was sound, the council ...'),
    the content ends with that clause, at its comma."""
    m = _CLAUSE_END_RE.search(text, a, b)
    end = m.start() if m and _words(text, a, m.start()) >= MIN_CONTENT_WORDS else b
    if ss is not None and _SUBORDINATE_OPEN_RE.match(text, ss, a):
        comma = text.find(",", a, end)
        if comma != -1 and _words(text, a, comma) >= 1:
            end = comma
    return end


_CLAUSE_START_RE = re.compile(r"(?:^|[,;:\u2014(]\s*|\b(?:and|but|while|as|because|although|though|since|when|where|"
                              r"after|before|if|so)\s+)(?=[^,;:\u2014(]*$)")


# words that cannot stand in the object of 'urged voters to ...' (a verb, a clause, a conjunction between)
_NOT_OBJECT_WORDS = frozenset("that which who and or but is are was were be been has have had will would should "
                              "could can may might not in if as because when while so it".split())

_NOT_SUBJECT_WORDS = frozenset("has have had is was were are be been to from after before now then also not never "
                               "when while since because although though if as at on in by for with".split()) - {"in"}


# '-s' forms that are seldom plural nouns: after a common-noun subject they are the verb ('the poll shows')
_SAFE_S_FORMS = frozenset("says shows finds suggests reveals indicates argues claims warns notes predicts concludes "
                          "believes thinks wants expects hopes fears demonstrates confirms insists contends asserts "
                          "acknowledges admits denies explains urges seeks backs opposes endorses supports "
                          "blames accuses praises criticizes calls".split())
_IRREGULAR_PAST = frozenset("said told wrote thought knew felt found saw showed shown sought swore foresaw understood "
                            "made gave took".split())


def _finite_form(word: str, subject: str) -> bool:
    """A cue form that is a finite verb after a common-noun subject: a past form, a safe '-s' form, an '-s'
    form after a singular subject ('the report rates'), a plain form after a plural one ('voters support')."""
    if word.endswith("ed") or word in _IRREGULAR_PAST or word in _SAFE_S_FORMS:
        return True
    last = subject.split()[-1].lower() if subject.split() else ""
    plural = last.endswith("s") and not last.endswith(("ss", "'s", "\u2019s"))
    if word.endswith("s"):
        return not plural and not word.endswith("ss")
    return plural


# what may open the object of a noun-like cue form used as a verb ('voters support the plan', not 'rates rise')
_OBJECT_START_RE = re.compile(r"\s+(?:the|a|an|his|her|their|its|our|this|that|these|those|some|all|no|any|every|"
                              r"him|them|us|me|it|to|for|on|as|about|against|[A-Z\d])\b")


_VERB_OBJECT_RE = re.compile(r"\b[a-z]{3,}(?:ed|s)\s+(?:a|an|the|his|her|their|its|our|my|this|these|those)\s")
_GENERIC_STOP = frozenset("to of the a an not no it this that there which who what how why when where if as "
                          "is are was were be been has have had will would could should can may might must do does "
                          "did and or but so than then".split())


def _generic_subject(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """'New polls released Sunday showed', 'A batch of emails obtained by the paper reveals': a common-noun
    subject (with its modifiers) no name rule reads, opening its clause; its source is read as a phrase."""
    m = _CLAUSE_START_RE.search(text, lo, hi)
    a = m.end() if m else lo
    words = _WORD_RE.findall(text, a, hi)
    if not 1 <= len(words) <= 12 or words[0].lower() in _GENERIC_STOP - {"the", "a", "an", "no", "this", "that"}:
        return None
    last = words[-1].lower()
    if last in _GENERIC_STOP or last.endswith("ly") or last in _NOT_SUBJECT_WORDS:
        return None
    if any(w.lower() in ("is", "are", "was", "were", "has", "have", "had", "will", "would", "could", "should", "can",
                         "may", "might", "must", "do", "does", "did", "it", "he", "she", "they", "we", "i", "you")
           for w in words[:-1]):
        return None   # a clause of its own before the cue, not a subject
    if _VERB_OBJECT_RE.search(text, a, hi):
        return None   # 'A group staged a comedy called ...': a verb and its object, no subject
    while a < hi and text[a].isspace():
        a += 1
    b = hi
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if b > a else None


# plural and group nouns that can speak, beside the person nouns ('engineers', 'people', 'the crowd')
_SPEAKING_GROUPS = frozenset("people engineers members staff police authorities conservatives liberals progressives "
                             "moderates protesters protestors demonstrators citizens parents children students "
                             "teachers nurses doctors workers employees farmers residents locals villagers "
                             "officials experts critics aides analysts economists pollsters prosecutors "
                             "investigators regulators scientists researchers lawmakers legislators leaders "
                             "activists advocates opponents supporters backers observers insiders delegates "
                             "diplomats negotiators planners designers architects inspectors auditors "
                             "bankers traders investors executives owners managers organizers organisers "
                             "campaigners strategists consultants historians scholars "
                             "crowd panel committee jury".split())
# words that open a share or a count, not a description ('Six in 10', 'Most', 'Some', 'Many of them')
_COUNT_WORDS = frozenset("most many some few several all none both each half majority minority plurality "
                         "one two three four five six seven eight nine ten dozens hundreds thousands millions "
                         "twenty thirty forty fifty sixty seventy eighty ninety percent more fewer less".split())
_PREPOSITION_WORDS = frozenset("of in from for at with on by about among to".split())


def _described_source(written: str) -> bool:
    """'The city engineers', 'Local residents', 'An economist': a description (a determiner or not, modifiers,
    then a common-noun head that can speak) rather than a share or a count ('Six in 10', 'Most', 'Some')."""
    words = _WORD_RE.findall(written)
    if not 1 <= len(words) <= 5 or any(w[0].isdigit() for w in words):
        return False
    low = [w.lower() for w in words]
    if any(w in _COUNT_WORDS or w.split("-")[0] in _COUNT_WORDS or w in _PREPOSITION_WORDS for w in low):
        return False   # a share, a count, or a phrase with a head before a preposition ('memo from the panel')
    head = words[-1]
    if not head.islower():
        return False
    return head in _SPEAKING_GROUPS or _person_noun(head)


def _bare_subject(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """'Twenty-four percent said', 'Six in 10 say': a short subject no name rule reads (its source unnamed)."""
    m = _CLAUSE_START_RE.search(text, lo, hi)
    a = m.end() if m else lo
    words = _WORD_RE.findall(text, a, hi)
    if not 1 <= len(words) <= 6 or any(w.lower() in ("it", "this", "that", "there", "which", "who") for w in words[:1]):
        return None
    if any(w.islower() and (w.endswith(("ly", "ed", "ing")) or w in _NOT_SUBJECT_WORDS) for w in words):
        return None   # 'after initially', 'declined to directly': a verb or adverb, no subject
    while a < hi and text[a].isspace():
        a += 1
    b = hi
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if b > a else None


def find_reported(text: str, attributor, links=()) -> list[Reported]:
    """Every attribution a cue word frames, in text order: the outermost contents do not overlap, a nested
    one (marked `nested`) follows the one holding it. A cue that links a direct quote before it ('"...,"
    Lee said on Tuesday') frames nothing more unless 'that' follows."""
    reader = _Reader(text, attributor)
    used = {link.cue.start for link in links if link.cue is not None and link.how == "after"}
    found: list[Reported] = []
    nested: list[Reported] = []
    spans = attributor.spans
    span_starts = [sp.start for sp in spans]
    for m in CUE_RE.finditer(text):
        k = bisect.bisect_right(span_starts, m.start()) - 1
        if k >= 0 and m.start() < spans[k].end:
            continue   # inside quoted words: the quoted speaker's own reporting, not the article's
        if m.start() in used and not _THAT_SOON_RE.match(text[m.end():m.end() + 60]):
            continue
        within = found and found[-1].strong and found[-1].content_start <= m.start() < found[-1].content_end
        if within and not NESTED_INNER and not (_lemma(m.group()) in _SAY_LIKE
                                                and _COORDINATOR_RE.search(text, found[-1].content_start, m.start())):
            continue   # only a say-verb after a coordinator can start an attribution beside the one just read
        r = reader.read(m)
        if r is None:
            continue
        if within:
            # a cue inside the content just read: an attribution of its own when its source and content stand
            # inside that content too
            outer = found[-1]
            if not (r.strong and _nests_in(r, outer)):
                continue
            lead = min(r.source.start, r.cue_start, r.content_start)
            co = _COORDINATED_RE.search(text, outer.content_start, lead)
            if co and _words(text, outer.content_start, co.start()) >= MIN_CONTENT_WORDS:
                # 'Most said the plan was sound, but a third said it would fail': two attributions side by side,
                # the first one's content ending where the second's clause begins
                end = _trim(text, outer.content_start, co.start())[1]
                found[-1] = replace(outer, content_end=end)
                nested = [n for n in nested if n.content_end <= end or n.content_start >= lead]
                found.append(r)
            elif NESTED_INNER and all(_laminar(r, n) for n in nested):
                nested.append(r)   # 'Lee said the mayor had told donors that ...': the mayor's words inside Lee's
            continue
        # overlapping readings: a say-verb or 'according to' beats a weaker verb ('will veto the budget,
        # according to Lee'); otherwise the first stands
        if found and r.content_start < found[-1].content_end:
            if not r.strong:
                continue
            while found and r.content_start < found[-1].content_end and not found[-1].strong:
                found.pop()
            if found and r.content_start < found[-1].content_end:
                # 'Lee said the plan would fail, according to aides': the content read first lies in this one
                if found[-1].source is not None and _nests_in(found[-1], r) \
                        and all(_laminar(found[-1], n) for n in nested):
                    nested.append(found.pop())
                    found.append(r)
                continue
        found.append(r)
    labelled = _labelled_lines(text, reader, found) + _in_view(text, reader, found)
    if labelled:
        found = sorted(found + labelled, key=lambda r: r.content_start)
    if nested:   # the outermost items stay sorted and apart; each nested one follows the item holding it
        found = sorted(found + [replace(r, nested=True) for r in nested],
                       key=lambda r: (r.content_start, -r.content_end, r.nested))
    return found


# what ends a clause before a second subject and its cue, side by side with the first ('..., but Hale said')
_COORDINATED_RE = re.compile(r"(?:,?\s+(?:and|but|while|whereas|yet|though|although)|;)\s+$")
_COORDINATOR_RE = re.compile(r"\s(?:and|but|while|whereas|yet|though|although)\s|;")
NESTED_INNER = False   # inner attributions after a that-clause: see the module's docstring


def _nests_in(inner: Reported, outer: Reported) -> bool:
    """Whether `inner` is an attribution of its own inside `outer`'s content: its cue, its source (one
    that is read, not only a clause) and its content all stand there, and its content is shorter."""
    a, b = outer.content_start, outer.content_end
    src = inner.source
    return (src is not None and a <= src.start and src.end <= b and a <= inner.cue_start and inner.cue_end <= b
            and a <= inner.content_start and inner.content_end <= b
            and inner.content_end - inner.content_start < b - a)


def _laminar(r: Reported, other: Reported) -> bool:
    """Two contents either apart or one inside the other, never crossing."""
    a, b, c, d = r.content_start, r.content_end, other.content_start, other.content_end
    return b <= c or d <= a or (c <= a and b <= d) or (a <= c and d <= b)


# 'Clinton camp: Trump's plan threatens security', 'TAPPER: And obviously ...': a line opening with a short
# name and a colon reports that source's words (headlines and transcripts put it so)
_LABEL_LINE_RE = re.compile(r"[ \t]*([A-Z][\w.'\u2019&-]*(?:[ \t]+[\w.'\u2019&-]+){0,4}):[ \t]+"
                            r"(?=[^\s\"'\u201c\u2018])")
_NOT_LABELS = frozenset("note update updated editor photo photos video related advertisement read watch abstract "
                        "correction source sources credit caption warning question answer q a by".split())


def _labelled_lines(text: str, reader: _Reader, found: list[Reported]) -> list[Reported]:
    out = []
    taken = [(r.content_start, r.content_end) for r in found]
    for ps, pe in reader.att.paras:
        m = _LABEL_LINE_RE.match(text, ps, pe)
        if not m:
            continue
        label = m.group(1)
        if any(ch.isdigit() for ch in label) or label.lower().rstrip(".") in _NOT_LABELS \
                or label.split()[0].lower() in _NOT_LABELS:
            continue
        a, b = _trim(text, m.end(), pe)
        if _words(text, a, b) < MIN_CONTENT_WORDS or b - a > MAX_CONTENT_CHARS \
                or any(x < b and a < y for x, y in taken):
            continue
        if len(label.split()) > 3:
            continue   # 'Ann Lee Endorses Tom Berg: ...': a headline, left to the quote rules
        src = reader.source((m.start(1), m.end(1)), m.start(1))
        people = [p for p in reader.att.resolver.cast.persons_between(m.start(1), m.end(1)) if p.confirmed]
        if src is None or not src.name or not (people or any(w.islower() for w in label.split()) or label.isupper()):
            continue   # 'Weather Report: ...': a section name, nobody speaking
        out.append(Reported(a, b, m.end(1), m.end(1) + 1, ":", src, True))
    return out


# 'In a CNN poll released Monday, Lee led Hale', "In Lee's view, the plan fails": an opening phrase naming a
# poll or a person's view frames the clause after its comma (statements and interviews have verbs of their own)
_IN_VIEW_RE = re.compile(r"(?<![\w'\u2019-])In\s+((?:[\w.'\u2019/&-]+\s+){0,8}?)(poll|survey|study|view|opinion|"
                         r"estimation|assessment|judgment|judgement|mind)s?\b([^,.;:!?\"\u201c\u201d]{0,80}?),\s+")
_VIEW_NOUNS = frozenset("view opinion estimation assessment judgment judgement mind".split())


def _in_view(text: str, reader: _Reader, found: list[Reported]) -> list[Reported]:
    out = []
    taken = [(r.content_start, r.content_end) for r in found]
    for m in _IN_VIEW_RE.finditer(text):
        ss, se = reader.sentence(m.start())
        if text[ss:m.start()].strip(" \"'\u201c\u2018(\u2014-"):
            continue   # not opening its sentence
        phrase = m.group(1)
        view = m.group(2).lower() in _VIEW_NOUNS
        src = None
        if view:
            pm = re.fullmatch(r"(?:the\s+)?((?:[A-Z][\w.'\u2019-]*\s+){0,3}[A-Z][\w.-]*|his|her|their|my|our)"
                              r"(['\u2019]s?)?\s+(?:[a-z-]+\s+){0,1}", phrase)
            if not pm or not (pm.group(2) or pm.group(1).islower()):
                continue   # 'in the view from the top', 'in mind': no one's view
            g = pm.group(1)
            if g.lower() in ("his", "her", "their"):
                src = reader._pronoun(m.start(1), m.start(1) + len(g), {"his": "he", "her": "she", "their": "they"}[g.lower()])
            elif g[0].isupper():
                src = reader.source((m.start(1), m.start(1) + len(g)), m.start(1))
        elif not re.match(r"(?:a|an|the|this|that|its|their|his|her|one|[A-Z][\w.'\u2019-]*['\u2019]s?)\s", phrase):
            continue
        else:   # the poll itself is the source, as written ('new Post-ABC poll released Monday')
            ps, pe = m.start(1), m.end(3)
            while pe > ps and text[pe - 1].isspace():
                pe -= 1
            written = text[ps:pe]
            src = Source(ps, pe, written, _strip_det(written), "organisation")
        start = m.end()
        aside = re.match(r"(?:however|though|[a-z]+ed\b[^,.;:!?]{0,60}?),\s+", text[start:se])
        if aside:
            start += aside.end()   # 'In a poll, conducted in May, Lee led': past the aside
        a, b = _trim(text, start, _clause_end(text, start, se))
        if _words(text, a, b) < MIN_CONTENT_WORDS or b - a > MAX_CONTENT_CHARS \
                or any(x < b and a < y for x, y in taken):
            continue
        cue = m.start(2)
        out.append(Reported(a, b, cue, m.end(2), m.group(2), src, False))
    return out


def _outer(q: Quote) -> tuple[int, int]:
    return q.start - len(q.open_mark), q.end + len(q.close_mark)


def combine_forms(text: str, quotes: list[Quote], found: list[Reported], forms=None) -> list[Quote]:
    """Direct quotes and reported attributions as one list of Quote items sorted by start: the outermost
    do not overlap; a nested attribution's item lies inside the content of the item holding it.

    A reported content that is all one quote (marks, 'that' and punctuation aside) is that direct
    quote; one holding quoted words besides words of its own is mixed: one item whose start/end run
    over its quoted words and whose content is the whole clause; the rest are indirect. `forms`
    (default all) keeps only those; without 'mixed' a mixed clause's quotes stay direct ones."""
    keep = forms if forms is not None else ("direct", "mixed", "indirect")
    out: list[Quote] = []
    qi = 0
    quotes = sorted((q if q.content_start is not None else replace(q, content_start=q.start, content_end=q.end)
                     for q in quotes), key=lambda q: q.start)
    nested = [r for r in found if r.nested]
    if nested:
        found = [r for r in found if not r.nested]
        inner = [q for r in nested for q in [_nested_item(text, r, quotes, keep)] if q is not None]
    for r in found:
        while qi < len(quotes) and _outer(quotes[qi])[1] <= r.content_start:
            out.append(quotes[qi])
            qi += 1
        inside = []
        k = qi
        while k < len(quotes) and _outer(quotes[k])[0] < r.content_end:
            inside.append(quotes[k])
            k += 1
        if out and out[-1].content_end is not None and out[-1].content_end > r.content_start:
            continue
        if not inside:
            out.append(_indirect(text, r))
            continue
        a = min(r.content_start, _outer(inside[0])[0])
        b = max(r.content_end, _outer(inside[-1])[1])
        own = _words(text, a, b) - sum(_words(text, q.start, q.end) for q in inside)
        if text[a:a + 4].lower() == "that":
            own -= 1
        qi = k
        if own < 2:
            out.extend(inside)   # the content is the quote: a direct one
            continue
        sure = [q for q in inside if q.confidence >= SURE_QUOTE]
        if not sure:   # only scare quotes or titles inside: reported speech with a quoted name in it
            out.append(replace(_indirect(text, r), start=a, end=b, content_start=a, content_end=b))
            continue
        if "mixed" not in keep:
            out.extend(inside)
            continue
        first, last = sure[0], sure[-1]
        speaker_q = next((q for q in sure if q.speaker and q.cue_start is not None), None)
        src = r.source
        if speaker_q is not None and r.strong and _nested_in(text, r, speaker_q):
            # 'Ross said Obama had told donors he would allow "no daylight"': the quote's own cue stands inside
            # what the outer source is reported to have said, so the words reach us from the outer source
            speaker_q = None
        cue = dict(cue=r.cue, cue_start=r.cue_start, cue_end=r.cue_end)
        if speaker_q is not None:   # the quote's own cue and speaker: the direct-quote rules are the surer
            who = dict(speaker=speaker_q.speaker, speaker_start=speaker_q.speaker_start,
                       speaker_end=speaker_q.speaker_end, role=speaker_q.role, speaker_kind=speaker_q.speaker_kind)
            cue = dict(cue=speaker_q.cue, cue_start=speaker_q.cue_start, cue_end=speaker_q.cue_end)
        elif src is not None and src.name:
            who = dict(speaker=src.name, speaker_start=src.start, speaker_end=src.end, role=src.role,
                       speaker_kind=src.kind)
        else:
            who = dict(speaker=first.speaker, speaker_start=first.speaker_start, speaker_end=first.speaker_end,
                       role=first.role, speaker_kind=first.speaker_kind)
        out.append(replace(first, end=last.end, close_mark=last.close_mark, form="mixed", content_start=a,
                           content_end=b, confidence=max(q.confidence for q in sure), **who, **cue))
    out.extend(quotes[qi:])
    if nested:   # each after the item holding it
        out = sorted(out + inner, key=lambda q: q.start)
    return [q for q in out if q.form in keep]


def _nested_item(text: str, r: Reported, quotes: list[Quote], keep) -> Quote | None:
    """The item of an attribution nested in another's content when it is indirect (scare quotes or titles
    aside); none when sure quoted words stand in it: those words are an item already, a direct quote or
    the mixed item holding them."""
    inside = [q for q in quotes if r.content_start <= _outer(q)[1] and _outer(q)[0] < r.content_end
              and _outer(q)[1] > r.content_start]
    if not inside:
        return _indirect(text, r)
    a = min(r.content_start, _outer(inside[0])[0])
    b = max(r.content_end, _outer(inside[-1])[1])
    own = _words(text, a, b) - sum(_words(text, q.start, q.end) for q in inside)
    if text[a:a + 4].lower() == "that":
        own -= 1
    if own < 2:
        return None
    sure = [q for q in inside if q.confidence >= SURE_QUOTE]
    if not sure:
        return replace(_indirect(text, r), start=a, end=b, content_start=a, content_end=b)
    return None   # a nested mixed one: its quoted words are an item's already (a second would count them twice)


def _nested_in(text: str, r: Reported, q: Quote) -> bool:
    """Whether q's own cue and source stand inside r's content, r's source being named ('Ann Lee'), not
    described ('the top envoy'), and q's source not opening a clause of its own after a comma
    ('When Lee asked whether ..., Hale said, "..."': the content read too far)."""
    src = r.source
    if src is None or not src.name or src.kind not in ("person", "organisation") \
            or not all(w[:1].isupper() for w in src.name.split()):
        return False
    if q.speaker_start is None or not (r.content_start <= q.cue_start < r.content_end
                                       and r.content_start <= q.speaker_start < r.content_end):
        return False
    return not text[r.content_start:q.speaker_start].rstrip().endswith(",")


def _indirect(text: str, r: Reported) -> Quote:
    src = r.source
    named = src is not None and src.name
    return Quote(start=r.content_start, end=r.content_end, open_mark="", close_mark="", kind="clause",
                 cue=r.cue, cue_start=r.cue_start, cue_end=r.cue_end,
                 speaker=src.name if named else None,
                 speaker_start=src.start if src is not None else None,
                 speaker_end=src.end if src is not None else None,
                 role=src.role if named else None, speaker_kind=src.kind if named else "unknown",
                 confidence=(0.75 if r.strong else 0.6) if named else (0.6 if r.strong else 0.5),
                 form="indirect", content_start=r.content_start, content_end=r.content_end)


__all__ = ["CUE_RE", "Reported", "combine_forms", "find_reported", "PRONOUNS", "DETERMINERS"]
