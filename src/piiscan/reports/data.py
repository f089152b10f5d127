"""Everything a compliance report shows, read from the inventory once.

`ReportData.stream()` yields (table, row) pairs for every exporter: one pass over
the files (rows of `files`, `errors`, `exposure` and `database_columns`, while
folder roll-ups and totals accumulate), then `folders`, then one pass over the
findings (optional: the HTML report does not list them), then `runs` and
`settings`. Exporters keep one sink per table, so memory stays flat with 10^6
files; only the folder roll-up grows with the number of folders.
"""

from __future__ import annotations

import json
import os
import pwd
import stat
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Iterator, Optional

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from piiscan import __version__
from piiscan.inventory import Inventory, schema
from piiscan.classify.policy import Policy
from piiscan.reports import exposure
from piiscan.reports.tables import files_table
from piiscan.core.tiers import name_of, rank as tier_rank

ERROR_STATUSES = ("error", "skipped")


class ReportError(Exception):
    """A report that cannot be made as asked (unknown run): one line, exit code 2."""


def public_url(url: str) -> str:
    """The inventory URL without its password (in the address or the query), as
    database sources are shown."""
    from piiscan.sources.readers.sql import shown_url

    try:
        return shown_url(make_url(url))
    except (ArgumentError, ValueError):  # not a URL SQLAlchemy parses (a bad port): the scheme only
        return url.split("://", 1)[0] + "://…"


