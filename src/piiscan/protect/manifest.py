"""The manifest written next to the outputs of a run: what was done to which
file, with which profile and key (by id), and the hashes to prove it. Never a value."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional

MANIFEST_NAME = "piiscan-manifest.json"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class FileEntry:
    input: str
    output: Optional[str]
    writer: str
    input_sha256: str
    output_sha256: Optional[str] = None
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # entity → operator → n
    verified: Optional[bool] = None
    leaks: list[str] = field(default_factory=list)  # entity and location, never the value
    name_holds: list[str] = field(default_factory=list)  # entity types in the file name (kept as is)
    unchecked: list[str] = field(default_factory=list)  # what verification cannot read (scanned pages, pictures)
    second_pass: int = 0  # values verification found in the first copy, redacted by writing it again
    error: Optional[str] = None


@dataclass
class Manifest:
    command: str
    profile: str
    operator: Optional[str]  # the operator for every type not in clear (--operator or the profile's)
    key_id: str
    tool_version: str
    policy: str
    policy_version: str
    min_score: float
    created: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    clear: list[str] = field(default_factory=list)  # types the profile shows as they are
    operators: dict[str, str] = field(default_factory=dict)  # per-type operators of the profile
    files: list[FileEntry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # unsupported types: not copied
    removed: list[str] = field(default_factory=list)  # stale copies of an earlier run whose input is gone

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        totals: dict[str, dict[str, int]] = {}
        for entry in self.files:
            for entity, ops in entry.counts.items():
                for op, n in ops.items():
                    totals.setdefault(entity, {}).setdefault(op, 0)
                    totals[entity][op] += n
        data["totals"] = totals
        return data

    def write(self, folder: Path) -> Path:
        """Written to a new file and renamed into place: a link already there is
        replaced, never written through."""
        path = folder / MANIFEST_NAME
        fd, name = tempfile.mkstemp(prefix=".piiscan-manifest.", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n")
        os.chmod(name, 0o644)
        os.replace(name, path)
        return path
