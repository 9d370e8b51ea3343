"""Rewrite every lint baseline from today's code: ``make lint-baseline``.

Run it after a restructure (modules moved, split or renamed) and commit what it writes:

- .importlinter, the generated ``ignore_imports`` blocks (tools/import_baseline.py);
- tools/complexity-exceptions.toml and pyproject's C901 per-file-ignores block (tools/check_complexity.py);
- tools/size-exceptions.toml, keeping the reasons written (tools/check_sizes.py);
- tools/mypy-baseline.txt (tools/check_mypy.py).

A baseline only records what is there; review the diff: it should only ever shrink, or move with code.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEPS = [
    ["tools.import_baseline"],
    ["tools.check_complexity", "--write"],
    ["tools.check_sizes", "--write"],
    ["tools.check_mypy", "--write"],
]


def main() -> int:
    failed = []
    for step in STEPS:
        print(f"== python -m {' '.join(step)}", flush=True)
        if subprocess.run([sys.executable, "-m", *step], cwd=ROOT, check=False).returncode:  # noqa: S603
            failed.append(step[0])
    if failed:
        print(f"lint-baseline: {', '.join(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
