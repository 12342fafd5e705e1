"""The declared lower bounds work: every `>=X` of pyproject.toml's `dependencies` installed as
`==X` in a venv of its own (made once under the test cache), then the example site built with
`--strict`, `archplugin check`, `archplugin schema` with its field descriptions, and the PRD tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import ROOT

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

pytestmark = pytest.mark.slow
EXAMPLE = ROOT / "example_site" / "mkdocs.yml"


def dependency_floors() -> list[str]:
    """`name==X` for every `name>=X` of the runtime dependencies."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    floors = []
    for line in project["dependencies"]:
        requirement = Requirement(line)
        lowest = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        assert len(lowest) == 1, f"{line}: declare one tested lower bound (>=X)"
        floors.append(f"{requirement.name}=={lowest[0]}")
    return floors


@pytest.fixture(scope="module")
def floor_venv(test_cache: Path) -> Path:
    from test_compat import cell_venv

    # Material for the example site, pytest for the PRD tests: test tools, not floors.
    venv = cell_venv(test_cache, "floors", sys.executable,
                     [*dependency_floors(), "mkdocs-material", "pytest", "hypothesis"])
    installed = {canonicalize_name(name): Version(version) for name, _, version in
                 (line.partition("==") for line in (venv / "ready").read_text(encoding="utf-8").splitlines())
                 if version and not name.startswith(("#", "-"))}
    for floor in map(Requirement, dependency_floors()):
        (pin,) = floor.specifier
        assert installed.get(canonicalize_name(floor.name)) == Version(pin.version), f"{floor} not kept"
    return venv


def _run(venv: Path, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv / "bin" / args[0]), *args[1:]], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"})


def test_the_floors_are_exact_lower_bounds() -> None:
    assert "pydantic==2.7" in dependency_floors()


def test_the_example_site_builds_strict_at_the_floors(floor_venv: Path, tmp_path: Path) -> None:
    result = _run(floor_venv, "mkdocs", "build", "--strict", "-f", str(EXAMPLE), "-d", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "architecture" / "index.html").is_file()


def test_check_passes_the_example_site_at_the_floors(floor_venv: Path) -> None:
    result = _run(floor_venv, "archplugin", "check", "-f", str(EXAMPLE))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_keeps_its_field_descriptions_at_the_floors(floor_venv: Path) -> None:
    result = _run(floor_venv, "archplugin", "schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    current = json.loads(subprocess.run([sys.executable, "-m", "mkdocs_archplugin", "schema"], capture_output=True,
                                        text=True, check=True).stdout)
    assert schema == current


def test_the_prd_tests_pass_at_the_floors(floor_venv: Path) -> None:
    result = _run(floor_venv, "python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                  "tests/test_prd_cases.py", "tests/test_prd_options.py", "tests/test_architecture_load.py")
    assert result.returncode == 0, result.stdout[-3000:]
