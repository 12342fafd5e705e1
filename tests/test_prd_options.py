"""The PRD options on small fixtures: `id_patterns`, `non_functional_prefixes`, `section_words`,
read alike by the build, `archplugin requirements -f mkdocs.yml` and `--explain`."""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs_archplugin.cli import main
from mkdocs_archplugin.prd import PrdSettings, assemble_prd, parse_markdown
from mkdocs_archplugin.project import ArchProject, ProjectConfig

from sites import make_site

PRD = """# Kiosk requirements

## Requirements

- **REQ-1:** The kiosk prints a receipt.
- **REQ-2:** The kiosk takes cards.
- **QA-1:** A receipt prints within 3 s.
- **QA-2:** A card payment takes at most 5 s.
- **US-1:** As a clerk I want a daily total.
- **US-2:** As a customer I want a receipt.

## Qualities

- The kiosk restarts by itself after a crash
"""


def _ids(prd: str, settings: PrdSettings) -> list[tuple[str, str]]:
    parsed = assemble_prd([parse_markdown(prd, "prd.md", settings)])
    return [(r.id, "NFR" if r.is_nfr else "FR") for r in parsed.requirements]


def test_defaults_detect_families_and_leave_distractors_out() -> None:
    # REQ- and QA- open items in a requirements section: families; US- is a distractor.
    assert _ids(PRD, PrdSettings()) == [("REQ-1", "FR"), ("REQ-2", "FR"), ("QA-1", "FR"), ("QA-2", "FR")]


def test_non_functional_prefixes_give_a_detected_family_its_kind() -> None:
    settings = PrdSettings.from_options(non_functional_prefixes=["NFR", "QA"])
    assert _ids(PRD, settings) == [("REQ-1", "FR"), ("REQ-2", "FR"), ("QA-1", "NFR"), ("QA-2", "NFR")]


def test_id_patterns_name_every_family_and_turn_detection_off() -> None:
    settings = PrdSettings.from_options(id_patterns=[r"REQ-\d+", r"US-\d+"])
    assert _ids(PRD, settings) == [("REQ-1", "FR"), ("REQ-2", "FR"), ("US-1", "FR"), ("US-2", "FR")]


def test_section_words_add_a_role() -> None:
    settings = PrdSettings.from_options(section_words={"non-functional": ["qualities"]})
    ids = _ids(PRD, settings)
    assert ids[-1] == ("NFR-THE-KIOSK-RESTARTS-BY", "NFR")
    assert _ids(PRD, PrdSettings())[-1] == ("QA-2", "FR")  # without the word: no role, no id-less item


def test_requirements_command_reads_the_sites_options(tmp_path: Path, capsys) -> None:
    site = make_site(tmp_path, prd=PRD, architecture=None,
                     plugin={"id_patterns": [r"REQ-\d+", r"QA-\d+"], "non_functional_prefixes": ["QA"]})
    assert main(["requirements", "-f", str(site.root / "mkdocs.yml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["kind"]) for r in data["requirements"]] == [
        ("REQ-1", "functional"), ("REQ-2", "functional"), ("QA-1", "non-functional"), ("QA-2", "non-functional")]
    assert data["files"] == ["prd.md"]
    # Without -f the defaults apply: the command says so by disagreeing.
    assert main(["requirements", str(site.docs / "prd.md"), "--json"]) == 0
    assert [r["kind"] for r in json.loads(capsys.readouterr().out)["requirements"]] == ["functional"] * 4


def test_explain_names_roles_words_families_and_counts(tmp_path: Path, capsys) -> None:
    prd = tmp_path / "prd.md"
    prd.write_text(
        "# SRS\n\n## Functional Requirements\n\n- FR-1: Sign in.\n- **US-1:** As a user I want search.\n"
        "- **US-2:** As a user I want filters.\n\n## Performance Requirements\n\n"
        "- PF-1: Pages load in 2 s.\n- PF-2: Search answers in 1 s.\n\n## Functional requirements again\n\n"
        "- Sign in with a password\n", encoding="utf-8")
    assert main(["requirements", str(prd), "--explain"]) == 0
    out = capsys.readouterr().out
    assert "Functional Requirements  [functional: 'functional']  1 with id" in out
    assert "Performance Requirements  [requirements: 'requirements', names a quality]  2 with id" in out
    assert "1 restatement(s) left out" in out
    assert "PF-" in out and "0 FR, 2 NFR  (detected)" in out
    assert "US-" in out and "left out: never a requirement unless id_patterns names it" in out
    assert "1 functional, 2 non-functional requirements" in out


def test_todos_link_a_detected_familys_requirement(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "prd.md").write_text(
        "# SRS\n\n## Functional Requirements\n\n- FR-1: Sign in.\n\n## Safety Requirements\n\n"
        "- SF-1: Crisis messages reach a human.\n- SF-2: Sessions end safely.\n", encoding="utf-8")
    (tmp_path / "architecture.yml").write_text(
        "components:\n  - id: web\n    name: Web\n    purpose: UI\n    requirements: [FR-1]\n", encoding="utf-8")
    build = ArchProject().build(ProjectConfig(prd=tmp_path / "docs" / "prd.md", decisions=tmp_path / "architecture.yml",
                                              docs_dir=tmp_path / "docs", config_dir=tmp_path))
    nfr_todos = [t for t in build.analysis.todos if t.kind == "nfr-without-decision"]
    assert [t.requirement for t in nfr_todos] == ["SF-1", "SF-2"]
