"""The lint tools' own rules: what the size checker counts, and how each baseline is compared."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tools import check_complexity, check_mypy, check_sizes

SOURCE = '''"""Module docstring,
over two lines."""

# A comment line.
import os


class Thing:
    """Class docstring."""

    def method(self):
        """Method docstring."""
        value = os.path.join(  # a comment after code counts as code
            "a",
            "b",
        )

        def inner():
            return 1

        return value, inner()


def text():
    return """a string
that is not a docstring"""
'''


def sizes(source=SOURCE):
    return {size.name: size.lines for size in check_sizes.measure_source("m.py", source)}


def test_logic_lines_leave_out_blank_lines_comments_and_docstrings():
    counted = sizes()
    # import, class, def method, 4 lines of the call, def inner, return 1, return value, def text, 2 string lines
    assert counted[""] == 13
    assert counted["Thing.method"] == 8
    assert counted["Thing.method.inner"] == 2
    assert counted["text"] == 3


def test_a_function_over_the_limit_is_found_by_its_qualified_name():
    body = "".join(f"    x{i} = {i}\n" for i in range(check_sizes.FUNCTION_LIMIT))
    source = f"class A:\n    def long(self):\n{body.replace('    ', '        ')}"
    over = [s for s in check_sizes.measure_source("m.py", source) if s.lines > s.limit]
    assert [(s.kind, s.name, s.lines) for s in over] == [("function", "A.long", check_sizes.FUNCTION_LIMIT + 1)]


def test_size_problems_new_grown_stale_and_reasons_kept(tmp_path: Path):
    module = check_sizes.Size("module", "joinedup/a.py", "", 450)
    function = check_sizes.Size("function", "joinedup/a.py", "f", 70)
    exceptions = tmp_path / "size-exceptions.toml"

    assert len(check_sizes.problems([module, function], {})) == 2  # neither listed

    check_sizes.write([module, function], exceptions)
    listed = check_sizes.read_exceptions(exceptions)
    assert check_sizes.problems([module, function], listed) == []
    assert {str(item["reason"]) for item in listed.values()} == {check_sizes.TODO}

    grown = check_sizes.Size("function", "joinedup/a.py", "f", 71)
    assert check_sizes.problems([module, grown], listed) == [
        "joinedup/a.py: f: 71 logic lines, more than its recorded 70"
    ]
    assert "gone or within the limit" in check_sizes.problems([module], listed)[0]

    exceptions.write_text(
        exceptions.read_text().replace(f'reason = "{check_sizes.TODO}"', 'reason = "Generated tables"', 1)
    )
    moved = check_sizes.Size("module", "joinedup/b/a.py", "", 450)  # same file name, new folder
    check_sizes.write([moved, function], exceptions)
    reasons = {key: str(item["reason"]) for key, item in check_sizes.read_exceptions(exceptions).items()}
    assert reasons[("module", "joinedup/b/a.py", "")] == "Generated tables"
    assert reasons[("function", "joinedup/a.py", "f")] == check_sizes.TODO


def test_the_real_tree_is_within_its_size_exceptions():
    assert check_sizes.problems(check_sizes.over_limits(), check_sizes.read_exceptions()) == []


def test_complexity_problems_new_grown_and_stale(monkeypatch):
    monkeypatch.setattr(check_complexity, "ignored_files", lambda: {"a.py"})
    listed = {("a.py", "f"): [12]}
    assert check_complexity.problems({("a.py", "f"): [12]}, listed) == []
    assert "more than its recorded 12" in check_complexity.problems({("a.py", "f"): [13]}, listed)[0]
    new = check_complexity.problems({("a.py", "f"): [12], ("a.py", "g"): [11]}, listed)
    assert new == ["a.py: `g` has complexity 11 > 10 and is not a listed exception"]
    assert "no longer over the limit" in check_complexity.problems({}, listed)[0]


def test_mypy_problems_more_new_and_fewer_errors():
    baseline = {"a.py": 2}
    assert check_mypy.problems(Counter({"a.py": 2}), baseline) == []
    assert check_mypy.problems(Counter({"a.py": 3}), baseline) == ["a.py: 3 mypy errors, baseline 2"]
    assert check_mypy.problems(Counter({"a.py": 2, "new.py": 1}), baseline) == ["new.py: 1 mypy errors"]
    assert "fewer than the baseline" in check_mypy.problems(Counter({"a.py": 1}), baseline)[0]
