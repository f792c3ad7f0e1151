"""Factiva exports saved as HTML from the article view: one article per `article` block.

Two layouts are read, in any interface language (the labels and dates are the interface's):
- the current one: per article a `<div class="article xxArticle">` (xx the article's language) with
  a section line, the headline (`xxHeadline`), the author (`div.author`), then one `div` a field in a
  fixed order (word count "877 words" / "877 Wörter" / "877 字", date, time, source name, source
  code, edition, page, language, copyright) and `articleParagraph` paragraphs, closed by
  "Document NYTF000020050408dp1300i90" (the accession number);
- the older one: a table per article whose rows are labelled by Factiva's field codes (HD headline,
  BY author, WC, PD, ET, SN, SC, SE, ED, PG, LA, CY, LP lead, TD text, AN accession number, ...).
The page around the articles (navigation, the search summary, the footer) is dropped. The page is
parsed as it streams in (lxml's pull parser) and each article is cleared once read, so memory stays
flat for exports of any size.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from annotator.core.ingest.dates import to_iso
from annotator.core.ingest.decode import DecodeError
from annotator.core.ingest.markup import EncodingBreaks, text_pieces
from annotator.core.ingest.nexis import LANGUAGE_CODES, authors_from_byline
from annotator.core.ingest.options import MAX_ARTICLE_CHARS, ReadOptions
from annotator.core.ingest.source import Source
from annotator.core.records import Article, ImportProblem

READER = "factiva-html"
_ARTICLE_CLASS = re.compile(r"(?:^|\s)[a-z]{2}Article(?:\s|$)")
_OUTER_CLASS = re.compile(r"(?:^|\s)(?:article|lastarticle)(?:\s|$)")
# "877 words", "877 Wörter", "877 mots", "877 palabras", "877 parole", "877 palavras", "877 слов", "877 字", "877 語"
_WORD_COUNT = re.compile(
    r"^\d[\d.,\u00a0 ]*\s*(?:words?|w\u00f6rter|wort|mots?|palabras?|parole|palavras?|woorden|ord|"
    r"\u0441\u043b\u043e\u0432\w*|\u5b57|\u8a9e|\u5358\u8a9e|\u30ef\u30fc\u30c9|\ub2e8\uc5b4)$",
    re.I,
)
_TIME = re.compile(r"^\d{1,2}[:.]\d{2}(?:\s*(?:[AP]M|GMT|UTC|[A-Z]{2,4}|[+-]\d{1,2}(?::?\d{2})?))*$", re.I)
_SOURCE_CODE = re.compile(r"^[A-Z0-9]{2,12}$")
_PAGE = re.compile(r"^[A-Z]?\d{1,4}[A-Z]?$")
_COPYRIGHT = re.compile(
    r"^(?:copyright|\(c\)|\u00a9|all rights reserved|tous droits|alle rechte|todos los derechos|\u7248\u6743|"
    r"\u8457\u4f5c\u6a29|\u7248\u6b0a)|copyright|\u00a9",
    re.I,
)
# Factiva accession numbers: source code, 0-padding, date, then a serial: NYTF000020050408dp1300i90
_ACCESSION = re.compile(r"\b([A-Z0-9]{2,14}\d{8}[a-z0-9]{5,12})\b")
_DOCUMENT_LINE = re.compile(r"^\S{1,20}\s+([A-Z0-9]{2,14}\d{8}[a-z0-9]{5,12})$")
_NEXIS_DOCUMENT = re.compile(r">\s*\d+\s+of\s+\d+\s+DOCUMENTS?\s*<", re.I)
_PAGE_END = re.compile(r"</html\s*>", re.I)
# Language names as Factiva's interfaces write them, to ISO codes (English names come from nexis.py)
LANGUAGE_NAMES = {
    **LANGUAGE_CODES,
    "englisch": "en", "deutsch": "de", "französisch": "fr", "spanisch": "es", "italienisch": "it",
    "niederländisch": "nl", "portugiesisch": "pt", "russisch": "ru", "chinesisch": "zh", "japanisch": "ja",
    "anglais": "en", "allemand": "de", "français": "fr", "espagnol": "es", "italien": "it", "néerlandais": "nl",
    "portugais": "pt", "russe": "ru", "chinois": "zh", "japonais": "ja",
    "inglés": "en", "alemán": "de", "francés": "fr", "español": "es", "italiano": "it", "portugués": "pt",
    "ruso": "ru", "chino": "zh", "japonés": "ja", "inglese": "en", "tedesco": "de", "francese": "fr",
    "spagnolo": "es", "inglês": "en", "alemão": "de", "francês": "fr", "espanhol": "es",
    "英文": "en", "英语": "en", "英語": "en", "德文": "de", "德语": "de", "ドイツ語": "de", "法文": "fr", "法语": "fr",
    "フランス語": "fr", "西班牙文": "es", "西班牙语": "es", "スペイン語": "es", "中文": "zh", "简体中文": "zh",
    "繁體中文": "zh", "中国語": "zh", "日文": "ja", "日语": "ja", "日本語": "ja", "韩文": "ko", "韓国語": "ko",
    "俄文": "ru", "ロシア語": "ru", "意大利文": "it", "イタリア語": "it",
}
# Field codes of the older layout
_CODES = {"HD", "BY", "CR", "WC", "PD", "ET", "SN", "SC", "SE", "ED", "PG", "LA", "CY", "LP", "TD", "AN", "CLM"}


def read(source: Source, options: ReadOptions) -> Iterator[Article | ImportProblem]:
    """The articles of a saved Factiva page, one by one as the page is parsed."""
    with source.open_binary() as binary:
        yield from _read_page(_PageReader(source.path), binary)


def read_part(path: str, binary, encoding: str, first_number: int, last: bool) -> tuple[list[Article], int] | None:
    """The articles of a part of a page that begins and (unless `last`) ends where article blocks
    do, numbered from `first_number`, and how many article blocks it held; None when the part says
    anything else (a block left out, another export inside it, UTF-8 that breaks): what it says is
    said right only by reading the whole page (`read`). Their `source_index` counts from 0."""
    reader = _PageReader(path)
    reader.number = first_number - 1
    reader.page_ended = not last  # the part ends where a block ends: nothing in it is cut off
    got = []
    try:
        for item in _read_page(reader, binary, encoding):
            if not isinstance(item, Article):
                return None
            got.append(item)
    except EncodingBreaks:
        return None
    return got, reader.number - first_number + 1


def _read_page(reader: _PageReader, binary, encoding: str | None = None) -> Iterator[Article | ImportProblem]:
    parser = etree.HTMLPullParser(events=("end",), tag="div", no_network=True, remove_comments=True)
    try:
        for piece in text_pieces(binary, encoding):
            reader.see(piece)
            parser.feed(piece)
            yield from reader.take(parser.read_events(), closed=True)
        try:
            parser.close()
        except etree.XMLSyntaxError:  # nothing parsable at all: said below as "no articles"
            pass
        yield from reader.take(parser.read_events(), closed=False)
    except DecodeError as exc:
        yield ImportProblem(reader.path, str(exc), reader=READER)
        return
    yield from reader.finish()


class _PageReader:
    """Turns the article blocks of the page into Articles, numbering them in page order."""

    def __init__(self, path: str):
        self.path = path
        self.number = 0  # of the last article block seen
        self.index = 0  # of the next Article
        self.page_ended = False
        self.nexis_documents = 0
        self.nexis_line: int | None = None
        self.line = 1

    def see(self, piece: str) -> None:
        """The raw text, for what markup events do not tell: the page's end, another export inside it."""
        if _PAGE_END.search(piece):
            self.page_ended = True
        found = _NEXIS_DOCUMENT.findall(piece)
        if found:
            if self.nexis_line is None:
                first = _NEXIS_DOCUMENT.search(piece)
                self.nexis_line = self.line + piece.count("\n", 0, first.start())
            self.nexis_documents += len(found)
        self.line += piece.count("\n")

    def take(self, events, closed: bool) -> Iterator[Article | ImportProblem]:
        for _event, element in events:
            cls = element.get("class")
            if not cls:  # (most blocks: the fields)
                continue
            if _ARTICLE_CLASS.search(cls):
                self.number += 1
                got = self._article(element, cut_off=not closed and not self.page_ended)
                if got is not None:
                    yield got
                    if isinstance(got, Article):
                        self.index += 1
                _forget(element)
            elif _OUTER_CLASS.search(cls):
                _forget(element)

    def finish(self) -> Iterator[ImportProblem]:
        if self.nexis_documents:
            yield ImportProblem(
                self.path,
                f"{self.nexis_documents} Nexis document{'s' if self.nexis_documents != 1 else ''} (from "
                f"'1 of N DOCUMENTS') after Factiva article {self.number} left out: this file mixes two exports; "
                "import each as its own file",
                line=self.nexis_line, note=True, reader=READER,
            )
        if self.number == 0:
            yield ImportProblem(
                self.path,
                "a Factiva page with no articles in it: is it the list of search results (headlines)? "
                "Select the articles, open them and save that page (Format: Article)",
                reader=READER,
            )

    def _article(self, element, cut_off: bool) -> Article | ImportProblem | None:
        if any(td.get("class") == "index" for td in element.iter("td")):
            fields = _coded_fields(element)
        else:
            fields = _listed_fields(element)
        fields["source_id"] = fields.get("source_id") or _outer_accession(element)
        body = fields.pop("body")
        title = fields.get("title")
        if cut_off and not fields.get("closed"):  # no "Document ..." line (no AN row) at its end
            return self._left_out("the file ends inside it (cut off: was the download interrupted?)", title)
        if not body:
            return self._left_out("it has no body text", title)
        text = "\n\n".join(body)
        if len(text) > MAX_ARTICLE_CHARS:
            return self._left_out(f"its text is longer than {MAX_ARTICLE_CHARS:,} characters", title)
        return Article(
            text=text,
            title=title,
            outlet=fields.get("outlet"),
            authors=authors_from_byline(fields.get("byline") or ""),
            published=fields.get("published"),
            language=fields.get("language"),
            source_path=self.path,
            source_index=self.index,
            source_id=f"factiva:{fields['source_id']}" if fields.get("source_id") else None,
            reader=READER,
        )

    def _left_out(self, why: str, title: str | None) -> ImportProblem:
        named = f" ({title!r})" if title else ""
        return ImportProblem(self.path, f"document {self.number}{named} left out: {why}", note=True, reader=READER)


