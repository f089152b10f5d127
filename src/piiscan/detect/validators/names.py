"""Chinese person names, for the rule-based recognizers: a value under a name
header (姓名, 联系人, 户名…) or after a role cue (甲方：, 法定代表人：…)."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from piiscan.detect.validators import REJECT, Verdict

# Endings of organisations and offices that can follow a role cue (甲方：中国银行).
_NOT_A_PERSON = ("公司", "银行", "集团", "中心", "事务所", "委员会", "政府", "学校", "医院", "协会",
                 "局", "所", "院", "厅", "部", "处", "科", "行", "社", "司", "会", "店", "厂", "室", "组")
# Particles that end a clause before a name, never part of a given name: 造成了薛女士
# is 薛女士, not a Mr 成了薛; 家住香港路的曾女士 is 曾女士.
_PARTICLES = frozenset("了的地得着过们是在把被给让这那个些吗呢吧啊都就还很")


# Parties and roles in contracts and notes: never a person's name, though a
# model reading 乙方应将… may take them for one.
ROLE_WORDS = frozenset("""甲方 乙方 丙方 丁方 双方 各方 转让方 受让方 出让方 出借人 借款人 债务人 债权人 担保人 保证人 委托人
受托人 代理人 法定代表人 联系人 经办人 负责人 申请人 被申请人 原告 被告 第三人 客户 本人 对方 买方 卖方 甲乙双方""".split())


# The dot between the parts of a minority or transliterated name (阿依古丽·买买提):
# the middle dot, and the bullet, katakana and hyphenation dots typed for it.
NAME_DOTS = "·•・‧･"
_DOT = re.compile(f"[{NAME_DOTS}]")


@cache
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(compound surnames, single-character surnames)."""
    text = files("piiscan.detect").joinpath("data", "surnames.txt").read_text(encoding="utf-8")
    names = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return frozenset(n for n in names if len(n) == 2), frozenset(n for n in names if len(n) == 1)


def surname_of(name: str) -> str:
    """The surname, compound ones (欧阳, 诸葛…) included; '' when none is known."""
    compound, single = surnames()
    if len(name) >= 3 and name[:2] in compound:
        return name[:2]
    return name[:1] if name[:1] in single else ""


def is_cjk(text: str) -> bool:
    return bool(text) and all("\u4e00" <= c <= "\u9fff" for c in text)


def validate_person_name(value: str) -> Verdict:
    name = value.strip()
    if _DOT.search(name):  # minority and transliterated names: 阿依古丽·买买提
        parts = _DOT.split(name)
        if all(is_cjk(p) for p in parts) and 4 <= len(name) <= 20:
            return Verdict(None, "transliterated name", name, metadata={"form": "transliterated"})
        return REJECT
    if not is_cjk(name) or not 2 <= len(name) <= 4 or name.endswith(_NOT_A_PERSON):
        return REJECT
    surname = surname_of(name)
    if not surname or len(name) - len(surname) > 2 or _PARTICLES & set(name[len(surname):]):
        return REJECT
    return Verdict(None, "known surname", name, metadata={"compound_surname": len(surname) == 2})
