"""One budget for everything nested in one file: archives inside archives, e-mail
attachments, archives attached to e-mails. Each container checks its own members
against the limits, and spends from the budget that the outermost container of the
file created, so three inner zips of 600 MB each stop at the total, not at 1.8 GB.

Limits (environment variables override them): PIISCAN_NESTED_MAX_BYTES (bytes
expanded in all, default 1 GiB), PIISCAN_NESTED_MAX_MEMBERS (members read in all,
10,000), PIISCAN_NESTED_MAX_DEPTH (containers inside containers, 3),
PIISCAN_NESTED_MAX_RATIO (uncompressed : compressed per member, 200)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional

from piiscan.sources.readers.base import ReaderError


def _env(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() else default


@dataclass(frozen=True)
class Limits:
    total_bytes: int = 1 << 30
    members: int = 10_000
    depth: int = 3
    ratio: int = 200

    @classmethod
    def from_env(cls) -> "Limits":
        return cls(_env("PIISCAN_NESTED_MAX_BYTES", cls.total_bytes), _env("PIISCAN_NESTED_MAX_MEMBERS", cls.members),
                   _env("PIISCAN_NESTED_MAX_DEPTH", cls.depth), _env("PIISCAN_NESTED_MAX_RATIO", cls.ratio))


@dataclass
class Budget:
    limits: Limits = field(default_factory=Limits.from_env)
    bytes_used: int = 0
    members_used: int = 0

    def check(self, members: int, total: int) -> None:
        """Before expanding a container: would its members fit in what is left?"""
        if self.members_used + members > self.limits.members:
            raise ReaderError(f"{self.members_used + members:,} members in this file and what it contains, "
                              f"more than the limit of {self.limits.members:,}")
        if self.bytes_used + total > self.limits.total_bytes:
            raise ReaderError(f"this file and what it contains expand to more than "
                              f"{self.limits.total_bytes:,} bytes (the limit for all nested members together)")

    def spend(self, nbytes: int, members: int = 0) -> None:
        """Bytes really written (a member may be bigger than its header said)."""
        self.bytes_used += nbytes
        self.members_used += members
        if self.bytes_used > self.limits.total_bytes:
            raise ReaderError(f"this file and what it contains expand to more than "
                              f"{self.limits.total_bytes:,} bytes (the limit for all nested members together)")

    def enter(self, depth: int) -> None:
        if depth > self.limits.depth:
            raise ReaderError(f"containers nested deeper than {self.limits.depth} levels")


def budget_for(budget: Optional[Budget]) -> Budget:
    """The budget handed down by an outer container, or a new one for the outermost."""
    return budget if budget is not None else Budget()
