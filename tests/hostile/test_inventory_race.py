"""Two scans started at the same moment on a new inventory: the schema is created
once (the database's write lock is taken before the schema version is read), the
loser stops at the scan lock with exit 2 and its one-line message, never exit 70."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PIISCAN = [sys.executable, "-m", "piiscan"]


def _race(target: list[str], share: Path) -> list[tuple[int, str]]:
    env = os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    command = PIISCAN + ["scan", str(share), *target, "--no-ner", "--quiet", "--jobs", "1"]
    runs = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
            for _ in range(2)]
    return [(p.wait(timeout=120), p.stderr.read()) for p in runs]


def _share(tmp_path: Path) -> Path:
    share = tmp_path / "share"
    share.mkdir()
    for i in range(20):
        (share / f"{i}.txt").write_text(f"客户手机 1391234{i:04d}，编号 {i}\n", encoding="utf-8")
    return share


def _check(outcomes: list[tuple[int, str]]) -> None:
    codes = sorted(code for code, _ in outcomes)
    assert all(code in (0, 1, 2) for code in codes), outcomes  # never 70 ("table … already exists")
    for code, err in outcomes:
        if code == 2:
            assert "inventory is locked by another scan" in err


@pytest.mark.parametrize("attempt", range(3))
def test_two_scans_on_a_new_sqlite_inventory(tmp_path, attempt):
    _check(_race(["--inventory", f"sqlite:///{tmp_path / 'new.db'}"], _share(tmp_path)))


@pytest.mark.db
def test_two_scans_on_a_new_postgres_inventory(tmp_path):
    from sqlalchemy import create_engine

    from tests.databases.conftest import PG_URL, server, unique

    admin = create_engine(server(PG_URL, "PostgreSQL"), isolation_level="AUTOCOMMIT")
    name = unique("piiscan_race")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        url = PG_URL.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + f"/{name}"
        _check(_race(["--inventory", url], _share(tmp_path)))
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
