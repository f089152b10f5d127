"""The generated folder of bench_vs_presidio.py: seeded fake data in every format both
sides read, under dense/ (rosters, ledgers: IDs, mobiles, cards, names in every row)
and sparse/ (long prose, product tables: an identifier every few hundred lines).
Every planted resident ID, mobile and bank card is recorded to measure recall."""

from __future__ import annotations

import csv
import json
import random
from email.message import EmailMessage
from pathlib import Path

from bench_detect import FIRMS, PEOPLE, PLACES, Corpus

PROSE = ["本协议由双方在平等自愿的基础上协商一致签订，双方应遵守国家有关法律法规及监管机构的相关规定。",
         "乙方应按期支付代理记账服务费，逾期未付的，甲方有权暂停提供服务并要求赔偿由此造成的损失。",
         "本季度公司营业收入较上年同期增长百分之十二，主要来自财税咨询与企业注册代理业务的增长。",
         "客户来电咨询个人所得税汇算清缴事宜，已告知所需材料及办理流程，并提醒其注意申报截止日期。",
         "根据《中华人民共和国个人信息保护法》，处理个人信息应当具有明确、合理的目的，并应当与处理目的直接相关。",
         "会议讨论了下一季度的预算安排，各部门负责人就人员招聘、系统升级与培训计划提出了意见。"]
PRODUCTS = ["代理记账（小规模）", "代理记账（一般纳税人）", "工商注册", "税务筹划", "审计报告", "社保代缴", "商标注册"]


class Planter(Corpus):
    """Corpus's valid identifiers, each one recorded as planted."""

    def __init__(self, seed: int = 20261205):
        super().__init__(seed)
        self.planted: dict[str, list[str]] = {"CN_RESIDENT_ID": [], "CN_MOBILE": [], "CN_BANK_CARD": []}

    def plant(self, entity: str) -> str:
        value = {"CN_RESIDENT_ID": self.resident_id, "CN_MOBILE": self.mobile, "CN_BANK_CARD": self.card}[entity]()
        self.planted[entity].append(value)
        return value

    def person_row(self, i: int) -> list[str]:
        return [str(i), self.rng.choice(PEOPLE), self.plant("CN_RESIDENT_ID"), self.plant("CN_MOBILE"),
                self.plant("CN_BANK_CARD"), self.rng.choice(PLACES), f"{self.rng.uniform(100, 99999):.2f}"]

    def prose_line(self, most: int = 6) -> str:
        """Mostly clauses without PI; about one line in 300 holds an identifier."""
        roll = self.rng.randrange(300)
        if roll == 0:
            return f"甲方{self.rng.choice(PEOPLE)}，身份证号码{self.plant('CN_RESIDENT_ID')}，住{self.rng.choice(PLACES)}。"
        if roll == 1:
            return f"如有疑问请联系经办人，电话{self.plant('CN_MOBILE')}。"
        if roll == 2:
            return f"款项请汇入{self.rng.choice(FIRMS)}账户{self.plant('CN_BANK_CARD')}。"
        return "".join(self.rng.choice(PROSE) for _ in range(self.rng.randint(min(2, most), most)))

    def product_row(self, i: int) -> list[str]:
        return [f"SKU{i:07d}", self.rng.choice(PRODUCTS), f"{self.rng.uniform(100, 20000):.2f}",
                str(self.rng.randint(1, 500)), f"2024-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"]


ROSTER = ["序号", "姓名", "身份证号", "手机号码", "银行卡号", "住址", "金额"]
PRODUCT = ["编号", "产品", "单价", "数量", "日期"]


def write_csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def write_xlsx(path: Path, header: list[str], rows) -> None:
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> None:
    import docx
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for k, value in enumerate(row):
                grid.cell(r, k).text = value
    document.save(path)


def write_pdf(path: Path, lines: list[str], per_page: int = 40) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path))
    for start in range(0, len(lines), per_page):
        page.setFont("STSong-Light", 9)
        for i, line in enumerate(lines[start:start + per_page]):
            page.drawString(36, 800 - 19 * i, line)  # every line fits the page at 9 pt
        page.showPage()
    page.save()


