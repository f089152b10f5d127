"""A codec for text files whose lines are in two encodings, UTF-8 and GBK (a CSV
appended to by two programs): each line is decoded as UTF-8 if it is valid UTF-8,
else as GB18030. Registered as "piiscan-mixed"; `detect_encoding` returns it when
a sample has both kinds of lines, so every reader opens such a file as usual."""

from __future__ import annotations

import codecs

NAME = "piiscan-mixed"
_MAX_PENDING = 1 << 20  # a line longer than this is decoded in pieces


def _decode_line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("gb18030", errors="replace")


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
    for line in sample.splitlines()[:-1] or sample.splitlines():  # the last line may be cut by the sample
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            other = True
        if utf8 and other:
            return True
    return False
