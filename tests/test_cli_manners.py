"""How `archplugin` behaves in a shell: `-q`, `-v`, and a reader that closes the pipe early."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sites import make_site
from test_report_formats import MIXED


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs_archplugin", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"})


def test_quiet_check_prints_only_what_fails(tmp_path: Path) -> None:
    site = make_site(tmp_path, architecture=MIXED)
    result = _run("check", "-q", cwd=site.root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["ERROR", "WARN"], result.stdout
    github = _run("check", "-q", "--format", "github", cwd=site.root).stdout.splitlines()
    assert [line.split()[0] for line in github] == ["::error", "::warning"]


def test_verbose_check_names_each_input_and_what_checks_ignored(tmp_path: Path) -> None:
    site = make_site(tmp_path, architecture=MIXED, plugin={"checks": {"dependency-cycle": "ignore"}})
    result = _run("check", "-v", cwd=site.root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[:2] == ["read docs/prd.md: 4 requirement(s), 2 FR, 2 NFR", "read architecture.yml"]
    assert "1 diagnostic(s) not shown: set to `ignore` under `checks:`" in lines
    assert "dependency-cycle" not in result.stdout and lines[-1].endswith("2 problems.")


def test_quiet_and_verbose_leave_machine_formats_whole(tmp_path: Path) -> None:
    site = make_site(tmp_path, architecture=MIXED)
    for fmt in ("json", "sarif", "gitlab"):
        plain = _run("check", "--format", fmt, cwd=site.root).stdout
        assert _run("check", "-q", "--format", fmt, cwd=site.root).stdout == plain, fmt
        assert _run("check", "-v", "--format", fmt, cwd=site.root).stdout == plain, fmt


def test_quiet_drops_the_status_lines(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    scaffold = _run("scaffold", "-q", "docs/prd.md", "-o", "draft.yml", cwd=site.root)
    assert scaffold.returncode == 0 and scaffold.stdout == "" and (site.root / "draft.yml").is_file()
    export = _run("export", "-q", "--json", "t.json", cwd=site.root)
    assert export.returncode == 0 and export.stderr == "" and (site.root / "t.json").is_file()
    requirements = _run("requirements", "-q", "docs/prd.md", cwd=site.root)
    assert len(requirements.stdout.splitlines()) == 5 and "functional" not in requirements.stdout


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """`archplugin requirements big.md | head -1`: far more than a pipe buffer, then a closed pipe."""
    big = tmp_path / "big.md"
    big.write_text("# PRD\n\n## Functional requirements\n\n"
                   + "".join(f"- **FR-{i}:** Thing number {i} works as described.\n" for i in range(1, 5001)),
                   encoding="utf-8")
    for command in ("requirements big.md", "requirements --json big.md"):
        result = subprocess.run(["bash", "-c", f"set -o pipefail; '{sys.executable}' -m mkdocs_archplugin {command}"
                                 " | head -1"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stderr == "" and len(result.stdout.splitlines()) == 1, result.stderr


def test_mkdocs_quiet_strict_passes_despite_warnings_as_the_docs_warn(tmp_path: Path) -> None:
    """docs/command-line.md warns that MkDocs 1.6's `-q` drops warnings before `--strict` counts
    them (mkdocs/mkdocs#4126); when MkDocs fixes it, this fails and the warning goes."""
    from sites import ARCHITECTURE

    site = make_site(tmp_path, architecture=ARCHITECTURE.replace("requirements: [NFR-2]", "requirements: [FR-1]"))
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}
    loud = subprocess.run(mkdocs, cwd=site.root, capture_output=True, text=True, timeout=120, env=env)
    assert loud.returncode == 1 and "nfr-without-decision" in loud.stderr
    quiet = subprocess.run([*mkdocs, "-q"], cwd=site.root, capture_output=True, text=True, timeout=120, env=env)
    assert quiet.returncode == 0 and quiet.stderr == ""
