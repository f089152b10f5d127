import pytest

from .conftest import ID, MOBILE, where

ROWS = [["姓名", "身份证号", "电话"], ["王芳", ID, MOBILE], ["李娜", "无", "无"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])  # utf-16: Excel's "Unicode text"
def test_encodings_header_and_cells(scanner, tmp_path, encoding):
    path = tmp_path / f"clients-{encoding}.csv"
    path.write_bytes("\r\n".join(",".join(r) for r in ROWS).encode(encoding))
    result = scanner.scan_file(path)
    assert result.error is None
    assert where(result, "CN_RESIDENT_ID") == [({"row": 2, "column": "身份证号"}, 0, 18)]
    assert where(result, "CN_MOBILE") == [({"row": 2, "column": "电话"}, 0, 11)]
    assert where(result, "PERSON") == [({"row": 2, "column": "姓名"}, 0, 2), ({"row": 3, "column": "姓名"}, 0, 2)]


def test_header_context_raises_the_score(scanner, tmp_path):
    with_header = tmp_path / "a.csv"
    with_header.write_text(f"手机号\n{MOBILE}\n", encoding="utf-8")
    without = tmp_path / "b.csv"
    without.write_text(f"{MOBILE}\n", encoding="utf-8")
    scored = scanner.scan_file(with_header).findings[0].score
    assert scored > scanner.scan_file(without).findings[0].score
    assert scanner.scan_file(without).findings[0].location == {"row": 1, "column": "A"}


def test_tsv_and_semicolons(scanner, tmp_path):
    tsv = tmp_path / "a.tsv"
    tsv.write_text(f"编号\t手机\nA1\t{MOBILE}\n", encoding="utf-8")
    semi = tmp_path / "b.csv"
    semi.write_text(f"编号;手机;备注\nA1;{MOBILE};无\nA2;无;无\n", encoding="utf-8")
    for path in (tsv, semi):
        assert where(scanner.scan_file(path), "CN_MOBILE") == [({"row": 2, "column": "手机"}, 0, 11)]


def test_a_short_gbk_csv_keeps_its_chinese(scanner, tmp_path):
    """Two rows are too few for charset-normalizer to tell GBK from Big5: GB18030 wins the tie."""
    path = tmp_path / "short.csv"
    path.write_bytes(f"phone,name\r\n{MOBILE},王芳\r\n".encode("gbk"))
    result = scanner.scan_file(path)
    assert where(result, "PERSON") == [({"row": 2, "column": "name"}, 0, 2)]
