"""Findings stream out of a scan record by record, with the same results as a
scan that keeps them all; distinct individuals are counted in flat arrays."""

import random

from openpyxl import Workbook

from piiscan.core.fingerprint import Fingerprinter
from piiscan.classify.individuals import IdentifierGroups
from piiscan.sources.readers.xlsx import XlsxReader
from piiscan.pipeline.scanner import BATCH_UNITS, Scanner


def _reference_groups(records: list[list[str]]) -> int:
    """Connected components the plain way: a dict union-find."""
    parent: dict[str, str] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for nodes in records:
        for node in nodes:
            parent[find(node)] = find(nodes[0])
    return len({find(x) for x in parent})


def test_identifier_groups_match_a_plain_union_find_across_table_growth():
    rng = random.Random(5)
    pool = [f"{rng.getrandbits(128):032x}" for _ in range(3000)]
    records = [rng.sample(pool, rng.randint(1, 3)) for _ in range(2500)]
    groups = IdentifierGroups(capacity=4)  # grows many times
    for nodes in records:
        groups.add_record(nodes)
    assert groups.exact and groups.groups == _reference_groups(records)
    assert 1 < groups.groups < len(records)


def test_identifier_groups_past_the_limit_count_an_upper_bound():
    groups = IdentifierGroups(limit=2)
    groups.add_record(["a" * 32, "b" * 32])   # stored: one person
    groups.add_record(["c" * 32])             # over the limit, unknown: counted, not stored
    groups.add_record(["c" * 32, "a" * 32])   # linked to a known one: no new person
    assert (groups.groups, groups.exact) == (2, False)


def test_findings_stream_before_the_file_ends_with_identical_results(rules_detector, tmp_path):
    path = tmp_path / "roster.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "手机", "备注"])
    for i in range(2000):
        ws.append(["王芳" if i % 2 else "李娜", f"1380013{8000 + i % 300}", "无"])
    wb.save(path)
    scanner = Scanner(rules_detector, Fingerprinter(b"stream"))
    held = scanner.scan_file(path)

    streamed, seen_at_last_unit = [], []

    def units():
        for unit in XlsxReader().read(path):
            if unit.location["cell"] == "C2001":
                seen_at_last_unit.append(len(streamed))
            yield unit

    result = scanner.scan_units(str(path), "xlsx", units, streamed.append)
    assert result.findings == [] and streamed == held.findings
    # nearly all of 4,000 findings were out before the last row was read: detection holds
    # one block of units (BATCH_UNITS), classification a few rows
    assert seen_at_last_unit[0] > 4000 - BATCH_UNITS
    assert result.classification == held.classification
    assert held.classification.distinct_individuals == 300  # phones repeat every 300 rows
