"""Redaction's hard cases (benchmarks/redaction/make_cases.py): 100+ files of every
format redact writes, planted values hidden in different places (hidden sheets,
comments, footers, properties, split runs, headers, notes, e-mail headers and
attachments, nested archives, database rows, ID-card images, an ID card beside a
PDF's text, a scanned PDF page, a blurred ID card, PDF form fields and a PDF's
page-level attachment), decoys beside them.
After one redact run, every planted value is hunted in the copies with extractors
independent of piiscan (every part of every package and member, pdftotext and
pdfminer, a PDF's fields, notes and attachments with pikepdf, Tesseract on images
and on rendered PDF pages that draw pictures, the e-mail package, SQLite's dump): no leak, at least 98 % of
the decoys kept, every copy opens in its own library, originals unchanged."""

from __future__ import annotations

import email
import email.policy
import hashlib
import html
import importlib.util
import io
import json
import sqlite3
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.redact.test_cli import cli

GENERATOR = Path(__file__).resolve().parents[2] / "benchmarks" / "redaction" / "make_cases.py"


def _generator():
    spec = importlib.util.spec_from_file_location("make_cases", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def decoded(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def extract(name: str, data: bytes) -> str:
    """Every text a recipient could get out of a file, without piiscan."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(n + "\n" + extract(n, z.read(n)) for n in z.namelist())
    if name.endswith((".tar.gz", ".tgz", ".tar")):
        with tarfile.open(fileobj=io.BytesIO(data)) as t:
            return "\n".join(m.name + "\n" + extract(m.name, t.extractfile(m).read())
                             for m in t.getmembers() if m.isfile())
    if data[:5] == b"%PDF-":
        from pdfminer.high_level import extract_text

        poppler = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout
        return "\n".join([decoded(poppler), extract_text(io.BytesIO(data)), pdf_parts(data), pdf_pictures(data)])
    if data[:16] == b"SQLite format 3\x00":
        path = Path("/tmp") / f"hunt-{hashlib.sha256(data).hexdigest()[:12]}.sqlite"
        path.write_bytes(data)
        db = sqlite3.connect(path)
        dump = "\n".join(db.iterdump())
        db.close()
        path.unlink()
        return dump
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        import pytesseract
        from PIL import Image

        return pytesseract.image_to_string(Image.open(io.BytesIO(data)), lang="chi_sim").replace(" ", "")
    if name.endswith(".eml"):
        message = email.message_from_bytes(data, policy=email.policy.default)
        parts = [str(v) for v in message.values()]
        for part in message.walk():
            if not part.is_multipart():
                parts.append(part.get_filename() or "")
                parts.append(extract(part.get_filename() or "body.txt", part.get_payload(decode=True) or b""))
        return "\n".join(parts)
    text = decoded(data)
    if name.endswith(".json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text)


def pdf_parts(data: bytes) -> str:
    """Form field values, annotations' notes and appearances, attachments (document and page level)."""
    import pikepdf

    texts = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        texts += [decoded(spec.get_file().read_bytes()) for spec in pdf.attachments.values()]
        fields = list((pdf.Root.get("/AcroForm") or {}).get("/Fields") or [])
        annots = [annot for page in pdf.pages for annot in page.obj.get("/Annots") or []]
        while fields:
            field = fields.pop()
            annots.append(field)
            fields += list(field.get("/Kids") or [])
        for annot in annots:
            texts += [str(annot[key]) for key in ("/V", "/DV", "/Contents") if key in annot]
            spec, appearance = annot.get("/FS"), annot.get("/AP")
            if spec is not None and "/EF" in spec:
                texts.append(decoded(spec.EF.F.read_bytes()))
            if appearance is not None and isinstance(appearance.get("/N"), pikepdf.Stream):
                texts.append(decoded(appearance.N.read_bytes()))
    return "\n".join(texts)


def pdf_pictures(data: bytes) -> str:
    """Tesseract on the rendered pages that draw a picture (a scan, an ID-card copy)."""
    import pikepdf
    import pypdfium2 as pdfium
    import pytesseract

    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = [n for n, page in enumerate(pdf.pages) if page.get_images()]
    if not pages:
        return ""
    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(pytesseract.image_to_string(document[n].render(scale=2).to_pil(), lang="chi_sim")
                         .replace(" ", "") for n in pages)
    finally:
        document.close()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hard")
    inputs = folder / "in"
    inputs.mkdir()
    planted = _generator().make(inputs)
    originals = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs.iterdir()}
    monkeypatch = pytest.MonkeyPatch()
    code = cli(monkeypatch, "redact", str(inputs), "--out", str(folder / "out"), "--quiet")
    monkeypatch.undo()
    manifest = json.loads((folder / "out" / "piiscan-manifest.json").read_text(encoding="utf-8"))
    copies = {Path(f["input"]).name: Path(f["output"]) if f["output"] else None for f in manifest["files"]}
    return code, inputs, planted, originals, copies, manifest


def test_at_least_a_hundred_cases_every_one_copied(run):
    code, _, planted, _, copies, manifest = run
    assert len(planted) >= 100
    failed = {Path(f["input"]).name: f["error"] or f["leaks"] for f in manifest["files"] if not f["verified"]}
    assert failed == {} and code == 0
    assert set(planted) <= set(copies)


def test_no_planted_value_is_left_and_decoys_stay(run):
    _, inputs, planted, _, copies, _ = run
    leaks, kept, decoys = [], 0, 0
    for name, plant in planted.items():
        text = extract(copies[name].name, copies[name].read_bytes())
        compact = text.replace(" ", "")
        leaks += [(name, i) for i, value in enumerate(plant["values"]) if value in text or value in compact]
        original = extract(name, (inputs / name).read_bytes())
        present = [d for d in plant["decoys"] if d in original]  # the decoys this kind of file holds
        decoys += len(present)
        kept += sum(decoy in text for decoy in present)
    assert leaks == []  # (file, index of the planted value): no value is printed
    assert decoys > 150 and kept / decoys >= 0.98, f"{kept} of {decoys} decoys kept"


def test_copies_open_and_originals_are_unchanged(run):
    from docx import Document
    from openpyxl import load_workbook
    from PIL import Image
    from pptx import Presentation
    from pypdf import PdfReader

    _, inputs, _, originals, copies, _ = run
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs.iterdir()} == originals
    openers = {".xlsx": load_workbook, ".docx": Document, ".pptx": lambda p: Presentation(str(p)),
               ".pdf": lambda p: PdfReader(p).pages[0].extract_text(), ".png": lambda p: Image.open(p).load(),
               ".zip": lambda p: zipfile.ZipFile(p).testzip(), ".gz": lambda p: tarfile.open(p).getmembers(),
               ".sqlite": lambda p: sqlite3.connect(p).execute("select count(*) from kh").fetchone(),
               ".eml": lambda p: email.message_from_bytes(p.read_bytes(), policy=email.policy.default).get_body()}
    for copy in copies.values():
        opener = openers.get(copy.suffix)
        if opener:
            opener(copy)
