"""`piiscan redact` and `unredact`: copies for sharing, and their restoration by key holders."""

from __future__ import annotations

import sys
from pathlib import Path
from collections import Counter
from typing import List, Optional

import typer

from piiscan.cli.app import NER_HELP, UsageError, app, err, error_line, resolve_ner
from piiscan.cli.plugins import recognizers_option, use_recognizers


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
    ner_choice: str = typer.Option("accurate", "--ner", help=NER_HELP),
    recipient: str = typer.Option("", "--recipient", help="Who receives the copies (工商银行朝阳支行): recorded "
                                  "with the people in them in the sharing register."),
    register: Optional[str] = typer.Option(None, "--inventory", help="The inventory that holds the sharing register "
                                           "(default: $PIISCAN_REGISTER, else sharing.db beside the key)."),
    no_ner: bool = typer.Option(False, "--no-ner", help="The same as --ner off: the rules only."),
    recognizers: Optional[Path] = recognizers_option(),
) -> None:
    """Write masked or pseudonymised copies in the same format, verified to leak nothing.

    Exit codes: 0 written and verified, 2 usage or configuration error,
    3 verification failed (that output removed), 4 an input could not be redacted.
    """
    from piiscan.detect.engine import Detector
    from piiscan.classify.policy import load_policy
    from piiscan.protect import run
    from piiscan.protect.operators import Redactor
    from piiscan.protect.profiles import OPERATORS, ProfileError, load_profile

    use_recognizers(recognizers)
    if operator is not None and operator not in OPERATORS:
        raise UsageError(f"unknown operator {operator!r}; use one of {', '.join(OPERATORS)}")
    active_policy = load_policy(policy)
    try:
        active_profile = load_profile(profile, active_policy)
        key = run.read_key(key_file, create=True)
        detector = Detector(min_score=min_score, ner=resolve_ner(ner_choice, no_ner))
        redactor = Redactor(detector, active_profile, active_policy, key, operator)
        outcome = run.redact(inputs, out, redactor,
                             progress=(lambda line: None) if quiet else (lambda line: err.print(line, markup=False,
                                                                                                 highlight=False)))
    except (ProfileError, run.RedactUsageError) as e:
        raise UsageError(str(e)) from None
    for line in outcome.messages:
        error_line(line)
    code = _record_share(outcome, register, recipient, out, redactor)
    files = outcome.manifest.files
    print(f"written and verified: {sum(1 for f in files if f.verified)}   "
          f"failed verification: {sum(1 for f in files if f.verified is False)}   "
          f"not redacted: {sum(1 for f in files if f.error)}   "
          f"skipped (unsupported type, not copied): {len(outcome.manifest.skipped)}", file=sys.stderr)
    err.print(f"manifest: {outcome.manifest_path}", markup=False, highlight=False)
    raise typer.Exit(code)


def _record_share(outcome, register: Optional[str], recipient: str, out: Path, redactor) -> int:
    """The run's copies into the sharing register; a register that cannot be written
    is an error of the run (exit 4): the record of provision is a duty."""
    import os

    from sqlalchemy.exc import SQLAlchemyError

    from piiscan import __version__
    from piiscan.core.errors import safe_reason
    from piiscan.core.fingerprint import Fingerprinter, default_key_file, load_key
    from piiscan.inventory import Inventory
    from piiscan.inventory.sharing import record_share
    from piiscan.protect import run
    from piiscan.sources.walk import shown

    url = register or os.environ.get("PIISCAN_REGISTER") or f"sqlite:///{default_key_file().parent / 'sharing.db'}"
    fingerprint = Fingerprinter(load_key())  # the scan's key: locate finds the shares of a person
    copies = [(copy, Counter({(e, fingerprint(e, value), how): n for (e, value, how), n in counts.items()}))
              for copy, counts in outcome.shared]
    try:
        if url.startswith("sqlite:///"):
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        store = Inventory(url)
        try:
            record_share(store, recipient or "(not given)", redactor.profile.profile, redactor.operator, shown(out),
                         copies, __version__)
        finally:
            store.close()
    except (SQLAlchemyError, OSError, ImportError, RuntimeError) as e:
        error_line(f"the sharing register could not be written: {safe_reason(e)}")
        return outcome.exit_code or run.EXIT_ERRORS
    return outcome.exit_code


@app.command()
def unredact(
    inputs: List[Path] = typer.Argument(..., help="Copies redacted with --operator encrypt."),
    key_file: Path = typer.Option(..., "--key-file", help="The key the copies were encrypted with."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the restored files."),
) -> None:
    """Restore values encrypted by `redact --operator encrypt` (key holders only).

    Exit codes: 0 restored, 2 usage error (missing key file, unsafe paths), 4 a file could not be restored.
    """
    from piiscan.protect import run

    try:
        outcome = run.unredact(inputs, out, run.read_key(key_file, create=False))
    except run.RedactUsageError as e:
        raise UsageError(str(e)) from None
    for line in outcome.messages:
        error_line(line)
    err.print(f"manifest: {outcome.manifest_path}", markup=False, highlight=False)
    raise typer.Exit(outcome.exit_code)


# report, diff, locate, impact: compliance reports on the inventory (piiscan.reports.cli)
