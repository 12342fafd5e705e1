"""`schema-outdated`: a committed copy of the JSON Schema that is not the installed one warns,
in `archplugin check` and in the build, with the command that regenerates it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sites import ARCHITECTURE, build_site, make_site

from mkdocs_archplugin.architecture.model import architecture_json_schema, architecture_json_schema_text
from mkdocs_archplugin.cli import main

MODELINE = "# yaml-language-server: $schema=./architecture.schema.json\n"


def _outdated() -> str:
    """A copy from an older release: a key it does not know yet."""
    schema = architecture_json_schema()
    del schema["properties"]["risks"]
    return json.dumps(schema, indent=2) + "\n"


def _check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """`check` from the site's folder, as the repository root: paths print relative to it."""
    here = os.getcwd()
    os.chdir(root)
    try:
        status = main(["check", "-f", str(root / "mkdocs.yml"), "--format", "text"])
    finally:
        os.chdir(here)
    return status, [line for line in capsys.readouterr().out.splitlines() if "schema-outdated" in line]


def test_an_outdated_copy_named_by_the_modeline_warns_at_the_modeline(tmp_path: Path, capsys) -> None:
    make_site(tmp_path, architecture=MODELINE + ARCHITECTURE)
    (tmp_path / "architecture.schema.json").write_text(_outdated(), encoding="utf-8")
    status, lines = _check(tmp_path, capsys)
    assert status == 1
    assert lines == [
        "WARN  architecture.yml:1:33: schema-outdated: architecture.schema.json is not the schema archplugin "
        "0.1.0 installs: the editor checks architecture.yml against an outdated schema (hint: run "
        "`archplugin schema > architecture.schema.json` and commit it)"
    ]


def test_a_current_copy_passes_whatever_its_formatting(tmp_path: Path, capsys) -> None:
    make_site(tmp_path, architecture=MODELINE + ARCHITECTURE)
    (tmp_path / "architecture.schema.json").write_text(json.dumps(architecture_json_schema(), indent=4), encoding="utf-8")
    assert _check(tmp_path, capsys) == (0, [])


def test_an_outdated_copy_beside_mkdocs_yml_warns_without_a_modeline(tmp_path: Path, capsys) -> None:
    make_site(tmp_path)
    (tmp_path / "architecture.schema.json").write_text("{not json", encoding="utf-8")
    status, lines = _check(tmp_path, capsys)
    assert status == 1 and len(lines) == 1
    assert lines[0].startswith("WARN  architecture.schema.json: schema-outdated: architecture.schema.json is not valid JSON")


def test_a_shard_names_the_shard_schema_and_the_hint_says_shard(tmp_path: Path, capsys) -> None:
    make_site(tmp_path, architecture=None, plugin={"decisions": "architecture"})
    folder = tmp_path / "architecture"
    folder.mkdir()
    head, _, decisions = ARCHITECTURE.partition("decisions:\n")
    (folder / "main.yml").write_text(head, encoding="utf-8")
    (folder / "decisions.yml").write_text(
        "# yaml-language-server: $schema=../architecture-shard.schema.json\ndecisions:\n" + decisions, encoding="utf-8")
    (tmp_path / "architecture-shard.schema.json").write_text(architecture_json_schema_text(shard=True), encoding="utf-8")
    assert _check(tmp_path, capsys) == (0, [])
    # The file schema where the shard schema belongs is outdated for the shard.
    (tmp_path / "architecture-shard.schema.json").write_text(architecture_json_schema_text(), encoding="utf-8")
    status, lines = _check(tmp_path, capsys)
    assert status == 1 and len(lines) == 1
    assert lines[0].startswith("WARN  architecture/decisions.yml:1:33: schema-outdated: ")
    assert "`archplugin schema --shard > architecture-shard.schema.json`" in lines[0]


def test_the_severity_is_configurable(tmp_path: Path, capsys) -> None:
    make_site(tmp_path, architecture=MODELINE + ARCHITECTURE, plugin={"checks": {"schema-outdated": "ignore"}})
    (tmp_path / "architecture.schema.json").write_text(_outdated(), encoding="utf-8")
    assert _check(tmp_path, capsys) == (0, [])


@pytest.mark.parametrize("target", ["../outside.schema.json", "https://example.com/architecture.schema.json",
                                    "missing.schema.json", "/etc/passwd", "link.schema.json", "a" * 5000,
                                    "a/" * 3000, "x\0y"], ids=["outside", "url", "missing", "absolute", "link",
                                                               "name-too-long", "path-too-long", "nul"])
def test_copies_outside_the_site_urls_and_missing_files_are_not_read(target: str, tmp_path: Path, capsys) -> None:
    root = tmp_path / "site"
    make_site(root, architecture=f"# yaml-language-server: $schema={target}\n" + ARCHITECTURE)
    (tmp_path / "outside.schema.json").write_text(_outdated(), encoding="utf-8")
    os.symlink(tmp_path / "outside.schema.json", root / "link.schema.json")
    status, lines = _check(root, capsys)
    if target == "link.schema.json":  # a link out of the folder: the safe reader's message
        assert status == 1 and "link.schema.json is a link to a file outside its folder" in lines[0]
    else:  # (a NUL byte makes architecture.yml itself invalid YAML: that is the loader's report)
        assert lines == [] and (status == 0 or "\0" in target)


def test_the_build_warns_and_fails_strict(tmp_path: Path) -> None:
    site = make_site(tmp_path, architecture=MODELINE + ARCHITECTURE)
    (tmp_path / "architecture.schema.json").write_text(_outdated(), encoding="utf-8")
    assert not build_site(site)
    assert [w for w in site.warnings() if "schema-outdated" in w] == [
        "architecture.yml:1:33: schema-outdated: architecture.schema.json is not the schema archplugin 0.1.0 "
        "installs: the editor checks architecture.yml against an outdated schema (hint: run "
        "`archplugin schema > architecture.schema.json` and commit it)"
    ]
