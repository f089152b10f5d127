"""The command line: one module per command, each registering on the one typer app."""

from piiscan.cli.app import app, main
# imported for their commands, in the order `piiscan --help` lists them
from piiscan.cli import scan, runs, info, redact, reports, policy, plugins  # noqa: F401, E402, I001

__all__ = ["app", "main"]
