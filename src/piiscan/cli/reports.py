"""Commands `report`, `diff`, `locate` and `impact`, registered on piiscan's app.

Exit codes: 0 nothing to report (no PI in scope, no change, person not found,
nobody affected), 1 the opposite (PI listed, changes, person found, persons
affected), 2 usage error (one line), 70 internal error.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from piiscan.cli.app import NER_HELP, UsageError, app, resolve_ner



def _usage(message: str) -> UsageError:
    return UsageError(message)


def _open(url: str):
    from piiscan.inventory import Inventory

    if "://" not in url:
        raise _usage(f"--inventory takes a database URL (sqlite:///piiscan.db, postgresql://…), not {url!r}")
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        raise _usage(f"no inventory at {url[len('sqlite:///'):]} (run `piiscan scan … --inventory {url}` first)")
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return Inventory(url)
    # what opening can raise: the database (SQLAlchemy), the file system, a missing
    # driver (ImportError), or migrations' "schema newer than this piiscan" (RuntimeError)
    except (SQLAlchemyError, OSError, ImportError, RuntimeError) as e:
        from piiscan.core.errors import safe_reason

        raise _usage(f"cannot open the inventory: {safe_reason(e)}") from None


def report(
    inventory: str = typer.Option(..., "--inventory", help="The inventory database URL."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="xlsx, csv (a folder of CSV files), json or html."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="The file to write (a folder for csv)."),
    sharing: bool = typer.Option(False, "--sharing", help="List the sharing register instead: every redact run, "
                                 "its recipient, copies, people and the fields shown in clear (--format json: as JSON)."),
    run: Optional[int] = typer.Option(None, "--run", help="Only the files this run read or recorded."),
    since: Optional[int] = typer.Option(None, "--since", help="Only the files read or recorded after this run."),
    retention: str = typer.Option("5y", "--retention", help="Flag PI files not modified for longer "
                                  "(5y, 18m, 1825d; off)."),
    lang: str = typer.Option("both", "--lang", help="xlsx headings: both (Chinese, English beneath), zh or en."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="The policy for entity labels."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary line."),
) -> None:
    """Compliance report of an inventory: files, findings (masked), database columns,
    folders, over-exposure, errors, runs and settings."""
    from piiscan.classify.policy import load_policy
    from piiscan.reports import exposure
    from piiscan.reports.data import ReportData, ReportError

    from piiscan.core.registry import REPORT_EXPORTERS

    if sharing:
        raise typer.Exit(_sharing_report(inventory, fmt, out))
    if fmt is None or out is None:
        raise _usage("report needs --format and --out (or --sharing)")
    if fmt not in REPORT_EXPORTERS:
        raise _usage(f"unknown format {fmt!r}; use one of {', '.join(REPORT_EXPORTERS)}")
    if lang not in ("both", "zh", "en"):
        raise _usage(f"unknown --lang {lang!r}; use both, zh or en")
    if run is not None and since is not None:
        raise _usage("use --run or --since, not both")
    if fmt == "csv" and (out.suffix.lower() == ".csv" or out.is_file()):
        raise _usage("--format csv writes one CSV per table: --out names a folder")
    if fmt != "csv" and out.is_dir():
        raise _usage(f"--out {out} is a folder; name the {fmt} file to write")
    try:
        period = exposure.parse_retention(retention)
    except ValueError as e:
        raise _usage(str(e)) from None
    store = _open(inventory)
    try:
        data = ReportData(store, load_policy(policy), run_id=run, since=since, retention=period)
        written = _export(data, fmt, out, lang)
        summary = data.summary()
    except ReportError as e:
        raise _usage(str(e)) from None
    except OSError as e:
        raise _usage(f"cannot write {out}: {e.strerror or type(e).__name__}") from None
    finally:
        store.close()
    if not quiet:
        tiers = "  ".join(f"{k}: {v}" for k, v in summary["files_by_tier"].items()) or "none"
        typer.echo(f"report written to {written}: files scanned {summary['files_scanned']}, with PI "
                   f"{summary['files_with_pi']} ({tiers}), PIPL-sensitive {summary['pipl_sensitive_files']}, "
                   f"flags {sum(summary['exposure_flags'].values())}, errors {summary['errors']}", err=True)
    raise typer.Exit(1 if summary["files_with_pi"] else 0)


def _export(data, fmt: str, out: Path, lang: str) -> Path:
    """Write with the exporter registered under the name (``piiscan.report_exporters``)."""
    from piiscan.core.registry import REPORT_EXPORTERS

    return REPORT_EXPORTERS.get(fmt)(data, out, lang)


def diff(
    run_a: int = typer.Argument(..., help="The earlier run (the state after it)."),
    run_b: int = typer.Argument(..., help="The later run."),
    inventory: str = typer.Option(..., "--inventory", help="The inventory database URL."),
    as_json: bool = typer.Option(False, "--json", help="Every change as JSON on standard output."),
    limit: int = typer.Option(200, "--limit", min=0, help="Changes listed in the table (the JSON lists all)."),
) -> None:
    """New and resolved personal information between two runs (per file, entity type and
    fingerprint; masked previews only). Exit 0 no change, 1 changes."""
    import json

    from rich.console import Console
    from rich.table import Table

    from piiscan.reports.data import ReportError
    from piiscan.reports.diff import DiffSummary, diff as run_diff

    store = _open(inventory)
    summary = DiffSummary(run_a, run_b)
    try:
        changes = run_diff(store, run_a, run_b, summary)
        if as_json:
            typer.echo('{"changes": [', nl=False)
            for n, change in enumerate(changes):
                typer.echo(("\n " if n == 0 else ",\n ") + json.dumps(change, ensure_ascii=False), nl=False)
            typer.echo(f'\n], "summary": {json.dumps(summary.to_dict(), ensure_ascii=False)}}}')
        else:
            table = Table(title=f"piiscan diff: run {run_a} → run {run_b}")
            for column in ("change", "path", "entity", "masked", "tier"):
                table.add_column(column, overflow="fold")
            listed = 0
            for n, c in enumerate(changes):
                listed += 1
                if n < limit:
                    table.add_row("+ new 新增" if c["change"] == "new" else "- resolved 消除", c["path"],
                                  c["entity_type"], c["masked"], f"{c['jrt0171']}/{c['jrt0197']}"
                                  + (" 敏感" if c["pipl_sensitive"] else ""))
            if listed:
                Console(width=200).print(table)
    except ReportError as e:
        raise _usage(str(e)) from None
    finally:
        store.close()
    d = summary.to_dict()
    if not as_json:
        shown = d["new"] + d["resolved"]
        more = f" (first {limit} listed; --json lists all)" if shown > limit else ""
        typer.echo(f"run {run_a} → {run_b}: new PI {d['new']} in {d['files_with_new_pi']} files "
                   f"({_by_entity(d['new_by_entity'])}); resolved {d['resolved']} in {d['files_with_resolved_pi']} "
                   f"files ({_by_entity(d['resolved_by_entity'])}){more}", err=True)
    raise typer.Exit(1 if d["new"] or d["resolved"] else 0)


def locate(
    inventory: str = typer.Option(..., "--inventory", help="The inventory database URL."),
    id_number: List[str] = typer.Option([], "--id", help="Resident ID (18 or 15 digits; spaces, x and "
                                        "full-width digits are fine) or permanent-residence ID."),
    phone: List[str] = typer.Option([], "--phone", help="Mobile or landline number (+86, spaces, dashes fine)."),
    card: List[str] = typer.Option([], "--card", help="Bank card number."),
    name: List[str] = typer.Option([], "--name", help="Name (matches anyone of that name)."),
    email: List[str] = typer.Option([], "--email", help="E-mail address."),
    passport: List[str] = typer.Option([], "--passport", help="Passport or travel-permit number."),
    as_json: bool = typer.Option(False, "--json", help="Every place as JSON on standard output."),
) -> None:
    """Every file, table and record where a person appears, by keyed fingerprint (the
    inventory holds no raw values). Exit 0 not found, 1 found."""
    import json

    from rich.console import Console
    from rich.table import Table

    from piiscan.core.fingerprint import load_key
    from piiscan.inventory.sharing import shares_of
    from piiscan.reports.locate import LocateError, fingerprints, locate as find

    wanted = [(kind, value) for kind, values in (("id", id_number), ("phone", phone), ("card", card),
                                                 ("name", name), ("email", email), ("passport", passport))
              for value in values]
    if not wanted:
        raise _usage("locate needs at least one of --id, --phone, --card, --name, --email, --passport")
    try:
        targets = fingerprints(wanted, load_key())
    except LocateError as e:
        raise _usage(str(e)) from None
    store = _open(inventory)
    try:
        places = list(find(store, targets))
        shares = list(shares_of(store, targets))
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps({"places": places, "files": len({p["path"] for p in places}), "shared": shares},
                              ensure_ascii=False, indent=1))
    elif places:
        table = Table(title="piiscan locate")
        for column in ("path", "location", "matched by", "entity", "masked", "tier", "same record 同一记录"):
            table.add_column(column, overflow="fold")
        for p in places:
            table.add_row(p["path"], p["location_text"], p["matched_by"], p["entity_type"], p["masked"],
                          f"{p['jrt0171']}/{p['jrt0197']}" + (" 敏感" if p["pipl_sensitive"] else ""),
                          ", ".join(f"{r['entity_type']} {r['masked']}" for r in p["same_record"]))
        Console(width=220).print(table)
    if shares and not as_json:
        _print_shares(shares)
    files = len({p["path"] for p in places})
    if not as_json:
        typer.echo(f"found in {files} files or tables, {len(places)} places" if places else
                   "not found in the inventory", err=True)
        if shares:
            typer.echo(f"shared {len({s['id'] for s in shares})} times (sharing register)", err=True)
    raise typer.Exit(1 if places or shares else 0)


def _sharing_report(inventory: str, fmt: Optional[str], out: Optional[Path]) -> int:
    """`report --sharing`: the register as a table, or JSON (to --out or standard output).
    Exit 1 when something was shared, 0 when the register is empty."""
    import json

    from rich.console import Console
    from rich.table import Table

    from piiscan.inventory.sharing import register

    if fmt not in (None, "json"):
        raise _usage("report --sharing writes a table, or JSON with --format json")
    store = _open(inventory)
    try:
        shares = register(store)
    finally:
        store.close()
    if fmt == "json":
        text = json.dumps({"shares": shares}, ensure_ascii=False, indent=1)
        if out:
            out.write_text(text + "\n", encoding="utf-8")
        else:
            typer.echo(text)
        return 1 if shares else 0
    table = Table(title="sharing register 个人信息对外提供记录")
    for column in ("#", "when", "recipient", "profile", "copies", "values", "in clear 明文提供"):
        table.add_column(column, overflow="fold")
    for s in shares:
        table.add_row(str(s["id"]), s["created_at"], s["recipient"], s["profile"], str(s["files"]), str(s["values"]),
                      ", ".join(f"{e} {n}" for e, n in sorted(s["in_clear"].items())) or "none")
    Console(width=200).print(table)
    return 1 if shares else 0


def _print_shares(shares: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="shared with 提供给第三方")
    for column in ("when", "recipient", "profile", "copy", "entity", "shown as"):
        table.add_column(column, overflow="fold")
    for s in shares:
        table.add_row(s["created_at"], s["recipient"], s["profile"], s["file"], s["entity_type"],
                      "clear 明文" if s["shown"] == "clear" else s["shown"])
    Console(width=220).print(table)


def impact(
    paths: List[str] = typer.Argument(..., help="Files and folders (e.g. a leaked folder); with --inventory also "
                                      "database sources (URL#schema.table)."),
    inventory: Optional[str] = typer.Option(None, "--inventory", help="Use the inventory's findings for these "
                                            "paths instead of scanning them."),
    as_json: bool = typer.Option(False, "--json", help="The figures as JSON on standard output."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Scan: worker processes (default: all cores)."),
    ner_choice: str = typer.Option("fast", "--ner", help="Scan: " + NER_HELP),
    no_ner: bool = typer.Option(False, "--no-ner", help="Scan: the same as --ner off."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="A policy YAML overlaying the default."),
) -> None:
    """Breach impact: distinct persons per tier and PI type, minors, sensitive PI
    (input for a PIPL Art. 57 notification). Exit 0 nobody affected, 1 persons affected."""
    import json

    figures = _impact_figures(paths, inventory, jobs, resolve_ner(ner_choice, no_ner), policy)
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        _print_impact(figures)
    raise typer.Exit(1 if figures["persons"] or figures["records_with_pi"] else 0)


def _impact_figures(paths: List[str], inventory: Optional[str], jobs: int, ner: bool | str,
                    policy: Optional[Path]) -> dict:
    """The impact figures from the inventory's findings, or from a fresh scan of the paths."""
    import os

    from piiscan.core.fingerprint import load_key
    from piiscan.classify.policy import load_policy
    from piiscan.reports.impact import Impact, from_inventory, from_scan

    result = Impact(load_policy(policy))
    if inventory:
        store = _open(inventory)
        try:
            from_inventory(store, [p if "://" in p else os.path.abspath(p) for p in paths], result)
        finally:
            store.close()
        if not result.files and not result.errors:
            raise _usage("none of these paths is in the inventory (paths are matched as scanned, absolute)")
    else:
        missing = [p for p in paths if not Path(p).exists()]
        if missing:
            raise _usage(f"no such file or folder: {', '.join(missing)}")
        from_scan([Path(p) for p in paths], result, load_key(), jobs=jobs, ner=ner,
                  policy=str(policy) if policy else None)
    return result.to_dict()


