"""The import contracts (.importlinter) hold on the real tree, and break on a deliberate bad import.

The bad imports are written into a copy of joinedup/ (Python files only) in a temporary folder, with
the real .importlinter beside it, so the real tree is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(where), "COLUMNS": "200"}
    return subprocess.run(  # noqa: S603
        [LINT_IMPORTS, "--no-cache"], cwd=where, env=env, capture_output=True, text=True, check=False
    )


def domain_app_with_models() -> str:
    """A joinedup app other than core that has a models module (or package) today."""
    apps = sorted(p.parent.name for p in (ROOT / "joinedup").glob("*/models.py")) + sorted(
        p.parent.parent.name for p in (ROOT / "joinedup").glob("*/models/__init__.py")
    )
    return next(app for app in apps if app != "core")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    def not_python(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if n == "__pycache__" or (Path(folder, n).is_file() and not n.endswith(".py"))]

    shutil.copytree(ROOT / "joinedup", tmp_path / "joinedup", ignore=not_python)
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def test_the_real_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_from_core_breaks_the_contracts(tree):
    app = domain_app_with_models()
    (tree / "joinedup" / "core" / "_upward_probe.py").write_text(f"import joinedup.{app}.models\n")

    result = lint_imports(tree)

    assert result.returncode == 1, result.stdout
    assert f"joinedup.core._upward_probe -> joinedup.{app}.models" in result.stdout
    assert "1. joinedup.core (the shared kernel) imports no other joinedup app" in result.stdout
    assert "Contracts: 0 kept, 3 broken." in result.stdout


def test_an_app_importing_another_apps_models_breaks_the_models_contract(tree):
    app = domain_app_with_models()
    exempt = (app, "core", "demo", "testkit")  # demo and testkit may use any app's models
    other = next(
        p.parent.name for p in sorted((tree / "joinedup").glob("*/__init__.py")) if p.parent.name not in exempt
    )
    (tree / "joinedup" / other / "_models_probe.py").write_text(f"from joinedup.{app} import models\n")

    result = lint_imports(tree)

    assert result.returncode == 1, result.stdout
    assert f"joinedup.{other}._models_probe -> joinedup.{app}.models" in result.stdout
    assert "2. No app imports another app's models" in result.stdout


def test_an_exception_no_longer_needed_fails(tree):
    config = tree / ".importlinter"
    stale = "    joinedup.core.apps -> joinedup.audit.models\n"
    text = config.read_text()
    config.write_text(
        text.replace("    # END generated: core-imports-no-app\n", stale + "    # END generated: core-imports-no-app\n")
    )

    result = lint_imports(tree)

    assert result.returncode != 0
    assert "joinedup.core.apps -> joinedup.audit.models" in result.stdout + result.stderr
