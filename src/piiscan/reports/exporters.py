"""The built-in compliance report formats of `piiscan report --format`, each a function
(data, out, lang) -> Path declared under the ``piiscan.report_exporters`` entry-point
group, as a third-party format is. Each imports its writer only when used."""

from __future__ import annotations

from pathlib import Path


def xlsx(data, out: Path, lang: str) -> Path:
    from piiscan.reports.xlsx import write_xlsx
    return write_xlsx(data, out, lang)


def csv(data, out: Path, lang: str) -> Path:
    """A folder of CSV files, one per table."""
    from piiscan.reports.csvjson import write_csv
    write_csv(data, out)
    return out


def json(data, out: Path, lang: str) -> Path:
    from piiscan.reports.csvjson import write_json
    return write_json(data, out)


def html(data, out: Path, lang: str) -> Path:
    from piiscan.reports.html import write_html
    return write_html(data, out)
