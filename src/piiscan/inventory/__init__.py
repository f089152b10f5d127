"""Inventory of scheduled scans: a database of runs, files, findings and per-file
summaries (see docs/inventory.md), filled incrementally and resumably."""

from piiscan.inventory.store import Inventory, InventoryLocked

__all__ = ["Inventory", "InventoryLocked"]
