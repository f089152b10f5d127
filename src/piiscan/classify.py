"""Classification at four grains — finding, record, column, file — each with a
plain explanation of why. Pure functions over findings and a Policy.

A record is what one row or paragraph holds: an xlsx/csv/docx-table row, a
docx paragraph, a line of a text file or PDF page.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Optional

from piiscan.model import Finding
from piiscan.policy import NOT_PI, Policy, Tier

_ROW_OF_CELL = re.compile(r"[A-Z]+(\d+)$")
_COLUMN_OF_CELL = re.compile(r"([A-Z]+)\d+$")


def record_key(location: dict[str, Any]) -> tuple:
    """The row or paragraph a location belongs to: the location without its column."""
    where = dict(location)
    cell = where.pop("cell", None)
    if cell:
        where["row"] = int(_ROW_OF_CELL.match(cell).group(1))
    where.pop("column", None)
    return tuple(sorted(where.items()))


def column_key(location: dict[str, Any]) -> Optional[tuple]:
    """The table column a location belongs to, or None outside tables."""
    where = dict(location)
    cell = where.pop("cell", None)
    if cell:
        where["column"] = _COLUMN_OF_CELL.match(cell).group(1)
    elif "column" not in where or "row" not in where:
        return None
    where.pop("row", None)
    return tuple(sorted(where.items()))


def base_tier(policy: Policy, finding: Finding) -> Tier:
    entity = policy.entity(finding.entity_type)
    if entity is None:
        return NOT_PI
    if entity.personal_when and finding.metadata.get(entity.personal_when.metadata):
        return Tier(entity.personal_when.jrt0171, entity.personal_when.jrt0197, entity.pipl_sensitive)
    return Tier(entity.jrt0171, entity.jrt0197, entity.pipl_sensitive)


def _policy_reason(policy: Policy, finding: Finding, tier: Tier) -> str:
    entity = policy.entity(finding.entity_type)
    label = f"{entity.label_zh} / {entity.label_en}" if entity else "not in the policy"
    sensitive = ", PIPL-sensitive" if tier.pipl_sensitive else ""
    return f"policy: {finding.entity_type} ({label}) is JR/T 0171 {tier.jrt0171}, JR/T 0197 level {tier.jrt0197}{sensitive}"


def classify_record(policy: Policy, findings: list[Finding]) -> tuple[list[Finding], list[str]]:
    """Tiers for the findings of one record, and the record's flags."""
    rules = policy.rules
    types = {f.entity_type for f in findings}
    has_name = bool(types & set(rules.names))
    identified = bool(types & (set(rules.strong_identifiers) | set(rules.names)))
    identifiable = has_name and bool(types & set(rules.identity_documents_and_accounts))
    auth_with_account = bool(types & set(rules.authentication)) and bool(types & set(rules.accounts))
    minor = any(f.metadata.get("minor_under_14") for f in findings)

    tiers = {id(f): base_tier(policy, f) for f in findings}
    reasons = {id(f): [_policy_reason(policy, f, tiers[id(f)])] for f in findings}
    for f in findings:
        entity = policy.entity(f.entity_type)
        if entity and entity.needs_identified_record and not identified:
            tiers[id(f)] = NOT_PI
            reasons[id(f)].append("record: no person identified in the same row or paragraph, so not PI")
    record_tier = NOT_PI
    for tier in tiers.values():
        record_tier = record_tier | tier

    flags = []
    if identifiable:
        flags.append("identifiable individual")
        named = sorted(types & (set(rules.identity_documents_and_accounts) | set(rules.names)))
        for f in findings:
            if tiers[id(f)] != NOT_PI and record_tier != tiers[id(f)]:
                reasons[id(f)].append(f"record: identifiable individual ({' + '.join(named)}); "
                                      f"raised to the record's highest tier (就高从严)")
            if tiers[id(f)] != NOT_PI:
                tiers[id(f)] = tiers[id(f)] | record_tier
    if auth_with_account:
        flags.append("authentication data with account")
        strict = Tier("C3", 4, True)
        for f in findings:
            if f.entity_type in rules.accounts:
                tiers[id(f)] = tiers[id(f)] | strict
                reasons[id(f)].append("record: authentication data next to the account number: C3, level 4")
    if minor:
        flags.append(f"minor under {rules.minor_age}")
        for f in findings:
            if tiers[id(f)] != NOT_PI:
                tiers[id(f)] = tiers[id(f)] | Tier(pipl_sensitive=True)
                reasons[id(f)].append(f"record: ID holder under {rules.minor_age}: all of the record's PI "
                                      f"is sensitive (PIPL Art. 28)")
    classified = [replace(f, tier=tiers[id(f)].to_dict(), explanation=reasons[id(f)]) for f in findings]
    return classified, flags


@dataclass
class ColumnStats:
    """Cells of one table column. The header cell itself has no header above it, so a
    column with a header counts the cells under it; a headerless column counts all."""

    header: Optional[str]
    cells_under_header: int = 0
    cells_without_header: int = 0

    @property
    def cells(self) -> int:
        return self.cells_under_header or self.cells_without_header


