"""The sharing register: two redact runs to two recipients, then `locate` says who
received data about a person, when and which fields in clear, and `report
--sharing` lists the register. No raw value is stored."""

from __future__ import annotations

import json
import sqlite3

from openpyxl import Workbook
from typer.testing import CliRunner

from piiscan.cli.app import app
from tests.redact.conftest import fake_card, fake_id
from tests.redact.test_cli import cli


def test_register_of_two_shares_to_two_recipients(tmp_path, monkeypatch, capsys):
    import random

    rng = random.Random(5)
    person = ("蔺雪松", fake_id(rng), "13912345678", fake_card(rng))
    other = ("濮阳静", fake_id(rng), "13698765432", fake_card(rng))
    inputs = tmp_path / "in"
    inputs.mkdir()
    book = Workbook()
    book.active.append(["姓名", "身份证号", "手机", "银行卡号"])
    book.active.append(list(person))
    book.active.append(list(other))
    book.save(inputs / "客户.xlsx")
    register = f"sqlite:///{tmp_path / 'register.db'}"

    assert cli(monkeypatch, "redact", str(inputs), "--out", str(tmp_path / "bank"), "--profile", "bank",
               "--recipient", "工商银行朝阳支行", "--inventory", register, "--quiet") == 0
    assert cli(monkeypatch, "redact", str(inputs), "--out", str(tmp_path / "audit"), "--profile", "auditor",
               "--recipient", "某某会计师事务所", "--inventory", register, "--quiet") == 0
    capsys.readouterr()

    runner = CliRunner()
    found = runner.invoke(app, ["locate", "--inventory", register, "--phone", person[2], "--json"])
    assert found.exit_code == 1, found.output
    shared = json.loads(found.output)["shared"]
    assert sorted({s["recipient"] for s in shared}) == ["工商银行朝阳支行", "某某会计师事务所"]
    assert all(s["entity_type"] == "CN_MOBILE" and s["shown"] != "clear" for s in shared)
    by_card = json.loads(runner.invoke(app, ["locate", "--inventory", register, "--card", person[3],
                                             "--json"]).output)["shared"]
    assert {(s["recipient"], s["shown"]) for s in by_card} >= {("工商银行朝阳支行", "clear")}  # the bank sees the card

    listed = runner.invoke(app, ["report", "--inventory", register, "--sharing", "--format", "json"])
    assert listed.exit_code == 1, listed.output
    shares = json.loads(listed.output)["shares"]
    assert [s["recipient"] for s in shares] == ["工商银行朝阳支行", "某某会计师事务所"]
    assert shares[0]["files"] == 1 and shares[0]["in_clear"]["CN_BANK_CARD"] == 2
    assert shares[0]["in_clear"]["PERSON"] == 2

    dump = "\n".join(sqlite3.connect(tmp_path / "register.db").iterdump())
    for value in person + other:
        assert value not in dump
    nobody = runner.invoke(app, ["locate", "--inventory", register, "--phone", "13700001111", "--json"])
    assert nobody.exit_code == 0 and json.loads(nobody.output)["shared"] == []
