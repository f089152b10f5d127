"""The inventory scan's progress: key=value event lines, or a progress bar on a terminal.

Each line is a stdlib logging record of the `piiscan.scan` logger (with `event` and
`fields` attributes): the CLI writes it to standard error through its own handler,
and a program embedding piiscan that configures logging at INFO receives them too."""

from __future__ import annotations

import json
import logging
import sys
import time

LOGGER = logging.getLogger("piiscan.scan")


def format_line(event: str, fields: dict) -> str:
    """piiscan event=… key=value …, values with spaces as JSON strings."""
    parts = " ".join(f"{k}={json.dumps(v, ensure_ascii=False) if isinstance(v, str) and ' ' in v else v}"
                     for k, v in fields.items())
    return f"piiscan event={event} {parts}"


class Log:
    """key=value lines on standard error (no TTY) or a rich progress bar (TTY)."""

    def __init__(self, quiet: bool = False, stream=None):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self._handler = logging.StreamHandler(self.stream)  # ours, not the logger's: flushes every line
        self.bar = None
        self.total = 0
        self.last = 0.0

    def line(self, event: str, **fields) -> None:
        if self.bar is None and not (self.quiet and event not in ("error", "file_error")):
            record = LOGGER.makeRecord(LOGGER.name, logging.INFO, __file__, 0, format_line(event, fields), None, None,
                                       extra={"event": event, "fields": fields})
            self._handler.handle(record)
            if LOGGER.isEnabledFor(logging.INFO):  # an embedding program asked for them
                LOGGER.handle(record)

    def start(self, total: int, total_bytes: int) -> None:
        self.total, self.started = total, time.monotonic()
        if self.stream.isatty() and not self.quiet:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn,
                                       TransferSpeedColumn)
            self.bar = Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[rate]} files/s"), TransferSpeedColumn(),
                                TextColumn("errors {task.fields[errors]}"), TimeRemainingColumn(), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("scan", total=total, rate="0", errors=0)

    def advance(self, done: int, nbytes: int, errors: int) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        if self.bar is not None:
            self.bar.update(self.task, completed=done, rate=f"{done / elapsed:.0f}", errors=errors)
        elif not self.quiet and time.monotonic() - self.last > 10:
            self.last = time.monotonic()
            self.line("progress", files_done=done, files_total=self.total, files_per_s=round(done / elapsed, 1),
                      mb_per_s=round(nbytes / elapsed / 1e6, 2), errors=errors)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
