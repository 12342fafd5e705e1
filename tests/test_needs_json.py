"""needs.json: sphinx-needs' exchange format, checked by sphinx-needs itself (`needimport`)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from sites import build_site, make_site

from mkdocs_archplugin.exports import export_needs_json, needs_document
from mkdocs_archplugin.exports.needs_json import NEED_TYPES, need_id, rst_text
from mkdocs_archplugin.project import ArchProject, ProjectConfig

EXAMPLE = ROOT / "example_site"
#: Text that is markup in reStructuredText (Markdown-escaped in the PRD, so the parser keeps
#: it): each must render as written after needimport.
TRICKY = "Admins see *all* jobs | word_ and `code` end:: <script>alert(1)</script>"
TRICKY_PRD = r"""# Tricky PRD

## Functional requirements

- **FR-1:** Customers sign in.

### FR-2: Tricky text

Admins see \*all\* jobs | word_ and \`code\` end:: &lt;script&gt;alert(1)&lt;/script&gt;

### FR-3: A directive

.. raw:: html

## Non-functional requirements

- **NFR-1:** Search answers in < 200 ms p95.
- **NFR-2:** Passwords are hashed with Argon2id.
"""


def example_config() -> ProjectConfig:
    return ProjectConfig(prd=EXAMPLE / "docs" / "prd.md", decisions=EXAMPLE / "architecture.yml",
                         docs_dir=EXAMPLE / "docs", config_dir=EXAMPLE)


@pytest.fixture(scope="module")
def example() -> dict:
    return needs_document(ArchProject().analyse(example_config()))


def needs_of(document: dict) -> dict[str, dict]:
    return document["versions"][document["current_version"]]["needs"]


def test_envelope_is_sphinx_needs_with_the_date_of_architecture_yml(example: dict) -> None:
    assert example["created"] == "2025-08-18" and example["current_version"] == "1.0"
    assert example["project"] == "Crewline"
    version = example["versions"]["1.0"]
    assert version["needs_amount"] == len(version["needs"]) > 100
    assert version["creator"]["program"] == "mkdocs-archplugin"


def test_without_a_date_no_created_key(tmp_path: Path) -> None:
    site = make_site(tmp_path)  # its architecture.yml has no date
    config = ProjectConfig(prd=site.docs / "prd.md", decisions=site.root / "architecture.yml",
                           docs_dir=site.docs, config_dir=site.root)
    document = needs_document(ArchProject().analyse(config))
    assert "created" not in document and "created" not in document["versions"]["1.0"]


def test_ids_fit_the_default_id_regex_and_keep_the_original(example: dict) -> None:
    needs = needs_of(example)
    assert all(re.fullmatch(r"[A-Z0-9_]{5,}", key) and need["id"] == key for key, need in needs.items())
    assert needs["REQ_FR1"]["archplugin_id"] == "FR1" and needs["REQ_FR1"]["type"] == "req"
    assert needs["REQ_NFR5"]["type"] == "nfreq"
    assert {need["type"] for need in needs.values()} <= set(NEED_TYPES)
    assert {"req", "nfreq", "comp", "adr", "entity", "endpoint", "tech"} <= {n["type"] for n in needs.values()}


def test_need_ids_from_input_ids() -> None:
    assert need_id("FR-1.2", "REQ") == "REQ_FR_1_2"
    assert need_id("GET /jobs/{id}", "API") == "API_GET_JOBS_ID"
    assert need_id("Zürich ✓", "TECH") == "TECH_ZURICH"
    assert re.fullmatch(r"TECH_X[0-9A-F]{8}", need_id("数据库", "TECH"))


def test_ids_alike_after_mapping_get_a_suffix(tmp_path: Path) -> None:
    prd = "# P\n\n## Functional requirements\n\n- **FR-1.2:** One.\n- **FR-1-2:** Two.\n"
    (tmp_path / "prd.md").write_text(prd, encoding="utf-8")
    config = ProjectConfig(prd=tmp_path / "prd.md", decisions=tmp_path / "none.yml", docs_dir=tmp_path,
                           config_dir=tmp_path)
    needs = needs_of(needs_document(ArchProject().analyse(config)))
    assert [(n["id"], n["archplugin_id"]) for n in needs.values()] == [("REQ_FR_1_2", "FR-1.2"), ("REQ_FR_1_2_2", "FR-1-2")]


def test_links_name_requirements_components_and_decisions(example: dict) -> None:
    needs = needs_of(example)
    sync = needs["COMP_SYNC"]
    assert "REQ_FR9" in sync["links"] and sync["depends_on"] == ["COMP_SCHEDULING", "COMP_AUDIT_LOG"]
    assert all(target in needs for need in needs.values()
               for link_type in ("links", "depends_on", "supersedes") for target in need[link_type])
    assert any(need["supersedes"] for need in needs.values() if need["type"] == "adr")


def test_status_says_covered_or_gap_and_the_decision_status(example: dict) -> None:
    needs = needs_of(example)
    assert {n["status"] for n in needs.values() if n["type"] in ("req", "nfreq")} <= {"covered", "gap"}
    assert {n["status"] for n in needs.values() if n["type"] == "adr"} >= {"accepted"}


@pytest.mark.parametrize(("text", "rst"), [
    ("a *b* `c` | d", r"a \*b\* \`c\` \| d"),
    ("word_ and snake_case and _x", r"word\_ and snake_case and \_x"),
    ("end::", r"end\:\:"),
    (".. raw:: html", r"\.. raw\:\: html"),
    ("1. first", r"\1. first"),
    ("- item", r"\- item"),
    ("one\n\n  two\nlines", "one\n\ntwo lines"),
    ("back\\slash", r"back\\slash"),
])
def test_rst_text_escapes_markup(text: str, rst: str) -> None:
    assert rst_text(text) == rst


def test_export_is_deterministic_text(example: dict) -> None:
    first = export_needs_json(ArchProject().analyse(example_config()))
    assert first == export_needs_json(ArchProject().analyse(example_config()))
    assert json.loads(first) == example
    assert first.endswith("}\n") and first.count("\n") == len(needs_of(example)) + 2


def test_plugin_writes_needs_json_with_the_option(tmp_path: Path) -> None:
    site = make_site(tmp_path, plugin={"exports": ["needs"]})
    assert build_site(site)
    assert not (site.site_dir / "architecture" / "traceability.json").exists()
    document = json.loads(site.html("architecture/needs.json"))
    assert "REQ_FR_1" in needs_of(document)
    result = subprocess.run([sys.executable, "-m", "mkdocs_archplugin", "export", "--needs-json", "n.json"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "n.json").read_bytes() == (site.site_dir / "architecture" / "needs.json").read_bytes()


# ---- sphinx-needs reads it --------------------------------------------------------------------


def sphinx_conf() -> str:
    """The conf.py of docs/exports.md, so the documented setup is the tested one."""
    text = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    match = re.search(r"```python\n(# conf\.py.*?)```", text, re.DOTALL)
    assert match, "docs/exports.md lost its conf.py example"
    return match.group(1)


def sphinx_build(venv: Path, source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`sphinx-build -W` (every warning fails: unknown keys, bad links, markup in content)."""
    return subprocess.run([str(venv / "bin" / "sphinx-build"), "-W", "-q", "-b", "html", str(source), str(out)],
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.slow
def test_sphinx_needs_imports_every_need_and_link(tmp_path: Path, sphinx_venv: Path) -> None:
    site = make_site(tmp_path / "site", prd=TRICKY_PRD, plugin={"exports": ["needs"]})
    build_site(site, strict=False)  # FR-3 has no component: a warning, and a need with status gap
    source = tmp_path / "sphinx"
    source.mkdir()
    exported = site.site_dir / "architecture" / "needs.json"
    (source / "needs.json").write_bytes(exported.read_bytes())
    (source / "conf.py").write_text(sphinx_conf() + "needs_build_json = True\nneeds_reproducible_json = True\n",
                                    encoding="utf-8")
    (source / "index.rst").write_text("Imported\n========\n\n.. needimport:: needs.json\n\n"
                                      ".. needtable::\n   :columns: id, type, title, status, links\n", encoding="utf-8")
    check = subprocess.run([str(sphinx_venv / "bin" / "python"), "-c",
                            "import sys; from sphinx_needs.needsfile import check_needs_file; "
                            "print(len(check_needs_file(sys.argv[1]).schema))", str(exported)],
                           capture_output=True, text=True, check=True)
    assert check.stdout.strip() == "0"  # valid by sphinx-needs' own needs.json schema

    result = sphinx_build(sphinx_venv, source, tmp_path / "html")

    assert result.returncode == 0, result.stdout + result.stderr
    ours = needs_of(json.loads(exported.read_text(encoding="utf-8")))
    theirs = needs_of(json.loads((tmp_path / "html" / "needs.json").read_text(encoding="utf-8")))
    assert theirs.keys() == ours.keys()
    for key, need in ours.items():
        imported = theirs[key]
        assert (imported["type"], imported["title"], imported["status"], imported["archplugin_id"]) == (
            need["type"], need["title"], need["status"], need["archplugin_id"]), key
        for link_type in ("links", "depends_on", "supersedes"):
            assert sorted(imported[link_type]) == sorted(need[link_type]), (key, link_type)
    assert theirs["COMP_WEB"]["depends_on"] == ["COMP_API"] and "COMP_WEB" in theirs["COMP_API"]["depends_on_back"]
    assert sorted(theirs["REQ_NFR_1"]["links_back"]) == ["ADR_ADR_001"]
    html = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and TRICKY.replace("<", "&lt;").replace(">", "&gt;") in html
    assert ".. raw:: html" in html
