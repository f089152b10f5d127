"""`piiscan recognizers`, `readers` and `eval`: what detection is made of, and how well it does."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from piiscan.cli.app import NER_HELP, UsageError, app, resolve_ner
from piiscan.cli.plugins import recognizers_option, use_recognizers


@app.command()
def recognizers(folder: Optional[Path] = recognizers_option()) -> None:
    """List every recognizer: entity, languages, validator, context words, version."""
    use_recognizers(folder)
    from piiscan.detect.engine import NER_ENTITIES, build_nlp_engine
    from piiscan.detect.recognizer import load_specs

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
    dataset: Optional[Path] = typer.Argument(None, help='JSONL: {"text", "entities": [{"type","start","end"}]}.'),
    tables: Optional[Path] = typer.Option(None, "--tables", help="Score column inference on a folder of labelled "
                                          "tables with its gold.jsonl (benchmarks/tables/holdout)."),
    entities: Optional[str] = typer.Option(None, "--entities", help="Types to score (default: those in the dataset)."),
    min_score: float = typer.Option(0.5, "--min-score", min=0.0, max=1.0),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    ner_choice: str = typer.Option("fast", "--ner", help=NER_HELP),
    recognizers: Optional[Path] = recognizers_option(),
) -> None:
    """Precision, recall and F1 per entity type, exact-span and overlap; or, with
    --tables, per labelled table value."""
    use_recognizers(recognizers)
    import json

    if tables is not None:
        return _eval_tables(tables, min_score, as_json)
    if dataset is None:
        raise UsageError("give a dataset (JSONL) or --tables FOLDER")
    from piiscan.detect.engine import Detector, build_analyzer
    from piiscan.detect.evaluate import evaluate, load_dataset

    if not dataset.exists():
        raise UsageError(f"no such file: {dataset}")
    try:
        examples = load_dataset(dataset)
    except ValueError as e:
        raise UsageError(str(e)) from None
    wanted = [e.strip().upper() for e in entities.split(",")] if entities else None
    figures = evaluate(Detector(build_analyzer(), min_score=min_score, ner=resolve_ner(ner_choice, False)),
                       examples, wanted)
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


def _eval_tables(folder: Path, min_score: float, as_json: bool) -> None:
    import json

    from piiscan.core.fingerprint import Fingerprinter
    from piiscan.detect.engine import Detector, build_analyzer
    from piiscan.pipeline.evaluate_tables import evaluate_tables
    from piiscan.pipeline.scanner import Scanner

    if not folder.is_dir():
        raise UsageError(f"no such folder: {folder}")
    scanner = Scanner(Detector(build_analyzer(), min_score=min_score), Fingerprinter(b"piiscan eval --tables"))
    try:
        figures = evaluate_tables(scanner, folder)
    except ValueError as e:
        raise UsageError(str(e)) from None
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"{folder}: {len(list(folder.glob('t*')))} tables")
    for column in ("entity", "gold", "predicted", "precision", "recall", "f1"):
        table.add_column(column, justify="right" if column != "entity" else "left")
    for entity, f in figures.items():
        if entity not in ("files", "errors"):
            table.add_row(entity, str(f["gold"]), str(f["predicted"]),
                          *(f"{f[k]:.3f}" for k in ("precision", "recall", "f1")))
    Console().print(table)
    for name, counts in figures["files"].items():
        typer.echo(f"{name}: {counts['missed']} missed, {counts['false']} false")
    for error in figures["errors"]:
        typer.echo(f"error: {error}")


@app.command("readers")
def readers_command() -> None:
    """List every reader (built-in or from another package), its file extensions and URL schemes."""
    from piiscan.sources.readers import available

    table = Table(title="piiscan readers")
    for column in ("reader", "extensions", "URL schemes", "class"):
        table.add_column(column)
    for name, cls in sorted(available().items()):
        schemes = " ".join(f"{s}://" if s != "*" else "any SQLAlchemy URL" for s in getattr(cls, "schemes", ()))
        table.add_row(name, " ".join(cls.suffixes), schemes, f"{cls.__module__}.{cls.__qualname__}")
    Console().print(table)
