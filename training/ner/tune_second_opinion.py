"""Choose the `--ner accurate` ensemble thresholds on the CLUENER dev split, never
on the held-out one: the keep threshold (a tagger name LAC does not see stays if
it reads as a name at least this much) and the add threshold (a LAC name the
tagger missed is added if it reads as a name at least this much).

    python training/ner/tune_second_opinion.py   # writes training/ner/data/dev_cluener.jsonl, prints the grid

The chosen pair goes into piiscan.detect.ner.second_opinion (KEEP_THRESHOLD,
ADD_THRESHOLD); the held-out figure is then measured once with `piiscan eval`."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from prepare import find_cluener, read_cluener, split_cluener, write_jsonl  # noqa: E402

from piiscan.detect import evaluate as ev  # noqa: E402
from piiscan.detect.engine import Detector, build_analyzer  # noqa: E402
from piiscan.detect.ner import second_opinion  # noqa: E402

DEV = HERE / "data" / "dev_cluener.jsonl"
GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def main() -> None:
    _, dev, _ = split_cluener(read_cluener(find_cluener()))
    write_jsonl(DEV, dev)
    examples = ev.load_dataset(DEV)
    detector = Detector(build_analyzer(), min_score=0.5, ner="accurate")
    best = None
    for keep, add in itertools.product(GRID, GRID):
        second_opinion.KEEP_THRESHOLD, second_opinion.ADD_THRESHOLD = keep, add
        f1 = ev.evaluate(detector, examples, ["PERSON"])["PERSON"]["overlap"]["f1"]
        print(f"keep {keep:.1f} add {add:.1f}: PERSON overlap F1 {f1:.3f}", flush=True)
        best = max(best or (f1, keep, add), (f1, keep, add))
    print(f"best on dev: keep {best[1]} add {best[2]} F1 {best[0]:.3f}")


if __name__ == "__main__":
    main()
