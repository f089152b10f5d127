"""History for diffs and trends (schema version 2): pi_events written with each
file's findings, run_totals when a run finishes, and the migration of an
inventory made before them."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import inspect, select, text

from piiscan.inventory import Inventory, schema
from piiscan.inventory.history import _identifiers_full
from piiscan.inventory.migrations import LATEST
from piiscan.inventory.run import Options, scan_inventory


def events(url: str) -> list[dict]:
    store = Inventory(url)
    e, f = schema.pi_events, schema.files
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(select(e, f.c.path).join(f, f.c.id == e.c.file_id)
                                              .order_by(e.c.id)).mappings()]
    store.close()
    return rows


def totals(url: str) -> dict[int, dict]:
    store = Inventory(url)
    with store.engine.connect() as conn:
        rows = {r["run_id"]: dict(r) for r in conn.execute(select(schema.run_totals)).mappings()}
    store.close()
    return rows


def test_events_record_what_each_run_changed(built):
    first, second, third = built.runs
    by_run = Counter((e["run_id"], e["change"]) for e in events(built.url))
    # run 1: xlsx 4 people x 4 types, csv 2 x 2, text 1 ID, docx name + mobile
    assert by_run[(first, "added")] == 16 + 4 + 1 + 2 and by_run[(first, "removed")] == 0
    # run 2: a third contact in the csv (name, mobile); the docx deleted (name, mobile)
    assert by_run[(second, "added")] == 2 and by_run[(second, "removed")] == 2
    # run 3: the database table, 2 people x (name, ID, mobile)
    assert by_run[(third, "added")] == 6 and by_run[(third, "removed")] == 0
    removed = [e for e in events(built.url) if e["change"] == "removed"]
    assert {e["path"] for e in removed} == {str(built.files["docx"])}
    assert {e["entity_type"] for e in removed} == {"PERSON", "CN_MOBILE"}
    assert all("*" in e["masked"] for e in events(built.url))  # masked previews only


def test_new_pi_counter_equals_added_events(built):
    store = Inventory(built.url)
    runs = {r["id"]: r for r in store.runs()}
    store.close()
    added = Counter(e["run_id"] for e in events(built.url) if e["change"] == "added")
    assert all(runs[run]["new_pi"] == added[run] for run in built.runs)


def test_run_totals_follow_the_inventory(built):
    first, second, third = built.runs
    t = totals(built.url)
    # distinct people per type after each run (people are numbered as in conftest.make_people):
    # run 1 names/mobiles of 0-4, IDs of 0-3 and 5, cards of 0-3; run 2 adds person 6 in the csv
    # (person 2 stays in the xlsx); run 3 adds person 7 (person 1 was known)
    assert t[first]["identifiers"] == {"CN_BANK_CARD": 4, "CN_MOBILE": 5, "CN_RESIDENT_ID": 5, "PERSON": 5}
    assert t[second]["identifiers"] == {"CN_BANK_CARD": 4, "CN_MOBILE": 6, "CN_RESIDENT_ID": 5, "PERSON": 6}
    assert t[third]["identifiers"] == {"CN_BANK_CARD": 4, "CN_MOBILE": 7, "CN_RESIDENT_ID": 6, "PERSON": 7}
    assert [t[r]["files_with_pi"] for r in built.runs] == [4, 3, 4]  # xlsx, csv, txt, docx; docx gone; + table
    assert [t[r]["files_by_tier"] for r in built.runs] == [{"C2": 4}, {"C2": 3}, {"C2": 4}]
    assert [t[r]["pipl_sensitive_files"] for r in built.runs] == [1, 1, 1]  # the xlsx: cards and a child
    assert [t[r]["files_error"] for r in built.runs] == [1, 1, 1]
    store = Inventory(built.url)
    with store.engine.connect() as conn:
        assert t[third]["identifiers"] == _identifiers_full(conn)  # the incremental count equals a recount
    store.close()


def test_unchanged_rescan_writes_no_events(inventory):
    from piiscan.core.fingerprint import load_key

    before = len(events(inventory.url))
    code, row = scan_inventory(inventory.url, Options([str(inventory.root)], incremental=True, jobs=1, ner=False),
                               load_key())
    assert code == 0 and row["new_pi"] == 0
    assert len(events(inventory.url)) == before
    assert totals(inventory.url)[row["id"]]["identifiers"] == totals(inventory.url)[inventory.runs[2]]["identifiers"]


def _downgrade_to_v1(url: str) -> None:
    """What an inventory written by piiscan before schema version 2 looks like."""
    store = Inventory(url)
    with store.engine.begin() as conn:
        conn.execute(text("drop table pi_events"))
        conn.execute(text("drop table run_totals"))
        conn.execute(text("drop index files_last_run"))
        conn.execute(text("drop table shared_values"))
        conn.execute(text("drop table shares"))
        conn.execute(text("delete from schema_version where version >= 2"))
    store.close()


def test_existing_inventory_migrates_with_its_current_state(inventory):
    _downgrade_to_v1(inventory.url)
    store = Inventory(inventory.url)  # applies steps 2 and 3
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.schema_version.c.version).order_by(
            schema.schema_version.c.version.desc())).scalar() == LATEST == 3
        fi = schema.findings
        held = set(conn.execute(select(fi.c.file_id, fi.c.entity_type, fi.c.fingerprint).where(fi.c.personal)).all())
        e = schema.pi_events
        backfilled = conn.execute(select(e.c.file_id, e.c.entity_type, e.c.fingerprint, e.c.change, e.c.run_id,
                                         e.c.jrt0171, e.c.masked)).all()
        indexes = {i["name"] for i in inspect(conn).get_indexes("files")}
    store.close()
    assert {(r[0], r[1], r[2]) for r in backfilled} == held and len(backfilled) == len(held) == 16 + 6 + 1 + 6
    assert {r.change for r in backfilled} == {"added"} and {r.jrt0171 for r in backfilled} == {"C2"}
    assert "files_last_run" in indexes
    # the next run after the upgrade records its totals and a diff from there on is exact
    store = Inventory(inventory.url)
    run_id, _ = store.begin_run(["/nowhere"], {}, {"tool_version": "t", "policy_version": "t", "model_version": "t"})
    row = store.finish_run(run_id, "completed")
    store.close()
    assert row["status"] == "completed"
    assert totals(inventory.url)[run_id]["identifiers"] == {"CN_BANK_CARD": 4, "CN_MOBILE": 7, "CN_RESIDENT_ID": 6,
                                                           "PERSON": 7}
