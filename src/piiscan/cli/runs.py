"""`piiscan runs`: the inventory's past scans."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from piiscan.cli.app import app


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
