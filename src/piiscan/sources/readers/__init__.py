"""Readers turn one file into TextUnits. Each registers under the
``piiscan.readers`` entry-point group (piiscan.core.registry), built-ins included, so a third-party
package adds a format by declaring its own entry point.

Optional class attributes: `magic` (the bytes a file starts with: checked for
unknown suffixes, and required for the reader's own suffixes) and `schemes`
(URL schemes it opens, such as postgresql; "*" for any URL no other reader claims)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Optional

from piiscan.core.registry import READERS, by_suffix
from piiscan.sources.readers.base import Reader, ReaderError
from piiscan.sources.readers.sniff import TEXT_SUFFIXES, Sniffed, real_suffix

__all__ = ["read_nested", "Reader", "ReaderError", "available", "reader_for", "reader_for_url", "is_url"]

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def available() -> dict[str, type[Reader]]:
    """name → reader class, from the entry points of every installed package."""
    return READERS.load_all()


def refresh() -> None:
    """See readers installed since the first look (tests put a package on sys.path)."""
    READERS.refresh()
    _by_suffix.cache_clear()
    _by_magic.cache_clear()


@cache
def _by_suffix() -> dict[str, type[Reader]]:
    return by_suffix(available())


@cache
def _by_magic() -> list[tuple[bytes, type[Reader]]]:
    return [(cls.magic, cls) for _, cls in sorted(available().items()) if getattr(cls, "magic", b"")]


def reader_for(path: Path) -> Optional[Reader]:
    """By suffix; by the first bytes for an unknown suffix (a SQLite file named .dat)
    and for readers that declare `magic` (a .db that is not SQLite is unsupported).
    Files with a known suffix and no magic are not opened here."""
    cls = _by_suffix().get(path.suffix.lower())
    if isinstance(path, Path) and path.suffix.lower() in TEXT_SUFFIXES:
        suffix = real_suffix(path)  # a workbook renamed .csv is read as a workbook
        real = _by_suffix().get(suffix) if suffix else None
        if real is not None and real is not cls:
            return Sniffed(real(), suffix)
    if cls is not None and not getattr(cls, "magic", b""):
        return cls()
    magics = _by_magic()
    if not magics or not isinstance(path, Path):  # a name only (an archive member): the suffix decides
        return cls() if cls else None
    try:
        with path.open("rb") as fh:
            head = fh.read(max(len(m) for m, _ in magics))
    except OSError:
        return cls() if cls else None  # the reader reports it
    return next((c() for m, c in magics if head.startswith(m)), None)


def is_url(target: str) -> bool:
    return bool(_URL.match(target))


def reader_for_url(url: str) -> Optional[Reader]:
    """The reader claiming the URL's scheme (postgresql for postgresql+psycopg://), else one claiming "*"."""
    scheme = url.split("://", 1)[0].split("+", 1)[0].lower()
    claims = {s: cls for _, cls in sorted(available().items()) for s in getattr(cls, "schemes", ())}
    cls = claims.get(scheme) or claims.get("*")
    return cls() if cls else None


def read_nested(reader: Reader, path: Path, depth: int, budget):
    """A member of a container read by its reader; a container (an archive, an
    e-mail: `nested = True`) gets the depth and the budget of the file it is in."""
    if getattr(reader, "nested", False):
        return reader.read(path, depth, budget)
    return reader.read(path)
