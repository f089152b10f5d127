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
    cls = _by_suffix().get(path.suffix.lower())
    return cls() if cls else None
