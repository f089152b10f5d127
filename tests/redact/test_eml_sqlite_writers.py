"""Writers for e-mail and SQLite databases: an .eml with its headers, a GBK text
body, an HTML body and attachments (an xlsx, a zip holding a csv, an unknown
binary) comes back as a parseable message with nothing personal left; a SQLite
file is copied with every row of every table redacted (more rows than a scan
samples), its schema, indexes and constraints kept."""

from __future__ import annotations

import email
import email.policy
import io
import json
import sqlite3
import zipfile
from email.message import EmailMessage
from pathlib import Path

from openpyxl import Workbook, load_workbook

from tests.redact.test_cli import cli
from tests.redact.test_more_writers import everything

NAME, PHONE, ID = "蔺雪松", "13912345678", "110101199003070011"
ORDER = "DD202412050001"


def eml_file(path: Path) -> Path:
    message = EmailMessage()
    message["From"] = f"{NAME} <linxuesong@example.com>"
    message["To"] = "财务部 <finance@example.com>"
    message["Subject"] = f"{NAME}的开户资料 手机{PHONE}"
    message.set_content(f"您好，客户{NAME}，身份证号{ID}，订单{ORDER}。\n", charset="gb18030")
    message.add_alternative(f"<p>客户<b>{NAME}</b>，手机 {PHONE}，订单 {ORDER}</p>", subtype="html")
    book = Workbook()
    book.active.append(["签收人", "手机", "订单号"])
    book.active.append([NAME, PHONE, ORDER])
    buffer = io.BytesIO()
    book.save(buffer)
    message.add_attachment(buffer.getvalue(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename="名单.xlsx")
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("通讯录.csv", f"姓名,手机\n{NAME},{PHONE}\n")
    message.add_attachment(inner.getvalue(), maintype="application", subtype="zip", filename="资料.zip")
    message.add_attachment(b"\x00binary", maintype="application", subtype="octet-stream", filename="扫描.bin")
    path.write_bytes(bytes(message))
    return path


def sqlite_file(path: Path, rows: int) -> Path:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE 客户 (id INTEGER PRIMARY KEY, 签收人 TEXT NOT NULL, 手机 TEXT, 订单号 TEXT UNIQUE)")
    db.execute("CREATE INDEX 客户_手机 ON 客户 (手机)")
    names = ["蔺雪松", "濮阳静", "司马兰", "欧阳平", "钟离雪"]
    db.executemany("INSERT INTO 客户 VALUES (?, ?, ?, ?)",
                   [(i, names[i % 5], f"139{i:08d}", f"DD{i:012d}") for i in range(1, rows + 1)])
    db.commit()
    db.close()
    return path


def test_an_email_and_a_database(tmp_path, monkeypatch, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    eml_file(inputs / "来信.eml")
    sqlite_file(inputs / "业务.sqlite", 1500)  # more rows than the scan's sample of 1,000
    code = cli(monkeypatch, "redact", str(inputs), "--out", str(tmp_path / "out"), "--quiet")
    assert code == 0, capsys.readouterr().err
    out = tmp_path / "out"

    raw = (out / "来信.eml").read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text = "\n".join(str(v) for v in message.values())
    for part in message.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True) or b""
            text += "\n" + (part.get_content() if part.get_content_maintype() == "text" else everything(payload))
    for value in (NAME, PHONE, ID, "linxuesong"):
        assert value not in text, value
    assert ORDER in text
    names = [p.get_filename() for p in message.iter_attachments()]
    assert names == ["名单.xlsx", "资料.zip"]  # the unknown binary is dropped
    xlsx = next(p for p in message.iter_attachments() if p.get_filename() == "名单.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.get_payload(decode=True))).active
    assert sheet["C2"].value == ORDER and sheet["A2"].value != NAME and "*" in sheet["B2"].value
    manifest = json.loads((out / "piiscan-manifest.json").read_text(encoding="utf-8"))
    notes = {Path(f["output"]).name: f["unchecked"] for f in manifest["files"]}
    assert notes["来信.eml"] == ["扫描.bin: no writer for .bin, dropped"]

    db = sqlite3.connect(out / "业务.sqlite")
    rows = db.execute("SELECT 签收人, 手机, 订单号 FROM 客户 ORDER BY id").fetchall()
    assert len(rows) == 1500
    assert all("*" in name and "*" in phone for name, phone, _ in rows)  # every row, not a sample
    assert rows[1499][2] == "DD000000001500"
    schema = " ".join(r[0] for r in db.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"))
    assert "UNIQUE" in schema and "NOT NULL" in schema and "客户_手机" in schema
    db.close()
