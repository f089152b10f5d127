"""Generated fake files for inventory tests, and a snapshot of an inventory
(its rows without run ids or timestamps) to compare runs."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from sqlalchemy import select

from piiscan.inventory import Inventory, schema

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def fake_id(rng: random.Random) -> str:
    """A made-up resident ID with a valid MOD 11-2 check digit (Beijing Chaoyang region code)."""
    body = f"110105{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]
    return body + check


def fake_mobile(rng: random.Random) -> str:
    return f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"


def make_tree(root: Path, n: int = 12, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        folder = root / f"dept{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"note{i:03d}.txt"
        lines = [f"客户编号 {i}", f"身份证号：{fake_id(rng)}", f"手机：{fake_mobile(rng)}"] if i % 4 else ["会议纪要，无客户信息。"]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    (root / "skip.iso").write_bytes(b"\0" * 10)
    return paths


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "share"
    make_tree(root)
    return root


def snapshot(url: str, schema_name: str | None = None) -> dict:
    """Every row of files, findings and summaries, keyed by path, without ids, run ids or times."""
    store = Inventory(url, schema_name)
    f, fi, fs = schema.files, schema.findings, schema.file_summaries
    with store.engine.connect() as conn:
        files = {r.path: (r.size, r.mtime_ns, r.inode, r.content_hash, r.owner, r.mode, r.reader, r.status, r.error)
                 for r in conn.execute(select(f))}
        paths = dict(conn.execute(select(f.c.id, f.c.path)).all())
        found = sorted((paths[r.file_id], r.seq, json.dumps(r.location, sort_keys=True), r.start, r.end, r.entity_type,
                        round(r.score, 6), r.recognizer, r.jrt0171, r.jrt0197, r.pipl_sensitive, r.personal, r.masked,
                        r.fingerprint, json.dumps(r.metadata, sort_keys=True, ensure_ascii=False),
                        json.dumps(r.explanation, ensure_ascii=False)) for r in conn.execute(select(fi)))
        sums = sorted((paths[r.file_id], r.jrt0171, r.jrt0197, r.pipl_sensitive, json.dumps(r.counts, sort_keys=True),
                       r.distinct_individuals, r.records_with_pi, json.dumps(r.columns, sort_keys=True, ensure_ascii=False))
                      for r in conn.execute(select(fs)))
    store.close()
    return {"files": files, "findings": found, "summaries": sums}
