"""Images are redacted: an ID-card copy rendered with a CJK font, OCR'd, the lines
holding the name, the ID number and the address burned into the pixels; the copy
read again by OCR holds none of them, the title line stays, the format and the
pages are kept, metadata is dropped."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from piiscan.sources.readers.image import ImageReader
from piiscan.sources.readers.ocr import ocr_lines
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


@pytest.mark.usefixtures("font")
def test_a_blurred_id_card_image_is_burned_whole_and_the_manifest_says_why(font, tmp_path, planted,  # noqa: F811
                                                                          monkeypatch, capsys):
    from tests.redact.test_pdf_images import card

    inputs = tmp_path / "in"
    inputs.mkdir()
    card(font, planted, blur=3.5).save(inputs / "模糊身份证.jpg", quality=80)
    code = cli(monkeypatch, "redact", str(inputs), "--out", str(tmp_path / "out"), "--quiet")
    assert code == 0, capsys.readouterr().err
    with Image.open(tmp_path / "out" / "模糊身份证.jpg") as copy:
        assert copy.convert("L").getextrema()[1] < 40  # black, give or take JPEG's ringing
    manifest = json.loads((tmp_path / "out" / "piiscan-manifest.json").read_text(encoding="utf-8"))
    (note,) = manifest["files"][0]["unchecked"]
    assert note.startswith("image burned whole: looks like an ID card and OCR read it with low confidence")
    assert planted.name not in json.dumps(manifest, ensure_ascii=False)


def test_burn_image_bytes_keeps_the_bytes_when_nothing_is_found(font, make_redactor):  # noqa: F811
    from piiscan.protect.writers.image import burn_image_bytes

    buffer = io.BytesIO()
    id_card_copy(font, ["订单号 DD725826486699", "金额 61084.78"]).save(buffer, "PNG")
    data = buffer.getvalue()
    assert burn_image_bytes(data, make_redactor("mask")) == (data, [])
    buffer = io.BytesIO()
    id_card_copy(font, ["订单号 DD725826486699", f"公民身份号码 {ID}"]).save(buffer, "PNG")
    burned, notes = burn_image_bytes(buffer.getvalue(), make_redactor("mask"))
    with Image.open(io.BytesIO(burned)) as image:
        assert image.format == "PNG" and ID not in "".join(u.text for u in ocr_lines(image, {}))
        assert "DD725826486699" in "".join(u.text for u in ocr_lines(image, {}))
    assert notes == []
    assert burn_image_bytes(b"\x01\x00\x09\x00 not an image", make_redactor("mask"))[1] == [
        "an image in a format that cannot be read (EMF, WMF?) not checked"]


def test_a_misread_id_number_is_burned_with_a_note(font, make_redactor):  # noqa: F811
    """An ID number OCR reads with a wrong check digit is found by no detector; its line is burned."""
    from piiscan.protect.writers.image import burn_image

    wrong = ID[:17] + ("2" if ID[17] != "2" else "3")
    image, notes = burn_image(id_card_copy(font, [f"编号 {wrong}", "订单号 DD725826486699"]), make_redactor("mask"))
    text = "".join(u.text for u in ocr_lines(image, {}))
    assert wrong not in text and "DD725826486699" in text
    assert notes == ["1 line(s) with an ID-shaped number that does not validate burned (misread by OCR?)"]
