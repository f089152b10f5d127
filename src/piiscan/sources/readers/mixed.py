"""A codec for text files whose lines are in two encodings, UTF-8 and GBK (a CSV
appended to by two programs): each line is decoded as UTF-8 if it is valid UTF-8,
else as GB18030. Registered as "piiscan-mixed"; `detect_encoding` returns it when
a sample has both kinds of lines, so every reader opens such a file as usual."""

from __future__ import annotations

import codecs

NAME = "piiscan-mixed"
# What the reader says of such a file once it is read (its one line, as an error: the findings are kept).
NOTE = "lines in two encodings (UTF-8 and GBK): each line was decoded in its own; all read"
_MAX_PENDING = 1 << 20  # a line longer than this is decoded in pieces


def _utf8(line: bytes) -> str | None:
    """The line as UTF-8, or None. A GBK line can be valid UTF-8 by chance (its byte
    pairs read as Latin or Cyrillic letters): UTF-8 Chinese is three bytes a
    character, so a line with non-ASCII text counts as UTF-8 only with some of it."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if line.isascii() or any(c >= "\u0800" for c in text):
        return text
    return None


def _decode_line(line: bytes) -> str:
    text = _utf8(line)
    return text if text is not None else line.decode("gb18030", errors="replace")


class _Decoder(codecs.IncrementalDecoder):
    def __init__(self, errors: str = "strict"):
        super().__init__(errors)
        self.pending = b""

    def decode(self, data: bytes, final: bool = False) -> str:
        self.pending += data
        cut = self.pending.rfind(b"\n") + 1
        if not cut and len(self.pending) > _MAX_PENDING:
            cut = len(self.pending)
        if final:
            cut = len(self.pending)
        lines, self.pending = self.pending[:cut], self.pending[cut:]
        return "".join(_decode_line(line) for line in lines.splitlines(keepends=True))

    def reset(self) -> None:
        self.pending = b""

    def getstate(self):
        return self.pending, 0

    def setstate(self, state) -> None:
        self.pending = state[0]


def _decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
    return _Decoder(errors).decode(bytes(data), final=True), len(data)


def _search(name: str):
    if name.replace("_", "-") != NAME:
        return None
    return codecs.CodecInfo(name=NAME, encode=codecs.utf_8_encode, decode=_decode,
                            incrementaldecoder=_Decoder, incrementalencoder=codecs.getincrementalencoder("utf-8"),
                            streamreader=codecs.StreamReader, streamwriter=codecs.getwriter("utf-8"))


codecs.register(_search)


def is_mixed(sample: bytes) -> bool:
    """Lines with non-ASCII text both in valid UTF-8 and not."""
    utf8 = other = False
    lines = sample.splitlines()
    if lines and not sample.endswith((b"\n", b"\r")):
        lines = lines[:-1] or lines  # the last line may be cut by the sample
    for line in lines:
        if line.isascii():
            continue
        if _utf8(line) is not None:
            utf8 = True
        else:
            other = True
        if utf8 and other:
            return True
    return False