def _listed_fields(article) -> dict:
    """The current layout: fields as a run of plain `div`s around the headline, body paragraphs."""
    fields: dict = {"body": []}
    plain: list[str] = []  # attribute-less divs after the headline, in order
    before_headline: list[str] = []
    headline_seen = False
    body = fields["body"]
    # (one pass over the children: what the paragraphs give and what the field blocks give do not
    # depend on each other)
    for child in article:
        tag = child.tag
        if tag == "p":
            cls = child.get("class")
            if not cls:
                found = _DOCUMENT_LINE.match(_text(child))
                if found:
                    fields["source_id"], fields["closed"] = found.group(1), True
            elif "articleParagraph" in cls:
                body.append(_text(child))
        elif tag == "div":
            cls = child.get("class") or ""
            if not headline_seen and (child.get("id") == "hd" or _has_headline(child)):
                fields["title"] = _text(child)
                headline_seen = True
            elif "author" in cls:
                fields["byline"] = _text(child)
            elif not cls and not child.attrib:
                (plain if headline_seen else before_headline).append(_text(child))
    if not body:  # paragraphs wrapped in a block of their own
        body = [_text(p) for p in article.iter("p") if "articleParagraph" in (p.get("class") or "")]
    fields["body"] = [p for p in body if p]
    if before_headline:
        fields["section"] = before_headline[-1]
    _read_listed(plain, fields)
    return fields


