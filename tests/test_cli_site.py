"""`archplugin check` and `export`: the same checks and exports as a build, without building."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sites import ARCHITECTURE, make_site

from mkdocs_archplugin.cli import main


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs_archplugin", *args], capture_output=True, text=True, cwd=cwd)


def test_check_passes_on_a_covered_site(tmp_path: Path) -> None:
    make_site(tmp_path)
    result = _run("check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "NFR coverage 2/2; 0 problems" in result.stdout


def test_check_exits_1_naming_the_uncovered_nfr(tmp_path: Path) -> None:
    make_site(tmp_path, architecture=ARCHITECTURE.replace("requirements: [NFR-2]", "requirements: [FR-1]"))
    result = _run("check", cwd=tmp_path)
    assert result.returncode == 1
    # The path from the repository root (here the current folder), as a terminal opens it.
    assert "WARN  docs/prd.md:" in result.stdout and "nfr-without-decision" in result.stdout and "NFR-2" in result.stdout


def test_check_github_annotations_point_at_repository_paths(tmp_path: Path) -> None:
    make_site(tmp_path, architecture=ARCHITECTURE.replace("requirements: [NFR-2]", "requirements: [FR-1]"))
    result = _run("check", "--format", "github", cwd=tmp_path)
    assert result.returncode == 1
    line = next(l for l in result.stdout.splitlines() if "nfr-without-decision" in l)
    assert line.startswith("::warning file=docs/prd.md,line=") and "NFR-2" in line


def test_check_json(tmp_path: Path, capsys, monkeypatch) -> None:
    make_site(tmp_path, architecture=ARCHITECTURE + "  - broken: [\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["failed"] is True
    assert data["diagnostics"][0]["code"] == "yaml-invalid" and data["diagnostics"][0]["file"] == "architecture.yml"


def test_check_without_the_plugin_or_config(tmp_path: Path) -> None:
    result = _run("check", "-f", "nope.yml", cwd=tmp_path)
    assert result.returncode == 2 and "nope.yml: not found" in result.stderr
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    result = _run("check", cwd=tmp_path)
    assert result.returncode == 2 and "docs_dir" in result.stderr and "Traceback" not in result.stderr
    (tmp_path / "docs").mkdir()
    result = _run("check", cwd=tmp_path)
    assert result.returncode == 2 and "not enabled" in result.stderr and "Traceback" not in result.stderr


def test_export_writes_the_same_files_as_the_build(tmp_path: Path) -> None:
    from sites import build_site

    site = make_site(tmp_path)
    assert build_site(site)
    result = _run("export", "--json", "t.json", "--graph", "g.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "t.json").read_bytes() == (site.site_dir / "architecture" / "traceability.json").read_bytes()
    assert (tmp_path / "g.jsonl").read_bytes() == (site.site_dir / "architecture" / "knowledge-graph.jsonl").read_bytes()


def test_check_without_a_prd_reports_prd_missing(tmp_path: Path) -> None:
    make_site(tmp_path, prd=None)
    result = _run("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "prd-missing: Cannot create architecture without PRD:" in result.stdout and "prd.md not found" in result.stdout
