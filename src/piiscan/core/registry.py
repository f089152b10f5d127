"""One registry mechanism for every extension kind: entry points, built-ins included.

A kind (readers, mask rules, …) is an entry-point group; piiscan's own objects are
declared in its pyproject.toml exactly as a third-party package declares its own.
Like fsspec's registry, names stay strings ("module:attr") until one is used, so
listing them (`piiscan plugins`) imports nothing. catalogue (installed with spaCy)
was the other option; it was not taken because it loads every entry point of a
registry on get_all(), does not say which distribution an object came from, and
would make a library we only get through spaCy a direct dependency.

core imports nothing else of piiscan: any layer may use this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Iterator


class RegistryError(Exception):
    """Two distributions register one name in one kind: neither wins silently."""


class UnknownName(KeyError):
    """An unknown name; str() is one line naming the known ones (KeyError for older callers)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Entry:
    kind: str
    name: str
    value: str          # "module:attr", as declared
    distribution: str   # the package that declared it


class Registry:
    """name → object of one entry-point group, read when first asked, loaded per name."""

    def __init__(self, kind: str, group: str):
        self.kind, self.group = kind, group
        self._entries: dict[str, tuple[Entry, EntryPoint]] | None = None
        self._loaded: dict[str, Any] = {}

    def _table(self) -> dict[str, tuple[Entry, EntryPoint]]:
        if self._entries is None:
            table: dict[str, tuple[Entry, EntryPoint]] = {}
            for ep in entry_points(group=self.group):
                dist = ep.dist.name if ep.dist is not None else "?"
                entry = Entry(self.kind, ep.name, ep.value, dist)
                if ep.name in table and table[ep.name][0] != entry:
                    first = table[ep.name][0]
                    raise RegistryError(f"{self.kind} {ep.name!r} is registered twice: by {first.distribution} "
                                        f"({first.value}) and by {dist} ({ep.value}) in group {self.group}")
                table[ep.name] = (entry, ep)
            self._entries = table
        return self._entries

    def refresh(self) -> None:
        """Forget what was read: packages installed (or put on sys.path) since are seen."""
        self._entries = None
        self._loaded.clear()

    def names(self) -> list[str]:
        return sorted(self._table())

    def entries(self) -> list[Entry]:
        return [self._table()[name][0] for name in self.names()]

    def __contains__(self, name: object) -> bool:
        return name in self._table()

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._table())

    def unknown(self, name: str) -> UnknownName:
        return UnknownName(f"unknown {self.kind} {name!r}; known: {', '.join(self.names())}")

    def get(self, name: str) -> Any:
        if name not in self._loaded:
            found = self._table().get(name)
            if found is None:
                raise self.unknown(name)
            self._loaded[name] = found[1].load()
        return self._loaded[name]

    def load_all(self) -> dict[str, Any]:
        return {name: self.get(name) for name in self.names()}


# Every kind piiscan can be extended with, by entry-point group (README, "Extending").
READERS = Registry("reader", "piiscan.readers")
WRITERS = Registry("writer", "piiscan.writers")
VALIDATORS = Registry("validator", "piiscan.validators")
MASK_RULES = Registry("masking rule", "piiscan.mask_rules")
OPERATORS = Registry("operator", "piiscan.operators")
FINDINGS_FORMATS = Registry("findings format", "piiscan.findings_formats")
REPORT_EXPORTERS = Registry("report format", "piiscan.report_exporters")
KINDS = (READERS, WRITERS, VALIDATORS, MASK_RULES, OPERATORS, FINDINGS_FORMATS, REPORT_EXPORTERS)


def by_suffix(classes: dict[str, Any]) -> dict[str, Any]:
    """File suffix -> the class that handles it (readers, writers); when two claim
    one suffix, the first by registered name."""
    table: dict[str, Any] = {}
    for name in sorted(classes):
        for suffix in classes[name].suffixes:
            table.setdefault(suffix, classes[name])
    return table


def refresh_all() -> None:
    for registry in KINDS:
        registry.refresh()
