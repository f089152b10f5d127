"""Legacy Word (.doc, .dot) and RTF through LibreOffice: the input is converted to
.docx in a private folder, redacted there by the docx writer, and converted back
to its own format, so the copy is a .doc (Word 97-2003) or an .rtf like the input.
No maintained Python library writes either format; LibreOffice reads and writes
both with tables, headers, footers, comments and properties, which the docx writer
then sees like any .docx.

soffice runs headless with a profile of its own (one per process, so parallel runs
and a user's open LibreOffice do not collide) and a timeout. Verification reads the
copy with the reader scan uses (catdoc, striprtf) and, converted to .docx once
more, with the docx writer's units (properties, comments, authors)."""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import ClassVar, Iterator, Optional

from piiscan.core.model import TextUnit
from piiscan.protect.writers.base import Spans
from piiscan.protect.writers.docx import TEXT_PARTS, DocxWriter
from piiscan.sources.readers.base import OLE_SIGNATURE, ReaderError
from piiscan.sources.readers.doc import DocReader
from piiscan.sources.readers.rtf import RtfReader

TIMEOUT_SECONDS = 180  # a first start creates the profile: several seconds
WORD_97 = 'doc:MS Word 97'
_lock = threading.Lock()  # one soffice at a time per profile
_profile: list[Path] = []


def soffice_unavailable() -> Optional[str]:
    """Why LibreOffice cannot be used, or None."""
    if shutil.which("soffice") is None:
        return "redacting this format needs LibreOffice (soffice), which is not installed " \
               "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui)"
    return None


def _profile_url() -> str:
    if not _profile:
        _profile.append(Path(tempfile.mkdtemp(prefix="piiscan-lo-profile-")))
        atexit.register(shutil.rmtree, _profile[0], True)
    return _profile[0].as_uri()


def convert(src: Path, target: str, folder: Path) -> Path:
    """`src` converted by LibreOffice to `target` (a suffix, or suffix:filter) in
    `folder`; one clear error when it cannot."""
    reason = soffice_unavailable()
    if reason:
        raise ReaderError(reason)
    command = [shutil.which("soffice"), "--headless", "--norestore", f"-env:UserInstallation={_profile_url()}",
               "--convert-to", target, "--outdir", str(folder), str(src)]
    with _lock:
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False,
                           stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ReaderError(f"LibreOffice took longer than {TIMEOUT_SECONDS} s") from None
    made = folder / f"{src.stem}.{target.split(':')[0]}"
    if not made.is_file() or made.stat().st_size == 0:
        raise ReaderError("LibreOffice could not convert it (corrupt or protected document)")
    return made


class _ThroughDocx:
    """Convert to .docx, redact with the docx writer, convert back to `back`."""

    back: ClassVar[str]
    reversible: ClassVar[bool] = True

    def __init__(self) -> None:
        self.notes: list[str] = []  # what the last write could not check (embedded pictures)

    def _check(self, src: Path) -> None:
        raise NotImplementedError

    def _read(self, path: Path) -> Iterator[TextUnit]:
        raise NotImplementedError

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        self._check(src)
        with tempfile.TemporaryDirectory(prefix="piiscan-lo-") as folder:
            work = Path(folder)
            (work / "in").mkdir()
            source = work / "in" / f"document{src.suffix.lower()}"  # soffice names its output after the input
            shutil.copyfile(src, source)
            redacted = work / "document.docx"
            (work / "out").mkdir()
            converted = convert(source, "docx", work / "in")
            writer = DocxWriter()
            writer.write(converted, redacted, spans)
            self.notes = writer.unchecked(converted)  # what its package pass dropped or could not read
            shutil.copyfile(convert(redacted, self.back, work / "out"), dst)

    def unchecked(self, path: Path) -> list[str]:
        return list(self.notes)

    def units(self, path: Path) -> Iterator[TextUnit]:
        yield from self._read(path)  # what scan reads
        with tempfile.TemporaryDirectory(prefix="piiscan-lo-check-") as folder:
            source = Path(folder) / f"copy{path.suffix.lower()}"
            shutil.copyfile(path, source)
            converted = convert(source, "docx", Path(folder) / "docx")
            yield from (unit for unit in DocxWriter().units(converted) if not _lone_run(unit))


class DocWriter(_ThroughDocx):
    """The copy is a Word 97-2003 .doc (LibreOffice's "MS Word 97" export), named
    like the input: a .doc goes back to whoever sent it as a .doc. A .doc that is
    really an RTF or a .docx (renamed) is written in that format, as it was."""

    name: ClassVar[str] = "doc"
    suffixes: ClassVar[tuple[str, ...]] = DocReader.suffixes
    back: ClassVar[str] = WORD_97

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        head = _head(src)
        if head.startswith(b"PK"):
            writer = DocxWriter()
            writer.write(src, dst, spans)
            self.notes = writer.unchecked(src)
        elif head.startswith(b"{\\rtf"):
            rtf = RtfWriter()
            rtf.write(src, dst, spans)
            self.notes = rtf.notes
        else:
            super().write(src, dst, spans)

    def _check(self, src: Path) -> None:
        if _head(src) != OLE_SIGNATURE:
            raise ReaderError("not a Word document (no OLE container)")
        DocReader._check_encryption(src)

    def _read(self, path: Path) -> Iterator[TextUnit]:
        return DocReader().read(path)

    def units(self, path: Path) -> Iterator[TextUnit]:
        head = _head(path)
        if head.startswith(b"PK"):
            return DocxWriter().units(path)
        if head.startswith(b"{\\rtf"):
            return RtfWriter().units(path)
        return super().units(path)


class RtfWriter(_ThroughDocx):
    """The copy is an .rtf (LibreOffice's RTF export: Chinese as \\uNNNN escapes),
    so it opens wherever the input did and scan reads it with the same reader."""

    name: ClassVar[str] = "rtf"
    suffixes: ClassVar[tuple[str, ...]] = RtfReader.suffixes
    back: ClassVar[str] = "rtf"

    def _check(self, src: Path) -> None:
        if not _head(src).lstrip().startswith(b"{\\rtf"):
            raise ReaderError("not an RTF document (no {\\rtf header)")

    def _read(self, path: Path) -> Iterator[TextUnit]:
        return RtfReader().read(path)


def _lone_run(unit: TextUnit) -> bool:
    """A run of a paragraph read alone from the package. LibreOffice cuts paragraphs
    into runs where the script changes (Chinese, digits, Latin): a run loses its
    sentence (上海 of 上海浦东发展银行 reads as an address), and its paragraph is
    read whole by the docx writer's units already."""
    part = "/" + str(unit.location.get("part", ""))
    return unit.location.get("element") == "t" and part.startswith(TEXT_PARTS)


def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(8)
