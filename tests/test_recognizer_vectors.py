"""Vector tables per recognizer (tests/vectors/<id>.csv) and the examples in
each definition, run through the real Detector at the default threshold.

Columns: text, header (context from a table header), value (the span expected,
found in text), expect (found/none), min_score, max_score, comment.
"""

import csv
from pathlib import Path

import pytest

from piiscan.detect.recognizer import load_specs

VECTORS = Path(__file__).parent / "vectors"
SPECS = {spec.id: spec for spec in load_specs()}


def vector_rows():
    for path in sorted(VECTORS.glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                yield pytest.param(path.stem, row, id=f"{path.stem}: {row['comment']}")


def test_every_identifier_recognizer_has_a_vector_table():
    rule_based = {"person_name_rules", "cn_address_rules", "authentication_data", "financial_amount",
                  "sensitive_category_hint"}  # covered by test_name_address_rules.py and test_policy.py
    assert {p.stem for p in VECTORS.glob("*.csv")} == set(SPECS) - rule_based


@pytest.mark.parametrize("recognizer_id, row", list(vector_rows()))
def test_vector(detector, recognizer_id, row):
    entity = SPECS[recognizer_id].entity
    found = [d for d in detector.detect(row["text"], header=row["header"] or None) if d.entity_type == entity]
    if row["expect"] == "none":
        assert found == [], [(d.value, d.score) for d in found]
        return
    start = row["text"].index(row["value"])
    assert [(d.start, d.end) for d in found] == [(start, start + len(row["value"]))]
    assert float(row["min_score"]) <= round(found[0].score, 3) <= float(row["max_score"])


def example_rows():
    for spec in SPECS.values():
        for kind in ("valid", "invalid"):
            for text in spec.examples.get(kind, []):
                yield pytest.param(spec, kind, text, id=f"{spec.id}: {kind}: {text}")


@pytest.mark.parametrize("spec, kind, text", list(example_rows()))
def test_definition_examples_behave_as_declared(detector, spec, kind, text):
    # The examples describe this recognizer alone: an address the rules leave
    # (no cue) may still be found by the NER model, which is right.
    found = [d for d in detector.detect(text) if d.entity_type == spec.entity and d.recognizer == spec.id]
    assert bool(found) == (kind == "valid")
