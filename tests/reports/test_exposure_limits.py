"""Over-exposure rules on their own, and the xlsx sheet limit (Excel's row cap,
lowered here so the test can reach it)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from piiscan.inventory import Inventory
from piiscan.classify.policy import default_policy
from piiscan.reports import exposure, xlsx
from piiscan.reports.data import ReportData

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def row(mode, tier="C2", level=3, age_days=10, sensitive=False):
    mtime = NOW - timedelta(days=age_days)
    return {"mode_bits": mode, "jrt0171": tier, "jrt0197": level, "pipl_sensitive": sensitive,
            "mtime_ns": int(mtime.timestamp() * 1e9)}


@pytest.mark.parametrize("mode, tier, level, expected", [
    (0o644, "C2", 3, ["world_readable"]),
    (0o660, "C3", 4, ["group_writable"]),
    (0o666, "C2", 3, ["world_readable", "group_writable", "world_writable"]),
    (0o600, "C3", 4, []),
    (0o644, "C1", 2, []),  # an IP address alone is not C2
    (0o644, "none", 1, []),
    (None, "C2", 3, []),  # a database table has no permission bits
])
def test_permission_flags(mode, tier, level, expected):
    assert [flag for flag, _ in exposure.flags(row(mode, tier, level), NOW, None)] == expected


def test_retention_flag():
    five_years = exposure.parse_retention("5y")
    assert five_years == timedelta(days=1825) and exposure.parse_retention("18m") == timedelta(days=540)
    assert exposure.parse_retention("off") is None
    old, recent = row(0o600, age_days=2000), row(0o600, age_days=1000)
    assert [f for f, _ in exposure.flags(old, NOW, five_years)] == ["retention_exceeded"]
    assert exposure.flags(recent, NOW, five_years) == [] and exposure.flags(old, NOW, None) == []
    assert exposure.flags(row(0o600, "none", 1, 4000), NOW, five_years) == []  # no PI, nothing to delete
    with pytest.raises(ValueError):
        exposure.parse_retention("five years")


def test_xlsx_sheet_stops_at_the_row_limit(built, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "EXCEL_ROWS", 12)
    store = Inventory(built.url)
    out = xlsx.write_xlsx(ReportData(store, default_policy()), tmp_path / "capped.xlsx")
    store.close()
    book = load_workbook(out)
    findings = next(ws for ws in book.worksheets if ws.title.startswith("发现"))
    assert findings.max_row == 12  # 2 heading rows + 10 findings
    settings = {r[0]: r[1] for r in book.worksheets[0].iter_rows(values_only=True)}
    assert settings["truncated.findings"].startswith(f"{29 - 10} rows past Excel's row limit left out")
