"""One redaction (or unredaction) run: plan the output paths, refuse unsafe
ones, write each file with its writer, verify it, and write the manifest."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from cryptography.exceptions import InvalidTag

from piiscan import __version__
from piiscan.core.fingerprint import create_key, default_key_file, key_id, load_key
from piiscan.sources.readers import ReaderError, reader_for
from piiscan.sources.readers.sniff import TEXT_SUFFIXES, real_suffix
from piiscan.protect.manifest import MANIFEST_NAME, FileEntry, Manifest, sha256
from piiscan.protect.operators import Redactor, Unredactor
from piiscan.protect.rerun import ForeignManifest, previous_outputs, remove_stale
from piiscan.protect.verify import name_findings, verify
from piiscan.protect.writers import writer_for
from piiscan.core.errors import safe_reason
from piiscan.sources.walk import Problem, shown, walk

EXIT_OK, EXIT_USAGE, EXIT_LEAK, EXIT_ERRORS = 0, 2, 3, 4
_KEY_FILES: list[Path] = []  # key files read by this process (--key-file): never redacted as inputs


class RedactUsageError(ValueError):
    """Unsafe or impossible paths, a missing key: exit code 2."""


def read_key(key_file: Optional[Path], create: bool) -> bytes:
    """The key in `key_file` (created with 0600 when missing and `create`), else
    piiscan's usual key (PIISCAN_KEY, PIISCAN_KEY_FILE, ~/.config/piiscan/key)."""
    if key_file is not None:
        _KEY_FILES.append(key_file)
    if key_file is None:
        return load_key()
    if not key_file.exists():
        if not create:
            raise RedactUsageError(f"no such key file: {key_file}")
        create_key(key_file)  # the fingerprint key's way: all or nothing, 0600
    key = key_file.read_bytes().strip()
    if not key:
        raise RedactUsageError(f"empty key file: {key_file}")
    return key


def input_files(folder: Path, problems: list[str]) -> Iterator[Path]:
    """The files of an input folder by the one walker. What it does not read (special
    files, unreadable folders) and links leading out of the folder or to the key file
    are left out, each with a line in `problems`."""
    inside = folder.resolve()
    for item in walk([folder]):
        if isinstance(item, Problem):
            if item.reason != "vanished":
                problems.append(f"{shown(item.path)}: not redacted: {item.reason}")
            continue
        path = Path(item.path)
        if path.name != MANIFEST_NAME and _readable_input(path, inside, problems):
            yield path  # a previous run's manifest is not an input: this run writes its own


def _readable_input(path: Path, inside: Path, problems: list[str]) -> bool:
    """False, with the reason, for a link that leads out of the input folder or to a key file."""
    target = path.resolve()
    if target in {default_key_file().resolve(), *(k.resolve() for k in _KEY_FILES)}:
        problems.append(f"{shown(path)}: not redacted: it is the key file")
        return False
    if path.is_symlink() and inside != target.parent and inside not in target.parents:
        problems.append(f"{shown(path)}: not redacted: a link to a file outside the input folder")
        return False
    return True


def plan(inputs: Iterable[Path], out: Path, problems: Optional[list[str]] = None) -> list[tuple[Path, Path]]:
    """(input file, output file) pairs: a folder's tree is mirrored under `out`,
    a file goes to out/<its name>. Refuses an output folder inside an input
    folder, an output over an input, and two inputs writing the same output.
    Files the walker or the link rules leave out go to `problems`, one line each."""
    problems = [] if problems is None else problems
    inputs = list(inputs)
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        raise RedactUsageError(f"no such file or folder: {', '.join(missing)}")
    if out.exists() and not out.is_dir():
        raise RedactUsageError(f"--out {out} is a file, not a folder")
    out_resolved = out.resolve()
    pairs: list[tuple[Path, Path]] = []
    for given in inputs:
        root = given.resolve()
        if given.is_dir():
            if out_resolved == root or root in out_resolved.parents:
                raise RedactUsageError(f"--out {out} is inside the input folder {given}: choose a folder outside it")
            pairs.extend((f, out / f.relative_to(given)) for f in input_files(given, problems))
        elif _readable_input(given, given.resolve().parent, problems):
            pairs.append((given, out / given.name))
    sources = {src.resolve() for src, _ in pairs}
    folders = [p.resolve() for p in inputs if p.is_dir()]
    targets: dict[Path, Path] = {}
    for src, dst in pairs:
        target = dst.resolve()
        if target in sources:
            raise RedactUsageError(f"refusing to write over an input: {dst}")
        if any(folder in target.parents for folder in folders):
            raise RedactUsageError(f"refusing to write into an input folder: {dst}")
        if target in targets:
            raise RedactUsageError(f"{src} and {targets[target]} would both be written to {dst}")
        targets[target] = src
    return pairs


