"""Hard cases for redaction: files of every format redact writes (.doc and .rtf made
by LibreOffice from the docx cases), each hiding fake
personal values (a name, a resident ID, a mobile) in a different place, with
decoys beside them (order numbers, amounts, dates) that must survive. Used by
tests/redact/test_hard_cases.py, which redacts them and hunts every planted value
with extractors independent of piiscan.

    python benchmarks/redaction/make_cases.py OUT_DIR   # writes the files and planted.json
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import docx
import xlwt
from faker import Faker
from openpyxl import Workbook
from openpyxl.comments import Comment
from pptx import Presentation
from pptx.util import Inches

sys.path.insert(0, str(Path(__file__).resolve().parent))
import office_parts  # noqa: E402  (the parts of Office packages no object model exposes)

PERSON_HEADERS = ["签收人", "经手人", "受益人", "payee", "xm", "联系人/个人", ""]


class Case:
    def __init__(self, rng: random.Random, fake: Faker):
        self.name, self.phone, self.id = fake.name(), fake.phone_number(), fake.ssn()
        self.order = f"DD{rng.randrange(10**11, 10**12)}"
        self.amount = f"{rng.uniform(100, 99999):.2f}"
        self.date = fake.date()
        self.header = rng.choice(PERSON_HEADERS)

    @property
    def values(self) -> list[str]:
        return [self.name, self.phone, self.id]

    @property
    def decoys(self) -> list[str]:
        return [self.order, self.amount, self.date]

    def rows(self, others: list["Case"]) -> list[list[str]]:
        header = [self.header, "手机", "订单号", "金额"]
        return [header] + [[c.name, c.phone, c.order, c.amount] for c in [self] + others]


def _csv(path, c, others, encoding="utf-8", headerless=False):
    rows = c.rows(others)[1:] if headerless else c.rows(others)
    with path.open("w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows(rows)


def _xlsx(path, c, others, place):
    book = Workbook()
    sheet = book.active
    for row in c.rows(others):
        sheet.append(row)
    if place == "hidden sheet":
        hidden = book.create_sheet("备用")
        hidden.sheet_state = "hidden"
        hidden.append([f"身份证号 {c.id}"])
    elif place == "comment":
        sheet["F1"] = "备注"
        sheet["F1"].comment = Comment(f"客户{c.name}身份证{c.id}", "财务")
    elif place == "footer":
        sheet.oddFooter.center.text = f"经办人 {c.name} 身份证 {c.id}"
    else:
        book.properties.creator = c.name
        sheet["F2"] = f"身份证号：{c.id}"
    book.save(path)


def _docx(path, c, others, place):
    document = docx.Document()
    document.add_paragraph(f"订单 {c.order} 金额 {c.amount} 日期 {c.date}")
    if place == "prose":
        document.add_paragraph(f"{c.name}，男，1980年出生，身份证号{c.id}，联系电话{c.phone}。")
    elif place == "table":
        rows = c.rows(others)
        table = document.add_table(rows=len(rows), cols=4)
        for r, row in enumerate(rows):
            for k, value in enumerate(row):
                table.cell(r, k).text = value
        document.add_paragraph(f"身份证号：{c.id}")
    elif place == "split runs":
        paragraph = document.add_paragraph("甲方：")
        paragraph.add_run(c.name[:1])
        paragraph.add_run(c.name[1:] + "，电话" + c.phone[:3])
        paragraph.add_run(c.phone[3:] + f"，身份证{c.id}")
    else:
        section = document.sections[0]
        section.header.paragraphs[0].text = f"联系人：{c.name} 手机 {c.phone}"
        section.footer.paragraphs[0].text = f"身份证：{c.id}"
        document.core_properties.author = c.name
    document.save(path)


def _pptx(path, c, others):
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = f"订单 {c.order} 日期 {c.date}"
    rows = c.rows(others)
    table = slide.shapes.add_table(len(rows), 4, Inches(0.5), Inches(2), Inches(9), Inches(2)).table
    for r, row in enumerate(rows):
        for k, value in enumerate(row):
            table.cell(r, k).text = value
    slide.notes_slide.notes_text_frame.text = f"身份证号：{c.id}，金额 {c.amount}"
    deck.core_properties.author = c.name
    deck.save(path)


def _xls(path, c, others):
    book = xlwt.Workbook()
    sheet = book.add_sheet("名单")
    for r, row in enumerate(c.rows(others)):
        for k, value in enumerate(row):
            sheet.write(r, k, value)
    book.add_sheet("证件").write(0, 0, f"身份证号 {c.id}")
    book.save(str(path))


def _json(path, c, others):
    records = [{"khmc" if c.header == "" else c.header: o.name, "sjhm": o.phone, "ddh": o.order, "je": o.amount}
               for o in [c] + others]
    path.write_text(json.dumps({"records": records, c.phone: {"证件": c.id}}, ensure_ascii=False), encoding="utf-8")


def _html(path, c, others):  # a comment, a title, an unquoted value=, an id, a style url, a %XX name, a script
    cells = "".join(f"<tr><td>{o.name}</td><td>{o.phone}</td><td>{o.order}</td></tr>" for o in [c] + others)
    path.write_text(f"<html><body><!-- 客户 {c.name} --><table>{cells}</table><input value={c.phone}>"
                    f"<div id='kh-{c.phone}' style='background:url(/u/{c.id}.png)'><img src='a.png?kh={quote(c.name)}'>"
                    f"<script>var sfz = '{c.id}';</script><p title='身份证 {c.id}'>金额 {c.amount} 日期 {c.date}</p>"
                    "</div></body></html>", encoding="utf-8")


def _text(path, c, others):
    path.write_text(f"咨询记录 {c.date}\n{c.name}，女，汉族，身份证号{c.id}。\n今日{c.name[0]}女士来电，手机{c.phone}，"
                    f"订单{c.order}，金额{c.amount}元。\n", encoding="utf-8")


def _pdf(path, c, others):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 12)
    lines = [f"甲方：{c.name}", f"身份证号码：{c.id}", f"联系电话：{c.phone}", f"订单号 {c.order} 金额 {c.amount}",
             f"日期 {c.date}"]
    for i, line in enumerate(lines):
        page.drawString(72, 760 - 24 * i, line)
    page.save()


def _eml(path, c, others):
    message = EmailMessage()
    message["From"] = f"{c.name} <client{c.phone[-4:]}@example.com>"
    message["To"] = "财务部 <finance@example.com>"
    message["Subject"] = f"{c.name}的资料 订单{c.order}"
    message.set_content(f"身份证号{c.id}，手机{c.phone}，金额{c.amount}。\n")
    buffer = io.StringIO()
    csv.writer(buffer).writerows(c.rows(others))
    message.add_attachment(buffer.getvalue().encode("utf-8"), maintype="text", subtype="csv", filename="名单.csv")
    path.write_bytes(bytes(message))


def _zip(path, c, others, nested):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(c.rows(others))
        z.writestr("名单.csv", buffer.getvalue())
    if nested:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("内层.zip", inner.getvalue())
            z.writestr("说明.txt", f"身份证号：{c.id}，日期 {c.date}\n")
        return
    with tarfile.open(path, "w:gz") as t:
        data = inner.getvalue()
        info = tarfile.TarInfo("资料/名单.zip")
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))


def _sqlite(path, c, others):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE kh (id INTEGER PRIMARY KEY, khxm TEXT, sjhm TEXT, sfzh TEXT, ddh TEXT)")
    db.executemany("INSERT INTO kh VALUES (?, ?, ?, ?, ?)",
                   [(i, o.name, o.phone, o.id, o.order) for i, o in enumerate([c] + others, start=1)])
    db.commit()
    db.close()


CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def lines_image(size, lines, font_size=36, step=90, background="white"):
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(CJK_FONT, font_size)
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((40, 40 + step * i), line, font=font, fill="black")
    return image


def _png(path, c, others):
    lines_image((1000, 420), ["居民身份证复印件", f"姓名 {c.name}", f"公民身份号码 {c.id}", f"联系电话：{c.phone}"]).save(path)


def id_card_image(c, blur=0.0):
    """A resident ID card's front (85.6 x 54 mm at 254 dpi), blurred like a bad photocopy."""
    from PIL import ImageFilter

    card = lines_image((856, 540), [f"姓名 {c.name}", "性别 女  民族 汉", "出生 1990年3月7日",
                                     "住址 北京市东城区东华门街道88号", f"公民身份号码 {c.id}"], background=(236, 241, 246))
    return card.filter(ImageFilter.GaussianBlur(blur)) if blur else card


