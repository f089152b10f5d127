import os
import stat

from piiscan.fingerprint import Fingerprinter, key_id, load_key


def test_key_file_is_created_once_with_0600(tmp_path, monkeypatch):
    monkeypatch.delenv("PIISCAN_KEY", raising=False)
    path = tmp_path / "sub" / "key"
    first = load_key(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(first) == 64 and load_key(path) == first


def test_environment_key_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("PIISCAN_KEY", "team-secret")
    assert load_key(tmp_path / "unused") == b"team-secret"
    assert not (tmp_path / "unused").exists()


def test_fingerprints_are_keyed_typed_and_stable():
    a, b = Fingerprinter(b"key-a"), Fingerprinter(b"key-b")
    assert a("CN_MOBILE", "13800138000") == a("CN_MOBILE", "13800138000")
    assert a("CN_MOBILE", "13800138000") != b("CN_MOBILE", "13800138000")
    assert a("CN_MOBILE", "13800138000") != a("CN_LANDLINE", "13800138000")
    assert "13800138000" not in a("CN_MOBILE", "13800138000")
    assert key_id(b"key-a") != key_id(b"key-b") and len(key_id(b"key-a")) == 12


def test_same_person_same_fingerprint_across_written_forms(detector):
    """Full-width, separators and the legacy 15-digit ID all normalise to one value."""
    fp = Fingerprinter(b"k")
    forms = ["身份证号11010519491231002X", "身份证号 110105 19491231 002x", "身份证号１１０１０５１９４９１２３１００２Ｘ",
             "旧身份证号：110105491231002"]
    prints = set()
    for text in forms:
        (d,) = detector.detect(text)
        prints.add(fp(d.entity_type, d.canonical))
    assert len(prints) == 1
