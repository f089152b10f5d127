"""Fixtures for the redaction tests: planted fake values (Faker zh_CN and our own
checksum helpers) and a Redactor built on the session's Detector."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from faker import Faker

from piiscan.classify.policy import default_policy
from piiscan.protect.operators import Redactor
from piiscan.protect.profiles import load_profile
from piiscan.detect.validators.bank_card import luhn_valid
from piiscan.detect.validators.phone import validate_mobile
from piiscan.detect.validators.resident_id import gb11643_check_char


@dataclass(frozen=True)
class Planted:
    name: str
    name2: str
    resident_id: str
    card: str
    mobile: str
    mobile2: str

    def values(self) -> list[str]:
        return [self.name, self.name2, self.resident_id, self.card, self.mobile, self.mobile2]


def fake_id(rng: random.Random) -> str:
    body = rng.choice(["110105", "310104", "440305"]) + f"{rng.randint(1950, 2000)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}" \
        + f"{rng.randint(0, 999):03d}"
    return body + gb11643_check_char(body)


def fake_card(rng: random.Random) -> str:
    body = "622202" + "".join(rng.choice("0123456789") for _ in range(12))
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


def fake_mobile(faker: Faker) -> str:
    while True:
        number = faker.phone_number()
        if validate_mobile(number).score:
            return number


def make_planted(seed: int = 7) -> Planted:
    faker = Faker("zh_CN")
    faker.seed_instance(seed)
    rng = random.Random(seed)
    names = []
    while len(names) < 2:
        name = faker.name()
        if len(name) in (2, 3) and name not in names:
            names.append(name)
    mobiles = []
    while len(mobiles) < 2:
        m = fake_mobile(faker)
        if m not in mobiles:
            mobiles.append(m)
    return Planted(names[0], names[1], fake_id(rng), fake_card(rng), mobiles[0], mobiles[1])


@pytest.fixture(scope="session")
def planted() -> Planted:
    return make_planted()


@pytest.fixture(scope="session")
def policy():
    return default_policy()


@pytest.fixture
def make_redactor(detector, policy):
    def make(operator: str | None = "mask", profile: str | None = None, key: bytes = b"test-key-1" * 4) -> Redactor:
        return Redactor(detector, load_profile(profile, policy), policy, key, operator)

    return make
