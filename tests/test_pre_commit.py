"""The pre-commit hooks of .pre-commit-hooks.yaml, run for real by `pre-commit try-repo`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sites import ARCHITECTURE, make_site

from conftest import ROOT

HOOKS = ROOT / ".pre-commit-hooks.yaml"
# The hook's environment holds archplugin and MkDocs only; a site using Material's extensions
# names them in `additional_dependencies` (docs/command-line.md#pre-commit).
PLAIN = {"markdown_extensions": ["admonition", "tables"]}
# Fixed identity and dates: the same tree gives the same commit.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.invalid", "GIT_AUTHOR_DATE": "2000-01-01T00:00:00Z",
    "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_DATE": "2000-01-01T00:00:00Z", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, env={**os.environ, **GIT_ENV},
                   timeout=120)


def _committed(folder: Path) -> Path:
    _git(folder, "init", "-q", "-b", "main")
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", "snapshot")
    return folder


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree as it is, uncommitted changes included, committed into a repository of
    its own: try-repo installs the hooks from a commit."""
    if shutil.which("git") is None:
        pytest.skip("git is needed for pre-commit")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, timeout=60)
    if listed.returncode != 0:
        pytest.skip(f"{ROOT} is not a git checkout")
    copy = tmp_path_factory.mktemp("hook-repo")
    for name in sorted(set(listed.stdout.decode().split("\0")) - {""}):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    return _committed(copy)


def _try_repo(hook_repo: Path, project: Path, hook: str = "archplugin-check") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook,
                           "--all-files"], cwd=project, capture_output=True, text=True, timeout=600, env=env)


def test_the_hooks_file_declares_archplugin_check() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    check = hooks["archplugin-check"]
    assert check["entry"] == "archplugin check" and check["language"] == "python"
    assert check["pass_filenames"] is False
    documented = (ROOT / "docs" / "command-line.md").read_text(encoding="utf-8")
    for hook_id in hooks:
        assert f"- id: {hook_id}" in documented, f"{hook_id} is not in the pre-commit section of the docs"


@pytest.mark.slow
def test_pre_commit_try_repo_passes_a_traced_site_and_fails_a_gap(hook_repo: Path, tmp_path: Path) -> None:
    passing = _committed(make_site(tmp_path / "passing", extra=PLAIN).root)
    result = _try_repo(hook_repo, passing)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "archplugin check" in result.stdout and "Passed" in result.stdout

    gap = ARCHITECTURE.replace("requirements: [NFR-2]", "requirements: [FR-1]")
    failing = _committed(make_site(tmp_path / "failing", architecture=gap, extra=PLAIN).root)
    result = _try_repo(hook_repo, failing)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout and "nfr-without-decision" in result.stdout and "NFR-2" in result.stdout


@pytest.mark.slow
def test_pre_commit_export_markdown_hook_fails_while_the_export_is_stale(hook_repo: Path, tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", extra=PLAIN, plugin={"markdown_export": "docs/architecture.md"}).root
    config = site / "mkdocs.yml"
    (site / "docs" / "architecture.md").write_text("# An old export\n", encoding="utf-8")
    result = _try_repo(hook_repo, _committed(site), "archplugin-export-markdown")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout and "stale" in result.stdout
    subprocess.run([sys.executable, "-m", "mkdocs_archplugin", "export", "--markdown", "-f", str(config)],
                   check=True, capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    _git(site, "add", "-A")
    _git(site, "commit", "-q", "-m", "export")
    result = _try_repo(hook_repo, site, "archplugin-export-markdown")
    assert result.returncode == 0, result.stdout + result.stderr
