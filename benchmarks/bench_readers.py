"""Big inputs stream: a 1,000,000-row xlsx roster and a 2 GB CSV ledger scanned
with flat memory; a multi-page PDF statement read by PDFium against pdfplumber.

    nice python benchmarks/bench_readers.py [--dir /tmp/piiscan-bench-readers] [--rows 1000000]
                                            [--csv-gb 2] [--pdf-pages 500] [--quick] [--ner]
                                            [--max-seconds S] [--only xlsx|csv|pdf]

Generates the files (once; kept in --dir, never in the repository), then runs
each in its own process twice: `piiscan scan FILE` (rules only unless --ner;
findings streamed to /dev/null) and, as the baseline, extraction only (the same
reader, no detection). Prints wall time, CPU seconds (user + system, from wait4:
the steadier figure on a shared machine), MB/s, rows/s, findings and the peak
resident memory of each child (ru_maxrss), and the ratio full/extraction. The PDF
(a bank statement, 36 customers a page in STSong-Light) is also read by pdfplumber's
extract_text, page by page as the reader did before it took PDFium's characters:
the rows/s column is then pages per second, and pages per CPU second are printed.

The roster has one person per row (name, ID, mobile, card, address, balance): a
million people, three million identifiers for the distinct-individuals count. The
CSV is a bank-statement ledger: 1,000,000 counterparties repeated over ~10 million
transactions, with names, IDs, cards and a phone in every sixth note. All values are
generated (valid checksums computed here), no real person's.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from piiscan.detect.validators.resident_id import gb11643_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红梅鑫斌宇浩凯健俊帆帅旭宁"
STREETS = ["建国路", "人民路", "解放路", "中山路", "长安街", "南京路", "学院路", "和平路"]
DISTRICTS = ["北京市朝阳区", "上海市浦东新区", "广州市天河区", "深圳市南山区", "杭州市西湖区", "成都市武侯区"]
MOBILE_PREFIXES = ["138", "139", "136", "150", "151", "186", "187", "135"]
CUSTOMERS = 1_000_000  # distinct people in the CSV ledger
NOTES = ["客户通过网上银行办理转账业务，资金用途为日常经营周转，经办柜员已核对身份信息。",
         "代账服务费按季度结算，本期费用已于月底前支付，发票随后寄出。",
         "客户来电变更预留手机{mobile}，已核实。",
         "无", "", "工资代发"]
BANKS = ["中国工商银行北京朝阳支行", "中国建设银行上海浦东分行", "招商银行深圳南山支行", "中国农业银行广州天河支行"]
CHANNELS = ["网银", "柜面", "手机银行", "ATM"]


def luhn_complete(body: str) -> str:
    total = 0
    for i, digit in enumerate(reversed(body)):
        d = int(digit)
        if i % 2 == 0:  # doubled: these become every second digit once the check digit is appended
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def person(i: int) -> tuple[str, str, str, str, str]:
    """Name, ID, mobile, card and address of person i: distinct for distinct i, no randomness needed."""
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] \
        + (GIVEN[(i // 7) % len(GIVEN)] if i % 3 else "")
    year, day = 1950 + i % 50, 1 + (i // 50) % 28
    body = f"110105{year}{1 + (i // 1400) % 12:02d}{day:02d}{i % 1000:03d}"
    resident_id = body + gb11643_check_char(body)
    mobile = MOBILE_PREFIXES[i % len(MOBILE_PREFIXES)] + f"{(i * 7919) % 100_000_000:08d}"
    card = luhn_complete(f"622202{i:012d}")
    address = f"{DISTRICTS[i % len(DISTRICTS)]}{STREETS[(i // 6) % len(STREETS)]}{1 + i % 300}号{1 + i % 20}栋{1 + i % 30}01室"
    return name, resident_id, mobile, card, address


def make_xlsx(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("客户名单")
    sheet.append(["2024年客户名单"])  # a title row above the header, as Chinese workbooks have
    sheet.append(["姓名", "身份证号", "手机", "银行卡号", "地址", "余额", "备注"])
    for i in range(rows):
        name, resident_id, mobile, card, address = person(i)
        sheet.append([name, resident_id, int(mobile), card, address, (i * 37) % 100_000, "正常"])
    workbook.save(path)


def make_csv(path: Path, gigabytes: float, seed: int = 3) -> int:
    """A bank-statement ledger (流水) of transactions with counterparties, streamed to disk;
    returns its rows. About 200 bytes and three or four identifiers a row."""
    rng = random.Random(seed)
    target, rows, written = int(gigabytes * (1 << 30)), 0, 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("交易日期,交易时间,流水号,对方户名,对方证件号码,对方账号,对方开户行,金额,余额,摘要,渠道,备注\n")
        while written < target:
            lines = []
            for _ in range(10_000):
                name, resident_id, mobile, card, _ = person(rng.randrange(CUSTOMERS))
                note = NOTES[rows % len(NOTES)].format(mobile=mobile)
                lines.append(f"2024-{1 + rows % 12:02d}-{1 + rows % 28:02d},{rows % 24:02d}:{rows % 60:02d}:{rows % 59:02d},"
                             f"{20240000000000000000 + rows},{name},{resident_id},{card},{BANKS[rows % len(BANKS)]},"
                             f"{rng.randint(1, 500_000)}.{rng.randint(0, 99):02d},{rng.randint(0, 9_000_000)}.00,"
                             f"转账,{CHANNELS[rows % len(CHANNELS)]},{note}\n")
                rows += 1
            block = "".join(lines)
            out.write(block)
            written += len(block.encode("utf-8"))
    return rows


def make_pdf(path: Path, pages: int) -> None:
    """A bank statement: a title line and 36 customers a page at fixed column positions."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for page in range(pages):
        c.setFont("STSong-Light", 10)
        c.drawString(50, 800, f"客户对账单 第{page + 1}页 Statement page {page + 1}")
        for row in range(36):
            name, resident_id, mobile, card, address = person(page * 36 + row)
            for x, value in ((50, name), (100, resident_id), (210, mobile), (280, card), (390, address[:14])):
                c.drawString(x, 770 - 20 * row, value)
        c.showPage()
    c.save()


