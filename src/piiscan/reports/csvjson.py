"""CSV and JSON exports of a compliance report: the tables of `tables.py` under
their machine names, stable and described by docs/report.schema.json.

CSV: a folder with one UTF-8 (BOM, for Excel) file per table, `<table>.csv`.
JSON: one document {"report", "run", "summary", "<table>": [rows]…}; rows are
spooled to temporary files while the inventory is read, so a large export never
sits in memory.
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path
from typing import Any, IO

from piiscan.reports.data import ReportData
from piiscan.reports.tables import TABLES

# The files table's per-entity counts are columns in CSV, one object in JSON.
JSON_TABLES = tuple(t.key for t in TABLES)


def _columns(data: ReportData) -> dict[str, list[str]]:
    tables = {t.key: [c.key for c in t.columns] for t in TABLES}
    tables["files"] = [c.key for c in data.files_table.columns]
    return tables


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def write_csv(data: ReportData, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    columns = _columns(data)
    handles: dict[str, IO[str]] = {}
    writers: dict[str, csv.writer] = {}
    try:
        for key, names in columns.items():
            handles[key] = (folder / f"{key}.csv").open("w", encoding="utf-8-sig", newline="")
            writers[key] = csv.writer(handles[key])
            writers[key].writerow(names)
        for table, row in data.stream():
            writers[table].writerow([csv_cell(row.get(name)) for name in columns[table]])
        summary = folder / "summary.csv"
        with summary.open("w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["key", "value"])
            for key, value in data.summary().items():
                out.writerow([key, csv_cell(value)])
    finally:
        for handle in handles.values():
            handle.close()
    return [folder / f"{key}.csv" for key in columns] + [folder / "summary.csv"]


def json_row(table: str, row: dict, names: list[str]) -> dict:
    out = {name: row.get(name) for name in names if not name.startswith("count_")}
    if table == "files":
        out["counts"] = row["counts"]
    if table == "runs":
        out["identifiers_by_entity"] = row["identifiers_by_entity"]
    return out


def write_json(data: ReportData, path: Path) -> Path:
    columns = _columns(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="piiscan-report-") as tmp:
        spools = {key: open(Path(tmp) / f"{key}.jsonl", "w+", encoding="utf-8") for key in JSON_TABLES}
        try:
            for table, row in data.stream():
                spools[table].write(json.dumps(json_row(table, row, columns[table]), ensure_ascii=False) + "\n")
            head = {"report": data.report_info(), "run": data.run, "summary": data.summary()}
            with path.open("w", encoding="utf-8") as out:
                out.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2])  # leave the object open
                for key in JSON_TABLES:
                    spool = spools[key]
                    spool.seek(0)
                    out.write(f',\n "{key}": [')
                    for n, line in enumerate(spool):
                        out.write(("\n  " if n == 0 else ",\n  ") + line.rstrip("\n"))
                    out.write("\n ]")
                out.write("\n}\n")
        finally:
            for spool in spools.values():
                spool.close()
    return path
