"""Which key of a JSON object or CSV row holds which article field, detected or given with `--map`."""

from __future__ import annotations

from collections.abc import Mapping

from annotator.core.ingest.dates import to_iso
from annotator.core.records import Article

# Our fields and the names dumps use for them, most specific first (news-please names included).
FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("maintext", "text", "body", "content", "article", "article_text", "full_text", "fulltext", "story"),
    "title": ("title", "headline", "head", "name"),
    "outlet": ("source_domain", "outlet", "source", "publication", "publisher", "site", "newspaper", "media"),
    "authors": ("authors", "author", "byline", "by", "creator"),
    "published": ("date_publish", "published", "date", "pubdate", "publish_date", "published_at",
                  "publication_date", "datetime", "timestamp", "created_at"),
    "url": ("url", "link", "href", "source_url", "permalink"),
    "language": ("language", "lang", "locale"),
}


def resolve_columns(keys, field_map: Mapping[str, str]) -> dict[str, str]:
    """Our field -> the key in these records, by `--map` first, then by the usual names (case-insensitive)."""
    by_lower = {str(k).strip().lower(): k for k in keys}
    found: dict[str, str] = {}
    for ours, candidates in FIELDS.items():
        if ours in field_map:
            wanted = field_map[ours]
            key = wanted if wanted in keys else by_lower.get(wanted.lower())
            if key is not None:
                found[ours] = key
            continue
        for name in candidates:
            if name in by_lower and by_lower[name] not in found.values():
                found[ours] = by_lower[name]
                break
    return found


def article_from_record(record: Mapping, columns: Mapping[str, str], source_path: str, index: int) -> Article | str:
    """An Article from one record, or a sentence saying why it is not one."""
    raw = record.get(columns["text"]) if "text" in columns else None
    if raw is not None and not (isinstance(raw, str) or (isinstance(raw, list) and all(
            isinstance(p, str) or p is None for p in raw))):
        return f"the field '{columns['text']}' holds {_kind_of(raw)}, not the article's text"
    text = _as_text(raw)
    if not text or not text.strip():
        return "no article text" + (f" in field '{columns['text']}'" if "text" in columns else "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Article(
        text=text,
        title=_clean(_as_text(record.get(columns.get("title", ""), None))),
        outlet=_clean(_as_text(record.get(columns.get("outlet", ""), None))),
        authors=_authors(record.get(columns.get("authors", ""), None)),
        published=to_iso(record.get(columns.get("published", ""), None)),
        url=_clean(_as_text(record.get(columns.get("url", ""), None))),
        language=_clean(_as_text(record.get(columns.get("language", ""), None))),
        source_path=source_path,
        source_index=index,
    )


def _kind_of(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return {"dict": "an object", "list": "a list of non-text values"}.get(type(value).__name__, type(value).__name__)


def _as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n\n".join(str(v) for v in value if v is not None)
    if isinstance(value, dict):
        for key in ("name", "text", "value"):
            if key in value:
                return _as_text(value[key])
        return None
    return str(value)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _authors(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        names = [_clean(_as_text(v)) for v in value]
    else:
        text = _as_text(value) or ""
        text = text.strip()
        if text.lower().startswith("by "):
            text = text[3:]
        sep = ";" if ";" in text else ("|" if "|" in text else None)
        parts = text.split(sep) if sep else text.replace(" and ", ", ").split(",")
        names = [_clean(p) for p in parts]
    return [n for n in names if n]
