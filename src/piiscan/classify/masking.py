"""Display masks following common Chinese practice (cn-pii-spec §7-8).

Only letters and digits are hidden or kept; separators stay where they are, so
`6222 0202 0012 3456 788` masks to `6222 02** **** ***6 788`.
"""

from __future__ import annotations

import re
from piiscan.core.registry import MASK_RULES

MASK = "*"

# Each masking rule is a function(value, **params) declared under the
# ``piiscan.mask_rules`` entry-point group (pyproject.toml); the policy names one per entity.


def keep_ends(value: str, first: int, last: int) -> str:
    """Keep the first and last N letters/digits, hide the others, keep separators."""
    positions = [i for i, c in enumerate(value) if c.isalnum()]
    if len(positions) <= first + last:
        hidden = set(positions[max(1, len(positions) // 3):]) if len(positions) > 1 else set(positions)
    else:
        hidden = set(positions[first: len(positions) - last])
    return "".join(MASK if i in hidden else c for i, c in enumerate(value))


def _mask_landline(value: str) -> str:
    match = re.match(r"^(\D*(?:\+?86)?\D*\(?0?(?:10|2\d|[3-9]\d{2})\)?[ -]?)(.*)$", value)
    if not match:
        return keep_ends(value, 0, 4)
    area, rest = match.groups()
    ext = re.search(r"(\s*(?:-|转|ext\.?|x)\s*\d{1,6})$", rest, re.IGNORECASE)
    subscriber = rest[: ext.start()] if ext else rest
    return area + keep_ends(subscriber, 0, 4) + (ext.group() if ext else "")


def _mask_mobile(value: str) -> str:
    """138****8000; an international prefix (+86, 0086) stays visible."""
    digits = "".join(c for c in value if c.isdigit())
    prefix = 4 if digits.startswith("0086") else 2 if value.lstrip().startswith("+86") else 0
    return keep_ends(value, prefix + 3, 4)


def _mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return local[:1] + MASK * 3 + "@" + domain


def _mask_ip(value: str) -> str:
    if "." in value:
        parts = value.split(".")
        return ".".join(parts[:2] + [MASK] * (len(parts) - 2))
    return value.split(":")[0] + ":" + MASK


def _mask_uscc(value: str) -> str:
    # An organisation's code is public registration data; an individual
    # business's (prefix 92) identifies a person.
    return keep_ends(value, 8, 1) if value.startswith("92") else value


def _mask_document(value: str) -> str:
    letters = len(value) - len(value.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return keep_ends(value, max(1, min(letters, 2)), 3)


def _mask_person(value: str) -> str:
    """张*, 张**, 欧阳**: the surname stays, compound ones included."""
    from piiscan.detect.validators.names import surname_of

    name = value.strip()
    keep = len(surname_of(name)) or 1
    return name[:keep] + MASK * (len(name) - keep)


_DISTRICT = re.compile(r"^(?:[^省市区县]{2,7}(?:省|自治区|特别行政区))?(?:[^省市区县]{1,7}(?:市|自治州|地区|盟))?"
                       r"(?:[^省市区县]{1,7}(?:区|县|旗|市))?")


# Endings that look like a district (…区) but are places inside one.
_NOT_DISTRICTS = ("社区", "小区", "园区", "校区", "景区", "街区", "片区", "辖区", "商区", "营区", "库区")


def _mask_address(value: str) -> str:
    """Kept down to the district (北京市朝阳区****); nothing kept without one, and
    never the whole value (上海社区 is a community, not a district)."""
    kept = _DISTRICT.match(value).group()
    if kept.endswith(_NOT_DISTRICTS) or len(kept) >= len(value.strip()):
        kept = ""
    return kept + MASK * 4


def _mask_amount(value: str) -> str:
    """Amounts are generalised into ranges, not masked digit by digit."""
    from piiscan.detect.validators.financial import validate_amount

    canonical = validate_amount(value).canonical
    if not canonical:
        return MASK * 4
    amount = abs(float(canonical))
    for limit, label in ((1e3, "<1千"), (1e4, "1千-1万"), (1e5, "1万-10万"), (1e6, "10万-100万"),
                         (1e7, "100万-1000万")):
        if amount < limit:
            return label
    return ">=1000万"


def _mask_keep_ends(value: str, first: int = 0, last: int = 0) -> str:
    return keep_ends(value, first, last)


def _mask_full(value: str) -> str:
    return MASK * 6


def _mask_none(value: str) -> str:
    return value


def mask(entity_type: str, value: str, policy=None) -> str:
    """The display mask the policy names for the entity (the default policy if none).
    Types the policy does not know keep at most a quarter at each end."""
    from piiscan.classify.policy import default_policy

    entity = (policy or default_policy()).entity(entity_type)
    if entity is None:
        keep = len(value) // 4
        return keep_ends(value, keep, keep)
    return MASK_RULES.get(entity.mask.rule)(value, **entity.mask.params)