PDFPLUMBER = """
import sys
import pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text()
        page.close()
"""

EXTRACT = """
import sys
from pathlib import Path
from piiscan.sources.readers import reader_for
path = Path(sys.argv[1])
print(sum(1 for _ in reader_for(path).read(path)))
"""


def _proc(pid: int, name: str, field: str) -> int:
    """A number from /proc/PID/status (kB) or /proc/PID/io (bytes); 0 once the child is gone."""
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_child(args: list[str], label: str, max_seconds: float, size: int) -> tuple[float, float, str, float, float]:
    """Wall seconds, peak RSS in MB (wait4's ru_maxrss of that child alone), its standard
    error, the share of the file it read and its CPU seconds (1.0 unless stopped at max_seconds: then
    the bytes it had read, from /proc, of `size`; its own modules count too, so the share is
    a little high). Every minute a progress line — bytes read and
    peak RSS so far — shows memory staying flat while the file goes by."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as errors:
        child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=errors, text=True)
        last, stopped_at = started, None
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)  # not Popen.poll: it would take the rusage
            if pid:
                break
            time.sleep(1)
            now = time.perf_counter()
            if stopped_at is None and now - started > max_seconds:
                stopped_at = _proc(child.pid, "io", "rchar")
                child.terminate()
            elif now - last >= 60:
                last = now
                print(f"    {label}: {now - started:6.0f} s, read {_proc(child.pid, 'io', 'rchar') / 1e6:,.0f} MB, "
                      f"peak RSS so far {_proc(child.pid, 'status', 'VmHWM') / 1024:,.0f} MB", flush=True)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read()
    if stopped_at is None and child.returncode not in (0, 1):  # piiscan exits 1 when it finds PI
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode}): {stderr[-2000:]}")
    share = 1.0 if stopped_at is None else min(1.0, stopped_at / size)
    return elapsed, usage.ru_maxrss / 1024, stderr, share, usage.ru_utime + usage.ru_stime


def bench(label: str, path: Path, rows: int, ner: bool, max_seconds: float, baseline: str = "") -> None:
    """baseline: a script reading the same file another way (pdfplumber for the PDF)."""
    size_mb = path.stat().st_size / 1e6
    piiscan = str(Path(sys.executable).with_name("piiscan"))
    # --jobs 1: the scan in the child itself, whose peak RSS wait4 reports (a worker's would not count)
    scan = [piiscan, "scan", str(path), "--out", os.devnull, "--jobs", "1"] + ([] if ner else ["--no-ner"])
    size = path.stat().st_size
    extract = run_child([sys.executable, "-c", EXTRACT, str(path)], f"{label} extraction", max_seconds, size)
    full = run_child(scan, f"{label} scan", max_seconds, size)
    runs = [("scan (detect+classify)", full), ("extraction only", extract)]
    if baseline:
        runs.append(("pdfplumber extract_text", run_child([sys.executable, "-c", baseline, str(path)],
                                                          f"{label} pdfplumber", max_seconds, size)))
    findings = re.search(r"   findings: (\d+)", full[2])  # not "with findings: 1"
    print(f"\n{label}: {path.name}, {size_mb:,.0f} MB, {rows:,} rows")
    print(f"  {'':<24}{'seconds':>9}{'CPU s':>8}{'MB/s':>9}{'rows/s':>11}{'rows/CPU s':>12}{'peak RSS MB':>13}  read")
    for name, (seconds, rss, _, share, cpu) in runs:
        note = "all" if share == 1.0 else f"{share:.0%}, stopped at --max-seconds"
        print(f"  {name:<24}{seconds:>9.1f}{cpu:>8.1f}{size_mb * share / seconds:>9.2f}{rows * share / seconds:>11,.0f}"
              f"{rows * share / cpu:>12,.0f}{rss:>13.0f}  {note}")
    speed = (full[3] / full[0]) / (extract[3] / extract[0])
    print(f"  findings: {int(findings.group(1)):,}" if findings else "  findings: (scan stopped)", end="   ")
    print(f"scan speed is {speed:.2f} of extraction speed (1/{1 / speed:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/piiscan-bench-readers"))
    parser.add_argument("--rows", type=int, default=1_000_000, help="xlsx rows")
    parser.add_argument("--csv-gb", type=float, default=2.0, help="CSV size in GiB")
    parser.add_argument("--pdf-pages", type=int, default=500, help="pages of the PDF statement")
    parser.add_argument("--quick", action="store_true", help="20,000 rows, a 20 MB CSV and 50 PDF pages")
    parser.add_argument("--ner", action="store_true", help="run the NER model too (slow on addresses)")
    parser.add_argument("--max-seconds", type=float, default=float("inf"),
                        help="stop a child after this long and report the share of the file it read")
    parser.add_argument("--only", choices=("xlsx", "csv", "pdf"), help="one of the three files")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.csv_gb, args.pdf_pages = 20_000, 0.02, 50
    args.dir.mkdir(parents=True, exist_ok=True)
    xlsx = args.dir / f"roster-{args.rows}.xlsx"
    csv_path = args.dir / f"ledger-{args.csv_gb:g}GiB.csv"
    csv_rows_file = csv_path.with_suffix(".rows")
    pdf = args.dir / f"statement-{args.pdf_pages}p.pdf"
    if not xlsx.exists() and args.only in (None, "xlsx"):
        started = time.perf_counter()
        make_xlsx(xlsx.with_suffix(".tmp.xlsx"), args.rows)
        xlsx.with_suffix(".tmp.xlsx").rename(xlsx)
        print(f"generated {xlsx} in {time.perf_counter() - started:.0f} s")
    if not pdf.exists() and args.only in (None, "pdf"):
        make_pdf(pdf.with_suffix(".tmp.pdf"), args.pdf_pages)
        pdf.with_suffix(".tmp.pdf").rename(pdf)
    if not csv_rows_file.exists() and args.only in (None, "csv"):
        started = time.perf_counter()
        csv_rows_file.write_text(str(make_csv(csv_path, args.csv_gb)))
        print(f"generated {csv_path} in {time.perf_counter() - started:.0f} s")
    if args.only in (None, "xlsx"):
        bench("xlsx roster", xlsx, args.rows, args.ner, args.max_seconds)
    if args.only in (None, "csv"):
        bench("CSV ledger", csv_path, int(csv_rows_file.read_text()), args.ner, args.max_seconds)
    if args.only in (None, "pdf"):
        bench("PDF statement (rows = pages)", pdf, args.pdf_pages, args.ner, args.max_seconds, PDFPLUMBER)


if __name__ == "__main__":
    main()
