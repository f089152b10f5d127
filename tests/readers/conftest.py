import pytest

from piiscan.core.fingerprint import Fingerprinter
from piiscan.sources.readers.ocr import ocr_unavailable
from piiscan.pipeline.scanner import Scanner

ID = "11010519491231002X"
MOBILE = "13800138000"


@pytest.fixture(scope="session")
def scanner(rules_detector):
    return Scanner(rules_detector, Fingerprinter(b"reader-tests"))


def where(result, entity):
    """(location, start, end) of each finding of one entity, in file order."""
    return [(f.location, f.start, f.end) for f in result.findings if f.entity_type == entity]


def require_tool(name: str) -> str:
    """The path of a command-line tool the test needs (installed by .ci/run): missing
    in CI is a failure, elsewhere a skip that names it."""
    import os
    import shutil

    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (apt-get install {'libreoffice-writer-nogui' if name == 'soffice' else name})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def no_tesseract(tmp_path, monkeypatch):
    """Tesseract off the PATH for one test; the OCR check is cached, so it is cleared
    before and after."""
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    ocr_unavailable.cache_clear()
    yield
    monkeypatch.undo()
    ocr_unavailable.cache_clear()
