"""The scan's event lines: the same key=value text on the given stream, and the same
records, with their fields, to a program that listens on the `piiscan.scan` logger."""
from __future__ import annotations

import io
import logging

from piiscan.inventory.log import LOGGER, Log


def test_lines_are_key_value_with_spaced_values_quoted():
    out = io.StringIO()
    Log(stream=out).line("run_started", run=3, root="/srv/共享 盘")
    assert out.getvalue() == 'piiscan event=run_started run=3 root="/srv/共享 盘"\n'


def test_quiet_keeps_only_errors():
    out = io.StringIO()
    log = Log(quiet=True, stream=out)
    log.line("progress", files_done=1)
    log.line("file_error", path="a.pdf", reason="PdfError")
    assert out.getvalue() == "piiscan event=file_error path=a.pdf reason=PdfError\n"


def test_an_embedding_program_receives_the_records():
    class Keep(logging.Handler):
        def __init__(self):
            super().__init__()
            self.records: list[logging.LogRecord] = []

        def emit(self, record):
            self.records.append(record)

    keep, level = Keep(), LOGGER.level
    LOGGER.addHandler(keep)
    LOGGER.setLevel(logging.INFO)
    try:
        Log(stream=io.StringIO()).line("run_finished", id=7, findings=12)
    finally:
        LOGGER.removeHandler(keep)
        LOGGER.setLevel(level)
    [record] = keep.records
    assert record.event == "run_finished" and record.fields == {"id": 7, "findings": 12}
    assert record.getMessage() == "piiscan event=run_finished id=7 findings=12"


def test_nothing_reaches_the_logger_unless_asked():
    class Keep(logging.Handler):
        count = 0

        def emit(self, record):
            Keep.count += 1

    keep = Keep()
    LOGGER.addHandler(keep)
    try:
        Log(stream=io.StringIO()).line("run_started", run=1)
    finally:
        LOGGER.removeHandler(keep)
    assert Keep.count == 0  # the logger's level is WARNING unless configured: no line twice on stderr