def _read_listed(values: list[str], fields: dict) -> None:
    """Word count, date, time, source name and code, edition, page, language, copyright: by their shape."""
    values = [v for v in values if v]
    start = next((i for i, v in enumerate(values) if _WORD_COUNT.match(v)), None)
    if start is not None:
        fields["word_count"] = int(re.sub(r"\D", "", values[start]) or 0)
        values = values[start + 1 :]
    date_at = published = None
    for i, value in enumerate(values):  # (a date has a digit: the other values need no reading)
        if _DIGIT.search(value) and (published := to_iso(_date_text(value))):
            date_at = i
            break
    if date_at is None:
        return
    fields["published"] = published
    rest = values[date_at + 1 :]
    if rest and _TIME.match(rest[0]):
        rest = rest[1:]
    if rest:
        fields["outlet"], rest = rest[0], rest[1:]
    if rest and _SOURCE_CODE.match(rest[0]):
        fields["source_code"], rest = rest[0], rest[1:]
    for value in rest:
        language = LANGUAGE_NAMES.get(value.strip().lower())
        if language and "language" not in fields:
            fields["language"] = language
        elif _COPYRIGHT.search(value):
            fields.setdefault("copyright", value)
        elif _PAGE.match(value):
            fields.setdefault("page", value)
        else:
            fields.setdefault("edition", value)


