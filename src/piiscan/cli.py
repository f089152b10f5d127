"""Command line: thin wrappers over Scanner and the recognizer definitions.

Exit codes (cron and CI depend on them): 0 no personal information found,
1 personal information found, 2 usage or configuration error, 70 internal error.
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from piiscan import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_INTERNAL = 70  # a bug (sysexits EX_SOFTWARE): never mistaken for "findings"
JRT_RANK = {"none": 0, "C1": 1, "C2": 2, "C3": 3}

# Tracebacks never show local variables: they would hold the text being scanned.
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_show_locals=False,
                  help="Find Chinese personal information in files.")
err = Console(stderr=True)


def error_line(message: str) -> None:
    """One unwrapped line on standard error: log collectors and grep read these."""
    print(f"piiscan: error: {message}", file=sys.stderr, flush=True)


class UsageError(Exception):
    """A wrong option, path or configuration: one line, exit code 2."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"piiscan {__version__}")
        raise typer.Exit(EXIT_CLEAN)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    pass


def _entities(option: Optional[str], known: list[str]) -> Optional[list[str]]:
    if not option:
        return None
    wanted = [e.strip().upper() for e in option.split(",") if e.strip()]
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        raise UsageError(f"unknown entity {', '.join(unknown)}; known: {', '.join(known)}")
    return wanted


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
    ner: bool = typer.Option(True, "--ner/--no-ner", help="Run the NER model on prose (names, addresses, "
                             "organisations); --no-ner keeps the faster rules only."),
    inventory: Optional[str] = typer.Option(None, "--inventory", help="Record the scan in an inventory database "
                                            "(sqlite:///piiscan.db, postgresql://…); see docs/inventory.md."),
    incremental: bool = typer.Option(False, "--incremental", help="Inventory: skip files whose size, mtime and "
                                     "inode are unchanged."),
    verify_hash: bool = typer.Option(False, "--verify-hash", help="Inventory: re-check content hashes of unchanged files."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Inventory: worker processes (default: all cores)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Inventory: a Dask scheduler (tcp://host:8786)."),
    include: List[str] = typer.Option([], "--include", help="Inventory: only files matching this glob (repeatable)."),
    exclude: List[str] = typer.Option([], "--exclude", help="Inventory: skip files and folders matching this glob."),
    max_file_size: Optional[str] = typer.Option(None, "--max-file-size", help="Inventory: skip larger files (500MB)."),
    time_limit: float = typer.Option(600.0, "--time-limit", help="Inventory: seconds per file before its worker is replaced."),
    memory_limit: Optional[str] = typer.Option(None, "--memory-limit", help="Inventory: address-space limit per worker (4GB)."),
    sample_rows: int = typer.Option(1000, "--sample-rows", min=1, help="Databases: rows sampled per table."),
) -> None:
    """Scan files, folders and databases; print a summary and write one finding per line."""
    from piiscan.databases import scan_targets, split_targets
    from piiscan.readers import ReaderError

    try:
        paths, urls = split_targets(paths)
    except ReaderError as e:
        raise UsageError(str(e)) from None
    if inventory:
        raise typer.Exit(_inventory_scan(inventory, paths, incremental, verify_hash, jobs, scheduler, include, exclude,
                                         max_file_size, time_limit, memory_limit, entities, min_score, ner, policy, quiet,
                                         urls, sample_rows))
    from piiscan.engine import Detector, build_analyzer
    from piiscan.fingerprint import Fingerprinter, load_key
    from piiscan.policy import load_policy
    from piiscan.report import FORMATS, FindingsWriter, Summary
    from piiscan.scan import Scanner

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    active_policy = load_policy(policy)
    analyzer = build_analyzer()
    detector = Detector(analyzer, _entities(entities, sorted(analyzer.get_supported_entities("zh"))),
                        min_score=min_score, ner=ner)
    scanner = Scanner(detector, Fingerprinter(load_key()), active_policy)
    summary = Summary()
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"  # a BOM lets Excel show Chinese in CSV
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
    with (out.open("w", encoding=encoding, newline="") if out else nullcontext(sys.stdout)) as stream:
        writer = FindingsWriter(stream, fmt, show_values)

        def emit(finding):  # streamed as each record completes: memory stays flat on huge files
            writer.write(finding)
            summary.count(finding)

        for result in scan_targets(scanner, paths, urls, sample_rows, emit):
            summary.add(result)
            writer.write_file(result)
            if result.error and result.reader:
                error_line(f"{result.error.path}: {result.error.reason}")
        writer.close(summary)
    if not quiet:
        _print_summary(summary, out)
    raise typer.Exit(EXIT_FINDINGS if summary.personal_findings else EXIT_CLEAN)


def _inventory_scan(url, paths, incremental, verify_hash, jobs, scheduler, include, exclude, max_file_size,
                    time_limit, memory_limit, entities, min_score, ner, policy, quiet, urls, sample_rows) -> int:
    """`scan --inventory`: see piiscan.inventory.run (exit 0 clean, 1 new PI since the last run, 2 error)."""
    from piiscan.fingerprint import load_key
    from piiscan.inventory.run import Log, Options, scan_inventory
    from piiscan.walk import parse_size

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    try:
        max_size = parse_size(max_file_size) if max_file_size else None
        memory = parse_size(memory_limit) if memory_limit else None
    except ValueError:
        raise UsageError("--max-file-size and --memory-limit take sizes like 500MB or 4GB") from None
    wanted = [e.strip().upper() for e in entities.split(",") if e.strip()] if entities else None
    options = Options([str(p) for p in paths], incremental=incremental, verify_hash=verify_hash, jobs=jobs,
                      scheduler=scheduler, include=list(include), exclude=list(exclude), max_size=max_size,
                      time_limit=time_limit, memory_limit=memory, entities=wanted, min_score=min_score, ner=ner,
                      policy=str(policy) if policy else None, urls=urls, sample_rows=sample_rows)
    code, _ = scan_inventory(url, options, load_key(), Log(quiet=quiet))
    return code


@app.command("runs")
def runs_command(
    inventory: str = typer.Option(..., "--inventory", help="The inventory database URL."),
    limit: int = typer.Option(20, "--limit", help="Most recent runs to show."),
    as_json: bool = typer.Option(False, "--json", help="Print the runs as JSON."),
) -> None:
    """Past inventory scans: when, how long, files, findings, errors."""
    import json
    from datetime import datetime

    from piiscan.inventory import Inventory

    store = Inventory(inventory)
    rows = store.runs(limit)
    store.close()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        return
    table = Table(title="piiscan runs")
    for column in ("run", "started", "duration", "status", "seen", "read", "unchanged", "removed", "errors",
                   "findings", "new PI"):
        table.add_column(column, justify="left" if column in ("started", "status") else "right")
    for r in rows:
        took = ""
        if r["finished_at"]:
            took = f"{(datetime.fromisoformat(r['finished_at']) - datetime.fromisoformat(r['started_at'])).total_seconds():.1f}s"
        table.add_row(str(r["id"]), r["started_at"][:19], took, r["status"], str(r["files_seen"]), str(r["files_read"]),
                      str(r["files_unchanged"]), str(r["files_removed"]), str(r["files_error"]), str(r["findings"]),
                      str(r["new_pi"]))
    Console().print(table)


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


@app.command()
def recognizers() -> None:
    """List every recognizer: entity, languages, validator, context words, version."""
    from piiscan.engine import NER_ENTITIES, build_nlp_engine
    from piiscan.recognizer import load_specs

    table = Table(title="piiscan recognizers")
    for column in ("id", "entity", "languages", "validator", "context words", "version"):
        table.add_column(column, overflow="fold")
    for spec in load_specs():
        names = f" | column names: {', '.join(spec.column_names)}" if spec.column_names else ""
        table.add_row(spec.id, spec.entity, ",".join(spec.languages), spec.validator,
                      "、".join(spec.context) + names, spec.version)
    nlp = build_nlp_engine(("zh",)).nlp["zh"]
    if "ner" in nlp.pipe_names:
        table.add_row("spacy_ner", ",".join(NER_ENTITIES), "zh", "model: " + nlp.meta.get("name", "zh_piiscan"),
                      "", nlp.meta.get("version", ""))
    Console().print(table)


@app.command("eval")
def eval_command(
    dataset: Path = typer.Argument(..., help='JSONL: {"text", "entities": [{"type","start","end"}]}.'),
    entities: Optional[str] = typer.Option(None, "--entities", help="Types to score (default: those in the dataset)."),
    min_score: float = typer.Option(0.5, "--min-score", min=0.0, max=1.0),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Precision, recall and F1 per entity type, exact-span and overlap."""
    import json

    from piiscan.engine import Detector, build_analyzer
    from piiscan.evaluate import evaluate, load_dataset

    if not dataset.exists():
        raise UsageError(f"no such file: {dataset}")
    try:
        examples = load_dataset(dataset)
    except ValueError as e:
        raise UsageError(str(e)) from None
    wanted = [e.strip().upper() for e in entities.split(",")] if entities else None
    figures = evaluate(Detector(build_analyzer(), min_score=min_score), examples, wanted)
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"{dataset.name}: {len(examples)} texts")
    for column in ("entity", "gold", "predicted", "exact P", "exact R", "exact F1", "overlap P", "overlap R",
                   "overlap F1"):
        table.add_column(column, justify="right" if column != "entity" else "left")
    for entity, f in figures.items():
        e, o = f["exact"], f["overlap"]
        table.add_row(entity, str(e["gold"]), str(e["predicted"]), *(f"{e[k]:.3f}" for k in ("precision", "recall", "f1")),
                      *(f"{o[k]:.3f}" for k in ("precision", "recall", "f1")))
    Console().print(table)


@app.command("readers")
def readers_command() -> None:
    """List every reader (built-in or from another package), its file extensions and URL schemes."""
    from piiscan.readers import available

    table = Table(title="piiscan readers")
    for column in ("reader", "extensions", "URL schemes", "class"):
        table.add_column(column)
    for name, cls in sorted(available().items()):
        schemes = " ".join(f"{s}://" if s != "*" else "any SQLAlchemy URL" for s in getattr(cls, "schemes", ()))
        table.add_row(name, " ".join(cls.suffixes), schemes, f"{cls.__module__}.{cls.__qualname__}")
    Console().print(table)


policy_app = typer.Typer(no_args_is_help=True, help="Show or check classification policies.")
app.add_typer(policy_app, name="policy")


@policy_app.command("show")
def policy_show(policy: Optional[Path] = typer.Option(None, "--policy", help="A policy overlaying the default.")) -> None:
    """Print the active policy as a table."""
    from piiscan.policy import load_policy

    active = load_policy(policy)
    table = Table(title=f"policy {active.policy} {active.version}")
    for column in ("entity", "标签 / label", "JR/T 0171", "JR/T 0197", "PIPL sensitive", "mask"):
        table.add_column(column, overflow="fold")
    for name, entity in sorted(active.entities.items(), key=lambda kv: (-JRT_RANK[kv[1].jrt0171], kv[0])):
        params = ",".join(f"{k}={v}" for k, v in entity.mask.params.items())
        table.add_row(name, f"{entity.label_zh} / {entity.label_en}", entity.jrt0171, str(entity.jrt0197),
                      "yes" if entity.pipl_sensitive else "no", entity.mask.rule + (f"({params})" if params else ""))
    Console().print(table)
    rules = active.rules
    Console().print(f"minors: under {rules.minor_age}; column share {rules.column_share:.0%} "
                    f"({rules.column_share_with_header:.0%} when the header names the entity)", highlight=False)


@policy_app.command("check")
def policy_check(path: Path = typer.Argument(..., help="The policy file to validate.")) -> None:
    """Validate a user policy (overlaid on the default); exit 2 with the bad key if invalid."""
    from piiscan.policy import load_policy

    active = load_policy(path)
    typer.echo(f"{path}: valid ({len(active.entities)} entities)")


@app.command()
def redact(
    inputs: List[Path] = typer.Argument(..., help="Files and folders to redact (never modified)."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the copies; mirrors the input paths."),
    profile: Optional[str] = typer.Option(None, "--profile", help="bank, auditor, public, or a profile YAML file."),
    operator: Optional[str] = typer.Option(None, "--operator", help="mask, redact, replace, pseudonymize, "
                                           "surrogate or encrypt (overrides the profile's operators)."),
    key_file: Optional[Path] = typer.Option(None, "--key-file", help="Key for pseudonyms, surrogates and "
                                            "encryption (created if missing; default: the fingerprint key)."),
    min_score: float = typer.Option(0.5, "--min-score", min=0.0, max=1.0, help="Redact findings scoring at least this."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="A policy YAML overlaying the default."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No line per file written."),
) -> None:
    """Write masked or pseudonymised copies in the same format, verified to leak nothing.

    Exit codes: 0 written and verified, 2 usage or configuration error,
    3 verification failed (that output removed), 4 an input could not be redacted.
    """
    from piiscan.engine import Detector
    from piiscan.policy import load_policy
    from piiscan.redact import run
    from piiscan.redact.operators import Redactor
    from piiscan.redact.profiles import OPERATORS, ProfileError, load_profile

    if operator is not None and operator not in OPERATORS:
        raise UsageError(f"unknown operator {operator!r}; use one of {', '.join(OPERATORS)}")
    active_policy = load_policy(policy)
    try:
        active_profile = load_profile(profile, active_policy)
        key = run.read_key(key_file, create=True)
        redactor = Redactor(Detector(min_score=min_score), active_profile, active_policy, key, operator)
        outcome = run.redact(inputs, out, redactor,
                             progress=(lambda line: None) if quiet else (lambda line: err.print(line, markup=False,
                                                                                                 highlight=False)))
    except (ProfileError, run.RedactUsageError) as e:
        raise UsageError(str(e)) from None
    for line in outcome.messages:
        error_line(line)
    files = outcome.manifest.files
    print(f"written and verified: {sum(1 for f in files if f.verified)}   "
          f"failed verification: {sum(1 for f in files if f.verified is False)}   "
          f"not redacted: {sum(1 for f in files if f.error)}   "
          f"skipped (unsupported type, not copied): {len(outcome.manifest.skipped)}", file=sys.stderr)
    err.print(f"manifest: {outcome.manifest_path}", markup=False, highlight=False)
    raise typer.Exit(outcome.exit_code)


@app.command()
def unredact(
    inputs: List[Path] = typer.Argument(..., help="Copies redacted with --operator encrypt."),
    key_file: Path = typer.Option(..., "--key-file", help="The key the copies were encrypted with."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the restored files."),
) -> None:
    """Restore values encrypted by `redact --operator encrypt` (key holders only).

    Exit codes: 0 restored, 2 usage error (missing key file, unsafe paths), 4 a file could not be restored.
    """
    from piiscan.redact import run

    try:
        outcome = run.unredact(inputs, out, run.read_key(key_file, create=False))
    except run.RedactUsageError as e:
        raise UsageError(str(e)) from None
    for line in outcome.messages:
        error_line(line)
    err.print(f"manifest: {outcome.manifest_path}", markup=False, highlight=False)
    raise typer.Exit(outcome.exit_code)


# report, diff, locate, impact: compliance reports on the inventory (piiscan.reports.cli)
from piiscan.reports.cli import register as _register_reports  # noqa: E402

_register_reports(app)


def main() -> None:
    from piiscan.policy import PolicyError
    from piiscan.recognizer import RecognizerFileError

    try:
        app()  # click's own usage errors exit with 2; typer.Exit carries our codes
    except (UsageError, RecognizerFileError, PolicyError, FileNotFoundError) as e:
        error_line(str(e))
        sys.exit(EXIT_USAGE)
    except Exception as e:  # a bug: keep the traceback, but not the message, which may quote data
        import traceback

        from piiscan.scan import safe_reason

        frames = traceback.format_exception(e)[:-1]
        print("".join(frames).rstrip(), file=sys.stderr)
        error_line(f"internal error, please report it: {safe_reason(e)}")
        sys.exit(EXIT_INTERNAL)