@lru_cache(maxsize=4096)
def owner_name(uid: Optional[int]) -> str:
    if uid is None:
        return ""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def iso(mtime_ns: Optional[int]) -> str:
    if mtime_ns is None:
        return ""
    return datetime.fromtimestamp(mtime_ns / 1e9, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def folder_of(path: str) -> str:
    """A file's folder; a database table's database (path before '#')."""
    return path.split("#", 1)[0] if "#" in path else os.path.dirname(path)


@dataclass
class FolderTotals:
    depth: int = 0
    files: int = 0
    files_with_pi: int = 0
    direct_pi: int = 0  # files with PI directly inside (not below)
    rank: int = 0
    jrt0197: int = 0
    tiers: Counter = field(default_factory=Counter)
    pipl_sensitive_files: int = 0
    persons: int = 0
    findings: int = 0
    flagged_files: int = 0
    errors: int = 0


@dataclass
class Totals:
    files_seen: int = 0
    files_scanned: int = 0
    unsupported: int = 0
    errors: int = 0
    skipped: int = 0
    files_with_pi: int = 0
    files_by_tier: Counter = field(default_factory=Counter)
    pipl_sensitive_files: int = 0
    persons: int = 0
    findings: int = 0
    findings_by_entity: Counter = field(default_factory=Counter)
    files_by_entity: Counter = field(default_factory=Counter)
    flags: Counter = field(default_factory=Counter)
    error_reasons: Counter = field(default_factory=Counter)
    database_tables: int = 0


class ReportData:
    def __init__(self, store: Inventory, policy: Policy, run_id: Optional[int] = None,
                 since: Optional[int] = None, retention: Optional[timedelta] = None,
                 now: Optional[datetime] = None):
        self.store, self.policy = store, policy
        self.retention = retention
        self.now = now or datetime.now(timezone.utc)
        self.only_run, self.since = run_id, since
        with store.engine.connect() as conn:
            r, t = schema.runs, schema.run_totals
            self.runs = [dict(m) for m in conn.execute(select(r).order_by(r.c.id)).mappings()]
            self.totals_by_run = {m["run_id"]: dict(m) for m in conn.execute(select(t)).mappings()}
        ids = {row["id"] for row in self.runs}
        for option, value in (("--run", run_id), ("--since", since)):
            if value is not None and value not in ids:
                raise ReportError(f"{option} {value}: no such run in the inventory "
                                  f"(runs: {', '.join(map(str, sorted(ids))) or 'none'})")
        chosen = run_id if run_id is not None else (max(ids) if ids else None)
        self.run = next((row for row in self.runs if row["id"] == chosen), None)
        self.roots = sorted({root for row in self.runs for root in row["roots"]}, key=len, reverse=True)
        self.totals = Totals()
        self.folders: dict[str, FolderTotals] = {}
        self._summary: Optional[dict] = None
        self._files_done = False
        self.files_table = files_table(policy)

    # --- scope ----------------------------------------------------------------
    def _scoped(self, query):
        f = schema.files
        query = query.where(f.c.status != "removed")
        if self.only_run is not None:
            query = query.where(f.c.last_run == self.only_run)
        if self.since is not None:
            query = query.where(f.c.last_run > self.since)
        return query

    def scope_text(self) -> str:
        if self.only_run is not None:
            return f"files read or recorded by run {self.only_run} 仅该批次读取的文件"
        if self.since is not None:
            return f"files read or recorded after run {self.since} 该批次之后变化的文件"
        return "the whole inventory as of the latest run 全部清单（最新状态）"

    # --- the pass over files --------------------------------------------------
    def stream(self, with_findings: bool = True) -> Iterator[tuple[str, dict]]:
        yield from self._file_pass()
        for folder in self.folder_rows():
            yield "folders", folder
        if with_findings:
            for row in self.finding_rows():
                yield "findings", row
        for row in self.run_rows():
            yield "runs", row
        for row in self.settings_rows():
            yield "settings", row

    def _file_pass(self) -> Iterator[tuple[str, dict]]:
        f, fs = schema.files, schema.file_summaries
        query = self._scoped(select(f, fs.c.jrt0171, fs.c.jrt0197, fs.c.pipl_sensitive, fs.c.counts,
                                    fs.c.distinct_individuals, fs.c.records_with_pi, fs.c.columns)
                             .select_from(f.outerjoin(fs, fs.c.file_id == f.c.id))).order_by(f.c.path)
        with self.store.engine.connect() as conn:
            for raw in conn.execution_options(stream_results=True, yield_per=2000).execute(query).mappings():
                row = self._file_row(raw)
                self._count(row)
                status = row["status"]
                if status in ("ok", "error"):
                    yield "files", row
                if status in ERROR_STATUSES:
                    yield "errors", {k: row[k] for k in ("path", "status", "error", "reader", "last_run")}
                for flag, detail in row["_flags"]:
                    yield "exposure", {"path": row["path"], "flag": flag, "detail": detail} | {
                        k: row[k] for k in ("owner", "mode", "modified", "jrt0171", "jrt0197", "pipl_sensitive",
                                            "persons")}
                if row["reader"] == "sql":
                    yield from (("database_columns", c) for c in self._database_columns(row["path"], raw["columns"]))
        self._files_done = True

    def _file_row(self, raw) -> dict:
        counts = raw["counts"] or {}
        tier = raw["jrt0171"] or "none"
        row: dict[str, Any] = {
            "path": raw["path"], "folder": folder_of(raw["path"]), "reader": raw["reader"] or "",
            "status": raw["status"], "owner": owner_name(raw["owner"]),
            "mode": stat.filemode(stat.S_IFREG | raw["mode"]) if raw["mode"] is not None else "",
            "modified": iso(raw["mtime_ns"]), "size": raw["size"], "jrt0171": tier, "jrt0197": raw["jrt0197"],
            "pipl_sensitive": bool(raw["pipl_sensitive"]), "persons": raw["distinct_individuals"] or 0,
            "records_with_pi": raw["records_with_pi"] or 0, "findings": sum(counts.values()),
            "last_run": raw["last_run"], "error": raw["error"] or "", "counts": counts,
            "mode_bits": raw["mode"], "mtime_ns": raw["mtime_ns"]}
        row["_flags"] = exposure.flags(row, self.now, self.retention)
        row["flags"] = "; ".join(exposure.FLAG_LABELS[flag] for flag, _ in row["_flags"])
        for name in self.policy.entities:
            row[f"count_{name}"] = counts.get(name, 0)
        return row

    def _count(self, row: dict) -> None:
        t = self.totals
        t.files_seen += 1
        status = row["status"]
        if status == "unsupported":
            t.unsupported += 1
        elif status == "skipped":
            t.skipped += 1
        if status == "error":
            t.errors += 1
        if status in ERROR_STATUSES:
            t.error_reasons[(row["error"] or status).split(":")[0][:60]] += 1
        if status in ("ok", "error"):
            t.files_scanned += 1
            t.database_tables += row["reader"] == "sql"
        has_pi = row["jrt0171"] != "none"
        t.files_with_pi += has_pi
        if has_pi:
            t.files_by_tier[row["jrt0171"]] += 1
        t.pipl_sensitive_files += row["pipl_sensitive"]
        t.persons += row["persons"]
        t.findings += row["findings"]
        t.findings_by_entity.update(row["counts"])
        t.files_by_entity.update(k for k, v in row["counts"].items() if v)
        t.flags.update(flag for flag, _ in row["_flags"])
        self._roll_up(row, has_pi)

    # --- folders --------------------------------------------------------------
    def _ancestors(self, path: str) -> list[tuple[str, int]]:
        """(folder, depth below its root) from the file's folder up to the scan root."""
        folder = folder_of(path)
        root = next((r for r in self.roots if folder == r or folder.startswith(r.rstrip("/") + "/")), None)
        if root is None:
            return [(folder, 0)]
        chain = []
        while True:
            chain.append(folder)
            if folder == root or len(folder) <= len(root):
                break
            folder = os.path.dirname(folder)
        return [(name, len(chain) - 1 - k) for k, name in enumerate(chain)]

    def _roll_up(self, row: dict, has_pi: bool) -> None:
        rank = tier_rank(row["jrt0171"])
        for k, (folder, depth) in enumerate(self._ancestors(row["path"])):
            agg = self.folders.get(folder)
            if agg is None:
                agg = self.folders[folder] = FolderTotals(depth=depth)
            agg.files += 1
            agg.files_with_pi += has_pi
            agg.direct_pi += has_pi and k == 0
            agg.rank = max(agg.rank, rank)
            agg.jrt0197 = max(agg.jrt0197, row["jrt0197"] or 0)
            if has_pi:
                agg.tiers[row["jrt0171"]] += 1
            agg.pipl_sensitive_files += row["pipl_sensitive"]
            agg.persons += row["persons"]
            agg.findings += row["findings"]
            agg.flagged_files += bool(row["_flags"])
            agg.errors += row["status"] in ERROR_STATUSES

    def folder_rows(self) -> list[dict]:
        return [{"folder": folder, "depth": a.depth, "files": a.files, "files_with_pi": a.files_with_pi,
                 "direct_pi": a.direct_pi, "jrt0171": name_of(a.rank), "jrt0197": a.jrt0197 or None,
                 "c3_files": a.tiers["C3"], "c2_files": a.tiers["C2"], "c1_files": a.tiers["C1"],
                 "pipl_sensitive_files": a.pipl_sensitive_files, "persons": a.persons, "findings": a.findings,
                 "flagged_files": a.flagged_files, "errors": a.errors}
                for folder, a in sorted(self.folders.items())]

    # --- database columns -----------------------------------------------------
    def _database_columns(self, path: str, columns: Optional[list]) -> Iterator[dict]:
        database, _, table = path.partition("#")
        for c in columns or []:
            where = c.get("column") or {}
            entity = self.policy.entity(c["entity_type"])
            tier = c.get("tier") or {}
            yield {"database": database, "table": where.get("table") or table,
                   "column": where.get("column", json.dumps(where, ensure_ascii=False)), "header": c.get("header"),
                   "entity_type": c["entity_type"], "label": entity.label_zh if entity else "",
                   "share": c.get("share"), "sample_size": c.get("sample_size"),
                   "jrt0171": tier.get("jrt0171", "none"), "jrt0197": tier.get("jrt0197"),
                   "pipl_sensitive": bool(tier.get("pipl_sensitive")), "explanation": c.get("explanation", "")}

    # --- findings -------------------------------------------------------------
    def finding_rows(self) -> Iterator[dict]:
        f, fi = schema.files, schema.findings
        query = self._scoped(select(f.c.path, fi).select_from(fi.join(f, f.c.id == fi.c.file_id))
                             ).order_by(f.c.path, fi.c.seq)
        with self.store.engine.connect() as conn:
            for r in conn.execution_options(stream_results=True, yield_per=5000).execute(query).mappings():
                entity = self.policy.entity(r["entity_type"])
                yield {"path": r["path"], "location": location_text(r["location"]), "entity_type": r["entity_type"],
                       "label": entity.label_zh if entity else "", "score": round(r["score"], 3),
                       "jrt0171": r["jrt0171"], "jrt0197": r["jrt0197"], "pipl_sensitive": bool(r["pipl_sensitive"]),
                       "masked": r["masked"], "fingerprint": r["fingerprint"], "recognizer": r["recognizer"],
                       "metadata": json.dumps(r["metadata"], ensure_ascii=False, sort_keys=True),
                       "run_id": r["run_id"]}

    def identifiers(self) -> dict[str, int]:
        """Distinct personal fingerprints per entity type in the scope."""
        f, fi = schema.files, schema.findings
        query = self._scoped(select(fi.c.entity_type, func.count(func.distinct(fi.c.fingerprint)))
                             .select_from(fi.join(f, f.c.id == fi.c.file_id)).where(fi.c.personal)
                             ).group_by(fi.c.entity_type)
        with self.store.engine.connect() as conn:
            return {entity: n for entity, n in sorted(conn.execute(query).all())}

    # --- runs and settings ----------------------------------------------------
    def run_rows(self) -> list[dict]:
        rows = []
        for run in self.runs:
            totals = self.totals_by_run.get(run["id"]) or {}
            tiers = totals.get("files_by_tier") or {}
            rows.append({k: run[k] for k in ("id", "started_at", "finished_at", "status", "files_seen", "files_read",
                                             "files_error", "files_removed", "new_pi")}
                        | {"roots": "; ".join(run["roots"]), "files_with_pi": totals.get("files_with_pi"),
                           "c3_files": tiers.get("C3", 0) if totals else None,
                           "c2_files": tiers.get("C2", 0) if totals else None,
                           "c1_files": tiers.get("C1", 0) if totals else None,
                           "pipl_sensitive_files": totals.get("pipl_sensitive_files"),
                           "identifiers": sum((totals.get("identifiers") or {}).values()) if totals else None,
                           "identifiers_by_entity": totals.get("identifiers") or {}})
        return rows

    def summary(self) -> dict:
        """Totals of the scope; complete once the file pass is done."""
        if not self._files_done:
            raise RuntimeError("the summary needs the pass over the files first (stream())")
        if self._summary is None:
            self._summary = self._make_summary()
        return self._summary

    def _make_summary(self) -> dict:
        t = self.totals
        return {"files_seen": t.files_seen, "files_scanned": t.files_scanned, "database_tables": t.database_tables,
                "unsupported": t.unsupported, "errors": t.errors, "skipped": t.skipped,
                "files_with_pi": t.files_with_pi,
                "files_by_tier": {k: t.files_by_tier[k] for k in ("C3", "C2", "C1") if t.files_by_tier[k]},
                "pipl_sensitive_files": t.pipl_sensitive_files, "persons_sum": t.persons, "findings": t.findings,
                "findings_by_entity": dict(sorted(t.findings_by_entity.items())),
                "files_by_entity": dict(sorted(t.files_by_entity.items())),
                "identifiers": self.identifiers(), "exposure_flags": dict(sorted(t.flags.items()))}

    def report_info(self) -> dict:
        return {"tool": "piiscan", "version": __version__, "report_format": 1,
                "generated_at": self.now.isoformat(timespec="seconds"), "inventory": public_url(self.store.url),
                "scope": self.scope_text(), "run": self.only_run, "since": self.since,
                "retention_days": self.retention.days if self.retention else None,
                "policy": f"{self.policy.policy} {self.policy.version}"}

    def settings_rows(self) -> list[dict]:
        rows = [{"key": f"report.{k}", "value": v} for k, v in self.report_info().items()]
        if self.run:
            for k, v in self.run.items():
                if k == "settings":
                    rows += [{"key": f"settings.{name}", "value": value} for name, value in v.items()]
                else:
                    rows.append({"key": f"run.{k}", "value": v})
        for k, v in self.summary().items():
            rows.append({"key": f"summary.{k}", "value": v})
        return [{"key": r["key"], "value": _text(r["value"])} for r in rows]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def location_text(location: dict) -> str:
    """{"sheet": "客户", "cell": "B2"} → 'sheet=客户 cell=B2': readable and filterable."""
    return " ".join(f"{k}={v}" for k, v in location.items())

