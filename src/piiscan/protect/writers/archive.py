"""Zip and tar archives: every member redacted with the writer of its own format
(an archive inside, recursively), the archive rebuilt with the same member names,
order, dates and compression. The reader's limits apply (readers.budget: bombs,
member count, nesting depth). A member no writer handles, a link or a device
entry, or a name that climbs out of the archive (../) is dropped, and the
manifest lists it (`unchecked`): nothing is passed through unread."""

from __future__ import annotations

import io
import tarfile
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import ClassVar, Iterator, Optional

from piiscan.core.model import TextUnit
from piiscan.protect.operators import apply
from piiscan.protect.writers.base import Spans
from piiscan.sources.readers.archive import ArchiveReader
from piiscan.sources.readers.base import ReaderError
from piiscan.sources.readers.budget import Budget

_TAR_MODES = {".tgz": "gz", ".gz": "gz", ".bz2": "bz2", ".tbz2": "bz2", ".xz": "xz", ".txz": "xz"}


class ArchiveWriter:
    name: ClassVar[str] = "archive"
    suffixes: ClassVar[tuple[str, ...]] = (".zip", ".tar", ".tgz", ".gz")
    reversible: ClassVar[bool] = True

    def __init__(self) -> None:
        self.dropped: list[str] = []

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        self.dropped = []
        self._write(src, dst, spans, 0, Budget(), "")

    def _write(self, src: Path, dst: Path, spans: Spans, depth: int, budget: Budget, prefix: str) -> None:
        budget.enter(depth)
        with tempfile.TemporaryDirectory(prefix="piiscan-archive-out-") as folder:
            if zipfile.is_zipfile(src):
                self._zip(src, dst, spans, depth, budget, Path(folder), prefix)
            elif tarfile.is_tarfile(src):
                self._tar(src, dst, spans, depth, budget, Path(folder), prefix)
            else:
                raise ReaderError("not a zip or tar archive (corrupt?)")

    def _member(self, name: str, data: bytes, spans: Spans, depth: int, budget: Budget, folder: Path,
                prefix: str) -> Optional[tuple[str, bytes]]:
        """(new name, redacted bytes) of one member, or None when it is dropped."""
        from piiscan.protect.writers import writer_for

        where = apply(f"{prefix}{name}", spans(f"{prefix}{name}", None))  # the manifest never shows PI
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts:
            self.dropped.append(f"{where}: a name outside the archive, dropped")
            return None
        writer = writer_for(Path(pure.name))
        if writer is None:
            self.dropped.append(f"{where}: no writer for {pure.suffix or 'files without a suffix'}, dropped")
            return None
        budget.spend(len(data), members=1)
        number = len(list(folder.iterdir()))
        source, target = folder / f"{number}-in{pure.suffix}", folder / f"{number}-out{pure.suffix}"
        source.write_bytes(data)
        if isinstance(writer, ArchiveWriter):
            self._write(source, target, spans, depth + 1, budget, f"{where}/")
        else:
            writer.write(source, target, spans)
        stem = apply(pure.stem, spans(pure.stem, None))  # a member named after a client
        return str(pure.with_name(stem + pure.suffix)) if stem != pure.stem else name, target.read_bytes()

    def _zip(self, src, dst, spans, depth, budget, folder, prefix) -> None:
        ArchiveReader._zip_members(src, budget)  # the reader's checks: encrypted, bombs, count, size
        with zipfile.ZipFile(src) as archive, zipfile.ZipFile(dst, "w") as out:
            for info in archive.infolist():
                if info.is_dir():
                    out.writestr(info, b"")
                    continue
                done = self._member(info.filename, archive.read(info), spans, depth, budget, folder, prefix)
                if done:
                    copy = zipfile.ZipInfo(done[0], date_time=info.date_time)
                    copy.compress_type, copy.external_attr = info.compress_type, info.external_attr
                    out.writestr(copy, done[1])

    def _tar(self, src, dst, spans, depth, budget, folder, prefix) -> None:
        ArchiveReader._tar_members(src, budget)
        compression = _TAR_MODES.get(src.suffix.lower(), "")
        with tarfile.open(src) as archive, tarfile.open(dst, f"w:{compression}" if compression else "w") as out:
            for info in archive.getmembers():
                if info.isdir():
                    out.addfile(info)
                    continue
                if not info.isfile():
                    shown = apply(f"{prefix}{info.name}", spans(f"{prefix}{info.name}", None))
                    self.dropped.append(f"{shown}: a link or special entry, dropped")
                    continue
                done = self._member(info.name, archive.extractfile(info).read(), spans, depth, budget, folder, prefix)
                if done:
                    copy = tarfile.TarInfo(done[0])
                    copy.size, copy.mtime, copy.mode = len(done[1]), info.mtime, info.mode
                    out.addfile(copy, io.BytesIO(done[1]))

    def units(self, path: Path) -> Iterator[TextUnit]:
        """The copy read back by the archive reader, member names included."""
        yield from ArchiveReader().read(path)
        for name in _member_names(path):
            yield TextUnit(PurePosixPath(name).stem, {"member": name, "part": "name"})

    def unchecked(self, path: Path) -> list[str]:
        return list(self.dropped)


def _member_names(path: Path) -> list[str]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return [i.filename for i in archive.infolist() if not i.is_dir()]
    with tarfile.open(path) as archive:
        return [m.name for m in archive.getmembers() if m.isfile()]
