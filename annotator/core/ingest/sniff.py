"""Which reader a markup file needs, told from its content rather than its name.

News databases deliver exports as `.html` (or `.htm`, `.xml`) files that a web-page extractor would
read as one page: the whole batch, furniture included, as a single article. Their first bytes tell
them apart from a saved web page: Factiva's page title, logo or article markup; Nexis's
"1 of 49 DOCUMENTS" with its `<DOCFULL>` blocks; Factiva's XML root (`PPSResponse`).
"""

from __future__ import annotations

import re

SNIFF_MARKUP_BYTES = 1 << 20  # Factiva pages carry up to a few hundred KB of script and style before the articles

_FACTIVA_XML = re.compile(rb"<(?:\w+:)?PPSResponse\b|global\.factiva\.com/pps/|<(?:\w+:)?ppsArticleResponse\b")
_FACTIVA_PAGE = re.compile(
    rb"<title>\s*(?:Dow Jones\s+)?Factiva\s*</title>|class=[\"']?factivalogo|id=[\"']?article-[A-Z0-9]{6,}", re.I
)
_FACTIVA_ARTICLE = re.compile(rb"class=[\"']?[a-z]{2}articleParagraph|class=[\"'][^\"']*\b[a-z]{2}Headline\b")
_NEXIS_COUNT = re.compile(
    rb"\b\d{1,6}\s+(?:of|von|de|sur|di|van)\s+\d{1,6}\s+(?:DOCUMENTS?|DOKUMENTE?N?|DOCUMENTOS?|DOCUMENTI?)\b"
)
_NEXIS_MARKUP = re.compile(rb"<DOCFULL>|<DOC\s+NUMBER=|LXNComment|DOC_ID_\d", re.I)


def markup_format(head: bytes) -> str | None:
    """'factiva-xml', 'factiva-html' or 'nexis-html' for the start of a database export, else None.

    Plain substring tests first (fast on a megabyte), the patterns only where one of them hit. A
    file holding both a Nexis and a Factiva export goes to the reader of the one that comes first
    (which names the other's documents as left out)."""
    start = head[:65536]
    if (b"PPSResponse" in start or b"factiva.com/pps" in start) and _FACTIVA_XML.search(start):
        return "factiva-xml"
    nexis_at = None
    if b"DOCFULL" in head or b"LXNComment" in head or b"DOC_ID_" in head or b"DOC NUMBER" in head:
        marked = _NEXIS_MARKUP.search(head)
        if marked and _NEXIS_COUNT.search(head):
            nexis_at = marked.start()
    if nexis_at is None and b"Download Request:" in head and b"Nexis" in head:
        # a Nexis page without documents: its reader says so
        nexis_at = head.index(b"Download Request:")
    factiva_at = None
    if b"factiva" in start.lower() or (b"Factiva" in head and b"articleParagraph" in head):
        found = _FACTIVA_PAGE.search(head) or _FACTIVA_ARTICLE.search(head)
        factiva_at = found.start() if found else None
    if nexis_at is not None and (factiva_at is None or nexis_at < factiva_at):
        return "nexis-html"
    return "factiva-html" if factiva_at is not None else None
