"""`piiscan scan`: files, folders and databases, to a findings file or an inventory."""

from __future__ import annotations

import sys
from contextlib import nullcontext
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
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Inventory: worker processes (default: all cores)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Inventory: a Dask scheduler (tcp://host:8786)."),
    include: List[str] = typer.Option([], "--include", help="Only files matching this gitignore-style pattern (repeatable)."),
    exclude: List[str] = typer.Option([], "--exclude", help="Skip files and folders matching this gitignore-style pattern (repeatable)."),
    max_file_size: Optional[str] = typer.Option(None, "--max-file-size", help="Skip larger files (500MB), each reported as skipped."),
    time_limit: float = typer.Option(600.0, "--time-limit", help="Inventory: seconds per file before its worker is replaced."),
    memory_limit: Optional[str] = typer.Option(None, "--memory-limit", help="Inventory: address-space limit per worker (4GB)."),
    sample_rows: int = typer.Option(1000, "--sample-rows", min=1, help="Databases: rows sampled per table."),
    recognizers: Optional[Path] = recognizers_option(),
) -> None:
    """Scan files, folders and databases; print a summary and write one finding per line."""
    use_recognizers(recognizers)
    ner = resolve_ner(ner_choice, no_ner)
    from piiscan.pipeline.databases import split_targets
    from piiscan.sources.readers import ReaderError

    try:
        paths, urls = split_targets(paths)
    except ReaderError as e:
        raise UsageError(str(e)) from None
    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    wanted = parse_entities(entities, known_entities())  # the same check for both kinds of scan
    max_size, memory = _sizes(max_file_size, memory_limit)
    if inventory:
        raise typer.Exit(_inventory_scan(inventory, paths, incremental, verify_hash, jobs, scheduler, include, exclude,
                                         max_size, time_limit, memory, wanted, min_score, ner, policy, quiet,
                                         urls, sample_rows))
    rules = {"include": include, "exclude": exclude, "max_size": max_size}
    summary = _plain_scan(paths, urls, out, fmt, min_score, wanted, show_values, policy, ner, sample_rows, rules)
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


def _plain_scan(paths, urls, out, fmt, min_score, wanted, show_values, policy, ner, sample_rows, rules):
    """Findings to a file or standard output as each record completes: memory stays flat on huge files."""
    from piiscan.classify.policy import load_policy
    from piiscan.core.fingerprint import Fingerprinter, load_key
    from piiscan.detect.engine import Detector, build_analyzer
    from piiscan.pipeline.databases import scan_targets
    from piiscan.pipeline.scanner import Scanner
    from piiscan.reports.findings import FORMATS, FindingsWriter, Summary

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    active_policy = load_policy(policy)
    detector = Detector(build_analyzer(), wanted, min_score=min_score, ner=ner)
    scanner = Scanner(detector, Fingerprinter(load_key()), active_policy)
    summary = Summary()
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"  # a BOM lets Excel show Chinese in CSV
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
    with (out.open("w", encoding=encoding, newline="") if out else nullcontext(sys.stdout)) as stream:
        writer = FindingsWriter(stream, fmt, show_values)

        def emit(finding):
            writer.write(finding)
            summary.count(finding)

        for result in scan_targets(scanner, paths, urls, sample_rows, emit, **rules):
            summary.add(result)
            writer.write_file(result)
            if result.error and result.reader:
                error_line(f"{result.error.path}: {result.error.reason}")
        writer.close(summary)
    return summary


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
