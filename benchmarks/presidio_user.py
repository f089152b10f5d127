"""Presidio as a user would run it on a folder: the baseline of bench_vs_presidio.py,
run there as its own process.

    python benchmarks/presidio_user.py DIR OUT.json

Configuration a user in China would write from Presidio's documentation: a blank
spaCy zh pipeline (no model download), Presidio's own predefined generic recognizers
declared for "zh", and three pasted regexes (18-digit resident ID, mainland mobile,
16-19-digit bank card). EmailRecognizer's tldextract would download the public
suffix list, so it gets the bundled snapshot: TLDExtract(suffix_list_urls=()).

Readers a user would reach for: a plain read for txt/md/csv/json/html (one analyze
per line), openpyxl per cell, python-docx per paragraph and table cell, pdfplumber
per page, python-pptx per shape, the email package per text part. The found values
are written as {entity: [value, ...]} (fake data only).
"""

from __future__ import annotations

import email
import json
import os
import sys
import tempfile
from email import policy as email_policy
from pathlib import Path

import spacy
import tldextract
from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_analyzer.predefined_recognizers import (CreditCardRecognizer, CryptoRecognizer, DateRecognizer,
                                                      EmailRecognizer, IbanRecognizer, IpRecognizer,
                                                      MacAddressRecognizer, PhoneRecognizer, UrlRecognizer)

PASTED = {"CN_RESIDENT_ID": r"(?<!\d)\d{17}[\dXx](?![\dXx])",
          "CN_MOBILE": r"(?<!\d)1[3-9]\d{9}(?!\d)",
          "CN_BANK_CARD": r"(?<!\d)\d{16,19}(?!\d)"}
SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    def validate_result(self, pattern_text: str):
        return SUFFIXES(pattern_text).fqdn != ""


def analyzer(blank_zh: Path) -> AnalyzerEngine:
    spacy.blank("zh").to_disk(blank_zh)
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "zh", "model_name": str(blank_zh)}]})
    registry = RecognizerRegistry(supported_languages=["zh"])
    for predefined in (CreditCardRecognizer, CryptoRecognizer, DateRecognizer, OfflineEmailRecognizer,
                       IbanRecognizer, IpRecognizer, MacAddressRecognizer, UrlRecognizer):
        registry.add_recognizer(predefined(supported_language="zh"))
    registry.add_recognizer(PhoneRecognizer(supported_language="zh", supported_regions=("CN",)))
    for entity, regex in PASTED.items():
        registry.add_recognizer(PatternRecognizer(supported_entity=entity, supported_language="zh",
                                                  patterns=[Pattern(entity.lower(), regex, 0.5)]))
    return AnalyzerEngine(nlp_engine=provider.create_engine(), registry=registry, supported_languages=["zh"])


def plain_lines(path: Path):
    with open(path, encoding="utf-8", errors="replace") as fh:
        yield from fh


def xlsx_cells(path: Path):
    from openpyxl import load_workbook
    for sheet in load_workbook(path, read_only=True).worksheets:
        for row in sheet.iter_rows(values_only=True):
            yield from (str(v) for v in row if v is not None)


def docx_texts(path: Path):
    import docx
    document = docx.Document(path)
    yield from (p.text for p in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            yield from (cell.text for cell in row.cells)


def pdf_pages(path: Path):
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        yield from (page.extract_text() or "" for page in pdf.pages)


def pptx_texts(path: Path):
    from pptx import Presentation
    for slide in Presentation(path).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                yield shape.text_frame.text
            if shape.has_table:
                yield from (cell.text for row in shape.table.rows for cell in row.cells)


def eml_parts(path: Path):
    message = email.message_from_bytes(path.read_bytes(), policy=email_policy.default)
    yield str(message["subject"] or "")
    for part in message.walk():
        if part.get_content_maintype() == "text":
            yield part.get_content()


READERS = {".txt": plain_lines, ".md": plain_lines, ".csv": plain_lines, ".json": plain_lines,
           ".html": plain_lines, ".xlsx": xlsx_cells, ".docx": docx_texts, ".pdf": pdf_pages,
           ".pptx": pptx_texts, ".eml": eml_parts}


def main() -> None:
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        engine = analyzer(Path(tmp) / "blank_zh")
        found: dict[str, list[str]] = {}
        for root, _, names in os.walk(folder):
            for name in sorted(names):
                path = Path(root) / name
                read = READERS.get(path.suffix.lower())
                for text in read(path) if read else ():
                    for r in engine.analyze(text=text, language="zh"):
                        found.setdefault(r.entity_type, []).append(text[r.start:r.end])
    out.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
