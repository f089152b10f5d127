"""The CSV delimiter: our quick check must agree with the standard library's Sniffer,
which it replaces only where one candidate alone splits every line alike."""

import csv
import io
import random

from piiscan.sources.readers.csv import DELIMITERS, CsvReader


def _sniffer(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def test_quick_sniff_agrees_with_the_standard_sniffer_on_generated_tables():
    rng = random.Random(3)
    values = ["客户1", "110101199003071234", "a,b", "x;y", "", "备注 说明", "1|2", "12.5", "甲\t乙"]
    for _ in range(2000):
        delimiter = rng.choice(DELIMITERS)
        rows = [[rng.choice(values) for _ in range(rng.randint(1, 6))] for _ in range(rng.randint(1, 30))]
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]  # a table: every row as wide
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
        text = buffer.getvalue()
        assert CsvReader._sniff(text) == _sniffer(text), text[:200]


def test_quick_sniff_on_typical_files():
    assert CsvReader._sniff("姓名,身份证号,手机\n客户1,110101199003071234,13800138000\n") == ","
    assert CsvReader._sniff("姓名;手机\n王芳;13800138000\n李雷;13900139000\n") == ";"
    assert CsvReader._sniff("姓名|手机|备注\n王芳|13800138000|a,b\n") == "|"
