"""`archplugin requirements`: the parser's view, as a table or JSON; bad input exits 2 in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mkdocs_archplugin.cli import main

PRD = "## Functional requirements\n- **FR-1:** Users sign in within 2 seconds\n## Non-functional requirements\n- NFR-1 (Security): TLS 1.3 only\n"


def test_json_lists_requirements_with_every_field(tmp_path: Path, capsys) -> None:
    (tmp_path / "prd.md").write_text(PRD, encoding="utf-8")
    assert main(["requirements", str(tmp_path / "prd.md"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    first, second = data["requirements"]
    assert first["id"] == "FR-1" and first["kind"] == "functional"
    assert first["targets"] == ["within 2 seconds"] and first["source"]["line"] == 2
    assert second["kind"] == "non-functional" and second["category"] == "Security"
    assert set(first) >= {"id", "kind", "title", "text", "category", "priority", "targets", "acceptance", "parent", "source"}
    assert data["diagnostics"] == []


def test_table_output_counts_requirements(tmp_path: Path, capsys) -> None:
    (tmp_path / "prd.md").write_text(PRD, encoding="utf-8")
    assert main(["requirements", str(tmp_path / "prd.md")]) == 0
    out = capsys.readouterr().out
    assert "FR-1" in out and "1 functional, 1 non-functional" in out


def test_folder_of_shards(tmp_path: Path, capsys) -> None:
    (tmp_path / "prd").mkdir()
    (tmp_path / "prd" / "index.md").write_text("# PRD\n", encoding="utf-8")
    (tmp_path / "prd" / "b.md").write_text("## Requirements\n- FR-2: b\n", encoding="utf-8")
    (tmp_path / "prd" / "a.md").write_text("## Requirements\n- FR-1: a\n", encoding="utf-8")
    assert main(["requirements", str(tmp_path / "prd"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in data["requirements"]] == ["FR-1", "FR-2"]
    assert [Path(f).name for f in data["files"]] == ["index.md", "a.md", "b.md"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs_archplugin", *args], capture_output=True, text=True)


def test_missing_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = _run("requirements", str(tmp_path / "nope.md"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "not found" in result.stderr and "Traceback" not in result.stderr


def test_undecodable_bytes_name_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "prd.md").write_bytes(b"# ok\n\n\xff\xfe bad\n")
    result = _run("requirements", str(tmp_path / "prd.md"))
    assert result.returncode == 2
    assert "prd.md:3: the PRD is not valid UTF-8" in result.stderr and result.stderr.count("\n") == 1


def test_folder_without_markdown(tmp_path: Path) -> None:
    result = _run("requirements", str(tmp_path))
    assert result.returncode == 2 and "no Markdown files" in result.stderr


def test_crlf_and_bom_are_normal_input(tmp_path: Path, capsys) -> None:
    (tmp_path / "prd.md").write_bytes(("\ufeff" + PRD).replace("\n", "\r\n").encode("utf-8"))
    assert main(["requirements", str(tmp_path / "prd.md"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in data["requirements"]] == ["FR-1", "NFR-1"]
    assert data["requirements"][0]["title"] == "Users sign in within 2 seconds"
