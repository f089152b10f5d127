"""`piiscan report` in xlsx, CSV and JSON on the real inventory of conftest: exact
rows per sheet, the reviewer's affordances (frozen bilingual headings, filters,
widths), the JSON Schema in docs/, scopes (--run, --since) and usage errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook

from piiscan.reports.tables import TABLES

from .conftest import DB_TABLE, run_cli

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "report.schema.json"


@pytest.fixture(scope="module")
def exports(built, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("exports")
    paths = {"xlsx": out / "report.xlsx", "csv": out / "csv", "json": out / "report.json", "html": out / "report.html"}
    for fmt, path in paths.items():
        run_cli("report", "--inventory", built.url, "--format", fmt, "--out", str(path), check_code=1)
    return paths


def sheet_rows(path: Path, title_start: str) -> tuple[list[list], object]:
    book = load_workbook(path)
    sheet = next(ws for ws in book.worksheets if ws.title.startswith(title_start))
    return [list(r) for r in sheet.iter_rows(values_only=True)], sheet


def test_xlsx_sheets_headings_filters(exports, built):
    book = load_workbook(exports["xlsx"])
    assert [ws.title for ws in book.worksheets] == [
        "扫描设置 Run settings", "文件 Files", "发现（已脱敏） Findings (masked)", "数据库字段 Database columns",
        "文件夹汇总 Folders (rolled up)", "过度暴露 Over-exposure", "错误与跳过 Errors and skipped files",
        "扫描批次与趋势 Runs and trend"]
    for ws in book.worksheets:
        assert ws.freeze_panes == "A3"  # two heading rows stay in view
        assert ws.auto_filter.ref.startswith("A2:")  # filters on the English heading row
        assert ws.column_dimensions["A"].customWidth
    rows, files = sheet_rows(exports["xlsx"], "文件 ")
    assert files.column_dimensions["A"].width > 50  # paths are long
    assert rows[0][:3] == ["路径", "所在文件夹", "读取器"] and rows[1][:3] == ["Path", "Folder", "Reader"]
    by_path = {r[0]: dict(zip(rows[1], r)) for r in rows[2:]}
    f = built.files
    # read files: xlsx, csv, text note, the clean readme, the broken workbook, the database table
    assert set(by_path) == {str(f["xlsx"]), str(f["csv"]), str(f["txt"]), str(f["clean"]), str(f["broken"]), DB_TABLE}
    roster = by_path[str(f["xlsx"])]
    assert (roster["JR/T 0171 category"], roster["JR/T 0197 level"], roster["PIPL sensitive"]) == ("C2", 3, "是 yes")
    assert (roster["Distinct persons"], roster["Findings"], roster["CN_RESIDENT_ID"], roster["CN_BANK_CARD"]) == (4, 16, 4, 4)
    assert roster["Exposure flags"] == "其他用户可读 world-readable" and roster["Permissions"] == "-rw-r--r--"
    assert by_path[str(f["csv"])]["Distinct persons"] == 3 and by_path[DB_TABLE]["Reader"] == "sql"
    assert by_path[str(f["broken"])]["Status"] == "error" and "BadZipFile" in by_path[str(f["broken"])]["Error"]
    findings, _ = sheet_rows(exports["xlsx"], "发现")
    assert len(findings) - 2 == 16 + 6 + 1 + 6  # xlsx, csv (3 contacts), text, database table
    masked = [r[rows_index(findings, "Masked preview")] for r in findings[2:]]
    assert all("*" in m for m in masked)


def rows_index(rows: list[list], english: str) -> int:
    return rows[1].index(english)


def test_xlsx_database_columns_folders_exposure_errors(exports, built):
    columns, _ = sheet_rows(exports["xlsx"], "数据库字段")
    assert [(r[1], r[2], r[4]) for r in columns[2:]] == [
        ("public.clients", "name", "PERSON"), ("public.clients", "id_no", "CN_RESIDENT_ID"),
        ("public.clients", "phone", "CN_MOBILE")]
    assert {r[0] for r in columns[2:]} == {"postgresql://scanner@127.0.0.1:5432/crm"}
    folders, _ = sheet_rows(exports["xlsx"], "文件夹")
    by_folder = {r[0]: dict(zip(folders[1], r)) for r in folders[2:]}
    root = by_folder[str(built.root)]
    # under the root: xlsx, csv, text, readme, broken workbook, the .iso (unsupported) — 3 with PI
    assert (root["Depth"], root["Files"], root["Files with PI"], root["Flagged files"], root["Errors"]) == (0, 6, 3, 3, 1)
    assert (root["Persons (sum over files)"], root["Findings"], root["Strictest JR/T 0171"]) == (8, 23, "C2")
    assert by_folder[str(built.root / "客户")]["Files with PI"] == 2 and by_folder[str(built.root / "空")]["Files with PI"] == 0
    exposure, _ = sheet_rows(exports["xlsx"], "过度暴露")
    assert sorted((r[0], r[1]) for r in exposure[2:]) == sorted([
        (str(built.files["xlsx"]), "world_readable"), (str(built.files["csv"]), "group_writable"),
        (str(built.files["txt"]), "retention_exceeded")])
    errors, _ = sheet_rows(exports["xlsx"], "错误")
    assert [(r[0], r[1]) for r in errors[2:]] == [(str(built.files["broken"]), "error")]
    settings, _ = sheet_rows(exports["xlsx"], "扫描设置")
    values = {r[0]: r[1] for r in settings[2:]}
    assert values["run.id"] == str(built.runs[2]) and values["report.retention_days"] == "1825"
    runs, _ = sheet_rows(exports["xlsx"], "扫描批次")
    assert [(r[0], r[10], r[15]) for r in runs[2:]] == [(built.runs[0], 4, 19), (built.runs[1], 3, 21),
                                                        (built.runs[2], 4, 24)]


def test_xlsx_one_language(built, tmp_path):
    out = tmp_path / "en.xlsx"
    run_cli("report", "--inventory", built.url, "--format", "xlsx", "--out", str(out), "--lang", "en", check_code=1)
    book = load_workbook(out)
    files = book.worksheets[1]
    assert files.title == "Files" and files.freeze_panes == "A2" and files["A1"].value == "Path"
    assert files["A2"].value != "路径"


def test_json_matches_the_committed_schema(exports):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    document = json.loads(exports["json"].read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    assert len(document["files"]) == 6 and len(document["findings"]) == 29
    assert document["summary"]["identifiers"] == {"CN_BANK_CARD": 4, "CN_MOBILE": 7, "CN_RESIDENT_ID": 6, "PERSON": 7}
    assert document["summary"]["exposure_flags"] == {"group_writable": 1, "retention_exceeded": 1, "world_readable": 1}
    # the schema names exactly the tables' columns (so CSV and JSON stay documented)
    for table in TABLES:
        properties = set(schema["$defs"][table.key]["properties"])
        expected = {c.key for c in table.columns} | {"files": {"counts"}, "runs": {"identifiers_by_entity"}}.get(
            table.key, set())
        assert properties == expected, table.key


def test_csv_tables_have_the_documented_columns(exports):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    folder = exports["csv"]
    for table in TABLES:
        with (folder / f"{table.key}.csv").open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh))
        documented = [k for k in schema["$defs"][table.key]["properties"] if k not in ("counts", "identifiers_by_entity")]
        assert header[:len(documented)] == documented
        assert all(k.startswith("count_") for k in header[len(documented):])
    with (folder / "files.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 6 and sum(int(r["count_CN_RESIDENT_ID"]) for r in rows) == 4 + 1 + 2


def test_scopes_run_and_since(built, tmp_path):
    def files_in(*scope):
        out = tmp_path / f"scope{len(list(tmp_path.iterdir()))}.json"
        run_cli("report", "--inventory", built.url, "--format", "json", "--out", str(out), *scope)
        return {f["path"] for f in json.loads(out.read_text(encoding="utf-8"))["files"]}

    f = built.files
    assert files_in("--run", str(built.runs[1])) == {str(f["csv"]), str(f["broken"])}  # what run 2 re-read
    assert files_in("--since", str(built.runs[0])) == {str(f["csv"]), str(f["broken"]), DB_TABLE}
    assert files_in("--run", str(built.runs[0])) == {str(f["xlsx"]), str(f["txt"]), str(f["clean"])}


@pytest.mark.parametrize("args, message", [
    (["--format", "pdf", "--out", "x.pdf"], "unknown format 'pdf'"),
    (["--format", "json", "--out", "x.json", "--run", "99"], "--run 99: no such run"),
    (["--format", "csv", "--out", "x.csv"], "--out names a folder"),
    (["--format", "json", "--out", "x.json", "--retention", "forever"], "--retention takes a period"),
    (["--format", "json", "--out", "x.json", "--run", "1", "--since", "1"], "not both"),
])
def test_usage_errors_exit_2_with_one_line(built, tmp_path, args, message):
    done = run_cli("report", "--inventory", built.url, *[a if not a.startswith("x.") else str(tmp_path / a)
                                                         for a in args])
    assert done.returncode == 2 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_missing_inventory_is_a_usage_error(tmp_path):
    done = run_cli("report", "--inventory", f"sqlite:///{tmp_path / 'none.db'}", "--format", "json",
                   "--out", str(tmp_path / "r.json"))
    assert done.returncode == 2 and "no inventory at" in done.stderr
    assert not (tmp_path / "none.db").exists()  # not created by looking


def test_unwritable_out_and_hidden_password(built, tmp_path):
    from piiscan.reports.data import public_url

    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run_cli("report", "--inventory", built.url, "--format", "json", "--out", str(blocker / "r.json"))
    assert done.returncode == 2 and "cannot write" in done.stderr and len(done.stderr.splitlines()) == 1
    assert run_cli("report", "--inventory", built.url, "--format", "csv", "--out", str(blocker)).returncode == 2
    assert "s3cret" not in public_url("postgresql://piiscan:s3cret@db.example:5432/inventory")
