"""Breach impact: how many distinct people a set of files exposes, at which tier,
with which kinds of PI, whether children or sensitive PI are involved — the
figures a PIPL Art. 57 notification (个人信息泄露通知) and the regulator ask for.

People are counted across all the files together: identifiers in one record
(a spreadsheet row, a paragraph) belong to one person, and records sharing an
identifier (the same ID, card, phone or e-mail, by fingerprint) are the same
person; a record naming someone without any identifier counts that name once.
Each person then carries the strictest tier, the PI types and the flags of all
their records.

Findings come from the inventory (files under the given paths as last scanned)
or from a fresh scan of the paths by the same worker pool as an inventory scan.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

from sqlalchemy import or_, select

from piiscan.classify.classifier import record_key
from piiscan.classify.individuals import IdentifierGroups
from piiscan.inventory import Inventory, schema
from piiscan.classify.policy import Policy
from piiscan.core.tiers import name_of, rank

@dataclass
class Person:
    rank: int = 0
    level: int = 0
    sensitive: bool = False
    under_14: bool = False
    under_18: bool = False
    entities: set = field(default_factory=set)
    categories: set = field(default_factory=set)

    def merge(self, other: "Person") -> None:
        self.rank, self.level = max(self.rank, other.rank), max(self.level, other.level)
        self.sensitive |= other.sensitive
        self.under_14 |= other.under_14
        self.under_18 |= other.under_18
        self.entities |= other.entities
        self.categories |= other.categories


class Impact:
    def __init__(self, policy: Policy):
        self.strong, self.names = set(policy.rules.strong_identifiers), set(policy.rules.names)
        self.financial = policy.with_fact("financial")
        self.groups = IdentifierGroups(on_merge=self._merged)  # the classifier's union-find
        self.people: dict[int, Person] = {}  # root of a group → the person's attributes
        self.beyond: list[Person] = []  # records over the union-find's limit: one person each
        self.values: dict[str, set] = defaultdict(set)  # distinct fingerprints per entity type
        self.files, self.files_with_pi, self.records_with_pi, self.unattributed = 0, 0, 0, 0
        self.errors: list[dict] = []

    def _merged(self, root: int, other: int) -> None:
        absorbed = self.people.pop(other, None)
        if absorbed:
            self.people.setdefault(root, Person()).merge(absorbed)

    def add_file(self, findings: Iterable[dict]) -> None:
        """One file's (or table's) findings as the inventory stores them."""
        records: dict[tuple, list[dict]] = defaultdict(list)
        for f in findings:
            if f["personal"]:
                records[record_key(f["location"])].append(f)
        self.files += 1
        self.files_with_pi += bool(records)
        for record in records.values():
            self.add_record(record)

    def add_record(self, findings: list[dict]) -> None:
        self.records_with_pi += 1
        for f in findings:
            self.values[f["entity_type"]].add(f["fingerprint"])
        nodes = [f["fingerprint"] for f in findings if f["entity_type"] in self.strong]
        if not nodes:
            nodes = [f["fingerprint"] for f in findings if f["entity_type"] in self.names][:1]
        if not nodes:
            self.unattributed += 1  # e.g. an address alone: PI, but nobody to count
            return
        root = self.groups.add_record(nodes)
        if root is None:
            person = Person()
            self.beyond.append(person)
        else:
            person = self.people.setdefault(root, Person())
        for f in findings:
            person.rank = max(person.rank, rank(f["jrt0171"]))
            person.level = max(person.level, f["jrt0197"] or 0)
            person.entities.add(f["entity_type"])
            meta = f.get("metadata") or {}
            person.under_14 |= bool(meta.get("minor_under_14"))
            person.under_18 |= meta.get("age_band") in ("0-13", "14-17")
            if f["pipl_sensitive"]:
                person.sensitive = True
                if f["entity_type"] in self.financial:
                    person.categories.add("financial_account")
                elif f["entity_type"] == "SENSITIVE_CATEGORY_HINT":
                    person.categories.add(meta.get("category", "other"))
        if person.under_14:
            person.categories.add("minor_under_14")

    def to_dict(self) -> dict:
        people = list(self.people.values()) + self.beyond
        by_tier, by_level, by_entity, by_category = Counter(), Counter(), Counter(), Counter()
        for p in people:
            by_tier[name_of(p.rank)] += 1
            by_level[p.level] += 1
            by_entity.update(p.entities)
            by_category.update(p.categories)
        return {"persons": len(people),
                "persons_by_tier": {t: by_tier[t] for t in ("C3", "C2", "C1", "none") if by_tier[t]},
                "persons_by_level": {str(k): v for k, v in sorted(by_level.items(), reverse=True)},
                "persons_by_entity": dict(sorted(by_entity.items())),
                "distinct_values_by_entity": {k: len(v) for k, v in sorted(self.values.items())},
                "minors_under_14": sum(p.under_14 for p in people),
                "minors_under_18": sum(p.under_18 for p in people),
                "persons_with_sensitive_pi": sum(p.sensitive for p in people),
                "sensitive_by_category": dict(sorted(by_category.items())),
                "records_with_pi": self.records_with_pi, "records_without_identifier": self.unattributed,
                "files": self.files, "files_with_pi": self.files_with_pi, "errors": self.errors}


# --- sources ------------------------------------------------------------------------
FINDING_COLUMNS = ("location", "entity_type", "fingerprint", "jrt0171", "jrt0197", "pipl_sensitive", "personal",
                   "metadata")


def from_inventory(store: Inventory, paths: list[str], impact: Impact) -> None:
    """Findings of the inventory's files (and tables) at or under the paths."""
    f, fi = schema.files, schema.findings
    under = or_(*(cond for p in paths for cond in (f.c.path == p, f.c.path.startswith(p.rstrip("/") + "/",
                                                                                      autoescape=True),
                                                    f.c.path.startswith(p + "#", autoescape=True))))
    with store.engine.connect() as conn:
        chosen = conn.execute(select(f.c.id, f.c.path, f.c.status, f.c.error)
                              .where(under, f.c.status != "removed").order_by(f.c.path)).all()
        for file_id, path, status, error in chosen:
            if status in ("error", "skipped"):
                impact.errors.append({"path": path, "error": error or status})
            if status not in ("ok", "error"):
                continue
            rows = conn.execution_options(stream_results=True, yield_per=5000).execute(
                select(*(fi.c[c] for c in FINDING_COLUMNS)).where(fi.c.file_id == file_id)).mappings()
            impact.add_file(rows)


def scan_tasks(paths: list[Path]) -> Iterator[dict]:
    from piiscan.sources.readers import reader_for
    from piiscan.sources.walk import Entry, walk

    for item in walk([str(p) for p in paths]):
        if isinstance(item, Entry) and reader_for(Path(item.path)) is not None:
            yield {"path": item.path, "size": item.size}


def from_scan(paths: list[Path], impact: Impact, key: bytes, jobs: int = 0, ner: bool | str = True,
              policy: Optional[str] = None, min_score: float = 0.5) -> None:
    """A fresh scan of the paths by the inventory's worker pool, without an inventory."""
    from piiscan.execution.parallel import run
    from piiscan.execution.records import finding_dict

    settings = {"entities": None, "min_score": min_score, "ner": ner, "policy": policy, "key": key}
    for task, result in run(list(scan_tasks(paths)), settings, jobs=jobs):
        if result["status"] == "error":
            impact.errors.append({"path": task["path"], "error": result.get("error") or "error"})
        if result["status"] in ("ok", "error"):
            impact.add_file(finding_dict(row) for row in result.get("findings") or [])