def _print_impact(figures: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="piiscan impact 泄露影响评估", show_header=False)
    table.add_column("item")
    table.add_column("value", overflow="fold")
    rows = [("自然人 distinct persons", figures["persons"]),
            ("按类别 by JR/T 0171 tier", _by_entity(figures["persons_by_tier"])),
            ("按级别 by JR/T 0197 level", _by_entity(figures["persons_by_level"])),
            ("按信息类型 persons by PI type", _by_entity(figures["persons_by_entity"])),
            ("不同值 distinct values by type", _by_entity(figures["distinct_values_by_entity"])),
            ("不满十四周岁 minors under 14", figures["minors_under_14"]),
            ("未成年人 minors under 18", figures["minors_under_18"]),
            ("敏感个人信息 persons with sensitive PI", figures["persons_with_sensitive_pi"]),
            ("敏感类别 sensitive categories", _by_entity(figures["sensitive_by_category"])),
            ("文件 files (with PI)", f"{figures['files']} ({figures['files_with_pi']})"),
            ("记录 records with PI (without an identifier)",
             f"{figures['records_with_pi']} ({figures['records_without_identifier']})"),
            ("错误 unreadable", len(figures["errors"]))]
    for label, value in rows:
        table.add_row(label, str(value))
    Console(width=160).print(table)
    for e in figures["errors"]:
        typer.echo(f"piiscan: unreadable: {e['path']}: {e['error']}", err=True)


def _by_entity(counts: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"


app.command("report")(report)
app.command("diff")(diff)
app.command("locate")(locate)
app.command("impact")(impact)
