"""piiscan: find, classify and mask Chinese personal information in files."""

__version__ = "0.1.0"

from piiscan.engine import Detector, build_analyzer  # noqa: E402
from piiscan.model import Finding, TextUnit  # noqa: E402
from piiscan.recognizer import ValidatedPatternRecognizer, load_recognizers  # noqa: E402

__all__ = [
    "Detector",
    "Finding",
    "TextUnit",
    "ValidatedPatternRecognizer",
    "build_analyzer",
    "load_recognizers",
    "__version__",
]
