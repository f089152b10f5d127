"""Fake customer tables in real databases: SQLite files made with sqlite3, and a
schema (PostgreSQL) or database (MariaDB) of its own per test run on the local
servers, dropped afterwards. With CI=true a missing server is a failure;
elsewhere the tests that need it are skipped with the reason.

Every value is generated: ID numbers with their MOD 11-2 check character, card
numbers with Luhn under a real BIN (622202, ICBC), names from common surnames."""

from __future__ import annotations

import random
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from sqlalchemy import create_engine

from piiscan.core.fingerprint import Fingerprinter
from piiscan.pipeline.scanner import Scanner
from piiscan.detect.validators.bank_card import luhn_valid
from piiscan.detect.validators.resident_id import gb11643_check_char
from servers import require_server

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MARIA_URL = "mysql+pymysql://root@127.0.0.1:3306/test?charset=utf8mb4"
SURNAMES = ["张", "王", "李", "刘", "陈", "杨", "黄", "赵", "周", "吴", "欧阳", "诸葛"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
PLACES = [("广东省", "深圳市", "南山区"), ("浙江省", "杭州市", "西湖区"), ("北京市", "北京市", "朝阳区"),
          ("四川省", "成都市", "武侯区"), ("江苏省", "南京市", "鼓楼区")]
STREETS = ["科技园路", "文三路", "建国路", "人民南路", "中山北路"]


class Fakes:
    """Seeded fake values; every one validates."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def resident_id(self) -> str:
        r = self.rng
        body = (f"{r.choice(['110105', '440305', '330106', '510107'])}{r.randint(1950, 2000)}"
                f"{r.randint(1, 12):02d}{r.randint(1, 28):02d}{r.randint(0, 999):03d}")
        return body + gb11643_check_char(body)

    def mobile(self) -> int:
        prefix = self.rng.choice(["133", "135", "136", "138", "139", "150", "151", "158", "180", "186", "189"])
        return int(f"{prefix}{self.rng.randint(0, 99999999):08d}")

    def card(self) -> str:
        body = "622202" + "".join(self.rng.choice("0123456789") for _ in range(12))
        return next(body + d for d in "0123456789" if luhn_valid(body + d))

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.randint(1, 2)))

    def address(self) -> str:
        province, city, district = self.rng.choice(PLACES)
        return f"{province}{city}{district}{self.rng.choice(STREETS)}{self.rng.randint(1, 300)}号{self.rng.randint(1, 20)}栋"


@dataclass
class Table:
    """A table to create: name, (column, SQL type) pairs, primary key, rows, findings expected per entity."""

    name: str
    columns: list[tuple[str, str]]
    key: str
    rows: list[tuple]
    expected: dict[str, int] = field(default_factory=dict)

    def raw_values(self) -> set[str]:
        """Every planted value that must never appear in an output."""
        values = {str(v) for row in self.rows for v in row}
        return {v for v in values if (len(v) >= 2 and not v.isascii()) or len(v) >= 11}


def customer_tables(seed: int = 11) -> list[Table]:
    """The tables every database test uses. Column names in Chinese, pinyin initials,
    English, reserved words and mixed case; a BIGINT phone column; an ID number as key."""
    f = Fakes(seed)
    customers = Table("客户信息", [("编号", "INTEGER"), ("姓名", "VARCHAR(20)"), ("身份证号", "VARCHAR(18)"),
                                   ("手机号", "VARCHAR(20)"), ("银行卡号", "VARCHAR(19)"), ("地址", "VARCHAR(100)"),
                                   ("开户行", "VARCHAR(40)"), ("备注", "VARCHAR(40)")], "编号",
                      [(i, f.name(), f.resident_id(), str(f.mobile()), f.card(), f.address(), "中国工商银行深圳分行",
                        "普通客户" if i % 2 else "VIP 𠮷") for i in range(1, 41)],  # 𠮷: four bytes in UTF-8
                      {"PERSON": 40, "CN_RESIDENT_ID": 40, "CN_MOBILE": 40, "CN_BANK_CARD": 40, "CN_ADDRESS": 40})
    contacts = Table("contacts", [("id", "BIGINT"), ("lxr", "VARCHAR(20)"), ("sjhm", "BIGINT")], "id",
                     [(1000 + i, f.name(), f.mobile()) for i in range(30)], {"PERSON": 30, "CN_MOBILE": 30})
    order = Table("Order", [("id", "INTEGER"), ("Name", "VARCHAR(20)"), ("select", "VARCHAR(20)"),
                            ("身份证 号", "VARCHAR(18)")], "id",
                  [(i, f.name(), str(f.mobile()), f.resident_id()) for i in range(1, 11)],
                  {"PERSON": 10, "CN_MOBILE": 10, "CN_RESIDENT_ID": 10})
    persons = Table("persons", [("sfzh", "VARCHAR(18)"), ("xm", "VARCHAR(20)")], "sfzh",
                    [(f.resident_id(), f.name()) for _ in range(20)], {"CN_RESIDENT_ID": 20, "PERSON": 20})
    return [customers, contacts, order, persons]


def total(tables: list[Table]) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in tables:
        for entity, n in t.expected.items():
            out[entity] = out.get(entity, 0) + n
    return out


def quote(dialect: str, name: str) -> str:
    return f"`{name}`" if dialect == "mysql" else f'"{name}"'


def create(conn, dialect: str, table: Table, prefix: str = "", suffix: str = "") -> None:
    columns = ", ".join(f"{quote(dialect, c)} {t}" for c, t in table.columns)
    conn.exec_driver_sql(f"CREATE TABLE {prefix}{quote(dialect, table.name)} ({columns}, "
                         f"PRIMARY KEY ({quote(dialect, table.key)})){suffix}")
    marks = ", ".join(["%s"] * len(table.columns))
    conn.exec_driver_sql(f"INSERT INTO {prefix}{quote(dialect, table.name)} VALUES ({marks})", table.rows)


def make_sqlite(path: Path, tables: list[Table]) -> Path:
    conn = sqlite3.connect(path)
    for table in tables:
        columns = ", ".join(f'"{c}" {t}' for c, t in table.columns)
        conn.execute(f'CREATE TABLE "{table.name}" ({columns}, PRIMARY KEY ("{table.key}"))')
        conn.executemany(f'INSERT INTO "{table.name}" VALUES ({", ".join("?" * len(table.columns))})', table.rows)
    conn.commit()
    conn.close()
    return path


def server(url: str, label: str) -> str:
    return require_server(f"{label} at {url.split('@')[1]}", [url])


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


@contextmanager
def scratch(dialect: str, setup: Callable):
    """A PostgreSQL schema or a MariaDB database of its own, filled by setup(conn, name),
    dropped afterwards: (SQLAlchemy URL to scan it, its name)."""
    url = server(PG_URL, "PostgreSQL") if dialect == "postgresql" else server(MARIA_URL, "MariaDB")
    name = unique("piiscan_db")
    quoted = f'"{name}"' if dialect == "postgresql" else f"`{name}`"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {quoted}" if dialect == "postgresql"
                             else f"CREATE DATABASE {quoted} CHARACTER SET utf8mb4")
        setup(conn, quoted)
    try:
        yield (url if dialect == "postgresql" else url.rsplit("/", 1)[0] + f"/{name}"), name
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {quoted} CASCADE" if dialect == "postgresql"
                                 else f"DROP DATABASE {quoted}")
        engine.dispose()


def pg_tables(tables: list[Table]):
    """A PostgreSQL schema of its own holding `tables`: (SQLAlchemy URL, schema name)."""
    return scratch("postgresql", lambda conn, quoted: [create(conn, "postgresql", t, prefix=f"{quoted}.")
                                                       for t in tables])


@pytest.fixture(scope="module")
def pg_schema():
    """(SQLAlchemy URL, schema, tables): the customer tables in a schema of their own."""
    tables = customer_tables()
    with pg_tables(tables) as (url, name):
        yield url, name, tables


def gbk_table(seed: int = 12) -> Table:
    f = Fakes(seed)
    return Table("gbk_clients", [("id", "INT"), ("姓名", "VARCHAR(20)"), ("手机", "VARCHAR(20)"),
                                 ("地址", "VARCHAR(100)")], "id",
                 [(i, f.name(), str(f.mobile()), f.address()) for i in range(1, 16)],
                 {"PERSON": 15, "CN_MOBILE": 15, "CN_ADDRESS": 15})


@pytest.fixture(scope="module")
def maria_db():
    """(SQLAlchemy URL of a database of its own, database name, tables): the customer
    tables in utf8mb4, and a table stored in GBK (the connection is utf8mb4)."""
    tables = customer_tables() + [gbk_table()]

    def setup(conn, quoted):
        for table in tables:
            charset = " CHARSET gbk" if table.name.startswith("gbk") else " CHARSET utf8mb4"
            create(conn, "mysql", table, prefix=f"{quoted}.", suffix=charset)

    with scratch("mysql", setup) as (url, name):
        yield url, name, tables


@pytest.fixture(scope="session")
def db_scanner(rules_detector):
    return Scanner(rules_detector, Fingerprinter(b"database-tests"))
