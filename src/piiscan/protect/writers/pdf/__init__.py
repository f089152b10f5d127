"""PDF redaction: glyphs removed from content streams, rasterising only where that cannot be trusted."""

from piiscan.protect.writers.pdf.writer import PdfRedactionWriter

__all__ = ["PdfRedactionWriter"]
