"""Tables inside running text (piiscan.pipeline.text_tables): a PDF page's table
as its text layer gives it, a tab-separated report read as text. Their columns
go through column inference like a spreadsheet's."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from piiscan.core.model import TextUnit
from piiscan.pipeline.text_tables import _blocks, column_detections
from tests.redact.test_cli import cli

# Names the model does not take for people on their own, line by line (checked below).
PAYEES = ["罗想", "康帆", "祖瑞", "费旭", "唐建华", "俞淑华", "许桂香", "高淑华", "彭建国", "曾冬梅"]


def _pdf_table(path: Path, header: list[str], rows: list[list[str]]) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import SimpleDocTemplate, Table

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    table = Table([header] + rows)
    table.setStyle([("FONT", (0, 0), (-1, -1), "STSong-Light", 10)])
    SimpleDocTemplate(str(path)).build([table])


def _payees(path: Path) -> None:
    _pdf_table(path, ["序号", "受益人", "开户行", "金额", "日期"],
               [[str(i), name, "中国工商银行", f"{i * 1234.5:.2f}", f"2024-01-{i:02d}"] for i, name in
                enumerate(PAYEES, start=1)])


def _findings(tmp_path: Path, monkeypatch, target: Path, *options: str) -> list[dict]:
    out = tmp_path / "findings.jsonl"
    cli(monkeypatch, "scan", str(target), "--show-values", "--out", str(out), *options)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_a_pdf_tables_column_of_payees_is_found_whole(tmp_path, monkeypatch, detector):
    path = tmp_path / "付款明细.pdf"
    _payees(path)
    lines = [TextUnit(f"{i} {name} 中国工商银行 100.00 2024-01-01", {"line": 1}) for i, name in enumerate(PAYEES)]
    alone = {d.value for unit in lines for d in detector.detect(unit.text) if d.entity_type == "PERSON"}
    assert set(PAYEES) - alone, "the model finds every payee line by line: the test shows nothing"
    found = _findings(tmp_path, monkeypatch, path)
    names = [f["value"] for f in found if f["entity_type"] == "PERSON"]
    assert sorted(names) == sorted(PAYEES)
    assert not [f for f in found if f["entity_type"] == "PERSON" and "银行" in f["value"]]


def test_a_tab_separated_report_without_header(tmp_path, monkeypatch):
    rows = [f"{name}\t1380013{8000 + i:04d}\t{'正常' if i % 2 else '注销'}\t{100 + i}.00" for i, name in
            enumerate(PAYEES)]
    path = tmp_path / "导出.txt"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    names = [f["value"] for f in _findings(tmp_path, monkeypatch, path) if f["entity_type"] == "PERSON"]
    assert sorted(names) == sorted(PAYEES)


@pytest.mark.parametrize("text", [
    "品名 规格 单价 产地\n红富士 一级 5.80 山东\n砂糖橘 特级 7.20 广西\n白糖 袋装 4.50 云南\n金龙鱼 5L 69.90 上海\n",
    "地区 负责部门 数量 状态\n朝阳 财务部 12 正常\n海淀 市场部 8 注销\n通州 行政部 3 正常\n昌平 人事部 9 正常\n",
])
def test_tables_of_products_and_places_hold_no_names(text, detector):
    unit = TextUnit(text, {"page": 1}, first_line=1)
    assert _blocks(text)
    assert [d for d in column_detections(unit, detector.detect(text), detector) if d.entity_type == "PERSON"] == []


def test_prose_is_not_a_table():
    text = "the cat sat on the mat\nthe dog ran to the car\nhis son is at the bar\n本合同自双方签字之日起生效。\n"
    assert _blocks(text) == []
    assert len(_blocks("Na Zhao 已核对 2011\nYan Gu 正常 1988\nJun Fang 加急 1974\n")[0][0]) == 3  # one field a name


def test_redacting_the_pdf_removes_every_payee_and_keeps_the_rest(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    _payees(folder / "付款明细.pdf")
    assert cli(monkeypatch, "redact", str(folder), "--no-ner", "-q", "--out", str(tmp_path / "out")) == 0
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "out" / "付款明细.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert [name for name in PAYEES if name in text] == []
    assert text.count("中国工商银行") == len(PAYEES) and "12345.00" in text and "2024-01-10" in text


def test_rows_with_empty_cells_stay_in_the_pdf_table(tmp_path, monkeypatch):
    """A PDF's text layer shows no trace of an empty cell: the row comes a field short
    and, before, broke the table there, leaving its payee to the model."""
    rows = [[str(i), name, "中国工商银行" if i % 3 else "", f"{i * 1234.5:.2f}", f"2024-01-{i:02d}"]
            for i, name in enumerate(PAYEES, start=1)]
    rows[4][3] = ""  # two empty cells in one row
    rows[6][1] = "祝 红"  # a two-character name spaced out to align: one field too many
    path = tmp_path / "付款明细.pdf"
    _pdf_table(path, ["序号", "受益人", "开户行", "金额", "日期"], rows)
    found = _findings(tmp_path, monkeypatch, path)
    names = sorted(f["value"].replace(" ", "") for f in found if f["entity_type"] == "PERSON")
    assert names == sorted(PAYEES[:6] + ["祝红"] + PAYEES[7:])
    assert not [f for f in found if f["entity_type"] == "PERSON" and ("银行" in f["value"] or "2024" in f["value"])]


def test_a_short_row_goes_to_the_columns_it_looks_like():
    text = ("序号 姓名 状态 日期\n1 张三 正常 2024-01-01\n2 李四 注销 2024-01-02\n3 王五 2024-01-03\n"
            "4 赵六 正常 2024-01-04\n5 注销 2024-01-05\n合计 5\n")
    rows = [[text[c[0]:c[1]] if c else None for c in row] for row in _blocks(text)[0]]
    assert rows[3] == ["3", "王五", None, "2024-01-03"]
    assert rows[5] == ["5", None, "注销", "2024-01-05"]
    assert len(rows) == 6  # the total under the table is not one of its rows


def test_a_second_table_right_under_the_first_is_its_own():
    text = ("序号 姓名 电话 日期\n1 张三 13800138000 2024-01-01\n2 李四 13800138001 2024-01-02\n"
            "3 王五 13800138002 2024-01-03\n产品 单价 数量\n红富士 5.80 3\n砂糖橘 7.20 5\n白糖 4.50 2\n")
    assert [len(block[0]) for block in _blocks(text)] == [4, 3]
