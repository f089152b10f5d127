"""Redaction operators on top of Presidio's AnonymizerEngine, and the Redactor
that turns detections into replacements.

Presidio's own `hash` salts each value randomly and its `encrypt` uses AES-CBC
with a random IV: the same client gets a different token in every file, so
neither can serve as a join key. Ours are keyed and deterministic:

mask          the policy's Chinese display mask (110101********1234, 138****8000, 张*)
redact        Presidio's redact: the value is removed
replace       Presidio's replace with a typed tag from the policy (<居民身份证号码>)
pseudonymize  keyed HMAC token, the same for the same value in every file and run (客户_7F3A2C1B)
surrogate     a realistic fake value keeping format and checksums, deterministic per (key, value)
encrypt       AES-SIV (deterministic authenticated encryption), reversible with `piiscan unredact`

Authentication data (JR/T 0171 C3) is always redacted, whatever the operator.
Each operator is a Presidio Operator class declared under the ``piiscan.operators``
entry-point group (redact and replace are Presidio's own classes).
"""

from __future__ import annotations

import base64
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Optional

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult
from presidio_anonymizer.operators import Operator, OperatorType

from piiscan.detect.engine import Detector, resolve_overlaps
from piiscan.core.fingerprint import Fingerprinter
from piiscan.classify.masking import mask
from piiscan.core.model import Detection
from piiscan.core.registry import OPERATORS
from piiscan.protect.known import KnownValues
from piiscan.classify.classifier import value_tier
from piiscan.classify.policy import Policy
from piiscan.core.tiers import is_personal
from piiscan.protect import surrogates
from piiscan.protect.profiles import Profile

# Short Chinese prefixes of pseudonyms; other types use the policy's label.
TOKEN = re.compile(r"\[ENC:([A-Z][A-Z0-9_]*):([A-Za-z0-9_-]+)\]")


def _subkey(key: bytes, purpose: str, length: int = 32) -> bytes:
    return HKDF(hashes.SHA256(), length, salt=None, info=f"piiscan-redact:{purpose}".encode()).derive(key)


class Keys:
    """Keys derived from the user's key: one per purpose, so a pseudonym says
    nothing about a scan fingerprint or a surrogate."""

    def __init__(self, key: bytes):
        self.pseudonym = Fingerprinter(_subkey(key, "pseudonym"))
        self.surrogate = Fingerprinter(_subkey(key, "surrogate"))
        self.cipher = AESSIV(_subkey(key, "aes-siv", 64))

    def encrypt(self, entity_type: str, value: str) -> str:
        data = self.cipher.encrypt(value.encode("utf-8"), [entity_type.encode()])
        return f"[ENC:{entity_type}:{base64.urlsafe_b64encode(data).rstrip(b'=').decode()}]"

    def decrypt(self, token: str) -> str:
        match = TOKEN.fullmatch(token)
        if not match:
            raise ValueError("not an encrypted token")
        entity_type, data = match.groups()
        raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
        return self.cipher.decrypt(raw, [entity_type.encode()]).decode("utf-8")


class _Piiscan(Operator):
    """Our operators get the entity type (from Presidio), the canonical value and
    the keys or policy through params."""

    name = ""

    def validate(self, params: Dict = None) -> None:
        if not params or "entity_type" not in params:
            raise ValueError(f"{self.name}: missing entity_type")

    def operator_name(self) -> str:
        return self.name

    def operator_type(self) -> OperatorType:
        return OperatorType.Anonymize


class MaskOperator(_Piiscan):
    name = "piiscan_mask"

    def operate(self, text: str, params: Dict = None) -> str:
        return mask(params["entity_type"], text, params["policy"])


class PseudonymizeOperator(_Piiscan):
    name = "piiscan_pseudonymize"

    def operate(self, text: str, params: Dict = None) -> str:
        entity = params["entity_type"]
        keys: Keys = params["keys"]
        digest = keys.pseudonym(entity, params["canonical"])[:8].upper()
        return f"{params['prefix']}_{digest}"


class SurrogateOperator(_Piiscan):
    name = "piiscan_surrogate"

    def operate(self, text: str, params: Dict = None) -> str:
        entity = params["entity_type"]
        keys: Keys = params["keys"]
        seed = int(keys.surrogate(entity, params["canonical"]), 16)
        facts = params["policy"].entity(entity)
        generate = surrogates.GENERATORS.get(facts.surrogate) if facts and facts.surrogate else None
        if generate is None:  # amounts, codes: no meaningful fake, fall back to the mask
            return mask(entity, text, params["policy"])
        return generate(text, random.Random(seed))


class EncryptOperator(_Piiscan):
    name = "piiscan_encrypt"

    def operate(self, text: str, params: Dict = None) -> str:
        return params["keys"].encrypt(params["entity_type"], text)


@dataclass(frozen=True, slots=True)
class Replacement:
    """Replace text[start:end] with `text`."""

    start: int
    end: int
    text: str
    entity_type: str = ""
    operator: str = ""


def apply(text: str, replacements: list[Replacement]) -> str:
    out, last = [], 0
    for r in sorted(replacements, key=lambda r: r.start):
        out.append(text[last:r.start])
        out.append(r.text)
        last = r.end
    out.append(text[last:])
    return "".join(out)