def _coded_fields(article) -> dict:
    """The older layout: table rows labelled HD, WC, PD, SN, ... (LP and TD hold the paragraphs)."""
    fields: dict = {"body": []}
    for row in article.iter("tr"):
        cells = [c for c in row if isinstance(c.tag, str) and c.tag == "td"]
        if len(cells) < 2:
            continue
        code = _text(cells[0]).upper()
        if code not in _CODES:
            continue
        value = cells[1]
        if code in ("LP", "TD"):
            paragraphs = [_text(p) for p in value.iter("p")] or [_text(value)]
            fields["body"].extend(p for p in paragraphs if p)
            continue
        text = _text(value)
        if code == "HD":
            fields["title"] = text
        elif code == "BY":
            fields["byline"] = text
        elif code == "WC":
            fields["word_count"] = int(re.sub(r"\D", "", text) or 0)
        elif code == "PD":
            fields["published"] = to_iso(_date_text(text))
        elif code == "SN":
            fields["outlet"] = text
        elif code == "SC":
            fields["source_code"] = text
        elif code in ("SE", "CLM"):
            fields.setdefault("section", text)
        elif code == "LA":
            fields["language"] = LANGUAGE_NAMES.get(text.strip().lower()) or _iso_language(text)
        elif code == "AN":
            found = _ACCESSION.search(text)
            fields["source_id"] = found.group(1) if found else text.split()[-1] if text.split() else None
            fields["closed"] = True
        elif code in ("ED", "PG", "CY", "ET"):
            fields[{"ED": "edition", "PG": "page", "CY": "copyright", "ET": "time"}[code]] = text
    return fields


def _outer_accession(article) -> str | None:
    """The id of the wrapping block (`<div id="article-NYTF0000...">`) when there is no Document line."""
    for element in (article, article.getparent()):
        if element is None:
            continue
        found = re.match(r"^article-([A-Za-z0-9]{12,40})$", element.get("id") or "")
        if found:
            return found.group(1)
    return None


def _iso_language(value: str) -> str | None:
    code = value.strip().lower()
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def _date_text(value: str) -> str:
    """'9. Januar 1993' -> '9 Januar 1993'; '1993年1月9日 星期六' stays as it is (to_iso reads its start)."""
    return _DAY_DOT.sub(r"\1 ", value.strip())


_DIGIT = re.compile(r"\d")
_DAY_DOT = re.compile(r"^(\d{1,2})\.\s")


def _has_headline(element) -> bool:
    return any("Headline" in (e.get("class") or "") for e in element.iter("span", "b", "h1", "h2", "h3"))


def _text(element) -> str:
    """The element's text with white space folded (highlighted search words `<b>` kept as words)."""
    if len(element):  # (most paragraphs and fields have no child elements: their text is all there is)
        text = etree.tostring(element, method="text", encoding="unicode", with_tail=False).strip()
    else:
        text = (element.text or "").strip()
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\xa0" in text:
        text = " ".join(text.split())
    return text


def _forget(element) -> None:
    """Free a read block and the page parts before it: memory stays flat however long the page is."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
