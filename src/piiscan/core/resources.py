"""Where the shipped data lives: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parents[3]


def _shipped(packaged: str, top_level: str) -> Path:
    inside = Path(str(files("piiscan").joinpath(packaged)))
    return inside if inside.is_dir() else _SOURCE_ROOT / top_level


def recognizers_dir() -> Path:
    """The shipped recognizer definitions: YAML files inside the package."""
    return Path(str(files("piiscan.detect").joinpath("definitions")))


def models_dir() -> Path:
    """PIISCAN_MODELS overrides the shipped models/ folder."""
    override = os.environ.get("PIISCAN_MODELS")
    return Path(override) if override else _shipped("_models", "models")
