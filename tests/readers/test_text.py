import pytest

from piiscan.sources.readers.text import BLOCK_CHARS, TextReader

from .conftest import ID, MOBILE, where


def test_lines_and_offsets_inside_the_line(scanner, tmp_path):
    path = tmp_path / "note.txt"
    path.write_text(f"第一行\n客户手机{MOBILE}\n\n身份证号：{ID}。\n", encoding="utf-8")
    result = scanner.scan_file(path)
    assert where(result, "CN_MOBILE") == [({"line": 2}, 4, 15)]
    assert where(result, "CN_RESIDENT_ID") == [({"line": 4}, 5, 23)]


def test_gbk_text_is_detected(scanner, tmp_path):
    path = tmp_path / "gbk.md"
    path.write_bytes(f"# 客户资料\n联系电话：{MOBILE}，身份证号码：{ID}\n".encode("gbk"))
    result = scanner.scan_file(path)
    assert result.error is None
    assert [f.entity_type for f in result.findings] == ["CN_MOBILE", "CN_RESIDENT_ID"]


def test_line_numbers_stay_right_across_blocks(scanner, tmp_path):
    filler = "没有个人信息的一行文字。\n" * (BLOCK_CHARS // 10)
    path = tmp_path / "long.txt"
    path.write_text(filler + f"手机{MOBILE}\n", encoding="utf-8")
    lines = filler.count("\n")
    assert where(scanner.scan_file(path), "CN_MOBILE") == [({"line": lines + 1}, 2, 13)]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_numbers_with_any_line_ending(scanner, tmp_path, newline):
    path = tmp_path / "note.txt"
    path.write_bytes(newline.join(["第一行", "第二行", "", f"手机{MOBILE}", ""]).encode("utf-8"))
    assert where(scanner.scan_file(path), "CN_MOBILE") == [({"line": 4}, 2, 13)]


@pytest.mark.parametrize("text", [
    "客户王芳女士来电\n",            # short: charset-normalizer ranks Big5 and CP949 level with GBK
    f"手机{MOBILE}，王芳\n",
    f"{MOBILE} 张\n",                 # the only Chinese character in the last bytes
])
def test_short_gbk_files_are_read_back_as_written(tmp_path, text):
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode("gbk"))
    assert "".join(unit.text for unit in TextReader().read(path)) == text


def test_a_short_gbk_note_is_scanned(scanner, tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("客户王芳女士来电\n".encode("gbk"))
    assert where(scanner.scan_file(path), "PERSON") == [({"line": 1}, 2, 4)]
