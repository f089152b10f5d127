"""Hard cases in the parts of Office packages no object model exposes (issue 19,
"every part of an OOXML package"), for make_cases.py: chart titles and caches,
defined names, data validations, autofilters, a sheet named by a mobile, document
variables, custom XML, alt text, a HYPERLINK field code, an embedded workbook, and
an ID card's picture (`picture`: PNG bytes, or None for a blank logo-like one)."""

from __future__ import annotations

import io

import docx
from openpyxl import Workbook
from pptx import Presentation
from pptx.util import Inches


def blank_png() -> bytes:
    """A picture without text (a logo): OCR reads nothing in it."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (200, 120), (40, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def xlsx_parts(path, c, others, picture=None):
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
        sheet.add_image(Picture(io.BytesIO(picture)), "A10")
    book.save(path)


def docx_parts(path, c, others, workbook, picture):
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
    embedded = Part(PackURI("/word/embeddings/Microsoft_Excel_Worksheet1.xlsx"),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workbook, package)
    document.part.relate_to(embedded, RT.PACKAGE)
    document.add_picture(io.BytesIO(picture or blank_png()), width=Inches(4 if picture else 1))
    doc_pr = document.inline_shapes[0]._inline.docPr
    doc_pr.set("descr", f"{c.name}的身份证照片，号码{c.id}")
    doc_pr.set("title", f"{c.name}身份证")
    document.save(path)


def pptx_parts(path, c, others, picture):
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
    shape = slide.shapes.add_picture(io.BytesIO(picture or blank_png()), Inches(6), Inches(4.5),
                                     width=Inches(3.5 if picture else 1))
    shape._element.nvPicPr.cNvPr.set("descr", f"{c.name}的身份证，手机{c.phone}")
    deck.save(path)
