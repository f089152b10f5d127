"""Database names that break naive quoting: a MariaDB table and column whose names
hold a backtick are read like any other (SQLAlchemy's reflection keeps `` escaped
in what it parses from SHOW CREATE TABLE; the reader unescapes it)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from piiscan.cli.app import app
from tests.databases.conftest import scratch

pytestmark = pytest.mark.db


def test_backticks_in_mariadb_names(tmp_path):
    def setup(conn, quoted):
        conn.exec_driver_sql(f"CREATE TABLE {quoted}.`客户``表` (id INT PRIMARY KEY, `na``me` VARCHAR(20), "
                             f"`手机``号` VARCHAR(20)) CHARSET utf8mb4")
        conn.exec_driver_sql(f"INSERT INTO {quoted}.`客户``表` VALUES (1, '王芳', '13912345678'), "
                             f"(2, '李建国', '13812345670'), (3, '欧阳娜娜', '13698765432')")

    with scratch("mysql", setup) as (url, name):
        result = CliRunner().invoke(app, ["scan", f"{url}#{name}.客户`表", "--no-ner", "--format", "json",
                                          "--quiet"])
    summary = json.loads(result.output)
    assert summary["errors"] == []
    assert summary["findings"] == {"CN_MOBILE": 3, "PERSON": 3}
