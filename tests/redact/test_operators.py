"""Operators: consistent pseudonyms, checksum-valid surrogates, reversible
encryption, authentication data always removed; recipient profiles."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from conftest import fake_card, fake_id, make_planted

from piiscan.core.model import Detection
from piiscan.protect import run
from piiscan.protect.operators import Redactor, Unredactor, apply
from piiscan.protect.profiles import ProfileError, load_profile, shipped
from piiscan.detect.validators.bank_card import validate_bank_card
from piiscan.detect.validators.names import surname_of, validate_person_name
from piiscan.detect.validators.phone import validate_landline, validate_mobile
from piiscan.detect.validators.resident_id import birth_date, is_valid_resident_id

KEY_A, KEY_B = b"a" * 64, b"b" * 64


def redact_text(redactor: Redactor, text: str, header=None) -> str:
    return apply(text, redactor(text, header))


def test_pseudonyms_same_across_files_and_runs_and_differ_by_key(tmp_path, planted, make_redactor):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(f"客户手机{planted.mobile}\n", encoding="utf-8")
    (tmp_path / "in" / "b.csv").write_text(f"姓名,手机\n{planted.name},{planted.mobile}\n", encoding="utf-8")
    outputs = {}
    for label, key in (("run1", KEY_A), ("run2", KEY_A), ("other", KEY_B)):
        redactor = make_redactor("pseudonymize", key=key)  # a fresh redactor: nothing carried over
        outcome = run.redact([tmp_path / "in"], tmp_path / label, redactor)
        assert outcome.exit_code == 0
        txt = (tmp_path / label / "a.txt").read_text(encoding="utf-8")
        token = txt.strip()[len("客户手机"):]
        assert token.startswith("手机_") and token in (tmp_path / label / "b.csv").read_text(encoding="utf-8")
        outputs[label] = token
    assert outputs["run1"] == outputs["run2"] != outputs["other"]


def test_pseudonym_ignores_formatting_of_the_value(make_redactor, planted):
    redactor = make_redactor("pseudonymize", key=KEY_A)
    m = planted.mobile
    plain = redact_text(redactor, f"手机{m}")
    spaced = redact_text(redactor, f"手机{m[:3]}-{m[3:7]}-{m[7:]}")
    assert plain == spaced


def test_surrogates_pass_our_validators_and_keep_format(make_redactor):
    redactor = make_redactor("surrogate", key=KEY_A)
    rng = random.Random(3)
    for seed in range(25):
        resident_id, card = fake_id(rng), fake_card(rng)
        fake = redact_text(redactor, f"身份证号{resident_id}")[4:]
        assert fake != resident_id and is_valid_resident_id(fake)
        assert birth_date(fake).year // 5 == birth_date(resident_id).year // 5  # same birth-year band
        assert int(fake[16]) % 2 == int(resident_id[16]) % 2  # same gender digit parity
        fake_card_ = redact_text(redactor, f"卡号{card}")[2:]
        assert fake_card_ != card and validate_bank_card(fake_card_).score >= 0.85
        assert fake_card_[:6] == card[:6] and len(fake_card_) == len(card)  # same BIN and length
        mobile = make_planted(seed).mobile
        fake_mobile = redact_text(redactor, f"手机{mobile}")[2:]
        assert fake_mobile != mobile and validate_mobile(fake_mobile).score and fake_mobile[:3] == mobile[:3]
    grouped = redact_text(redactor, "卡号6222 0202 0012 3456 788")
    assert grouped != "卡号6222 0202 0012 3456 788" and grouped[2:].count(" ") == 4  # separators kept
    landline = redact_text(redactor, "固话：010-62345678")
    assert landline.startswith("固话：010-") and validate_landline(landline[3:]).score
    name = redact_text(redactor, "欧阳娜娜", header="姓名")
    assert len(name) == 4 and len(surname_of(name)) == 2 and validate_person_name(name).score != 0.0


def test_surrogates_are_deterministic_per_key(make_redactor, planted):
    text = f"身份证号{planted.resident_id}，手机{planted.mobile}"
    a1 = redact_text(make_redactor("surrogate", key=KEY_A), text)
    a2 = redact_text(make_redactor("surrogate", key=KEY_A), text)
    b = redact_text(make_redactor("surrogate", key=KEY_B), text)
    assert a1 == a2 != b


def test_encrypt_is_deterministic_and_reverses_exactly(make_redactor, planted):
    text = f"甲方：{planted.name}，身份证号{planted.resident_id}，手机{planted.mobile}。"
    encrypted = redact_text(make_redactor("encrypt", key=KEY_A), text)
    assert encrypted == redact_text(make_redactor("encrypt", key=KEY_A), text)
    for value in planted.values()[:1] + [planted.resident_id, planted.mobile]:
        assert value not in encrypted
    assert apply(encrypted, Unredactor(KEY_A)(encrypted, None)) == text
    with pytest.raises(Exception):
        Unredactor(KEY_B)(encrypted, None)


@pytest.mark.parametrize("operator", ["mask", "replace", "pseudonymize", "surrogate", "encrypt"])
def test_authentication_data_is_always_redacted(make_redactor, operator):
    redactor = make_redactor(operator)
    assert redact_text(redactor, "登录密码：Zx81977") == "登录密码："
    assert redactor.take_counts() == {"AUTHENTICATION_DATA": {"redact": 1}}


def test_shipped_profiles(make_redactor, planted):
    assert shipped() == ["auditor", "bank", "public"]
    text = f"客户姓名：{planted.name}，卡号{planted.card}，手机{planted.mobile}，身份证号{planted.resident_id}"
    bank = redact_text(make_redactor(None, "bank"), text)
    assert planted.name in bank and planted.card in bank
    assert planted.mobile not in bank and planted.resident_id not in bank
    auditor = redact_text(make_redactor(None, "auditor"), text)
    assert f"{planted.resident_id[:6]}********{planted.resident_id[-4:]}" in auditor and "手机_" in auditor
    assert planted.name not in auditor and planted.card not in auditor
    public = redact_text(make_redactor(None, "public"), text)
    assert public == "客户姓名：<姓名>，卡号<银行卡号>，手机<手机号码>，身份证号<居民身份证号码>"


def test_organisations_are_not_redacted(make_redactor):
    redactor = make_redactor("replace")
    d = Detection("ORGANIZATION", 0, 4, 0.9, "spacy", "中国银行", "中国银行")
    assert redactor.operator_for(d) is None
    personal = Detection("CN_USCC", 0, 18, 1.0, "uscc", "x", "x", metadata={"individual_business": True})
    assert redactor.operator_for(personal) == "replace"


@pytest.mark.parametrize("content, message", [
    ("profile: x\noperater: mask\n", "operater"),
    ("profile: x\nclear: [CN_MOBIL]\n", "clear.CN_MOBIL"),
    ("profile: x\noperators: {CN_MOBILE: shred}\n", "shred"),
    ("profile: x\nclear: [AUTHENTICATION_DATA]\n", "clear.AUTHENTICATION_DATA"),
    ("- just a list\n", "mapping"),
])
def test_bad_profiles_name_the_key(tmp_path, policy, content, message):
    path = tmp_path / "p.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProfileError, match=message) as error:
        load_profile(str(path), policy)
    assert str(path) in str(error.value)


def test_today_is_not_exceeded_by_young_surrogates(make_redactor):
    young = dt.date.today().year - 1
    body = f"110105{young}0101123"
    from piiscan.detect.validators.resident_id import gb11643_check_char

    value = body + gb11643_check_char(body)
    out = redact_text(make_redactor("surrogate"), f"身份证号{value}")[4:]
    assert is_valid_resident_id(out) and birth_date(out) <= dt.date.today()


@pytest.mark.parametrize("written", ["+86 138-0013-8000", "008613800138000", "138 0013 8000"])
def test_surrogate_mobiles_keep_prefix_and_separators(written):
    import random as random_

    from piiscan.protect.surrogates import mobile

    fake = mobile(written, random_.Random(1))
    assert len(fake) == len(written) and validate_mobile(fake).score
    assert [c for c in fake if not c.isdigit()] == [c for c in written if not c.isdigit()]
    assert fake[:fake.index("138") + 3] == written[:written.index("138") + 3]