@dataclass
class Redactor:
    """Detects PI in a text and says what replaces each span.

    Called by the writers as `redactor(text, header) -> [Replacement]`; counts
    what it did per (entity, operator) until `take_counts()`."""

    detector: Detector
    profile: Profile
    policy: Policy
    key: bytes
    operator: Optional[str] = None  # --operator: overrides the profile's operators
    counts: Counter = field(default_factory=Counter)
    produced: set = field(default_factory=set)  # replacement texts: verification ignores them
    known: KnownValues = field(default_factory=KnownValues)  # the current file's column findings
    # (entity, canonical value, clear or the operator) of the personal values written to
    # the current copy, for the sharing register; in memory only, fingerprinted there
    shared: Counter = field(default_factory=Counter)

    def __post_init__(self):
        self.keys = Keys(self.key)
        self._memo: dict[tuple, str] = {}
        self._lengths: set[int] = set()
        self.engine = AnonymizerEngine()
        for cls in OPERATORS.load_all().values():  # Presidio Operator classes, by entry point
            self.engine.add_anonymizer(cls)

    def operator_for(self, detection: Detection) -> Optional[str]:
        """The operator for a detection, or None when it stays as it is (shown to
        the recipient, or not personal information under the policy)."""
        tier = value_tier(self.policy, detection.entity_type, detection.metadata)
        if not is_personal(tier):
            return None
        if tier.jrt0171 == "C3":
            return "redact"  # authentication data: never shown, never reversible
        if detection.entity_type in self.profile.clear:
            return None
        if self.operator:
            return self.operator
        return self.profile.operators.get(detection.entity_type, self.profile.operator)

    def _config(self, operator: str, detection: Detection) -> OperatorConfig:
        entity = self.policy.entity(detection.entity_type)
        if operator == "redact":
            return OperatorConfig("redact")
        if operator == "replace":
            label = entity.label_zh if entity else detection.entity_type
            return OperatorConfig("replace", {"new_value": f"<{label}>"})
        params = {"policy": self.policy, "keys": self.keys, "canonical": detection.canonical,
                  "prefix": (entity.pseudonym_prefix or entity.label_zh) if entity else "值"}
        return OperatorConfig(OPERATORS.get(operator)().operator_name(), params)

    def replacement(self, detection: Detection, operator: str) -> str:
        """The text replacing a detection; every operator is deterministic, so a value
        seen before (the same client in many rows) is answered from memory."""
        memo_key = (detection.entity_type, detection.value, detection.canonical, operator)
        cached = self._memo.get(memo_key)
        if cached is not None:
            return cached
        if len(self._memo) > 100_000:
            self._memo.clear()
        self._memo[memo_key] = new = self._anonymize(detection, operator)
        return new

    def _anonymize(self, detection: Detection, operator: str) -> str:
        result = self.engine.anonymize(
            detection.value, [RecognizerResult(detection.entity_type, 0, len(detection.value), detection.score)],
            operators={detection.entity_type: self._config(operator, detection)})
        return result.text

    def detect(self, text: str, header: Optional[str] = None) -> list[Detection]:
        """The detector's findings plus the values column inference found in this
        file's tables (protect.known), wherever they occur."""
        found = self.detector.detect(text, header=header)
        extra = self.known.find(text)
        return resolve_overlaps(found + extra, self.detector.rank) if extra else found

    def __call__(self, text: str, header: Optional[str] = None) -> list[Replacement]:
        replacements = []
        for d in self.detect(text, header=header):
            operator = self.operator_for(d)
            if operator is None:
                self.counts[(d.entity_type, "clear")] += 1
                if is_personal(value_tier(self.policy, d.entity_type, d.metadata)):
                    self.shared[(d.entity_type, d.canonical, "clear")] += 1  # the profile shows it
                continue
            new = self.replacement(d, operator)
            self.counts[(d.entity_type, operator)] += 1
            self.shared[(d.entity_type, d.canonical, operator)] += 1
            # a rule that returns the value itself (a policy mask `none`) must not
            # teach verification to ignore that value
            if new and new != d.value and new not in self.produced:
                self.produced.add(new)
                self._lengths.add(len(new))
            replacements.append(Replacement(d.start, d.end, new, d.entity_type, operator))
            if d.entity_type == "PERSON":
                self.known.name_seen(d.value, d.score)
        return replacements

    def take_counts(self) -> dict[str, dict[str, int]]:
        return take_counts(self.counts)

    def take_shared(self) -> Counter:
        shared, self.shared = self.shared, Counter()
        return shared

    def is_own_output(self, text: str, start: int, end: int) -> bool:
        """Is text[start:end] inside something the redaction wrote itself (a
        surrogate, a mask, a token)? Verification ignores those."""
        value = text[start:end]
        if value.strip() in self.produced:
            return True
        for length in self._lengths:  # a produced string around the span (北京市朝阳区**** around 北京市朝阳区)
            if length <= end - start:
                continue
            for i in range(max(0, end - length), min(start, len(text) - length) + 1):
                if text[i:i + length] in self.produced:
                    return True
        return False


def take_counts(counter: Counter) -> dict[str, dict[str, int]]:
    """{entity: {operator: n}} from a Counter keyed by (entity, operator); empties it."""
    counts: dict[str, dict[str, int]] = {}
    for (entity, operator), n in sorted(counter.items()):
        counts.setdefault(entity, {})[operator] = n
    counter.clear()
    return counts


@dataclass
class Unredactor:
    """Finds encrypted tokens and gives back the original values (needs the key)."""

    key: bytes
    counts: Counter = field(default_factory=Counter)

    def __post_init__(self):
        self.keys = Keys(self.key)

    def __call__(self, text: str, header: Optional[str] = None) -> list[Replacement]:
        out = []
        for m in TOKEN.finditer(text):
            out.append(Replacement(m.start(), m.end(), self.keys.decrypt(m.group()), m.group(1), "decrypt"))
            self.counts[(m.group(1), "decrypt")] += 1
        return out

    def take_counts(self) -> dict[str, dict[str, int]]:
        return take_counts(self.counts)
