"""Zip and tar archives, read member by member through the other readers, with
limits that stop zip bombs: member count, total uncompressed size, compression
ratio and nesting depth. A bomb is reported, never expanded."""

from __future__ import annotations

import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import ClassVar, Iterator

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError


@dataclass(frozen=True)
class Limits:
    members: int = 10_000
    total_bytes: int = 1 << 30  # 1 GiB uncompressed for one archive, nested ones included
    ratio: int = 200            # uncompressed / compressed, per member
    depth: int = 3


LIMITS = Limits()


class ArchiveReader:
    name: ClassVar[str] = "archive"
    suffixes: ClassVar[tuple[str, ...]] = (".zip", ".tar", ".tgz", ".gz")  # .tar.gz ends in .gz

    def read(self, path: Path, depth: int = 0) -> Iterator[TextUnit]:
        if depth > LIMITS.depth:
            raise ReaderError(f"archives nested deeper than {LIMITS.depth} levels")
        if zipfile.is_zipfile(path):
            members = self._zip_members(path)
        elif tarfile.is_tarfile(path):
            members = self._tar_members(path)
        else:
            raise ReaderError("not a zip or tar archive (corrupt?)")
        failures: list[str] = []
        yield from self._read_members(members, depth, failures)
        if failures:
            raise ReaderError(f"{len(failures)} member(s) unreadable: {'; '.join(failures[:5])}")

    def _read_members(self, members, depth: int, failures: list[str]) -> Iterator[TextUnit]:
        from piiscan.sources.readers import reader_for

        with tempfile.TemporaryDirectory(prefix="piiscan-archive-") as folder:
            for number, (name, opener) in enumerate(members, start=1):
                reader = reader_for(PurePosixPath(name))
                if reader is None:
                    continue
                local = Path(folder) / f"{number}{PurePosixPath(name).suffix}"
                with opener() as source, local.open("wb") as target:
                    while chunk := source.read(1 << 20):
                        target.write(chunk)
                try:
                    units = reader.read(local, depth + 1) if isinstance(reader, ArchiveReader) else reader.read(local)
                    for unit in units:
                        yield TextUnit(unit.text, {"member": name} | unit.location, unit.header, unit.first_line)
                except ReaderError as e:
                    failures.append(f"{name} ({e})")
                finally:
                    local.unlink(missing_ok=True)

    @staticmethod
    def _zip_members(path: Path):
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
        ArchiveReader._check(len(infos), sum(i.file_size for i in infos))
        for info in infos:
            if info.flag_bits & 0x1:
                raise ReaderError("encrypted (password-protected) archive")
            if info.compress_size and info.file_size / info.compress_size > LIMITS.ratio:
                raise ReaderError(f"zip bomb suspected: a member expands {info.file_size // info.compress_size}:1")

        def members():
            with zipfile.ZipFile(path) as archive:
                for info in infos:
                    yield info.filename, lambda info=info: archive.open(info)
        return members()

    @staticmethod
    def _tar_members(path: Path):
        with tarfile.open(path) as archive:
            infos = [m for m in archive.getmembers() if m.isfile()]
        ArchiveReader._check(len(infos), sum(m.size for m in infos))
        if path.stat().st_size and sum(m.size for m in infos) / path.stat().st_size > LIMITS.ratio:
            raise ReaderError("tar bomb suspected: it expands more than "
                              f"{LIMITS.ratio}:1")

        def members():
            with tarfile.open(path) as archive:
                for info in infos:
                    yield info.name, lambda info=info: archive.extractfile(info)
        return members()

    @staticmethod
    def _check(count: int, total: int) -> None:
        if count > LIMITS.members:
            raise ReaderError(f"archive has {count} members, more than the limit of {LIMITS.members}")
        if total > LIMITS.total_bytes:
            raise ReaderError(f"archive expands to {total:,} bytes, more than the limit of {LIMITS.total_bytes:,}")
