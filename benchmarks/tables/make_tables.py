"""Generate the table benchmark of column inference: tables of many shapes with
the person names and travel documents in them labelled, and tables that must
give no PERSON at all (products, places, departments, job titles, company short
names). All values are fake (Faker, seeded); names come from Faker's lists, which
column inference never reads, so the figures are not a test of a list against
itself.

Two splits with disjoint header vocabularies: tune on `dev`, report on `holdout`.

    python benchmarks/tables/make_tables.py      # writes benchmarks/tables/{dev,holdout}/
"""

from __future__ import annotations

import csv
import html
import json
import random
import shutil
from pathlib import Path

from faker import Faker
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
TABLES_PER_SPLIT = 56
ROWS = (3, 60)
FORMATS = ("csv", "xlsx", "json", "gbk.csv")
# Headers of a column of people that no lexicon is likely to hold; each split has its own.
PERSON_HEADERS = {
    "dev": ["受益人", "承租人", "签收人", "经手人", "联系人/个人", "领款", "值班", "跟进", "学员", "payee", "holder",
            "xm", "lxr", "ContactPerson", "户主", "收货", "名单", "对象", "字段3"],
    "holdout": ["被保险人", "出租方代表", "验收", "开票员", "报名者", "对接", "负责", "签到", "beneficiary", "owner",
                "khxm", "fzr", "signer_name", "参保", "寄件", "人员", "成员", "列2", "B"],
}
MIXED_HEADERS = {"dev": ["往来单位", "对方户名", "客户", "counterparty"],
                 "holdout": ["交易对手", "付款方", "单位/个人", "khmc"]}
DOCUMENT_HEADERS = {"dev": ["证件", "号码", "编号2", ""], "holdout": ["证号", "docno", "凭证", ""]}
OTHER_HEADERS = ["金额", "日期", "订单号", "发票代码", "流水号", "备注", "数量", "状态"]
PRODUCTS = ("保温杯 打印纸 白糖 笔记本电脑 签字笔 文件夹 订书机 茶叶 矿泉水 复印纸 台灯 鼠标 键盘 显示器 硒鼓 墨盒 "
            "纸巾 雨伞 插线板 电饭煲 洗衣粉 毛巾 围巾 牙膏 香皂 饼干 方便面 红枣 核桃 蜂蜜 大米 面粉 食用油 酱油").split()
# Words that start with a surname character but name no one: the hard negatives.
SURNAME_WORDS = ("高新 白云 金山 方圆 万达 周年 黄金 常规 安全 程序 明细 石材 钱包 林业 马桶 包装 龙头 江南 何时 "
                 "张贴 李子 刘海 陈列 杨梅 赵州 吴江 孙子 朱砂 胡同 郭外 罗盘 梁柱 宋体 韩流 唐装 冯河 邓州 曹操 "
                 "彭湃 曾经 田园 董事 袁大头 潘多拉 蒋公 蔡司 余额 杜鹃 叶片 苏打 魏碑 丁字 任务 沈阳 姚明").split()
ANNOTATIONS = ("（经理）", "(已离职)", " 先生", "（代办）", " 女士", "(夫)", "（主办会计）")
DEPARTMENTS = "财务部 人事部 行政部 销售部 市场部 技术部 客服部 采购部 仓储部 法务部 审计部 总经办".split()
MINORITY = "阿依古丽 买买提 热依拉 艾力 古丽娜尔 吐尔逊 帕提古丽 迪丽娜尔 扎西 次仁 卓玛 格桑 尼玛 达瓦".split()
COMPOUND = "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 司徒 夏侯 令狐".split()
DOC_FORMATS = {"CN_PASSPORT": "E{:08d}", "CN_HK_MACAU_PERMIT": "C{:08d}", "CN_HOME_RETURN_PERMIT": "H{:08d}"}