@dataclass
class Outcome:
    manifest: Manifest
    manifest_path: Path
    exit_code: int
    messages: list[str] = field(default_factory=list)  # one line each, no values
    # per verified copy: (copy, Counter of (entity, canonical value, shown)) for the sharing register;
    # in memory only, never written as such
    shared: list = field(default_factory=list)


def _make_folders(folder: Path) -> None:
    """mkdir -p one level at a time: pathlib's mkdir(parents=True) recurses, and an
    input tree can be deeper than Python's recursion limit."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for level in reversed(missing):
        level.mkdir(exist_ok=True)


class OutputRefused(Exception):
    """A destination that would write outside --out: one file's one-line error."""


def _checked_folder(dst: Path, out: Path) -> None:
    """Refuse a destination reached through a symbolic link inside --out (it could
    point anywhere), then create its folders."""
    folder, below = dst.parent, []
    while folder != out and folder != folder.parent:
        below.append(folder)
        folder = folder.parent
    for level in reversed(below):
        if level.is_symlink():
            raise OutputRefused(f"{shown(level)} is a symbolic link inside --out: not written through")
    _make_folders(dst.parent)


def _temporary(dst: Path) -> Path:
    """A new file beside `dst`, with its suffix (writers pick formats by it). Created
    exclusively: nothing already there, a link or a hard link, is written through."""
    fd, name = tempfile.mkstemp(prefix=f".{dst.stem[:40]}.", suffix=f".piiscan-tmp{dst.suffix}", dir=dst.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)  # as an ordinary new file would be
    return Path(name)


def _write(src: Path, tmp: Path, writer, spans) -> None:
    try:
        writer.write(src, tmp, spans)
    except BaseException:
        tmp.unlink(missing_ok=True)  # never leave a half-written copy
        raise


def _previous(out: Path) -> dict:
    """The copies an earlier run wrote into `out` (protect.rerun)."""
    try:
        return previous_outputs(out) if out.is_dir() else {}
    except ForeignManifest as e:
        raise RedactUsageError(str(e)) from None


def _second_pass(src: Path, tmp: Path, writer, redactor: Redactor, leaks) -> tuple[list, int]:
    """What verification found in the copy (a name seen only on a second look, in
    a sentence the first pass read differently) is added to the values found
    everywhere, and the copy is written again from the input. Only what is still
    there afterwards fails the file, with the part that holds it."""
    for leak in leaks:
        redactor.known.add(leak.value, leak.entity_type, leak.score)
    redactor.take_counts()  # the first copy's counts are not the copy's
    redactor.take_shared()
    _write(src, tmp, writer, redactor)
    return verify(tmp, writer, redactor), len({leak.value for leak in leaks})


def _learn(src: Path, redactor: Redactor, writer) -> None:
    """Column inference over the input's tables (protect.known): the names a column
    decides on are then redacted, and verified, wherever they occur in the file. A
    writer whose units are the whole content (every row of a database, where the
    reader samples) is read instead of the reader."""
    reader = reader_for(src)
    units = writer.units(src) if getattr(writer, "all_rows", False) else reader.read(src) if reader else []
    redactor.known.learn(redactor.detector, units)


def _error(e: BaseException) -> str:
    if isinstance(e, (ReaderError, OutputRefused)):
        return str(e)
    if isinstance(e, InvalidTag):
        return "cannot decrypt a token (wrong key, or the token was altered)"
    if isinstance(e, OSError):
        return f"cannot read or write: {e.strerror or type(e).__name__}"
    return safe_reason(e)


def _entries(pairs, writers, manifest: Manifest,
             refused: Optional[list] = None) -> Iterator[tuple[Path, Path, object, FileEntry]]:
    """(input, output, its writer, its manifest entry) for each file a writer handles;
    the others are listed in the manifest as skipped."""
    planned = {dst.resolve() for _, dst in pairs}
    for src, dst in pairs:
        writer = writers(src)
        if writer is None:
            manifest.skipped.append(shown(src))
            continue
        dst, clash = _output_name(dst, writer, planned)
        entry = FileEntry(shown(src), shown(dst), writer.name, sha256(src))
        if clash:
            entry.output, entry.error = None, f"its copy would be {shown(dst)}, the copy of another input"
            if refused is not None:
                refused.append(f"{shown(src)}: not redacted: {entry.error}")
            manifest.files.append(entry)
            continue
        manifest.files.append(entry)
        real = real_suffix(src) if src.suffix.lower() in TEXT_SUFFIXES else None
        if real:  # the text writer would copy a renamed workbook's bytes: refused, not leaked
            entry.output, entry.error = None, f"its content is a {real} file, not {src.suffix}: rename it to redact it"
            if refused is not None:
                refused.append(f"{shown(src)}: not redacted: {entry.error}")
            continue
        yield src, dst, writer, entry


