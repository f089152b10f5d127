"""Error lines that are safe to print: an exception's message can quote the data
being read (a cell value, an e-mail address), so digit runs and addresses go."""

from __future__ import annotations

import re

_NUMBERISH = re.compile(r"\d[\d\s-]{4,}\d|[^\s@]+@[^\s@]+")


def safe_reason(error: BaseException) -> str:
    """One line about an unexpected error, with anything that looks like a value removed."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    text = _NUMBERISH.sub("<redacted>", text)[:200]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
