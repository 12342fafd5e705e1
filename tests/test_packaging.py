"""The built wheel, as a PyPI user gets it: license, typing marker, metadata, templates and schemas."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_the_wheel_carries_what_a_user_needs(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("mkdocs_archplugin-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "mkdocs_archplugin/py.typed" in names
    assert any(name.endswith("licenses/LICENSE") for name in names)
    assert {"mkdocs_archplugin/render/templates/index.md.j2", "mkdocs_archplugin/render/templates/problem.md.j2",
            "mkdocs_archplugin/architecture/architecture.schema.json",
            "mkdocs_archplugin/architecture/architecture-shard.schema.json",
            "mkdocs_archplugin/exports/traceability.schema.json",
            "mkdocs_archplugin/render/compiled/__init__.py", "mkdocs_archplugin/render/compiled/index_md.py"} <= names
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    for line in ("License-Expression: MIT", "Classifier: Framework :: MkDocs", "Classifier: Typing :: Typed",
                 "Requires-Dist: pydantic>=2.7", "Requires-Python: >=3.10",
                 "Project-URL: Documentation, https://mkdocs-archplugin.readthedocs.io/"):
        assert line in metadata, line
    # The long description speaks to a user: how to install and configure it, with a picture
    # PyPI can show (an absolute URL), not the contributors' two commands.
    description = metadata.split("\n\n", 1)[1]
    assert "pip install mkdocs-archplugin" in description and "- archplugin:" in description
    assert "![The generated System Architecture Document](https://" in description
    assert "pip install -e" not in description


@pytest.mark.slow
def test_the_sdist_ships_no_half_test_suite(tmp_path: Path) -> None:
    # PyPA's `build`, in an isolated environment with the build-system's own setuptools.
    result = subprocess.run([sys.executable, "-m", "build", "--sdist", "-o", str(tmp_path), str(ROOT)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    (sdist,) = tmp_path.glob("mkdocs_archplugin-*.tar.gz")
    names = [name.split("/", 1)[1] for name in tarfile.open(sdist).getnames() if "/" in name]
    assert {"LICENSE", "README.pypi.md", "CHANGELOG.md", "pyproject.toml"} <= set(names)
    assert not [name for name in names if name.startswith(("tests/", "bench/", "example_site/"))]


def test_check_defaults_to_github_annotations_on_github_actions(tmp_path: Path, monkeypatch) -> None:
    from sites import make_site

    site = make_site(tmp_path, architecture="components: []\n")
    env = {"GITHUB_ACTIONS": "true", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "mkdocs_archplugin", "check"], cwd=site.root, capture_output=True,
                            text=True, timeout=60, env=env)
    assert result.stdout.startswith("::warning file="), result.stdout


def test_github_annotations_name_files_from_the_repository_root(tmp_path: Path) -> None:
    """With `docs_dir: content` in a sub-folder of the repository, the path is
    `handbook/content/prd.md`, not `prd.md` (the runner matches paths from the root)."""
    import yaml

    from sites import make_site

    site = make_site(tmp_path / "handbook", architecture="components: []\n")
    (site.root / "docs").rename(site.root / "content")
    config = yaml.safe_load((site.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = "content"
    (site.root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "mkdocs_archplugin", "check", "-f", "handbook/mkdocs.yml"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env)
    files = {line.split("file=", 1)[1].split(",", 1)[0] for line in result.stdout.splitlines() if "file=" in line}
    assert "handbook/content/prd.md" in files, result.stdout
