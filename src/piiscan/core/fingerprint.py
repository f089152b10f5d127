"""Keyed fingerprints: HMAC-SHA256 of the canonical value, so the same ID, card
or phone can be matched across files and runs without storing it.

The key comes from PIISCAN_KEY (any string), else from the key file at
PIISCAN_KEY_FILE or ~/.config/piiscan/key, created on first use with 0600.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path


def default_key_file() -> Path:
    override = os.environ.get("PIISCAN_KEY_FILE")
    if override:
        return Path(override)
    config_home = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config_home) / "piiscan" / "key"


def load_key(key_file: Path | None = None) -> bytes:
    from_env = os.environ.get("PIISCAN_KEY")
    if from_env:
        return from_env.encode("utf-8")
    path = key_file or default_key_file()
    if not path.exists():
        create_key(path)
    return path.read_text(encoding="ascii").strip().encode("ascii")


def create_key(path: Path) -> None:
    """A new random key at `path`, all or nothing: written to a temporary file (0600)
    and hard-linked into place, so that a scan starting at the same moment finds no
    key file or a whole one (never an empty one: an empty key, other fingerprints),
    and the first key linked wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another scan made the key first: theirs is used
        except OSError:  # a file system without hard links (FAT, some shares): a whole file still
            if not path.exists():
                os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def key_id(key: bytes) -> str:
    """A short name for a key that reveals nothing about it."""
    return hashlib.sha256(b"piiscan-key-id:" + key).hexdigest()[:12]


class Fingerprinter:
    def __init__(self, key: bytes):
        self._key = key

    def __call__(self, entity_type: str, canonical: str) -> str:
        message = f"{entity_type}\x1f{canonical}".encode("utf-8")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]