def _output_name(dst: Path, writer, planned: set) -> tuple[Path, bool]:
    """The copy's name: a writer whose copy is in another format (xls → xlsx) says
    so with `output_suffix`. True when that name is another input's copy."""
    suffix = getattr(writer, "output_suffix", None)
    if not suffix or dst.suffix.lower() == suffix:
        return dst, False
    renamed = dst.with_suffix(suffix)
    if renamed.resolve() in planned:
        return renamed, True
    planned.add(renamed.resolve())
    return renamed, False


def redact(inputs: list[Path], out: Path, redactor: Redactor,
           progress: Callable[[str], None] = lambda line: None, writers=writer_for) -> Outcome:
    """Redact every file under `inputs` into `out`. `writers` picks the writer of a
    file (the registered ones by default)."""
    problems: list[str] = []
    pairs = plan(inputs, out, problems)
    previous = _previous(out)
    profile, policy = redactor.profile, redactor.policy
    manifest = Manifest("redact", profile.profile, redactor.operator or profile.operator, key_id(redactor.key),
                        __version__, policy.policy, policy.version, redactor.detector.min_score,
                        clear=sorted(profile.clear), operators={} if redactor.operator else dict(profile.operators))
    messages, code = list(problems), EXIT_ERRORS if problems else EXIT_OK
    shared: list = []
    for src, dst, writer, entry in _entries(pairs, writers, manifest, messages):
        tmp = None
        try:
            _checked_folder(dst, out)
            tmp = _temporary(dst)
            _learn(src, redactor, writer)
            _write(src, tmp, writer, redactor)
            leaks = verify(tmp, writer, redactor)  # under its temporary name: an unverified copy is never in place
            if leaks:
                leaks, entry.second_pass = _second_pass(src, tmp, writer, redactor, leaks)
            entry.counts = redactor.take_counts()
        except Exception as e:  # a corrupt or encrypted input, a crash in verification: reported, the run goes on
            if tmp is not None:
                tmp.unlink(missing_ok=True)
            redactor.take_counts()
            redactor.take_shared()
            entry.output, entry.error = None, _error(e)
            messages.append(f"{shown(src)}: not redacted: {entry.error}")
            code = EXIT_LEAK if code == EXIT_LEAK else EXIT_ERRORS
            continue
        entry.verified = not leaks
        entry.leaks = [leak.describe() for leak in leaks]
        unchecked = getattr(writer, "unchecked", None)
        entry.unchecked = unchecked(src) if unchecked and not leaks else []  # of the input: the burnt-in pages are ours
        messages.extend(f"warning: {shown(dst)}: {note}" for note in entry.unchecked)
        entry.name_holds = name_findings(dst, redactor)
        if entry.name_holds:
            messages.append(f"warning: the file name of {shown(dst)} holds {', '.join(entry.name_holds)}; "
                            "file names are kept as they are: rename it before sharing")
        if leaks:
            tmp.unlink()  # an output that leaks is not left where it could be shared
            redactor.take_shared()
            entry.output = None
            code = EXIT_LEAK
            for leak in entry.leaks:
                messages.append(f"{shown(src)}: verification failed, output removed: {leak}")
        else:
            os.replace(tmp, dst)  # replaces a link or a hard-linked name, never writes through it
            entry.output_sha256 = sha256(dst)
            shared.append((shown(dst), redactor.take_shared()))
            progress(f"{shown(src)} -> {shown(dst)}")
    if any(f.error and f.output is None for f in manifest.files) and code == EXIT_OK:
        code = EXIT_ERRORS
    manifest.removed, notes = remove_stale(previous, {dst.resolve() for _, dst in pairs}, out)
    messages.extend(notes)
    out.mkdir(parents=True, exist_ok=True)
    return Outcome(manifest, manifest.write(out), code, messages, shared)


def unredact(inputs: list[Path], out: Path, key: bytes) -> Outcome:
    pairs = plan(inputs, out)
    unredactor = Unredactor(key)
    manifest = Manifest("unredact", "", "decrypt", key_id(key), __version__, "", "", 0.0)
    messages, code = [], EXIT_OK
    for src, dst, writer, entry in _entries(pairs, writer_for, manifest):
        if not writer.reversible:
            entry.output, entry.error = None, f"{writer.name} redaction is burnt in and cannot be reversed"
        else:
            try:
                _checked_folder(dst, out)
                tmp = _temporary(dst)
                _write(src, tmp, writer, unredactor)
                os.replace(tmp, dst)
                entry.counts = unredactor.take_counts()
                entry.output_sha256 = sha256(dst)
                continue
            except Exception as e:
                unredactor.take_counts()
                entry.output, entry.error = None, _error(e)
        messages.append(f"{shown(src)}: not restored: {entry.error}")
        code = EXIT_ERRORS
    out.mkdir(parents=True, exist_ok=True)
    return Outcome(manifest, manifest.write(out), code, messages)
