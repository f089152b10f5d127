"""Chart labels fit their column: Chinese characters take two columns."""

from __future__ import annotations

import unicodedata

from piiscan.reports.charts import _fit_tail


def columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_long_chinese_labels_are_cut_to_their_width_keeping_the_end():
    label = "敏感个人信息类别提示（健康、宗教、生物识别等） SENSITIVE_CATEGORY_HINT"
    shown = _fit_tail(label, 33)
    assert shown.startswith("…") and shown.endswith(" SENSITIVE_CATEGORY_HINT")
    assert columns(shown) <= 33 < columns(label)
    path = "/mnt/share/财务部/2024年/客户资料/非常长的文件名称客户名单.xlsx"
    assert _fit_tail(path, 33).endswith("客户名单.xlsx") and columns(_fit_tail(path, 33)) <= 33


def test_labels_that_fit_are_kept_whole():
    assert _fit_tail("姓名 PERSON", 33) == "姓名 PERSON"
    assert _fit_tail("x" * 33, 33) == "x" * 33
