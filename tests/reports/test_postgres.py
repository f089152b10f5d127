"""History, report data, diff, locate and impact on a PostgreSQL inventory (local
server, a schema of its own dropped afterwards) give what they give on SQLite,
and a PostgreSQL inventory made before schema version 2 migrates.

With CI=true a missing server is a failure; elsewhere the test is skipped."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text

from piiscan.core.fingerprint import load_key
from piiscan.inventory import Inventory
from piiscan.inventory.run import Options, scan_inventory
from piiscan.classify.policy import default_policy
from piiscan.reports.data import ReportData
from piiscan.reports.diff import DiffSummary, diff
from piiscan.reports.impact import Impact, from_inventory
from piiscan.reports.locate import fingerprints, locate

from .conftest import make_people, write_contacts, write_share
from inventory.test_postgres import pg_schema  # noqa: F401  (fixture: a fresh schema on the local server)

pytestmark = pytest.mark.db


def two_scans(url: str, root, people, files, schema_name=None) -> None:
    key = load_key()
    scan_inventory(url, Options([str(root)], jobs=1, ner=False), key, schema_name=schema_name)
    write_contacts(files["csv"], [people[0], people[4], people[6]])
    files["docx"].unlink()
    scan_inventory(url, Options([str(root)], incremental=True, jobs=1, ner=False), key, schema_name=schema_name)


def everything(store: Inventory, root, people) -> dict:
    data = ReportData(store, default_policy(), retention=timedelta(days=1825))
    rows = {}
    local = ("last_run", "run_id", "modified", "mtime_ns", "size")  # differ between the two trees written
    for table, row in data.stream():
        if table not in ("runs", "settings"):
            rows.setdefault(table, []).append({k: v for k, v in row.items() if k not in local})
    summary = DiffSummary(1, 2)
    changes = [(c["change"], c["path"], c["entity_type"], c["masked"]) for c in diff(store, 1, 2, summary)]
    places = [(p["path"], p["location_text"]) for p in
              locate(store, fingerprints([("id", people[1].resident_id), ("phone", people[0].mobile)], load_key()))]
    impact = Impact(default_policy())
    from_inventory(store, [str(root)], impact)
    return {"rows": rows, "summary": data.summary(), "changes": changes, "places": places,
            "impact": impact.to_dict(), "totals": [data.totals_by_run[r["id"]]["identifiers"] for r in data.runs]}


def test_postgres_reports_equal_sqlite(tmp_path, pg_schema):  # noqa: F811
    url, name = pg_schema
    people = make_people()
    results = []
    for kind in ("sqlite", "postgresql"):
        root = tmp_path / kind / "share"
        files = write_share(root, people)
        inventory = f"sqlite:///{tmp_path / 'inv.db'}" if kind == "sqlite" else url
        schema_name = None if kind == "sqlite" else name
        two_scans(inventory, root, people, files, schema_name)
        store = Inventory(inventory, schema_name)
        found = everything(store, root, people)
        store.close()
        results.append(_relative(found, str(root)))
    lite, pg = results
    for key in lite:
        if key == "rows":
            for table in lite["rows"]:
                assert pg["rows"][table] == lite["rows"][table], table
        assert pg[key] == lite[key], key
    assert lite["summary"]["files_with_pi"] == 3 and len(lite["changes"]) == 4 and lite["impact"]["persons"] == 7
    assert lite["totals"][-1] == {"CN_BANK_CARD": 4, "CN_MOBILE": 6, "CN_RESIDENT_ID": 5, "PERSON": 6}


def test_postgres_inventory_from_before_v2_migrates(tmp_path, pg_schema):  # noqa: F811
    url, name = pg_schema
    people = make_people()
    root = tmp_path / "share"
    files = write_share(root, people)
    two_scans(url, root, people, files, name)
    store = Inventory(url, name)
    with store.engine.begin() as conn:
        for statement in ("drop table {}.pi_events", "drop table {}.run_totals", "drop index {}.files_last_run",
                          "drop table {}.shared_values", "drop table {}.shares",
                          "delete from {}.schema_version where version >= 2"):
            conn.execute(text(statement.format(f'"{name}"')))
    store.close()
    store = Inventory(url, name)
    with store.engine.connect() as conn:
        events = conn.execute(text(f'select count(*), min(change), max(change) from "{name}".pi_events')).one()
        held = conn.execute(text(f'select count(*) from (select distinct file_id, entity_type, fingerprint '
                                 f'from "{name}".findings where personal) pairs')).scalar()
    store.close()
    assert events == (held, "added", "added") and held == 16 + 6 + 1


def _relative(found: dict, root: str) -> dict:
    """Paths under the share without the share's own location, to compare two trees."""
    return json.loads(json.dumps(found, default=str).replace(root, "<share>"))
