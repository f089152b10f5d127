"""History of the inventory for diffs and trends (schema version 2).

`pi_events`: when a file's set of personal (entity type, fingerprint) pairs
changes, one `added` or `removed` row per pair that changed, written in the same
transaction as the file's findings. The state of a file after any run is the
sum of its events up to that run, so a diff between two runs reads only the
events in between.

`run_totals`: aggregates written when a run finishes (files per tier, distinct
identifiers per entity type) for the trend. Distinct identifiers are updated
from the events since the last totals, not recounted, so finishing a run on a
large, mostly unchanged inventory stays cheap.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Sequence

from sqlalchemy import Connection, case, delete, func, insert, select

from piiscan.inventory import schema
from piiscan.core.tiers import rank

_fi = schema.findings
PAIR_COLUMNS = (_fi.c.entity_type, _fi.c.fingerprint, _fi.c.jrt0171, _fi.c.jrt0197, _fi.c.pipl_sensitive, _fi.c.masked)
CHUNK = 500  # fingerprints per IN (...) query


def pi_pairs(rows: Iterable[Sequence]) -> dict[tuple[str, str], dict]:
    """Personal findings of one file by (entity type, fingerprint), each with its
    strictest tier and the first masked preview. rows: tuples in PAIR_COLUMNS order."""
    pairs: dict[tuple[str, str], dict] = {}
    for entity_type, fingerprint, jrt0171, jrt0197, pipl_sensitive, masked in rows:
        key = (entity_type, fingerprint)
        seen = pairs.get(key)
        if seen is None:
            pairs[key] = {"jrt0171": jrt0171, "jrt0197": jrt0197, "pipl_sensitive": bool(pipl_sensitive),
                          "masked": masked}
            continue
        if rank(jrt0171) > rank(seen["jrt0171"]):
            seen["jrt0171"] = jrt0171
        seen["jrt0197"] = max(seen["jrt0197"] or 0, jrt0197 or 0) or None
        seen["pipl_sensitive"] = seen["pipl_sensitive"] or bool(pipl_sensitive)
    return pairs


EVENT_COLUMNS = ("run_id", "file_id", "entity_type", "fingerprint", "change", "jrt0171", "jrt0197",
                 "pipl_sensitive", "masked")


def pair_events(run_id: int, file_id: int, old: dict, new: dict) -> list[tuple]:
    """Event rows (EVENT_COLUMNS) for the pairs a file gained and lost."""
    rows = []
    for change, pairs, other in (("added", new, old), ("removed", old, new)):
        for (entity, fingerprint), tier in pairs.items():
            if (entity, fingerprint) not in other:
                rows.append((run_id, file_id, entity, fingerprint, change, tier["jrt0171"], tier["jrt0197"],
                             tier["pipl_sensitive"], tier["masked"]))
    return rows


def _signed():
    return case((schema.pi_events.c.change == "added", 1), else_=-1)


def _identifiers_full(conn: Connection) -> dict[str, int]:
    rows = conn.execute(select(_fi.c.entity_type, func.count(func.distinct(_fi.c.fingerprint)))
                        .where(_fi.c.personal).group_by(_fi.c.entity_type))
    return {entity: n for entity, n in rows if n}


def _identifiers_since(conn: Connection, base: dict[str, int], after_run: int, run_id: int) -> dict[str, int]:
    """Distinct identifiers now = those at run `after_run` + pairs that appeared
    anywhere - pairs that disappeared everywhere, from the events in between."""
    e = schema.pi_events
    net = conn.execute(select(e.c.entity_type, e.c.fingerprint, func.sum(_signed()))
                       .where(e.c.run_id > after_run, e.c.run_id <= run_id)
                       .group_by(e.c.entity_type, e.c.fingerprint)).all()
    changed = {(entity, fp): delta for entity, fp, delta in net if delta}
    counts = dict(base)
    keys = list(changed)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        held = {(entity, fp): n for entity, fp, n in conn.execute(
            select(_fi.c.entity_type, _fi.c.fingerprint, func.count(func.distinct(_fi.c.file_id)))
            .where(_fi.c.personal, _fi.c.fingerprint.in_([fp for _, fp in chunk]))
            .group_by(_fi.c.entity_type, _fi.c.fingerprint))}
        for key in chunk:
            now = held.get(key, 0)
            before = now - changed[key]
            counts[key[0]] = counts.get(key[0], 0) + (now > 0) - (before > 0)
    return {entity: n for entity, n in sorted(counts.items()) if n}


def write_run_totals(conn: Connection, run_id: int) -> dict:
    """The run's aggregates, (re)written in the caller's transaction."""
    fs, f, t = schema.file_summaries, schema.files, schema.run_totals
    by_tier: dict[str, int] = {}
    scanned = sensitive = persons = 0
    for tier, n, n_sensitive, n_persons in conn.execute(
            select(fs.c.jrt0171, func.count(), func.sum(case((fs.c.pipl_sensitive, 1), else_=0)),
                   func.sum(fs.c.distinct_individuals)).group_by(fs.c.jrt0171)):
        scanned += n
        sensitive += n_sensitive or 0
        persons += n_persons or 0
        if tier != "none":
            by_tier[tier] = n
    base = conn.execute(select(t.c.run_id, t.c.identifiers).where(t.c.run_id < run_id)
                        .order_by(t.c.run_id.desc()).limit(1)).first()
    identifiers = _identifiers_since(conn, base.identifiers, base.run_id, run_id) if base else _identifiers_full(conn)
    row = {"run_id": run_id, "computed_at": datetime.now(timezone.utc).isoformat(timespec="microseconds"), "files_scanned": scanned, "files_with_pi": sum(by_tier.values()),
           "files_by_tier": dict(sorted(by_tier.items(), key=lambda kv: -rank(kv[0]))),
           "pipl_sensitive_files": sensitive, "persons": persons, "identifiers": identifiers,
           "files_error": conn.execute(select(func.count()).select_from(f).where(f.c.status == "error")).scalar()}
    conn.execute(delete(t).where(t.c.run_id == run_id))
    conn.execute(insert(t).values(**row))
    return row
