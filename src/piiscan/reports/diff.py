"""New and resolved personal information between two runs, from `pi_events`.

The PI a file held after run B minus what it held after run A is the sum of its
events in (A, B]: a (file, entity type, fingerprint) pair whose events sum to
+1 is new, to -1 resolved. Only the events in between are read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator

from sqlalchemy import case, func, select

from piiscan.inventory import Inventory, schema
from piiscan.reports.data import ReportError
from piiscan.core.tiers import name_of, sql_rank

_RANK = sql_rank(schema.pi_events.c.jrt0171)


@dataclass
class DiffSummary:
    run_a: int
    run_b: int
    new: Counter = field(default_factory=Counter)  # pairs per entity type
    resolved: Counter = field(default_factory=Counter)
    files_new: set = field(default_factory=set)
    files_resolved: set = field(default_factory=set)

    def to_dict(self) -> dict:
        return {"run_a": self.run_a, "run_b": self.run_b, "new": sum(self.new.values()),
                "resolved": sum(self.resolved.values()), "new_by_entity": dict(sorted(self.new.items())),
                "resolved_by_entity": dict(sorted(self.resolved.items())),
                "files_with_new_pi": len(self.files_new), "files_with_resolved_pi": len(self.files_resolved)}


def check_runs(store: Inventory, *runs: int) -> None:
    with store.engine.connect() as conn:
        known = set(conn.execute(select(schema.runs.c.id)).scalars())
    for run in runs:
        if run not in known:
            raise ReportError(f"no run {run} in the inventory (runs: {', '.join(map(str, sorted(known))) or 'none'})")


def diff(store: Inventory, run_a: int, run_b: int, summary: DiffSummary) -> Iterator[dict]:
    """Changed pairs from the state after run_a to the state after run_b (either order),
    new ones first, each with its file, tier and masked preview; `summary` fills as they come."""
    check_runs(store, run_a, run_b)
    low, high, sign = (run_a, run_b, 1) if run_a <= run_b else (run_b, run_a, -1)
    e, f = schema.pi_events, schema.files
    net = func.sum(case((e.c.change == "added", 1), else_=-1)).label("net")
    pairs = (select(e.c.file_id, e.c.entity_type, e.c.fingerprint, net, func.max(_RANK).label("rank"),
                    func.max(e.c.jrt0197).label("jrt0197"),
                    func.max(case((e.c.pipl_sensitive, 1), else_=0)).label("sensitive"),
                    func.max(e.c.masked).label("masked"))
             .where(e.c.run_id > low, e.c.run_id <= high)
             .group_by(e.c.file_id, e.c.entity_type, e.c.fingerprint).having(net != 0).subquery())
    query = (select(pairs, f.c.path, f.c.status).join(f, f.c.id == pairs.c.file_id)
             .order_by((pairs.c.net * sign).desc(), f.c.path, pairs.c.entity_type, pairs.c.masked))
    with store.engine.connect() as conn:
        for r in conn.execution_options(stream_results=True, yield_per=5000).execute(query).mappings():
            change = "new" if r["net"] * sign > 0 else "resolved"
            (summary.new if change == "new" else summary.resolved)[r["entity_type"]] += 1
            (summary.files_new if change == "new" else summary.files_resolved).add(r["file_id"])
            yield {"change": change, "path": r["path"], "file_status": r["status"], "entity_type": r["entity_type"],
                   "masked": r["masked"], "fingerprint": r["fingerprint"], "jrt0171": name_of(r["rank"]),
                   "jrt0197": r["jrt0197"], "pipl_sensitive": bool(r["sensitive"])}