@dataclass
class ColumnClassification:
    column: dict[str, Any]
    header: Optional[str]
    entity_type: str
    share: float
    sample_size: int
    tier: dict[str, Any]
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "header": self.header, "entity_type": self.entity_type,
                "share": round(self.share, 3), "sample_size": self.sample_size, "tier": self.tier,
                "explanation": self.explanation}


def classify_columns(policy: Policy, findings: list[Finding], columns: dict[tuple, ColumnStats],
                     header_names: Callable[[str, str], bool]) -> list[ColumnClassification]:
    """A column takes the entity most of its values validate as; a header naming the
    entity (身份证号 above IDs) lowers the share needed."""
    rows_with: dict[tuple, Counter] = defaultdict(Counter)
    for f in findings:
        key = column_key(f.location)
        if key is not None:
            rows_with[key][f.entity_type] += 1
    result = []
    for key, stats in columns.items():
        if not stats.cells or not rows_with.get(key):
            continue
        entity, hits = rows_with[key].most_common(1)[0]
        share = min(1.0, hits / stats.cells)
        hinted = bool(stats.header) and header_names(stats.header, entity)
        needed = policy.rules.column_share_with_header if hinted else policy.rules.column_share
        if share < needed:
            continue
        entity_policy = policy.entity(entity)
        tier = Tier(entity_policy.jrt0171, entity_policy.jrt0197, entity_policy.pipl_sensitive) \
            if entity_policy else NOT_PI
        why = f"{hits} of {stats.cells} values are {entity} ({share:.0%}, needed {needed:.0%})"
        if hinted:
            why += f"; the header {stats.header!r} names it"
        result.append(ColumnClassification(dict(key), stats.header, entity, share, stats.cells,
                                           tier.to_dict(), why))
    return result


@dataclass
class FileClassification:
    tier: dict[str, Any] = field(default_factory=lambda: NOT_PI.to_dict())
    counts: dict[str, int] = field(default_factory=dict)
    distinct_individuals: int = 0
    records_with_pi: int = 0
    record_flags: dict[str, int] = field(default_factory=dict)
    columns: list[ColumnClassification] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"tier": self.tier, "counts": self.counts, "distinct_individuals": self.distinct_individuals,
                "records_with_pi": self.records_with_pi, "record_flags": self.record_flags,
                "columns": [c.to_dict() for c in self.columns], "explanation": self.explanation}


def distinct_individuals(policy: Policy, records: Iterable[list[Finding]]) -> int:
    """People counted by fingerprint: identifiers in one record belong to one person,
    and records sharing an identifier (same ID, card, phone) are the same person.
    A record with only a name counts that name once."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    strong, names = set(policy.rules.strong_identifiers), set(policy.rules.names)
    for findings in records:
        nodes = [f.fingerprint for f in findings if f.entity_type in strong]
        if not nodes:
            nodes = [f.fingerprint for f in findings if f.entity_type in names][:1]
        for node in nodes[1:]:
            parent[find(node)] = find(nodes[0])
        if nodes:
            find(nodes[0])
    return len({find(x) for x in parent})


def classify_file(policy: Policy, findings: list[Finding], columns: dict[tuple, ColumnStats],
                  header_names: Callable[[str, str], bool]) -> tuple[list[Finding], FileClassification]:
    by_record: dict[tuple, list[int]] = defaultdict(list)
    for i, f in enumerate(findings):
        by_record[record_key(f.location)].append(i)
    classified = list(findings)  # same order as found
    flags: Counter = Counter()
    for indices in by_record.values():
        record_findings, record_flags = classify_record(policy, [findings[i] for i in indices])
        for i, f in zip(indices, record_findings):
            classified[i] = f
        flags.update(record_flags)
    records = [[classified[i] for i in indices] for indices in by_record.values()]
    file_tier = NOT_PI
    for f in classified:
        file_tier = file_tier | Tier(**f.tier)
    result = FileClassification(
        tier=file_tier.to_dict(), counts=dict(sorted(Counter(f.entity_type for f in classified).items())),
        distinct_individuals=distinct_individuals(policy, records),
        records_with_pi=sum(1 for r in records if any(Tier(**f.tier) != NOT_PI for f in r)),
        record_flags=dict(flags), columns=classify_columns(policy, classified, columns, header_names))
    if classified:
        strictest = [f.entity_type for f in classified if Tier(**f.tier) == file_tier]
        result.explanation.append(f"highest tier wins (就高从严): {file_tier.jrt0171}, level {file_tier.jrt0197}"
                                  f"{', PIPL-sensitive' if file_tier.pipl_sensitive else ''}, "
                                  f"from {', '.join(sorted(set(strictest)))}")
    for flag, count in sorted(flags.items()):
        result.explanation.append(f"{count} record(s): {flag}")
    return classified, result
