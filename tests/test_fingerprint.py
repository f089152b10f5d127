import multiprocessing
import os
import stat

from piiscan.core.fingerprint import Fingerprinter, key_id, load_key


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


def _load_key_at(path, start, keys):
    start.wait()  # every process asks for the key at the same moment
    keys.put(load_key(path))


def test_scans_starting_at_once_on_a_fresh_machine_share_one_complete_key(tmp_path, monkeypatch):
    """The first scan creates the key; one starting at the same moment must not read
    the file before the key is in it (an empty key, other fingerprints)."""
    monkeypatch.delenv("PIISCAN_KEY", raising=False)
    context = multiprocessing.get_context("fork")
    for attempt in range(10):
        path = tmp_path / str(attempt) / "key"
        start, keys = context.Barrier(8), context.Queue()
        processes = [context.Process(target=_load_key_at, args=(path, start, keys)) for _ in range(8)]
        for process in processes:
            process.start()
        found = [keys.get(timeout=30) for _ in processes]
        for process in processes:
            process.join()
        assert len(set(found)) == 1 and len(found[0]) == 64, attempt
        assert [p.name for p in path.parent.iterdir()] == ["key"]  # no temporary file left behind


def test_a_key_is_made_where_hard_links_are_not_supported(tmp_path, monkeypatch):
    monkeypatch.delenv("PIISCAN_KEY", raising=False)

    def no_hard_links(source, target):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_hard_links)  # as on FAT or some network shares
    path = tmp_path / "key"
    key = load_key(path)
    assert len(key) == 64 and load_key(path) == key and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["key"]
