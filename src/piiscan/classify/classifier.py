"""Classification at four grains — finding, record, column, file — each with a
plain explanation of why. Pure functions over findings and a Policy, and a
FileClassifier that applies them to a file's findings as they are found.

A record is what one row or paragraph holds: an xlsx/csv/docx-table row, a
docx paragraph, a line of a text file or PDF page.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from piiscan.classify.individuals import IdentifierGroups
from piiscan.core.model import Finding, TextUnit
from piiscan.classify.policy import Policy
from piiscan.core.tiers import NOT_PI, UNLISTED, Tier

_ROW_OF_CELL = re.compile(r"[A-Z]+(\d+)$")
_COLUMN_OF_CELL = re.compile(r"([A-Z]+)\d+$")


def record_key(location: dict[str, Any]) -> tuple:
    """The row or paragraph a location belongs to: the location without its column."""
    items = []
    for key, value in location.items():
        if key == "cell":
            if not value:
                continue
            key, value = "row", int(_ROW_OF_CELL.match(value).group(1))
        elif key == "column":
            continue
        items.append((key, _hashable(value)))
    items.sort()
    return tuple(items)


def _hashable(value: Any) -> Any:
    """A database row's key ({"id": 7}) as a tuple: locations are dict keys here."""
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


def column_key(location: dict[str, Any]) -> Optional[tuple]:
    """The table column a location belongs to, or None outside tables (a cell's
    comment or link is not one of the column's values)."""
    if "part" in location and "cell" in location:
        return None
    cell = location.get("cell")
    if not cell and ("column" not in location or "row" not in location):
        return None
    items = []
    for key, value in location.items():
        if key == "cell":
            if not cell:
                continue
            key, value = "column", _COLUMN_OF_CELL.match(value).group(1)
        elif key == "row":
            continue
        items.append((key, _hashable(value)))
    items.sort()
    return tuple(items)


def value_tier(policy: Policy, entity_type: str, metadata: dict[str, Any]) -> Tier:
    """The tier of one value by the policy alone, before any record rule."""
    entity = policy.entity(entity_type)
    if entity is None:
        return UNLISTED
    if entity.personal_when and metadata.get(entity.personal_when.metadata):
        return Tier(entity.personal_when.jrt0171, entity.personal_when.jrt0197, entity.pipl_sensitive)
    return Tier(entity.jrt0171, entity.jrt0197, entity.pipl_sensitive)


def base_tier(policy: Policy, finding: Finding) -> Tier:
    return value_tier(policy, finding.entity_type, finding.metadata)


def _policy_reason(policy: Policy, entity_type: str, tier: Tier) -> str:
    entity = policy.entity(entity_type)
    label = f"{entity.label_zh} / {entity.label_en}" if entity else "not in the policy: treated as identifying"
    sensitive = ", PIPL-sensitive" if tier.pipl_sensitive else ""
    return f"policy: {entity_type} ({label}) is JR/T 0171 {tier.jrt0171}, JR/T 0197 level {tier.jrt0197}{sensitive}"


class _PolicyFacts:
    """What classifying a record asks of the policy, looked up once per policy: a
    ledger classifies millions of findings against the same few entity types."""

    def __init__(self, policy: Policy):
        rules = policy.rules
        self.policy = policy
        self.names = frozenset(rules.names)
        self.identifying = frozenset(rules.strong_identifiers) | self.names
        self.documents = frozenset(rules.identity_documents_and_accounts)
        self.authentication = frozenset(rules.authentication)
        self.accounts = frozenset(rules.accounts)
        self.strong = frozenset(rules.strong_identifiers)
        self.needs_identified = policy.with_fact("needs_identified_record")
        self._reasons: dict[tuple[str, Tier], list[str]] = {}
        self._dicts: dict[Tier, dict] = {}

    def reason(self, entity_type: str, tier: Tier) -> str:
        """The same string object for every finding of a type and tier: pickled once
        per file on its way to the inventory."""
        key = (entity_type, tier)
        reason = self._reasons.get(key)
        if reason is None:
            reason = self._reasons[key] = _policy_reason(self.policy, entity_type, tier)
        return reason

    def as_dict(self, tier: Tier) -> dict:
        """One dict per tier, shared by the findings (read-only downstream)."""
        found = self._dicts.get(tier)
        if found is None:
            found = self._dicts[tier] = tier.to_dict()
        return found


