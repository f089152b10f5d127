"""`piiscan policy show|check`: the classification policy."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from piiscan.cli.app import app
from piiscan.core.tiers import rank


policy_app = typer.Typer(no_args_is_help=True, help="Show or check classification policies.")
app.add_typer(policy_app, name="policy")


@policy_app.command("show")
def policy_show(policy: Optional[Path] = typer.Option(None, "--policy", help="A policy overlaying the default.")) -> None:
    """Print the active policy as a table."""
    from piiscan.classify.policy import load_policy

    active = load_policy(policy)
    table = Table(title=f"policy {active.policy} {active.version}")
    for column in ("entity", "标签 / label", "JR/T 0171", "JR/T 0197", "PIPL sensitive", "mask"):
        table.add_column(column, overflow="fold")
    for name, entity in sorted(active.entities.items(), key=lambda kv: (-rank(kv[1].jrt0171), kv[0])):
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
    from piiscan.classify.policy import load_policy

    active = load_policy(path)
    typer.echo(f"{path}: valid ({len(active.entities)} entities)")
