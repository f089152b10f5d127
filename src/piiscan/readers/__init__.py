"""Readers turn one file into TextUnits. Each registers under the
``piiscan.readers`` entry-point group, built-ins included, so a third-party
package adds a format by declaring its own entry point."""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Optional

from piiscan.readers.base import Reader, ReaderError

__all__ = ["Reader", "ReaderError", "available", "reader_for"]


@cache
def available() -> dict[str, type[Reader]]:
    """name → reader class, from the entry points of every installed package."""
    return {ep.name: ep.load() for ep in entry_points(group="piiscan.readers")}


@cache
def _by_suffix() -> dict[str, type[Reader]]:
    table: dict[str, type[Reader]] = {}
    for name in sorted(available()):
        for suffix in available()[name].suffixes:
            table.setdefault(suffix, available()[name])
    return table


def reader_for(path: Path) -> Optional[Reader]:
    cls = _by_suffix().get(path.suffix.lower())
    return cls() if cls else None
