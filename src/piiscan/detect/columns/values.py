"""What one table value looks like, without any context: a person's name (Chinese,
transliterated or in pinyin/Latin letters), an organisation, a place, or nothing
in particular. Column inference (piiscan.detect.columns.infer) weighs these over a
whole column."""

from __future__ import annotations

import re
from functools import lru_cache, cache
from importlib.resources import files

from piiscan.detect.validators.names import NAME_DOTS, is_cjk, surname_of
from piiscan.core.model import VALUE_CACHE

# Endings that make a value an organisation, an office or a place, never a person.
ORGANISATION_ENDINGS = ("公司", "银行", "集团", "中心", "事务所", "委员会", "政府", "学校", "大学", "医院", "协会",
                        "合作社", "工作室", "经营部", "门市部", "商行", "商店", "超市", "酒店", "饭店", "餐厅",
                        "研究院", "研究所", "基金会", "分行", "支行", "营业部", "办事处", "联社", "药房", "诊所")
# One-character endings that also end given names (王园, 李行): they make an organisation
# only of a value that does not start with a surname (税务局) or is longer than a name.
OFFICE_ENDINGS = ("厂", "店", "局", "院", "社", "所", "行", "部", "处", "馆", "站", "队", "会", "校", "园")
ORGANISATION_WORDS = re.compile("有限|股份|公司|集团|科技|贸易|实业|商贸|投资|咨询|财税|会计|律师|物流|置业|控股|"
                                "企业|工厂|银行|基金|证券|保险|信托|医药|建设|工程|传媒|文化|餐饮|个体")
PLACE_ENDINGS = ("省", "市", "区", "县", "镇", "乡", "村", "街", "路", "巷", "号", "楼", "室", "旗",
                 "广场", "花园", "小区", "大厦", "公寓", "新村")
# Cells that fill a table but name nobody.
FILLERS = frozenset("无 暂无 空 略 不详 未知 未填 待定 待补 其他 其它 合计 小计 总计 共计 备注 本人 同上 见附件 "
                    "是 否 男 女 已婚 未婚 正常 注销 在职 离职 有效 无效 通过 拒绝 待审 已付 未付 汉族 汉".split())
_LATIN_NAME = re.compile(r"^[A-Z][a-zA-Z'’-]+(?: [A-Z][a-zA-Z'’-]+){1,2}$|^[A-Z]{2,}(?: [A-Z]{2,}){1,2}$")
_SPACES = re.compile(r"[\s\u3000]+")
_DOT = re.compile(f"[{NAME_DOTS}]")


@cache
def given_name_ratios() -> dict[str, float]:
    """Character -> log-likelihood ratio of being part of a given name (see
    scripts/make_given_name_chars.py)."""
    text = files("piiscan.detect").joinpath("data", "given_name_chars.tsv").read_text(encoding="utf-8")
    pairs = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {char: float(ratio) for char, ratio in pairs}


@cache
def surname_ranks() -> dict[str, int]:
    """Single-character surname -> its rank by frequency (surnames.txt lists them so)."""
    text = files("piiscan.detect").joinpath("data", "surnames.txt").read_text(encoding="utf-8")
    singles = [line.strip() for line in text.splitlines() if len(line.strip()) == 1]
    return {name: rank for rank, name in enumerate(singles)}


def surname_prior(surname: str) -> float:
    """The 100 commonest surnames carry most of the population; 时, 银 or 和 are
    surnames too, but a value starting with them is more often a word."""
    if len(surname) == 2:
        return 0.0
    rank = surname_ranks().get(surname, 1000)
    return 0.1 if rank < 100 else -0.1 if rank < 250 else -0.25


@cache
def pinyin_surnames() -> frozenset[str]:
    text = files("piiscan.detect").joinpath("data", "pinyin_surnames.txt").read_text(encoding="utf-8")
    return frozenset(w.lower() for line in text.splitlines() if not line.startswith("#") for w in line.split())


# A character missing from the table is rare in all text, as many given-name characters are.
_RARE = 0.5


def compact(value: str) -> str:
    """The value without the spaces some tables put inside names (王  芳)."""
    return _SPACES.sub("", value.strip())


def is_organisation(value: str) -> bool:
    text = compact(value)
    if len(text) < 2:
        return False
    if text.endswith(ORGANISATION_ENDINGS) or ORGANISATION_WORDS.search(text):
        return True
    return text.endswith(OFFICE_ENDINGS) and (len(text) > 3 or not surname_of(text))


def is_place(value: str) -> bool:
    text = compact(value)
    return len(text) >= 2 and text.endswith(PLACE_ENDINGS)


@lru_cache(maxsize=VALUE_CACHE)  # a roster repeats its names; the score depends on the value alone
def chinese_name_score(value: str) -> float:
    """0..1: how much a value reads as a Chinese person's name on its own. A known
    surname (compound ones too) and given-name characters that are common in names
    and rare elsewhere score high; 白糖, 高新区, 华为手机 score low."""
    text = compact(value)
    if _DOT.search(text):  # minority and transliterated names: 阿依古丽·买买提
        parts = _DOT.split(text)
        return 0.85 if all(is_cjk(p) for p in parts) and 4 <= len(text) <= 20 else 0.0
    if not is_cjk(text) or not 2 <= len(text) <= 4 or text in FILLERS:
        return 0.0
    if is_organisation(text) or is_place(text):
        return 0.0
    surname = surname_of(text)
    given = text[len(surname):]
    if not surname or not 1 <= len(given) <= 2:
        return 0.1
    ratios = given_name_ratios()
    evidence = sum(ratios.get(c, _RARE) for c in given) / len(given)
    # evidence: about +4 for 芳 or 伟, 0 for a character as common in names as elsewhere, -2.5 for 市
    return max(0.05, min(1.0, 0.5 + 0.1 * evidence + surname_prior(surname)))


def latin_name_score(value: str) -> float:
    """0..1 for a name written in letters: ZHANG Wei, Wang Fang, Li Xiaoming. A
    pinyin surname at either end makes it likely; other capitalised pairs (John
    Smith) are possible names."""
    text = value.strip()
    if not _LATIN_NAME.match(text):
        return 0.0
    words = text.lower().split()
    return 0.9 if words[0] in pinyin_surnames() or words[-1] in pinyin_surnames() else 0.5


_ANNOTATION = re.compile(r"\s*(?:[（(][^（()）]{1,12}[)）]|先生|女士|小姐|同志|老师)$")


def without_annotation(value: str) -> str:
    """王芳（经理）, 张伟 先生, 李娜(已离职) -> the name alone."""
    text = value.strip()
    stripped = _ANNOTATION.sub("", text)
    return stripped if stripped else text


def name_score(value: str) -> float:
    value = without_annotation(value)
    return max(chinese_name_score(value), latin_name_score(value))
