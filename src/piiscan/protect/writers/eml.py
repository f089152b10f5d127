"""E-mail (.eml): address and subject headers (display names and addresses), every
text body part in its own charset (HTML through the HTML writer), and attachments
redacted recursively by the writers of their formats (a zip, an xlsx, another
e-mail), within the limits of readers.budget; the MIME structure is rebuilt by the
standard library so mail clients open it. An attachment no writer handles is
dropped and listed in the manifest (`unchecked`)."""

from __future__ import annotations

import email
import email.policy
import tempfile
from email.errors import HeaderParseError
from email.headerregistry import Address
from pathlib import Path
from typing import ClassVar, Iterator

from piiscan.core.model import TextUnit
from piiscan.protect.operators import apply
from piiscan.protect.writers.base import Spans
from piiscan.sources.readers.budget import Budget
from piiscan.sources.readers.email import HEADERS, NAME_HEADER, EmlReader


class EmlWriter:
    name: ClassVar[str] = "eml"
    suffixes: ClassVar[tuple[str, ...]] = EmlReader.suffixes
    reversible: ClassVar[bool] = True

    def __init__(self) -> None:
        self.dropped: list[str] = []

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        self.dropped = []
        dst.write_bytes(self._message(src.read_bytes(), spans, 0, Budget(), ""))

    def _message(self, raw: bytes, spans: Spans, depth: int, budget: Budget, prefix: str) -> bytes:
        budget.enter(depth)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        for name in HEADERS:
            values = message.get_all(name, [])
            if values:
                del message[name]
                for value in values:
                    message[name] = _header(name, value, spans)
        with tempfile.TemporaryDirectory(prefix="piiscan-eml-out-") as folder:
            for part in list(message.walk()):
                if part.is_multipart():
                    continue
                if part.get_filename():
                    self._attachment(message, part, spans, depth, budget, Path(folder), prefix)
                elif part.get_content_type() in ("text/plain", "text/html"):
                    self._body(part, spans)
        return bytes(message)

    @staticmethod
    def _body(part, spans: Spans) -> None:
        from piiscan.protect.writers.html import rewrite_html

        charset = part.get_content_charset() or "utf-8"
        try:
            text = part.get_content()
        except (LookupError, UnicodeDecodeError):  # an unknown or wrong charset
            text, charset = part.get_payload(decode=True).decode("gb18030", errors="replace"), "utf-8"
        if part.get_content_type() == "text/html":
            new = rewrite_html(text, spans)
        else:
            new = apply(text, spans(text, None))
        try:
            part.set_content(new, subtype=part.get_content_subtype(), charset=charset)
        except (LookupError, UnicodeEncodeError):  # a character the old charset cannot hold
            part.set_content(new, subtype=part.get_content_subtype(), charset="utf-8")

    def _attachment(self, message, part, spans: Spans, depth: int, budget: Budget, folder: Path,
                    prefix: str) -> None:
        from piiscan.protect.writers import writer_for

        filename = Path(part.get_filename()).name or "attachment"
        shown = apply(f"{prefix}{filename}", spans(f"{prefix}{filename}", None))
        writer = writer_for(Path(filename))
        payload = part.get_payload(decode=True) or b""
        budget.spend(len(payload), members=1)
        if writer is None:
            self.dropped.append(f"{shown}: no writer for {Path(filename).suffix or 'files without a suffix'}, dropped")
            _remove(message, part)
            return
        number = len(list(folder.iterdir()))
        source, target = folder / f"{number}-in{Path(filename).suffix}", folder / f"{number}-out{Path(filename).suffix}"
        source.write_bytes(payload)
        if isinstance(writer, EmlWriter):
            target.write_bytes(self._message(payload, spans, depth + 1, budget, f"{shown}/"))
        else:
            writer.write(source, target, spans)
            self.dropped.extend(f"{shown}/{note}" for note in getattr(writer, "dropped", []))
        stem = apply(Path(filename).stem, spans(Path(filename).stem, None))
        maintype, subtype = part.get_content_type().split("/", 1)
        part.set_content(target.read_bytes(), maintype=maintype, subtype=subtype,
                         filename=stem + Path(filename).suffix)

    def units(self, path: Path) -> Iterator[TextUnit]:
        return EmlReader().read(path)

    def unchecked(self, path: Path) -> list[str]:
        return list(self.dropped)


def _header(name: str, value, spans: Spans) -> str:
    """An address header address by address (the display name read as a name), or
    the subject as a text."""
    addresses = getattr(value, "addresses", ())
    if not addresses:
        text = str(value)
        return apply(text, spans(text, name))
    shown = []
    for address in addresses:
        display = apply(address.display_name, spans(address.display_name, NAME_HEADER))
        spec = apply(address.addr_spec, spans(address.addr_spec, None))
        try:
            shown.append(str(Address(display_name=display, addr_spec=spec)))
        except (ValueError, IndexError, HeaderParseError):  # a replacement that is no address (<电子邮件地址>)
            shown.append(f"{display} <{spec}>" if display else spec)
    return ", ".join(shown)


def _remove(message, part) -> None:
    """Take an attachment out of the message tree."""
    for container in message.walk():
        if container.is_multipart():
            payload = container.get_payload()
            if part in payload:
                payload.remove(part)
                return