class Maker:
    def __init__(self, split: str, seed: int):
        self.split, self.rng = split, random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)

    def name(self) -> str:
        roll = self.rng.random()
        if roll < 0.06:
            return self.rng.choice(COMPOUND) + self.fake.first_name()
        if roll < 0.10:
            return "·".join(self.rng.sample(MINORITY, 2))
        if roll < 0.14:
            name = self.fake.name()
            return name[0] + "  " + name[1:] if len(name) == 2 else name  # 王  芳: padded by hand
        return self.fake.name()

    def decoy(self, kind: str) -> str:
        f, r = self.fake, self.rng
        return {"金额": lambda: f"{r.uniform(10, 99999):.2f}", "日期": lambda: f.date(),
                "订单号": lambda: f"DD{r.randrange(10**11, 10**12)}", "发票代码": lambda: str(r.randrange(10**11, 10**12)),
                "流水号": lambda: f"{f.date().replace('-', '')}{r.randrange(10**9, 10**10)}",
                "备注": lambda: r.choice(["", "已核对", "待补", "正常", "加急"]), "数量": lambda: str(r.randrange(1, 500)),
                "状态": lambda: r.choice(["已付", "未付", "正常", "注销"])}[kind]()

    def negative(self) -> str:
        kind = self.rng.choice(["product", "place", "department", "job", "short_company", "city"])
        f = self.fake
        return {"product": lambda: self.rng.choice(PRODUCTS), "place": f.district, "city": f.city_name,
                "department": lambda: self.rng.choice(DEPARTMENTS), "job": f.job,
                "short_company": f.company_prefix}[kind]()

    def document(self, entity: str) -> str:
        return DOC_FORMATS[entity].format(self.rng.randrange(10**7, 10**8 - 1))


def columns_for(shape: int, m: Maker) -> tuple[list[tuple[str, str]], bool]:
    """(header, kind) per column and whether the table has a header row. Kinds:
    person, mixed, person_list, latin, doc:<ENTITY>, decoy:<header>, negative, id, phone."""
    r, split = m.rng, m.split
    person = r.choice(PERSON_HEADERS[split])
    decoys = [(h, f"decoy:{h}") for h in r.sample(OTHER_HEADERS, 2)]
    shapes = [
        ([("序号", "decoy:数量"), (person, "person")] + decoys, True),
        ([("", "person"), ("", "phone")] + decoys, False),
        ([(person, "person"), ("", "id")] + decoys, r.random() < 0.5),
        ([(r.choice(MIXED_HEADERS[split]), "mixed")] + decoys, True),
        ([(r.choice(["品名", "名称", "项目", "col1", "明细"]), "negative")] + decoys, r.random() < 0.7),
        ([(r.choice(["地区", "片区", "区域", "城市", "位置"]), "negative"), (person, "person")] + decoys, True),
        ([(r.choice(["简称", "品牌", "部门", "岗位", "类别"]), "negative")] + decoys, r.random() < 0.7),
        ([(person, "person"), (r.choice(DOCUMENT_HEADERS[split]), "doc:" + r.choice(list(DOC_FORMATS)))] + decoys,
         True),
        ([(r.choice(["Name", "holder", "payee", "Beneficiary", "full name"]), "latin")] + decoys, True),
        ([(person + "（多人）", "person_list")] + decoys, True),
        ([("", "negative"), ("", "person"), ("", "doc:" + r.choice(list(DOC_FORMATS)))] + decoys, False),
        ([(r.choice(MIXED_HEADERS[split]), "mixed_short")] + decoys, True),
        ([(r.choice(["类别", "", "分组", "标签"]), "surname_word"), (person, "person_sparse")] + decoys,
         r.random() < 0.5),
        ([(person, "person_annotated")] + decoys, r.random() < 0.5),
    ]
    return shapes[shape % len(shapes)]


def cell(kind: str, m: Maker) -> tuple[str, list[tuple[str, str]]]:
    """A value and the gold (entity, value) pairs it holds."""
    if kind == "person":
        name = m.name()
        return name, [("PERSON", name.replace(" ", "") if "  " in name else name)]
    if kind == "mixed":
        if m.rng.random() < 0.5:
            return m.fake.company(), []
        name = m.fake.name()
        return name, [("PERSON", name)]
    if kind == "mixed_short":  # short company names (七喜, 浦华众城) among people
        if m.rng.random() < 0.5:
            return m.fake.company_prefix(), []
        name = m.name()
        return name, [("PERSON", name)]
    if kind == "surname_word":
        return m.rng.choice(SURNAME_WORDS), []
    if kind == "person_sparse":
        return cell("person", m) if m.rng.random() < 0.6 else ("", [])
    if kind == "person_annotated":
        name = m.fake.name()
        return name + (m.rng.choice(ANNOTATIONS) if m.rng.random() < 0.5 else ""), [("PERSON", name)]
    if kind == "person_list":
        names = [m.fake.name() for _ in range(m.rng.randrange(1, 4))]
        return m.rng.choice(["、", "，", "/"]).join(names), [("PERSON", n) for n in names]
    if kind == "latin":
        name = m.fake.romanized_name()
        return name, [("PERSON", name)]
    if kind.startswith("doc:"):
        value = m.document(kind[4:])
        return value, [(kind[4:], value)]
    if kind.startswith("decoy:"):
        return m.decoy(kind[6:]), []
    if kind == "negative":
        return m.negative(), []
    if kind == "id":
        return m.fake.ssn(), []  # found by its checksum; only names and documents are scored here
    return m.fake.phone_number(), []


