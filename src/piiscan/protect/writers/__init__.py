"""Writers produce redacted copies in the input's format. Each registers under
the ``piiscan.writers`` entry-point group, built-ins included, like the readers
(piiscan.core.registry)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Optional

from piiscan.core.registry import WRITERS, by_suffix
from piiscan.protect.writers.base import Spans, Writer, replace_in_segments

__all__ = ["Spans", "Writer", "available", "replace_in_segments", "writer_for"]


def available() -> dict[str, type[Writer]]:
    return WRITERS.load_all()


def refresh() -> None:
    WRITERS.refresh()
    _by_suffix.cache_clear()


@cache
def _by_suffix() -> dict[str, type[Writer]]:
    return by_suffix(available())


def writer_for(path: Path) -> Optional[Writer]:
    """By suffix; a writer that declares `magic` (SQLite) only for a file that starts
    with it (a Thumbs.db is not a database)."""
    cls = _by_suffix().get(path.suffix.lower())
    magic = getattr(cls, "magic", b"")
    if cls is not None and magic and path.exists():
        try:
            with path.open("rb") as fh:
                if fh.read(len(magic)) != magic:
                    return None
        except OSError:
            pass  # the writer reports it
    return cls() if cls else None
