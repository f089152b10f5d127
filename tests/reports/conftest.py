"""A real inventory for the report tests: generated fake people planted in real
xlsx, csv, docx and text files, scanned twice (a change in between), plus one
database table recorded the way a database scan records it.

Everything planted is known here, so tests state exact expected counts and can
grep every export for every raw value.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from faker import Faker

from piiscan.detect.validators.bank_card import luhn_valid
from piiscan.detect.validators.names import validate_person_name
from piiscan.detect.validators.phone import validate_mobile
from piiscan.detect.validators.resident_id import gb11643_check_char

DB_TABLE = "postgresql://scanner@127.0.0.1:5432/crm#public.clients"


@dataclass(frozen=True)
class Person:
    name: str
    resident_id: str
    mobile: str
    card: str

    def raw_values(self) -> list[str]:
        """Each value as planted and in the other ways a leak could be written."""
        i, m, c = self.resident_id, self.mobile, self.card
        return [self.name, i, i.lower(), f"{i[:6]} {i[6:14]} {i[14:]}", m, f"{m[:3]} {m[3:7]} {m[7:]}",
                f"{m[:3]}-{m[3:7]}-{m[7:]}", c, " ".join(c[k:k + 4] for k in range(0, len(c), 4))]


def fake_resident_id(rng: random.Random, year: int, check: str | None = None) -> str:
    while True:
        body = f"110105{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
        if check is None or gb11643_check_char(body) == check:
            return body + gb11643_check_char(body)


def fake_card(rng: random.Random) -> str:
    body = "622202" + "".join(rng.choice("0123456789") for _ in range(12))
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


def make_people(n: int = 8, seed: int = 11) -> list[Person]:
    """people[0] is a child under 14; people[5]'s ID ends in X (written spaced, lower-case x)."""
    faker, rng = Faker("zh_CN"), random.Random(seed)
    faker.seed_instance(seed)
    names: list[str] = []
    while len(names) < n:
        name = faker.name()
        if len(name) in (2, 3) and validate_person_name(name).canonical and name not in names:
            names.append(name)
    mobiles: list[str] = []
    while len(mobiles) < n:
        m = f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"
        if validate_mobile(m).score and m not in mobiles:
            mobiles.append(m)
    people = []
    for k in range(n):
        year = dt.date.today().year - 9 if k == 0 else rng.randint(1955, 1995)
        people.append(Person(names[k], fake_resident_id(rng, year, "X" if k == 5 else None), mobiles[k],
                             fake_card(rng)))
    return people


def write_share(root: Path, people: list[Person]) -> dict[str, Path]:
    """The share before the first scan. Returns the files by short name."""
    from docx import Document
    from openpyxl import Workbook

    p = people
    files = {"xlsx": root / "客户" / "名单.xlsx", "csv": root / "客户" / "通讯录.csv",
             "txt": root / "纪要" / "备忘2015.txt", "docx": root / "纪要" / "会议.docx",
             "clean": root / "空" / "readme.txt", "broken": root / "坏" / "损坏.xlsx", "iso": root / "镜像.iso"}
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "客户"
    sheet.append(["姓名", "身份证号", "手机", "银行卡号"])
    for person in p[:4]:
        sheet.append([person.name, person.resident_id, person.mobile, person.card])
    book.save(files["xlsx"])
    write_contacts(files["csv"], [p[0], p[4]])
    spaced = p[5].resident_id.lower()
    files["txt"].write_text(f"备忘\n身份证号：{spaced[:6]} {spaced[6:14]} {spaced[14:]}\n", encoding="utf-8")
    doc = Document()
    doc.add_paragraph(f"联系人：{p[2].name}，手机{p[2].mobile}")
    doc.save(files["docx"])
    files["clean"].write_text("会议纪要，无客户信息。\n", encoding="utf-8")
    files["broken"].write_bytes(b"PK\x03\x04 not really a workbook")
    files["iso"].write_bytes(b"\0" * 16)
    for path in files.values():
        os.chmod(path, 0o600)
    os.chmod(files["xlsx"], 0o644)  # world-readable
    os.chmod(files["csv"], 0o660)  # group-writable
    old = dt.datetime(2015, 3, 1, tzinfo=dt.timezone.utc).timestamp()
    os.utime(files["txt"], (old, old))  # past a 5-year retention
    return files


def write_contacts(path: Path, people: list[Person]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["姓名", "手机"])
        for person in people:
            writer.writerow([person.name, person.mobile])


def table_result(key: bytes, people: list[Person]) -> dict:
    """A database table scanned as the database scan does it: its cells as text units
    through Scanner.scan_units, turned into the inventory's record by execution.records.result_record."""
    from piiscan.detect.engine import Detector
    from piiscan.core.fingerprint import Fingerprinter
    from piiscan.core.model import TextUnit
    from piiscan.execution.records import result_record
    from piiscan.pipeline.scanner import Scanner

    table = DB_TABLE.split("#")[1]

    def units():
        for row, person in enumerate(people, start=1):
            for column, header, value in (("name", "姓名", person.name), ("id_no", "身份证号", person.resident_id),
                                          ("phone", "手机", person.mobile)):
                yield TextUnit(value, {"table": table, "row": row, "column": column}, header=header)

    return result_record(Scanner(Detector(ner=False), Fingerprinter(key)).scan_units(DB_TABLE, "sql", units), None, 0)


@dataclass
class Built:
    root: Path
    url: str
    db: Path
    people: list[Person]
    files: dict[str, Path]
    runs: list[int]  # 1: first scan, 2: incremental after changes (and the broken file again), 3: a database table


def build_inventory(tmp: Path, key: bytes) -> Built:
    from piiscan.inventory import Inventory
    from piiscan.inventory.run import Options, scan_inventory

    people = make_people()
    root = tmp / "share"
    files = write_share(root, people)
    db = tmp / "inventory.db"
    url = f"sqlite:///{db}"
    code, first = scan_inventory(url, Options([str(root)], jobs=1, ner=False), key)
    assert code == 1 and first["status"] == "completed", first
    # between the scans: a new contact in the csv, the meeting notes deleted
    write_contacts(files["csv"], [people[0], people[4], people[6]])
    os.chmod(files["csv"], 0o660)
    files["docx"].unlink()
    code, second = scan_inventory(url, Options([str(root)], incremental=True, jobs=1, ner=False), key)
    assert code == 1 and second["files_read"] == 2 and second["files_removed"] == 1, second
    store = Inventory(url)
    run_id, _ = store.begin_run(["postgresql://scanner@127.0.0.1:5432/crm"], {"database": True},
                                {"tool_version": "test", "policy_version": "test", "model_version": "test"})
    store.commit_batch(run_id, [({"path": DB_TABLE}, table_result(key, [people[1], people[7]]))])
    store.finish_run(run_id, "completed")
    store.close()
    return Built(root, url, db, people, files, [first["id"], second["id"], run_id])


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    from piiscan.core.fingerprint import load_key

    return build_inventory(tmp_path_factory.mktemp("reports"), load_key())


@pytest.fixture
def inventory(built, tmp_path) -> Built:
    """A private copy of the built inventory, for tests that write to it."""
    db = tmp_path / "inventory.db"
    for suffix in ("", "-wal"):
        if Path(f"{built.db}{suffix}").exists():
            shutil.copy(f"{built.db}{suffix}", f"{db}{suffix}")
    return Built(built.root, f"sqlite:///{db}", db, built.people, built.files, built.runs)


def run_cli(*args: str, check_code: int | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "piiscan", *args], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=300)
    if check_code is not None:
        assert done.returncode == check_code, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    return done
