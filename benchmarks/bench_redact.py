"""Redaction throughput per format: MB of input per second, for writing the
redacted copy and for verifying it (re-reading and re-scanning), on generated
fake data with a typical density of PI (about one value per 60 characters).

    .venv/bin/python benchmarks/bench_redact.py [--scale 1.0] [--operator mask]

Prints numbers only; nothing asserts on timings.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "redact"))
from conftest import fake_card, fake_id  # noqa: E402  (the test suite's fake-value helpers)

sys.path.insert(0, str(Path(__file__).resolve().parent / "redaction"))
from make_cases import id_card_image, lines_image  # noqa: E402  (the hard cases' picture makers)

from piiscan.detect.engine import Detector  # noqa: E402
from piiscan.classify.policy import default_policy  # noqa: E402
from piiscan.protect.operators import Redactor  # noqa: E402
from piiscan.protect.profiles import load_profile  # noqa: E402
from piiscan.protect.verify import verify  # noqa: E402
from piiscan.protect.writers import writer_for  # noqa: E402


def records(n: int, seed: int = 1) -> list[list[str]]:
    faker, rng = Faker("zh_CN"), random.Random(seed)
    faker.seed_instance(seed)
    return [[faker.name(), fake_id(rng), faker.phone_number(), fake_card(rng), faker.sentence(nb_words=8)]
            for _ in range(n)]


def make_files(folder: Path, scale: float) -> dict[str, Path]:
    rows = records(int(4000 * scale))
    header = ["姓名", "身份证号", "手机", "卡号", "备注"]
    lines = [f"客户姓名：{r[0]}，身份证号{r[1]}，手机{r[2]}，卡号{r[3]}。{r[4]}" for r in rows]
    files = {}
    files["txt"] = folder / "notes.txt"
    files["txt"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header] + rows)
    files["csv (GBK)"] = folder / "roster.csv"
    files["csv (GBK)"].write_bytes(buffer.getvalue().encode("gb18030"))
    files["json"] = folder / "export.json"
    files["json"].write_text(json.dumps([dict(zip(header, r)) for r in rows], ensure_ascii=False, indent=2),
                             encoding="utf-8")
    files["html"] = folder / "page.html"
    files["html"].write_text("<html><body>\n" + "\n".join(f"<p>{line}</p>" for line in lines) + "\n</body></html>\n",
                             encoding="utf-8")
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(header)
    for r in rows:
        wb.active.append([r[0], r[1], int(r[2]), r[3], r[4]])
    files["xlsx"] = folder / "roster.xlsx"
    wb.save(files["xlsx"])
    import docx

    document = docx.Document()
    for line in lines[: len(lines) // 2]:
        document.add_paragraph(line)
    files["docx"] = folder / "letters.docx"
    document.save(files["docx"])
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    files["pdf"] = folder / "statements.pdf"
    c = canvas.Canvas(str(files["pdf"]), pagesize=(595, 842))
    per_page = 40
    for start in range(0, max(per_page, int(800 * scale)), per_page):
        c.setFont("STSong-Light", 9)
        for i, line in enumerate(lines[start:start + per_page]):
            c.drawString(30, 800 - i * 19, line[:60])
        c.showPage()
    c.save()
    files.update(more_files(folder, rows, header, lines, scale))
    files.update(legacy_files(folder, files["docx"], rows, header))
    return files


def legacy_files(folder: Path, letters: Path, rows: list, header: list[str]) -> dict[str, Path]:
    """.doc and .rtf (the docx converted by LibreOffice; redact goes through LibreOffice
    twice and verification once more) and XML (one element per field)."""
    import shutil
    import subprocess
    from xml.sax.saxutils import escape

    files = {}
    soffice = shutil.which("soffice")
    for label, target in (("doc", "doc:MS Word 97"), ("rtf", "rtf")) if soffice else ():
        subprocess.run([soffice, "--headless", f"-env:UserInstallation={(folder / 'lo').as_uri()}", "--convert-to",
                        target, "--outdir", str(folder), str(letters)], check=True, capture_output=True, timeout=600)
        files[label] = letters.with_suffix(f".{label}")
    tags = ["xm", "sfzh", "sjhm", "kh", "bz"]  # pinyin initials, as exports name them
    body = "".join("<kh>" + "".join(f"<{t}>{escape(v)}</{t}>" for t, v in zip(tags, r)) + "</kh>\n" for r in rows)
    files["xml"] = folder / "export.xml"
    files["xml"].write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<khlb>\n{body}</khlb>\n', encoding="utf-8")
    return files


def more_files(folder: Path, rows: list, header: list[str], lines: list[str], scale: float) -> dict[str, Path]:
    """The formats redact writes since issue 19: pptx, xls (copied as xlsx), zip, eml,
    SQLite and ID-card images, PDF pages with pictures (OCR: pages per second is the figure to read)."""
    import sqlite3
    import zipfile
    from email.message import EmailMessage

    import xlwt
    from PIL import Image, ImageDraw, ImageFont
    from pptx import Presentation
    from pptx.util import Inches, Pt

    files = {}
    deck = Presentation()
    for start in range(0, max(20, int(400 * scale)), 20):
        frame = deck.slides.add_slide(deck.slide_layouts[6]).shapes.add_textbox(
            Inches(0.3), Inches(0.3), Inches(9), Inches(7)).text_frame
        for line in lines[start:start + 20]:
            paragraph = frame.add_paragraph()
            paragraph.text, paragraph.font.size = line, Pt(8)
    files["pptx"] = folder / "slides.pptx"
    deck.save(files["pptx"])
    book = xlwt.Workbook()
    sheet = book.add_sheet("roster")
    for r, row in enumerate([header] + rows[:60000]):
        for k, value in enumerate(row):
            sheet.write(r, k, value)
    files["xls"] = folder / "legacy.xls"
    book.save(str(files["xls"]))
    files["zip"] = folder / "bundle.zip"
    with zipfile.ZipFile(files["zip"], "w", zipfile.ZIP_DEFLATED) as z:
        z.write(folder / "roster.csv", "roster.csv")
        z.write(folder / "notes.txt", "notes.txt")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "客户 <client@example.com>", "finance@example.com", "资料"
    message.set_content("\n".join(lines[: len(lines) // 4]))
    message.add_attachment((folder / "roster.csv").read_bytes(), maintype="text", subtype="csv", filename="roster.csv")
    files["eml"] = folder / "mail.eml"
    files["eml"].write_bytes(bytes(message))
    files["sqlite"] = folder / "crm.sqlite"
    db = sqlite3.connect(files["sqlite"])
    db.execute("CREATE TABLE kh (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, sjhm TEXT, kh TEXT, bz TEXT)")
    db.executemany("INSERT INTO kh VALUES (?, ?, ?, ?, ?, ?)", [(i, *r) for i, r in enumerate(rows)])
    db.commit()
    db.close()
    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 36)
    image = Image.new("RGB", (1000, 420), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(["居民身份证复印件", f"姓名 {rows[0][0]}", f"公民身份号码 {rows[0][1]}", f"联系电话：{rows[0][2]}"]):
        draw.text((40, 40 + 90 * i), line, font=font, fill="black")
    files["png (OCR)"] = folder / "id-card.png"
    image.save(files["png (OCR)"])
    files.update(pdf_pictures(folder, rows, scale))
    return files


def pdf_pictures(folder: Path, rows: list, scale: float) -> dict[str, Path]:
    """PDFs whose pages draw pictures read by OCR: a text page with an ID-card copy
    beside it, and pages that are only scans (A4 at 150 dpi)."""
    from types import SimpleNamespace

    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))
    count = max(2, int(6 * scale))
    files = {"pdf (img)": folder / "id-copies.pdf", "pdf (scan)": folder / "scans.pdf"}
    cards, scans = (canvas.Canvas(str(files[k]), pagesize=(595, 842)) for k in files)
    for name, resident_id, mobile, _, _ in rows[:count]:
        person = SimpleNamespace(name=name, id=resident_id, phone=mobile)
        cards.setFont("WQY", 12)
        cards.drawString(50, 780, f"开户申请：客户{name}，身份证复印件附后")
        cards.drawImage(ImageReader(id_card_image(person)), 50, 400, width=428, height=270)
        cards.showPage()
        scan = lines_image((1240, 1754), ["借款申请书", f"借款人：{name}", f"身份证号码：{resident_id}",
                                          f"联系电话：{mobile}"], font_size=40, step=110)
        scans.drawImage(ImageReader(scan), 0, 0, width=595, height=842)
        scans.showPage()
    cards.save()
    scans.save()
    return files


def pages(path: Path) -> int:
    """Images of an image file, pages of a PDF of pictures: for OCR'd pages per second
    (write and verify, both OCR). Text PDFs: _pages."""
    if path.suffix == ".png":
        return 1
    if path.name in ("id-copies.pdf", "scans.pdf"):
        from pypdf import PdfReader

        return len(PdfReader(path).pages)
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="size of the generated files (1.0 ≈ 0.1–1 MB each)")
    parser.add_argument("--operator", default="mask")
    args = parser.parse_args()
    policy = default_policy()
    detector = Detector()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "out").mkdir()
        files = make_files(folder, args.scale)
        print(f"operator {args.operator}; write = redacted copy, verify = re-read and re-scan the copy")
        print(f"{'format':<10} {'size MB':>8} {'values':>7} {'write s':>8} {'write MB/s':>10} "
              f"{'verify s':>8} {'total MB/s':>10}")
        for label, src in files.items():
            # a fresh redactor per format: nothing remembered from the previous file
            redactor = Redactor(detector, load_profile(None, policy), policy, b"bench-key" * 4, args.operator)
            writer = writer_for(src)
            dst = (folder / "out" / src.name).with_suffix(getattr(writer, "output_suffix", src.suffix))
            size = src.stat().st_size / 1e6
            t0 = time.perf_counter()
            writer.write(src, dst, redactor)
            t1 = time.perf_counter()
            values = sum(n for ops in redactor.take_counts().values() for n in ops.values())
            leaks = verify(dst, writer, redactor)
            t2 = time.perf_counter()
            count = pages(src)
            per_page = f"  {count / (t2 - t0):.2f} pages/s" if count else ""
            print(f"{label:<10} {size:>8.2f} {values:>7} {t1 - t0:>8.2f} {size / (t1 - t0):>10.2f} "
                  f"{t2 - t1:>8.2f} {size / (t2 - t0):>10.2f}{per_page}" + (f"  LEAKS: {len(leaks)}" if leaks else "")
                  + _pages(src, dst, writer, t1 - t0))


def _pages(src: Path, dst: Path, writer, seconds: float) -> str:
    """PDF: pages per second of writing, and how many pages had to be rasterised."""
    if src.suffix != ".pdf":
        return ""
    from pypdf import PdfReader

    pages = len(PdfReader(src).pages)
    rasterised = sum("rasterised" in note for note in getattr(writer, "unchecked", lambda p: [])(src))
    return f"  {pages} pages, {pages / seconds:.1f} pages/s written, {rasterised} rasterised"


if __name__ == "__main__":
    main()
