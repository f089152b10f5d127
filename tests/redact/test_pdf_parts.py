"""The parts of a PDF outside its page text: a form field whose value is held by the
parent field and shown in two widgets (with stored appearances), a note's
/Contents, and a field that holds no value to redact. Hunted in every
decompressed stream and string of the copy (qpdf --qdf)."""

from __future__ import annotations

import pikepdf
from pypdf import PdfReader

from tests.redact.test_pdf_glyphs import DECOYS, one_line_pdf, pdftotext, qdf_streams
from tests.redact.test_writers import redact


def _appearance(pdf: pikepdf.Pdf, text: str) -> pikepdf.Object:
    stream = pdf.make_stream(f"/Tx BMC BT /Helv 10 Tf 2 5 Td ({text}) Tj ET EMC".encode())
    stream.Type, stream.Subtype, stream.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 200, 20]
    return stream


def test_parent_field_values_notes_and_kept_fields(tmp_path, planted, make_redactor):
    made = one_line_pdf(tmp_path / "made.pdf", 780, f"Application {DECOYS[0]} amount {DECOYS[1]}")
    src = tmp_path / "申请表.pdf"
    with pikepdf.open(made) as pdf:
        page = pdf.pages[0]
        parent = pdf.make_indirect(pikepdf.Dictionary(FT=pikepdf.Name.Tx, T="applicant", TU="姓名",
                                                      V=pikepdf.String(planted.name)))
        kids = [pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, Rect=[50, 700 - 40 * i, 250, 720 - 40 * i],
            Parent=parent, P=page.obj, AP=pikepdf.Dictionary(N=_appearance(pdf, planted.mobile))))
            for i in range(2)]
        parent.Kids = pikepdf.Array(kids)
        order = pdf.make_indirect(pikepdf.Dictionary(
            FT=pikepdf.Name.Tx, T="order", V=pikepdf.String(DECOYS[0]), Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget, Rect=[50, 600, 250, 620], P=page.obj))
        note = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[300, 700, 320, 720],
            Contents=pikepdf.String(f"客户手机 {planted.mobile2}")))
        page.obj.Annots = pdf.make_indirect(pikepdf.Array([*kids, order, note]))
        pdf.Root.AcroForm = pdf.make_indirect(pikepdf.Dictionary(Fields=[parent, order]))
        pdf.save(src)
    assert planted.name in str(PdfReader(src).get_fields())

    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    data = qdf_streams(copy)
    for value in (planted.name, planted.mobile, planted.mobile2):
        assert value.encode() not in data and value.encode("utf-16-be") not in data
    fields = PdfReader(copy).get_fields()
    assert fields["order"]["/V"] == DECOYS[0]  # a field without a value to redact stays
    assert "*" in str(fields["applicant"]["/V"]) and planted.name not in str(fields["applicant"]["/V"])  # masked in place
    assert DECOYS[0] in pdftotext(copy)
    assert outcome.manifest.files[0].unchecked == [
        "page 1: 1 annotation(s) holding a value dropped (form fields, notes, links)",  # the note
        "1 form field value(s) redacted in place, their appearance drawn again by the viewer"]