def _blurred_card(path, c, others):
    id_card_image(c, blur=3.5).save(path)


def _pdf_canvas(path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", CJK_FONT, subfontIndex=0))
    page = canvas.Canvas(str(path), pagesize=(595, 842))
    page.setFont("WQY", 12)
    return page


def _pdf_card(path, c, others):
    """A text page with a copy of the client's ID card as a picture beside the text."""
    from reportlab.lib.utils import ImageReader

    page = _pdf_canvas(path)
    page.drawString(50, 780, "开户申请：客户身份证复印件附后")
    page.drawString(50, 750, f"订单号 {c.order} 金额 {c.amount} 日期 {c.date}")
    page.drawImage(ImageReader(id_card_image(c)), 50, 400, width=428, height=270)
    page.save()


def _pdf_scan(path, c, others):
    """A page that is only a scan (no text layer)."""
    from reportlab.lib.utils import ImageReader

    scan = lines_image((1240, 1754), ["借款申请书", f"借款人：{c.name}", f"身份证号码：{c.id}", f"联系电话：{c.phone}",
                                       f"订单号 {c.order} 金额 {c.amount}", f"日期 {c.date}"], font_size=40, step=110)
    page = _pdf_canvas(path)
    page.drawImage(ImageReader(scan), 0, 0, width=595, height=842)
    page.save()


def _pdf_form(path, c, others):
    """A filled form: the client's name and mobile are field values (the mobile with its
    stored appearance), not page text."""
    import pikepdf

    page = _pdf_canvas(path)
    page.drawString(50, 780, f"申请表 订单号 {c.order} 金额 {c.amount} 日期 {c.date}")
    page.drawString(50, 700, "姓名")
    page.drawString(50, 660, "手机")
    page.save()
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        shown = pdf.make_stream(f"/Tx BMC BT /Helv 10 Tf 2 5 Td ({c.phone}) Tj ET EMC".encode(),
                                Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 200, 20])
        fields = [pdf.make_indirect(pikepdf.Dictionary(
            FT=pikepdf.Name.Tx, T=name, TU=label, V=pikepdf.String(value), Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget, Rect=[120, y, 320, y + 20], P=pdf.pages[0].obj, **extra))
            for name, label, value, y, extra in (("xm", "姓名", c.name, 695, {}),
                                                 ("sj", "手机", c.phone, 655, {"AP": pikepdf.Dictionary(N=shown)}))]
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array(fields))
        pdf.Root.AcroForm = pdf.make_indirect(pikepdf.Dictionary(Fields=fields))
        pdf.save(path)


