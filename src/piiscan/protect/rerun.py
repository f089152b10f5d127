"""A redact run into an --out folder used before: the previous run's manifest says
which copies piiscan wrote there (with their SHA-256). A copy whose input is gone
from this run is removed when it is still exactly what piiscan wrote (a stale copy
would otherwise be shared with the fresh ones); a copy someone changed since is
kept and named. A file called piiscan-manifest.json that piiscan did not write is
never overwritten: the run stops with a usage error."""

from __future__ import annotations

import json
from pathlib import Path

from piiscan.protect.manifest import MANIFEST_NAME, sha256


class ForeignManifest(ValueError):
    pass


def previous_outputs(out: Path) -> dict[Path, str]:
    """Copy → its SHA-256, from the manifest a previous run left in `out`."""
    path = out / MANIFEST_NAME
    if not path.exists() and not path.is_symlink():
        return {}
    try:
        if path.is_symlink() or not path.is_file():
            raise ValueError("not a regular file")
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("command") not in ("redact", "unredact") or not isinstance(data.get("files"), list):
            raise ValueError("not a piiscan manifest")
    except (ValueError, OSError, UnicodeDecodeError, AttributeError) as e:
        raise ForeignManifest(f"--out {out} holds a {MANIFEST_NAME} that piiscan did not write ({e}): "
                              f"move it or choose another folder") from None
    return {Path(f["output"]): f.get("output_sha256") or "" for f in data["files"]
            if isinstance(f, dict) and f.get("output")}


def remove_stale(previous: dict[Path, str], written: set[Path], out: Path) -> tuple[list[str], list[str]]:
    """(removed copies, messages): previous copies this run did not write again."""
    removed, messages = [], []
    root = out.resolve()
    for copy, digest in sorted(previous.items()):
        if copy.resolve() in written or not copy.is_file() or copy.is_symlink():
            continue
        if root not in copy.resolve().parents:
            continue  # a manifest naming a file outside --out is not followed
        if digest and sha256(copy) == digest:
            copy.unlink()
            removed.append(str(copy))
            messages.append(f"removed {copy}: a copy from an earlier run whose input is gone")
        else:
            messages.append(f"warning: {copy}: a copy from an earlier run whose input is gone, changed since: kept")
    return removed, messages
