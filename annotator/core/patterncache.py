"""Regular expressions compiled once, kept between runs: start-up without recompiling the app's patterns.

The detector and the readers compile about a hundred patterns at import, some of them tries of a
thousand words: 40-50 ms of CPU, most of `annotator quotes` on one file. Python's `re` compiles a
pattern in pure Python (parse, then code generation) and builds the matcher from the code in C. This
module keeps the code of every module-level pattern of the app's modules in a small JSON file in the
user's cache folder, and at start-up hands the matchers built from it to `re`'s own cache, so the
modules' `re.compile(...)` calls find them there (about 1 ms for all). Nothing in the modules changes.

    seed()       # at the first import of annotator.core: fill re's cache from the file
    save_new()   # at the end of a command: add the patterns compiled the slow way this time

Safe by construction: an entry is used only for exactly its pattern text and flags; the file is
keyed by the Python build and the regex engine's version; `_sre.compile` validates the code it is
given; a missing, stale, damaged or unwritable file only means patterns are compiled as usual.
ANNOTATOR_PATTERN_CACHE=0 turns it off; ANNOTATOR_PATTERN_CACHE=PATH puts the file elsewhere.
It relies on CPython internals (re._cache, re._parser, re._compiler, _sre, as in 3.11-3.13) and
does nothing where they are missing.
"""

from __future__ import annotations

import json
import os
import re
import sys

try:
    import _sre
    from re import _compiler, _parser
    _USABLE = isinstance(getattr(re, "_cache", None), dict) and hasattr(_compiler, "_code") \
        and sys.implementation.name == "cpython"
except ImportError:   # another Python, or one whose re is laid out otherwise (3.10): compile as usual
    _USABLE = False

MAX_ENTRIES = 1000   # patterns kept in the file (the newest); the app has about 150
_VERSION = f"{sys.implementation.cache_tag}-{getattr(_sre, 'MAGIC', 0) if _USABLE else 0}-" \
           f"{getattr(_sre, 'CODESIZE', 0) if _USABLE else 0}-1"
_known: dict[tuple[str, int], list] = {}   # (pattern, flags) -> its entry, as read or written
_seeded = False


def cache_path() -> str | None:
    """The file, or None when the cache is off. The user's cache folder is found here rather than
    with platformdirs, whose import alone costs more than this module saves on a small run."""
    setting = os.environ.get("ANNOTATOR_PATTERN_CACHE")
    if setting is not None and setting.strip() in ("", "0", "off", "no"):
        return None
    if setting:
        return setting
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
        folder = os.path.join(base, "annotator", "Cache")
    elif sys.platform == "darwin":
        folder = os.path.expanduser("~/Library/Caches/annotator")
    else:
        folder = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "annotator")
    return os.path.join(folder, f"patterns-{sys.implementation.cache_tag}.json")


def seed() -> int:
    """Put the file's patterns into re's cache (once a process); returns how many."""
    global _seeded
    if _seeded or not _USABLE:
        return 0
    _seeded = True
    path = cache_path()
    if path is None:
        return 0
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return 0
    if not isinstance(data, dict) or data.get("version") != _VERSION or not isinstance(data.get("patterns"), list):
        return 0
    room = getattr(re, "_MAXCACHE", 512) - len(re._cache) - 64   # leave re's cache room for its own use
    count = 0
    for entry in data["patterns"]:
        try:
            pattern, flags, compiled = _from_entry(entry)
        except Exception:  # noqa: BLE001 - a damaged entry is skipped, the pattern compiled as usual
            continue
        _known[(pattern, flags)] = entry
        if count < room:
            re._cache.setdefault((str, pattern, flags), compiled)
            count += 1
    return count


def _from_entry(entry) -> tuple[str, int, re.Pattern]:
    pattern, flags, final_flags, code, groups, groupindex, indexgroup = entry
    if not (isinstance(pattern, str) and type(flags) is int and type(final_flags) is int and isinstance(code, list)
            and type(groups) is int and isinstance(groupindex, dict) and isinstance(indexgroup, list)):
        raise ValueError("not a pattern entry")
    compiled = _sre.compile(pattern, final_flags, code, groups, groupindex, tuple(indexgroup))
    return pattern, flags, compiled


def _entry(pattern: str, flags: int) -> list:
    """What re._compiler.compile hands to _sre.compile for this pattern."""
    parsed = _parser.parse(pattern, flags)
    code = [int(c) for c in _compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return [pattern, int(flags), int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, indexgroup]


def app_patterns() -> list[tuple[str, int]]:
    """(pattern, flags) of every module-level compiled pattern of the app's loaded modules that re's
    cache still holds (its key gives the flags the module asked for)."""
    key_of = {id(p): k for k, p in list(re._cache.items()) if type(k) is tuple and len(k) == 3 and k[0] is str}
    found = []
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "annotator" or name.startswith("annotator.")):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, re.Pattern):
                key = key_of.get(id(value))
                if key is not None and not key[2] & re.DEBUG:
                    found.append((key[1], key[2]))
    return found


def save_new() -> int:
    """Write the app's patterns that the file lacks (a new or changed pattern, a first run); returns
    how many were added. Written whole to a temporary file and moved in place, so a reader never sees
    half a file."""
    if not _USABLE:
        return 0
    path = cache_path()
    if path is None:
        return 0
    try:
        new = [key for key in dict.fromkeys(app_patterns()) if key not in _known]
        if not new:
            return 0
        for pattern, flags in new:
            _known[(pattern, flags)] = _entry(pattern, flags)
        entries = list(_known.values())[-MAX_ENTRIES:]
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        text = json.dumps({"version": _VERSION, "patterns": entries}, separators=(",", ":"))  # C encoder (dump is not)
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
        return len(new)
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs the next start some time
        return 0
