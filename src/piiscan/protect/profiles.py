"""Recipient profiles: which entity types a recipient may see in clear, and which
operator hides the rest (data minimisation, PIPL Art. 6).

Shipped profiles live in piiscan/redact/profiles/*.yaml (bank, auditor, public);
`--profile FILE` loads a user file. Unknown keys, entity types and operators are
errors naming the file and the key.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Optional

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from piiscan.classify.policy import Policy
from piiscan.core.registry import OPERATORS  # names only: the operators' modules load when used


class ProfileError(ValueError):
    """A profile that does not load; the message names the file and the key."""


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    profile: str
    description: str = ""
    operator: str = "mask"                # for every entity not in `clear` or `operators`
    clear: list[str] = []                 # entity types the recipient may see as they are
    operators: dict[str, str] = {}        # per-entity operator

    @field_validator("operator")
    @classmethod
    def _known_operator(cls, value: str) -> str:
        if value not in OPERATORS:
            raise ValueError(str(OPERATORS.unknown(value)))
        return value

    @field_validator("operators")
    @classmethod
    def _known_operators(cls, value: dict[str, str]) -> dict[str, str]:
        for entity, operator in value.items():
            if operator not in OPERATORS:
                raise ValueError(f"{entity}: {OPERATORS.unknown(operator)}")
        return value


def shipped() -> list[str]:
    return sorted(p.name[:-5] for p in files("piiscan.protect").joinpath("profiles").iterdir()
                  if p.name.endswith(".yaml"))


def _check_entities(profile: Profile, policy: Policy, name: str) -> None:
    for key, entities in (("clear", profile.clear), ("operators", list(profile.operators))):
        for entity in entities:
            known = policy.entity(entity)
            if known is None:
                raise ProfileError(f"{name}: {key}.{entity}: unknown entity type; known: "
                                   f"{', '.join(sorted(policy.entities))}")
            if key == "clear" and known.jrt0171 == "C3":
                raise ProfileError(f"{name}: clear.{entity}: authentication data (C3) is never shown")


def load_profile(spec: Optional[str], policy: Policy) -> Profile:
    """A shipped profile by name, a YAML file by path, or None: every entity gets the operator."""
    if spec is None:
        return Profile(profile="default", description="every entity hidden with the chosen operator")
    if spec in shipped():
        name, text = f"{spec}.yaml", files("piiscan.protect").joinpath("profiles", f"{spec}.yaml").read_text("utf-8")
    else:
        path = Path(spec)
        if not path.is_file():
            raise ProfileError(f"no such profile {spec!r}: use one of {', '.join(shipped())} or a YAML file")
        name, text = str(path), path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ProfileError(f"{name}: not valid YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{name}: a profile is a YAML mapping")
    try:
        profile = Profile.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        raise ProfileError(f"{name}: {key}: {first['msg']}") from None
    _check_entities(profile, policy, name)
    return profile
