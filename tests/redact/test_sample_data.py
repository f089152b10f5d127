"""End to end on the shipped sample data and its list of planted values: after
`redact`, no planted personal information is left in any copy (organisation
codes and category keywords are not personal information and stay)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from piiscan.sources.readers.base import detect_encoding
from piiscan.protect import run

ROOT = Path(__file__).resolve().parents[2]
NOT_PI = {"CN_USCC", "SENSITIVE_CATEGORY_HINT", "ORGANIZATION"}


def text_of(path: Path) -> str:
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    if path.suffix == ".pdf":
        with pdfplumber.open(path) as pdf:
            plumber = "\n".join(page.extract_text() or "" for page in pdf.pages)
        return plumber + "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    raw = path.read_bytes()
    return raw.decode(detect_encoding(raw))


@pytest.mark.parametrize("operator", ["pseudonymize", None])  # None: the default profile's (mask)
def test_no_planted_value_survives_redaction(tmp_path, make_redactor, operator):
    """With masking too: a category keyword (患有) was masked to itself (policy mask
    `none`), verification took it for a leak and the copy of 咨询记录.txt was removed."""
    planted = json.loads((ROOT / "tests" / "sample_data_planted.json").read_text(encoding="utf-8"))["planted"]
    redactor = make_redactor(operator)
    outcome = run.redact([ROOT / "sample_data"], tmp_path / "out", redactor)
    assert outcome.exit_code == 0, outcome.messages
    texts = {p.name: text_of(p) for p in (tmp_path / "out").iterdir() if p.suffix != ".json"}
    assert set(texts) == {item["file"] for item in planted}
    left = [(item["file"], item["entity"]) for item in planted
            if item["entity"] not in NOT_PI and item["value"] in texts[item["file"]]]
    assert left == []
    assert sum(item["entity"] not in NOT_PI for item in planted) > 80
