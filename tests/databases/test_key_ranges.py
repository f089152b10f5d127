"""Key-range sampling (MySQL, MariaDB, SQLite) spans the whole key whatever the seed:
each range starts in its own tenth of the key, so no seed clusters the sample."""

from __future__ import annotations

import sqlite3

from sqlalchemy import create_engine
from sqlalchemy.sql import column, table

from piiscan.sources.readers.sql_sampling import KEY_RANGES, sample

ROWS = 20_000


def test_key_ranges_span_the_table_for_every_seed(tmp_path):
    path = tmp_path / "big.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE big (id INTEGER PRIMARY KEY, phone INTEGER)")
        db.executemany("INSERT INTO big VALUES (?, ?)", ((i, 13800000000 + i) for i in range(1, ROWS + 1)))
    engine = create_engine(f"sqlite:///{path}")
    clause = table("big", column("id"), column("phone"))
    try:
        with engine.connect() as conn:
            for seed in range(200):
                ids = [row[0] for row in sample(conn, clause, ["id", "phone"], "id", 500, seed)]
                assert len(ids) == len(set(ids)) == 500
                tenths = {(i - 1) * KEY_RANGES // ROWS for i in ids}
                assert tenths == set(range(KEY_RANGES)), seed  # every tenth of the key is sampled
    finally:
        engine.dispose()
