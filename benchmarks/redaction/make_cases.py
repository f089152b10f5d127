"""Hard cases for redaction: files of every format redact writes, each hiding fake
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
import sqlite3
import sys
import tarfile
import zipfile
from email.message import EmailMessage
from pathlib import Path

import docx
import xlwt
from faker import Faker
from openpyxl import Workbook
from openpyxl.comments import Comment
from pptx import Presentation
from pptx.util import Inches

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


def _html(path, c, others):
    cells = "".join(f"<tr><td>{o.name}</td><td>{o.phone}</td><td>{o.order}</td></tr>" for o in [c] + others)
    path.write_text(f"<html><body><!-- 客户 {c.name} --><table>{cells}</table>"
                    f"<p title='身份证 {c.id}'>金额 {c.amount} 日期 {c.date}</p></body></html>", encoding="utf-8")


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


def _png(path, c, others):
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 36)
    image = Image.new("RGB", (1000, 420), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(["居民身份证复印件", f"姓名 {c.name}", f"公民身份号码 {c.id}", f"联系电话：{c.phone}"]):
        draw.text((40, 40 + 90 * i), line, font=font, fill="black")
    image.save(path)


def _card_png(c, size=(1000, 330)) -> bytes:
    """An ID card's picture (fake values), as the png case draws it."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 36)
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate([f"姓名 {c.name}", f"公民身份号码 {c.id}", f"联系电话：{c.phone}"]):
        draw.text((40, 40 + 90 * i), line, font=font, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _xlsx_parts(path, c, others, picture=False):
    """Where openpyxl's cells are not: a chart title, a defined name's constant, a data
    validation's list and prompt, an autofilter's values, a sheet named by a mobile
    (a formula and a defined name refer to it), an ID card's picture."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.drawing.image import Image as Picture
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "订单"
    for row in [["订单号", "金额", "日期"], [c.order, float(c.amount), c.date]]:
        sheet.append(row)
    chart = BarChart()
    chart.title = f"客户{c.name}（手机{c.phone}）订单金额"
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=2), titles_from_data=True)
    sheet.add_chart(chart, "E2")
    book.defined_names["kh_lxr"] = DefinedName("kh_lxr", attr_text=f'"联系电话{c.phone}"')
    check = DataValidation(type="list", formula1=f'"{c.name},{others[0].name}"', prompt=f"经办人{c.name}，手机{c.phone}",
                           promptTitle="提示", showInputMessage=True)
    sheet.add_data_validation(check)
    check.add("A5")
    personal = book.create_sheet(c.phone)
    personal.append(["手机", c.phone])
    sheet["A7"] = f"='{c.phone}'!A1"
    book.defined_names["kh_sj"] = DefinedName("kh_sj", attr_text=f"'{c.phone}'!$B$1")
    people = book.create_sheet("名单")
    for row in c.rows(others):
        people.append(row)
    people.auto_filter.ref = f"A1:D{len(others) + 2}"
    people.auto_filter.add_filter_column(1, [c.phone, others[0].phone])
    if picture:
        sheet.add_image(Picture(io.BytesIO(_card_png(c))), "A10")
    book.save(path)


def _docx_parts(path, c, others, picture=False):
    """Where python-docx's paragraphs are not: a document variable, a custom XML part,
    a picture's alt text, a HYPERLINK field code, an embedded workbook, an ID card's picture."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph(f"订单 {c.order} 金额 {c.amount} 日期 {c.date}")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document.settings.element.append(parse_xml(f'<w:docVars {w}><w:docVar w:name="客户" w:val="客户{c.name}，身份证'
                                               f'{c.id}"/></w:docVars>'))
    link = parse_xml(f'<w:fldSimple {w} w:instr=" HYPERLINK &quot;https://crm.example.com/kh?sfzh={c.id}&quot; ">'
                     f'<w:r><w:t>客户档案</w:t></w:r></w:fldSimple>')
    document.add_paragraph("详见")._p.append(link)
    package = document.part.package
    custom = Part(PackURI("/customXml/item7.xml"), "application/xml",
                  f"<客户><姓名>{c.name}</姓名><手机>{c.phone}</手机><订单>{c.order}</订单></客户>".encode(), package)
    document.part.relate_to(custom, RT.CUSTOM_XML)
    inner = io.BytesIO()
    _xlsx(inner, c, others, "comment")
    workbook = Part(PackURI("/word/embeddings/Microsoft_Excel_Worksheet1.xlsx"),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", inner.getvalue(), package)
    document.part.relate_to(workbook, RT.PACKAGE)
    image = _card_png(c) if picture else _card_png(Case(random.Random(1), Faker("zh_CN")), (200, 120))
    document.add_picture(io.BytesIO(image), width=Inches(4 if picture else 1))
    doc_pr = document.inline_shapes[0]._inline.docPr
    doc_pr.set("descr", f"{c.name}的身份证照片，号码{c.id}")
    doc_pr.set("title", f"{c.name}身份证")
    document.save(path)


def _pptx_parts(path, c, others, picture=False):
    """Where python-pptx's text frames are not: a chart's title and its cached
    categories, a picture's alt text, an ID card's picture."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = f"订单 {c.order} 日期 {c.date}"
    data = CategoryChartData()
    data.categories = [f"{o.name} 手机{o.phone}" for o in [c] + others]
    data.add_series("金额", [float(c.amount), 1, 2, 3])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(0.5), Inches(1.5), Inches(6), Inches(3),
                                   data).chart
    chart.has_title = True
    chart.chart_title.text_frame.text = f"客户{c.name}（身份证{c.id}）"
    image = _card_png(c) if picture else _card_png(Case(random.Random(1), Faker("zh_CN")), (200, 120))
    shape = slide.shapes.add_picture(io.BytesIO(image), Inches(6), Inches(4.5), width=Inches(3.5 if picture else 1))
    shape._element.nvPicPr.cNvPr.set("descr", f"{c.name}的身份证，手机{c.phone}")
    deck.save(path)


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
    ("xlsx", _xlsx_parts), ("docx", _docx_parts), ("pptx", _pptx_parts),
    ("xlsx", lambda p, c, o: _xlsx_parts(p, c, o, True)), ("docx", lambda p, c, o: _docx_parts(p, c, o, True)),
    ("pptx", lambda p, c, o: _pptx_parts(p, c, o, True)),
]
# OCR costs seconds an image: two png files, one Office file of each kind with an ID card's picture
ONE_EACH = {"png": 2} | {len(MAKERS) - k: 1 for k in (1, 2, 3)}


def make(folder: Path, per_maker: int = 5, seed: int = 20261205, images: bool = True) -> dict:
    """Write the cases into `folder`; returns {file: {"values": [...], "decoys": [...]}}."""
    rng, fake = random.Random(seed), Faker("zh_CN")
    fake.seed_instance(seed)
    planted = {}
    for n, (suffix, maker) in enumerate(MAKERS):
        if (suffix == "png" or n in ONE_EACH) and not images:
            continue
        for k in range(ONE_EACH.get(suffix, ONE_EACH.get(n, per_maker))):
            case, others = Case(rng, fake), [Case(rng, fake) for _ in range(3)]
            name = f"c{n:02d}_{k}.{suffix}"
            maker(folder / name, case, others)
            values = case.values + [v for o in others for v in (o.name, o.phone)]
            planted[name] = {"values": values, "decoys": case.decoys}
    (folder / "planted.json").write_text(json.dumps(planted, ensure_ascii=False, indent=1), encoding="utf-8")
    return planted


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    print(len(make(out)), "files")
