"""Walk shared drives for inventory scans: one stat per file (from os.scandir),
include/exclude globs, `.piiscanignore` files, symlink loops, unreadable folders.

Yields `Entry` for each file to consider and `Problem` for what could not be
walked (a folder without permission, a file that vanished, a symlink loop).
Names only, never file contents.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple, Optional, Union

IGNORE_FILE = ".piiscanignore"


class Entry(NamedTuple):  # a tuple: a walk builds one per file, 10^6 and more
    path: str
    size: int
    mtime_ns: int
    inode: int
    mode: int  # permission bits
    uid: int


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    reason: str  # "permission denied", "vanished", "symlink loop", "too large"


def _matches(patterns: Iterable[str], rel: str, name: str) -> bool:
    """gitignore-like: a pattern with a slash matches the path relative to the root,
    one without matches the name at any depth; a trailing slash matches folders."""
    for pattern in patterns:
        p = pattern.rstrip("/")
        if "/" in p:
            if fnmatch.fnmatchcase(rel, p.lstrip("/")) or fnmatch.fnmatchcase(rel, p.lstrip("/") + "/*"):
                return True
        elif fnmatch.fnmatchcase(name, p):
            return True
    return False


def _read_ignore(folder: str) -> list[tuple[str, str]]:
    """Patterns of a folder's .piiscanignore, each with the folder it is relative to."""
    try:
        with open(os.path.join(folder, IGNORE_FILE), encoding="utf-8") as fh:
            lines = [line.strip() for line in fh]
    except (OSError, UnicodeDecodeError):
        return []
    return [(folder, line) for line in lines if line and not line.startswith("#")]


def walk(roots: Iterable[Union[str, Path]], include: Iterable[str] = (), exclude: Iterable[str] = (),
         max_size: Optional[int] = None) -> Iterator[Union[Entry, Problem]]:
    """Files under the roots in a stable (sorted) order. Symbolic links to folders are
    followed; a link back to a folder already on the way (a loop) is a Problem."""
    include, exclude = list(include), list(exclude)
    for root in roots:
        root = os.path.abspath(os.fspath(root))
        try:
            st = os.stat(root)
        except FileNotFoundError:
            yield Problem(root, "vanished")
            continue
        except PermissionError:
            yield Problem(root, "permission denied")
            continue
        if stat.S_ISREG(st.st_mode):
            yield Entry(root, st.st_size, st.st_mtime_ns, st.st_ino, stat.S_IMODE(st.st_mode), st.st_uid)
            continue
        yield from _walk_folder(root, root, include, exclude, max_size, [], {(st.st_dev, st.st_ino)})


def _relative(path: str, base: str) -> str:
    """`path` below the folder `base` with / separators. The walk builds every path
    from its root, so it is a cut, not os.path.relpath (a third of an unchanged re-scan)."""
    rel = path[len(base) if base.endswith(os.sep) else len(base) + 1:]
    return rel if os.sep == "/" else rel.replace(os.sep, "/")


def _walk_folder(root: str, folder: str, include: list[str], exclude: list[str], max_size: Optional[int],
                 ignores: list[tuple[str, str]], seen: set) -> Iterator[Union[Entry, Problem]]:
    ignores = ignores + _read_ignore(folder)
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except PermissionError:
        yield Problem(folder, "permission denied")
        return
    except FileNotFoundError:
        yield Problem(folder, "vanished")
        return
    except OSError as e:
        yield Problem(folder, f"cannot list: {e.strerror or type(e).__name__}")
        return
    filtered = bool(exclude or include or ignores)
    for entry in entries:
        if entry.name == IGNORE_FILE:
            continue
        rel = _relative(entry.path, root) if filtered else ""
        if filtered and (_matches(exclude, rel, entry.name) or any(
                _matches([p], _relative(entry.path, base), entry.name) for base, p in ignores)):
            continue
        try:
            st = entry.stat(follow_symlinks=True)  # cached by scandir on most systems: one stat per file
        except FileNotFoundError:
            yield Problem(entry.path, "symlink target missing" if entry.is_symlink() else "vanished")
            continue
        except PermissionError:
            yield Problem(entry.path, "permission denied")
            continue
        except OSError as e:  # ELOOP: a link pointing at itself
            yield Problem(entry.path, "symlink loop" if e.errno == 40 else f"cannot stat: {e.strerror}")
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in seen:
                yield Problem(entry.path, "symlink loop")
                continue
            yield from _walk_folder(root, entry.path, include, exclude, max_size, ignores, seen | {key})
        elif stat.S_ISREG(st.st_mode):
            if include and not _matches(include, rel, entry.name):
                continue
            if max_size is not None and st.st_size > max_size:
                yield Problem(entry.path, "too large")
                continue
            yield Entry(entry.path, st.st_size, st.st_mtime_ns, st.st_ino, stat.S_IMODE(st.st_mode), st.st_uid)


def parse_size(text: str) -> int:
    """'500MB' -> 524288000; plain digits are bytes."""
    text = text.strip().upper().removesuffix("B").removesuffix("I")
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)
