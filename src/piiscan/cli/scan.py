"""`piiscan scan`: files, folders and databases, to a findings file or an inventory."""

from __future__ import annotations

import os
import signal
import sys
from contextlib import closing, nullcontext
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from piiscan.cli.plugins import recognizers_option, use_recognizers
from piiscan.cli.app import (EXIT_CLEAN, EXIT_FINDINGS, NER_HELP, UsageError, app, err, error_line, parse_entities,
                             resolve_ner)


@app.command()
def scan(
    paths: List[str] = typer.Argument(..., help="Files, folders and database URLs (postgresql://…, "
                                      "mysql+pymysql://…, sqlite:///…) to scan."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write findings here (default: standard output)."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl (one finding per line), json or csv."),
    min_score: float = typer.Option(0.5, "--min-score", min=0.0, max=1.0, help="Report findings scoring at least this."),
    entities: Optional[str] = typer.Option(None, "--entities", help="Comma-separated entity types (default: all)."),
    show_values: bool = typer.Option(False, "--show-values", help="Include raw values in the findings (off by default)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary table."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="A policy YAML overlaying the default "
                                          "(also $PIISCAN_POLICY)."),
    ner_choice: str = typer.Option("fast", "--ner", help=NER_HELP),
    no_ner: bool = typer.Option(False, "--no-ner", help="The same as --ner off: the rules only."),
    inventory: Optional[str] = typer.Option(None, "--inventory", help="Record the scan in an inventory database "
                                            "(sqlite:///piiscan.db, postgresql://…); see docs/inventory.md."),
    incremental: bool = typer.Option(False, "--incremental", help="Inventory: skip files whose size, mtime and "
                                     "inode are unchanged."),
    verify_hash: bool = typer.Option(False, "--verify-hash", help="Inventory: re-check content hashes of unchanged files."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes reading the files (default: all "
                             "cores; 1: in this process, without the time and memory limits)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Inventory: a Dask scheduler (tcp://host:8786)."),
    include: List[str] = typer.Option([], "--include", help="Only files matching this gitignore-style pattern (repeatable)."),
    exclude: List[str] = typer.Option([], "--exclude", help="Skip files and folders matching this gitignore-style pattern (repeatable)."),
    max_file_size: Optional[str] = typer.Option(None, "--max-file-size", help="Skip larger files (500MB), each reported as skipped."),
    time_limit: float = typer.Option(600.0, "--time-limit", help="Seconds per file before its worker "
                                "process is replaced and the file reported as an error (with --jobs above 1)."),
    memory_limit: Optional[str] = typer.Option(None, "--memory-limit", help="Address-space limit per worker "
                                              "process (4GB; with --jobs above 1)."),
    sample_rows: int = typer.Option(1000, "--sample-rows", min=1, help="Databases: rows sampled per table."),
    recognizers: Optional[Path] = recognizers_option(),
) -> None:
    """Scan files, folders and databases; print a summary and write one finding per line."""
    use_recognizers(recognizers)
    ner = resolve_ner(ner_choice, no_ner)
    from piiscan.sources.readers import ReaderError, is_url

    try:
        if any(is_url(p) for p in paths):  # the database readers (and the detector) load for a URL only:
            from piiscan.pipeline.databases import split_targets  # with --jobs, the workers load them
            paths, urls = split_targets(paths)
        else:
            paths, urls = [Path(p) for p in paths], []
    except ReaderError as e:
        raise UsageError(str(e)) from None
    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    wanted = parse_entities(entities, known_entities()) if entities else None  # both kinds of scan check them
    max_size, memory = _sizes(max_file_size, memory_limit)
    if inventory:
        raise typer.Exit(_inventory_scan(inventory, paths, incremental, verify_hash, jobs, scheduler, include, exclude,
                                         max_size, time_limit, memory, wanted, min_score, ner, policy, quiet,
                                         urls, sample_rows))
    rules = {"include": include, "exclude": exclude, "max_size": max_size}
    summary = _plain_scan(paths, urls, out, fmt, min_score, wanted, show_values, policy, ner, sample_rows, rules,
                          (jobs, time_limit, memory))
    if not quiet:
        _print_summary(summary, out)
    raise typer.Exit(EXIT_FINDINGS if summary.personal_findings else EXIT_CLEAN)


def known_entities() -> list[str]:
    """Every entity type a recognizer definition or the NER model can report."""
    from piiscan.detect.engine import NER_ENTITIES
    from piiscan.detect.recognizer import load_specs

    return sorted({spec.entity for spec in load_specs()} | set(NER_ENTITIES))


def _sizes(max_file_size: Optional[str], memory_limit: Optional[str]) -> tuple[Optional[int], Optional[int]]:
    from piiscan.sources.walk import parse_size

    try:
        return (parse_size(max_file_size) if max_file_size else None,
                parse_size(memory_limit) if memory_limit else None)
    except ValueError:
        raise UsageError("--max-file-size and --memory-limit take sizes like 500MB or 4GB") from None


def _plain_scan(paths, urls, out, fmt, min_score, wanted, show_values, policy, ner, sample_rows, rules, workers):
    """Findings to a file or standard output as each record completes: memory stays flat on huge files.
    workers: (jobs, time limit, memory limit); more than one job reads the files in worker processes
    (piiscan.reports.spool), with the same output."""
    from piiscan.classify.policy import load_policy
    from piiscan.core.fingerprint import load_key
    from piiscan.reports.findings import FORMATS, FindingsWriter, Summary

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    active_policy = load_policy(policy)  # a broken policy is a usage error before any worker starts
    settings = {"entities": wanted, "min_score": min_score, "ner": ner, "policy": str(policy) if policy else None,
                "sample_rows": sample_rows, "key": load_key(), "format": fmt, "show_values": show_values}
    jobs = workers[0] or os.cpu_count() or 1
    scanner = _scanner(settings, active_policy) if jobs == 1 or urls else None
    summary = Summary()
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"  # a BOM lets Excel show Chinese in CSV
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
    with (out.open("w", encoding=encoding, newline="") if out else nullcontext(sys.stdout)) as stream:
        writer = FindingsWriter(stream, fmt, show_values)

        def emit(finding):
            writer.write(finding)
            summary.count(finding)

        if jobs == 1:
            from piiscan.pipeline.databases import scan_targets
            results = scan_targets(scanner, paths, urls, sample_rows, emit, **rules)
        else:
            results = _in_workers(paths, urls, rules, settings, (jobs, *workers[1:]), scanner, writer, stream,
                                  summary, emit)
        with closing(results):  # closed at once on an error: the workers stop, their spool goes
            for result in results:
                summary.add(result)
                writer.write_file(result)
                if result.error and result.reader:
                    error_line(f"{result.error.path}: {result.error.reason}")
        writer.close(summary)
    return summary


def _scanner(settings, policy):
    from piiscan.core.fingerprint import Fingerprinter
    from piiscan.detect.engine import Detector, build_analyzer
    from piiscan.pipeline.scanner import Scanner

    detector = Detector(build_analyzer(), settings["entities"], min_score=settings["min_score"], ner=settings["ner"])
    return Scanner(detector, Fingerprinter(settings["key"]), policy)


def _in_workers(paths, urls, rules, settings, workers, scanner, writer, stream, summary, emit):
    """The files read by worker processes, their results in walk order, then the database
    URLs, sampled in this process: the URLs, passwords and all, stay here (a table's
    sample is a query and 1,000 rows, not worth a worker)."""
    from piiscan.reports.spool import Output, scan_in_workers

    jobs, time_limit, memory_limit = workers
    previous = signal.signal(signal.SIGTERM, _terminated)  # a killed cron job's spool goes too
    try:
        yield from scan_in_workers(paths, rules, settings, jobs, {"time_limit": time_limit,
                                   "memory_limit": memory_limit}, Output(writer, stream, summary))
    finally:
        signal.signal(signal.SIGTERM, previous)
    if urls:
        from piiscan.pipeline.databases import scan_targets  # not before: this process needs no detector for files
        yield from scan_targets(scanner, [], urls, settings["sample_rows"], emit)


def _terminated(signum, frame):
    sys.exit(128 + signum)  # SystemExit: the spool folder and the workers go in the finally blocks


def _inventory_scan(url, paths, incremental, verify_hash, jobs, scheduler, include, exclude, max_size,
                    time_limit, memory_limit, entities, min_score, ner, policy, quiet, urls, sample_rows) -> int:
    """`scan --inventory`: see piiscan.inventory.run (exit 0 clean, 1 new PI since the last run, 2 error)."""
    from piiscan.core.fingerprint import load_key
    from piiscan.inventory.run import Log, Options, scan_inventory

    options = Options([str(p) for p in paths], incremental=incremental, verify_hash=verify_hash, jobs=jobs,
                      scheduler=scheduler, include=list(include), exclude=list(exclude), max_size=max_size,
                      time_limit=time_limit, memory_limit=memory_limit, entities=entities, min_score=min_score, ner=ner,
                      policy=str(policy) if policy else None, urls=urls, sample_rows=sample_rows)
    code, _ = scan_inventory(url, options, load_key(), Log(quiet=quiet))
    return code


def _print_summary(summary, out: Optional[Path]) -> None:
    table = Table(title="piiscan summary", show_footer=False)
    table.add_column("entity")
    table.add_column("findings", justify="right")
    table.add_column("files", justify="right")
    for entity, count in sorted(summary.findings.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(entity, str(count), str(summary.files_per_entity[entity]))
    err.print(table)
    if summary.files_per_tier:
        tiers = "   ".join(f"{tier}: {count}" for tier, count in sorted(summary.files_per_tier.items(), reverse=True))
        err.print(f"files per tier (JR/T 0171): {tiers}   PIPL-sensitive: {summary.pipl_sensitive_files}",
                  highlight=False)
    if summary.tables_scanned:
        _print_database_columns(summary)
    skipped = sum(summary.skipped.values())
    err.print(f"files scanned: {summary.files_scanned}   with findings: {summary.files_with_findings}   "
              f"findings: {sum(summary.findings.values())}   errors: {len(summary.errors)}   "
              f"skipped (unsupported type): {skipped}   time: {summary.elapsed:.1f}s", highlight=False)
    if out:
        err.print(f"findings written to {out}", markup=False, highlight=False)


def _print_database_columns(summary) -> None:
    """One line per classified column of the database tables scanned (no values)."""
    table = Table(title="database columns")
    for column in ("table", "column", "entity", "share", "sampled", "confidence", "JR/T 0171", "database"):
        table.add_column(column, justify="right" if column in ("share", "sampled", "confidence") else "left",
                         overflow="fold", no_wrap=column == "entity")
    for source, c in summary.database_columns:
        table.add_row(c.column.get("table", ""), c.column.get("column", ""), c.entity_type, f"{c.share:.0%}",
                      str(c.sample_size), f"{c.confidence:.2f}", c.tier.get("jrt0171", ""), source.split("#", 1)[0])
    if summary.database_columns:
        err.print(table)
    err.print(f"database tables and SQLite files scanned: {summary.tables_scanned}   classified columns: "
              f"{len(summary.database_columns)}", highlight=False)