def classify_record(policy: Policy, findings: list[Finding]) -> tuple[list[Finding], list[str]]:
    """Tiers for the findings of one record, and the record's flags."""
    classified, _, flags = _classified_record(policy, findings)
    return classified, flags


def facts_of(policy: Policy) -> _PolicyFacts:
    return policy.derived("classification facts", lambda: _PolicyFacts(policy))


def _classified_record(policy: Policy, findings: list[Finding],
                       facts: Optional[_PolicyFacts] = None) -> tuple[list[Finding], list[Tier], list[str]]:
    rules = policy.rules
    facts = facts or facts_of(policy)
    names, identifying, documents = facts.names, facts.identifying, facts.documents
    authentication, accounts = facts.authentication, facts.accounts
    types = {f.entity_type for f in findings}
    has_name = bool(types & names)
    identified = bool(types & identifying)
    identifiable = has_name and bool(types & documents)
    auth_with_account = bool(types & authentication) and bool(types & accounts)
    minor = any(f.metadata.get("minor_under_14") for f in findings)

    tiers = {id(f): base_tier(policy, f) for f in findings}
    reasons = {id(f): [facts.reason(f.entity_type, tiers[id(f)])] for f in findings}
    for f in findings:
        if f.entity_type in facts.needs_identified and not identified:
            tiers[id(f)] = NOT_PI
            reasons[id(f)].append("record: no person identified in the same row or paragraph, so not PI")
    record_tier = NOT_PI
    for tier in tiers.values():
        record_tier = record_tier | tier

    flags = []
    if identifiable:
        flags.append("identifiable individual")
        named = sorted(types & (documents | names))
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
    final = [tiers[id(f)] for f in findings]
    return [_with_tier(f, facts.as_dict(tier), reasons[id(f)]) for f, tier in zip(findings, final)], final, flags


def _with_tier(f: Finding, tier: dict, explanation: list[str]) -> Finding:
    """The finding with its tier, built directly: dataclasses.replace costs several
    times more, once per finding."""
    return Finding(f.path, f.location, f.start, f.end, f.entity_type, f.score, f.recognizer, f.masked,
                   f.fingerprint, f.metadata, f.value, tier, explanation)


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
    confidence: float = 0.0  # mean score of the values found (1.0: checksums pass, the header names it)

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "header": self.header, "entity_type": self.entity_type,
                "share": round(self.share, 3), "sample_size": self.sample_size,
                "confidence": round(self.confidence, 3), "tier": self.tier, "explanation": self.explanation}


def classify_columns(policy: Policy, hits: dict[tuple, Counter], columns: dict[tuple, ColumnStats],
                     header_names: Callable[[str, str], bool],
                     scores: Optional[dict[tuple, Counter]] = None) -> list[ColumnClassification]:
    """A column takes the entity most of its values validate as; a header naming the
    entity (身份证号 above IDs) lowers the share needed. hits: findings per entity per column."""
    result = []
    for key, stats in columns.items():
        if not stats.cells or not hits.get(key):
            continue
        entity, count = hits[key].most_common(1)[0]
        share = min(1.0, count / stats.cells)
        hinted = bool(stats.header) and header_names(stats.header, entity)
        needed = policy.rules.column_share_with_header if hinted else policy.rules.column_share
        if share < needed:
            continue
        entity_policy = policy.entity(entity)
        tier = Tier(entity_policy.jrt0171, entity_policy.jrt0197, entity_policy.pipl_sensitive) \
            if entity_policy else UNLISTED
        why = f"{count} of {stats.cells} values are {entity} ({share:.0%}, needed {needed:.0%})"
        if hinted:
            why += f"; the header {stats.header!r} names it"
        confidence = round(scores[key][entity] / count, 3) if scores else 0.0
        result.append(ColumnClassification(dict(key), stats.header, entity, share, stats.cells,
                                           tier.to_dict(), why, confidence))
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




@dataclass(eq=False)
class _Record:
    findings: list[Finding] = field(default_factory=list)
    classified: Optional[list[Finding]] = None  # set when the record is closed


