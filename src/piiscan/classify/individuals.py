"""Distinct individuals of a file: identifiers found in one record belong to one
person, and records sharing an identifier (same ID, card, phone — matched by
fingerprint) are the same person. A union-find over the identifiers counts them.

A roster of a million rows holds millions of identifiers; a dict of Python ints
would take ~100 bytes each. Here each identifier is a 64-bit key in flat arrays
(open addressing, linear probing; fingerprints are uniformly random, so probing
stays short): 28–52 bytes each. Past `limit` identifiers no new ones are
stored, so memory stays bounded; a record with only unknown identifiers then
counts as a new person, which can only over-count, and `exact` turns False.
"""

from __future__ import annotations

from array import array
from typing import Callable, Optional

LIMIT = 4_000_000  # identifiers held per file: ~110 MB at most


class IdentifierGroups:
    """The one union-find of piiscan: a file's distinct individuals (classify) and a
    breach's distinct persons (reports.impact, which keeps attributes per group
    through `on_merge`)."""

    def __init__(self, limit: int = LIMIT, capacity: int = 1 << 12,
                 on_merge: Optional[Callable[[int, int], None]] = None):
        self.limit = limit
        self.on_merge = on_merge  # (kept root, absorbed root) when two groups become one
        self._keys = array("Q", bytes(8 * capacity))  # slot → 64-bit key, 0 = empty
        self._ids = array("I", bytes(4 * capacity))   # slot → node id
        self._parent = array("I")                     # node id → parent node id
        self.groups = 0       # components so far
        self.exact = True     # False once the limit made a record count on its own

    def add_record(self, fingerprints: list[str]) -> Optional[int]:
        """One record's identifier fingerprints (hex): all one person. Returns the
        group's root, or None for a record over the limit (a new person, not stored)."""
        if not fingerprints:
            return None
        nodes = [self._node(int(fp[:16], 16) or 1) for fp in fingerprints]
        known = [n for n in nodes if n is not None]
        if not known:
            self.groups += 1   # over the limit and nothing known: a new person, not stored
            self.exact = False
            return None
        root = self._find(known[0])
        for node in known[1:]:
            other = self._find(node)
            if other != root:
                self._parent[other] = root
                self.groups -= 1
                if self.on_merge is not None:
                    self.on_merge(root, other)
        return root

    def _find(self, node: int) -> int:
        parent = self._parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]  # path halving
            node = parent[node]
        return node

    def _node(self, key: int) -> int | None:
        """The node of a key, created (as a new group) if new; None when new and over the limit."""
        keys, mask = self._keys, len(self._keys) - 1
        slot = key & mask
        while keys[slot]:
            if keys[slot] == key:
                return self._ids[slot]
            slot = (slot + 1) & mask
        if len(self._parent) >= self.limit:
            self.exact = False
            return None
        node = len(self._parent)
        keys[slot], self._ids[slot] = key, node
        self._parent.append(node)
        self.groups += 1
        if 2 * len(self._parent) > len(keys):  # keep the table at most half full
            self._grow()
        return node

    def _grow(self) -> None:
        old_keys, old_ids = self._keys, self._ids
        capacity = 2 * len(old_keys)
        self._keys, self._ids = array("Q", bytes(8 * capacity)), array("I", bytes(4 * capacity))
        mask = capacity - 1
        for key, node in zip(old_keys, old_ids):
            if key:
                slot = key & mask
                while self._keys[slot]:
                    slot = (slot + 1) & mask
                self._keys[slot], self._ids[slot] = key, node
