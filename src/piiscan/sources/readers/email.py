from __future__ import annotations

import dataclasses
import email
import email.policy
import tempfile
from pathlib import Path
from typing import ClassVar, Iterator

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError
from piiscan.sources.readers.budget import Budget, budget_for

NAME_HEADER = "姓名"  # context for a display name, as for a document's author

HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Subject")


class EmlReader:
    """E-mail (.eml): address and subject headers, text and HTML bodies in any
    declared charset, and attachments read by their own readers, recursively."""

    name: ClassVar[str] = "eml"
    suffixes: ClassVar[tuple[str, ...]] = (".eml",)
    nested: ClassVar[bool] = True  # a container: read(path, depth, budget) (readers.budget)

    def read(self, path: Path, depth: int = 0, budget: Budget | None = None) -> Iterator[TextUnit]:
        budget = budget_for(budget)
        budget.enter(depth)
        with path.open("rb") as fh:
            message = email.message_from_binary_file(fh, policy=email.policy.default)
        if not message.keys():
            raise ReaderError("not an e-mail message (no headers)")
        for name in HEADERS:
            for value in message.get_all(name, []):
                if str(value).strip():
                    yield TextUnit(str(value), {"header": name}, header=name)
                for address in getattr(value, "addresses", ()):  # 王芳 <wf@…>: the display name is a name
                    if address.display_name.strip():
                        yield TextUnit(address.display_name, {"header": name, "part": "display name"}, NAME_HEADER)
        failures: list[str] = []
        for number, part in enumerate(message.walk(), start=1):
            if part.is_multipart():
                continue
            filename = part.get_filename()
            if filename:
                yield from self._attachment(part, filename, depth, budget, failures)
            elif part.get_content_type() in ("text/plain", "text/html"):
                yield from self._body(part, number)
        if failures:
            raise ReaderError(f"{len(failures)} attachment(s) unreadable: {'; '.join(failures)}")

    @staticmethod
    def _body(part, number: int) -> Iterator[TextUnit]:
        try:
            text = part.get_content()
        except (LookupError, UnicodeDecodeError):  # an unknown or wrong charset
            text = part.get_payload(decode=True).decode("gb18030", errors="replace")
        if part.get_content_type() == "text/html":
            from piiscan.sources.readers.html import html_units

            for unit in html_units(text):
                yield dataclasses.replace(unit, location={"part": number} | unit.location)
            return
        yield TextUnit(text, {"part": number}, first_line=1)

    def _attachment(self, part, filename: str, depth: int, budget: Budget, failures: list[str]) -> Iterator[TextUnit]:
        from piiscan.sources.readers import read_nested, reader_for

        name = Path(filename).name or "attachment"
        reader = reader_for(Path(name))
        if reader is None:
            return
        payload = part.get_payload(decode=True) or b""
        budget.spend(len(payload), members=1)  # over the file's limit: the error ends the reading of the file
        with tempfile.TemporaryDirectory(prefix="piiscan-eml-") as folder:
            member = Path(folder) / name
            member.write_bytes(payload)
            try:
                for unit in read_nested(reader, member, depth + 1, budget):
                    yield TextUnit(unit.text, {"attachment": name} | unit.location, unit.header, unit.first_line)
            except ReaderError as e:
                if "limit" in str(e) or "nested deeper" in str(e):
                    raise
                failures.append(f"{name} ({e})")
