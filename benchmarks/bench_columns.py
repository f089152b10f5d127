"""Cost of column inference per table cell (piiscan.pipeline.tables), beside the
cost of detection on the same cells, in one run.

    python benchmarks/bench_columns.py [--rows 20000]

Prints µs per cell for: detection alone (Detector.detect on every cell), and the
table stage alone (profiling, deciding and adding the column findings, over the
detections already made). Nothing is asserted."""

from __future__ import annotations

import argparse
import time

from faker import Faker

from piiscan.core.model import TextUnit
from piiscan.detect.engine import Detector, build_analyzer
from piiscan.pipeline.tables import TableStage

HEADERS = ("签收人", "证件号", "手机", "金额", "摘要", "往来单位")


def cells(rows: int) -> list[TextUnit]:
    fake = Faker("zh_CN")
    fake.seed_instance(1)
    units = []
    for r in range(2, rows + 2):
        values = (fake.name(), fake.ssn(), fake.phone_number(), f"{fake.pyfloat(5, 2, True):.2f}", "货款",
                  fake.company() if r % 2 else fake.name())
        units.extend(TextUnit(v, {"row": r, "column": h}, header=h) for v, h in zip(values, HEADERS))
    return units


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    units = cells(args.rows)
    detector = Detector(build_analyzer(), ner=False)
    start = time.process_time()
    detections = [detector.detect(u.text, header=u.header) for u in units]
    detect_s = time.process_time() - start
    stage = TableStage(detector)
    start = time.process_time()
    released = 0
    for unit, found in zip(units, detections):
        released += sum(1 for _ in stage.feed(unit, found))
    released += sum(1 for _ in stage.finish())
    stage_s = time.process_time() - start
    assert released == len(units)
    n = len(units)
    print(f"{n} cells ({args.rows} rows x {len(HEADERS)} columns), CPU time")
    print(f"detection per cell:         {detect_s / n * 1e6:8.2f} µs")
    print(f"column inference per cell:  {stage_s / n * 1e6:8.2f} µs  ({stage_s / detect_s:.2f}x detection)")
    for _, column, decision in stage.decided:
        print(f"  {column}: {decision.entity} ({decision.mode}, {decision.confidence})")


if __name__ == "__main__":
    main()
