"""`piiscan plugins`: every extension of every kind, built-in or from another package.

Reads entry-point declarations only: nothing is imported, so it stays fast
(no Presidio, no spaCy) and a broken plugin does not stop the listing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from piiscan.cli.app import app


@app.command()
def plugins(as_json: bool = typer.Option(False, "--json", help="The list as JSON on standard output.")) -> None:
    """List readers, writers, validators, masking rules, operators, findings and report
    formats: name, object and the package that registered it."""
    import json

    from piiscan.core.registry import KINDS

    rows = [{"kind": e.kind, "group": registry.group, "name": e.name, "object": e.value,
             "distribution": e.distribution} for registry in KINDS for e in registry.entries()]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="piiscan plugins")
    for column in ("kind", "name", "object", "distribution"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["kind"], row["name"], row["object"], row["distribution"])
    Console().print(table)


def recognizers_option():
    """--recognizers, shared by scan, redact, recognizers and eval."""
    return typer.Option(None, "--recognizers", envvar="PIISCAN_RECOGNIZERS", file_okay=False,
                        help="A folder of your own recognizer YAML definitions, loaded after the shipped "
                             "ones (also $PIISCAN_RECOGNIZERS).")


def use_recognizers(folder: Optional[Path]) -> None:
    """Make `folder` the user's recognizer folder for this run and every worker process it
    starts (through the environment), and check its definitions now: a bad file or a
    duplicate id is a usage error before any work is done."""
    if folder is None:
        return
    from piiscan.detect.recognizer import USER_RECOGNIZERS, load_specs

    os.environ[USER_RECOGNIZERS] = str(folder.resolve())
    load_specs()
