"""piiscan: find, classify and mask Chinese personal information in files.

Importing piiscan is cheap: the detection engine (Presidio, spaCy and the model)
loads only when one of the names below is first used.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it, imported on first use (PEP 562)
_LAZY = {
    "Detector": "piiscan.detect.engine",
    "build_analyzer": "piiscan.detect.engine",
    "ValidatedPatternRecognizer": "piiscan.detect.recognizer",
    "load_recognizers": "piiscan.detect.recognizer",
    "Finding": "piiscan.core.model",
    "TextUnit": "piiscan.core.model",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'piiscan' has no attribute {name!r}")
    return getattr(import_module(module), name)
