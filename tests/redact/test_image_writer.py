"""Images are redacted: an ID-card copy rendered with a CJK font, OCR'd, the lines
holding the name, the ID number and the address burned into the pixels; the copy
read again by OCR holds none of them, the title line stays, the format and the
pages are kept, metadata is dropped."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from piiscan.sources.readers.image import ImageReader
from tests.readers.test_ocr import font, id_card_copy  # noqa: F401 - the fixture and the renderer
from tests.redact.test_cli import cli

ID = "110101199003070011"


@pytest.mark.usefixtures("font")
def test_an_id_card_copy_is_burned_where_its_values_are(font, tmp_path, monkeypatch, capsys):  # noqa: F811
    inputs = tmp_path / "in"
    inputs.mkdir()
    card = id_card_copy(font, ["居民身份证复印件", "姓名 王芳", f"公民身份号码 {ID}", "联系电话：13912345678"])
    exif = Image.Exif()
    exif[0x010E] = "王芳的身份证"  # ImageDescription
    card.save(inputs / "身份证.png")
    card.save(inputs / "身份证.jpg", quality=92, exif=exif)
    code = cli(monkeypatch, "redact", str(inputs), "--out", str(tmp_path / "out"), "--quiet")
    assert code == 0, capsys.readouterr().err
    for name in ("身份证.png", "身份证.jpg"):
        copy = tmp_path / "out" / name
        text = "\n".join(u.text for u in ImageReader().read(copy))
        assert "王芳" not in text and ID not in text and "13912345678" not in text
        assert "复印件" in text  # the title line is kept
        with Image.open(copy) as image:
            assert image.size == card.size and image.format == ("PNG" if name.endswith("png") else "JPEG")
            assert not image.getexif()
    manifest = json.loads((tmp_path / "out" / "piiscan-manifest.json").read_text(encoding="utf-8"))
    assert all(f["verified"] and f["writer"] == "image" for f in manifest["files"])