def write_pptx(path: Path, table: list[list[str]]) -> None:
    from pptx import Presentation
    from pptx.util import Inches
    deck = Presentation()
    for start in range(1, len(table), 12):
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        slide.shapes.title.text = "客户名单"
        rows = [table[0]] + table[start:start + 12]
        grid = slide.shapes.add_table(len(rows), len(rows[0]), Inches(0.2), Inches(1.5), Inches(9.5), Inches(5)).table
        for r, row in enumerate(rows):
            for k, value in enumerate(row):
                grid.cell(r, k).text = value
    deck.save(path)


def write_eml(path: Path, p: Planter, i: int) -> None:
    message = EmailMessage()
    message["From"] = "客户服务 <service@example.com>"
    message["To"] = "财务部 <finance@example.com>"
    message["Subject"] = f"客户资料补充 第{i}批"
    body = "\n".join(f"{row[1]}，身份证号{row[2]}，手机{row[3]}，银行卡{row[4]}。" for row in
                     (p.person_row(k) for k in range(20)))
    message.set_content(body)
    path.write_bytes(bytes(message))


def generate(root: Path, scale: float = 1.0) -> dict[str, list[str]]:
    """Write the folder (about 24 MB at scale 1) and return the planted values."""
    p, n = Planter(), lambda count: max(2, int(count * scale))
    dense, sparse = root / "dense", root / "sparse"
    dense.mkdir(parents=True)
    sparse.mkdir(parents=True)
    for k in range(3):
        write_csv(dense / f"客户名单{k}.csv", ROSTER, (p.person_row(i) for i in range(n(12000))))
    for k in range(2):
        write_xlsx(dense / f"台账{k}.xlsx", ROSTER, (p.person_row(i) for i in range(n(8000))))
    records = [dict(zip(ROSTER, p.person_row(i))) for i in range(n(8000))]
    (dense / "records.json").write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    rows = "\n".join("<tr>" + "".join(f"<td>{v}</td>" for v in p.person_row(i)) + "</tr>" for i in range(n(8000)))
    (dense / "名单.html").write_text(f"<html><body><table>{rows}</table></body></html>", encoding="utf-8")
    write_docx(dense / "开户资料.docx", ["开户客户信息如下："], [ROSTER] + [p.person_row(i) for i in range(n(300))])
    write_pdf(dense / "流水.pdf", [" ".join(p.person_row(i)[:5]) for i in range(n(2000))])
    write_pptx(dense / "名单.pptx", [ROSTER[:5]] + [p.person_row(i)[:5] for i in range(n(120))])
    for k in range(n(30)):
        write_eml(dense / f"资料{k}.eml", p, k)
    for k in range(4):
        (sparse / f"合同{k}.txt").write_text("\n".join(p.prose_line() for _ in range(n(3000))), encoding="utf-8")
    for k in range(2):
        (sparse / f"纪要{k}.md").write_text("\n\n".join("## 纪要\n" + p.prose_line() for _ in range(n(1500))),
                                          encoding="utf-8")
        write_docx(sparse / f"协议{k}.docx", [p.prose_line() for _ in range(n(800))])
        write_csv(sparse / f"产品{k}.csv", PRODUCT, (p.product_row(i) for i in range(n(30000))))
    paragraphs = "\n".join(f"<p>{p.prose_line()}</p>" for _ in range(n(2000)))
    (sparse / "公告.html").write_text(f"<html><body>{paragraphs}</body></html>", encoding="utf-8")
    notes = [{"id": i, "note": p.prose_line()} for i in range(n(2000))]
    (sparse / "notes.json").write_text(json.dumps(notes, ensure_ascii=False, indent=1), encoding="utf-8")
    write_pdf(sparse / "年报.pdf", [p.prose_line(most=1) for _ in range(n(2000))])
    write_xlsx(sparse / "价目表.xlsx", PRODUCT, (p.product_row(i) for i in range(n(20000))))
    return p.planted