class FileClassifier:
    """Classifies one file's findings while it is read, so a million-row roster
    never sits in memory: findings wait only until their record (row, paragraph,
    line) is complete, then come out classified, in the order they were found.

    Readers give a record's text units together, so a record is taken as complete
    once `window` newer units of other records have come (a little slack for
    readers that interleave, as HTML attributes inside a table row do). What stays
    for the whole file is small: counts per entity, per column and per record
    flag, and the identifier groups that count distinct individuals."""

    def __init__(self, policy: Policy, header_names: Callable[[str, str], bool], window: int = 32):
        self.policy, self.header_names, self.window = policy, header_names, window
        self._facts = facts_of(policy)
        self.columns: dict[tuple, ColumnStats] = {}
        self._open: dict[tuple, dict[tuple, _Record]] = {}  # unit key → its records, oldest first
        self._pending: deque[tuple[_Record, int]] = deque()  # found order: (record, index in it)
        self._hits: dict[tuple, Counter] = defaultdict(Counter)
        self._scores: dict[tuple, Counter] = defaultdict(Counter)  # summed scores, for a column's confidence
        self._counts: Counter = Counter()
        self._flags: Counter = Counter()
        self._entities_by_tier: dict[Tier, set[str]] = defaultdict(set)
        self._records_with_pi = 0
        self._individuals = IdentifierGroups()

    def add(self, unit: TextUnit, findings: list[Finding]) -> list[Finding]:
        """Take one unit (every unit, with or without findings: the cells count for
        column shares) and its findings; return the findings now classified."""
        self._count_cell(unit)
        unit_key = (record_key(unit.location), unit.first_line)
        records = self._open.get(unit_key)
        if records is None:
            records = self._open[unit_key] = {}
        for f in findings:
            record = records.setdefault(record_key(f.location), _Record())
            self._pending.append((record, len(record.findings)))
            record.findings.append(f)
        while len(self._open) > self.window:
            self._close(self._open.pop(next(iter(self._open))))
        return self._ready()

    def finish(self) -> tuple[list[Finding], FileClassification]:
        """Close every record; the last findings and the file's classification."""
        for records in self._open.values():
            self._close(records)
        self._open.clear()
        last = self._ready()
        file_tier = NOT_PI
        for tier in self._entities_by_tier:
            file_tier = file_tier | tier
        result = FileClassification(
            tier=file_tier.to_dict(), counts=dict(sorted(self._counts.items())),
            distinct_individuals=self._individuals.groups, records_with_pi=self._records_with_pi,
            record_flags=dict(self._flags),
            columns=classify_columns(self.policy, self._hits, self.columns, self.header_names, self._scores))
        if self._counts:
            strictest = set().union(*(e for t, e in self._entities_by_tier.items() if t == file_tier))
            result.explanation.append(f"highest tier wins (就高从严): {file_tier.jrt0171}, level {file_tier.jrt0197}"
                                      f"{', PIPL-sensitive' if file_tier.pipl_sensitive else ''}, "
                                      f"from {', '.join(sorted(strictest))}")
        for flag, count in sorted(self._flags.items()):
            result.explanation.append(f"{count} record(s): {flag}")
        if not self._individuals.exact:
            result.explanation.append(f"distinct individuals: more than {self._individuals.limit:,} identifiers; "
                                      "later ones were matched only against those, so the count is an upper bound")
        return last, result

    def _count_cell(self, unit: TextUnit) -> None:
        """Non-empty cells per table column: the denominator of a column's share."""
        key = column_key(unit.location)
        if key is None:
            return
        stats = self.columns.get(key)
        if stats is None:
            stats = self.columns[key] = ColumnStats(unit.header)
        if unit.header is not None:
            stats.header = unit.header
            stats.cells_under_header += 1
        else:
            stats.cells_without_header += 1

    def _close(self, records: dict[tuple, _Record]) -> None:
        for record in records.values():
            classified, tiers, flags = _classified_record(self.policy, record.findings, self._facts)
            record.classified, record.findings = classified, []
            self._flags.update(flags)
            self._records_with_pi += any(t != NOT_PI for t in tiers)
            for f, tier in zip(classified, tiers):
                self._counts[f.entity_type] += 1
                self._entities_by_tier[tier].add(f.entity_type)
                key = column_key(f.location)
                if key is not None:
                    self._hits[key][f.entity_type] += 1
                    self._scores[key][f.entity_type] += f.score
            nodes = [f.fingerprint for f in classified if f.entity_type in self._facts.strong]
            self._individuals.add_record(nodes or [f.fingerprint for f in classified
                                                   if f.entity_type in self._facts.names][:1])

    def _ready(self) -> list[Finding]:
        out = []
        pending = self._pending
        while pending and pending[0][0].classified is not None:
            record, index = pending.popleft()
            out.append(record.classified[index])
        return out
