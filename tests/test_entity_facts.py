"""Each entity type's facts live in one place: the policy entry (tiers, mask, pseudonym
prefix, surrogate, locate option, financial) and the recognizer definition (overlap
priority). A new entity type is YAML files only."""

from __future__ import annotations

import random

from piiscan.classify.policy import default_policy, load_policy
from piiscan.detect.engine import NER_ENTITIES, priorities
from piiscan.detect.recognizer import load_recognizers, load_specs
from piiscan.protect import surrogates
from piiscan.protect.operators import PseudonymizeOperator, SurrogateOperator, Keys

NEW_POLICY = """
entities:
  EMPLOYEE_NUMBER:
    label_zh: 员工编号
    label_en: Employee number
    jrt0171: C2
    jrt0197: 3
    pipl_sensitive: false
    mask: {rule: keep_ends, first: 4, last: 2}
    pseudonym_prefix: 工号
    surrogate: document
"""
NEW_RECOGNIZER = """
id: employee_number
version: "1"
entity: EMPLOYEE_NUMBER
priority: 3
description: an employee number
patterns: [{name: emp, regex: "EMP-\\\\d{8}", score: 0.9}]
validator: document_number
prefilter: "EMP-"
"""


def test_every_entity_a_recognizer_or_the_model_reports_has_complete_facts():
    policy = default_policy()
    entities = {spec.entity for spec in load_specs()} | set(NER_ENTITIES)
    assert entities <= set(policy.entities), sorted(entities - set(policy.entities))
    for name, entity in policy.entities.items():
        assert entity.label_zh and entity.label_en and entity.mask.rule, name
        assert entity.surrogate is None or entity.surrogate in surrogates.GENERATORS, name
    located = {kind: policy.with_fact("locate", kind) for kind in ("id", "passport", "phone", "card", "email", "name")}
    assert located["id"] == {"CN_RESIDENT_ID", "CN_PERMANENT_RESIDENCE_ID"} and located["name"] == {"PERSON"}
    assert policy.with_fact("financial") == {"CN_BANK_CARD", "AUTHENTICATION_DATA", "FINANCIAL_AMOUNT"}


def test_a_new_entity_is_yaml_only(tmp_path, monkeypatch):
    (tmp_path / "policy.yaml").write_text(NEW_POLICY, encoding="utf-8")
    (tmp_path / "defs").mkdir()
    (tmp_path / "defs" / "employee_number.yaml").write_text(NEW_RECOGNIZER, encoding="utf-8")
    policy = load_policy(tmp_path / "policy.yaml")
    monkeypatch.setenv("PIISCAN_RECOGNIZERS", str(tmp_path / "defs"))  # a user's own folder
    recognizers = load_recognizers(("zh",))
    assert priorities(recognizers)["EMPLOYEE_NUMBER"] == 3
    keys = Keys(b"k" * 32)
    params = {"entity_type": "EMPLOYEE_NUMBER", "policy": policy, "keys": keys, "canonical": "EMP-20240315",
              "prefix": policy.entity("EMPLOYEE_NUMBER").pseudonym_prefix}
    assert PseudonymizeOperator().operate("EMP-20240315", params).startswith("工号")
    fake = SurrogateOperator().operate("EMP-20240315", params)
    assert fake != "EMP-20240315" and fake[:4] == "EMP-" and len(fake) == len("EMP-20240315")
    assert surrogates.GENERATORS["document"]("EMP-20240315", random.Random(1))  # the generator the YAML named
