"""Rebuild models/zh_piiscan from scratch with one command:

    /work/main/.venv/bin/python training/ner/train.py

prepare.py (CLUENER split + synthetic data + lexicon vectors) -> `spacy train
training/ner/config.cfg` (one process, one thread) -> copy model-best to
models/zh_piiscan -> evaluate it on both held-out sets (evaluate.py: the model
with piiscan's decoding; `piiscan eval`: the whole Detector, model + rules),
measure load time and single-core throughput -> models/zh_piiscan/metrics.json
and the figures in MODEL_CARD.md.

Experiments for model selection: `--dev --name NAME [spaCy overrides]` trains
runs/NAME and scores it on the dev sets only; the held-out sets are for the
final figures.

Everything is deterministic for a given config and library versions (seeded data
and training; Faker's output differs between releases, hence its pin in the
`train` extra), and nothing is downloaded. The versions are printed and recorded
in metrics.json. spaCy's training output goes to training/ner/runs/
(ignored by git); the log is runs/<name>.log, so an interrupted run keeps its
best model so far and `--skip-training` can install and evaluate it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MODEL = ROOT / "models" / "zh_piiscan"
DATA = HERE / "data"
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "BLIS_NUM_THREADS": "1"}
KEEP = ("MODEL_CARD.md",)  # hand-written files in the model folder that a rebuild keeps
# `spacy train` with thinc's NumpyOps: numpy's OpenBLAS multiplies these small
# matrices several times faster than thinc's bundled BLIS on this machine (the
# same choice piiscan makes at run time); the weights are the same either way.
# piiscan.detect.ner.features registers the lexicon embedding layer the config names.
SPACY_WITH_NUMPY_OPS = ("import sys; import piiscan.detect.ner.features; from thinc.api import NumpyOps, set_current_ops; "
                        "set_current_ops(NumpyOps(use_blis=False)); from spacy.cli import setup_cli; "
                        "sys.argv[0] = 'spacy'; setup_cli()")

sys.path.insert(0, str(HERE))


def spacy_train(config: Path, output: Path, log: Path, overrides: list[str]) -> None:
    command = [sys.executable, "-c", SPACY_WITH_NUMPY_OPS, "train", str(config), "--output", str(output),
               "--paths.train", str(DATA / "train.spacy"), "--paths.dev", str(DATA / "dev.spacy"),
               "--paths.vectors", str(DATA / "lexicon"), "--paths.words", str(jieba_dictionary()),
               "--code", str(HERE / "callbacks.py"), *overrides]
    print("$", " ".join(command), flush=True)
    env = dict(os.environ, **ONE_THREAD)
    with log.open("w", encoding="utf-8") as fh:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                   cwd=HERE)
        assert process.stdout is not None
        for line in process.stdout:
            fh.write(line)
            fh.flush()
            print(line, end="", flush=True)
        if process.wait():
            raise SystemExit(f"spacy train failed, see {log}")


def versions() -> dict[str, str]:
    """The libraries that shape the data and the weights."""
    from importlib.metadata import version

    return {name: version(name) for name in ("spacy", "thinc", "numpy", "jieba", "Faker")}


def jieba_dictionary() -> Path:
    import jieba

    return Path(jieba.__file__).parent / "dict.txt"


def install(best: Path, target: Path = MODEL) -> None:
    """Copy a trained pipeline to models/zh_piiscan, keeping the model card."""
    saved = {name: (target / name).read_bytes() for name in KEEP if (target / name).exists()}
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(best, target)
    meta = json.loads((target / "meta.json").read_text(encoding="utf-8"))
    meta.update({
        "name": "piiscan", "version": "1.0.0",
        "description": "Chinese PERSON / CN_ADDRESS / ORGANIZATION tagger for piiscan: character tokens, CNN, "
                       "BIO tagger decoded into entities by an entity_ruler named 'ner'",
        "license": "MIT (code and configuration); trained on CLUENER2020 (research/benchmark use, no licence "
                   "file) and synthetic data: see MODEL_CARD.md",
        "author": "piiscan", "url": "", "email": "",
        "sources": [{"name": "CLUENER2020 training split", "url": "github.com/CLUEbenchmark/CLUENER2020",
                     "license": "none stated; research and benchmarking"},
                    {"name": "piiscan synthetic domain text (Faker zh_CN)", "license": "MIT"},
                    {"name": "character lexicon features from jieba's dictionary and HMM tables", "license": "MIT"}],
    })
    meta.pop("performance", None)
    (target / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for name, data in saved.items():
        (target / name).write_bytes(data)


def size_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(model: Path) -> dict:
    """Held-out scores of the model (piiscan's decoding), load time and one-core
    throughput, in a fresh process limited to one thread; then the whole Detector
    (model + rules, as `piiscan eval` runs it) on the same sets."""
    command = [sys.executable, str(HERE / "evaluate.py"), str(model), str(DATA / "heldout_cluener.jsonl"),
               str(DATA / "heldout_synthetic.jsonl"), "--json", "--speed"]
    env = dict(os.environ, **ONE_THREAD)
    metrics = json.loads(subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout)
    metrics["detector"] = detector_scores(model)
    return metrics


def detector_scores(model: Path) -> dict:
    """`piiscan eval` of both held-out sets with `model` as the zh pipeline."""
    scores = {}
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "zh_piiscan").symlink_to(model.resolve())
        (Path(folder) / "en_blank").symlink_to((ROOT / "models" / "en_blank").resolve())
        env = dict(os.environ, **ONE_THREAD, PIISCAN_MODELS=folder)
        for name in ("cluener", "synthetic"):
            command = [sys.executable, "-m", "piiscan", "eval", str(DATA / f"heldout_{name}.jsonl"), "--json",
                       "--entities", "PERSON,CN_ADDRESS,ORGANIZATION"]
            scores[name] = json.loads(subprocess.run(command, check=True, capture_output=True, text=True,
                                                     env=env).stdout)
    return scores


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=HERE / "config.cfg")
    parser.add_argument("--name", default="final", help="run name under training/ner/runs/")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="where prepare.py writes and training reads")
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the prepared data")
    parser.add_argument("--skip-training", action="store_true", help="install and evaluate runs/<name>/model-best")
    parser.add_argument("--no-install", action="store_true", help="evaluate runs/<name>/model-best in place")
    parser.add_argument("--dev", action="store_true",
                        help="an experiment: train runs/<name>, score it on the dev sets only (model selection "
                             "never looks at the held-out sets), install nothing")
    parser.add_argument("overrides", nargs="*", help="spaCy config overrides, e.g. --training.max_epochs=5")
    args, extra = parser.parse_known_args(argv)
    overrides = list(args.overrides) + extra
    started = time.time()
    print("versions:", ", ".join(f"{name} {v}" for name, v in versions().items()), flush=True)
    global DATA
    DATA = args.data.resolve()
    if not args.skip_prepare or not (DATA / "train.spacy").exists():
        import prepare

        prepare.main(["--out", str(DATA)])
    runs = HERE / "runs"
    runs.mkdir(exist_ok=True)
    output = runs / args.name
    if not args.skip_training:
        shutil.rmtree(output, ignore_errors=True)
        spacy_train(args.config, output, runs / f"{args.name}.log", overrides)
    best = output / "model-best"
    if args.dev:
        dev_files = [str(DATA / "dev_cluener.jsonl"), str(DATA / "dev_synthetic.jsonl")]
        subprocess.run([sys.executable, str(HERE / "evaluate.py"), str(best), *dev_files, "--speed"],
                       check=True, env=dict(os.environ, **ONE_THREAD))
        return
    model = best if args.no_install else MODEL
    earlier = best / "metrics.json"  # a --no-install run's figures: keep its wall time (training included)
    trained_seconds = json.loads(earlier.read_text(encoding="utf-8"))["wall_seconds"] \
        if args.skip_training and earlier.exists() else None
    if not args.no_install:
        install(best)
    metrics = measure(model)
    from metrics import by_type

    # The layout of `piiscan eval --json`, which the project's tests read.
    scores = {"cluener": metrics.pop("heldout_cluener.jsonl"), "synthetic": metrics.pop("heldout_synthetic.jsonl")}
    metrics = {**{name: by_type(result) for name, result in scores.items()}, **metrics}
    metrics["model"] = str(model.relative_to(ROOT)) if model.is_relative_to(ROOT) else str(model)
    metrics["size_bytes"] = size_bytes(model)
    metrics["command"] = "python training/ner/train.py" + ("".join(" " + o for o in overrides))
    metrics["wall_seconds"] = trained_seconds or round(time.time() - started)
    metrics["versions"] = versions()
    (model / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    from card import update_card

    if (model / "MODEL_CARD.md").exists():
        update_card(model / "MODEL_CARD.md", metrics)
    from metrics import format_table

    for name, result in scores.items():
        print(f"== held-out {name}")
        print(format_table(result))
    speed = metrics["speed"]["piiscan"]
    print(f"load {metrics['load_seconds']} s; piiscan's NER on one thread: {speed['chars_per_second']:,} chars/s "
          f"({speed['chars_per_cpu_second']:,} per CPU-second); size {metrics['size_bytes'] / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
