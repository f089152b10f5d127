"""Zip and tar archives, read member by member through the other readers, with
limits that stop zip bombs: member count, total uncompressed size, compression
ratio and nesting depth, counted over everything nested in the file (readers.budget).
A bomb is reported, never expanded."""

from __future__ import annotations

import tarfile
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import ClassVar, Iterator

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError
from piiscan.sources.readers.budget import Budget, budget_for


class ArchiveReader:
    name: ClassVar[str] = "archive"
    suffixes: ClassVar[tuple[str, ...]] = (".zip", ".tar", ".tgz", ".gz")  # .tar.gz ends in .gz
    nested: ClassVar[bool] = True  # a container: read(path, depth, budget) (readers.budget)

    def read(self, path: Path, depth: int = 0, budget: Budget | None = None) -> Iterator[TextUnit]:
        budget = budget_for(budget)
        budget.enter(depth)
        if zipfile.is_zipfile(path):
            members = self._zip_members(path, budget)
        elif tarfile.is_tarfile(path):
            members = self._tar_members(path, budget)
        else:
            raise ReaderError("not a zip or tar archive (corrupt?)")
        failures: list[str] = []
        yield from self._read_members(members, depth, budget, failures)
        if failures:
            raise ReaderError(f"{len(failures)} member(s) unreadable: {'; '.join(failures[:5])}")

    def _read_members(self, members, depth: int, budget: Budget, failures: list[str]) -> Iterator[TextUnit]:
        from piiscan.sources.readers import read_nested, reader_for

        with tempfile.TemporaryDirectory(prefix="piiscan-archive-") as folder:
            for number, (name, opener) in enumerate(members, start=1):
                reader = reader_for(PurePosixPath(name))
                if reader is None:
                    continue
                local = Path(folder) / f"{number}{PurePosixPath(name).suffix}"
                try:
                    with opener() as source, local.open("wb") as target:
                        while chunk := source.read(1 << 20):
                            target.write(chunk)
                            budget.spend(len(chunk))
                    budget.spend(0, members=1)
                    for unit in read_nested(reader, local, depth + 1, budget):
                        yield TextUnit(unit.text, {"member": name} | unit.location, unit.header, unit.first_line)
                except ReaderError as e:
                    if "limit" in str(e) or "nested deeper" in str(e):
                        raise  # the file's budget is spent: nothing more of it is read
                    failures.append(f"{name} ({e})")
                finally:
                    local.unlink(missing_ok=True)

    @staticmethod
    def _zip_members(path: Path, budget: Budget):
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
        budget.check(len(infos), sum(i.file_size for i in infos))
        for info in infos:
            if info.flag_bits & 0x1:
                raise ReaderError("encrypted (password-protected) archive")
            if info.compress_size and info.file_size / info.compress_size > budget.limits.ratio:
                raise ReaderError(f"zip bomb suspected: a member expands {info.file_size // info.compress_size}:1")

        def members():
            with zipfile.ZipFile(path) as archive:
                for info in infos:
                    yield info.filename, lambda info=info: archive.open(info)
        return members()

    @staticmethod
    def _tar_members(path: Path, budget: Budget):
        with tarfile.open(path) as archive:
            infos = [m for m in archive.getmembers() if m.isfile()]
        budget.check(len(infos), sum(m.size for m in infos))
        if path.stat().st_size and sum(m.size for m in infos) / path.stat().st_size > budget.limits.ratio:
            raise ReaderError("tar bomb suspected: it expands more than "
                              f"{budget.limits.ratio}:1")

        def members():
            with tarfile.open(path) as archive:
                for info in infos:
                    yield info.name, lambda info=info: archive.extractfile(info)
        return members()
