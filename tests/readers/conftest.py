import pytest

from piiscan.fingerprint import Fingerprinter
from piiscan.scan import Scanner

ID = "11010519491231002X"
MOBILE = "13800138000"


@pytest.fixture(scope="session")
def scanner(rules_detector):
    return Scanner(rules_detector, Fingerprinter(b"reader-tests"))


def where(result, entity):
    """(location, start, end) of each finding of one entity, in file order."""
    return [(f.location, f.start, f.end) for f in result.findings if f.entity_type == entity]
