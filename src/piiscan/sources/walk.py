"""The one walker of every command (scan, scan --inventory, redact): one stat per file
(from os.scandir), gitignore-style include/exclude patterns and `.piiscanignore`
files (pathspec), symlink loops, unreadable folders, special files.

Yields `Entry` for each regular file to consider and `Problem` for what is not
read: a folder without permission, a device, FIFO or socket (reading one could
block forever or never end), a symlink loop. Iterative, so a tree of any depth
walks. Names only, never file contents. A name that is not valid UTF-8 stays as
the file system gave it (surrogate escapes); `shown()` is its printable form.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple, Optional, Union

import pathspec

from piiscan.core.model import FileError, FileResult

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
    reason: str  # "permission denied", "vanished", "symlink loop", "too large", "special file (fifo)"


def shown(path: Union[str, os.PathLike]) -> str:
    """A path as it can be printed and stored: bytes that are not UTF-8 as \\xNN."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def walk_problem(problem: Problem) -> FileResult:
    """A file or folder the walker does not read, as one source's one-line error."""
    name = shown(problem.path)
    return FileResult(name, "walk", error=FileError(name, problem.reason))


def _spec(patterns: Iterable[str]) -> Optional[pathspec.PathSpec]:
    patterns = [p for p in patterns if p.strip() and not p.lstrip().startswith("#")]
    return pathspec.PathSpec.from_lines("gitwildmatch", patterns) if patterns else None


def _read_ignore(folder: str) -> Optional[tuple[str, pathspec.PathSpec]]:
    """A folder's .piiscanignore, with the folder its patterns are relative to."""
    try:
        with open(os.path.join(folder, IGNORE_FILE), encoding="utf-8") as fh:
            spec = _spec(line.rstrip("\n") for line in fh)
    except (OSError, UnicodeDecodeError):
        return None
    return (folder, spec) if spec else None


def _relative(path: str, base: str) -> str:
    """`path` below the folder `base` with / separators. The walk builds every path
    from its root, so it is a cut, not os.path.relpath (a third of an unchanged re-scan)."""
    rel = path[len(base) if base.endswith(os.sep) else len(base) + 1:]
    return rel if os.sep == "/" else rel.replace(os.sep, "/")


def _special(mode: int) -> str:
    kind = ("fifo" if stat.S_ISFIFO(mode) else "character device" if stat.S_ISCHR(mode)
            else "block device" if stat.S_ISBLK(mode) else "socket" if stat.S_ISSOCK(mode) else "not a regular file")
    return f"special file ({kind})"


@dataclass
class _Rules:
    include: Optional[pathspec.PathSpec]
    exclude: Optional[pathspec.PathSpec]
    max_size: Optional[int]

    def excluded(self, root: str, path: str, is_dir: bool, ignores: list) -> bool:
        suffix = "/" if is_dir else ""
        if self.exclude and self.exclude.match_file(_relative(path, root) + suffix):
            return True
        return any(spec.match_file(_relative(path, base) + suffix) for base, spec in ignores)


def walk(roots: Iterable[Union[str, Path]], include: Iterable[str] = (), exclude: Iterable[str] = (),
         max_size: Optional[int] = None) -> Iterator[Union[Entry, Problem]]:
    """Files under the roots in a stable (sorted) order. Symbolic links to folders are
    followed; a link back to a folder already on the way (a loop) is a Problem."""
    rules = _Rules(_spec(include), _spec(exclude), max_size)
    for root in roots:
        root = os.path.normpath(os.fspath(root))  # as given: a plain scan shows the paths the user typed
        try:
            st = os.stat(root)
        except OSError as e:
            yield Problem(root, _stat_problem(e, os.path.islink(root)))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_tree(root, st, rules)
        elif not stat.S_ISREG(st.st_mode):
            yield Problem(root, _special(st.st_mode))
        elif max_size is not None and st.st_size > max_size:
            yield Problem(root, "too large")
        else:
            yield Entry(root, st.st_size, st.st_mtime_ns, st.st_ino, stat.S_IMODE(st.st_mode), st.st_uid)


def _stat_problem(e: OSError, is_link: bool) -> str:
    if e.errno == errno.ENOENT:
        return "symlink target missing" if is_link else "vanished"
    if e.errno == errno.EACCES:
        return "permission denied"
    if e.errno == errno.ELOOP:
        return "symlink loop"
    if e.errno == errno.ENAMETOOLONG:
        return "path too long"
    return f"cannot stat: {e.strerror or type(e).__name__}"


def _listing(folder: str) -> Union[list[os.DirEntry], Problem]:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as e:
        reason = _stat_problem(e, False)
        return Problem(folder, reason if reason != f"cannot stat: {e.strerror}" else f"cannot list: {e.strerror}")


def _walk_tree(root: str, root_stat: os.stat_result, rules: _Rules) -> Iterator[Union[Entry, Problem]]:
    """Depth first in name order, with an explicit stack of open folders."""
    stack: list = []  # (entries left, ignore specs in force, folders on the way)
    pending = [(root, [], frozenset({(root_stat.st_dev, root_stat.st_ino)}))]
    while pending or stack:
        if pending:
            folder, ignores, seen = pending.pop()
            listing = _listing(folder)
            if isinstance(listing, Problem):
                yield listing
                continue
            ignore = _read_ignore(folder)
            stack.append((iter(listing), ignores + [ignore] if ignore else ignores, seen))
        entries, ignores, seen = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if entry.name == IGNORE_FILE:
            continue
        item = _visit(root, entry, rules, ignores, seen)
        if isinstance(item, tuple) and len(item) == 2 and item[0] == "folder":
            pending.append((entry.path, ignores, seen | {item[1]}))
        elif item is not None:
            yield item


def _visit(root: str, entry: os.DirEntry, rules: _Rules, ignores: list, seen: frozenset):
    """An Entry, a Problem, ("folder", its key) to descend into, or None to pass over."""
    try:
        st = entry.stat(follow_symlinks=True)  # cached by scandir on most systems: one stat per file
    except OSError as e:
        return Problem(entry.path, _stat_problem(e, entry.is_symlink()))
    is_dir = stat.S_ISDIR(st.st_mode)
    if (rules.exclude or ignores) and rules.excluded(root, entry.path, is_dir, ignores):
        return None
    if is_dir:
        key = (st.st_dev, st.st_ino)
        return Problem(entry.path, "symlink loop") if key in seen else ("folder", key)
    if rules.include and not rules.include.match_file(_relative(entry.path, root)):
        return None
    if not stat.S_ISREG(st.st_mode):
        return Problem(entry.path, _special(st.st_mode))
    if rules.max_size is not None and st.st_size > rules.max_size:
        return Problem(entry.path, "too large")
    return Entry(entry.path, st.st_size, st.st_mtime_ns, st.st_ino, stat.S_IMODE(st.st_mode), st.st_uid)


def parse_size(text: str) -> int:
    """'500MB' -> 524288000; plain digits are bytes."""
    text = text.strip().upper().removesuffix("B").removesuffix("I")
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)
