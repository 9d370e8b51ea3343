"""Module and function sizes under joinedup/ (migrations aside), against tools/size-exceptions.toml.

A *logic line* is a physical line that holds part of a Python token other than a comment or a line
break, and is not part of a docstring (the string that opens a module, class or function). Blank
lines, comment lines and docstrings do not count; each line of a statement spread over several
lines does, and so does each line of a string that is not a docstring.

- A module may have at most MODULE_LIMIT (400) logic lines.
- A function or method may have at most FUNCTION_LIMIT (60) logic lines, from its ``def`` line to
  its last line (decorators aside). A nested function counts in its own right and in the function
  around it. Functions are named by their qualified name: ``Class.method``, ``outer.inner``.

tools/size-exceptions.toml lists the modules and functions over a limit, each with the size it may
not pass and a reason. The check fails when something not listed is over its limit, when a listed
one has grown past its recorded size, or when a listed one is gone or within its limit (run
``make lint-baseline`` to drop it). ``python -m tools.check_sizes --write`` (part of
``make lint-baseline``) lists today's, keeping the reasons already written ("TODO: reason" for new
ones).
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
import tokenize
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = ROOT / "tools" / "size-exceptions.toml"
MODULE_LIMIT = 400
FUNCTION_LIMIT = 60
TODO = "TODO: reason"
NOT_CODE = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Size:
    kind: str  # "module" or "function"
    path: str
    name: str  # "" for a module
    lines: int

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.path, self.name)

    @property
    def limit(self) -> int:
        return MODULE_LIMIT if self.kind == "module" else FUNCTION_LIMIT

    def __str__(self) -> str:
        return f"{self.path}: {self.name}" if self.name else self.path


def docstring_rows(tree: ast.Module) -> set[int]:
    rows: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                rows.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return rows


def logic_rows(source: str, tree: ast.Module) -> set[int]:
    """The rows (1-based) that are logic lines."""
    rows: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in NOT_CODE:
            rows.update(range(token.start[0], token.end[0] + 1))
    return rows - docstring_rows(tree)


def functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, FunctionNode]]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield prefix + node.name, node
            yield from functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from functions(node, f"{prefix}{node.name}.")
        else:
            yield from functions(node, prefix)


def measure_source(path: str, source: str) -> list[Size]:
    tree = ast.parse(source)
    rows = logic_rows(source, tree)
    sizes = [Size("module", path, "", len(rows))]
    for name, node in functions(tree):
        span = range(node.lineno, (node.end_lineno or node.lineno) + 1)
        sizes.append(Size("function", path, name, sum(1 for row in span if row in rows)))
    return sizes


def modules(root: Path = ROOT) -> Iterator[Path]:
    for path in sorted((root / "joinedup").rglob("*.py")):
        if "migrations" not in path.relative_to(root).parts:
            yield path


def over_limits(root: Path = ROOT) -> list[Size]:
    found = []
    for path in modules(root):
        relative = path.relative_to(root).as_posix()
        found += [size for size in measure_source(relative, path.read_text()) if size.lines > size.limit]
    return found


def read_exceptions(path: Path = EXCEPTIONS) -> dict[tuple[str, str, str], dict[str, object]]:
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text())
    listed = {}
    for kind in ("module", "function"):
        for item in data.get(kind, []):
            listed[(kind, str(item["path"]), str(item.get("name", "")))] = item
    return listed


def problems(found: Iterable[Size], listed: dict[tuple[str, str, str], dict[str, object]]) -> list[str]:
    out = []
    seen = set()
    for size in found:
        seen.add(size.key)
        item = listed.get(size.key)
        if item is None:
            out.append(f"{size}: {size.lines} logic lines, over the {size.kind} limit of {size.limit}")
        elif size.lines > int(str(item["lines"])):
            out.append(f"{size}: {size.lines} logic lines, more than its recorded {item['lines']}")
        elif not str(item.get("reason", "")).strip():
            out.append(f"{size}: listed with no reason")
    for key in sorted(set(listed) - seen):
        kind, path, name = key
        label = f"{path}: {name}" if name else path
        out.append(f"{label}: listed in {EXCEPTIONS.name} but gone or within the limit (run make lint-baseline)")
    return out


def reason_for(size: Size, listed: dict[tuple[str, str, str], dict[str, object]]) -> str:
    """The reason already written for it: same path and name, else (moved) the same name or file name."""
    if size.key in listed:
        return str(listed[size.key].get("reason", TODO))
    for (kind, path, name), item in listed.items():
        if kind != size.kind:
            continue
        same = name == size.name if size.kind == "function" else Path(path).name == Path(size.path).name
        if same and str(item.get("reason", TODO)) != TODO:
            return str(item["reason"])
    return TODO


def toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(found: list[Size], path: Path = EXCEPTIONS) -> None:
    listed = read_exceptions(path)
    lines = [
        f"# Modules over {MODULE_LIMIT} logic lines and functions over {FUNCTION_LIMIT} (tools/check_sizes.py says",
        "# what counts), written by `make lint-baseline`, which keeps the reasons. None may be added; none may",
        "# grow past its `lines`. Give each a reason in place of 'TODO: reason'.",
    ]
    for size in sorted(found, key=lambda s: (s.kind != "module", s.path, s.name)):
        lines += ["", f"[[{size.kind}]]", f"path = {toml_string(size.path)}"]
        if size.name:
            lines.append(f"name = {toml_string(size.name)}")
        lines += [f"lines = {size.lines}", f"reason = {toml_string(reason_for(size, listed))}"]
    path.write_text("\n".join(lines) + "\n")
    modules_count = sum(1 for s in found if s.kind == "module")
    print(f"{path.name}: {modules_count} modules, {len(found) - modules_count} functions")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="list today's modules and functions over a limit")
    args = parser.parse_args()
    found = over_limits()
    if args.write:
        write(found)
        return 0
    out = problems(found, read_exceptions())
    for line in out:
        print(line)
    print(f"Sizes: {len(found)} over a limit, all listed" if not out else f"Sizes: {len(out)} problems")
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())