def table(index: int, m: Maker) -> tuple[list[str], list[list[str]], list[list[list]], bool]:
    cols, with_header = columns_for(index, m)
    rows, gold = [], []
    for _ in range(m.rng.randrange(*ROWS)):
        values = [cell(kind, m) for _, kind in cols]
        rows.append([v for v, _ in values])
        gold.append([g for _, gs in values for g in gs])
    return [h for h, _ in cols], rows, gold, with_header


def write(split: str, seed: int, formats: tuple[str, ...] = FORMATS, folder_name: str = "") -> int:
    folder = HERE / (folder_name or split)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    m, labels = Maker(split, seed), []
    for i in range(TABLES_PER_SPLIT):
        headers, rows, gold, with_header = table(i, m)
        fmt = formats[i % len(formats)]
        name = f"t{i:02d}.{fmt.split('.')[-1]}"
        first = _write_table(folder / name, fmt, headers if with_header else None, rows, i)
        for n, row_gold in enumerate(gold):
            labels.extend({"file": name, "row": first + n, "entity": e, "value": v} for e, v in row_gold)
    (folder / "gold.jsonl").write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in labels),
                                       encoding="utf-8")
    return len(labels)


def _write_table(path: Path, fmt: str, headers, rows, index: int) -> int:
    """Writes the table; returns the row number of its first data row as the reader counts."""
    body = ([headers] if headers else []) + rows
    if fmt.endswith("csv"):
        with path.open("w", newline="", encoding="gbk" if fmt.startswith("gbk") else "utf-8") as f:
            csv.writer(f).writerows(body)
        return 2 if headers else 1
    if fmt == "pdf":
        return _write_pdf(path, headers, rows)
    if fmt == "html":
        cells = "".join("<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr>" for _ in [0] if headers)
        cells += "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in rows)
        path.write_text(f"<html><body><h1>明细</h1><table>{cells}</table></body></html>", encoding="utf-8")
        return 2 if headers else 1
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        title = index % 3 == 1 and headers  # a merged title above the header row, as many workbooks have
        if title:
            sheet.append(["2024年往来明细"])
        for row in body:
            sheet.append(row)
        book.save(path)
        return (2 if title else 1) + (1 if headers else 0)
    keys = [h or f"c{i}" for i, h in enumerate(headers or [f"c{i}" for i in range(len(rows[0]))])]
    path.write_text(json.dumps([dict(zip(keys, row)) for row in rows], ensure_ascii=False, indent=1),
                    encoding="utf-8")
    return 0


def _write_pdf(path: Path, headers, rows) -> int:
    """One page, one line a row, each column at its own x (no ruling lines): what a
    PDF report's text layer gives a reader. Returns the line of the first data row."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ([headers] if headers else []) + rows
    width, height = landscape(A4)
    widths = [max(pdfmetrics.stringWidth(r[c], "STSong-Light", 1) for r in body) for c in range(len(body[0]))]
    size = min(9.0, (width - 72 - 18 * len(widths)) / max(sum(widths), 1))
    page = canvas.Canvas(str(path), pagesize=(width, height))
    page.setFont("STSong-Light", size)
    for n, row in enumerate(body):
        x = 36.0
        for c, value in enumerate(row):
            page.drawString(x, height - 40 - n * (size + 3), value)
            x += widths[c] * size + 18
    page.save()
    return 2 if headers else 1


if __name__ == "__main__":
    for split, seed in (("dev", 20261205), ("holdout", 77)):
        print(split, write(split, seed), "labelled values")
    # the holdout's tables again, as PDF pages and HTML tables
    print("holdout_pdf_html", write("holdout", 77, ("pdf", "html"), "holdout_pdf_html"), "labelled values")
