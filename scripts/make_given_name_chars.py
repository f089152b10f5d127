"""Build src/piiscan/detect/data/given_name_chars.tsv: for each character, how much
more often it is part of a Chinese given name than of other text (a log-likelihood
ratio), from the person names of CLUENER's training split (../shared/data/ner,
see its PROVENANCE.md). Only counts are kept, no name. Column inference uses it to
tell a column of names (王芳, 李建国) from one of products or places that also
start with a surname character (白糖, 高新区).

    python scripts/make_given_name_chars.py [path/to/cluener_train.json]
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

from piiscan.detect.validators.names import is_cjk, surname_of

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "ner" / "cluener_train.json"
OUT = ROOT / "src" / "piiscan" / "detect" / "data" / "given_name_chars.tsv"
# Entity types whose characters are evidence against a name: a column of these is no person.
OTHER = ("address", "company", "organization", "government", "position", "book", "game", "movie", "scene")


def counts(path: Path) -> tuple[Counter, Counter]:
    given, other = Counter(), Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for name in record["label"].get("name", {}):
            surname = surname_of(name) if is_cjk(name) and 2 <= len(name) <= 4 else ""
            if surname and 1 <= len(name) - len(surname) <= 2:
                given.update(name[len(surname):])
        for kind in OTHER:
            for surface in record["label"].get(kind, {}):
                other.update(c for c in surface if is_cjk(c))
        other.update(c for c in record["text"] if is_cjk(c))
    return given, other


def main() -> None:
    given, other = counts(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
    g_total, o_total = sum(given.values()), sum(other.values())
    rows = []
    for char in sorted(set(given) | {c for c, n in other.items() if n >= 20}):
        # add-one smoothing on both sides: a character never seen in a name gets a negative ratio
        ratio = math.log(((given[char] + 1) / g_total) / ((other[char] + 1) / o_total))
        rows.append(f"{char}\t{ratio:.2f}")
    OUT.write_text("# char\tlog-likelihood ratio, given name vs other text (scripts/make_given_name_chars.py)\n"
                   + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} characters from {g_total} given-name characters -> {OUT}")


if __name__ == "__main__":
    main()
