"""The command line's application object, its exit codes and its error lines;
each command lives in a module of its own beside this one.

Exit codes (cron and CI depend on them): 0 no personal information found,
1 personal information found, 2 usage or configuration error, 70 internal error.
"""

from __future__ import annotations

import sys
from typing import Optional

import typer
from rich.console import Console

from piiscan import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_INTERNAL = 70  # a bug (sysexits EX_SOFTWARE): never mistaken for "findings"

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


def parse_entities(option: Optional[str], known: list[str]) -> Optional[list[str]]:
    if not option:
        return None
    wanted = [e.strip().upper() for e in option.split(",") if e.strip()]
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        raise UsageError(f"unknown entity {', '.join(unknown)}; known: {', '.join(known)}")
    return wanted


def _usage_errors() -> tuple[type[BaseException], ...]:
    """The configuration errors, from the modules already loaded: one not imported
    cannot have been raised, and importing it would load Presidio for `--version`."""
    kinds: list[type[BaseException]] = [UsageError, FileNotFoundError]
    for module, name in (("piiscan.classify.policy", "PolicyError"), ("piiscan.detect.recognizer", "RecognizerFileError")):
        if module in sys.modules:
            kinds.append(getattr(sys.modules[module], name))
    return tuple(kinds)


def main() -> None:
    try:
        app()  # click's own usage errors exit with 2; typer.Exit carries our codes
    except _usage_errors() as e:
        error_line(str(e))
        sys.exit(EXIT_USAGE)
    except Exception as e:  # a bug: keep the traceback, but not the message, which may quote data
        import traceback

        from piiscan.core.errors import safe_reason

        frames = traceback.format_exception(e)[:-1]
        print("".join(frames).rstrip(), file=sys.stderr)
        error_line(f"internal error, please report it: {safe_reason(e)}")
        sys.exit(EXIT_INTERNAL)


NER_HELP = ("fast: our tagger on prose (the default of scan); accurate: the tagger checked and completed by "
            "Baidu LAC's names (the default of redact, about ten times slower); off: the rules only.")


def resolve_ner(ner: str, no_ner: bool) -> bool | str:
    """--ner fast|accurate|off (and --no-ner, the older spelling of off), as the
    Detector and the inventory's settings take it: True, "accurate" or False."""
    if no_ner:
        return False
    choice = ner.strip().lower()
    if choice not in ("fast", "accurate", "off"):
        raise UsageError(f"--ner must be fast, accurate or off, not {ner!r}")
    return {"fast": True, "off": False}.get(choice, choice)
