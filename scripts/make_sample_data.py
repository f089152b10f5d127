"""Write sample_data/: fake files of the kinds a bookkeeping agency keeps.

Seeded and deterministic: the same planted.json every run, and the same csv, txt
and pdf bytes (xlsx/docx bytes differ only by the timestamps their libraries
write). Every value is fake: IDs, cards and codes are generated with valid check
digits so that they look real to the scanner, names and streets come from Faker
zh_CN.

tests/sample_data_planted.json lists each value piiscan must find (file,
entity, value and the location piiscan reports) and the near-misses it must not
report. It lives outside sample_data/ so that a scan of the folder does not
read it.

    python scripts/make_sample_data.py [--out DIR] [--planted FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pdfplumber
from faker import Faker
from openpyxl import Workbook
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from piiscan.detect.validators.bank_card import _bin_table, luhn_valid
from piiscan.detect.validators.resident_id import gb11643_check_char
from piiscan.detect.validators.uscc import ALPHABET, gb11714_check_char, gb32100_check_char

SEED = 20261123
REGIONS = ["110101", "110105", "310104", "310115", "440305", "440106", "330106", "510107", "320102", "420106"]
PLACES = [("北京市", "", "朝阳区"), ("上海市", "", "浦东新区"), ("广东省", "深圳市", "南山区"),
          ("浙江省", "杭州市", "西湖区"), ("四川省", "成都市", "武侯区"), ("江苏省", "南京市", "玄武区")]
MOBILE_BLOCKS = ["138", "139", "150", "186", "177", "199", "135", "158", "189", "136"]
COMPOUND_NAMES = ["欧阳娜娜", "诸葛明", "司马光远"]


class SampleMaker:
    def __init__(self, out: Path, planted: Path):
        self.out, self.planted_path = out, planted
        self.rng = random.Random(SEED)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(SEED)
        self.planted: list[dict] = []
        self.near_misses: list[dict] = []
        self._names: set[str] = set()
        self._debit_bins = sorted(b for b, info in _bin_table().items()
                                  if info.length == 19 and info.card_type == "debit" and b.startswith("62"))

    # -- fake values --------------------------------------------------------------
    def name(self) -> str:
        while True:
            name = self.fake.name()
            if 2 <= len(name) <= 3 and name not in self._names:
                self._names.add(name)
                return name

    def resident_id(self, year_from: int = 1955, year_to: int = 2002) -> str:
        body = (self.rng.choice(REGIONS) + str(self.rng.randint(year_from, year_to))
                + f"{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}{self.rng.randint(0, 999):03d}")
        return body + gb11643_check_char(body)

    def bank_card(self) -> str:
        prefix = self.rng.choice(self._debit_bins)
        body = prefix + "".join(str(self.rng.randint(0, 9)) for _ in range(18 - len(prefix)))
        return next(body + d for d in "0123456789" if luhn_valid(body + d))

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_BLOCKS) + f"{self.rng.randint(0, 99999999):08d}"

    def uscc(self, prefix: str = "91") -> str:
        org = "".join(self.rng.choice("0123456789") for _ in range(8))
        body = prefix + self.rng.choice(REGIONS) + org + gb11714_check_char(org)
        assert all(c in ALPHABET for c in body)
        return body + gb32100_check_char(body)

    def address(self) -> str:
        province, city, district = self.rng.choice(PLACES)
        street = self.fake.street_name()
        return (f"{province}{city}{district}{street}{self.rng.randint(1, 300)}号"
                f"{self.rng.randint(1, 20)}栋{self.rng.randint(1, 4)}单元{self.rng.randint(1, 30)}0{self.rng.randint(1, 4)}室")

    def email(self) -> str:
        return f"{self.fake.user_name()}{self.rng.randint(10, 99)}@{self.rng.choice(['163.com', 'qq.com', 'sina.com'])}"

    def plant(self, file: str, entity: str, value: str, location: dict) -> str:
        self.planted.append({"file": file, "entity": entity, "value": value, "location": location})
        return value

    def miss(self, file: str, value: str, why: str) -> str:
        self.near_misses.append({"file": file, "value": value, "why": why})
        return value

    # -- files --------------------------------------------------------------------
    def roster_xlsx(self) -> None:
        file = "客户名单.xlsx"
        wb = Workbook()
        sheet = wb.active
        sheet.title = "客户"
        sheet.append(["序号", "姓名", "身份证号", "手机号", "银行卡号", "开户行", "地址", "邮箱"])
        for i in range(1, 9):
            row = i + 1
            name = COMPOUND_NAMES[i - 1] if i <= len(COMPOUND_NAMES) else self.name()
            phone = self.mobile()
            sheet.append([
                i,
                self.plant(file, "PERSON", name, {"sheet": "客户", "cell": f"B{row}"}),
                self.plant(file, "CN_RESIDENT_ID", self.resident_id(), {"sheet": "客户", "cell": f"C{row}"}),
                int(phone) if i % 2 else phone,  # Excel users type phones as numbers
                self.plant(file, "CN_BANK_CARD", self.bank_card(), {"sheet": "客户", "cell": f"E{row}"}),
                "中国工商银行北京分行",
                self.plant(file, "CN_ADDRESS", self.address(), {"sheet": "客户", "cell": f"G{row}"}),
                self.plant(file, "EMAIL_ADDRESS", self.email(), {"sheet": "客户", "cell": f"H{row}"}),
            ])
            self.plant(file, "CN_MOBILE", phone, {"sheet": "客户", "cell": f"D{row}"})
        hidden = wb.create_sheet("历史客户")
        hidden.sheet_state = "hidden"
        hidden.append(["姓名", "证件号码", "联系电话"])
        for row in range(2, 5):
            hidden.append([self.plant(file, "PERSON", self.name(), {"sheet": "历史客户", "cell": f"A{row}"}),
                           self.plant(file, "CN_RESIDENT_ID", self.resident_id(),
                                      {"sheet": "历史客户", "cell": f"B{row}"}),
                           self.plant(file, "CN_MOBILE", self.mobile(), {"sheet": "历史客户", "cell": f"C{row}"})])
        wb.save(self.out / file)
        fix_zip_dates(self.out / file)

    def clients_csv_gbk(self) -> None:
        file = "代账客户.csv"
        rows = [["客户名称", "联系人", "联系电话", "统一社会信用代码", "服务内容"]]
        for row in range(2, 7):
            company = self.fake.company()
            contact, phone, code = self.name(), self.mobile(), self.uscc()
            rows.append([company, contact, phone, code, "代理记账"])
            self.plant(file, "PERSON", contact, {"row": row, "column": "联系人"})
            self.plant(file, "CN_MOBILE", phone, {"row": row, "column": "联系电话"})
            self.plant(file, "CN_USCC", code, {"row": row, "column": "统一社会信用代码"})
        with (self.out / file).open("w", encoding="gbk", newline="") as fh:
            csv.writer(fh).writerows(rows)

    def contract_docx(self) -> None:
        file = "债权转让协议.docx"
        d = docx.Document()
        transferor, transferee, guarantor = self.name(), COMPOUND_NAMES[0], self.name()
        id1, id2 = self.resident_id(), self.resident_id()
        home, phone, card, code = self.address(), self.mobile(), self.bank_card(), self.uscc()
        paragraphs = [
            "债权转让协议",
            f"甲方（转让方）：{transferor}，身份证号码：{id1}，住所：{home}。",
            f"乙方（受让方）：{transferee}，身份证号码：{id2}，联系电话：{phone}。",
            f"丙方：{self.fake.company()}，统一社会信用代码：{code}。",
            f"第一条 甲方同意将其对债务人享有的债权转让给乙方，乙方应将转让价款支付至甲方收款账户：{card}。",
            "第二条 本协议自各方签字之日起生效。",
        ]
        for text in paragraphs:
            d.add_paragraph(text)
        p = 2
        self.plant(file, "PERSON", transferor, {"paragraph": p})
        self.plant(file, "CN_RESIDENT_ID", id1, {"paragraph": p})
        self.plant(file, "CN_ADDRESS", home, {"paragraph": p})
        self.plant(file, "PERSON", transferee, {"paragraph": 3})
        self.plant(file, "CN_RESIDENT_ID", id2, {"paragraph": 3})
        self.plant(file, "CN_MOBILE", phone, {"paragraph": 3})
        self.plant(file, "CN_USCC", code, {"paragraph": 4})
        self.plant(file, "CN_BANK_CARD", card, {"paragraph": 5})
        table = d.add_table(rows=2, cols=3)
        for c, header in enumerate(["担保人", "证件号码", "联系电话"]):
            table.cell(0, c).text = header
        guarantor_id, guarantor_phone = self.resident_id(), self.mobile()
        for c, value in enumerate([guarantor, guarantor_id, guarantor_phone]):
            table.cell(1, c).text = value
        self.plant(file, "PERSON", guarantor, {"table": 1, "row": 2, "column": 1})
        self.plant(file, "CN_RESIDENT_ID", guarantor_id, {"table": 1, "row": 2, "column": 2})
        self.plant(file, "CN_MOBILE", guarantor_phone, {"table": 1, "row": 2, "column": 3})
        section = d.sections[0]
        section.header.paragraphs[0].text = "债权转让协议 合同编号：ZR-2026-0815"
        landline = f"010-6{self.rng.randint(0, 9999999):07d}"
        section.footer.paragraphs[0].text = f"经办人：{guarantor}女士  办公电话：{landline}"
        self.plant(file, "PERSON", guarantor, {"section": 1, "part": "footer", "paragraph": 1})
        self.plant(file, "CN_LANDLINE", landline, {"section": 1, "part": "footer", "paragraph": 1})
        d.save(self.out / file)
        fix_zip_dates(self.out / file)

    def share_transfer_pdf(self) -> None:
        file = "股权转让协议.pdf"
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        seller, buyer = self.name(), self.name()
        seller_id, passport = self.resident_id(), f"E{self.rng.randint(10000000, 99999999)}"
        phone, card, home = self.mobile(), self.bank_card(), self.address()
        pages = [
            ["股权转让协议",
             f"转让方：{seller}，身份证号码：{seller_id}",
             f"受让方：{buyer}，护照号码：{passport}",
             f"受让方联系电话：{phone}"],
            ["第二条 转让价款",
             f"受让方应将价款汇入转让方银行卡号：{card}",
             f"转让方住所：{home}"],
        ]
        c = canvas.Canvas(str(self.out / file), invariant=True)  # no timestamp: the same bytes every run
        for page in pages:
            c.setFont("STSong-Light", 11)
            for i, line in enumerate(page):
                c.drawString(60, 780 - 24 * i, line)
            c.showPage()
        c.save()
        with pdfplumber.open(self.out / file) as pdf:  # the CID font's Chinese must come back as text
            if [page.extract_text().splitlines() for page in pdf.pages] != pages:
                raise SystemExit(f"pdfplumber does not read {file} back as written")
        self.plant(file, "PERSON", seller, {"page": 1, "line": 2})
        self.plant(file, "CN_RESIDENT_ID", seller_id, {"page": 1, "line": 2})
        self.plant(file, "PERSON", buyer, {"page": 1, "line": 3})
        self.plant(file, "CN_PASSPORT", passport, {"page": 1, "line": 3})
        self.plant(file, "CN_MOBILE", phone, {"page": 1, "line": 4})
        self.plant(file, "CN_BANK_CARD", card, {"page": 2, "line": 2})
        self.plant(file, "CN_ADDRESS", home, {"page": 2, "line": 3})

    def consultation_txt(self) -> None:
        file = "咨询记录.txt"
        client, phone, client_id, email = self.name(), self.mobile(), self.resident_id(), self.email()
        bad_id = client_id[:-1] + ("0" if client_id[-1] != "0" else "1")
        lines = [
            "2026年3月5日 个税汇算咨询记录",
            f"客户{client}女士来电，手机{phone}，身份证号{client_id}。",
            f"客户自述患有高血压，申请大病医疗专项附加扣除。邮箱：{email}",
            f"登记时误写的身份证号{bad_id}已作废。",
            "订单号：2026031512345678901234，客服热线：400-820-8820，工商银行客服95588。",
            "客户车辆：粤B·D12345，登录IP：202.96.134.133。",
        ]
        (self.out / file).write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.plant(file, "PERSON", client, {"line": 2})
        self.plant(file, "CN_MOBILE", phone, {"line": 2})
        self.plant(file, "CN_RESIDENT_ID", client_id, {"line": 2})
        self.plant(file, "SENSITIVE_CATEGORY_HINT", "患有", {"line": 3})
        self.plant(file, "EMAIL_ADDRESS", email, {"line": 3})
        self.plant(file, "CN_LICENSE_PLATE", "粤B·D12345", {"line": 6})
        self.plant(file, "IP_ADDRESS", "202.96.134.133", {"line": 6})
        self.miss(file, bad_id, "check digit wrong")
        self.miss(file, "2026031512345678901234", "digits inside a longer order number")
        self.miss(file, "400-820-8820", "a business service number")
        self.miss(file, "95588", "a bank's service number")

    def make(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        self.roster_xlsx()
        self.clients_csv_gbk()
        self.contract_docx()
        self.share_transfer_pdf()
        self.consultation_txt()
        manifest = {"seed": SEED, "note": "all values are fake", "planted": self.planted,
                    "near_misses": self.near_misses}
        self.planted_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


FIXED_DATE = datetime(2026, 1, 5, 9, 0, 0)


def fix_zip_dates(path: Path) -> None:
    """Office files are zips stamped with the time of writing (zip entries, and the
    created/modified core properties, which openpyxl sets on every save): a fixed
    date makes the generator's output byte-identical from run to run."""
    with zipfile.ZipFile(path) as zin:
        members = [(info, zin.read(info)) for info in zin.infolist()]
    stamp = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            info.date_time = FIXED_DATE.timetuple()[:6]
            zout.writestr(info, data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--out", type=Path, default=root / "sample_data")
    parser.add_argument("--planted", type=Path, default=root / "tests" / "sample_data_planted.json")
    args = parser.parse_args()
    SampleMaker(args.out, args.planted).make()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
