"""Start-up cost of the CLI: `import piiscan` (python -X importtime, cumulative µs of the
top-level package) and `piiscan --version` wall time, median of 5 runs each.
Targets: import < 0.15 s, --version < 0.3 s.   Run: python benchmarks/bench_startup.py"""
from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 5


def import_seconds() -> float:
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import piiscan"],
                          capture_output=True, text=True, check=True)
    # "import time: self [us] | cumulative | imported package": the top-level line for piiscan
    line = [ln for ln in done.stderr.splitlines() if re.search(r"\|\s+piiscan$", ln)][-1]
    return int(line.split("|")[1]) / 1e6


def version_seconds() -> float:
    script = shutil.which("piiscan", path=str(Path(sys.executable).parent)) or "piiscan"
    start = time.perf_counter()
    subprocess.run([script, "--version"], capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    imports = statistics.median(import_seconds() for _ in range(RUNS))
    version = statistics.median(version_seconds() for _ in range(RUNS))
    print(f"import piiscan      {imports:.3f} s (target < 0.15 s) {'ok' if imports < 0.15 else 'SLOW'}")
    print(f"piiscan --version   {version:.3f} s (target < 0.30 s) {'ok' if version < 0.30 else 'SLOW'}")


if __name__ == "__main__":
    main()
