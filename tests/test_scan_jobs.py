"""`piiscan scan --jobs N` against the scan in one process (`--jobs 1`): the same bytes
in every findings format, with and without values, the same summary, errors and
exit code, on a generated folder of many formats with broken files among them.
The scans run in this process through typer's CliRunner; the workers are real
processes."""

from __future__ import annotations

import io
import os
import random
import re
import sqlite3
import stat
import tempfile
from pathlib import Path

import docx
import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook
from pypdf import PdfWriter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from piiscan.cli import app

SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ["伟", "芳", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋"]


def resident_id(rng: random.Random) -> str:
    body = f"{rng.choice(['110105', '310104', '440305'])}{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}" \
           f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"


def person(rng: random.Random) -> list[str]:
    return [rng.choice(SURNAMES) + rng.choice(GIVEN), resident_id(rng), mobile(rng)]


def write_pdf(path: Path, lines: list[str]) -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 10)
    for i, line in enumerate(lines):
        page.drawString(40, 800 - 18 * i, line)
    page.save()


def broken_files(folder: Path) -> None:
    """A corrupt workbook, an encrypted PDF and workbook, a FIFO, an unsupported file
    and (for a user other than root) a file without read permission."""
    folder.mkdir()
    (folder / "corrupt.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    (folder / "locked.pdf").write_bytes(buffer.getvalue())
    book = Workbook()
    book.active["A1"] = "13800138000"
    book.save(folder / "plain.xlsx")
    with (folder / "plain.xlsx").open("rb") as plain, (folder / "locked.xlsx").open("wb") as locked:
        OOXMLFile(plain).encrypt("secret", locked)
    (folder / "plain.xlsx").unlink()
    os.mkfifo(folder / "pipe.txt")
    (folder / "data.bin").write_bytes(b"\x00\x01")
    (folder / "secret.txt").write_text("客户手机13800138000\n", encoding="utf-8")
    (folder / "secret.txt").chmod(0)


@pytest.fixture(scope="module")
def share(tmp_path_factory) -> Path:
    """Several formats, a roster whose findings pass the in-memory limit (spooled), many
    tiny notes (chunks, results out of order), a SQLite file and broken files."""
    rng = random.Random(20)
    root = tmp_path_factory.mktemp("share")
    with (root / "roster.csv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("姓名,身份证号,手机号码\n")
        fh.writelines(",".join(person(rng)) + "\n" for _ in range(1500))
    notes = root / "notes"
    notes.mkdir()
    for i in range(60):
        name, _, phone = person(rng)
        (notes / f"note{i:02d}.txt").write_text(f"回访记录：{name}先生，联系电话{phone}。\n" if i % 3 else "今日无事。\n",
                                                encoding="utf-8")
    book = Workbook()
    book.active.append(["姓名", "身份证号", "手机号码"])
    for _ in range(200):
        book.active.append(person(rng))
    book.save(root / "ledger.xlsx")
    document = docx.Document()
    for _ in range(20):
        name, rid, phone = person(rng)
        document.add_paragraph(f"甲方：{name}，身份证号码{rid}，联系电话{phone}。")
    document.save(root / "contract.docx")
    write_pdf(root / "report.pdf", [f"客户{p[0]} 身份证{p[1]} 手机{p[2]}" for p in (person(rng) for _ in range(30))])
    (root / "page.html").write_text("<html><body>" + "".join(f"<p>联系人：{p[0]}，电话{p[2]}</p>" for p in
                                    (person(rng) for _ in range(30))) + "</body></html>", encoding="utf-8")
    with sqlite3.connect(root / "clients.db") as db:
        db.execute("create table clients (id integer primary key, name text, id_number text, phone text)")
        db.executemany("insert into clients (name, id_number, phone) values (?, ?, ?)", [person(rng) for _ in range(50)])
    db.close()
    broken_files(root / "broken")
    return root


def scan(args: list[str], env: dict) -> tuple[int, str, str]:
    """Exit code, standard output and standard error of one scan in this process; the
    summary's timing masked. An exception other than the CLI's exit is re-raised."""
    result = CliRunner().invoke(app, ["scan", *args], env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, re.sub(r"time: [\d.]+s", "time: …", result.stderr)


def output(path: Path) -> bytes:
    return re.sub(rb'"elapsed_seconds": [\d.]+', b'"elapsed_seconds": 0', path.read_bytes())


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    return {"PIISCAN_KEY_FILE": str(tmp_path_factory.mktemp("k") / "key"), "COLUMNS": "160"}


@pytest.fixture()
def spools(tmp_path, monkeypatch) -> Path:
    """The folder where the scans' private spool folders are made: empty after each scan."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))  # multiprocessing's own folder may come here too
    return folder


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json"])
@pytest.mark.parametrize("values", [False, True])
def test_jobs_write_the_same_bytes_as_one_process(share, env, tmp_path, spools, fmt, values):
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"findings.{fmt}"  # the same for both: the summary names it
        args = [str(share), "--no-ner", "--format", fmt, "--out", str(out), "--jobs", jobs]
        runs[jobs] = scan(args + (["--show-values"] if values else []), env), output(out)
        assert list(spools.glob("piiscan-spool-*")) == []
    assert runs["2"] == runs["1"]
    (code, _, stderr), written = runs["1"]
    assert code == 1
    assert len(written) > 200_000  # the roster's findings went through a spool file
    errors = [line for line in stderr.splitlines() if line.startswith("piiscan: error:")]
    expected = {"corrupt.xlsx", "locked.pdf", "locked.xlsx", "pipe.txt"} | ({"secret.txt"} if os.geteuid() else set())
    assert {Path(line.split(":")[2].strip()).name for line in errors} == expected
    assert (b"13800138000" in written) == (values and os.geteuid() == 0)


def test_jobs_to_standard_output_and_with_the_model(share, env, spools, monkeypatch):
    """The default (a worker per core) with the NER model, to standard output; results
    waiting for their turn moved to the spool folder (a tiny HELD) change nothing."""
    from piiscan.reports import spool

    one = scan([str(share), "--jobs", "1"], env)
    assert scan([str(share)], env) == one
    monkeypatch.setattr(spool, "HELD", 1000)
    assert scan([str(share), "--jobs", "2"], env) == one
    assert one[0] == 1 and one[1].count("\n") > 3000
    assert list(spools.glob("piiscan-spool-*")) == []


def test_a_file_over_the_time_limit_is_its_error_and_the_others_are_written(share, env, tmp_path):
    rng = random.Random(3)
    words = ["客户", "张先生", "于", "上海市", "办理", "贷款", "手续", "，", "并", "提交", "材料", "。"]
    folder = tmp_path / "share"
    folder.mkdir()
    roster = (share / "roster.csv").read_text(encoding="utf-8").splitlines(keepends=True)[:200]
    (folder / "roster.csv").write_text("".join(roster), encoding="utf-8")  # well within the limit on a busy machine
    (folder / "note.txt").write_bytes((share / "notes" / "note01.txt").read_bytes())
    one = scan([str(folder), "--jobs", "1"], env)
    (folder / "slow.txt").write_text("".join(rng.choice(words) for _ in range(3_000_000)), encoding="utf-8")  # ~1 min
    code, stdout, stderr = scan([str(folder), "--jobs", "2", "--time-limit", "15"], env)
    assert f"piiscan: error: {folder / 'slow.txt'}: time limit exceeded (15 s)" in stderr.splitlines()
    assert "errors: 1" in stderr
    assert (code, stdout) == one[:2]


def test_the_spool_holds_values_only_when_asked(share, tmp_path, monkeypatch):
    """A worker's unit of work, run here: past INLINE the findings go to a file of the
    spool folder; raw values are in it only with --show-values, in every format."""
    from piiscan.core.fingerprint import load_key
    from piiscan.reports import spool

    monkeypatch.setattr(spool, "INLINE", 100)
    monkeypatch.setenv("PIISCAN_KEY_FILE", str(tmp_path / "key"))
    an_id = (share / "roster.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[1]
    for fmt in ("jsonl", "csv", "json"):
        for values in (False, True):
            with spool.spool_folder() as folder:
                assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
                settings = {"entities": None, "min_score": 0.5, "ner": False, "policy": None, "key": load_key(),
                            "sample_rows": 1000, "format": fmt, "show_values": values, "spool": folder}
                message = spool.scan_to_spool({"path": str(share / "roster.csv")}, settings)
                written = Path(message["spool"]).read_bytes()
                assert stat.S_IMODE(os.stat(message["spool"]).st_mode) == 0o600
                assert (an_id.encode() in written) == values, (fmt, values)
                assert message["counts"]["CN_RESIDENT_ID"] == 1500
            assert not os.path.exists(folder)


def test_the_spool_folder_goes_on_an_error():
    from piiscan.reports.spool import spool_folder

    with pytest.raises(KeyboardInterrupt):
        with spool_folder() as folder:
            Path(folder, "findings.spool").write_text("x", encoding="utf-8")
            raise KeyboardInterrupt
    assert not os.path.exists(folder)


def failing_work(task: dict, settings: dict) -> dict:
    """A unit of work with a bug, whose message quotes a value (built here: a traceback
    shows the source line)."""
    value = "138" + "00138000"
    raise KeyError(f"客户 {value} at {task['path']}")


def test_a_bug_in_a_worker_is_raised_not_a_file_error(tmp_path):
    """Exit 70 in the CLI (main maps any exception): the message keeps no value, the
    worker's frames are the exception's cause."""
    from piiscan.execution.parallel import WorkerBug, run_local

    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(WorkerBug) as raised:
        list(run_local([{"path": str(tmp_path / "a.txt"), "size": 1}], {"extract_only": True}, 1, work=failing_work))
    assert "13800138000" not in str(raised.value) and "KeyError" in str(raised.value)
    assert "failing_work" in str(raised.value.__cause__) and "13800138000" not in str(raised.value.__cause__)
