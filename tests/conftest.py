"""Shared test setup: no network beyond loopback, and a throw-away fingerprint key."""

from __future__ import annotations

import ipaddress
import socket

import pytest

_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    try:
        local = isinstance(host, str) and (host == "localhost" or ipaddress.ip_address(host).is_loopback)
    except ValueError:
        local = False
    if self.family == socket.AF_UNIX or local:
        return _real_connect(self, address)
    raise OSError(f"tests may not reach the network ({host})")


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Nothing in piiscan may download at run time (models, suffix lists)."""
    socket.socket.connect = _loopback_only
    yield
    socket.socket.connect = _real_connect


@pytest.fixture(autouse=True, scope="session")
def isolated_key(tmp_path_factory):
    """Fingerprint keys go to a temporary file, never the developer's ~/.config."""
    mp = pytest.MonkeyPatch()
    mp.delenv("PIISCAN_KEY", raising=False)
    mp.setenv("PIISCAN_KEY_FILE", str(tmp_path_factory.mktemp("key") / "key"))
    yield
    mp.undo()


@pytest.fixture(scope="session")
def analyzer():
    from piiscan.detect.engine import build_analyzer

    return build_analyzer()


@pytest.fixture(scope="session")
def detector(analyzer):
    from piiscan.detect.engine import Detector

    return Detector(analyzer)


@pytest.fixture(scope="session")
def rules_detector(analyzer):
    """Identifiers and rules only, no NER model: for tests that pin exact results
    of the rules, which a retrained model must not change."""
    from piiscan.detect.engine import Detector

    return Detector(analyzer, ner=False)
