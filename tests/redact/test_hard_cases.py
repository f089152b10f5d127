"""Redaction's hard cases (benchmarks/redaction/make_cases.py): 100+ files of every
format redact writes, planted values hidden in different places (hidden sheets,
comments, footers, properties, split runs, headers, notes, e-mail headers and
attachments, nested archives, database rows, ID-card images, an ID card beside a
PDF's text, a scanned PDF page, a blurred ID card, PDF form fields and a PDF's
page-level attachment; in Office packages: charts, defined names, data
validations, autofilters, a sheet name, document variables, custom XML, alt text,
field codes, an embedded workbook, an ID card's picture), decoys beside them.
After one redact run, every planted value is hunted in the copies with extractors
independent of piiscan (every part of every package and member, pdftotext,
pdfminer and every stream uncompressed by `qpdf --qdf`, a PDF's fields, notes and attachments with pikepdf, Tesseract on images
and on rendered PDF pages that draw pictures, the e-mail package, SQLite's dump):
no leak, at least 98 % of the decoys kept, every copy opens in its own library and
the office ones in LibreOffice, originals unchanged. .doc and .rtf are hunted in
LibreOffice's .docx of them (every part) and catdoc's text."""

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
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import unquote

import olefile
import pytest
from striprtf.striprtf import rtf_to_text

from tests.readers.conftest import require_tool
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
        # every stream uncompressed by qpdf: a value drawn in a simple font is plain bytes there
        streams = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", "-", "-"], input=data,
                                 capture_output=True).stdout
        return "\n".join([decoded(poppler), extract_text(io.BytesIO(data)), pdf_parts(data), pdf_pictures(data),
                          streams.decode("latin-1")])
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
    if name.endswith((".doc", ".rtf")):  # LibreOffice's .docx of it, every part; catdoc's text of a .doc
        catdoc = subprocess.run(["catdoc", "-w", "-d", "utf-8", "-"], input=data, capture_output=True,
                                check=False).stdout if data[:4] == b"\xd0\xcf\x11\xe0" else b""
        return decoded(catdoc) + "\n" + extract("as.docx", as_docx(name, data))
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
    return html.unescape(text) + "\n" + unquote(html.unescape(text))  # %XX-encoded values too


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


_AS_DOCX: dict[str, bytes] = {}  # sha256 of a .doc or .rtf -> LibreOffice's .docx of it
LIBREOFFICE_FORMATS = (".docx", ".xlsx", ".pptx", ".doc", ".rtf", ".csv")  # xls inputs: their copies are .xlsx


def soffice(target: str, out: Path, files: list[Path], profile: Path) -> None:
    """One LibreOffice run converting every file: one start instead of one per file."""
    subprocess.run([require_tool("soffice"), "--headless", f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to", target, "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=1200)


def convert_all(files: list[Path], work: Path) -> None:
    """LibreOffice's .docx of each .doc and .rtf in `files` (stems are unique), into _AS_DOCX."""
    soffice("docx", work, files, work / "profile")
    for path in files:
        _AS_DOCX[hashlib.sha256(path.read_bytes()).hexdigest()] = (work / f"{path.stem}.docx").read_bytes()


def as_docx(name: str, data: bytes) -> bytes:
    key = hashlib.sha256(data).hexdigest()
    if key not in _AS_DOCX:  # not converted with the others (an attachment): one run of its own
        work = Path(tempfile.mkdtemp(prefix="hunt-lo-"))
        (work / f"one{Path(name).suffix}").write_bytes(data)
        convert_all([work / f"one{Path(name).suffix}"], work)
    return _AS_DOCX[key]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    require_tool("soffice")
    require_tool("catdoc")
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
    for group, paths in (("originals", inputs.iterdir()), ("copies", filter(None, copies.values()))):
        legacy = [p for p in paths if p.suffix in (".doc", ".rtf")]
        if legacy:
            convert_all(legacy, folder / f"as-docx-{group}")
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
               ".eml": lambda p: email.message_from_bytes(p.read_bytes(), policy=email.policy.default).get_body(),
               ".doc": lambda p: olefile.OleFileIO(str(p)).openstream("WordDocument").read(),
               ".rtf": lambda p: rtf_to_text(p.read_text(encoding="ascii"))}
    assert {".doc", ".rtf"} <= {copy.suffix for copy in copies.values()}
    for copy in copies.values():
        opener = openers.get(copy.suffix)
        if opener:
            opener(copy)


def test_office_copies_open_in_libreoffice(run, tmp_path):
    """Every office copy (docx, xlsx and the xls inputs' xlsx, pptx, doc, rtf, csv)
    is opened by LibreOffice headless and printed to a PDF, all in one soffice run;
    the PDF shows one of the case's decoys (LibreOffice imports bytes it cannot
    open as plain text, so a PDF alone proves nothing; Calc cuts a long order
    number to its column's width, the amount fits)."""
    _, _, planted, _, copies, _ = run
    office = {name: copy for name, copy in copies.items() if copy.suffix in LIBREOFFICE_FORMATS}
    assert {c.suffix for c in office.values()} == set(LIBREOFFICE_FORMATS)
    assert len({c.stem for c in office.values()}) == len(office)
    soffice("pdf", tmp_path / "pdf", sorted(office.values()), tmp_path / "profile")
    failed = []
    for name, copy in office.items():
        pdf = tmp_path / "pdf" / f"{copy.stem}.pdf"
        shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True).stdout if pdf.is_file() else b""
        if not any(decoy in decoded(shown) for decoy in planted[name]["decoys"]):
            failed.append(name)
    assert failed == [], f"{len(failed)} of {len(office)} copies did not open in LibreOffice: {failed}"