def _pdf_attachment(path, c, others):
    """A page-level file attachment (a paper-clip note) holding the client list."""
    import pikepdf

    _pdf(path, c, others)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(c.rows(others))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        spec = pikepdf.AttachedFileSpec(pdf, buffer.getvalue().encode("utf-8"), filename="名单.csv").obj
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment, Rect=[500, 780, 520, 800], FS=spec))]))
        pdf.save(path)


def _png_bytes(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _office(suffix, picture):
    """An office_parts case; `picture`: with the client's ID card as a picture inside."""
    def make(path, c, others):
        card = _png_bytes(id_card_image(c)) if picture else None
        if suffix == "xlsx":
            office_parts.xlsx_parts(path, c, others, card)
        elif suffix == "pptx":
            office_parts.pptx_parts(path, c, others, card)
        else:
            workbook = io.BytesIO()
            _xlsx(workbook, c, others, "comment")
            office_parts.docx_parts(path, c, others, workbook.getvalue(), card)
    return make


# Pictures read by OCR: seconds a file, so one file each.
OCR_MAKERS = [("png", _blurred_card), ("pdf", _pdf_card), ("pdf", _pdf_scan),
              *[(suffix, _office(suffix, True)) for suffix in ("xlsx", "docx", "pptx")]]
MAKERS = [
    ("csv", lambda p, c, o: _csv(p, c, o)), ("csv", lambda p, c, o: _csv(p, c, o, "gbk")),
    ("csv", lambda p, c, o: _csv(p, c, o, headerless=True)),
    *[("xlsx", lambda p, c, o, place=place: _xlsx(p, c, o, place))
      for place in ("hidden sheet", "comment", "footer", "properties")],
    *[("docx", lambda p, c, o, place=place: _docx(p, c, o, place))
      for place in ("prose", "table", "split runs", "header")],
    ("pptx", _pptx), ("xls", _xls), ("json", _json), ("html", _html), ("txt", _text), ("pdf", _pdf),
    ("eml", _eml), ("zip", lambda p, c, o: _zip(p, c, o, True)), ("tar.gz", lambda p, c, o: _zip(p, c, o, False)),
    ("sqlite", _sqlite), ("png", _png),
    ("pdf", _pdf_form), ("pdf", _pdf_attachment),
    *[(suffix, maker) for suffix, maker in OCR_MAKERS],
    *[(suffix, _office(suffix, False)) for suffix in ("xlsx", "docx", "pptx")],
    # Word 97 .doc and RTF: the docx cases converted by LibreOffice, all of a format in one soffice run
    *[(suffix, lambda p, c, o, place=place: _docx(p, c, o, place))
      for suffix in ("doc", "rtf") for place in ("table", "header")],
]
LIBREOFFICE = {"doc": "doc:MS Word 97", "rtf": "rtf"}  # suffix -> soffice --convert-to target
COUNTS = {"png": 2, "doc": 3, "rtf": 3}  # OCR costs seconds a file, LibreOffice a second or two


def _libreoffice(staged: Path, folder: Path) -> None:
    """Convert every .docx staged for a format in one soffice run, into `folder`."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("the .doc and .rtf cases need LibreOffice: apt-get install libreoffice-writer-nogui")
    for suffix, target in LIBREOFFICE.items():
        files = sorted((staged / suffix).glob("*.docx"))
        if files:
            subprocess.run([soffice, "--headless", f"-env:UserInstallation={(staged / 'profile').as_uri()}",
                            "--convert-to", target, "--outdir", str(folder), *map(str, files)],
                           check=True, capture_output=True, timeout=600)


def make(folder: Path, per_maker: int = 5, seed: int = 20261205, images: bool = True) -> dict:
    """Write the cases into `folder`; returns {file: {"values": [...], "decoys": [...]}}."""
    rng, fake = random.Random(seed), Faker("zh_CN")
    fake.seed_instance(seed)
    planted = {}
    ocr = {maker for _, maker in OCR_MAKERS}
    with tempfile.TemporaryDirectory(prefix="make-cases-") as staging:
        for n, (suffix, maker) in enumerate(MAKERS):
            if (suffix == "png" or maker in ocr) and not images:
                continue
            for k in range(1 if maker in ocr else COUNTS.get(suffix, per_maker)):  # OCR costs seconds a file
                case, others = Case(rng, fake), [Case(rng, fake) for _ in range(3)]
                name = f"c{n:02d}_{k}.{suffix}"
                if suffix in LIBREOFFICE:  # made as .docx, converted below
                    (Path(staging) / suffix).mkdir(exist_ok=True)
                    maker(Path(staging) / suffix / f"c{n:02d}_{k}.docx", case, others)
                else:
                    maker(folder / name, case, others)
                values = case.values + [v for o in others for v in (o.name, o.phone)]
                planted[name] = {"values": values, "decoys": case.decoys}
        _libreoffice(Path(staging), folder)
    (folder / "planted.json").write_text(json.dumps(planted, ensure_ascii=False, indent=1), encoding="utf-8")
    return planted


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    print(len(make(out)), "files")
