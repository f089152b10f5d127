"""Scanning databases with a Scanner: each table of a database URL is one source
(`<URL without password>#schema.table`, reader "sql"), a SQLite file met on a drive
is one file whose findings name their table. Findings of a table row carry its
primary key, masked when the key is itself personal information.

Also what an inventory scan needs: the tables of a URL as worker tasks, and the
scan of one such task in a worker."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from piiscan.classify.masking import mask
from piiscan.core.model import FileError, FileResult, Finding
from piiscan.sources.readers import is_url, reader_for, reader_for_url
from piiscan.sources.readers.sql import (DEFAULT_SAMPLE_ROWS, Database, DatabaseError, SqlReader, TableRef, check_url, parse_url,
                                 shown_url)
from piiscan.pipeline.scanner import Scanner, walk_problem
from piiscan.sources.walk import Problem, shown, walk

Emit = Optional[Callable[[Finding], None]]
Keys = dict[str, list]  # table → primary key of each sampled row (None without a key)


def split_targets(targets: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Paths and database URLs; DatabaseError for a URL no reader opens or that does not
    parse (the message has no password)."""
    paths, urls = [], []
    for target in targets:
        if not is_url(target):
            paths.append(Path(target))
            continue
        if reader_for_url(target) is None:
            raise DatabaseError(f"no reader for {target.split('://', 1)[0]}:// URLs (see piiscan readers)")
        check_url(target)
        urls.append(target)
    return paths, urls


def shown_target(target: str) -> str:
    """A URL target as it is shown: without password, with its #scope."""
    try:
        url, scope = parse_url(target)
    except DatabaseError:
        return target.split("://", 1)[0] + "://…"
    return shown_url(url) + (f"#{scope}" if scope else "")


def table_source(base: str, qualified: str) -> str:
    return f"{base}#{qualified}"


def within(path: str, scope: str) -> bool:
    """Is the source `path` (URL#schema.table) inside the scanned target `scope` (URL, URL#schema, URL#schema.table)?"""
    base, _, part = scope.partition("#")
    if path == scope:
        return True
    if not path.startswith(base + "#"):
        return False
    qualified = path[len(base) + 1:]
    return not part or qualified == part or qualified.startswith(part + ".")


def _masked_key(scanner: Scanner, key: dict[str, str]) -> dict[str, str]:
    """A primary key as findings show it: the PI inside a value (an ID number as key) masked."""
    shown = {}
    for column, text in key.items():
        for d in sorted(scanner.detector.detect(text, header=column), key=lambda d: d.start, reverse=True):
            text = text[:d.start] + mask(d.entity_type, d.value, scanner.policy) + text[d.end:]
        shown[column] = text
    return shown


def _with_keys(scanner: Scanner, result: FileResult, keys: Keys, emit: Emit) -> FileResult:
    """Add each finding's row key to its location, then hand the findings on."""
    masked: dict[tuple, dict] = {}
    found = []
    for f in result.findings:
        table, row = f.location.get("table"), f.location.get("row")
        rows = keys.get(table)
        if rows and row and rows[row - 1] is not None:
            if (table, row) not in masked:
                masked[(table, row)] = _masked_key(scanner, rows[row - 1])
            f = replace(f, location=f.location | {"key": masked[(table, row)]})
        found.append(f)
    if emit is None:
        result.findings = found
    else:
        result.findings = []
        for f in found:
            emit(f)
    return result


def _keys_of(sample) -> list:
    return [sample.key(i) for i in range(1, len(sample.rows) + 1)]


def scan_table(scanner: Scanner, database: Database, table, shown: str, rows: int, emit: Emit = None) -> FileResult:
    keys: Keys = {}

    def units():
        sample = database.sample(table, rows)
        keys[sample.table] = _keys_of(sample)
        return sample.units()

    return _with_keys(scanner, scanner.scan_units(shown, SqlReader.name, units), keys, emit)


def scan_database(scanner: Scanner, target: str, rows: int = DEFAULT_SAMPLE_ROWS, emit: Emit = None
                  ) -> Iterator[FileResult]:
    """One result per table of the URL `target`; a database that cannot be opened or
    listed is one result with an error."""
    reader = reader_for_url(target)
    try:
        database, scope = reader.open(target)
    except DatabaseError as e:
        yield FileResult(shown_target(target), SqlReader.name, error=FileError(shown_target(target), str(e)))
        return
    try:
        base = shown_url(database.url)
        try:
            tables = database.tables(scope)
        except DatabaseError as e:
            yield FileResult(shown_target(target), SqlReader.name, error=FileError(shown_target(target), str(e)))
            return
        for table in tables:
            yield scan_table(scanner, database, table, table_source(base, table.qualified), rows, emit)
    finally:
        database.close()


def scan_path(scanner: Scanner, path: Path, rows: int = DEFAULT_SAMPLE_ROWS, emit: Emit = None) -> FileResult:
    """A file: SQLite databases (found by their header) sampled like URLs, in one
    result for the file; every other file through Scanner.scan_file."""
    reader = reader_for(path)
    if not isinstance(reader, SqlReader):
        return scanner.scan_file(path, emit)
    reader.sample_rows = rows
    keys: Keys = {}
    result = scanner.scan_units(shown(path), reader.name, lambda: reader.read(path, lambda s: keys.update(
        {s.table: _keys_of(s)})))
    return _with_keys(scanner, result, keys, emit)


def scan_targets(scanner: Scanner, paths: list[Path], urls: list[str], rows: int = DEFAULT_SAMPLE_ROWS,
                 emit: Emit = None, **rules) -> Iterator[FileResult]:
    """Files under `paths` (the one walker with its `rules`), then database URLs."""
    for item in walk(paths, **rules):
        if isinstance(item, Problem):
            if item.reason != "vanished":
                yield walk_problem(item)
            continue
        yield scan_path(scanner, Path(item.path), rows, emit)
    for url in urls:
        yield from scan_database(scanner, url, rows, emit)


# --- inventory --------------------------------------------------------------------
def table_tasks(urls: list[str]) -> Iterator[tuple[str, Optional[dict], Optional[str]]]:
    """(shown source, worker task, None) per table, or (shown URL, None, error) for a
    URL that cannot be listed. Tasks hold the URL with its password: they go to
    workers, never to the inventory or the log."""
    for target in urls:
        try:
            database, scope = reader_for_url(target).open(target)
        except DatabaseError as e:
            yield shown_target(target), None, str(e)
            continue
        try:
            base = shown_url(database.url)
            for table in database.tables(scope):
                shown = table_source(base, table.qualified)
                yield shown, {"path": shown, "url": target, "schema": table.schema, "table": table.name,
                              "size": 0}, None
        except DatabaseError as e:
            yield shown_target(target), None, str(e)
        finally:
            database.close()


_OPEN: dict[str, Database] = {}  # per worker process: one engine per database


def scan_task(scanner: Scanner, task: dict, rows: int = DEFAULT_SAMPLE_ROWS) -> FileResult:
    target = task["url"]
    if target not in _OPEN:
        try:
            _OPEN[target] = reader_for_url(target).open(target)[0]
        except DatabaseError as e:
            return FileResult(task["path"], SqlReader.name, error=FileError(task["path"], str(e)))
    return scan_table(scanner, _OPEN[target], TableRef(task["schema"], task["table"]), task["path"], rows)
