"""Over-exposure flags: the access-control and retention duties a firm owes its
clients' data (PIPL Art. 51 security measures, Art. 19/47 retention and deletion).

- C2+ / level 3+ personal information in a file other users can read
  (world-readable) or change (group- or world-writable);
- personal information in a file not modified for longer than the retention
  period (e.g. five years after the client relationship ended).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Optional

from piiscan.core.tiers import rank

DEFAULT_RETENTION = "5y"
FLAG_LABELS = {"world_readable": "其他用户可读 world-readable", "group_writable": "同组可写 group-writable",
               "world_writable": "其他用户可写 world-writable", "retention_exceeded": "超过保存期限 retention exceeded"}
_PERIOD = re.compile(r"(\d+)\s*([dmy])", re.IGNORECASE)


def parse_retention(text: str) -> Optional[timedelta]:
    """'5y', '18m', '1825d' (or 'off'): a period; y = 365 days, m = 30 days."""
    if text.strip().lower() in ("off", "none", "0"):
        return None
    match = _PERIOD.fullmatch(text.strip())
    if not match:
        raise ValueError("--retention takes a period like 5y, 18m or 1825d, or off")
    days = int(match.group(1)) * {"d": 1, "m": 30, "y": 365}[match.group(2).lower()]
    return timedelta(days=days)


def sensitive_enough(row: dict) -> bool:
    """JR/T 0171 C2 or above, or JR/T 0197 level 3 or above."""
    return rank(row.get("jrt0171")) >= 2 or (row.get("jrt0197") or 0) >= 3


def flags(row: dict, now: datetime, retention: Optional[timedelta]) -> list[tuple[str, str]]:
    """(flag, detail) pairs for one file row (mode, mtime_ns, jrt0171, jrt0197 set)."""
    found: list[tuple[str, str]] = []
    mode = row.get("mode_bits")
    if mode is not None and sensitive_enough(row):
        if mode & 0o004:
            found.append(("world_readable", "C2+/级别3+ 个人信息，其他用户可读 (o+r)"))
        if mode & 0o020:
            found.append(("group_writable", "C2+/级别3+ 个人信息，同组用户可写 (g+w)"))
        if mode & 0o002:
            found.append(("world_writable", "C2+/级别3+ 个人信息，其他用户可写 (o+w)"))
    mtime_ns = row.get("mtime_ns")
    has_pi = (row.get("jrt0171") or "none") != "none" or bool(row.get("pipl_sensitive"))
    if retention is not None and mtime_ns is not None and has_pi:
        modified = datetime.fromtimestamp(mtime_ns / 1e9, timezone.utc)
        if now - modified > retention:
            days = (now - modified).days
            found.append(("retention_exceeded", f"{days} 天未修改 not modified for {days} days "
                                                f"(retention {retention.days} days)"))
    return found
