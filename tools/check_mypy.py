"""mypy (settings in pyproject's [tool.mypy]) against a per-module baseline of today's errors.

tools/mypy-baseline.txt lists each file that has errors today with its error count. The check fails
when a listed file has more errors than its count, when any other file (so every new one) has an
error, or when a listed file has fewer errors than its count (run ``make lint-baseline`` to lower
it, so the fixed errors cannot come back unseen). mypy's own exit status is not used, save that
anything but 0 or 1 (a crash, a bad configuration) fails.

``python -m tools.check_mypy --write`` (part of ``make lint-baseline``) rewrites the baseline.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tools" / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<path>[^:\s]+\.pyi?):\d+(?::\d+)?: error: ")


def run_mypy() -> tuple[Counter[str], list[str]]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    command = [str(Path(sys.executable).parent / "mypy")]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    lines = result.stdout.splitlines()
    if result.returncode not in (0, 1):
        print(result.stdout, result.stderr, sep="\n")
        raise SystemExit(f"check_mypy: mypy exited {result.returncode}")
    counts: Counter[str] = Counter()
    for line in lines:
        match = ERROR.match(line)
        if match:
            counts[match["path"]] += 1
    return counts, lines


def read_baseline() -> dict[str, int]:
    if not BASELINE.exists():
        return {}
    baseline = {}
    for line in BASELINE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            path, count = line.rsplit(maxsplit=1)
            baseline[path] = int(count)
    return baseline


def problems(counts: Counter[str], baseline: dict[str, int]) -> list[str]:
    out = []
    for path in sorted(set(counts) | set(baseline)):
        now, allowed = counts.get(path, 0), baseline.get(path, 0)
        if now > allowed:
            out.append(f"{path}: {now} mypy errors, baseline {allowed}" if allowed else f"{path}: {now} mypy errors")
        elif now < allowed:
            out.append(f"{path}: {now} mypy errors, fewer than the baseline's {allowed} (run make lint-baseline)")
    return out


def write(counts: Counter[str]) -> None:
    header = [
        "# mypy errors per file today, written by `make lint-baseline` (tools/check_mypy.py).",
        "# A listed file may not gain an error; a file not listed may have none.",
        f"# {sum(counts.values())} errors in {len(counts)} files.",
    ]
    BASELINE.write_text("\n".join(header + [f"{path} {count}" for path, count in sorted(counts.items())]) + "\n")
    print(f"tools/mypy-baseline.txt: {sum(counts.values())} errors in {len(counts)} files")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="write today's errors as the baseline")
    args = parser.parse_args()
    counts, lines = run_mypy()
    if args.write:
        write(counts)
        return 0
    out = problems(counts, read_baseline())
    worse = {line.split(":", 1)[0] for line in out if "fewer than" not in line}
    for line in lines:
        match = ERROR.match(line)
        if match and match["path"] in worse:
            print(line)
    for line in out:
        print(line)
    total = sum(counts.values())
    print(f"mypy: {total} errors in {len(counts)} files, " + ("as the baseline" if not out else f"{len(out)} off it"))
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())
