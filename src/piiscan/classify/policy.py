"""The classification policy: per entity, its JR/T 0171 category, JR/T 0197 level,
PIPL-sensitive flag, masking rule and labels; plus the record and column rules.

The default ships in piiscan/policies/default.yaml. A user policy (--policy FILE
or PIISCAN_POLICY) overlays it: it names only what it changes.
"""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from piiscan.core.registry import MASK_RULES



class PolicyError(ValueError):
    """A policy that does not load; the message names the file and the key."""


class MaskRule(BaseModel):
    model_config = ConfigDict(extra="allow")
    rule: str

    @field_validator("rule")
    @classmethod
    def known_rule(cls, value: str) -> str:
        if value not in MASK_RULES:  # the registry, not masking.py: policy and masking do not import each other
            raise ValueError(str(MASK_RULES.unknown(value)))
        return value

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class PersonalWhen(BaseModel):
    """Raise the tier when a metadata flag is set (a USCC of an individual business)."""

    model_config = ConfigDict(extra="forbid")
    metadata: str
    jrt0171: Literal["none", "C1", "C2", "C3"]
    jrt0197: int = Field(ge=1, le=5)


class EntityPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label_zh: str
    label_en: str
    jrt0171: Literal["none", "C1", "C2", "C3"]
    jrt0197: int = Field(ge=1, le=5)
    pipl_sensitive: bool
    mask: MaskRule
    needs_identified_record: bool = False
    personal_when: Optional[PersonalWhen] = None
    pseudonym_prefix: Optional[str] = None  # pseudonymize: 客户_3f9a…; default: the Chinese label
    surrogate: Optional[str] = None  # a generator of protect/surrogates.py; none: masked instead
    locate: Optional[Literal["id", "passport", "phone", "card", "email", "name"]] = None  # locate --KIND
    financial: bool = False  # a financial account fact (breach impact: financial_account)


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    minor_age: int = Field(ge=1, le=18)
    column_share: float = Field(gt=0, le=1)
    column_share_with_header: float = Field(gt=0, le=1)
    strong_identifiers: list[str]
    names: list[str]
    identity_documents_and_accounts: list[str]
    accounts: list[str]
    authentication: list[str]


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    policy: str
    version: str
    rules: Rules
    entities: dict[str, EntityPolicy]
    # Facts derived from the policy (rule sets, explanation strings), computed once:
    # a ledger classifies millions of findings against the same policy.
    _derived: dict = PrivateAttr(default_factory=dict)

    def entity(self, entity_type: str) -> Optional[EntityPolicy]:
        return self.entities.get(entity_type)

    def with_fact(self, name: str, value: Any = True) -> set[str]:
        """The entity types whose policy entry sets fact `name` (to `value`)."""
        return {e for e, p in self.entities.items() if getattr(p, name) == value}

    def derived(self, key: Any, compute) -> Any:
        """`compute()` the first time `key` is asked for, the same object after that."""
        value = self._derived.get(key)
        if value is None:
            value = self._derived[key] = compute()
        return value




def _overlay(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _overlay(base[key], value) if isinstance(value, dict) and isinstance(
            base.get(key), dict) else value
    return merged


def _read_yaml(text: str, name: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise PolicyError(f"{name}: not valid YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise PolicyError(f"{name}: a policy is a YAML mapping")
    return data


def _default_data() -> dict:
    text = files("piiscan.classify").joinpath("policies", "default.yaml").read_text(encoding="utf-8")
    return _read_yaml(text, "default.yaml")


def load_policy(path: Optional[Path] = None) -> Policy:
    """The default policy, overlaid with `path` (or $PIISCAN_POLICY) when given."""
    path = path or (Path(os.environ["PIISCAN_POLICY"]) if os.environ.get("PIISCAN_POLICY") else None)
    data = _default_data()
    name = "default.yaml"
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as e:
            raise PolicyError(f"{path}: cannot read: {e.strerror}") from None
        data, name = _overlay(data, _read_yaml(text, str(path))), str(path)
    try:
        return Policy.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        raise PolicyError(f"{name}: {key}: {first['msg']}") from None


@cache
def default_policy() -> Policy:
    """The shipped policy, whatever the environment says."""
    return Policy.model_validate(_default_data())
